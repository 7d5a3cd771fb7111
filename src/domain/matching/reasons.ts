/**
 * Why the matcher proposes what it proposes, as data: a reason code with parameters (numbers,
 * amounts in cents, names). Stored with each suggestion (`match_suggestions.reasons`), shown on the
 * bank review screen and in `vorder export allocations` in the reader's language. The matcher
 * itself (engine.ts, assign.ts) never builds a sentence.
 *
 * A new reason: its params in `ReasonParams`, its Dutch and English text in `TEXTS` (the type
 * checker refuses a code without both) and a sample in `REASON_SAMPLES` (the test renders each).
 */
import { formatMoney } from '../money.ts';
import type { EventFormat, Lang } from '../events.ts';

type Money = { cents: number; currency: string };

export type ReasonParams = {
  return_reason: { code: string };
  reversal_indicator: Record<string, never>;
  debit_own_e2e: Record<string, never>;
  e2e_of_booking: { e2e: string; bookingId: number };
  amount_equals_booked: Money;
  amount_differs_booked: Money;
  only_booking_with_amount: { bookingId: number };
  paid_on_behalf: { payer: string; forWhom: string };
  reference_of: { ref: string; rf: boolean; number: string };
  e2e_reference_of: { e2e: string; number: string };
  e2e_is_number: { e2e: string; number: string };
  text_names: { token: string; number: string; via: 'exact' | 'zeros' | 'last_digits' };
  iban_known: { debtor: string };
  iban_other_debtor: { debtor: string };
  name_matches: { debtor: string; pct: number };
  name_differs: { debtor: string };
  name_resembles: { name: string; debtor: string; pct: number };
  says_partial: Record<string, never>;
  also_exact_unnamed: { number: string };
  but_exact_other: { number: string };
  one_keystroke_from_written: Record<string, never>;
  amount_equals_open: Money & { together: boolean };
  open_minus_credit: Money & { credit: string };
  rest_equals: Money & { numbers: string[] };
  overpaid: Money & { restCents: number };
  rest_equals_other: Record<string, never>;
  equals_only: { numbers: string[] };
  partial_less: Money & { openCents: number };
  text_names_another: Record<string, never>;
  near_number: { number: string };
  only_item_of_amount: Money & { number: string };
  similar_name_same_amount: Record<string, never>;
  namesakes: { n: number };
  several_of_amount: Money & { n: number; rank: number; number: string };
  already_suggested: { number: string };
  several_of_amount_near: Money & { n: number; number: string };
  minus_credit_note: { number: string; credit: string };
  sum_of: { numbers: string[]; combinations: number; oldest: boolean };
  partial_oldest: { number: string };
  earlier_pays_older: Record<string, never>;
  already_claimed: { itemId: number; lineId: number | null; leftCents: number };
  already_paid_credit: Record<string, never>;
  chosen_by_hand: { numbers: string[] };
};

export type ReasonCode = keyof ReasonParams;
export type MatchReason = { [C in ReasonCode]: { code: C; params: ReasonParams[C] } }[ReasonCode];

export const reason = <C extends ReasonCode>(code: C, params: ReasonParams[C]): MatchReason => ({ code, params }) as MatchReason;

type Texts = { [C in ReasonCode]: { [L in Lang]: (p: ReasonParams[C], f: EventFormat) => string } };
const m = (f: EventFormat, p: Money) => f.money(p.cents, p.currency);
const and = (xs: readonly string[]) => xs.join(', ');

