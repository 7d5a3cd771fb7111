/**
 * Wettelijke rente (6:119 BW) and wettelijke handelsrente (6:119a/6:119b BW), LEGAL.md section 3.
 *
 * Method (LEGAL.md 3.4):
 *  - interest runs from `from` (first interest day) up to and including `to` (day the creditor's
 *    account is credited, 6:114 lid 2);
 *  - the period is split at every rate change (6:120) and at every anniversary of `from`;
 *  - segment interest = base × rate × days / denominator, exact (BigInt rationals);
 *  - on each anniversary the interest of the past year, rounded half-up to cents, is added to the
 *    base (6:119 lid 2 / 6:119a lid 3); 29 February → anniversary 28 February;
 *  - rounding: full precision within a capitalisation year, rounded once per year (at capitalisation,
 *    or at the end for the last, partial year). Rounding each segment separately does NOT reproduce
 *    worked example E1 (43.15 + 604.93 + 311.64 = 959.72, LEGAL.md says 959.73), so the per-year rule
 *    is the one used. Per-period `interestCents` are cumulative-rounding differences within the year
 *    so that they add up exactly to the year total; `exactEuros` shows the unrounded value.
 *
 * Day count: 'actual/365' (default) divides by 365 always; 'actual/actual' divides by the length of
 * the capitalisation year the segment falls in (365 or 366), as `rentetool` does (LEGAL.md 3.4).
 */
import { addDays, addYears, daysBetween, isIsoDate, minDate, type IsoDate } from '../dates.ts';
import { assertCents, type Cents } from '../money.ts';
import { assertRateTable, formatRateBp, rateRowOn, rateTable, type InterestKind, type RateRow } from './rates.ts';

export type DayCount = 'actual/365' | 'actual/actual';

export type StatutoryInterestInput = {
  principalCents: Cents;
  /** First day on which interest runs (inclusive). */
  from: IsoDate;
  /** Day of payment (inclusive). */
  to: IsoDate;
  kind: InterestKind;
  dayCount?: DayCount;
  /** Override the built-in table (e.g. a newer one from the database). Must be sorted by date. */
  table?: readonly RateRow[];
};

export type InterestPeriod = {
  from: IsoDate;
  to: IsoDate;
  days: number;
  /** e.g. '8.00' */
  rate: string;
  rateBp: number;
  baseCents: Cents;
  /** Share of the year's rounded interest (cumulative rounding), see module comment. */
  interestCents: Cents;
  /** Exact segment interest in euros, rounded to 6 decimals for display. */
  exactEuros: string;
  /** Denominator used for this segment (365, or 365/366 with actual/actual). */
  yearDays: number;
};

export type Capitalisation = { date: IsoDate; addedCents: Cents };

export type StatutoryInterestResult = {
  interestCents: Cents;
  periods: InterestPeriod[];
  capitalisations: Capitalisation[];
  /** Principal plus capitalised interest at the end (the base of the last period). */
  finalBaseCents: Cents;
};

/** num/den rounded half-up (num, den ≥ 0). */
function roundHalfUp(num: bigint, den: bigint): bigint {
  return (num * 2n + den) / (den * 2n);
}

/** num/den cents as euros with 6 decimals, rounded half-up. */
function exactEuros(num: bigint, den: bigint): string {
  const micro = roundHalfUp(num * 10_000n, den); // cents → 1e-6 euro: × 10^4
  const s = micro.toString().padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}

export function statutoryInterest(input: StatutoryInterestInput): StatutoryInterestResult {
  const { principalCents, from, to, kind } = input;
  const dayCount = input.dayCount ?? 'actual/365';
  assertCents(principalCents);
  if (principalCents < 0) throw new RangeError(`principal cannot be negative: ${principalCents}`);
  if (!isIsoDate(from)) throw new RangeError(`not a date: ${from}`);
  if (!isIsoDate(to)) throw new RangeError(`not a date: ${to}`);
  if (dayCount !== 'actual/365' && dayCount !== 'actual/actual') throw new RangeError(`unknown day count: ${String(dayCount)}`);
  const table = input.table ?? rateTable(kind);
  assertRateTable(table);

  const periods: InterestPeriod[] = [];
  const capitalisations: Capitalisation[] = [];
  let base = BigInt(principalCents);
  let total = 0n;
  if (to < from) return { interestCents: 0, periods, capitalisations, finalBaseCents: principalCents };
  if (!rateRowOn(table, from)) throw new RangeError(`no ${kind} interest rate known on ${from} (table starts ${table[0]!.from})`);

  for (let year = 0, yearStart = from; yearStart <= to; year++) {
    const nextAnniversary = addYears(from, year + 1);
    const yearLast = minDate(to, addDays(nextAnniversary, -1));
    const yearDays = dayCount === 'actual/365' ? 365 : daysBetween(yearStart, nextAnniversary);
    const den = 10_000n * BigInt(yearDays);
    let cumulative = 0n;
    let rounded = 0n;
    for (let cursor = yearStart; cursor <= yearLast; ) {
      const row = rateRowOn(table, cursor)!;
      const next = table.find((r) => r.from > cursor);
      const last = next ? minDate(yearLast, addDays(next.from, -1)) : yearLast;
      const days = daysBetween(cursor, last) + 1;
      const num = base * BigInt(row.rateBp) * BigInt(days);
      cumulative += num;
      const nowRounded = roundHalfUp(cumulative, den);
      periods.push({
        from: cursor,
        to: last,
        days,
        rate: formatRateBp(row.rateBp),
        rateBp: row.rateBp,
        baseCents: Number(base),
        interestCents: Number(nowRounded - rounded),
        exactEuros: exactEuros(num, den),
        yearDays,
      });
      rounded = nowRounded;
      cursor = addDays(last, 1);
    }
    total += rounded;
    if (nextAnniversary <= to) {
      capitalisations.push({ date: nextAnniversary, addedCents: Number(rounded) });
      base += rounded;
    }
    yearStart = nextAnniversary;
  }
  const interestCents = Number(total);
  assertCents(interestCents);
  return { interestCents, periods, capitalisations, finalBaseCents: Number(base) };
}

/**
 * First day of handelsrente (6:119a, LEGAL.md 3.3): the day after the agreed due date; without an
 * agreed term, 30 days after the start of the day following receipt of the invoice, i.e. R + 31
 * (last free day R + 30).
 */
export function commercialFirstInterestDay(input: { dueDate: IsoDate } | { invoiceReceivedDate: IsoDate }): IsoDate {
  if ('dueDate' in input) return addDays(input.dueDate, 1);
  return addDays(input.invoiceReceivedDate, 31);
}
