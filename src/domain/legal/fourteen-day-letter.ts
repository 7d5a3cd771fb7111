/**
 * Veertiendagenbrief (art. 6:96 lid 6 BW) for consumers: date computation and a content validator.
 * LEGAL.md 2.2 (content) and 2.3 (day counting). Pure functions.
 *
 * Dates:
 *  - presumed delivery of a posted letter: the 2nd counted day after sending, where Sundays, Mondays
 *    and official holidays do not count as intermediate day or delivery day [VERIFY current postal
 *    delivery norm, LEGAL.md 2.3 / 12.3 — configurable];
 *  - the 14-day term starts the day after delivery and ends 13 days later;
 *  - conservative Algemene termijnenwet extension: a last day on Saturday, Sunday or a holiday moves
 *    to the next working day (LEGAL.md 2.3: not settled for 6:96 lid 6, used as a safety margin);
 *  - collection costs may be charged from the day after the (extended) last day.
 */
import { addDays, easterSunday, isIsoDate, weekday, type IsoDate } from '../dates.ts';
import type { Cents } from '../money.ts';
import { collectionCosts, type BikVatInput } from './collection-costs.ts';

// ---------------------------------------------------------------------------------------------
// Holidays
// ---------------------------------------------------------------------------------------------


/**
 * Dutch holidays used for both the delivery presumption and the termijnenwet extension: the
 * algemeen erkende feestdagen of art. 3 Algemene termijnenwet (Nieuwjaarsdag, Paas-, Pinkster- en
 * Kerstdagen, Hemelvaartsdag, Koningsdag, 5 mei) plus Goede Vrijdag, which LEGAL.md 2.3 counts for
 * the postal presumption. Including Goede Vrijdag and 5 May every year only lengthens terms, i.e.
 * errs on the safe side. Koningsdag is 27 April, or 26 April when the 27th is a Sunday (since 2014;
 * 30 April before).
 */
export function dutchHolidays(year: number): { date: IsoDate; name: string }[] {
  const easter = easterSunday(year);
  const y = String(year).padStart(4, '0');
  let kingsDay = year >= 2014 ? `${y}-04-27` : `${y}-04-30`;
  if (weekday(kingsDay) === 7) kingsDay = addDays(kingsDay, -1);
  return [
    { date: `${y}-01-01`, name: 'Nieuwjaarsdag' },
    { date: addDays(easter, -2), name: 'Goede Vrijdag' },
    { date: easter, name: 'Eerste Paasdag' },
    { date: addDays(easter, 1), name: 'Tweede Paasdag' },
    { date: kingsDay, name: year >= 2014 ? 'Koningsdag' : 'Koninginnedag' },
    { date: `${y}-05-05`, name: 'Bevrijdingsdag' },
    { date: addDays(easter, 39), name: 'Hemelvaartsdag' },
    { date: addDays(easter, 49), name: 'Eerste Pinksterdag' },
    { date: addDays(easter, 50), name: 'Tweede Pinksterdag' },
    { date: `${y}-12-25`, name: 'Eerste Kerstdag' },
    { date: `${y}-12-26`, name: 'Tweede Kerstdag' },
  ].sort((a, b) => (a.date < b.date ? -1 : 1));
}

export function isDutchHoliday(d: IsoDate): boolean {
  return dutchHolidays(Number(d.slice(0, 4))).some((h) => h.date === d);
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

export type FourteenDayOptions = {
  /** Proven date of receipt (e.g. e-mail accepted under 3:37 lid 2, registered mail). Overrides the presumption. */
  deliveredOn?: IsoDate;
  /** Counted days after sending until presumed delivery. Default 2. */
  deliveryDays?: number;
  /** ISO weekdays that are no delivery days (1 = Monday … 7 = Sunday). Default [7, 1]. */
  nonDeliveryWeekdays?: readonly number[];
  /** Holiday predicate. Default `isDutchHoliday`. */
  isHoliday?: (d: IsoDate) => boolean;
  /** Length of the term in days. Default 14 (the statutory minimum). */
  termDays?: number;
  /** Apply the Algemene termijnenwet extension of the last day. Default true. */
  termijnenwet?: boolean;
};

export type FourteenDayDates = {
  letterDate: IsoDate;
  presumedDelivery: IsoDate;
  /** First day of the term: the day after delivery. */
  termStart: IsoDate;
  /** termStart + termDays − 1, before any extension. */
  termEndNominal: IsoDate;
  /** Last day of the term after the termijnenwet extension (= nominal when not applied/needed). */
  termEnd: IsoDate;
  /** Earliest date on which BIK may be charged: the day after termEnd. */
  costsChargeableFrom: IsoDate;
};

export function presumedDeliveryDate(letterDate: IsoDate, opts: FourteenDayOptions = {}): IsoDate {
  if (!isIsoDate(letterDate)) throw new RangeError(`not a date: ${letterDate}`);
  const n = opts.deliveryDays ?? 2;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`bad delivery days: ${n}`);
  const skipWeekdays = opts.nonDeliveryWeekdays ?? [7, 1];
  const isHoliday = opts.isHoliday ?? isDutchHoliday;
  let d = letterDate;
  for (let counted = 0; counted < n; ) {
    d = addDays(d, 1);
    if (!skipWeekdays.includes(weekday(d)) && !isHoliday(d)) counted++;
  }
  return d;
}