const TEXTS: Texts = {
  return_reason: { nl: (p) => `reden van terugboeking ${p.code}`, en: (p) => `return reason ${p.code}` },
  reversal_indicator: { nl: () => 'teken van terugboeking', en: () => 'reversal indicator' },
  debit_own_e2e: { nl: () => 'afschrijving met de end-to-end-id van onze eigen boeking', en: () => 'debit with the end-to-end id of our own booking' },
  e2e_of_booking: { nl: (p) => `end-to-end-id ${p.e2e} van boeking ${p.bookingId}`, en: (p) => `end-to-end id ${p.e2e} of booking ${p.bookingId}` },
  amount_equals_booked: { nl: (p, f) => `bedrag is gelijk aan de geboekte ${m(f, p)}`, en: (p, f) => `amount equals the booked ${m(f, p)}` },
  amount_differs_booked: { nl: (p, f) => `bedrag wijkt af van de geboekte ${m(f, p)}`, en: (p, f) => `amount differs from the booked ${m(f, p)}` },
  only_booking_with_amount: { nl: (p) => `alleen boeking ${p.bookingId} heeft dit bedrag`, en: (p) => `only booking ${p.bookingId} has this amount` },
  paid_on_behalf: { nl: (p) => `betaald door ${p.payer} namens '${p.forWhom}'`, en: (p) => `paid by ${p.payer} on behalf of '${p.forWhom}'` },
  reference_of: { nl: (p) => `${p.rf ? 'RF-referentie' : 'betalingskenmerk'} ${p.ref} is het kenmerk van ${p.number}`, en: (p) => `${p.rf ? 'RF reference' : 'payment reference'} ${p.ref} is the reference of ${p.number}` },
  e2e_reference_of: { nl: (p) => `end-to-end-id ${p.e2e} is het kenmerk van ${p.number}`, en: (p) => `end-to-end id ${p.e2e} is the reference of ${p.number}` },
  e2e_is_number: { nl: (p) => `end-to-end-id ${p.e2e} is factuurnummer ${p.number}`, en: (p) => `end-to-end id ${p.e2e} is invoice number ${p.number}` },
  text_names: {
    nl: (p) => `'${p.token}' in de omschrijving is ${p.number}${p.via === 'zeros' ? ' (voorloopnullen)' : p.via === 'last_digits' ? ' (alleen de laatste cijfers)' : ''}`,
    en: (p) => `'${p.token}' in the text is ${p.number}${p.via === 'zeros' ? ' (leading zeros)' : p.via === 'last_digits' ? ' (last digits only)' : ''}`,
  },
  iban_known: { nl: (p) => `IBAN van de betaler is bekend bij ${p.debtor}`, en: (p) => `counterparty IBAN is known for ${p.debtor}` },
  iban_other_debtor: { nl: (p) => `IBAN van de betaler hoort bij een andere debiteur dan ${p.debtor}`, en: (p) => `counterparty IBAN belongs to another debtor than ${p.debtor}` },
  name_matches: { nl: (p) => `naam van de betaler komt overeen met ${p.debtor} (${p.pct}%)`, en: (p) => `counterparty name matches ${p.debtor} (${p.pct}%)` },
  name_differs: { nl: (p) => `naam van de betaler wijkt af van ${p.debtor}`, en: (p) => `counterparty name differs from ${p.debtor}` },
  name_resembles: { nl: (p) => `naam van de betaler '${p.name}' lijkt op ${p.debtor} (${p.pct}%)`, en: (p) => `counterparty name '${p.name}' resembles ${p.debtor} (${p.pct}%)` },
  says_partial: { nl: () => 'de omschrijving noemt het een deelbetaling', en: () => 'the text says it is a partial payment' },
  also_exact_unnamed: { nl: (p) => `het bedrag is ook het openstaande bedrag van ${p.number}, dat de omschrijving niet noemt`, en: (p) => `the amount also equals the open amount of ${p.number}, which the text does not name` },
  but_exact_other: { nl: (p) => `maar het bedrag is precies het openstaande bedrag van ${p.number}`, en: (p) => `but the amount equals the open amount of ${p.number} exactly` },
  one_keystroke_from_written: { nl: () => 'waarvan het nummer één toets verschilt van het geschrevene', en: () => 'whose number is one keystroke from the one written' },
  amount_equals_open: { nl: (p, f) => `bedrag ${m(f, p)} is gelijk aan ${p.together ? 'de openstaande bedragen samen' : 'het openstaande bedrag'}`, en: (p, f) => `amount ${m(f, p)} equals the open amount${p.together ? 's together' : ''}` },
  open_minus_credit: { nl: (p, f) => `bedrag is het openstaande bedrag min creditnota ${p.credit} (${m(f, p)})`, en: (p, f) => `amount equals the open amount minus credit note ${p.credit} (${m(f, p)})` },
  rest_equals: { nl: (p, f) => `de rest (${m(f, p)}) is het openstaande bedrag van ${and(p.numbers)}`, en: (p, f) => `the rest (${m(f, p)}) equals the open amount of ${and(p.numbers)}` },
  overpaid: {
    nl: (p, f) => `bedrag ${m(f, p)} is ${f.money(p.restCents, p.currency)} meer dan het openstaande bedrag; de rest wordt tegoed`,
    en: (p, f) => `amount ${m(f, p)} is ${f.money(p.restCents, p.currency)} more than the open amount; the rest becomes credit`,
  },
  rest_equals_other: { nl: () => 'maar de rest is gelijk aan andere openstaande posten', en: () => 'but the rest equals other open items' },
  equals_only: { nl: (p) => `bedrag is alleen de openstaande bedragen van ${and(p.numbers)}`, en: (p) => `amount equals the open amounts of ${and(p.numbers)} only` },
  partial_less: {
    nl: (p, f) => `bedrag ${m(f, p)} is minder dan de openstaande ${f.money(p.openCents, p.currency)}; de rest blijft open`,
    en: (p, f) => `amount ${m(f, p)} is less than the open ${f.money(p.openCents, p.currency)}; the rest stays open`,
  },
  text_names_another: { nl: () => 'maar de omschrijving noemt een andere factuur', en: () => 'but the text names another invoice' },
  near_number: { nl: (p) => `het nummer in de omschrijving verschilt één toets van ${p.number}`, en: (p) => `the text's number is one keystroke from ${p.number}` },
  only_item_of_amount: { nl: (p, f) => `bedrag is het openstaande bedrag van ${p.number}, de enige van ${m(f, p)}`, en: (p, f) => `amount equals the open amount of ${p.number}, the only one of ${m(f, p)}` },
  similar_name_same_amount: { nl: () => 'een andere debiteur met een gelijkende naam heeft een post van dit bedrag', en: () => 'another debtor with a similar name has an item of this amount' },
  namesakes: { nl: (p) => `${p.n} andere debiteur(en) hebben bijna dezelfde naam`, en: (p) => `${p.n} other debtor(s) have nearly the same name` },
  several_of_amount: {
    nl: (p, f) => `${p.n} openstaande posten van ${m(f, p)}; ${p.rank === 1 ? 'de oudste' : `nummer ${p.rank} naar ouderdom`} is ${p.number}`,
    en: (p, f) => `${p.n} open items of ${m(f, p)}; ${p.rank === 1 ? 'the oldest' : `number ${p.rank} by age`} is ${p.number}`,
  },
  already_suggested: { nl: (p) => `${p.number} is al voorgesteld bij een andere betaling`, en: (p) => `${p.number} is already suggested for another payment` },
  several_of_amount_near: {
    nl: (p, f) => `${p.n} openstaande posten van ${m(f, p)}; het nummer in de omschrijving verschilt één toets van ${p.number}`,
    en: (p, f) => `${p.n} open items of ${m(f, p)}; the text's number is one keystroke from ${p.number}`,
  },
  minus_credit_note: { nl: (p) => `bedrag is ${p.number} min creditnota ${p.credit}`, en: (p) => `amount equals ${p.number} minus credit note ${p.credit}` },
  sum_of: {
    nl: (p) => `bedrag is de som van ${p.numbers.join(' + ')}${p.combinations > 1 ? ` (een van ${p.combinations} combinaties${p.oldest ? '; de oudste' : ''})` : ''}`,
    en: (p) => `amount equals the sum of ${p.numbers.join(' + ')}${p.combinations > 1 ? ` (one of ${p.combinations} combinations${p.oldest ? '; the oldest' : ''})` : ''}`,
  },
  partial_oldest: { nl: (p) => `bedrag is minder dan de oudste openstaande post ${p.number}; misschien een deelbetaling`, en: (p) => `amount is less than the oldest open item ${p.number}; perhaps a partial payment` },
  earlier_pays_older: { nl: () => 'een eerdere betaling van hetzelfde bedrag betaalt de oudere post', en: () => 'an earlier payment of the same amount pays the older item' },
  already_claimed: {
    nl: (p, f) => `post ${p.itemId} is al geclaimd door bankregel ${p.lineId ?? '?'}; ${p.leftCents === 0 ? 'niets' : f.money(p.leftCents)} blijft open`,
    en: (p, f) => `item ${p.itemId} was already claimed by line ${p.lineId ?? '?'}; ${p.leftCents === 0 ? 'nothing' : f.money(p.leftCents)} left open`,
  },
  already_paid_credit: { nl: () => 'de posten zijn al betaald: het hele bedrag wordt tegoed', en: () => 'the items are already paid: the whole amount becomes credit' },
  chosen_by_hand: { nl: (p) => `met de hand gekozen: ${and(p.numbers)}`, en: (p) => `chosen by hand: ${and(p.numbers)}` },
};

