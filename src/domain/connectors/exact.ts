/**
 * Exact Online REST records → Vorder (pure). Sync endpoints (`/api/v1/{division}/sync/...`) return
 * OData JSON `{ d: { results: [...], __next } }`; each record has a `Timestamp` (a row version,
 * filtered as `Timestamp gt 123L`). Fields used:
 *   sync/CRM/Accounts: ID, Code, Name, Email, ChamberOfCommerce, VATNumber, AddressLine1,
 *     Postcode, City, Country, Timestamp
 *   sync/Cashflow/PaymentTerms: ID, Account, InvoiceNumber, InvoiceDate, DueDate, AmountDC,
 *     Currency, Description, PaymentReference, Status, Timestamp
 *   sync/Deleted: EntityKey, EntityType, Timestamp
 * The meaning of PaymentTerms.Status (20 = open; other values settled) and the sign of AmountDC
 * for sales entries could not be verified without a live division: see docs/connectors.md.
 */
import { decimalToCents, toIsoDate, type ExternalDebtor, type ExternalItem } from './types.ts';

export type ExactRecord = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

export function mapExactAccount(a: ExactRecord): ExternalDebtor {
  const id = String(a.ID);
  return {
    externalId: id,
    number: str(a.Code) ?? `EX${id.slice(0, 8)}`,
    name: str(a.Name) ?? `Exact-relatie ${id}`,
    emails: str(a.Email) ? [str(a.Email)!] : [],
    kvk: str(a.ChamberOfCommerce),
    vatNumber: str(a.VATNumber),
    addressLine: str(a.AddressLine1),
    postalCode: str(a.Postcode),
    city: str(a.City),
    country: str(a.Country),
    version: a.Timestamp === undefined ? null : String(a.Timestamp),
  };
}

/** Status 20 is an open term; anything else is settled in Exact. */
export const EXACT_OPEN_STATUS = 20;

export function mapExactPaymentTerm(t: ExactRecord): ExternalItem {
  const id = String(t.ID);
  const amount = decimalToCents(t.AmountDC, `PaymentTerm ${id} AmountDC`);
  const issueDate = toIsoDate(t.InvoiceDate, `PaymentTerm ${id} InvoiceDate`);
  const open = Number(t.Status) === EXACT_OPEN_STATUS;
  return {
    externalId: id,
    debtorExternalId: String(t.Account ?? ''),
    number: str(t.InvoiceNumber) ?? id,
    issueDate,
    dueDate: t.DueDate ? toIsoDate(t.DueDate, `PaymentTerm ${id} DueDate`) : issueDate,
    amountCents: amount,
    openCents: open ? amount : 0,
    currency: str(t.Currency) ?? 'EUR',
    description: str(t.Description),
    paymentReference: str(t.PaymentReference),
    status: open ? 'open' : amount < 0 ? 'credited' : 'paid',
    version: t.Timestamp === undefined ? null : String(t.Timestamp),
  };
}

/** The largest Timestamp on a page (the cursor for the next request). */
export function maxTimestamp(records: readonly ExactRecord[], prior: number): number {
  return records.reduce((m, r) => Math.max(m, Number(r.Timestamp) || 0), prior);
}

/** EntityType of sync/Deleted rows that concern Vorder (per Exact's documentation; unverified numbers). */
export const EXACT_DELETED_TYPES = { transactionLine: 1, account: 2 } as const;