/** Saturday, Sunday and holidays are no working days for the termijnenwet. */
export function nextWorkingDay(d: IsoDate, isHoliday: (d: IsoDate) => boolean = isDutchHoliday): IsoDate {
  let x = d;
  while (weekday(x) >= 6 || isHoliday(x)) x = addDays(x, 1);
  return x;
}

export function fourteenDayDates(letterDate: IsoDate, opts: FourteenDayOptions = {}): FourteenDayDates {
  const isHoliday = opts.isHoliday ?? isDutchHoliday;
  const termDays = opts.termDays ?? 14;
  if (!Number.isInteger(termDays) || termDays < 14) throw new RangeError(`the term must be at least 14 days: ${termDays}`);
  if (opts.deliveredOn !== undefined) {
    if (!isIsoDate(opts.deliveredOn)) throw new RangeError(`not a date: ${opts.deliveredOn}`);
    if (opts.deliveredOn < letterDate) throw new RangeError(`delivered (${opts.deliveredOn}) before the letter date (${letterDate})`);
  }
  const presumedDelivery = opts.deliveredOn ?? presumedDeliveryDate(letterDate, opts);
  const termStart = addDays(presumedDelivery, 1);
  const termEndNominal = addDays(termStart, termDays - 1);
  const termEnd = opts.termijnenwet === false ? termEndNominal : nextWorkingDay(termEndNominal, isHoliday);
  return { letterDate, presumedDelivery, termStart, termEndNominal, termEnd, costsChargeableFrom: addDays(termEnd, 1) };
}

// ---------------------------------------------------------------------------------------------
// Content validator (LEGAL.md 2.2)
// ---------------------------------------------------------------------------------------------

export type LetterClaim = { reference: string; principalCents: Cents };

export type FourteenDayLetterInput = {
  /** Natural person not acting in the course of a business or profession. */
  debtorIsConsumer: boolean;
  letterDate: IsoDate;
  /** First day of verzuim (e.g. the day after a fatal due date). The letter must be sent after it set in. */
  verzuimSince: IsoDate | null;
  /** Claims named in the letter with their exact principals. */
  claims: readonly LetterClaim[];
  /** References of all open claims of this debtor in verzuim: all must be in one letter (6:96 lid 7). */
  openClaimReferences?: readonly string[];
  /** Collection costs stated in the letter, in cents (an amount, not a percentage); null if none stated. */
  statedCostsCents: Cents | null;
  /** True if the stated amount includes VAT. */
  statedCostsIncludeVat: boolean;
  /** VAT situation of the creditor (BIK art. 2 lid 3); omit when the creditor can deduct VAT. */
  vat?: BikVatInput;
  /** The sentence of the letter that sets the payment term. */
  termWording: string;
  /** A concrete end date printed in the letter, if any. */
  statedTermEndDate?: IsoDate | null;
  /** The letter states the consequences of non-payment (incl. the costs). */
  consequencesStated: boolean;
  /** Costs charged for this letter itself (must be 0, HR 13-06-2014). */
  letterChargeCents?: Cents;
  /** Options for the date computation. */
  dates?: FourteenDayOptions;
};

export type LetterIssue = { code: string; message: string };
export type FourteenDayLetterCheck = {
  ok: boolean;
  errors: LetterIssue[];
  warnings: LetterIssue[];
  /** Collection costs the letter must state (incl. VAT when it applies). */
  expectedCostsCents: Cents;
  dates: FourteenDayDates;
};

const normalizeWording = (s: string) => s.toLowerCase().replace(/[\s\u00a0]+/g, ' ').trim();

/** Phrases accepted by the HR (LEGAL.md 2.2 item 3) and close variants; 14 may be written as a number. */
const ACCEPTED_TERM_WORDING: readonly RegExp[] = [
  /binnen (veertien|14) dagen,? (te rekenen )?(vanaf|met ingang van) de dag nadat (deze|de(ze)? aanmaning|de(ze)? brief|deze brief) bij u (is )?(bezorgd|ontvangen|afgeleverd)/,
  /binnen (veertien|14) dagen,? (te rekenen )?(vanaf|met ingang van) de dag na (de )?(ontvangst|bezorging) van (deze|de) (brief|aanmaning)/,
  /binnen (vijftien|15) dagen,? nadat (deze|de) (brief|aanmaning) bij u (is )?(bezorgd|ontvangen|afgeleverd)/,
];
/** Phrases the HR rejected: the term runs from the letter date or sending, not from receipt. */
const REJECTED_TERM_WORDING: readonly RegExp[] = [
  /na (de )?(dagtekening|datum van (deze|de) (brief|aanmaning)|briefdatum)/,
  /na heden/,
  /na (de )?verzending/,
  /vanaf (vandaag|heden|(de )?dagtekening|(de )?verzenddatum)/,
];

