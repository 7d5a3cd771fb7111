/**
 * The one entry point for bank statements: detect the format from the bytes (and the file name)
 * and hand over to its parser. Pure.
 */
import type { FormatError, ParseResult, StatementFile, StatementFormat } from '../domain/bank-statement.ts';
import { parseCamt053 } from './camt053.ts';
import { parseMt940 } from './mt940.ts';
import { parseCoda } from './coda.ts';
import { parseBankCsv, type BankCsvMapping } from './bank-csv.ts';
import { decodeBytes } from './encoding.ts';

export const MAX_STATEMENT_BYTES = 100 * 1024 * 1024;

export function detectStatementFormat(content: Uint8Array, filename = ''): StatementFormat | null {
  const head = new TextDecoder('latin1').decode(content.subarray(0, 4096)).replace(/^\uFEFF|^ï»¿/, '').trimStart();
  if (head.startsWith('<')) return /BkToCstmrStmt|camt\.053/.test(head) ? 'camt053' : null;
  // CODA: fixed 128-character records, the first one starting with '0000'.
  if ((/^0000\d/.test(head) && head.split(/\r?\n/)[0]!.trimEnd().length >= 120) || /\.(cod|coda)$/i.test(filename)) return 'coda';
  if (/^(\{1:|:20:|:940:|ABNANL2A|0000 ?\d|:\d\d[A-Z]?:)/m.test(head.slice(0, 200)) || /^:20:/m.test(head)) return 'mt940';
  if (/\.(csv|txt)$/i.test(filename) || /[;,\t]/.test(head.split(/\r?\n/)[0] ?? '')) return 'bank-csv';
  return null;
}

/**
 * Problems that make a file inconsistent rather than unreadable: opening balance + entries ≠
 * closing balance, balances in two currencies, an MT940 statement without its closing balance
 * (a cut-off file). The file is refused unless the user accepts it (`acceptUnbalanced`, the
 * CLI's `--accept-unbalanced`); then they stay warnings on the import.
 */
export const INTEGRITY_CODES: ReadonlySet<string> = new Set(['balance_mismatch', 'balance_currency_mismatch', 'mt940_no_closing_balance']);

export type StatementParseOptions = { format?: StatementFormat; csvMapping?: BankCsvMapping; acceptUnbalanced?: boolean };

export function parseStatementFile(content: Uint8Array, filename = '', opts: StatementParseOptions = {}): ParseResult<StatementFile> {
  if (content.byteLength > MAX_STATEMENT_BYTES) return fail('statement_too_large', `${filename || 'the file'} is ${content.byteLength} bytes; the limit is ${MAX_STATEMENT_BYTES}`);
  // One decoding for every format: UTF-16 and Windows-1252 files are read as such (with a warning),
  // undecodable bytes refuse the file naming the encoding; the parsers then see UTF-8.
  const dec = decodeBytes(content);
  if (!dec.ok) return { ok: false, errors: [{ code: 'statement_encoding', message: `${filename || 'the file'}: ${dec.message}`, ...(dec.line ? { line: dec.line } : {}) }] };
  const bytes = dec.encoding === 'utf-8' ? content : new TextEncoder().encode(dec.text);
  const parsed = parseByFormat(bytes, filename, opts);
  const r: ParseResult<StatementFile> = parsed.ok && dec.warnings.length ? { ...parsed, warnings: [...dec.warnings, ...parsed.warnings] } : parsed;
  if (!r.ok || opts.acceptUnbalanced) return r;
  const integrity = r.warnings.filter((w) => INTEGRITY_CODES.has(w.code));
  return integrity.length ? { ok: false, errors: integrity } : r;
}

function parseByFormat(content: Uint8Array, filename: string, opts: StatementParseOptions): ParseResult<StatementFile> {
  if (content.byteLength > MAX_STATEMENT_BYTES) return fail('statement_too_large', `${filename || 'the file'} is ${content.byteLength} bytes; the limit is ${MAX_STATEMENT_BYTES}`);
  if (content.byteLength === 0) return fail('statement_empty', `${filename || 'the file'} is empty`);
  const format = opts.format ?? detectStatementFormat(content, filename);
  switch (format) {
    case 'camt053':
      return parseCamt053(content);
    case 'mt940':
      return parseMt940(content);
    case 'coda':
      return parseCoda(content);
    case 'bank-csv':
      return parseBankCsv(content, opts.csvMapping);
    default:
      return fail('statement_unknown_format', `${filename || 'the file'} is not a bank statement Vorder reads (CAMT.053, MT940, CODA or a bank CSV)`);
  }
}

function fail(code: string, message: string): ParseResult<StatementFile> {
  const e: FormatError = { code, message };
  return { ok: false, errors: [e] };
}
