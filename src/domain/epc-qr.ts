/**
 * EPC QR code payload ("GiroCode", EPC069-12), LEGAL.md section 8. Builds and parses the text that
 * goes into the QR code (error correction level M is the renderer's job). Pure, no I/O.
 *
 * Layout (one element per line, LF): BCD / version / character set / SCT / BIC / name / IBAN /
 * EUR amount / purpose / structured reference / unstructured text / beneficiary-to-originator info.
 * Structured OR unstructured remittance, never both; trailing empty elements are omitted and the
 * payload never ends with a separator [VERIFY against EPC069-12 v3.0, LEGAL.md 12.5]; at most 331 bytes.
 */
import { assertCents, formatCents, type Cents } from './money.ts';
import { isValidIban, isValidRf, normalizeIban } from './references.ts';

export const EPC_MAX_BYTES = 331;
export const EPC_MAX_CENTS = 99_999_999_999;

export class EpcQrError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`EPC QR ${field}: ${message}`);
    this.name = 'EpcQrError';
  }
}

export type EpcQrInput = {
  /** BIC of the beneficiary's bank: 8 or 11 characters; required for version 001 only. */
  bic?: string;
  /** Beneficiary name, 1..70 characters. */
  name: string;
  iban: string;
  /** Amount in cents, 0.01 .. 999,999,999.99; omit for an open amount. */
  cents?: Cents;
  /** ISO 20022 purpose code, 4 characters (e.g. 'CHAR', 'GDDS'). */
  purpose?: string;
  /** Structured creditor reference, 1..35 (RF recommended; an RF reference must be valid). */
  structuredRef?: string;
  /** Unstructured remittance text, 1..140. */
  text?: string;
  /** Beneficiary-to-originator information, 1..70. */
  info?: string;
  /** Default '002'. */
  version?: '001' | '002';
};

export type EpcQrData = {
  version: '001' | '002';
  /** 1 = UTF-8, 2 = ISO 8859-1, … 8 = ISO 8859-15. */
  charset: number;
  bic: string | null;
  name: string;
  iban: string;
  cents: Cents | null;
  purpose: string | null;
  structuredRef: string | null;
  text: string | null;
  info: string | null;
};

const BIC_RE = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const PURPOSE_RE = /^[A-Z0-9]{4}$/;

const utf8Length = (s: string) => new TextEncoder().encode(s).length;
const charLength = (s: string) => [...s].length;

function checkText(field: string, value: string, max: number): void {
  if (/[\r\n]/.test(value)) throw new EpcQrError(field, 'must not contain line breaks');
  const n = charLength(value);
  if (n < 1) throw new EpcQrError(field, 'must not be empty');
  if (n > max) throw new EpcQrError(field, `${n} characters, at most ${max} allowed`);
}

/** Check the semantic rules shared by building and parsing. */
function validate(d: EpcQrData): void {
  if (d.version !== '001' && d.version !== '002') throw new EpcQrError('version', `must be 001 or 002, not "${String(d.version)}"`);
  if (!Number.isInteger(d.charset) || d.charset < 1 || d.charset > 8) throw new EpcQrError('character set', `must be 1..8, not "${d.charset}"`);
  if (d.bic === null) {
    if (d.version === '001') throw new EpcQrError('BIC', 'is required in version 001');
  } else if (!BIC_RE.test(d.bic)) throw new EpcQrError('BIC', `"${d.bic}" is not a BIC of 8 or 11 characters`);
  checkText('name', d.name, 70);
  if (d.iban.length < 5 || d.iban.length > 34 || !isValidIban(d.iban)) throw new EpcQrError('IBAN', `"${d.iban}" is not a valid IBAN`);
  if (d.cents !== null) {
    assertCents(d.cents);
    if (d.cents < 1 || d.cents > EPC_MAX_CENTS) throw new EpcQrError('amount', `must be between EUR0.01 and EUR999999999.99, not ${formatCents(d.cents)}`);
  }
  if (d.purpose !== null && !PURPOSE_RE.test(d.purpose)) throw new EpcQrError('purpose', `"${d.purpose}" is not a 4-character purpose code`);
  if (d.structuredRef !== null && d.text !== null) throw new EpcQrError('remittance', 'give a structured reference or an unstructured text, not both');
  if (d.structuredRef !== null) {
    checkText('structured reference', d.structuredRef, 35);
    if (/^RF\d{2}/i.test(d.structuredRef) && !isValidRf(d.structuredRef))
      throw new EpcQrError('structured reference', `"${d.structuredRef}" is not a valid ISO 11649 RF reference`);
  }
  if (d.text !== null) checkText('text', d.text, 140);
  if (d.info !== null) checkText('information', d.info, 70);
}

