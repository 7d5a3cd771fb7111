/**
 * Invoice numbers as payers type them: 'F2026-00123', 'factuur 2026/00123', 'INV 202600123',
 * 'fact.nr. F2026-123'. Both sides (our numbers and the candidates found in free text) are reduced
 * to the same *keys*, so the store can index them (a text[] column with a GIN index) and the
 * engine can look them up with a Map. Keys carry their strength as a prefix:
 *
 *   P:F202600123  exact: upper case, separators removed, letter prefix kept
 *   S:202600123   letter prefix ('F', 'INV', 'C') dropped
 *   Z:2026.123    each digit group without leading zeros ('F2026-123', 'F-000123' ↔ '123')
 *   L:123         only the last digit group (the weakest: use only when unambiguous)
 */
import { normalizeReference } from '../references.ts';

export type InvoiceKeyStrength = 'P' | 'S' | 'Z' | 'L';

const STRENGTH_ORDER: Record<InvoiceKeyStrength, number> = { P: 0, S: 1, Z: 2, L: 3 };

export function keyStrength(key: string): InvoiceKeyStrength {
  return key[0] as InvoiceKeyStrength;
}

export function compareKeyStrength(a: InvoiceKeyStrength, b: InvoiceKeyStrength): number {
  return STRENGTH_ORDER[a] - STRENGTH_ORDER[b];
}

/** All lookup keys of one invoice number (or of one candidate found in text), strongest first. */
export function invoiceNumberKeys(number: string): string[] {
  const up = number.toUpperCase();
  const full = up.replace(/[^A-Z0-9]/g, '');
  if (!/\d/.test(full)) return [];
  const stripped = up.replace(/^[^0-9]*/, '').replace(/[^A-Z0-9]/g, '');
  const groups = up.replace(/^[^0-9]*/, '').split(/[^0-9]+/).filter((g) => g !== '');
  const keys = [`P:${full}`, `S:${stripped}`];
  const zero = groups.map((g) => g.replace(/^0+(?=\d)/, '')).join('.');
  keys.push(`Z:${zero}`);
  if (groups.length > 1) {
    const last = groups[groups.length - 1]!.replace(/^0+(?=\d)/, '');
    if (last.length >= 2) keys.push(`L:${last}`);
  }
  return [...new Set(keys)];
}

/** Amounts ('1.234,56', '121.00'), dates and IBANs are not invoice numbers: blank them out first. */
const NOT_NUMBERS = [
  /\b[A-Z]{2}\d{2}[A-Z]{4}\d{7,10}\b/g, // IBAN
  /(?<![\d.,])\d{1,3}(?:\.\d{3})*,\d{2}(?![\d,])/g, // 1.234,56
  /(?<![\d.,])\d+\.\d{2}(?![\d.])/g, // 121.00
  /(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?![\d/.-])/g, // 22-11-2026
  /(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)/g, // 2026-11-22
];

const TOKEN = /(?:(?<![A-Z0-9])([A-Z]{1,4})[-.]?)?(?<!\d)(\d+(?:[-/.]\d+)*)(?!\d)/g;

/**
 * Candidate invoice numbers in free text, as written (upper case), e.g.
 * 'Factuur F2026-00123 en 2026/00124, 121,00' → ['F2026-00123', '2026/00124'].
 * Tokens of three or more digit groups also yield their contiguous two-group parts
 * ('2026-00123/2026-00124' → '2026-00123', '2026-00124').
 */
export function extractInvoiceNumberCandidates(text: string): string[] {
  let s = text.toUpperCase();
  for (const re of NOT_NUMBERS) s = s.replace(re, ' ');
  s = s.replace(/(?<!\d)\d{16}(?!\d)/g, ' '); // betalingskenmerk, found by findReferencesInText
  const out = new Set<string>();
  // A space where the invoice has a separator ('2026 01175' for 2026/01175 or 2026-01175, as MT940
  // narrows '/' and mobile apps type it): a year followed by a number of three to six digits.
  for (const m of s.matchAll(/(?<![A-Z0-9])(?:([A-Z]{1,4})[-.]? ?)?((?:19|20)\d{2}) (\d{3,6})(?![\d])/g)) out.add(`${m[1] ?? ''}${m[2]}-${m[3]}`);
  for (const m of s.matchAll(TOKEN)) {
    const prefix = m[1] ?? '';
    const body = m[2]!;
    const digits = body.replace(/\D/g, '');
    if (digits.length < 3) continue;
    out.add(prefix ? `${prefix}${body}` : body);
    const groups = body.split(/[-/.]/);
    if (groups.length >= 3) {
      for (let i = 0; i + 1 < groups.length; i++) out.add(`${groups[i]}-${groups[i + 1]}`);
    }
  }
  return [...out];
}

/**
 * Structured references hidden in free text: a 16-digit betalingskenmerk (also written in groups
 * of four) and RF creditor references. Returned normalised (digits only / upper case, no spaces).
 */
export function findReferencesInText(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?<![\d])(\d{4}[ .]?\d{4}[ .]?\d{4}[ .]?\d{4})(?![\d])/g)) out.add(m[1]!.replace(/\D/g, ''));
  for (const m of text.toUpperCase().matchAll(/(?<![A-Z0-9])RF\s?(\d{2})((?:\s?[0-9A-Z]){1,21})/g)) out.add(`RF${m[1]}${m[2]!.replace(/\s/g, '')}`);
  return [...out];
}

/** Normalised form of a structured reference: digits only for a betalingskenmerk, upper case without spaces for RF. */
export function normaliseStructuredRef(value: string, issuer: 'CUR' | 'ISO' | null = null): string {
  const up = normalizeReference(value).replace(/[^A-Z0-9]/g, '');
  if (issuer === 'CUR' || (issuer === null && /^\d[\d\s.-]*$/.test(value.trim()))) return up.replace(/\D/g, '');
  return up;
}
