/**
 * Never "missing means paid". Which items a sync may close, and when it must stop and ask a
 * person instead (pure).
 *  - An item missing from a full snapshot is only *missed*: the first time nothing happens but a
 *    note of when. Missed again on the next snapshot (or found gone by a lookup by id, or reported
 *    deleted by the package): then it is closed.
 *  - A sync that would close more than `maxCloseShare` (default 20 %) of the connection's open
 *    items closes nothing: the closes wait for a person (connections.review).
 */
export const DEFAULT_MAX_CLOSE_SHARE = 0.2;

export function maxCloseShareOf(settings: Record<string, unknown>): number {
  const n = Number(settings.maxCloseShare);
  return Number.isFinite(n) && n > 0 && n <= 1 ? n : DEFAULT_MAX_CLOSE_SHARE;
}

export type AbsenceDecision = 'first_miss' | 'confirmed';

/** An open item not in a complete snapshot: its first miss, or the second (then it is gone). */
export function absence(absentSince: string | null): AbsenceDecision {
  return absentSince ? 'confirmed' : 'first_miss';
}

export type GuardVerdict = { allowed: true } | { allowed: false; share: number; closing: number; open: number };

/** May `closing` of `open` linked open items be closed in one sync? */
export function closeGuard(closing: number, open: number, maxShare: number): GuardVerdict {
  if (closing === 0) return { allowed: true };
  const share = open === 0 ? 1 : closing / open;
  // a handful of closes in a tiny administration is no sign of a broken snapshot
  if (share <= maxShare || closing <= 2) return { allowed: true };
  return { allowed: false, share, closing, open };
}
