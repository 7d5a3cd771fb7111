/**
 * A small Postgres-backed job queue (table `jobs`): enqueue, claim with FOR UPDATE SKIP LOCKED,
 * complete or fail with backoff. With several server processes on one PostgreSQL each job runs
 * once; a singleton key makes a scheduled job unique per period (e.g. one dunning run a day).
 */
import type { Db, Queryable } from '../store/db.ts';

export type Job = { id: number; queue: string; payload: Record<string, unknown>; singleton_key: string | null; attempts: number; max_attempts: number };

/** Returns the new job's id, or null when a job with this singleton key exists already. */
export async function enqueue(q: Queryable, queue: string, payload: Record<string, unknown> = {}, opts: { singletonKey?: string; runAt?: Date; maxAttempts?: number } = {}): Promise<number | null> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO jobs (queue, payload, singleton_key, run_at, max_attempts) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (singleton_key) DO NOTHING RETURNING id`,
    [queue, JSON.stringify(payload), opts.singletonKey ?? null, (opts.runAt ?? new Date()).toISOString(), opts.maxAttempts ?? 5],
  );
  return r?.id ?? null;
}

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
