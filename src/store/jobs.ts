/** Putting work on the job queue (table `jobs`, see src/jobs/queue.ts for claiming and running it). */
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

