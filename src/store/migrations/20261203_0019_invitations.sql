-- Invitations: adding a person to an administration by e-mail sends a one-time link; the person
-- accepts it (choosing a name and password, or with the account they are logged in with). Until
-- then nobody learns whether the address already has an account. Only the sha256 of the token is
-- stored. At most one pending invitation per administration and address.
CREATE TABLE invitations (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  email              text NOT NULL,
  role               text NOT NULL CHECK (role IN ('owner', 'controller', 'viewer', 'accountant')),
  token_hash         text NOT NULL UNIQUE,
  invited_by         bigint REFERENCES users(id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  accepted_at        timestamptz,
  accepted_by        bigint REFERENCES users(id) ON DELETE SET NULL,
  revoked_at         timestamptz
);
CREATE INDEX invitations_admin ON invitations (administration_id, id DESC);
CREATE UNIQUE INDEX invitations_pending ON invitations (administration_id, lower(email)) WHERE accepted_at IS NULL AND revoked_at IS NULL;
-- the second wall (migration 0010): inside a tenant request only this administration's invitations;
-- the lookup by token before any administration is known runs outside a tenant request
SELECT vorder_enable_tenant_rls('invitations');

-- Settings of the installation itself (not of one administration), e.g. 'public_url': the address
-- every mailed link starts with (`vorder public-url URL`).
CREATE TABLE instance_settings (
  key         text PRIMARY KEY,
  value       text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
