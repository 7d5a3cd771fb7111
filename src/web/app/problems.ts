/**
 * An API error in the reader's language: problems with a known code (the limits of promises and
 * plans, an invalid IBAN, a text too long, …) are rendered from their parameters (amounts as money,
 * dates as dates); errors without problems by their code (not logged in, not allowed, too many
 * requests); anything else falls back to the server's message.
 */
import { ApiError, type Problem } from '../api-error.ts';
import type { Key } from '../i18n.ts';
import type { Formatter } from '../format.ts';

type T = (key: Key, vars?: Record<string, string | number>) => string;

/** Problem codes with a text in i18n.ts (`problem.<code>`); the i18n test holds both languages to this list. */
export const PROBLEM_CODES = [
  'too_large', 'too_far', 'past', 'too_many', 'too_few', 'too_small', 'nothing_open', 'not_positive',
  'invalid_iban', 'max_length', 'min_length', 'max_value', 'min_value', 'required',
] as const;
const KNOWN = new Set<string>(PROBLEM_CODES);
/** codes whose text needs no parameters */
const BARE = new Set(['nothing_open', 'not_positive', 'required']);
/** error codes said in words when the error has no problems (`error.<code>`) */
export const ERROR_CODES = ['unauthorized', 'forbidden', 'not_found', 'rate_limited', 'too_large'] as const;

export function problemText(p: Problem, t: T, f: Formatter): string | null {
  if (!KNOWN.has(p.code) || (!p.params && !BARE.has(p.code))) return null;
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.params ?? {})) {
    if (k.endsWith('Cents') && typeof v === 'number') vars[k.slice(0, -5) || k] = f.money(v / 100);
    else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) vars[k] = f.date(v);
    else if (typeof v === 'number' && (p.code === 'max_length' || p.code === 'min_length' || p.code === 'max_value' || p.code === 'min_value')) vars[k] = f.number(v);
    else vars[k] = v;
  }
  if (p.code === 'too_small' && vars.max !== undefined) return t('problem.too_small.max', vars);
  return t(`problem.${p.code}` as Key, vars);
}

export function errorText(e: unknown, t: T, f: Formatter): string {
  if (e instanceof ApiError && e.problems.length) {
    const texts = e.problems.map((p) => problemText(p, t, f));
    if (texts.every((x) => x !== null)) return texts.join(' ');
  }
  if (e instanceof ApiError && !e.problems.length && (ERROR_CODES as readonly string[]).includes(e.code)) return t(`error.${e.code}` as Key);
  return e instanceof Error ? e.message : String(e);
}
