-- The debtor portal (docs/portal.md): a link per debtor and message, only the sha256 of its token
-- stored; what the debtor did there; e-mail address changes waiting for confirmation.
CREATE TABLE portal_links (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  debtor_id          bigint NOT NULL,
  token_hash         text NOT NULL UNIQUE,
  -- the page's CSRF token: every POST of the portal carries it; useless without the link itself
  csrf_token         text NOT NULL,
  -- what the link was made for: mail, letter, statement, manual, demo, resend
  purpose            text NOT NULL DEFAULT 'manual',
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  revoked_at         timestamptz,
  last_opened_at     timestamptz,
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id)
);
CREATE INDEX portal_links_debtor ON portal_links (administration_id, debtor_id, id DESC);
SELECT vorder_enable_tenant_rls('portal_links');

-- What happened in the portal (opened, paid, disputed, …), newest first on the debtor page.
CREATE TABLE portal_activity (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  debtor_id          bigint NOT NULL,
  link_id            bigint REFERENCES portal_links(id),
  kind               text NOT NULL,
  summary            text NOT NULL,
  at                 timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id)
);
CREATE INDEX portal_activity_debtor ON portal_activity (administration_id, debtor_id, id DESC);
SELECT vorder_enable_tenant_rls('portal_activity');

-- A new e-mail address asked for in the portal: it counts once confirmed from that address.
CREATE TABLE portal_email_changes (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  debtor_id          bigint NOT NULL,
  email              text NOT NULL,
  token_hash         text NOT NULL UNIQUE,
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  confirmed_at       timestamptz,
  FOREIGN KEY (administration_id, debtor_id) REFERENCES debtors (administration_id, id)
);
SELECT vorder_enable_tenant_rls('portal_email_changes');
