/**
 * The pre-notification of a SEPA direct debit (EPC SDD rulebook; LEGAL.md 9.5): the debtor is told
 * the amount and the collection date, at least the agreed number of calendar days before (default
 * 14), with the mandate id and the creditor identifier. Pure: text in the debtor's language.
 */
import { addDays, formatDateNl, type IsoDate } from '../dates.ts';
import { formatMoney } from '../money.ts';

export type PreNotification = {
  creditorName: string; creditorId: string; mandateId: string; debtorName: string; iban: string; date: IsoDate; totalCents: number; items: readonly { number: string; amountCents: number }[];
};

/** The last day the notice may go out for a collection on `date`. */
export function preNotificationDeadline(date: IsoDate, days: number): IsoDate {
  return addDays(date, -days);
}

export function preNotificationMail(n: PreNotification, lang: 'nl' | 'en'): { subject: string; text: string } {
  const lines = n.items.map((i) => `  ${i.number}  ${formatMoney(i.amountCents)}`).join('\n');
  const last4 = n.iban.slice(-4);
  if (lang === 'en')
    return {
      subject: `Direct debit of ${formatMoney(n.totalCents).replace('€ ', 'EUR ')} on ${n.date}`,
      text: `Dear ${n.debtorName},\n\nOn ${n.date} ${n.creditorName} will collect ${formatMoney(n.totalCents).replace('€ ', 'EUR ')} by SEPA direct debit from your account ending in ${last4}, for:\n${lines}\n\nMandate reference: ${n.mandateId}\nCreditor identifier: ${n.creditorId}\n\nPlease make sure the amount is available. If you disagree with the debit, let us know before that date.\n\nKind regards,\n${n.creditorName}\n`,
    };
  return {
    subject: `Automatische incasso van ${formatMoney(n.totalCents)} op ${formatDateNl(n.date)}`,
    text: `Beste ${n.debtorName},\n\nOp ${formatDateNl(n.date)} incasseert ${n.creditorName} ${formatMoney(n.totalCents)} van uw rekening eindigend op ${last4}, voor:\n${lines}\n\nKenmerk machtiging: ${n.mandateId}\nIncassant ID: ${n.creditorId}\n\nWilt u zorgen dat het bedrag beschikbaar is? Bent u het niet eens met de incasso, laat het ons dan vóór die datum weten.\n\nMet vriendelijke groet,\n${n.creditorName}\n`,
  };
}
