-- Tasks carry a priority (1 high, 2 normal, 3 low) for the work list: broken agreements first.
ALTER TABLE tasks ADD COLUMN priority smallint NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3);
UPDATE tasks SET priority = 1 WHERE kind IN ('broken_promise', 'plan_broken');
