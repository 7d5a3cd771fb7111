-- Dunning: policies as data, runs, the outbox of actions (exactly once), per-item step history,
-- tasks for people, and a Postgres-backed job queue for scheduled and background work.

CREATE TABLE dunning_policies (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  key               text NOT NULL,
  name              text NOT NULL,
  definition        jsonb NOT NULL,
  -- scope: the administration's default, for a segment, or chosen per debtor (debtors.policy_key)
  is_default        boolean NOT NULL DEFAULT false,
  segment           text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, key)
);

ALTER TABLE debtors ADD COLUMN policy_key text;

CREATE TABLE dunning_runs (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  as_of             date NOT NULL,
  mode              text NOT NULL CHECK (mode IN ('preview', 'send')),
  status            text NOT NULL CHECK (status IN ('planned', 'blocked', 'queued', 'done')),
  override          boolean NOT NULL DEFAULT false,
  trigger           text NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule', 'api')),
  summary           jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor             text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dunning_runs_admin ON dunning_runs (administration_id, created_at DESC);

-- The outbox. A message (one debtor × one step × its items) is written here in the same
-- transaction that records the step in dunning_history; a worker then delivers it. The unique
-- dedupe key and the (item, step) key make the same step for the same items impossible twice.
CREATE TABLE dunning_actions (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  run_id            bigint NOT NULL REFERENCES dunning_runs(id),
  debtor_id         bigint NOT NULL REFERENCES debtors(id),
  step_key          text NOT NULL,
  channel           text NOT NULL CHECK (channel IN ('email', 'letter', 'phone', 'statement')),
  dedupe_key        text NOT NULL,
  item_ids          bigint[] NOT NULL,
  message           jsonb NOT NULL,
  -- queued → sending → sent | failed (retried with backoff) | uncertain (died mid-send: check, never resent blindly)
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'uncertain', 'cancelled')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  locked_until      timestamptz,
  last_error        text,
  document_id       bigint REFERENCES documents(id),
  message_id        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  sent_at           timestamptz,
  UNIQUE (administration_id, dedupe_key)
);
CREATE INDEX dunning_actions_due ON dunning_actions (status, next_attempt_at) WHERE status IN ('queued', 'failed', 'sending');
CREATE INDEX dunning_actions_debtor ON dunning_actions (debtor_id, created_at DESC);

CREATE TABLE dunning_history (
  administration_id bigint NOT NULL REFERENCES administrations(id),
  item_id           bigint NOT NULL REFERENCES items(id),
  step_key          text NOT NULL,
  action_id         bigint NOT NULL REFERENCES dunning_actions(id),
  sent_date         date NOT NULL,
  PRIMARY KEY (item_id, step_key)
);
CREATE INDEX dunning_history_admin ON dunning_history (administration_id);

-- Work for people: phone steps of the dunning run, call-backs, broken promises, disputes to review.
CREATE TABLE tasks (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  debtor_id         bigint REFERENCES debtors(id),
  item_ids          bigint[] NOT NULL DEFAULT '{}',
  kind              text NOT NULL,
  title             text NOT NULL,
  reason            text,
  due_date          date NOT NULL,
  assigned_to       text,
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  outcome           text,
  source_type       text,
  source_id         bigint,
  created_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  completed_by      text
);
CREATE INDEX tasks_open ON tasks (administration_id, status, due_date);
CREATE UNIQUE INDEX tasks_source ON tasks (source_type, source_id) WHERE source_type IS NOT NULL;

-- A small job queue: FOR UPDATE SKIP LOCKED, so with several server processes on one
-- PostgreSQL each job runs once; singleton keys make scheduled jobs unique per period.
CREATE TABLE jobs (
  id                bigserial PRIMARY KEY,
  queue             text NOT NULL,
  payload           jsonb NOT NULL DEFAULT '{}'::jsonb,
  singleton_key     text UNIQUE,
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  run_at            timestamptz NOT NULL DEFAULT now(),
  attempts          integer NOT NULL DEFAULT 0,
  max_attempts      integer NOT NULL DEFAULT 5,
  locked_by         text,
  locked_until      timestamptz,
  last_error        text,
  result            jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz
);
CREATE INDEX jobs_ready ON jobs (queue, run_at) WHERE status = 'queued';