function serialise(d: EpcQrData): string {
  const lines = [
    'BCD',
    d.version,
    String(d.charset),
    'SCT',
    d.bic ?? '',
    d.name,
    d.iban,
    d.cents === null ? '' : `EUR${formatCents(d.cents)}`,
    d.purpose ?? '',
    d.structuredRef ?? '',
    d.text ?? '',
    d.info ?? '',
  ];
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/** Build the payload text. Throws `EpcQrError` naming the offending field. */
export function epcQrPayload(input: EpcQrInput): string {
  const opt = (s: string | undefined) => (s === undefined || s === '' ? null : s);
  const data: EpcQrData = {
    version: input.version ?? '002',
    charset: 1,
    bic: opt(input.bic?.replace(/\s+/g, '').toUpperCase()),
    name: input.name.trim(),
    iban: normalizeIban(input.iban),
    cents: input.cents ?? null,
    purpose: opt(input.purpose),
    structuredRef: opt(input.structuredRef?.trim()),
    text: opt(input.text?.trim()),
    info: opt(input.info?.trim()),
  };
  validate(data);
  const payload = serialise(data);
  const bytes = utf8Length(payload);
  if (bytes > EPC_MAX_BYTES) throw new EpcQrError('payload', `${bytes} bytes, at most ${EPC_MAX_BYTES} allowed (shorten the text or name)`);
  return payload;
}

/**
 * Parse and validate a payload. Accepts LF or CR LF separators and one trailing line break (as in a
 * text file). The byte limit is checked on the UTF-8 encoding of the given string.
 */
export function parseEpcQrPayload(s: string): EpcQrData {
  const body = s.replace(/\r?\n$/, '');
  const bytes = utf8Length(body);
  if (bytes > EPC_MAX_BYTES) throw new EpcQrError('payload', `${bytes} bytes, at most ${EPC_MAX_BYTES} allowed`);
  const lines = body.split(/\r?\n/);
  if (lines.length < 7) throw new EpcQrError('payload', `only ${lines.length} lines, at least 7 required`);
  if (lines.length > 12) throw new EpcQrError('payload', `${lines.length} lines, at most 12 allowed`);
  const at = (i: number) => lines[i] ?? '';
  const opt = (i: number) => (at(i) === '' ? null : at(i));
  if (at(0) !== 'BCD') throw new EpcQrError('service tag', `must be BCD, not "${at(0)}"`);
  if (at(3) !== 'SCT') throw new EpcQrError('identification', `must be SCT, not "${at(3)}"`);
  if (!/^[1-8]$/.test(at(2))) throw new EpcQrError('character set', `must be 1..8, not "${at(2)}"`);
  let cents: Cents | null = null;
  if (at(7) !== '') {
    const m = /^EUR(\d{1,9})(?:\.(\d{1,2}))?$/.exec(at(7));
    if (!m) throw new EpcQrError('amount', `"${at(7)}" is not EUR followed by an amount with "." as decimal separator`);
    cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  }
  const data: EpcQrData = {
    version: at(1) as '001' | '002',
    charset: Number(at(2)),
    bic: opt(4),
    name: at(5),
    iban: at(6),
    cents,
    purpose: opt(8),
    structuredRef: opt(9),
    text: opt(10),
    info: opt(11),
  };
  validate(data);
  return data;
}
