/**
 * The Postgres-backed job queue (table `jobs`): enqueue, claim fairly between administrations with
 * FOR UPDATE SKIP LOCKED, complete or fail with backoff. With several server processes on one
 * PostgreSQL each job runs once; a singleton key makes a scheduled job unique per period (e.g. one
 * dunning run a day). The SQL lives in the store (src/store/jobs.ts); this is the worker's door.
 */
export { enqueue, claimJob, completeJob, failJob, type Job } from '../store/jobs.ts';
