/**
 * CSV imports of the ledger: debtors and invoices, with canonical headers (Dutch aliases and a
 * column mapping for other CSVs). Pure: text in, validated rows or every problem by line/field out.
 *
 * debtors:  number,name,type,email,iban,language   (+ optional kvk, vat_number, phone, address,
 *           postal_code, city, country, payment_term_days, credit_limit)
 * invoices: debtor_number,number,issue_date,due_date,amount,currency,payment_reference
 *           (+ optional description). A negative amount is a credit note.
 */
import { currencyProblem, normaliseCurrency } from '../domain/currency.ts';
import { parseAmount } from '../domain/money.ts';
import { parseDate } from '../domain/dates.ts';
import { readCsv, type CsvRecord } from './csv.ts';

export type ImportProblem = { readonly line: number; readonly field?: string; readonly code: string; readonly message: string };

export type DebtorRow = {
  readonly line: number;
  readonly number: string;
  readonly name: string;
  readonly type: 'business' | 'consumer';
  readonly emails: string[];
  readonly ibans: string[];
  readonly language: 'nl' | 'en';
  readonly kvk: string | null;
  readonly vatNumber: string | null;
  readonly phone: string | null;
  readonly addressLine: string | null;
  readonly postalCode: string | null;
  readonly city: string | null;
  readonly country: string | null;
  readonly paymentTermDays: number | null;
  readonly creditLimitCents: number | null;
};

export type InvoiceRow = {
  readonly line: number;
  readonly debtorNumber: string;
  readonly number: string;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly cents: number;
  readonly currency: string;
  readonly paymentReference: string | null;
  readonly description: string | null;
};

export type ColumnMapping = Readonly<Record<string, string>>;

type FieldSpec = { readonly key: string; readonly required: boolean; readonly aliases: readonly string[] };

const DEBTOR_FIELDS: readonly FieldSpec[] = [
  { key: 'number', required: true, aliases: ['debtor_number', 'debiteurnummer', 'nummer', 'klantnummer', 'customer_number'] },
  { key: 'name', required: true, aliases: ['naam', 'bedrijfsnaam', 'company'] },
  { key: 'type', required: false, aliases: ['soort', 'kind'] },
  { key: 'email', required: false, aliases: ['e-mail', 'emails', 'mail'] },
  { key: 'iban', required: false, aliases: ['ibans', 'rekening', 'bankrekening'] },
  { key: 'language', required: false, aliases: ['taal', 'lang'] },
  { key: 'kvk', required: false, aliases: ['kvk_number', 'coc', 'kvk-nummer'] },
  { key: 'vat_number', required: false, aliases: ['btw', 'btw_nummer', 'vat'] },
  { key: 'phone', required: false, aliases: ['telefoon', 'tel'] },
  { key: 'address', required: false, aliases: ['adres', 'address_line', 'street'] },
  { key: 'postal_code', required: false, aliases: ['postcode', 'zip'] },
  { key: 'city', required: false, aliases: ['plaats', 'woonplaats'] },
  { key: 'country', required: false, aliases: ['land'] },
  { key: 'payment_term_days', required: false, aliases: ['betalingstermijn', 'payment_term'] },
  { key: 'credit_limit', required: false, aliases: ['kredietlimiet'] },
];

const INVOICE_FIELDS: readonly FieldSpec[] = [
  { key: 'debtor_number', required: true, aliases: ['debiteurnummer', 'debtor', 'klantnummer', 'customer_number'] },
  { key: 'number', required: true, aliases: ['invoice_number', 'factuurnummer', 'nummer'] },
  { key: 'issue_date', required: true, aliases: ['factuurdatum', 'date', 'datum', 'invoice_date'] },
  { key: 'due_date', required: true, aliases: ['vervaldatum', 'due'] },
  { key: 'amount', required: true, aliases: ['bedrag', 'total', 'totaal'] },
  { key: 'currency', required: false, aliases: ['valuta'] },
  { key: 'payment_reference', required: false, aliases: ['betalingskenmerk', 'reference', 'kenmerk'] },
  { key: 'description', required: false, aliases: ['omschrijving', 'description'] },
];

