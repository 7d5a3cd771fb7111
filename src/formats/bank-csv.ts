/**
 * Bank CSV exports (the "download transactions" button of internet banking) read with a column
 * mapping. Pure: text or bytes in, `StatementFile` out.
 *
 * Built-in mappings, chosen from the first line by `detectBankCsvMapping`:
 *  - ING ("Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij","Bedrag (EUR)",
 *    "Mutatiesoort","Mededelingen"[, "Saldo na mutatie","Tag"]), `,` or `;` separated;
 *  - ASN (no header, `,` separated, 19+ columns: boekingsdatum, own IBAN, counter IBAN, name, address,
 *    postcode, city, currency, balance before, currency, amount, journal date, value date, internal
 *    code, global code, sequence number, betalingskenmerk, 'description', statement number);
 *  - Rabobank ("IBAN/BBAN","Munt","BIC","Volgnr","Datum","Rentedatum","Bedrag","Saldo na trn", …).
 * A user can pass any other mapping: columns by header name (case-insensitive) or 0-based index.
 *
 * The CSV reader: separator detected (`,` `;` tab), BOM stripped, quoted fields with embedded
 * separators, doubled quotes and newlines; bytes decoded as UTF-8, or latin1 when not valid UTF-8.
 * Amounts are integer cents (decimal comma or point). Errors name line and column (1-based).
 */
import type { Balance, BankEntry, BankStatement, FormatError, ParseResult, StatementFile } from '../domain/bank-statement.ts';
import { parseAmount } from '../domain/money.ts';
import { isIsoDate } from '../domain/dates.ts';
import { decodeBankText, ibanOrNull, bicOrNull, interpret86, structuredRef } from './mt940.ts';

/** A column: its header name (matched case-insensitively, trimmed) or its 0-based index. */
export type BankCsvColumn = string | number;

export type BankCsvMapping = {
  /** Shown in messages, e.g. 'ing'. */
  readonly name?: string;
  /** Whether the first record is a header (required when columns are given by name). */
  readonly header: boolean;
  /** Field separator; detected from the first line when absent. */
  readonly separator?: ',' | ';' | '\t';
  /** Quote character; '"' unless told (ASN quotes its description with '). */
  readonly quote?: '"' | "'";
  /** Booking date. */
  readonly date: BankCsvColumn;
  readonly valueDate?: BankCsvColumn;
  /** 'auto' (default) accepts YYYY-MM-DD, YYYYMMDD, DD-MM-YYYY and DD/MM/YYYY (never MM/DD). */
  readonly dateFormat?: 'auto' | 'YYYYMMDD' | 'YYYY-MM-DD' | 'DD-MM-YYYY';
  /** Signed amount, or the absolute amount when `sign` is given. Alternative: `debit` + `credit`. */
  readonly amount?: BankCsvColumn;
  /** Separate debit and credit amount columns (one of them filled per row). */
  readonly debit?: BankCsvColumn;
  readonly credit?: BankCsvColumn;
  /** Debit/credit indicator column: Af/Bij, D/C, Debet/Credit, DBIT/CRDT, -/+. */
  readonly sign?: BankCsvColumn;
  /** Decimal mark of amounts; 'auto' by default. */
  readonly decimal?: ',' | '.' | 'auto';
  readonly currency?: BankCsvColumn;
  /** Currency when there is no currency column (default EUR). */
  readonly defaultCurrency?: string;
  readonly counterpartyName?: BankCsvColumn;
  readonly counterpartyIban?: BankCsvColumn;
  readonly counterpartyBic?: BankCsvColumn;
  /** Description: one column, or several joined with a space. */
  readonly description?: BankCsvColumn | readonly BankCsvColumn[];
  /** The own account (one statement per own account). */
  readonly ownAccount?: BankCsvColumn;
  /** The bank's transaction id (becomes entryRef; an all-zero value counts as absent). */
  readonly reference?: BankCsvColumn;
  /** Betalingskenmerk / RF creditor reference. */
  readonly structuredReference?: BankCsvColumn;
  readonly endToEndId?: BankCsvColumn;
  readonly mandateId?: BankCsvColumn;
  readonly bankCode?: BankCsvColumn;
  readonly returnReason?: BankCsvColumn;
  /** Balance before / after the row: gives the statement's opening and closing balance. */
  readonly balanceBefore?: BankCsvColumn;
  readonly balanceAfter?: BankCsvColumn;
  /** Lines before the header (Knab writes 'KNAB EXPORT' first). */
  readonly skipLines?: number;
  /** The description holds what an MT940 :86: holds (ABN AMRO TAB: '/TRTP/…/IBAN/…/NAME/…/REMI/…'): read name, IBAN and references from it. */
  readonly descriptionIs86?: boolean;
};

