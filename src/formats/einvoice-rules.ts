/**
 * EN 16931 business rules that can be checked on what Vorder reads from a UBL or CII e-invoice
 * (the full rule sets are the Schematron files of CEN/TC 434, Peppol and SI-UBL; these are their
 * core, in TypeScript). Pure.
 *
 * - Arithmetic (BR-CO-16: amount due = total with VAT − paid amount + rounding; BR-CO-10 on the
 *   lines: the sum of the line net amounts is not more than the total without VAT plus charges is
 *   not checked, as allowances and charges are not read): when it fails, the amounts are not sound
 *   and the invoice is refused.
 * - Required information (BR-01 … BR-16): when it fails, the invoice is imported, marked, so that
 *   a person can ask the seller for a correct one.
 */
import type { UblDocument } from './ubl.ts';

export type RuleFinding = { readonly rule: string; readonly severity: 'fatal' | 'error' | 'warning'; readonly field: string; readonly message: string };

/** A payable rounding amount (BT-114) is less than one unit: a larger difference is an error in the sums. */
const MAX_ROUNDING_CENTS = 99;

export function checkBusinessRules(doc: UblDocument): RuleFinding[] {
  const out: RuleFinding[] = [];
  const need = (ok: boolean, rule: string, field: string, message: string) => {
    if (!ok) out.push({ rule, severity: 'error', field, message });
  };
  need(!!doc.customization, 'BR-01', 'CustomizationID', 'an invoice shall have a specification identifier (BT-24)');
  need(!!doc.number, 'BR-02', 'ID', 'an invoice shall have an invoice number (BT-1)');
  need(!!doc.issueDate, 'BR-03', 'IssueDate', 'an invoice shall have an issue date (BT-2)');
  need(!!doc.typeCode, 'BR-04', 'InvoiceTypeCode', 'an invoice shall have an invoice type code (BT-3)');
  need(!!doc.currency, 'BR-05', 'DocumentCurrencyCode', 'an invoice shall have a currency code (BT-5)');
  need(!!doc.seller.name, 'BR-06', 'AccountingSupplierParty', "an invoice shall contain the seller's name (BT-27)");
  need(!!doc.buyer.name, 'BR-07', 'AccountingCustomerParty', "an invoice shall contain the buyer's name (BT-44)");
  need(doc.lines.length > 0, 'BR-16', 'InvoiceLine', 'an invoice shall have at least one invoice line (BG-25)');
  need(doc.taxExclusiveCents !== null, 'BR-13', 'LegalMonetaryTotal/TaxExclusiveAmount', 'an invoice shall have the total amount without VAT (BT-109)');
  need(doc.taxInclusiveCents !== null, 'BR-14', 'LegalMonetaryTotal/TaxInclusiveAmount', 'an invoice shall have the total amount with VAT (BT-112)');
  if (doc.taxInclusiveCents !== null) {
    const expected = doc.taxInclusiveCents - (doc.prepaidCents ?? 0);
    const diff = doc.payableCents - expected;
    if (Math.abs(diff) > MAX_ROUNDING_CENTS)
      out.push({ rule: 'BR-CO-16', severity: 'fatal', field: 'LegalMonetaryTotal/PayableAmount', message: `amount due ${fmt(doc.payableCents)} ≠ total with VAT ${fmt(doc.taxInclusiveCents)} − paid ${fmt(doc.prepaidCents ?? 0)} (+ rounding): the amounts are not sound` });
  }
  if (doc.taxExclusiveCents !== null && doc.taxInclusiveCents !== null && Math.sign(doc.taxExclusiveCents) * Math.sign(doc.taxInclusiveCents) < 0)
    out.push({ rule: 'BR-CO-15', severity: 'fatal', field: 'LegalMonetaryTotal/TaxInclusiveAmount', message: `total with VAT ${fmt(doc.taxInclusiveCents)} and total without VAT ${fmt(doc.taxExclusiveCents)} have opposite signs` });
  return out;
}

function fmt(c: number): string {
  const s = Math.abs(c);
  return `${c < 0 ? '-' : ''}${Math.floor(s / 100)}.${String(s % 100).padStart(2, '0')}`;
}
