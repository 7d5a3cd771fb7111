/**
 * Money is integer minor units (cents) plus an ISO 4217 currency. Never floats.
 * This module owns parsing, formatting and rounding of amounts.
 */
export type Cents = number;
export type Money = { readonly cents: Cents; readonly currency: string };

export const MAX_CENTS = Number.MAX_SAFE_INTEGER;

export function money(cents: Cents, currency = 'EUR'): Money {
  assertCents(cents);
  return { cents, currency };
}

export function assertCents(cents: number): asserts cents is Cents {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new Error(`cannot add ${a.currency} to ${b.currency}`);
  return money(a.cents + b.cents, a.currency);
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total += v;
  assertCents(total);
  return total;
}

export type ParseAmountResult = { ok: true; cents: Cents } | { ok: false; error: string };

/**
 * Parse a decimal amount as people and banks write it: `121.00`, `121,00`, `-1.234,56`,
 * `1,234.56`, `1234`, `€ 12,5`. With two separators the last one is the decimal mark; a single
 * separator followed by exactly three digits is a thousands separator only when `decimal` says so.
 */
const PLAIN_AMOUNT = /^(-?)(\d{1,13})[.,](\d\d)$/;

export function parseAmount(input: string, opts: { decimal?: '.' | ',' | 'auto' } = {}): ParseAmountResult {
  // Fast path for the common machine-written form "-1234.56" (bulk imports).
  const plain = PLAIN_AMOUNT.exec(input);
  if (plain && (opts.decimal === undefined || opts.decimal === 'auto' || input.charAt(input.length - 3) === opts.decimal)) {
    const cents = Number(plain[2]) * 100 + Number(plain[3]);
    return { ok: true, cents: plain[1] && cents ? -cents : cents };
  }
  let s = input.trim().replace(/^€\s*/, '').replace(/\s+/g, '');
  if (s === '') return { ok: false, error: 'empty amount' };
  let sign = 1;
  if (s.startsWith('-')) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  else if (s.endsWith('-')) {
    sign = -1;
    s = s.slice(0, -1);
  }
  if (!/^[0-9][0-9.,]*$/.test(s)) return { ok: false, error: `not an amount: "${input}"` };
  const decimal = opts.decimal ?? 'auto';
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let mark: '.' | ',' | null;
  if (decimal !== 'auto') mark = s.includes(decimal) ? decimal : null;
  else if (lastDot >= 0 && lastComma >= 0) mark = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0) mark = s.indexOf('.') === lastDot ? '.' : null;
  else if (lastComma >= 0) mark = s.indexOf(',') === lastComma ? ',' : null;
  else mark = null;
  const thousands = mark === '.' ? ',' : mark === ',' ? '.' : s.includes('.') ? '.' : ',';
  let intPart = s;
  let frac = '';
  if (mark) {
    const idx = s.lastIndexOf(mark);
    intPart = s.slice(0, idx);
    frac = s.slice(idx + 1);
  }
  if (intPart.includes(mark ?? '\u0000')) return { ok: false, error: `not an amount: "${input}"` };
  if (intPart.includes(thousands)) {
    const groups = intPart.split(thousands);
    if (groups.some((g, i) => (i === 0 ? g.length < 1 || g.length > 3 : g.length !== 3)))
      return { ok: false, error: `misplaced thousands separator in "${input}"` };
    intPart = groups.join('');
  }
  if (!/^\d+$/.test(intPart) || !/^\d*$/.test(frac)) return { ok: false, error: `not an amount: "${input}"` };
  if (frac.length > 2) {
    if (/^0+$/.test(frac.slice(2))) frac = frac.slice(0, 2);
    else return { ok: false, error: `more than two decimals in "${input}"` };
  }
  const cents = Number(intPart) * 100 + Number(frac.padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(cents)) return { ok: false, error: `amount too large: "${input}"` };
  return { ok: true, cents: sign * cents === 0 ? 0 : sign * cents };
}

/** `12345` → `"123.45"`, `-5` → `"-0.05"`: the canonical decimal string used in JSON and CSV. */
export function formatCents(cents: Cents): string {
  assertCents(cents);
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** Human format, e.g. `€ 1.234,56` (nl) or `€1,234.56` (en). */
export function formatMoney(cents: Cents, currency = 'EUR', locale: 'nl' | 'en' = 'nl'): string {
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toString();
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'nl' ? '.' : ',');
  const frac = String(abs % 100).padStart(2, '0');
  const sym = currency === 'EUR' ? '€' : currency;
  const num = locale === 'nl' ? `${grouped},${frac}` : `${grouped}.${frac}`;
  const sign = cents < 0 ? '-' : '';
  return locale === 'nl' ? `${sign}${sym} ${num}` : `${sign}${sym}${num}`;
}

/** Multiply cents by a rational factor num/den, rounding half away from zero (our one rounding rule). */
export function mulDivRound(cents: Cents, num: number, den: number): Cents {
  const big = (BigInt(cents) * BigInt(num) * 2n + BigInt(den) * (cents < 0 !== num < 0 ? -1n : 1n)) / (BigInt(den) * 2n);
  const r = Number(big);
  assertCents(r);
  return r;
}

/** Split `total` into `n` parts that add up exactly; the remainder goes to the last part. */
export function splitEven(total: Cents, n: number): Cents[] {
  if (n < 1 || !Number.isInteger(n)) throw new RangeError(`cannot split into ${n} parts`);
  const base = Math.trunc(total / n);
  const parts = Array.from({ length: n }, () => base);
  parts[n - 1] = total - base * (n - 1);
  return parts;
}
