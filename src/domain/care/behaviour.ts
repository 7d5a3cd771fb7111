/**
 * Payment behaviour, "as a thermometer" (pure). Days late of a paid invoice = the date of the
 * payment that brought its open amount to 0 − its due date; paying early counts as 0 days late
 * (a customer who pays early is not "less late" than one who pays on the day).
 *
 * - average days late over the last 12 months (the debtor's own norm);
 * - trend: the last 3 months against the 9 months before them;
 * - the thermometer: a warning when the last 3 months are clearly later than the debtor's own
 *   norm (the 9 months before them): at least 2 invoices in the recent window, at least 3 in the
 *   norm window, and recent ≥ norm + max(7 days, norm / 2).
 *   Invoices still open and already later than the norm count in the recent window with the days
 *   they are late so far: a debtor who stops paying altogether must not look healthy.
 */
import { addMonths, daysBetween, type IsoDate } from '../dates.ts';

export type PaidInvoice = { readonly dueDate: IsoDate; readonly paidDate: IsoDate };
export type OpenInvoice = { readonly dueDate: IsoDate };

export type Behaviour = {
  readonly asOf: IsoDate;
  /** Invoices paid in the last 12 months. */
  readonly paidCount12m: number;
  readonly avgDaysLate12m: number | null;
  readonly recentCount: number;
  readonly avgDaysLateRecent: number | null;
  readonly normCount: number;
  readonly avgDaysLateNorm: number | null;
  readonly trend: 'better' | 'stable' | 'worse' | 'unknown';
  readonly promisesKept: number;
  readonly promisesBroken: number;
  readonly warning: { readonly code: 'paying_later'; readonly message: string } | null;
};

const lateDays = (due: IsoDate, paid: IsoDate): number => Math.max(0, daysBetween(due, paid));
const avg = (xs: readonly number[]): number | null => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10 : null);

export const THERMOMETER = { recentMonths: 3, windowMonths: 12, minRecent: 2, minNorm: 3, minDeltaDays: 7, trendDays: 5 } as const;

export function paymentBehaviour(input: { asOf: IsoDate; paid: readonly PaidInvoice[]; open?: readonly OpenInvoice[]; promisesKept?: number; promisesBroken?: number }): Behaviour {
  const { asOf } = input;
  const from12 = addMonths(asOf, -THERMOMETER.windowMonths);
  const from3 = addMonths(asOf, -THERMOMETER.recentMonths);
  const in12 = input.paid.filter((p) => p.paidDate > from12 && p.paidDate <= asOf);
  const recentPaid = in12.filter((p) => p.paidDate > from3).map((p) => lateDays(p.dueDate, p.paidDate));
  const norm = in12.filter((p) => p.paidDate <= from3).map((p) => lateDays(p.dueDate, p.paidDate));
  const normAvg = avg(norm);
  const overdueOpen = (input.open ?? []).map((o) => lateDays(o.dueDate, asOf)).filter((d) => d > 0 && normAvg !== null && d > normAvg);
  const recent = [...recentPaid, ...overdueOpen];
  const recentAvg = avg(recent);
  let trend: Behaviour['trend'] = 'unknown';
  if (recentAvg !== null && normAvg !== null) trend = recentAvg - normAvg >= THERMOMETER.trendDays ? 'worse' : normAvg - recentAvg >= THERMOMETER.trendDays ? 'better' : 'stable';
  let warning: Behaviour['warning'] = null;
  if (recentAvg !== null && normAvg !== null && recent.length >= THERMOMETER.minRecent && norm.length >= THERMOMETER.minNorm && recentAvg >= normAvg + Math.max(THERMOMETER.minDeltaDays, normAvg / 2))
    warning = { code: 'paying_later', message: `betaalt de laatste ${THERMOMETER.recentMonths} maanden gemiddeld ${recentAvg} dagen te laat, normaal ${normAvg} dagen` };
  return {
    asOf,
    paidCount12m: in12.length,
    avgDaysLate12m: avg(in12.map((p) => lateDays(p.dueDate, p.paidDate))),
    recentCount: recent.length,
    avgDaysLateRecent: recentAvg,
    normCount: norm.length,
    avgDaysLateNorm: normAvg,
    trend,
    promisesKept: input.promisesKept ?? 0,
    promisesBroken: input.promisesBroken ?? 0,
    warning,
  };
}

/** Credit limit check: a warning when the open balance exceeds the limit. */
export function creditWarning(balanceCents: number, limitCents: number | null): { code: 'over_credit_limit'; overCents: number } | null {
  if (limitCents === null || balanceCents <= limitCents) return null;
  return { code: 'over_credit_limit', overCents: balanceCents - limitCents };
}
