/**
 * An API error in the reader's language: problems with a known code (the limits of promises and
 * plans, …) are rendered from their parameters (amounts as money, dates as dates); anything else
 * falls back to the server's message.
 */
import { ApiError, type Problem } from '../api.ts';
import type { Key } from '../i18n.ts';
import type { Formatter } from '../format.ts';

type T = (key: Key, vars?: Record<string, string | number>) => string;

const KNOWN = new Set(['too_large', 'too_far', 'past', 'too_many', 'too_few', 'too_small', 'nothing_open', 'not_positive']);

export function problemText(p: Problem, t: T, f: Formatter): string | null {
  if (!KNOWN.has(p.code) || !p.params) return null;
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p.params)) {
    if (k.endsWith('Cents') && typeof v === 'number') vars[k.slice(0, -5) || k] = f.money(v / 100);
    else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) vars[k] = f.date(v);
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
  return e instanceof Error ? e.message : String(e);
}
