/**
 * R-transactions of a SEPA direct debit: what a return reason code means and what Vorder does
 * about it (issue 17, LEGAL.md 9.5). Pure.
 *
 * - AM04 (insufficient funds): collect once more on the next possible date; a retry that comes
 *   back again is not retried (a task, and the dunning run takes the invoice again).
 * - The mandate can no longer be used (no or invalid mandate, closed or blocked account, direct
 *   debits forbidden on the account, the debtor deceased, the debtor's bank refuses this
 *   creditor): the mandate is ended, a task is made, dunning resumes.
 * - Anything else (refund requested by the debtor, refused by the debtor, duplicate, regulatory,
 *   reason not given…): a task, dunning resumes.
 *
 * The kind of R-transaction says when and how it came: a reversal (the creditor's own reversal,
 * RvslInd), a refund the debtor asked within 8 weeks (MD06), an unauthorised debit refunded
 * within 13 months (MD01 more than 8 weeks after the collection date), otherwise a return.
 */
import { addDays } from '../dates.ts';

export type ReturnAction = 'retry' | 'mandate_ended' | 'task';
export type ReturnKind = 'reject' | 'return' | 'reversal' | 'refund' | 'unauthorised';

/** Codes after which the mandate cannot be used again. */
export const MANDATE_ENDING_CODES: ReadonlySet<string> = new Set(['MD01', 'MD02', 'MD07', 'AC01', 'AC04', 'AC06', 'AC13', 'AG01', 'BE05', 'SL01']);
export const INSUFFICIENT_FUNDS = 'AM04';

/** The reason in words, Dutch and English (the EPC's guidance on R-transaction reason codes). */
export const RETURN_REASONS: Readonly<Record<string, { nl: string; en: string }>> = {
  AC01: { nl: 'rekeningnummer onjuist', en: 'account number incorrect' },
  AC04: { nl: 'rekening opgeheven', en: 'account closed' },
  AC06: { nl: 'rekening geblokkeerd', en: 'account blocked' },
  AC13: { nl: 'rekeningsoort staat geen incasso toe', en: 'invalid debtor account type' },
  AG01: { nl: 'incasso op deze rekening niet toegestaan', en: 'direct debit forbidden on this account' },
  AG02: { nl: 'ongeldige transactiecode of bestandsformaat', en: 'invalid bank operation code' },
  AM04: { nl: 'onvoldoende saldo', en: 'insufficient funds' },
  AM05: { nl: 'dubbele incasso', en: 'duplicate collection' },
  BE05: { nl: 'incassant onbekend bij de bank', en: 'creditor not recognised' },
  CNOR: { nl: 'bank van de incassant onbereikbaar', en: 'creditor bank not registered' },
  DNOR: { nl: 'bank van de debiteur onbereikbaar', en: 'debtor bank not registered' },
  FF01: { nl: 'bestandsformaat ongeldig', en: 'invalid file format' },
  MD01: { nl: 'geen machtiging (of niet geautoriseerd)', en: 'no mandate (or unauthorised)' },
  MD02: { nl: 'machtigingsgegevens ontbreken of onjuist', en: 'mandate data missing or incorrect' },
  MD06: { nl: 'terugboeking op verzoek van de debiteur', en: 'refund requested by the debtor' },
  MD07: { nl: 'debiteur overleden', en: 'debtor deceased' },
  MS02: { nl: 'geweigerd door de debiteur', en: 'refused by the debtor' },
  MS03: { nl: 'reden niet opgegeven door de bank', en: 'reason not specified by the bank' },
  RC01: { nl: 'BIC onjuist', en: 'BIC incorrect' },
  RR01: { nl: 'regelgeving: identificatie debiteur ontbreekt', en: 'regulatory: debtor identification missing' },
  RR02: { nl: 'regelgeving: naam of adres debiteur ontbreekt', en: 'regulatory: debtor name or address missing' },
  RR03: { nl: 'regelgeving: naam of adres incassant ontbreekt', en: 'regulatory: creditor name or address missing' },
  RR04: { nl: 'regelgeving', en: 'regulatory reason' },
  SL01: { nl: 'dienst van de bank van de debiteur (incassant geblokkeerd)', en: 'specific service of the debtor bank (creditor blocked)' },
  NARR: { nl: 'reden in tekst', en: 'reason in text' },
};

export function reasonText(code: string | null, lang: 'nl' | 'en'): string {
  if (!code) return lang === 'nl' ? 'geen reden opgegeven' : 'no reason given';
  const r = RETURN_REASONS[code.toUpperCase()];
  return r ? `${code.toUpperCase()} ${r[lang]}` : code.toUpperCase();
}

/** Days after the collection date within which a debtor may ask a refund without reason (8 weeks). */
export const REFUND_DAYS = 56;

export type ReturnDecision = { code: string; kind: ReturnKind; action: ReturnAction; nl: string; en: string };

/**
 * What to do with an R-transaction for one collected item.
 * `isRetry`: the item's collection was itself the retry of an AM04 (no second retry).
 * `settled`: the item's collection was credited before (a return after settlement) or not (a reject).
 */
export function decideReturn(r: { code: string | null; reversal: boolean; collectionDate: string; bookingDate: string; isRetry: boolean; settled: boolean }): ReturnDecision {
  const code = (r.code ?? 'MS03').toUpperCase();
  const kind: ReturnKind = r.reversal
    ? 'reversal'
    : code === 'MD06'
      ? 'refund'
      : code === 'MD01' && r.bookingDate > addDays(r.collectionDate, REFUND_DAYS)
        ? 'unauthorised'
        : r.settled
          ? 'return'
          : 'reject';
  const action: ReturnAction = code === INSUFFICIENT_FUNDS && !r.isRetry ? 'retry' : MANDATE_ENDING_CODES.has(code) ? 'mandate_ended' : 'task';
  return { code, kind, action, nl: reasonText(code, 'nl'), en: reasonText(code, 'en') };
}

export const RETURN_KIND_TEXT: Readonly<Record<ReturnKind, { nl: string; en: string }>> = {
  reject: { nl: 'geweigerd vóór verrekening', en: 'rejected before settlement' },
  return: { nl: 'gestorneerd', en: 'returned' },
  reversal: { nl: 'teruggedraaid', en: 'reversed' },
  refund: { nl: 'terugbetaald op verzoek van de debiteur (8 weken)', en: 'refunded at the debtor’s request (8 weeks)' },
  unauthorised: { nl: 'terugbetaald als niet geautoriseerd (13 maanden)', en: 'refunded as unauthorised (13 months)' },
};
