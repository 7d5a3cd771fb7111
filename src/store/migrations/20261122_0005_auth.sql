-- Accounts, roles per administration, sessions, API tokens, password resets, the audit log.
-- Secrets are never stored: sessions, API tokens, reset and setup tokens are kept as sha256 hex
-- of the random token; passwords as argon2id hashes.

CREATE TABLE users (
  id             bigserial PRIMARY KEY,
  email          text NOT NULL,
  name           text NOT NULL,
  password_hash  text,
  -- instance administrator: may create administrations and manage every one
  is_admin       boolean NOT NULL DEFAULT false,
  failed_logins  integer NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_login_at  timestamptz
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- One row per (user, administration). The accountant role is granted per administration too:
-- an accountant holds rows in many administrations and sees them side by side (/api/overview).
CREATE TABLE memberships (
  user_id            bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  role               text NOT NULL CHECK (role IN ('owner', 'controller', 'viewer', 'accountant')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, administration_id)
);
CREATE INDEX memberships_admin ON memberships (administration_id);

CREATE TABLE sessions (
  id            text PRIMARY KEY,           -- sha256 hex of the cookie value
  user_id       bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  ip            text,
  user_agent    text
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  name               text NOT NULL,
  role               text NOT NULL CHECK (role IN ('owner', 'controller', 'viewer')),
  token_hash         text NOT NULL UNIQUE,  -- sha256 hex of the whole token
  prefix             text NOT NULL,         -- the first characters, for recognising it in a list
  created_by         bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  last_used_at       timestamptz,
  revoked_at         timestamptz
);
CREATE INDEX api_tokens_admin ON api_tokens (administration_id);

CREATE TABLE password_resets (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

-- The first-run setup token (printed by `vorder serve` while no user exists). One row at most.
CREATE TABLE setup_tokens (
  token_hash  text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

-- Who did what, when, from where: every change and every export. Append-only.
CREATE TABLE audit_log (
  id                 bigserial PRIMARY KEY,
  at                 timestamptz NOT NULL DEFAULT now(),
  user_id            bigint,
  user_email         text,
  token_id           bigint,
  administration_id  bigint,
  action             text NOT NULL,
  method             text,
  path               text,
  target             text,
  status             integer,
  ip                 text,
  detail             jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_admin ON audit_log (administration_id, id DESC);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION vorder_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION vorder_append_only();
