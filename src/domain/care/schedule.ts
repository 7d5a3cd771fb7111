/**
 * Payment-plan schedules (pure): N equal monthly instalments whose parts add up exactly to the
 * total (the remainder on the last one, splitEven), or an explicit schedule that is checked.
 * Then, as of a date: which instalments the money paid so far covers, in order, and which are
 * missed (unpaid past their due date + grace).
 */
import { addDays, addMonths, isIsoDate, type IsoDate } from '../dates.ts';
import { splitEven, type Cents } from '../money.ts';

export type Instalment = { readonly seq: number; readonly dueDate: IsoDate; readonly amountCents: Cents };
export type ScheduleProblem = { readonly field: string; readonly code: string; readonly message: string };

export function monthlySchedule(totalCents: Cents, count: number, firstDate: IsoDate): Instalment[] {
  if (!Number.isInteger(count) || count < 1 || count > 120) throw new RangeError(`instalments must be 1–120, not ${count}`);
  if (totalCents < count) throw new RangeError(`${totalCents} cents cannot be split into ${count} instalments`);
  return splitEven(totalCents, count).map((amountCents, i) => ({ seq: i + 1, dueDate: addMonths(firstDate, i), amountCents }));
}

/** Problems of an explicit schedule: dates strictly increasing, amounts > 0, sum = total. */
export function checkSchedule(totalCents: Cents, parts: readonly { dueDate: string; amountCents: Cents }[], earliest?: IsoDate): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (!parts.length) problems.push({ field: 'schedule', code: 'required', message: 'a schedule needs at least one instalment' });
  let prev: string | null = null;
  parts.forEach((p, i) => {
    if (!isIsoDate(p.dueDate)) problems.push({ field: `schedule[${i}].dueDate`, code: 'invalid', message: `"${p.dueDate}" is not a date` });
    else {
      if (prev !== null && p.dueDate <= prev) problems.push({ field: `schedule[${i}].dueDate`, code: 'order', message: `${p.dueDate} is not after ${prev}` });
      if (earliest && p.dueDate < earliest) problems.push({ field: `schedule[${i}].dueDate`, code: 'past', message: `${p.dueDate} is before ${earliest}` });
      prev = p.dueDate;
    }
    if (!Number.isSafeInteger(p.amountCents) || p.amountCents <= 0) problems.push({ field: `schedule[${i}].amount`, code: 'invalid', message: 'each instalment must be a positive amount' });
  });
  const sum = parts.reduce((s, p) => s + p.amountCents, 0);
  if (parts.length && sum !== totalCents) problems.push({ field: 'schedule', code: 'sum', message: `the instalments add up to ${sum} cents, the plan total is ${totalCents}` });
  return problems;
}

export type InstalmentState = Instalment & { readonly paidCents: Cents; readonly status: 'open' | 'paid' | 'missed'; readonly late: boolean };
export type PlanEvaluation = { readonly instalments: InstalmentState[]; readonly status: 'active' | 'completed' | 'broken'; readonly paidCents: Cents; readonly firstMissed: InstalmentState | null };

/**
 * Money paid to the plan covers the instalments in order. An instalment not fully covered is
 * `late` after its due date and `missed` after due date + grace days; one missed instalment breaks
 * the plan. Everything covered: completed.
 */
export function evaluatePlan(instalments: readonly Instalment[], paidCents: Cents, asOf: IsoDate, graceDays: number): PlanEvaluation {
  let left = Math.max(0, paidCents);
  const out: InstalmentState[] = [...instalments]
    .sort((a, b) => a.seq - b.seq)
    .map((i) => {
      const take = Math.min(left, i.amountCents);
      left -= take;
      const paid = take === i.amountCents;
      const status = paid ? 'paid' : addDays(i.dueDate, graceDays) < asOf ? 'missed' : 'open';
      return { ...i, paidCents: take, status, late: !paid && i.dueDate < asOf };
    });
  const firstMissed = out.find((i) => i.status === 'missed') ?? null;
  const status = out.every((i) => i.status === 'paid') ? 'completed' : firstMissed ? 'broken' : 'active';
  return { instalments: out, status, paidCents: Math.max(0, paidCents), firstMissed };
}

/**
 * A promise to pay as of a date: kept when the promised amount has come in (or everything it
 * covers is settled), broken when the date + grace has passed without it, else still open.
 */
export function evaluatePromise(p: { amountCents: Cents; promisedDate: IsoDate; graceDays: number }, paidCents: Cents, coveredSettled: boolean, asOf: IsoDate): 'open' | 'kept' | 'broken' {
  if (paidCents >= p.amountCents || coveredSettled) return 'kept';
  return addDays(p.promisedDate, p.graceDays) < asOf ? 'broken' : 'open';
}
