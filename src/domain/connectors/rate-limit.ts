/**
 * A token bucket per connection, with an optional daily budget: pure (the clock is a parameter),
 * its state is kept in the database so every process that syncs the connection shares it.
 *   Moneybird: 150 requests per 5 minutes.  Exact Online: 60 per minute and 5,000 per day (per
 *   division).  Yuki publishes no limit: Vorder keeps itself to 60 per minute.
 */
import type { Vendor } from './types.ts';

export type Limits = { capacity: number; perMs: number; daily: number | null };

export const VENDOR_LIMITS: Record<Vendor, Limits> = {
  moneybird: { capacity: 150, perMs: 5 * 60_000, daily: null },
  exact: { capacity: 60, perMs: 60_000, daily: 5000 },
  yuki: { capacity: 60, perMs: 60_000, daily: null },
};
/**
 * The bucket: the moments of the calls of the last period (at most `capacity` of them), so no
 * window of `perMs` ever holds more than `capacity` calls (a refilling token bucket would allow
 * twice that across a window edge); and the calls of the current UTC day.
 */
export type BucketState = { recent: number[]; day: string | null; usedToday: number };

export function freshBucket(): BucketState {
  return { recent: [], day: null, usedToday: 0 };
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Take one call. `waitMs` > 0: try again after that many ms; `dailyExhausted`: the day's budget
 * is spent until the next UTC midnight.
 */
export function take(state: BucketState | null | undefined, limits: Limits, now: number): { ok: boolean; waitMs: number; dailyExhausted: boolean; state: BucketState } {
  const s: BucketState = state && Array.isArray(state.recent) ? { ...state, recent: state.recent.filter((t) => t > now - limits.perMs) } : freshBucket();
  const day = utcDay(now);
  if (s.day !== day) (s.day = day), (s.usedToday = 0);
  if (limits.daily !== null && s.usedToday >= limits.daily) return { ok: false, waitMs: Date.parse(`${day}T00:00:00Z`) + 86_400_000 - now, dailyExhausted: true, state: s };
  if (s.recent.length < limits.capacity) {
    s.recent.push(now);
    s.usedToday += 1;
    return { ok: true, waitMs: 0, dailyExhausted: false, state: s };
  }
  return { ok: false, waitMs: Math.max(1, s.recent[0]! + limits.perMs - now), dailyExhausted: false, state: s };
}

/** What the server says of its own limits (X-RateLimit-* headers) counts when it leaves less than our own count. */
export function observe(state: BucketState, limits: Limits, h: { minutelyRemaining?: number | null; dailyRemaining?: number | null }, now: number): BucketState {
  const s = { ...state, recent: [...state.recent] };
  if (h.minutelyRemaining != null && Number.isFinite(h.minutelyRemaining)) {
    const used = Math.min(limits.capacity, limits.capacity - h.minutelyRemaining);
    while (s.recent.length < used) s.recent.push(now);
  }
  if (limits.daily !== null && h.dailyRemaining != null && Number.isFinite(h.dailyRemaining)) s.usedToday = Math.max(s.usedToday, limits.daily - h.dailyRemaining);
  return s;
}

/** Backoff before retry `attempt` (1, 2, …) after a 429 or 5xx: the server's Retry-After if given, else 1 s, 2 s, 4 s … capped at 60 s. */
export function backoffMs(attempt: number, retryAfterSeconds: number | null): number {
  if (retryAfterSeconds !== null && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) return Math.min(retryAfterSeconds, 3600) * 1000;
  return Math.min(60_000, 1000 * 2 ** (attempt - 1));
}