export const ING_CSV_MAPPING: BankCsvMapping = {
  name: 'ing',
  header: true,
  date: 'Datum',
  dateFormat: 'YYYYMMDD',
  amount: 'Bedrag (EUR)',
  sign: 'Af Bij',
  decimal: ',',
  counterpartyName: 'Naam / Omschrijving',
  counterpartyIban: 'Tegenrekening',
  description: 'Mededelingen',
  ownAccount: 'Rekening',
  bankCode: 'Code',
};

export const ASN_CSV_MAPPING: BankCsvMapping = {
  name: 'asn',
  header: false,
  separator: ',',
  quote: "'",
  date: 0,
  dateFormat: 'DD-MM-YYYY',
  ownAccount: 1,
  counterpartyIban: 2,
  counterpartyName: 3,
  balanceBefore: 8,
  currency: 9,
  amount: 10,
  decimal: '.',
  valueDate: 12,
  bankCode: 14,
  reference: 15,
  structuredReference: 16,
  description: 17,
};

export const RABOBANK_CSV_MAPPING: BankCsvMapping = {
  name: 'rabobank',
  header: true,
  date: 'Datum',
  dateFormat: 'YYYY-MM-DD',
  valueDate: 'Rentedatum',
  amount: 'Bedrag',
  decimal: ',',
  currency: 'Munt',
  ownAccount: 'IBAN/BBAN',
  reference: 'Volgnr',
  counterpartyIban: 'Tegenrekening IBAN/BBAN',
  counterpartyName: 'Naam tegenpartij',
  counterpartyBic: 'BIC tegenpartij',
  bankCode: 'Code',
  endToEndId: 'Transactiereferentie',
  mandateId: 'Machtigingskenmerk',
  structuredReference: 'Betalingskenmerk',
  description: ['Omschrijving-1', 'Omschrijving-2', 'Omschrijving-3'],
  returnReason: 'Reden retour',
  balanceAfter: 'Saldo na trn',
};

/** Knab: a 'KNAB EXPORT' line, then a header; `;`, dates DD-MM-YYYY, decimal comma, C/D column. */
export const KNAB_CSV_MAPPING: BankCsvMapping = {
  name: 'knab', header: true, skipLines: 1, date: 'Transactiedatum', dateFormat: 'DD-MM-YYYY', valueDate: 'Valutadatum', amount: 'Bedrag', sign: 'CreditDebet', decimal: ',',
  currency: 'Valutacode', ownAccount: 'Rekeningnummer', counterpartyIban: 'Tegenrekeningnummer', counterpartyName: 'Tegenrekeninghouder', description: 'Omschrijving',
  mandateId: 'Machtigingsnummer', reference: 'Referentie',
};

/** ABN AMRO TAB (.TAB): no header, tabs: account, currency, date YYYYMMDD, balance before, after, value date, signed amount, description (MT940-like). */
export const ABNAMRO_TAB_MAPPING: BankCsvMapping = {
  name: 'abnamro-tab', header: false, separator: '\t', ownAccount: 0, currency: 1, date: 2, dateFormat: 'YYYYMMDD', balanceBefore: 3, balanceAfter: 4, valueDate: 5, amount: 6, decimal: ',', description: 7, descriptionIs86: true,
};

/** Triodos: no header, `,`: date DD-MM-YYYY, own account, amount, Debet/Credit, counterparty name, counterparty account, code, description[, balance]. */
export const TRIODOS_CSV_MAPPING: BankCsvMapping = {
  name: 'triodos', header: false, separator: ',', date: 0, dateFormat: 'DD-MM-YYYY', ownAccount: 1, amount: 2, sign: 3, decimal: ',', counterpartyName: 4, counterpartyIban: 5, bankCode: 6, description: 7,
};

/** bunq: header "Date";"Interest Date";"Amount";"Account";"Counterparty";"Name";"Description"; signed amounts. */
export const BUNQ_CSV_MAPPING: BankCsvMapping = {
  name: 'bunq', header: true, date: 'Date', dateFormat: 'YYYY-MM-DD', valueDate: 'Interest Date', amount: 'Amount', decimal: 'auto', ownAccount: 'Account', counterpartyIban: 'Counterparty', counterpartyName: 'Name', description: 'Description',
};

