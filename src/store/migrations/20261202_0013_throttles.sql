-- Login throttling kept in the database, so every `vorder serve` process on the same database
-- shares it (an in-memory counter per process let an attacker spread guesses over processes).
-- One row per (kind, key):
--   'source'          key = client address: login-type requests in the current minute
--   'source_failure'  key = client address: failed logins in the current minute (429 beyond the limit)
--   'account_source'  key = lower(e-mail) || ' ' || address: consecutive failed logins of that
--                     address on that account, and the lock they earned. The lock slows only
--                     that address: the owner logging in from elsewhere is not locked out, and a
--                     locked attempt is answered exactly like a wrong password.
CREATE TABLE throttles (
  kind          text NOT NULL CHECK (kind IN ('source', 'source_failure', 'account_source')),
  key           text NOT NULL,
  window_start  timestamptz NOT NULL DEFAULT now(),
  count         integer NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);
CREATE INDEX throttles_updated ON throttles (updated_at);
