/**
 * Export of the debtor and item lists as they are filtered on screen, to CSV or XLSX. The rows are
 * read page by page with the list's own query (same filters, same order), so what is exported is
 * exactly what the list shows, up to EXPORT_MAX_ROWS.
 */
import type { Db } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { listDebtors, type DebtorFilter } from '../store/debtors.ts';
import { listItems, type ItemFilter } from '../store/items.ts';
import { listStatuses } from '../store/care.ts';
import { DEFAULT_STATUSES } from '../domain/care/statuses.ts';
import { sheetCsv, sheetXlsx, type SheetColumn, type SheetLocale, type SheetRow } from '../formats/sheet.ts';

export const EXPORT_MAX_ROWS = 200_000;
export type ExportFormat = 'csv' | 'xlsx';
export type ExportFile = { filename: string; contentType: string; body: Uint8Array; rows: number };

type Labelled = { key: string; kind: SheetColumn['kind']; nl: string; en: string };
const DEBTOR_COLUMNS: readonly Labelled[] = [
  { key: 'number', kind: 'text', nl: 'Nummer', en: 'Number' },
  { key: 'name', kind: 'text', nl: 'Naam', en: 'Name' },
  { key: 'type', kind: 'text', nl: 'Soort', en: 'Type' },
  { key: 'status', kind: 'text', nl: 'Status', en: 'Status' },
  { key: 'segment', kind: 'text', nl: 'Segment', en: 'Segment' },
  { key: 'balance', kind: 'money', nl: 'Saldo', en: 'Balance' },
  { key: 'overdue', kind: 'money', nl: 'Vervallen', en: 'Overdue' },
  { key: 'openItems', kind: 'int', nl: 'Open posten', en: 'Open items' },
  { key: 'onHold', kind: 'text', nl: 'Geblokkeerd', en: 'On hold' },
  { key: 'emails', kind: 'text', nl: 'E-mail', en: 'E-mail' },
  { key: 'phone', kind: 'text', nl: 'Telefoon', en: 'Phone' },
  { key: 'ibans', kind: 'text', nl: 'IBAN', en: 'IBAN' },
  { key: 'city', kind: 'text', nl: 'Plaats', en: 'City' },
];
const ITEM_COLUMNS: readonly Labelled[] = [
  { key: 'number', kind: 'text', nl: 'Nummer', en: 'Number' },
  { key: 'kind', kind: 'text', nl: 'Soort', en: 'Kind' },
  { key: 'debtorNumber', kind: 'text', nl: 'Debiteurnummer', en: 'Debtor number' },
  { key: 'debtorName', kind: 'text', nl: 'Debiteur', en: 'Debtor' },
  { key: 'issueDate', kind: 'date', nl: 'Factuurdatum', en: 'Issue date' },
  { key: 'dueDate', kind: 'date', nl: 'Vervaldatum', en: 'Due date' },
  { key: 'currency', kind: 'text', nl: 'Valuta', en: 'Currency' },
  { key: 'amount', kind: 'money', nl: 'Bedrag', en: 'Amount' },
  { key: 'open', kind: 'money', nl: 'Open', en: 'Open' },
  { key: 'paymentReference', kind: 'text', nl: 'Betalingskenmerk', en: 'Payment reference' },
  { key: 'onHold', kind: 'text', nl: 'Geblokkeerd', en: 'On hold' },
  { key: 'description', kind: 'text', nl: 'Omschrijving', en: 'Description' },
];
const WORDS = {
  business: { nl: 'Zakelijk', en: 'Business' }, consumer: { nl: 'Consument', en: 'Consumer' },
  invoice: { nl: 'Factuur', en: 'Invoice' }, credit_note: { nl: 'Creditnota', en: 'Credit note' }, unapplied_payment: { nl: 'Niet-toegewezen betaling', en: 'Unapplied payment' },
  yes: { nl: 'ja', en: 'yes' }, no: { nl: 'nee', en: 'no' },
} as const;
const word = (k: keyof typeof WORDS, lang: SheetLocale) => WORDS[k][lang];

async function collect<T>(page: (limit: number, offset: number) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 1000) {
    const rows = await page(1000, offset);
    out.push(...rows.slice(0, EXPORT_MAX_ROWS - out.length));
    if (rows.length < 1000 || out.length >= EXPORT_MAX_ROWS) return out;
  }
}

async function write(base: string, format: ExportFormat, lang: SheetLocale, columns: readonly Labelled[], rows: SheetRow[]): Promise<ExportFile> {
  const cols: SheetColumn[] = columns.map((c) => ({ key: c.key, kind: c.kind, header: c[lang] }));
  if (format === 'csv') return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: new TextEncoder().encode(sheetCsv(cols, rows, lang)), rows: rows.length };
  return { filename: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: await sheetXlsx(cols, rows, lang, base), rows: rows.length };
}

export async function exportDebtors(db: Db, admin: Administration, filter: Omit<DebtorFilter, 'limit' | 'offset'>, format: ExportFormat, lang: SheetLocale): Promise<ExportFile> {
  const statuses = await listStatuses(db, admin.id);
  const label = new Map<string, string>(DEFAULT_STATUSES.map((s) => [s.key, lang === 'nl' ? s.labelNl : s.labelEn]));
  for (const s of statuses) label.set(s.key, lang === 'nl' ? s.labelNl : s.labelEn);
  const debtors = await collect(async (limit, offset) => (await listDebtors(db, admin.id, { ...filter, limit, offset })).rows);
  const rows: SheetRow[] = debtors.map((d) => ({
    number: d.number, name: d.name, type: word(d.type, lang), status: label.get(d.status) ?? d.status, segment: d.segment,
    balance: d.balanceCents, overdue: d.overdueCents, openItems: d.openItems, onHold: word(d.onHold ? 'yes' : 'no', lang),
    emails: d.emails.join(', '), phone: d.phone, ibans: d.ibans.join(', '), city: d.city,
  }));
  return write(lang === 'nl' ? 'debiteuren' : 'debtors', format, lang, DEBTOR_COLUMNS, rows);
}

export async function exportItems(db: Db, admin: Administration, filter: Omit<ItemFilter, 'limit' | 'offset'>, format: ExportFormat, lang: SheetLocale): Promise<ExportFile> {
  const items = await collect(async (limit, offset) => (await listItems(db, admin.id, { ...filter, limit, offset, withTotal: false })).rows);
  const rows: SheetRow[] = items.map((i) => ({
    number: i.number, kind: word(i.kind, lang), debtorNumber: i.debtorNumber, debtorName: i.debtorName, issueDate: i.issueDate, dueDate: i.dueDate,
    currency: i.currency, amount: i.amountCents, open: i.openCents, paymentReference: i.paymentReference, onHold: word(i.onHold ? 'yes' : 'no', lang), description: i.description,
  }));
  return write(lang === 'nl' ? 'posten' : 'items', format, lang, ITEM_COLUMNS, rows);
}
