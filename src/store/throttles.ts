/** Login throttles shared by every server process (migration 0013): plain SQL. */
import type { Queryable } from './db.ts';

export type ThrottleKind = 'source' | 'source_failure' | 'account_source' | 'portal';
export type WindowCount = { count: number; retryAfterSeconds: number };

/** Counts one more in the current fixed window of `seconds` (a new window starts when the last ran out). */
export async function hitWindow(db: Queryable, kind: ThrottleKind, key: string, seconds: number): Promise<WindowCount> {
  const rows = await db.query<{ count: number; retry: number }>(
    `INSERT INTO throttles AS t (kind, key, window_start, count, updated_at) VALUES ($1, $2, now(), 1, now())
     ON CONFLICT (kind, key) DO UPDATE SET
       count = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN 1 ELSE t.count + 1 END,
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN now() ELSE t.window_start END,
       updated_at = now()
     RETURNING count, ceil(extract(epoch FROM (window_start + make_interval(secs => $3) - now())))::int AS retry`,
    [kind, key, seconds],
  );
  return { count: rows[0]!.count, retryAfterSeconds: Math.max(1, rows[0]!.retry) };
}

/** The count in the current window, without counting. */
export async function peekWindow(db: Queryable, kind: ThrottleKind, key: string, seconds: number): Promise<WindowCount> {
  const rows = await db.query<{ count: number; retry: number }>(
    `SELECT count, ceil(extract(epoch FROM (window_start + make_interval(secs => $3) - now())))::int AS retry
       FROM throttles WHERE kind = $1 AND key = $2 AND window_start > now() - make_interval(secs => $3)`,
    [kind, key, seconds],
  );
  return rows[0] ? { count: rows[0].count, retryAfterSeconds: Math.max(1, rows[0].retry) } : { count: 0, retryAfterSeconds: 0 };
}

/**
 * One more consecutive failure; from the `free`-th on a lock of 1 minute, doubling with each
 * further failure up to `maxSeconds`. Also drops rows unused for a day (indexed; usually nothing).
 */
export async function recordFailure(db: Queryable, key: string, free: number, maxSeconds: number): Promise<number> {
  await db.query(`DELETE FROM throttles WHERE updated_at < now() - interval '1 day'`);
  const rows = await db.query<{ count: number }>(
    `INSERT INTO throttles AS t (kind, key, count, locked_until, updated_at) VALUES ('account_source', $1, 1, CASE WHEN 1 >= $2 THEN now() + interval '1 minute' END, now())
     ON CONFLICT (kind, key) DO UPDATE SET
       count = t.count + 1,
       locked_until = CASE WHEN t.count + 1 >= $2 THEN now() + make_interval(secs => least($3::float8, 60 * power(2, t.count + 1 - $2))) ELSE t.locked_until END,
       updated_at = now()
     RETURNING count`,
    [key, free, maxSeconds],
  );
  return rows[0]!.count;
}

export async function isLocked(db: Queryable, key: string): Promise<boolean> {
  const rows = await db.query<{ locked: boolean }>(`SELECT locked_until > now() AS locked FROM throttles WHERE kind = 'account_source' AND key = $1`, [key]);
  return rows[0]?.locked === true;
}

export async function clearThrottle(db: Queryable, kind: ThrottleKind, key: string): Promise<void> {
  await db.query('DELETE FROM throttles WHERE kind = $1 AND key = $2', [kind, key]);
}
