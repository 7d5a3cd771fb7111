/**
 * The TARGET2 calendar (T2 closing days, ECB): weekends, 1 January, Good Friday, Easter Monday,
 * 1 May, 25 and 26 December. SEPA collections are due on a TARGET business day and must reach the
 * debtor's bank at the latest one TARGET business day before (LEGAL.md 9.5: D-1 for CORE since
 * 20-11-2016, and for B2B). A bank may ask more (its own cut-off), hence the lead time parameter.
 */
import { addDays, easterSunday, type IsoDate, weekday } from '../dates.ts';


/** The TARGET2 closing days of a year that do not fall in a weekend by definition, in date order. */
export function target2Holidays(year: number): IsoDate[] {
  const y = String(year).padStart(4, '0');
  const easter = easterSunday(year);
  return [`${y}-01-01`, addDays(easter, -2), addDays(easter, 1), `${y}-05-01`, `${y}-12-25`, `${y}-12-26`];
}

export function isTarget2BusinessDay(d: IsoDate): boolean {
  if (weekday(d) >= 6) return false;
  const md = d.slice(5);
  if (md === '01-01' || md === '05-01' || md === '12-25' || md === '12-26') return false;
  const easter = easterSunday(Number(d.slice(0, 4)));
  return d !== addDays(easter, -2) && d !== addDays(easter, 1);
}

/** The first TARGET2 business day on or after `d`. */
export function nextBusinessDayOnOrAfter(d: IsoDate): IsoDate {
  let x = d;
  while (!isTarget2BusinessDay(x)) x = addDays(x, 1);
  return x;
}

/** `n` ≥ 0 TARGET2 business days after `d` (which need not be a business day itself). */
export function addBusinessDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days must be a whole number ≥ 0: ${n}`);
  let x = d;
  for (let left = n; left > 0; ) {
    x = addDays(x, 1);
    if (isTarget2BusinessDay(x)) left--;
  }
  return x;
}

/** D-1 for CORE and B2B alike (LEGAL.md 9.5). */
export const DEFAULT_LEAD_DAYS = 1;

/**
 * The earliest collection date for a file handed to the bank on `asOf`: a submission on a closed
 * day counts from the next business day, then `leadDays` TARGET2 business days later.
 * Friday → Monday; Saturday → Tuesday; Thursday before Easter → Tuesday after Easter.
 */
export function earliestCollectionDate(asOf: IsoDate, leadDays: number = DEFAULT_LEAD_DAYS): IsoDate {
  return addBusinessDays(nextBusinessDayOnOrAfter(asOf), leadDays);
}

/** Banks take files at most this many calendar days before the collection date (LEGAL.md 9.5). */
export const MAX_DAYS_AHEAD = 14;

export type CollectionDateProblem =
  | { code: 'not_business_day'; next: IsoDate }
  | { code: 'too_early'; earliest: IsoDate }
  | { code: 'too_far_ahead'; latest: IsoDate };

/** Why `date` cannot be the collection date of a file handed in on `asOf`, or null if it can. */
export function collectionDateProblem(date: IsoDate, asOf: IsoDate, leadDays: number = DEFAULT_LEAD_DAYS): CollectionDateProblem | null {
  const earliest = earliestCollectionDate(asOf, leadDays);
  if (date < earliest) return { code: 'too_early', earliest };
  if (!isTarget2BusinessDay(date)) return { code: 'not_business_day', next: nextBusinessDayOnOrAfter(date) };
  const latest = addDays(asOf, MAX_DAYS_AHEAD);
  if (date > latest) return { code: 'too_far_ahead', latest };
  return null;
}