// ---------------------------------------------------------------------------------------------
// CSV reading

type Row = { line: number; fields: string[] };

function detectSeparator(firstLine: string, quote: string): ',' | ';' | '\t' {
  let best: ',' | ';' | '\t' = ',';
  let bestN = 0;
  for (const sep of [',', ';', '\t'] as const) {
    let n = 0;
    let q = false;
    for (const ch of firstLine) {
      if (ch === quote) q = !q;
      else if (!q && ch === sep) n++;
    }
    if (n > bestN) {
      best = sep;
      bestN = n;
    }
  }
  return best;
}

/** RFC 4180 records; a quote opens a quoted field only at the start of a field. */
function readRecords(text: string, sep: string, quote: string): { ok: true; rows: Row[] } | { ok: false; error: FormatError } {
  const rows: Row[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === quote) {
        const col = fields.length + 1;
        i++;
        for (;;) {
          const k = text.indexOf(quote, i);
          if (k < 0)
            return { ok: false, error: { code: 'csv_unclosed_quote', message: `line ${start}, column ${col}: a quoted field is never closed`, line: start, column: col } };
          const chunk = text.slice(i, k);
          for (const ch of chunk) if (ch === '\n') line++;
          value += chunk;
          if (text[k + 1] === quote) {
            value += quote;
            i = k + 2;
          } else {
            i = k + 1;
            break;
          }
        }
        // tolerate junk between the closing quote and the separator (rare, but seen)
        while (i < n && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
      } else {
        while (i < n && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
      }
      fields.push(value);
      if (i < n && text[i] === sep) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (!(fields.length === 1 && fields[0]!.trim() === '')) rows.push({ line: start, fields });
  }
  return { ok: true, rows };
}

// ---------------------------------------------------------------------------------------------
// Detection

function firstLineOf(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const k = t.search(/\r?\n/);
  return k < 0 ? t : t.slice(0, k);
}

function headerCells(line: string): string[] {
  const sep = detectSeparator(line, '"');
  return line.split(sep).map((c) => c.trim().replace(/^"|"$/g, '').trim().toLowerCase());
}

/** The built-in mapping that fits the file's first line, or null. */
export function detectBankCsvMapping(text: string): BankCsvMapping | null {
  const line = firstLineOf(text);
  const cells = headerCells(line);
  const has = (...names: string[]): boolean => names.every((n) => cells.includes(n.toLowerCase()));
  if (has('Datum', 'Naam / Omschrijving', 'Af Bij') && cells.some((c) => c.startsWith('bedrag'))) {
    const amount = cells.includes('bedrag (eur)') ? 'Bedrag (EUR)' : 'Bedrag';
    const withBalance = cells.includes('saldo na mutatie');
    return { ...ING_CSV_MAPPING, amount, ...(withBalance ? { balanceAfter: 'Saldo na mutatie' } : {}) };
  }
  if (has('IBAN/BBAN', 'Munt', 'Volgnr', 'Datum', 'Bedrag')) return RABOBANK_CSV_MAPPING;
  if (has('Date', 'Interest Date', 'Amount', 'Counterparty', 'Name', 'Description')) return BUNQ_CSV_MAPPING;
  if (/^\W*KNAB EXPORT/i.test(line)) {
    const second = text.split(/\r?\n/)[1] ?? '';
    const c2 = headerCells(second);
    if (['transactiedatum', 'creditdebet', 'bedrag'].every((n) => c2.includes(n))) return KNAB_CSV_MAPPING;
  }
  if (['transactiedatum', 'creditdebet', 'bedrag', 'tegenrekeninghouder'].every((n) => cells.includes(n))) return { ...KNAB_CSV_MAPPING, skipLines: 0 };
  const tab = line.split('\t');
  if (tab.length >= 8 && /^[A-Z]{3}$/.test(tab[1]!.trim()) && /^\d{8}$/.test(tab[2]!.trim()) && /^\d{8}$/.test(tab[5]!.trim())) return ABNAMRO_TAB_MAPPING;
  if (/^"?\d{2}-\d{2}-\d{4}"?,"?[A-Z]{2}\d{2}[A-Z0-9 ]{8,30}"?,"?-?[\d.,]+"?,"?(debet|credit)"?,/i.test(line)) return TRIODOS_CSV_MAPPING;
  const asn = line.split(',');
  if (asn.length >= 18 && /^\d{2}-\d{2}-\d{4}$/.test(asn[0]!.trim()) && ibanOrNull(asn[1]) && /^[A-Z]{3}$/.test(asn[7]!.trim())) return ASN_CSV_MAPPING;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function parseCsvDate(s: string, format: BankCsvMapping['dateFormat']): string | null {
  const v = s.trim();
  let m: RegExpExecArray | null;
  let iso: string | null = null;
  if ((format === 'YYYYMMDD' || format === 'auto' || !format) && (m = /^(\d{4})(\d{2})(\d{2})$/.exec(v))) iso = `${m[1]}-${m[2]}-${m[3]}`;
  else if ((format === 'YYYY-MM-DD' || format === 'auto' || !format) && (m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v)))
    iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  else if ((format === 'DD-MM-YYYY' || format === 'auto' || !format) && (m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(v)))
    iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return iso && isIsoDate(iso) ? iso : null;
}

/** +1 for credit, -1 for debit, null when not recognised. */
function signOf(s: string): 1 | -1 | null {
  const v = s.trim().toLowerCase();
  if (['bij', 'c', 'cr', 'credit', 'crdt', '+', 'af-bij:bij'].includes(v)) return 1;
  if (['af', 'd', 'dr', 'debet', 'debit', 'dbit', '-'].includes(v)) return -1;
  return null;
}

function unquoteSingle(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith("'") && t.endsWith("'") ? t.slice(1, -1) : t;
}

type Resolved = { [K in keyof BankCsvMapping]?: number | number[] };

export function parseBankCsv(input: string | Uint8Array, mapping?: BankCsvMapping): ParseResult<StatementFile> {
  const text = decodeBankText(input);
  if (text.trim() === '') return { ok: false, errors: [{ code: 'csv_empty', message: 'the file is empty', line: 1 }] };
  const map = mapping ?? detectBankCsvMapping(text);
  if (!map)
    return {
      ok: false,
      errors: [{ code: 'bank_csv_unknown_layout', message: 'line 1: the columns do not match a known bank export (ING, Rabobank, ABN AMRO TAB, ASN/SNS/RegioBank, Knab, Triodos, bunq); give a column mapping (vorder import statement --map)', line: 1 }],
    };
  const quote = map.quote ?? '"';
  const sep = map.separator ?? detectSeparator(firstLineOf(text), quote);
  const read = readRecords(text, sep, quote);
  if (!read.ok) return { ok: false, errors: [read.error] };
  const rows = read.rows.slice(map.skipLines ?? 0);
  if (rows.length === 0) return { ok: false, errors: [{ code: 'csv_empty', message: 'the file is empty', line: 1 }] };

  // Resolve columns to indexes.
  const errors: FormatError[] = [];
  const warnings: FormatError[] = [];
  const header = map.header ? rows[0]!.fields.map((h) => h.trim().toLowerCase()) : null;
  const data = map.header ? rows.slice(1) : rows;
  const resolve = (key: keyof BankCsvMapping, col: BankCsvColumn): number | null => {
    if (typeof col === 'number') return col;
    if (!header) {
      errors.push({ code: 'bank_csv_mapping', message: `mapping ${String(key)}: column "${col}" is given by name but the file has no header`, field: String(key) });
      return null;
    }
    const k = header.indexOf(col.trim().toLowerCase());
    if (k < 0) errors.push({ code: 'bank_csv_missing_column', message: `line 1: there is no column "${col}" (for ${String(key)})`, line: 1, field: String(key) });
    return k < 0 ? null : k;
  };
  const cols: Resolved = {};
  for (const key of Object.keys(map) as (keyof BankCsvMapping)[]) {
    if (['name', 'header', 'separator', 'quote', 'dateFormat', 'decimal', 'defaultCurrency', 'skipLines', 'descriptionIs86'].includes(key)) continue;
    const v = map[key] as BankCsvColumn | readonly BankCsvColumn[] | undefined;
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      const idx = (v as readonly BankCsvColumn[]).map((c) => resolve(key, c));
      if (idx.every((x) => x !== null)) (cols as Record<string, unknown>)[key] = idx;
    } else {
      const idx = resolve(key, v as BankCsvColumn);
      if (idx !== null) (cols as Record<string, unknown>)[key] = idx;
    }
  }
  if (map.date === undefined || (map.amount === undefined && (map.debit === undefined || map.credit === undefined)))
    errors.push({ code: 'bank_csv_mapping', message: 'the mapping needs a date column and an amount column (or debit and credit columns)' });
  if (errors.length) return { ok: false, errors };

  const decimal = map.decimal ?? 'auto';
  type Acc = { account: string | null; rows: { entry: BankEntry; before: number | null; after: number | null; line: number }[] };
  const groups = new Map<string, Acc>();

  for (const row of data) {
    const get = (key: keyof BankCsvMapping): string | null => {
      const idx = cols[key];
      if (idx === undefined) return null;
      if (Array.isArray(idx)) {
        const parts = idx.map((i) => unquoteSingle(row.fields[i] ?? '')).filter((p) => p.trim() !== '');
        return parts.join(' ');
      }
      const v = row.fields[idx as number];
      return v === undefined ? null : unquoteSingle(v);
    };
    const colOf = (key: keyof BankCsvMapping): number => {
      const idx = cols[key];
      return (Array.isArray(idx) ? idx[0]! : (idx as number)) + 1;
    };
    const fail = (key: keyof BankCsvMapping, message: string): void => {
      const column = colOf(key);
      errors.push({ code: 'bank_csv_bad_value', message: `line ${row.line}, column ${column}: ${message}`, line: row.line, column, field: String(key) });
    };
    const needed = Math.max(...Object.values(cols).flatMap((v) => (Array.isArray(v) ? v : [v as number])));
    if (row.fields.length <= needed) {
      errors.push({ code: 'bank_csv_short_row', message: `line ${row.line}: ${row.fields.length} columns, expected at least ${needed + 1}`, line: row.line, column: row.fields.length + 1 });
      continue;
    }
    const dateRaw = get('date') ?? '';
    const bookingDate = parseCsvDate(dateRaw, map.dateFormat);
    if (!bookingDate) {
      fail('date', `not a date: "${dateRaw}"`);
      continue;
    }
    let valueDate: string | null = null;
    const vRaw = get('valueDate');
    if (vRaw && vRaw.trim() !== '') {
      valueDate = parseCsvDate(vRaw, map.dateFormat);
      if (!valueDate) warnings.push({ code: 'bank_csv_bad_value_date', message: `line ${row.line}, column ${colOf('valueDate')}: not a date: "${vRaw}"`, line: row.line, column: colOf('valueDate') });
    }
    // Amount
    let cents: number | null = null;
    if (cols.amount !== undefined) {
      const raw = get('amount') ?? '';
      const a = parseAmount(raw, { decimal });
      if (!a.ok) {
        fail('amount', a.error);
        continue;
      }
      cents = a.cents;
      if (cols.sign !== undefined) {
        const sRaw = get('sign') ?? '';
        const s = signOf(sRaw);
        if (s === null) {
          fail('sign', `not a debit/credit indicator: "${sRaw}" (expected Af/Bij, D/C, Debet/Credit)`);
          continue;
        }
        cents = s * Math.abs(cents);
      }
    } else {
      const d = (get('debit') ?? '').trim();
      const c = (get('credit') ?? '').trim();
      const da = d === '' ? null : parseAmount(d, { decimal });
      const ca = c === '' ? null : parseAmount(c, { decimal });
      if (da && !da.ok) {
        fail('debit', da.error);
        continue;
      }
      if (ca && !ca.ok) {
        fail('credit', ca.error);
        continue;
      }
      cents = (ca?.ok ? Math.abs(ca.cents) : 0) - (da?.ok ? Math.abs(da.cents) : 0);
    }
    if (cents === 0) cents = 0; // no -0
    const balance = (key: 'balanceBefore' | 'balanceAfter'): number | null => {
      const raw = get(key);
      if (raw === null || raw.trim() === '') return null;
      const b = parseAmount(raw, { decimal });
      if (!b.ok) {
        warnings.push({ code: 'bank_csv_bad_balance', message: `line ${row.line}, column ${colOf(key)}: ${b.error}`, line: row.line, column: colOf(key) });
        return null;
      }
      return b.cents;
    };
    const description = (get('description') ?? '').replace(/\s+/g, ' ').trim();
    let ref = (get('reference') ?? '').trim();
    if (/^0*$/.test(ref)) ref = '';
    const sref = (get('structuredReference') ?? '').trim();
    const e2e = (get('endToEndId') ?? '').trim();
    const currency = ((get('currency') ?? '').trim().toUpperCase() || map.defaultCurrency || 'EUR').slice(0, 3);
    if (!valueDate) {
      // ING puts the value date in the description: "Valutadatum: 13-02-2020".
      const m = /Valutadatum:\s*(\d{2}-\d{2}-\d{4})/.exec(description);
      if (m) valueDate = parseCsvDate(m[1]!, 'DD-MM-YYYY');
    }
    const info86 = map.descriptionIs86 ? interpret86([description]) : null;
    const entry: BankEntry = {
      entryRef: ref || null,
      txIndex: 0,
      txCount: 1,
      bookingDate,
      valueDate,
      cents,
      currency,
      reversal: false,
      counterpartyName: (get('counterpartyName') ?? '').replace(/\s+/g, ' ').trim() || info86?.counterpartyName || null,
      counterpartyIban: ibanOrNull(get('counterpartyIban')) ?? info86?.counterpartyIban ?? null,
      counterpartyBic: bicOrNull(get('counterpartyBic')) ?? info86?.counterpartyBic ?? null,
      structuredRef: sref ? structuredRef(sref, /^RF\d{2}/i.test(sref) ? 'ISO' : /^\d{7,16}$/.test(sref.replace(/\s+/g, '')) ? 'CUR' : null) : (info86?.structuredRef ?? null),
      endToEndId: e2e && e2e.toUpperCase() !== 'NOTPROVIDED' ? e2e : (info86?.endToEndId ?? null),
      mandateId: (get('mandateId') ?? '').trim() || info86?.mandateId || null,
      remittance: info86 ? info86.remittance : description,
      bankCode: (get('bankCode') ?? '').trim() || null,
      returnReason: (get('returnReason') ?? '').trim() || null,
      info: null,
    };
    const own = (get('ownAccount') ?? '').trim();
    const key = own.replace(/\s+/g, '').toUpperCase();
    const acc = groups.get(key) ?? { account: own || null, rows: [] };
    acc.rows.push({ entry, before: balance('balanceBefore'), after: balance('balanceAfter'), line: row.line });
    groups.set(key, acc);
  }
  if (errors.length) return { ok: false, errors };
  if (groups.size === 0) return { ok: false, errors: [{ code: 'csv_empty', message: 'the file has no transactions', line: 1 }] };

  const statements: BankStatement[] = [...groups.values()].map((acc) => {
    const { opening, closing } = balances(acc.rows);
    const currency = acc.rows[0]?.entry.currency ?? null;
    const iban = ibanOrNull(acc.account);
    return {
      format: 'bank-csv',
      statementId: null,
      accountIban: iban,
      accountId: iban ? null : acc.account,
      currency,
      openingBalance: opening,
      closingBalance: closing,
      entries: acc.rows.map((r) => r.entry),
    };
  });
  return { ok: true, value: { format: 'bank-csv', statements }, warnings };
}

