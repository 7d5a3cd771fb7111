/**
 * What pain.008 and pain.001 writers share: XML escaping, amounts in cents written as decimals,
 * agent and address elements in both generations (2009: `BIC`, 2019: `BICFI`), and the checks that
 * turn bad input into problems naming the field instead of a file the bank refuses. Pure.
 */
import { formatCents } from '../domain/money.ts';
import { isValidIban, normalizeIban } from '../domain/references.ts';
import { identifierProblem, toSepaText } from '../domain/sepa/charset.ts';

export type SepaProblem = { readonly index: number | null; readonly field: string; readonly code: string; readonly message: string };

export type StructuredAddress = {
  readonly street?: string | null;
  readonly buildingNumber?: string | null;
  readonly postCode?: string | null;
  readonly town: string;
  readonly country: string;
};

/** Remittance: free text (max 140) or one structured creditor reference — never both (EPC). */
export type Remittance =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'reference'; readonly issuer: 'CUR' | 'ISO'; readonly reference: string };

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Largest amount of one SEPA transaction: 999,999,999.99 (EPC rulebooks). */
export const MAX_TX_CENTS = 99_999_999_999;

export const decimal = (cents: number): string => formatCents(cents);

export function el(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

export function text(name: string, value: string): string {
  return el(name, esc(value));
}

/** Financial institution: the BIC when known, otherwise `Othr/Id NOTPROVIDED` (EPC IG, IBAN-only). */
export function agent(bic: string | null | undefined, generation: 2009 | 2019): string {
  const inner = bic ? text(generation === 2019 ? 'BICFI' : 'BIC', bic) : el('Othr', text('Id', 'NOTPROVIDED'));
  return el('FinInstnId', inner);
}

export function account(iban: string): string {
  return el('Id', text('IBAN', normalizeIban(iban)));
}

export function address(a: StructuredAddress): string {
  let s = '';
  if (a.street) s += text('StrtNm', a.street);
  if (a.buildingNumber) s += text('BldgNb', a.buildingNumber);
  if (a.postCode) s += text('PstCd', a.postCode);
  s += text('TwnNm', a.town);
  s += text('Ctry', a.country);
  return el('PstlAdr', s);
}

export function remittance(r: Remittance): string {
  if (r.kind === 'text') return el('RmtInf', text('Ustrd', r.text));
  return el('RmtInf', el('Strd', el('CdtrRefInf', el('Tp', el('CdOrPrtry', text('Cd', 'SCOR')) + text('Issr', r.issuer)) + text('Ref', r.reference))));
}

/** Collects problems while normalising input; each check returns the value to write. */
export class Checker {
  readonly problems: SepaProblem[] = [];

  problem(index: number | null, field: string, code: string, message: string): void {
    this.problems.push({ index, field, code, message });
  }

  /** Transliterated name or free text, cut to `max`. */
  name(index: number | null, field: string, value: string, max: number): string {
    const t = toSepaText(value);
    if (!t.ok) {
      this.problem(index, field, 'sepa_charset', `${field}: character "${t.bad}" is outside the SEPA character set`);
      return '';
    }
    if (t.text.length === 0) this.problem(index, field, 'required', `${field} is empty`);
    return t.text.slice(0, max).trimEnd();
  }

  identifier(index: number | null, field: string, value: string, max = 35): string {
    const p = identifierProblem(value, max);
    if (p) this.problem(index, field, `identifier_${p}`, `${field} "${value}": ${IDENTIFIER_TEXT[p]}`);
    return value;
  }

  iban(index: number | null, field: string, value: string): string {
    if (!isValidIban(value)) this.problem(index, field, 'invalid_iban', `${field} "${value}" is not a valid IBAN`);
    return normalizeIban(value);
  }

  bic(index: number | null, field: string, value: string | null | undefined): string | null {
    if (value === null || value === undefined || value.trim() === '') return null;
    const b = value.replace(/\s+/g, '').toUpperCase();
    if (!/^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/.test(b)) this.problem(index, field, 'invalid_bic', `${field} "${value}" is not a valid BIC`);
    return b;
  }

  amount(index: number | null, field: string, cents: number): number {
    if (!Number.isSafeInteger(cents) || cents <= 0 || cents > MAX_TX_CENTS)
      this.problem(index, field, 'invalid_amount', `${field} must be between 0.01 and 999999999.99, got ${cents} cents`);
    return cents;
  }

  remittance(index: number, r: Remittance): Remittance {
    if (r.kind === 'text') return { kind: 'text', text: this.name(index, 'remittance', r.text, 140) };
    this.identifier(index, 'remittance.reference', r.reference, 35);
    return r;
  }
}

const IDENTIFIER_TEXT: Readonly<Record<string, string>> = {
  empty: 'is empty',
  too_long: 'is longer than 35 characters',
  charset: 'has a character outside the SEPA set (a-z A-Z 0-9 / - ? : ( ) . , \' + space)',
  space: 'starts or ends with a space',
  slash: 'starts or ends with "/" or contains "//"',
};

/** `2026-12-03T09:15:00` (ISODateTime without zone, as the Dutch IGs show it). */
export function isIsoDateTime(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(s);
}
