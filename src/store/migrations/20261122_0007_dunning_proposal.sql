-- The dunning proposal: the preview of the next run, computed in the background and stored, so the
-- dunning screen opens at once also over 1,000,000 items. It is valid while nothing the run reads
-- has changed: every statement on those tables adds to the administration's change count
-- (append-only rows, so writers never wait on each other; the count only grows, also when the
-- rows are compacted). A proposal remembers the count it was computed at.

CREATE TABLE change_marks (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL,
  n                 bigint NOT NULL DEFAULT 1
);
CREATE INDEX change_marks_admin ON change_marks (administration_id);

CREATE FUNCTION vorder_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_marks (administration_id) SELECT DISTINCT administration_id FROM changed_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION vorder_mark_administration_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_marks (administration_id) SELECT DISTINCT id FROM changed_rows;
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['items', 'debtors', 'dunning_history', 'dunning_actions', 'disputes', 'promises', 'payment_plans',
                           'debtor_statuses', 'dunning_policies', 'segments', 'bank_statements', 'bank_lines'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION vorder_mark_changed()', t || '_marks_insert', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION vorder_mark_changed()', t || '_marks_update', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION vorder_mark_changed()', t || '_marks_delete', t);
  END LOOP;
END $$;
CREATE TRIGGER administrations_marks_update AFTER UPDATE ON administrations REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION vorder_mark_administration_changed();

-- One proposal per administration and as-of date (the newest computation replaces the previous).
CREATE TABLE dunning_proposals (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  as_of             date NOT NULL,
  changes           bigint NOT NULL,           -- the change count it was computed at
  summary           jsonb NOT NULL,            -- asOf, blocked, blocks, totals, steps, skipped per reason
  computed_at       timestamptz NOT NULL DEFAULT now(),
  seconds           double precision NOT NULL,
  UNIQUE (administration_id, as_of)
);

-- The messages and skipped entries of a proposal (no foreign key: tens of thousands of rows are
-- written at once and deleted with their proposal by src/app/dunning-proposal.ts).
CREATE TABLE dunning_proposal_messages (
  proposal_id  bigint NOT NULL,
  seq          integer NOT NULL,
  step_index   integer NOT NULL,
  step_key     text NOT NULL,
  debtor_id    bigint NOT NULL,
  dedupe_key   text NOT NULL,
  message      jsonb NOT NULL,
  PRIMARY KEY (proposal_id, seq)
);
CREATE INDEX dunning_proposal_messages_step ON dunning_proposal_messages (proposal_id, step_key, seq);

CREATE TABLE dunning_proposal_skipped (
  proposal_id  bigint NOT NULL,
  seq          integer NOT NULL,
  reason       text NOT NULL,
  debtor_id    bigint NOT NULL,
  entry        jsonb NOT NULL,
  PRIMARY KEY (proposal_id, seq)
);
CREATE INDEX dunning_proposal_skipped_reason ON dunning_proposal_skipped (proposal_id, reason, seq);
