-- Connections to an accounting package (issue 20): Moneybird, Exact Online, Yuki.
-- One row per connection; its secrets (tokens, keys) are stored encrypted by the application
-- (AES-256-GCM, src/app/connectors/secrets.ts) and never leave the server. `cursor` is the
-- checkpoint of the sync in progress or the last one: written in the same transaction as the page
-- it follows, so a crash resumes exactly after the last page that was applied.
CREATE TABLE connections (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  vendor             text NOT NULL CHECK (vendor IN ('moneybird', 'exact', 'yuki')),
  label              text NOT NULL,
  base_url           text NOT NULL,
  -- the package's own administration: Moneybird administration id, Exact division, Yuki administration id
  external_admin     text,
  secret             text,
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'paused', 'error', 'disconnected')),
  settings           jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- 'initial' until the first full load has finished, then 'incremental'
  phase              text NOT NULL DEFAULT 'initial' CHECK (phase IN ('initial', 'incremental')),
  cursor             jsonb NOT NULL DEFAULT '{}'::jsonb,
  progress           jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- the token bucket and daily counts (shared by every process that syncs this connection)
  rate_state         jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- closes that a sync refused (more than the allowed share of open items): waits for a person
  review             jsonb,
  last_sync_at       timestamptz,
  last_success_at    timestamptz,
  last_error         text,
  last_counts        jsonb,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, id)
);
CREATE INDEX connections_admin ON connections (administration_id);
SELECT vorder_enable_tenant_rls('connections');

-- What Vorder knows of each record in the package: its id there, its version, the local row, and
-- when it was first missed. An item is closed for absence only after a second miss (or a lookup by
-- id that finds it gone), never on the first snapshot that lacks it.
CREATE TABLE connection_records (
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  connection_id      bigint NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('debtor', 'item')),
  external_id        text NOT NULL,
  version            text,
  local_id           bigint,
  open               boolean NOT NULL DEFAULT true,
  seen_sync          bigint,
  absent_since       timestamptz,
  -- found gone (deleted, or absent twice): closed at the end of the sync unless refused
  pending_close      text,
  PRIMARY KEY (connection_id, kind, external_id),
  FOREIGN KEY (administration_id, connection_id) REFERENCES connections (administration_id, id)
);
CREATE INDEX connection_records_local ON connection_records (connection_id, kind, local_id);
SELECT vorder_enable_tenant_rls('connection_records');

-- One row per sync run: what it did, how it ended.
CREATE TABLE connection_syncs (
  id                 bigserial PRIMARY KEY,
  administration_id  bigint NOT NULL REFERENCES administrations(id),
  connection_id      bigint NOT NULL,
  trigger            text NOT NULL DEFAULT 'manual',
  status             text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'refused', 'deferred')),
  counts             jsonb NOT NULL DEFAULT '{}'::jsonb,
  error              text,
  started_at         timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz,
  FOREIGN KEY (administration_id, connection_id) REFERENCES connections (administration_id, id)
);
CREATE INDEX connection_syncs_conn ON connection_syncs (connection_id, id DESC);
SELECT vorder_enable_tenant_rls('connection_syncs');
