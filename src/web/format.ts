/**
 * Numbers, amounts and dates in the user's locale. Amounts come from the API as decimal strings
 * ("1234.56"); dates as YYYY-MM-DD (calendar dates, no time zone) or ISO timestamps.
 */
import type { Lang } from './i18n.ts';

/** The Intl locale for a language: the browser's own when it speaks that language (nl-BE, en-US), else nl-NL / en-GB. */
export function localeFor(lang: Lang): string {
  // through globalThis: this module is also read by the Node tests (no DOM there)
  const g = globalThis as { navigator?: { languages?: readonly string[]; language: string } };
  const nav: readonly string[] = g.navigator ? g.navigator.languages ?? [g.navigator.language] : [];
  const own = nav.find((l) => l.toLowerCase().startsWith(lang));
  return own && own.includes('-') ? own : lang === 'nl' ? 'nl-NL' : 'en-GB';
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) { f = make(); cache.set(key, f); }
  return f;
}

export type Formatter = ReturnType<typeof makeFormatter>;

export function makeFormatter(locale: string) {
  const money = (v: string | number | null | undefined, currency = 'EUR', opts: { compact?: boolean } = {}): string => {
    if (v === null || v === undefined || v === '') return '—';
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) return String(v);
    if (opts.compact && Math.abs(n) >= 10_000) {
      return memo(`${locale}|mc|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 })).format(n);
    }
    return memo(`${locale}|m|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency })).format(n);
  };
  const number = (n: number | null | undefined, digits = 0): string =>
    n === null || n === undefined ? '—' : memo(`${locale}|n|${digits}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })).format(n);
  const percent = (n: number, digits = 0): string => memo(`${locale}|p|${digits}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits })).format(n);
  /** A calendar date (YYYY-MM-DD) as 22-11-2026 (nl) or 22/11/2026 (en-GB). */
  const date = (d: string | null | undefined): string => {
    if (!d) return '—';
    const t = Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);
    if (Number.isNaN(t)) return d;
    const tz = d.length === 10 ? 'UTC' : undefined;
    return memo(`${locale}|d|${tz}`, () => new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: tz })).format(t);
  };
  const dateTime = (d: string | null | undefined): string => {
    if (!d) return '—';
    const t = Date.parse(d);
    if (Number.isNaN(t)) return d;
    return memo(`${locale}|dt`, () => new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' })).format(t);
  };
  /** Short day and month (22 nov.) for chart axes. */
  const dayMonth = (d: string): string =>
    memo(`${locale}|dm`, () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' })).format(Date.parse(`${d.slice(0, 10)}T00:00:00Z`));
  const monthShort = (d: string): string =>
    memo(`${locale}|mo`, () => new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' })).format(Date.parse(`${d.slice(0, 10)}T00:00:00Z`));
  /** "2 days ago" / "eergisteren". */
  const relativeDays = (days: number): string => memo(`${locale}|rd`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })).format(-days, 'day');
  return { locale, money, number, percent, date, dateTime, dayMonth, monthShort, relativeDays };
}

/** Today's calendar date in the browser's time zone, YYYY-MM-DD. */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

/** Parse an amount typed by the user in either notation ("1.234,56", "1234.56", "1 234") to a decimal string, or null. */
export function parseAmountInput(s: string): string | null {
  let t = s.replace(/[\s€]/g, '');
  if (!t) return null;
  if (/,\d{1,2}$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else t = t.replace(/,/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null;
  return Number(t).toFixed(2);
}
