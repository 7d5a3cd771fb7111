-- Fair turns on the job queue: when each administration (tenant '' = jobs of no administration)
-- last had a job claimed. The administration served longest ago goes first, so one with a large
-- backlog never starves another (see claimJob in src/store/jobs.ts).
CREATE TABLE job_turns (
  tenant          text PRIMARY KEY,
  last_claimed_at timestamptz NOT NULL
);