const norm = (h: string): string => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Resolve which column holds which field: explicit mapping (field → header) first, then names/aliases. */
function resolveColumns(header: string[], specs: readonly FieldSpec[], mapping: ColumnMapping | undefined): { cols: Map<string, number>; problems: ImportProblem[] } {
  const cols = new Map<string, number>();
  const problems: ImportProblem[] = [];
  const normalized = header.map(norm);
  for (const spec of specs) {
    const wanted = mapping?.[spec.key];
    let idx = -1;
    if (wanted !== undefined) {
      idx = normalized.indexOf(norm(wanted));
      if (idx < 0) problems.push({ line: 1, field: spec.key, code: 'mapping_unknown_column', message: `the mapping names column "${wanted}" for ${spec.key}, but the header has no such column` });
    } else {
      idx = normalized.indexOf(spec.key);
      if (idx < 0) idx = normalized.findIndex((h) => spec.aliases.map(norm).includes(h));
    }
    if (idx >= 0) cols.set(spec.key, idx);
    else if (spec.required && wanted === undefined)
      problems.push({ line: 1, field: spec.key, code: 'missing_column', message: `the header has no column "${spec.key}" (found: ${header.join(', ')})` });
  }
  return { cols, problems };
}

function getter(rec: CsvRecord, cols: Map<string, number>) {
  return (key: string): string => {
    const i = cols.get(key);
    return i === undefined ? '' : (rec.fields[i] ?? '').trim();
  };
}

