-- Typed timeline events and match reasons (issue #18 item 2, #14 "reasons in the user's language").
--
-- events.params: the parameters of a typed event (src/domain/events.ts); the kind column names the
-- event. The reader's language is chosen when the line is read. Rows written before this migration
-- keep params NULL and are shown with their stored text as it was written (the timeline is
-- append-only, so nothing is rewritten: that is the backfill). `summary` stays: the Dutch rendering
-- at the time of writing, for full-text search and old readers.
ALTER TABLE events ADD COLUMN params jsonb;

-- match_suggestions.reasons: why the matcher proposes a suggestion, as codes with parameters
-- (src/domain/matching/reasons.ts). Suggestions made before this migration have none and show
-- their stored English signals.
ALTER TABLE match_suggestions ADD COLUMN reasons jsonb NOT NULL DEFAULT '[]'::jsonb;
