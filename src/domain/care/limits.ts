/**
 * The administration's limits for promises and payment plans (pure). A promise may not claim more
 * than is open and may not lie further ahead than the policy allows; a plan has at most so many
 * instalments, ends within so many months, and no instalment is smaller than the minimum. Nothing
 * is clamped: each breach is a problem with a stable code and the allowed value as a parameter, so
 * every screen can say what is allowed in the reader's language.
 */
import { addDays, addMonths, type IsoDate } from '../dates.ts';
import type { Cents } from '../money.ts';

export type CareLimits = {
  /** A promise's date at most this many days after today. */
  readonly promiseMaxDays: number;
  /** A plan has at most this many instalments… */
  readonly planMaxInstalments: number;
  /** …its last one at most this many months after today… */
  readonly planMaxMonths: number;
  /** …and none smaller than this (the last one may be, when it takes the remainder). */
  readonly planMinInstalmentCents: Cents;
};

export const DEFAULT_CARE_LIMITS: CareLimits = { promiseMaxDays: 60, planMaxInstalments: 24, planMaxMonths: 24, planMinInstalmentCents: 2500 };

export type LimitProblem = {
  readonly field: string;
  readonly code: 'too_large' | 'too_far' | 'too_many' | 'too_few' | 'too_small' | 'nothing_open' | 'not_positive' | 'past';
  readonly message: string;
  readonly params: Readonly<Record<string, string | number>>;
};

/** A promise against what it covers: positive, at most the open amount, dated today … today + max. */
export function promiseProblems(p: { amountCents: Cents; promisedDate: IsoDate }, ctx: { openCents: Cents; asOf: IsoDate; limits: CareLimits }): LimitProblem[] {
  const out: LimitProblem[] = [];
  if (ctx.openCents <= 0) out.push({ field: 'itemIds', code: 'nothing_open', message: 'nothing is open to promise', params: {} });
  else if (p.amountCents <= 0) out.push({ field: 'amount', code: 'not_positive', message: 'the promised amount must be positive', params: {} });
  else if (p.amountCents > ctx.openCents) out.push({ field: 'amount', code: 'too_large', message: `the promised amount is more than the ${ctx.openCents} cents open`, params: { maxCents: ctx.openCents } });
  const latest = addDays(ctx.asOf, ctx.limits.promiseMaxDays);
  if (p.promisedDate < ctx.asOf) out.push({ field: 'promisedDate', code: 'past', message: `${p.promisedDate} is before today (${ctx.asOf})`, params: { min: ctx.asOf } });
  else if (p.promisedDate > latest) out.push({ field: 'promisedDate', code: 'too_far', message: `${p.promisedDate} is after ${latest}, the latest date the policy allows`, params: { max: latest } });
  return out;
}

/** The number of equal instalments asked for, before a schedule is made: 1 … max, and none under the minimum. */
export function instalmentCountProblems(count: number, totalCents: Cents, limits: CareLimits): LimitProblem[] {
  if (!Number.isInteger(count) || count < 1) return [{ field: 'instalments', code: 'too_few', message: 'a plan has at least 1 instalment', params: { min: 1 } }];
  if (count > limits.planMaxInstalments) return [{ field: 'instalments', code: 'too_many', message: `a plan has at most ${limits.planMaxInstalments} instalments`, params: { max: limits.planMaxInstalments } }];
  const most = maxInstalmentsFor(totalCents, limits);
  if (count > 1 && count > most) return [{ field: 'instalments', code: 'too_small', message: `${count} instalments are each less than the minimum of ${limits.planMinInstalmentCents} cents; at most ${most}`, params: { max: most, minCents: limits.planMinInstalmentCents } }];
  return [];
}

/** How many equal instalments a total allows: each at least the minimum, never more than the maximum. */
export function maxInstalmentsFor(totalCents: Cents, limits: CareLimits): number {
  return Math.max(1, Math.min(limits.planMaxInstalments, Math.floor(totalCents / Math.max(1, limits.planMinInstalmentCents))));
}

/** A schedule (made or given) against the limits: how many, how far, how small. */
export function scheduleLimitProblems(schedule: readonly { dueDate: IsoDate; amountCents: Cents }[], asOf: IsoDate, limits: CareLimits): LimitProblem[] {
  const out: LimitProblem[] = [];
  if (schedule.length > limits.planMaxInstalments) out.push({ field: 'instalments', code: 'too_many', message: `a plan has at most ${limits.planMaxInstalments} instalments`, params: { max: limits.planMaxInstalments } });
  const latest = addMonths(asOf, limits.planMaxMonths);
  const last = schedule[schedule.length - 1];
  if (last && last.dueDate > latest) out.push({ field: 'firstDate', code: 'too_far', message: `the last instalment (${last.dueDate}) is after ${latest}, the latest date the policy allows`, params: { max: latest } });
  if (schedule.length > 1 && schedule.slice(0, -1).some((s) => s.amountCents < limits.planMinInstalmentCents)) {
    out.push({ field: 'instalments', code: 'too_small', message: `an instalment is less than the minimum of ${limits.planMinInstalmentCents} cents`, params: { minCents: limits.planMinInstalmentCents } });
  }
  return out;
}

/** Limits from the administration's `care` settings; a missing or impossible value takes the default. */
export function careLimitsOf(care: Record<string, unknown> | undefined): CareLimits {
  const s = care ?? {};
  const n = (v: unknown, d: number, max: number) => (Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= max ? (v as number) : d);
  return {
    promiseMaxDays: n(s.promiseMaxDays, DEFAULT_CARE_LIMITS.promiseMaxDays, 366),
    planMaxInstalments: n(s.planMaxInstalments, DEFAULT_CARE_LIMITS.planMaxInstalments, 120),
    planMaxMonths: n(s.planMaxMonths, DEFAULT_CARE_LIMITS.planMaxMonths, 120),
    planMinInstalmentCents: n(s.planMinInstalmentCents, DEFAULT_CARE_LIMITS.planMinInstalmentCents, 100_000_00),
  };
}