/** Guess the decimal mark of a whole file: '1.234,56' and '12,50' style → ','. */
function decimalMarkOf(values: string[]): '.' | ',' | 'auto' {
  let comma = 0, dot = 0;
  for (const v of values.slice(0, 1000)) {
    if (/,\d{1,2}$/.test(v)) comma++;
    else if (/\.\d{1,2}$/.test(v)) dot++;
  }
  return comma > dot ? ',' : dot > comma ? '.' : 'auto';
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

export function parseDebtorsCsv(input: string | Uint8Array, opts: { mapping?: ColumnMapping; isValidIban?: (s: string) => boolean; normalizeIban?: (s: string) => string } = {}): { ok: true; rows: DebtorRow[] } | { ok: false; problems: ImportProblem[] } {
  const csv = readCsv(input);
  if (!csv.ok) return { ok: false, problems: [{ line: csv.error.line, code: csv.error.code, message: csv.error.message }] };
  const { cols, problems } = resolveColumns(csv.table.header, DEBTOR_FIELDS, opts.mapping);
  if (problems.length) return { ok: false, problems };
  const rows: DebtorRow[] = [];
  const seen = new Map<string, number>();
  const normIban = opts.normalizeIban ?? ((s: string) => s.replace(/\s+/g, '').toUpperCase());
  for (const rec of csv.table.records) {
    const get = getter(rec, cols);
    const p = (field: string, code: string, message: string) => problems.push({ line: rec.line, field, code, message });
    const number = get('number');
    const name = get('name');
    if (!number) p('number', 'required', 'number is empty');
    else if (seen.has(number)) p('number', 'duplicate', `debtor ${number} appears twice (also on line ${seen.get(number)})`);
    else seen.set(number, rec.line);
    if (!name) p('name', 'required', 'name is empty');
    const typeRaw = get('type').toLowerCase();
    let type: 'business' | 'consumer' = 'business';
    if (['consumer', 'particulier', 'consument', 'private', 'b2c'].includes(typeRaw)) type = 'consumer';
    else if (typeRaw && !['business', 'zakelijk', 'bedrijf', 'company', 'b2b'].includes(typeRaw)) p('type', 'invalid', `type must be business or consumer, not "${typeRaw}"`);
    const emails = get('email').split(/[;,\s]+/).filter(Boolean);
    for (const e of emails) if (!EMAIL.test(e)) p('email', 'invalid', `"${e}" is not an email address`);
    const ibans = get('iban').split(/[;,]+/).map((s) => normIban(s)).filter(Boolean);
    for (const iban of ibans) if (opts.isValidIban && !opts.isValidIban(iban)) p('iban', 'invalid', `"${iban}" is not a valid IBAN`);
    const langRaw = get('language').toLowerCase();
    let language: 'nl' | 'en' = 'nl';
    if (['en', 'english', 'engels'].includes(langRaw)) language = 'en';
    else if (langRaw && !['nl', 'dutch', 'nederlands'].includes(langRaw)) p('language', 'invalid', `language must be nl or en, not "${langRaw}"`);
    const termRaw = get('payment_term_days');
    let paymentTermDays: number | null = null;
    if (termRaw) {
      if (!/^\d{1,3}$/.test(termRaw) || Number(termRaw) > 365) p('payment_term_days', 'invalid', `payment term must be 0–365 days, not "${termRaw}"`);
      else paymentTermDays = Number(termRaw);
    }
    const limitRaw = get('credit_limit');
    let creditLimitCents: number | null = null;
    if (limitRaw) {
      const a = parseAmount(limitRaw);
      if (!a.ok || a.cents < 0) p('credit_limit', 'invalid', a.ok ? 'credit limit cannot be negative' : a.error);
      else creditLimitCents = a.cents;
    }
    const opt = (k: string) => get(k) || null;
    rows.push({ line: rec.line, number, name, type, emails, ibans, language, kvk: opt('kvk'), vatNumber: opt('vat_number'), phone: opt('phone'), addressLine: opt('address'), postalCode: opt('postal_code'), city: opt('city'), country: opt('country')?.toUpperCase() ?? null, paymentTermDays, creditLimitCents });
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}

export function parseInvoicesCsv(input: string | Uint8Array, opts: { mapping?: ColumnMapping; defaultCurrency?: string } = {}): { ok: true; rows: InvoiceRow[] } | { ok: false; problems: ImportProblem[] } {
  const csv = readCsv(input);
  if (!csv.ok) return { ok: false, problems: [{ line: csv.error.line, code: csv.error.code, message: csv.error.message }] };
  const { cols, problems } = resolveColumns(csv.table.header, INVOICE_FIELDS, opts.mapping);
  if (problems.length) return { ok: false, problems };
  const amountCol = cols.get('amount')!;
  const decimal = decimalMarkOf(csv.table.records.map((r) => (r.fields[amountCol] ?? '').trim()));
  const rows: InvoiceRow[] = [];
  const seen = new Map<string, number>();
  const MAX_PROBLEMS = 1000;
  for (const rec of csv.table.records) {
    if (problems.length >= MAX_PROBLEMS) break;
    const get = getter(rec, cols);
    const p = (field: string, code: string, message: string) => problems.push({ line: rec.line, field, code, message });
    const debtorNumber = get('debtor_number');
    const number = get('number');
    if (!debtorNumber) p('debtor_number', 'required', 'debtor_number is empty');
    if (!number) p('number', 'required', 'number is empty');
    else if (seen.has(number)) p('number', 'duplicate', `invoice ${number} appears twice (also on line ${seen.get(number)})`);
    else seen.set(number, rec.line);
    const issue = parseDate(get('issue_date'));
    if (!issue.ok) p('issue_date', 'invalid', issue.error);
    const due = parseDate(get('due_date'));
    if (!due.ok) p('due_date', 'invalid', due.error);
    if (issue.ok && due.ok && due.date < issue.date) p('due_date', 'invalid', `due date ${due.date} is before issue date ${issue.date}`);
    const amount = parseAmount(get('amount'), { decimal });
    if (!amount.ok) p('amount', 'invalid', amount.error);
    const written = get('currency') || opts.defaultCurrency || 'EUR';
    const currency = normaliseCurrency(written) ?? written;
    if (!normaliseCurrency(written)) p('currency', 'invalid', currencyProblem(written));
    const ref = get('payment_reference').replace(/\s+/g, '');
    if (issue.ok && due.ok && amount.ok && number && debtorNumber)
      rows.push({ line: rec.line, debtorNumber, number, issueDate: issue.date, dueDate: due.date, cents: amount.cents, currency, paymentReference: ref || null, description: get('description') || null });
  }
  if (problems.length >= MAX_PROBLEMS) problems.push({ line: 0, code: 'too_many_problems', message: `stopped after ${MAX_PROBLEMS} problems` });
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}