export const REASON_CODES = Object.keys(TEXTS) as ReasonCode[];
const isCode = (c: string): c is ReasonCode => Object.hasOwn(TEXTS, c);

const plain = (lang: Lang): EventFormat => ({ money: (c, cur = 'EUR') => formatMoney(c, cur, lang), date: (d) => d });

export function renderReason(r: MatchReason, lang: Lang, f: EventFormat = plain(lang)): string {
  const t = TEXTS[r.code][lang] as (p: unknown, f: EventFormat) => string;
  return t(r.params, f);
}

/** A stored reason (from JSON) in one language; an unknown code shows as the code itself. */
export function renderStoredReason(r: { code: string; params?: unknown }, lang: Lang, f?: EventFormat): string {
  if (!isCode(r.code)) return r.code;
  try {
    return renderReason({ code: r.code, params: r.params ?? {} } as MatchReason, lang, f);
  } catch {
    return r.code;
  }
}

/** The English sentences, as the matcher's `signals` have always been (logs, booking notes, the JSON export's text). */
export const englishSignals = (rs: readonly MatchReason[]): string[] => rs.map((r) => renderReason(r, 'en'));

/** The reasons of a proposal with their English sentences beside them (the proposal's `signals`). */
export const withReasons = (reasons: readonly MatchReason[]): { reasons: readonly MatchReason[]; signals: readonly string[] } => ({ reasons, signals: englishSignals(reasons) });