/**
 * Opening and closing balance from "balance before" or "balance after" columns. Exports come
 * oldest-first (ASN) or newest-first (ING); the order is taken from the running balance itself.
 */
function balances(rows: readonly { entry: BankEntry; before: number | null; after: number | null }[]): { opening: Balance | null; closing: Balance | null } {
  if (rows.length === 0) return { opening: null, closing: null };
  const currency = rows[0]!.entry.currency;
  const withBefore = rows.every((r) => r.before !== null);
  const withAfter = rows.every((r) => r.after !== null);
  if (!withBefore && !withAfter) return { opening: null, closing: null };
  const after = (r: (typeof rows)[number]): number => (withAfter ? r.after! : r.before! + r.entry.cents);
  const before = (r: (typeof rows)[number]): number => (withBefore ? r.before! : r.after! - r.entry.cents);
  const chain = (list: typeof rows): boolean => list.every((r, i) => i === 0 || before(r) === after(list[i - 1]!));
  let ordered: typeof rows;
  if (chain(rows)) ordered = rows;
  else if (chain([...rows].reverse())) ordered = [...rows].reverse();
  else {
    const asc = rows[0]!.entry.bookingDate <= rows[rows.length - 1]!.entry.bookingDate;
    ordered = asc ? rows : [...rows].reverse();
  }
  const first = ordered[0]!;
  const last = ordered[ordered.length - 1]!;
  return {
    opening: { date: first.entry.bookingDate, cents: before(first), currency },
    closing: { date: last.entry.bookingDate, cents: after(last), currency },
  };
}

