/**
 * Aging: how long open items are overdue as of a date. The buckets are defined once, here; the
 * SQL aggregate in store/aging.ts is generated from the same table.
 */
import { addDays, daysBetween, type IsoDate } from './dates.ts';

export type AgingBucket = { readonly key: string; readonly label: string; readonly minDays: number | null; readonly maxDays: number | null };

/** minDays/maxDays = days overdue (as-of minus due date), inclusive; null = open-ended. */
export const AGING_BUCKETS: readonly AgingBucket[] = [
  { key: 'not_due', label: 'not due', minDays: null, maxDays: 0 },
  { key: 'd1_30', label: '1-30', minDays: 1, maxDays: 30 },
  { key: 'd31_60', label: '31-60', minDays: 31, maxDays: 60 },
  { key: 'd61_90', label: '61-90', minDays: 61, maxDays: 90 },
  { key: 'over_90', label: '>90', minDays: 91, maxDays: null },
];

export type AgingKey = 'not_due' | 'd1_30' | 'd31_60' | 'd61_90' | 'over_90';
/** Buckets of the positive open amounts; credit notes and credit balances in `credits`; total = buckets + credits. */
export type AgingTotals = Readonly<Record<AgingKey, number>> & { readonly credits: number; readonly total: number };

export function daysOverdue(dueDate: IsoDate, asOf: IsoDate): number {
  return daysBetween(dueDate, asOf);
}

export function agingBucket(dueDate: IsoDate, asOf: IsoDate): AgingKey {
  const d = daysOverdue(dueDate, asOf);
  for (const b of AGING_BUCKETS) if ((b.minDays === null || d >= b.minDays) && (b.maxDays === null || d <= b.maxDays)) return b.key as AgingKey;
  throw new Error('unreachable: aging buckets cover every day');
}

/**
 * The due dates of a bucket as of a date (inclusive), for a list filtered to exactly the items a
 * bucket holds: days overdue = as-of − due date, so minDays ≤ d ≤ maxDays ⇔ as-of − maxDays ≤ due ≤ as-of − minDays.
 */
export function bucketDueDates(key: AgingKey, asOf: IsoDate): { dueFrom?: IsoDate; dueTo?: IsoDate } {
  const b = AGING_BUCKETS.find((x) => x.key === key)!;
  return { ...(b.maxDays !== null ? { dueFrom: addDays(asOf, -b.maxDays) } : {}), ...(b.minDays !== null ? { dueTo: addDays(asOf, -b.minDays) } : {}) };
}

export function emptyAging(): Record<AgingKey, number> & { credits: number; total: number } {
  return { not_due: 0, d1_30: 0, d31_60: 0, d61_90: 0, over_90: 0, credits: 0, total: 0 };
}

/**
 * Pure aging of a list of open items (the reference implementation the SQL is tested against).
 * What can fall overdue is a positive open amount: it goes to the bucket of its days overdue. A
 * credit note or credit balance is never "overdue": it counts in `credits` (and in the total).
 */
export function ageItems(items: Iterable<{ dueDate: IsoDate; openCents: number }>, asOf: IsoDate): AgingTotals {
  const t = emptyAging();
  for (const it of items) {
    if (it.openCents === 0) continue;
    if (it.openCents > 0) t[agingBucket(it.dueDate, asOf)] += it.openCents;
    else t.credits += it.openCents;
    t.total += it.openCents;
  }
  return t;
}