export function isCompliantTermWording(s: string): boolean {
  const w = normalizeWording(s);
  if (REJECTED_TERM_WORDING.some((r) => r.test(w))) return false;
  return ACCEPTED_TERM_WORDING.some((r) => r.test(w));
}

/** Checks a consumer's 14-dagenbrief against LEGAL.md 2.2. `ok` is true iff there are no errors. */
export function validateFourteenDayLetter(input: FourteenDayLetterInput): FourteenDayLetterCheck {
  const errors: LetterIssue[] = [];
  const warnings: LetterIssue[] = [];
  const err = (code: string, message: string) => errors.push({ code, message });
  const warn = (code: string, message: string) => warnings.push({ code, message });

  const dates = fourteenDayDates(input.letterDate, input.dates);
  const costs = collectionCosts({ principalCents: input.claims.map((c) => c.principalCents), vat: input.vat });
  const expectedCostsCents = costs.totalCents;

  if (!input.debtorIsConsumer)
    warn('not-consumer', 'the debtor is not a consumer: no 14-dagenbrief is needed (B2B: 40.00 minimum is due without a reminder, 6:96 lid 4)');

  // 1. Only after verzuim.
  if (input.verzuimSince === null) err('no-verzuim', 'the debtor is not in verzuim: send an ingebrekestelling first (6:81–6:83)');
  else if (input.letterDate < input.verzuimSince)
    err('before-verzuim', `the letter (${input.letterDate}) is sent before verzuim set in (${input.verzuimSince})`);

  // 2. Exact principal(s), all open claims in one letter.
  if (input.claims.length === 0) err('no-claims', 'the letter names no claim');
  for (const c of input.claims) {
    if (!Number.isSafeInteger(c.principalCents) || c.principalCents <= 0)
      err('bad-principal', `claim ${c.reference}: the principal must be a positive amount`);
  }
  const refs = new Set(input.claims.map((c) => c.reference));
  if (refs.size !== input.claims.length) err('duplicate-claim', 'a claim is listed twice');
  const missing = (input.openClaimReferences ?? []).filter((r) => !refs.has(r));
  if (missing.length > 0)
    err('claims-missing', `all open claims must be in one letter and their principals summed (6:96 lid 7); missing: ${missing.join(', ')}`);

  // 3. Term: at least 14 days from the day after receipt, in accepted wording; no too-early end date.
  if (!isCompliantTermWording(input.termWording))
    err('term-wording', 'the term must run from the day after receipt, e.g. "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" (not "na dagtekening/heden/verzending")');
  if (input.statedTermEndDate) {
    if (!isIsoDate(input.statedTermEndDate)) err('term-end-date', `not a date: ${input.statedTermEndDate}`);
    else if (input.statedTermEndDate < dates.termEndNominal)
      err('term-end-too-early', `the stated end date ${input.statedTermEndDate} is before the end of the 14-day term (${dates.termEndNominal}); the letter has no effect`);
    else if (input.statedTermEndDate < dates.termEnd)
      warn('term-end-termijnenwet', `the stated end date ${input.statedTermEndDate} does not include the Algemene termijnenwet extension to ${dates.termEnd}`);
  }

  // 4. Consequences including the exact cost amount (incl. VAT if charged).
  if (!input.consequencesStated) err('no-consequences', 'the letter must state the consequences of non-payment');
  if (input.statedCostsCents === null) err('no-cost-amount', 'the letter must state the collection costs as an amount in euros');
  else if (input.statedCostsCents !== expectedCostsCents)
    err('cost-amount', `stated costs ${input.statedCostsCents} cents differ from the BIK amount ${expectedCostsCents} cents${costs.vatApplies ? ' (incl. VAT)' : ''}`);
  if (costs.vatApplies && !input.statedCostsIncludeVat)
    err('vat-not-stated', 'VAT is added: the letter must say that the costs include VAT because the creditor cannot deduct it');
  if (!costs.vatApplies && input.statedCostsIncludeVat)
    err('vat-not-allowed', 'VAT may only be added when the creditor cannot deduct it, uses a VAT-taxed collection service and says so (BIK art. 2 lid 3)');

  // 5. The letter itself is free.
  if ((input.letterChargeCents ?? 0) !== 0) err('letter-charged', 'no costs may be charged for the 14-dagenbrief itself');

  return { ok: errors.length === 0, errors, warnings, expectedCostsCents, dates };
}