// ---------------------------------------------------------------------------------------------
// A mapping written on the command line

const MAP_KEYS: Record<string, keyof BankCsvMapping> = {
  date: 'date', valuedate: 'valueDate', amount: 'amount', debit: 'debit', credit: 'credit', sign: 'sign', currency: 'currency',
  name: 'counterpartyName', counterpartyname: 'counterpartyName', iban: 'counterpartyIban', counterpartyiban: 'counterpartyIban', bic: 'counterpartyBic', counterpartybic: 'counterpartyBic',
  description: 'description', account: 'ownAccount', ownaccount: 'ownAccount', reference: 'reference', structuredreference: 'structuredReference', kenmerk: 'structuredReference',
  endtoendid: 'endToEndId', mandateid: 'mandateId', bankcode: 'bankCode', returnreason: 'returnReason', balancebefore: 'balanceBefore', balanceafter: 'balanceAfter',
};

/**
 * A mapping from `key=Column,key=Column` (`--map` of `vorder import statement`): columns by header
 * name, or by position as `#3` (1-based) for files without a header; `description` may name
 * several columns joined with `+`; options `dateFormat=DD-MM-YYYY`, `decimal=comma|point`,
 * `separator=semicolon|comma|tab`, `currency=USD` when no column holds it (`defaultCurrency`).
 */
