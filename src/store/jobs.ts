/**
 * The job queue's table (`jobs`): putting work on it, and claiming, completing and failing it.
 * Running the jobs is the worker's (src/jobs/worker.ts).
 */
import type { Queryable } from './db.ts';

export type Job = { id: number; queue: string; payload: Record<string, unknown>; singleton_key: string | null; attempts: number; max_attempts: number };

/** Returns the new job's id, or null when a job with this singleton key exists already. */
export async function enqueue(q: Queryable, queue: string, payload: Record<string, unknown> = {}, opts: { singletonKey?: string; runAt?: Date; maxAttempts?: number } = {}): Promise<number | null> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO jobs (queue, payload, singleton_key, run_at, max_attempts) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (singleton_key) DO NOTHING RETURNING id`,
    [queue, JSON.stringify(payload), opts.singletonKey ?? null, (opts.runAt ?? new Date()).toISOString(), opts.maxAttempts ?? 5],
  );
  return r?.id ?? null;
}

/**
 * Claims the next job, fairly between administrations: of the claimable jobs, the earliest of the
 * administration whose last claim lies furthest back (never: first) goes first, and the claim is
 * remembered in `job_turns`. So administrations take turns: one that put 10,000 jobs on the queue
 * delays another's single job by at most one job per worker, never by its whole backlog. Jobs
 * without an administration take their turn as one group. A job whose worker died (its lease ran
 * out) is claimable again. FOR UPDATE SKIP LOCKED: with several processes on one PostgreSQL each
 * job is claimed once.
 */
export async function claimJob(q: Queryable, queues: readonly string[], workerId: string, leaseSeconds = 600): Promise<Job | null> {
  const [j] = await q.query<Job>(
    `WITH claimable AS (
       SELECT id, run_at, coalesce(payload->>'administrationId', '') AS tenant
         FROM jobs
        WHERE queue = ANY($1::text[]) AND run_at <= now()
          AND (status = 'queued' OR (status = 'running' AND locked_until < now()))
     ), pick AS (
       SELECT j.id FROM jobs j JOIN claimable c ON c.id = j.id LEFT JOIN job_turns t ON t.tenant = c.tenant
        -- checked again on the row as locked: another worker may have claimed it since the snapshot
        WHERE j.status = 'queued' OR (j.status = 'running' AND j.locked_until < now())
        ORDER BY t.last_claimed_at NULLS FIRST, c.run_at, c.id
        FOR UPDATE OF j SKIP LOCKED LIMIT 1
     ), claimed AS (
       UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, locked_until = now() + ($3 || ' seconds')::interval
        WHERE id = (SELECT id FROM pick)
        RETURNING id, queue, payload, singleton_key, attempts, max_attempts
     ), turn AS (
       INSERT INTO job_turns (tenant, last_claimed_at)
       SELECT coalesce(payload->>'administrationId', ''), clock_timestamp() FROM claimed
       ON CONFLICT (tenant) DO UPDATE SET last_claimed_at = excluded.last_claimed_at
     )
     SELECT * FROM claimed`,
    [queues, workerId, String(leaseSeconds)],
  );
  return j ?? null;
}

export async function completeJob(q: Queryable, id: number, result: unknown): Promise<void> {
  await q.query(`UPDATE jobs SET status = 'done', finished_at = now(), result = $2, locked_until = NULL WHERE id = $1`, [id, JSON.stringify(result ?? null)]);
}

/** A failed job is tried again later (30 s × 2^attempts, at most an hour) until its attempts run out. */
export async function failJob(q: Queryable, job: Job, error: string): Promise<void> {
  const retry = job.attempts < job.max_attempts;
  await q.query(
    `UPDATE jobs SET status = $2, last_error = $3, locked_until = NULL, run_at = now() + ($4 || ' seconds')::interval, finished_at = CASE WHEN $2 = 'failed' THEN now() END WHERE id = $1`,
    [job.id, retry ? 'queued' : 'failed', error.slice(0, 2000), String(Math.min(3600, 30 * 2 ** job.attempts))],
  );
}
