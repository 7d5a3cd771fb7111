/**
 * Verjaring (limitation), LEGAL.md 5.2. A period of N years that starts on day S ends at the end of
 * the day before the N-th anniversary of S; S is the day after the claim became due (opeisbaar).
 * Stuiting by a written aanmaning (3:317) starts a new period of the same length, at most 5 years
 * (3:319), from the day after the aanmaning was received.
 */
import { addDays, addYears, isIsoDate, type IsoDate } from '../dates.ts';

export type LimitationKind =
  /** Performance of a contractual obligation (price, fee): 5 years, 3:307 lid 1. */
  | 'contract'
  /** Interest, rent and other periodic payments due yearly or more often: 5 years per instalment, 3:308. */
  | 'periodic'
  /** Price in a consumer sale of goods: 2 years, 7:28 (services to consumers: 'contract'). */
  | 'consumer-sale-price'
  /** Enforcement of a judgment: 20 years, 3:324. */
  | 'judgment'
  /** Saldo of a current account relationship: 5 years after the account ended, 6:140 lid 4. */
  | 'current-account';

export const LIMITATION_YEARS: Readonly<Record<LimitationKind, number>> = {
  contract: 5,
  periodic: 5,
  'consumer-sale-price': 2,
  judgment: 20,
  'current-account': 5,
};

export type LimitationResult = {
  /** First day of the period. */
  start: IsoDate;
  years: number;
  /** Last day on which the claim is not yet time-barred. */
  lastDay: IsoDate;
  /** Alert date (default 60 days before lastDay). */
  alertOn: IsoDate;
};

function period(start: IsoDate, years: number, alertDays: number): LimitationResult {
  const lastDay = addDays(addYears(start, years), -1);
  return { start, years, lastDay, alertOn: addDays(lastDay, -alertDays) };
}

/**
 * `dueDate` is the day the claim became due (for 'judgment': the judgment date; for
 * 'current-account': the day the account relationship ended).
 */
export function limitation(kind: LimitationKind, dueDate: IsoDate, opts: { alertDays?: number } = {}): LimitationResult {
  if (!isIsoDate(dueDate)) throw new RangeError(`not a date: ${dueDate}`);
  const years = LIMITATION_YEARS[kind];
  if (years === undefined) throw new RangeError(`unknown limitation kind: ${String(kind)}`);
  return period(addDays(dueDate, 1), years, opts.alertDays ?? 60);
}

/**
 * Damages (3:310): 5 years from the day after the creditor knew of the damage and the liable person,
 * but at most 20 years from the day after the event.
 */
export function damagesLimitation(knowledgeDate: IsoDate, eventDate: IsoDate, opts: { alertDays?: number } = {}): LimitationResult {
  const short = period(addDays(knowledgeDate, 1), 5, opts.alertDays ?? 60);
  const long = period(addDays(eventDate, 1), 20, opts.alertDays ?? 60);
  return short.lastDay <= long.lastDay ? short : long;
}

export type InterruptionResult = LimitationResult & {
  /**
   * True when the new period ends before the one it replaces (possible for judgments, 20 → 5 years).
   * LEGAL.md is silent on whether stuiting can shorten a running period; the caller decides.
   */
  shortensRunningPeriod: boolean;
};

/**
 * Stuiting (3:317, 3:319): a new period of the same length, at most 5 years, starting the day after
 * the written aanmaning was received. LEGAL.md system rule: new deadline = receipt + min(period, 5y).
 */
export function interruptLimitation(
  current: LimitationResult,
  receiptDate: IsoDate,
  opts: { alertDays?: number } = {},
): InterruptionResult {
  if (!isIsoDate(receiptDate)) throw new RangeError(`not a date: ${receiptDate}`);
  if (receiptDate > current.lastDay) throw new RangeError(`the claim was already time-barred after ${current.lastDay}`);
  const next = period(addDays(receiptDate, 1), Math.min(current.years, 5), opts.alertDays ?? 60);
  return { ...next, shortensRunningPeriod: next.lastDay < current.lastDay };
}
