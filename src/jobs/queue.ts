/**
 * A small Postgres-backed job queue (table `jobs`): enqueue, claim with FOR UPDATE SKIP LOCKED,
 * complete or fail with backoff. With several server processes on one PostgreSQL each job runs
 * once; a singleton key makes a scheduled job unique per period (e.g. one dunning run a day).
 */
import type { Db, Queryable } from '../store/db.ts';

// enqueueing is storage (application services enqueue too); claiming and running is the worker's
export { enqueue, type Job } from '../store/jobs.ts';
import type { Job } from '../store/jobs.ts';

export async function claimJob(db: Db, queues: readonly string[], workerId: string, leaseSeconds = 600): Promise<Job | null> {
  // Jobs whose worker died (lease ran out) are claimable again.
  const [j] = await db.query<Job>(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, locked_until = now() + ($3 || ' seconds')::interval
      WHERE id = (SELECT id FROM jobs WHERE queue = ANY($1::text[]) AND run_at <= now()
                    AND (status = 'queued' OR (status = 'running' AND locked_until < now()))
                  ORDER BY run_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING id, queue, payload, singleton_key, attempts, max_attempts`,
    [queues, workerId, String(leaseSeconds)],
  );
  return j ?? null;
}

export async function completeJob(db: Db, id: number, result: unknown): Promise<void> {
  await db.query(`UPDATE jobs SET status = 'done', finished_at = now(), result = $2, locked_until = NULL WHERE id = $1`, [id, JSON.stringify(result ?? null)]);
}

export async function failJob(db: Db, job: Job, error: string): Promise<void> {
  const retry = job.attempts < job.max_attempts;
  await db.query(
    `UPDATE jobs SET status = $2, last_error = $3, locked_until = NULL, run_at = now() + ($4 || ' seconds')::interval, finished_at = CASE WHEN $2 = 'failed' THEN now() END WHERE id = $1`,
    [job.id, retry ? 'queued' : 'failed', error.slice(0, 2000), String(Math.min(3600, 30 * 2 ** job.attempts))],
  );
}
