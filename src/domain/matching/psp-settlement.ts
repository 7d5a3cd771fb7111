/**
 * A payout of a payment service provider on the bank statement (pure). Mollie pays the payments
 * it collected out in one transfer per settlement; those payments are booked already, one by one,
 * from Mollie's webhook (app/psp.ts). So such an entry is the settlement of payments booked
 * already and must never be matched to invoices (that would book them twice).
 *
 * Recognised: a credit whose text (remittance, end-to-end id, info) carries a Mollie settlement
 * id (`stl_…`, `st_…`) or a settlement reference (`1234567.2112.01`), when the counterparty is
 * Stichting Mollie Payments — or, whoever the counterparty, a settlement id, which nothing but a
 * Mollie payout carries.
 */
export type SettlementLine = { cents: number; counterpartyName: string | null; remittance: string; endToEndId?: string | null; info?: string | null };

const SETTLEMENT_ID = /\b(stl?_[A-Za-z0-9]{5,40})\b/;
const SETTLEMENT_REF = /\b(\d{4,10}\.\d{4}\.\d{2})\b/;
const MOLLIE = /\bmollie\b/i;

/** The settlement id or reference this entry pays out, or null when it is not a provider payout. */
export function pspSettlementOf(line: SettlementLine): string | null {
  if (line.cents <= 0) return null;
  const text = [line.remittance, line.endToEndId ?? '', line.info ?? ''].join(' ');
  const id = SETTLEMENT_ID.exec(text)?.[1];
  if (id) return id;
  if (line.counterpartyName && MOLLIE.test(line.counterpartyName)) {
    const ref = SETTLEMENT_REF.exec(text)?.[1];
    if (ref) return ref;
  }
  return null;
}
