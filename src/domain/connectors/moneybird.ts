/**
 * Moneybird API v2 records → Vorder (pure). Field names follow developer.moneybird.com:
 * contacts (id, customer_id, company_name, firstname, lastname, email, send_invoices_to_email,
 * chamber_of_commerce, tax_number, address1, zipcode, city, country, version) and sales_invoices
 * (id, contact_id, invoice_id, invoice_date, due_date, currency, state, total_price_incl_tax,
 * total_unpaid, payment_reference, reference, version). States: draft, scheduled, open,
 * pending_payment, reminded, late, paid, uncollectible.
 */
import { decimalToCents, toIsoDate, type ExternalDebtor, type ExternalItem, type ExternalStatus } from './types.ts';

export type MoneybirdContact = Record<string, unknown> & { id: string | number };
export type MoneybirdInvoice = Record<string, unknown> & { id: string | number };

/** States of an invoice that has been sent and is not settled. */
export const MONEYBIRD_OPEN_STATES = ['open', 'pending_payment', 'reminded', 'late'] as const;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

export function mapMoneybirdContact(c: MoneybirdContact): ExternalDebtor {
  const person = [str(c.firstname), str(c.lastname)].filter(Boolean).join(' ');
  const name = str(c.company_name) ?? (person || `Moneybird-contact ${c.id}`);
  const emails = [...new Set([str(c.send_invoices_to_email), str(c.email)].filter((e): e is string => !!e).flatMap((e) => e.split(/[,;]\s*/)))];
  return {
    externalId: String(c.id),
    number: str(c.customer_id) ?? `MB${c.id}`,
    name,
    emails,
    kvk: str(c.chamber_of_commerce),
    vatNumber: str(c.tax_number),
    addressLine: [str(c.address1), str(c.address2)].filter(Boolean).join(', ') || null,
    postalCode: str(c.zipcode),
    city: str(c.city),
    country: str(c.country),
    version: c.version === undefined || c.version === null ? null : String(c.version),
  };
}

/** null for drafts and scheduled invoices: they are not receivables yet. */
export function mapMoneybirdInvoice(inv: MoneybirdInvoice): ExternalItem | null {
  const state = String(inv.state ?? '');
  if (state === 'draft' || state === 'scheduled' || !inv.invoice_id) return null;
  const amount = decimalToCents(inv.total_price_incl_tax, `sales_invoice ${inv.id} total_price_incl_tax`);
  const unpaid = decimalToCents(inv.total_unpaid ?? inv.total_price_incl_tax, `sales_invoice ${inv.id} total_unpaid`);
  let status: ExternalStatus;
  if ((MONEYBIRD_OPEN_STATES as readonly string[]).includes(state)) status = 'open';
  else if (state === 'paid') status = 'paid';
  else if (state === 'uncollectible') status = 'credited';
  else throw new Error(`sales_invoice ${inv.id}: unknown state "${state}"`);
  const issueDate = toIsoDate(inv.invoice_date, `sales_invoice ${inv.id} invoice_date`);
  return {
    externalId: String(inv.id),
    debtorExternalId: String(inv.contact_id ?? (inv.contact as { id?: unknown } | undefined)?.id ?? ''),
    number: String(inv.invoice_id),
    issueDate,
    dueDate: inv.due_date ? toIsoDate(inv.due_date, `sales_invoice ${inv.id} due_date`) : issueDate,
    amountCents: amount,
    openCents: status === 'open' ? unpaid : 0,
    currency: str(inv.currency) ?? 'EUR',
    description: str(inv.reference),
    paymentReference: str(inv.payment_reference),
    status,
    version: inv.version === undefined || inv.version === null ? null : String(inv.version),
  };
}
