/**
 * Payment references and account identifiers: Dutch betalingskenmerk ("CUR"), ISO 11649 RF creditor
 * reference ("ISO"), IBAN and SEPA creditor identifier. Pure functions, no I/O.
 * Rules and vectors: LEGAL.md sections 6 (betalingskenmerk), 7 (RF), 9.4 (creditor identifier).
 */

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/**
 * Canonical form of a reference for matching: whitespace and dots removed, upper case.
 * `'RF18 5390 0754 7034'` → `'RF18539007547034'`, `'5000.0567.8901.2345'` → `'5000056789012345'`.
 */
export function normalizeReference(s: string): string {
  return s.replace(/[\s.]+/g, '').toUpperCase();
}

/** Groups of four separated by a single space (the printed form of IBAN and RF). */
function groupsOf4(s: string): string {
  return s.replace(/(.{4})(?=.)/g, '$1 ');
}

/** ISO 7064 MOD 97-10 remainder of an alphanumeric string, letters A=10 … Z=35. */
function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) r = (r * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) r = (r * 100 + (code - 55)) % 97;
    else throw new RangeError(`not alphanumeric: "${ch}"`);
  }
  return r;
}

/** Two ISO 7064 MOD 97-10 check digits for `body` followed by `prefix` + "00". Always 02..98. */
function mod97Check(body: string, prefix: string): string {
  return String(98 - mod97(body + prefix + '00')).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------
// Betalingskenmerk (LEGAL.md section 6)
// ---------------------------------------------------------------------------------------------

/** Weights 2,4,8,5,10,9,7,3,6,1 assigned from the rightmost digit leftwards, repeating. */
const KENMERK_WEIGHTS = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1] as const;

/** Weighted sum A mod 11 over `digits` (everything after the check digit C). */
export function betalingskenmerkResidue(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += d * KENMERK_WEIGHTS[i % 10]!;
  }
  return sum % 11;
}

/** C = 11 − (A mod 11); 10 → 1; 11 → 0 (section 6.1). */
function kenmerkCheckDigit(digits: string): number {
  const c = 11 - betalingskenmerkResidue(digits);
  return c === 11 ? 0 : c === 10 ? 1 : c;
}

/**
 * Valid lengths: 7 (no check digit), 9–14 (C + L + N, L = number of digits after L mod 10) and
 * 16 (C + 15 N). 8 and 15 digits are not allowed. Spaces and dots are ignored.
 */
export function isValidBetalingskenmerk(s: string): boolean {
  const k = normalizeReference(s);
  if (!/^\d+$/.test(k)) return false;
  const n = k.length;
  if (n === 7) return true;
  if (n === 16) return kenmerkCheckDigit(k.slice(1)) === Number(k[0]);
  if (n >= 9 && n <= 14) {
    if (Number(k[1]) !== (n - 2) % 10) return false;
    return kenmerkCheckDigit(k.slice(1)) === Number(k[0]);
  }
  return false;
}

/**
 * Build a betalingskenmerk from its digits N. A 15-digit body gives the recommended 16-digit form
 * C + N; a body of 7–12 digits gives C + L + N (9–14 digits). Other lengths are refused.
 */
export function makeBetalingskenmerk(body: string): string {
  if (!/^\d+$/.test(body)) throw new RangeError(`betalingskenmerk body must be digits: "${body}"`);
  if (body.length === 15) return `${kenmerkCheckDigit(body)}${body}`;
  if (body.length >= 7 && body.length <= 12) {
    const withLength = `${body.length % 10}${body}`;
    return `${kenmerkCheckDigit(withLength)}${withLength}`;
  }
  throw new RangeError(`betalingskenmerk body must have 15 digits (or 7–12): "${body}" has ${body.length}`);
}

// ---------------------------------------------------------------------------------------------
// ISO 11649 RF creditor reference (LEGAL.md section 7)
// ---------------------------------------------------------------------------------------------

/** `RF` + 2 check digits + 1..21 of [0-9A-Z]. Spaces are ignored and lower case is accepted. */
export function isValidRf(s: string): boolean {
  const r = s.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(r)) return false;
  const cc = r.slice(2, 4);
  if (cc === '00' || cc === '01' || cc === '99') return false; // never produced by MOD 97-10
  return mod97(r.slice(4) + r.slice(0, 4)) === 1;
}

/** `'539007547034'` → `'RF18539007547034'`. The body must be 1..21 of [0-9A-Z] (spaces ignored). */
export function makeRf(body: string): string {
  const b = body.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-Z]{1,21}$/.test(b)) throw new RangeError(`RF reference body must be 1–21 characters 0-9/A-Z: "${body}"`);
  return `RF${mod97Check(b, 'RF')}${b}`;
}