/** Two lists of reasons as one, each reason once. */
export function mergeReasons(a: readonly MatchReason[], b: readonly MatchReason[]): MatchReason[] {
  const seen = new Set<string>();
  return [...a, ...b].filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** One example of every code (the renderer test renders each in both languages). */
export const REASON_SAMPLES: { [C in ReasonCode]: ReasonParams[C] } = {
  return_reason: { code: 'AC04' }, reversal_indicator: {}, debit_own_e2e: {}, e2e_of_booking: { e2e: 'E2E-1', bookingId: 4 },
  amount_equals_booked: { cents: 12100, currency: 'EUR' }, amount_differs_booked: { cents: 12100, currency: 'EUR' }, only_booking_with_amount: { bookingId: 4 },
  paid_on_behalf: { payer: 'Factoring BV', forWhom: 'Jansen' }, reference_of: { ref: '1234567890123456', rf: false, number: 'F1' },
  e2e_reference_of: { e2e: 'E2E-1', number: 'F1' }, e2e_is_number: { e2e: 'F1', number: 'F1' }, text_names: { token: '2026 01175', number: '2026-01175', via: 'zeros' },
  iban_known: { debtor: 'Jansen BV' }, iban_other_debtor: { debtor: 'Jansen BV' }, name_matches: { debtor: 'Jansen BV', pct: 96 }, name_differs: { debtor: 'Jansen BV' },
  name_resembles: { name: 'JANSEN', debtor: 'Jansen BV', pct: 91 }, says_partial: {}, also_exact_unnamed: { number: 'F2' }, but_exact_other: { number: 'F2' },
  one_keystroke_from_written: {}, amount_equals_open: { cents: 12100, currency: 'EUR', together: true }, open_minus_credit: { cents: -500, currency: 'EUR', credit: 'C1' },
  rest_equals: { cents: 500, currency: 'EUR', numbers: ['F2'] }, overpaid: { cents: 12600, currency: 'EUR', restCents: 500 }, rest_equals_other: {},
  equals_only: { numbers: ['F1', 'F2'] }, partial_less: { cents: 6000, currency: 'EUR', openCents: 12100 }, text_names_another: {}, near_number: { number: 'F1' },
  only_item_of_amount: { cents: 12100, currency: 'EUR', number: 'F1' }, similar_name_same_amount: {}, namesakes: { n: 2 },
  several_of_amount: { cents: 12100, currency: 'EUR', n: 3, rank: 2, number: 'F1' }, already_suggested: { number: 'F1' },
  several_of_amount_near: { cents: 12100, currency: 'EUR', n: 3, number: 'F1' }, minus_credit_note: { number: 'F1', credit: 'C1' },
  sum_of: { numbers: ['F1', 'F2'], combinations: 2, oldest: true }, partial_oldest: { number: 'F1' }, earlier_pays_older: {},
  already_claimed: { itemId: 3, lineId: 9, leftCents: 0 }, already_paid_credit: {}, chosen_by_hand: { numbers: ['F1'] },
};
