/** Requests refused before authentication, counted per source and minute (migration 0011). */
import type { Queryable } from './db.ts';

/** Count one refusal of `source` in the current minute; returns the count so far in that minute. */
export async function countRefusal(q: Queryable, source: string): Promise<number> {
  const [r] = await q.query<{ count: number }>(
    `INSERT INTO refused_requests (source, window_start, count) VALUES ($1, date_trunc('minute', now()), 1)
     ON CONFLICT (source, window_start) DO UPDATE SET count = refused_requests.count + 1
     RETURNING count`,
    [source.slice(0, 100)],
  );
  // old windows are of no use: forget them now and then (cheap with the index)
  if (r!.count === 1 && Math.random() < 0.01) await q.query(`DELETE FROM refused_requests WHERE window_start < now() - interval '1 day'`);
  return r!.count;
}