/** `'RF18539007547034'` → `'RF18 5390 0754 7034'`. */
export function formatRf(s: string): string {
  return groupsOf4(s.replace(/\s+/g, '').toUpperCase());
}

// ---------------------------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------------------------

/**
 * IBAN length per country (SWIFT IBAN registry). Covers all SEPA countries (EU/EEA, CH, GB, GI, MC,
 * SM, VA, AD, AL, MD, ME, MK, RS) and the other registry countries.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** Upper case, all whitespace removed: `'nl91 abna 0417 1643 00'` → `'NL91ABNA0417164300'`. */
export function normalizeIban(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/**
 * Valid iff the country is known, the length matches the registry, the characters are [0-9A-Z],
 * the check digits are 02..98 and MOD 97-10 of (BBAN + country + check) is 1. Dutch IBANs must also
 * have the NL structure (4 letters bank code + 10 digits). Input is normalised first.
 */
export function isValidIban(s: string): boolean {
  const iban = normalizeIban(s);
  if (!/^[A-Z]{2}\d{2}[0-9A-Z]+$/.test(iban)) return false;
  const len = IBAN_LENGTHS[iban.slice(0, 2)];
  if (len === undefined || iban.length !== len) return false;
  if (iban.startsWith('NL') && !/^NL\d{2}[A-Z]{4}\d{10}$/.test(iban)) return false;
  const cc = iban.slice(2, 4);
  if (cc === '00' || cc === '01' || cc === '99') return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

/** `'NL91ABNA0417164300'` → `'NL91 ABNA 0417 1643 00'`. */
export function formatIban(s: string): string {
  return groupsOf4(normalizeIban(s));
}

// ---------------------------------------------------------------------------------------------
// SEPA creditor identifier (Incassant ID), LEGAL.md section 9.4
// ---------------------------------------------------------------------------------------------

/**
 * Country (2 letters) + 2 check digits + 3-character business code (ignored in the check) + national
 * id (up to 28 alphanumerics, max 35 in total). For NL the national id is 12 digits (KvK 8 + 4), so
 * an NL identifier has exactly 19 characters. Check: 98 − mod97(national id + country + "00").
 * Spaces are ignored and lower case is accepted.
 */
export function isValidCreditorId(s: string): boolean {
  const id = s.replace(/\s+/g, '').toUpperCase();
  const m = /^([A-Z]{2})(\d{2})([0-9A-Z]{3})([0-9A-Z]{1,28})$/.exec(id);
  if (!m || id.length > 35) return false;
  const [, country, cc, , national] = m as unknown as [string, string, string, string, string];
  if (country === 'NL' && !/^\d{12}$/.test(national)) return false;
  return mod97Check(national, country) === cc;
}

/** `makeCreditorId('NL', '503992920000')` → `'NL06ZZZ503992920000'`. */
export function makeCreditorId(country: string, nationalId: string, businessCode = 'ZZZ'): string {
  const c = country.toUpperCase();
  const n = nationalId.replace(/\s+/g, '').toUpperCase();
  const b = businessCode.toUpperCase();
  if (!/^[A-Z]{2}$/.test(c)) throw new RangeError(`country must be two letters: "${country}"`);
  if (!/^[0-9A-Z]{3}$/.test(b)) throw new RangeError(`business code must be 3 characters 0-9/A-Z: "${businessCode}"`);
  if (!/^[0-9A-Z]{1,28}$/.test(n)) throw new RangeError(`national id must be 1–28 characters 0-9/A-Z: "${nationalId}"`);
  if (c === 'NL' && !/^\d{12}$/.test(n)) throw new RangeError(`a Dutch national id is 12 digits (KvK 8 + 4): "${nationalId}"`);
  return `${c}${mod97Check(n, c)}${b}${n}`;
}

// ---------------------------------------------------------------------------------------------
// Our own payment references
// ---------------------------------------------------------------------------------------------

export type PaymentReferenceKind = 'cur' | 'rf';

/**
 * The 15-digit body is the administration id padded to 4 digits followed by the counter padded to
 * 11 digits. 'cur' → 16-digit betalingskenmerk (C + body); 'rf' → `RF` + check + body.
 */
export function generatePaymentReference(kind: PaymentReferenceKind, administrationId: number, counter: number): string {
  if (!Number.isSafeInteger(administrationId) || administrationId < 0 || administrationId > 9999)
    throw new RangeError(`administration id must be an integer 0..9999: ${administrationId}`);
  if (!Number.isSafeInteger(counter) || counter < 0 || counter > 99_999_999_999)
    throw new RangeError(`counter must be an integer 0..99999999999: ${counter}`);
  const body = String(administrationId).padStart(4, '0') + String(counter).padStart(11, '0');
  if (kind === 'cur') return makeBetalingskenmerk(body);
  if (kind === 'rf') return makeRf(body);
  throw new RangeError(`unknown payment reference kind: ${String(kind)}`);
}
