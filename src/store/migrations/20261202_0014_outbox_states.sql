-- The outbox with explicit states (src/domain/dunning/outbox.ts): a step is reached only when its
-- message was sent (SMTP accepted) or posted (a person marked the print batch posted), never when
-- it was queued. Paper letters get their own path (to_print → printed → posted); every move is
-- kept in dunning_action_states and on the debtor's timeline.

ALTER TABLE dunning_actions DROP CONSTRAINT dunning_actions_status_check;

-- how the message goes: e-mail, a letter on paper, or a task for a person (phone steps)
ALTER TABLE dunning_actions ADD COLUMN delivery text NOT NULL DEFAULT 'email' CHECK (delivery IN ('email', 'paper', 'task'));
-- the letter's date (the run's as-of date), the day the step was reached, the SMTP server's answer
ALTER TABLE dunning_actions ADD COLUMN letter_date date;
ALTER TABLE dunning_actions ADD COLUMN reached_on date;
ALTER TABLE dunning_actions ADD COLUMN smtp_response text;
ALTER TABLE dunning_actions ADD COLUMN printed_at timestamptz;
ALTER TABLE dunning_actions ADD COLUMN posted_at timestamptz;
ALTER TABLE dunning_actions ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

UPDATE dunning_actions a SET letter_date = r.as_of FROM dunning_runs r WHERE r.id = a.run_id;
UPDATE dunning_actions SET delivery = CASE
    WHEN channel = 'phone' THEN 'task'
    WHEN message_id IS NOT NULL THEN 'email'
    WHEN channel = 'letter' THEN 'paper'
    WHEN status = 'sent' THEN 'paper'
    ELSE 'email' END;

-- Before, a letter on paper was 'sent' as soon as its PDF existed: nobody confirmed it was posted.
-- A person confirms it now (outbox: mark the print batch posted); until then it is 'printed'.
UPDATE dunning_actions SET status = 'printed', printed_at = sent_at, sent_at = NULL WHERE delivery = 'paper' AND status = 'sent';
UPDATE dunning_actions SET status = 'to_print' WHERE delivery = 'paper' AND status IN ('queued', 'failed', 'sending');
-- a failure that was to be retried waits in the queue; a failure for good stays failed
UPDATE dunning_actions SET status = 'queued' WHERE status = 'failed' AND next_attempt_at <> 'infinity';
UPDATE dunning_actions SET reached_on = COALESCE(letter_date, (sent_at AT TIME ZONE 'Europe/Amsterdam')::date) WHERE status = 'sent';

ALTER TABLE dunning_actions ADD CONSTRAINT dunning_actions_status_check
  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'uncertain', 'cancelled', 'to_print', 'printed', 'posted'));
ALTER TABLE dunning_actions ADD CONSTRAINT dunning_actions_delivery_status
  CHECK ((delivery = 'paper') = (status IN ('to_print', 'printed', 'posted')) OR status IN ('cancelled', 'failed'));

-- The step history holds reached steps only, on the day they were reached.
DELETE FROM dunning_history h USING dunning_actions a WHERE a.id = h.action_id AND a.status NOT IN ('sent', 'posted');
UPDATE dunning_history h SET sent_date = a.reached_on FROM dunning_actions a WHERE a.id = h.action_id AND a.reached_on IS NOT NULL;

-- A message that failed, bounced or was cancelled frees its dedupe key: the next run may plan it again.
ALTER TABLE dunning_actions DROP CONSTRAINT dunning_actions_administration_id_dedupe_key_key;
CREATE UNIQUE INDEX dunning_actions_dedupe ON dunning_actions (administration_id, dedupe_key) WHERE status NOT IN ('failed', 'bounced', 'cancelled');

DROP INDEX dunning_actions_due;
CREATE INDEX dunning_actions_due ON dunning_actions (next_attempt_at) WHERE status = 'queued';
CREATE INDEX dunning_actions_sending ON dunning_actions (locked_until) WHERE status = 'sending';
CREATE INDEX dunning_actions_state ON dunning_actions (administration_id, status, id);
CREATE INDEX dunning_actions_run ON dunning_actions (run_id, status);
-- letters on paper whose PDF the worker still has to make
CREATE INDEX dunning_actions_unprepared ON dunning_actions (id) WHERE delivery = 'paper' AND document_id IS NULL AND status IN ('to_print', 'printed');

-- Every move of every message, append-only: the state history the outbox screen shows.
CREATE TABLE dunning_action_states (
  id                bigserial PRIMARY KEY,
  administration_id bigint NOT NULL REFERENCES administrations(id),
  action_id         bigint NOT NULL REFERENCES dunning_actions(id),
  from_state        text,
  to_state          text NOT NULL,
  at                timestamptz NOT NULL DEFAULT now(),
  actor             text,
  -- the SMTP answer, the error, the reason a person gave
  detail            text
);
CREATE INDEX dunning_action_states_action ON dunning_action_states (action_id, id);

INSERT INTO dunning_action_states (administration_id, action_id, from_state, to_state, at, actor, detail)
  SELECT administration_id, id, NULL, status, created_at, 'migration', last_error FROM dunning_actions;

CREATE TRIGGER dunning_action_states_append_only BEFORE UPDATE OR DELETE ON dunning_action_states FOR EACH ROW EXECUTE FUNCTION vorder_append_only();

-- the second wall (migration 0010): inside a tenant request only this administration's history
SELECT vorder_enable_tenant_rls('dunning_action_states');