export function parseBankCsvMap(spec: string): { ok: true; mapping: BankCsvMapping } | { ok: false; error: FormatError } {
  const bad = (message: string): { ok: false; error: FormatError } => ({ ok: false, error: { code: 'bank_csv_mapping', message, field: 'map' } });
  const cols: Record<string, BankCsvColumn | BankCsvColumn[]> = {};
  let byPosition = false, byName = false;
  const opts: { dateFormat?: BankCsvMapping['dateFormat']; decimal?: BankCsvMapping['decimal']; separator?: BankCsvMapping['separator']; defaultCurrency?: string } = {};
  const col = (v: string): BankCsvColumn => {
    const m = /^#(\d+)$/.exec(v);
    if (m) {
      byPosition = true;
      return Number(m[1]) - 1;
    }
    byName = true;
    return v;
  };
  for (const pair of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return bad(`"${pair}" is not key=column`);
    const key = pair.slice(0, eq).trim().toLowerCase().replace(/[-_\s]/g, '');
    const value = pair.slice(eq + 1).trim();
    if (!value) return bad(`${key} has no column`);
    if (key === 'dateformat') {
      if (!['auto', 'YYYYMMDD', 'YYYY-MM-DD', 'DD-MM-YYYY'].includes(value)) return bad(`dateFormat ${value}: use YYYYMMDD, YYYY-MM-DD or DD-MM-YYYY`);
      opts.dateFormat = value as BankCsvMapping['dateFormat'];
    } else if (key === 'decimal') {
      const d = ({ comma: ',', point: '.', dot: '.', auto: 'auto' } as const)[value.toLowerCase() as 'comma'];
      if (!d) return bad(`decimal ${value}: use comma or point`);
      opts.decimal = d;
    } else if (key === 'separator') {
      const s = ({ semicolon: ';', comma: ',', tab: '\t' } as const)[value.toLowerCase() as 'comma'];
      if (!s) return bad(`separator ${value}: use semicolon, comma or tab`);
      opts.separator = s;
    } else if (key === 'currency' && /^[A-Z]{3}$/.test(value)) {
      // three capitals: a currency code, not a column name (a column would rarely be called "EUR")
      opts.defaultCurrency = value;
    } else {
      const k = MAP_KEYS[key];
      if (!k) return bad(`unknown key "${pair.slice(0, eq).trim()}"; use ${[...new Set(Object.keys(MAP_KEYS))].join(', ')}`);
      cols[k] = key === 'description' && value.includes('+') ? value.split('+').map((v) => col(v.trim())) : col(value);
    }
  }
  if (cols.date === undefined) return bad('the mapping needs date=<column>');
  if (cols.amount === undefined && (cols.debit === undefined || cols.credit === undefined)) return bad('the mapping needs amount=<column> (or debit= and credit=)');
  if (byPosition && byName) return bad('give every column by name or every column by position (#n), not both');
  return { ok: true, mapping: { name: 'custom', header: !byPosition, ...opts, ...(cols as unknown as Omit<BankCsvMapping, 'header'>) } as BankCsvMapping };
}
