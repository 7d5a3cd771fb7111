/**
 * Segments by rules (pure). A segment's rules are all conditions that must hold (an empty rule set
 * matches every debtor: a catch-all); segments are tried by priority (low first, then key) and
 * the first that matches wins. The reason text names every condition and the debtor's value, so
 * a user can see why a debtor is where it is.
 */
import { formatMoney } from '../money.ts';

export type SegmentRules = {
  readonly type?: 'business' | 'consumer';
  readonly minAnnualCents?: number;
  readonly maxAnnualCents?: number;
  readonly minAvgDaysLate?: number;
  readonly maxAvgDaysLate?: number;
  readonly minBrokenPromises?: number;
  readonly maxBrokenPromises?: number;
  /** At least one of these tags. */
  readonly tagsAny?: readonly string[];
  /** All of these tags. */
  readonly tagsAll?: readonly string[];
};

export type SegmentDef = { readonly key: string; readonly name: string; readonly rules: SegmentRules; readonly priority: number; readonly policyKey?: string | null };

export type DebtorFacts = {
  readonly type: 'business' | 'consumer';
  /** Invoiced in the last 12 months. */
  readonly annualInvoicedCents: number;
  /** Average days late over the last 12 months; null without paid invoices. */
  readonly avgDaysLate: number | null;
  readonly brokenPromises: number;
  readonly tags: readonly string[];
};

export const RULE_KEYS = ['type', 'minAnnualCents', 'maxAnnualCents', 'minAvgDaysLate', 'maxAvgDaysLate', 'minBrokenPromises', 'maxBrokenPromises', 'tagsAny', 'tagsAll'] as const;

/** Problems of a rule set (unknown keys, wrong types). */
export function checkRules(rules: unknown): string[] {
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return ['rules must be an object'];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(rules)) {
    if (!(RULE_KEYS as readonly string[]).includes(k)) problems.push(`unknown rule "${k}"`);
    else if (k === 'type') { if (v !== 'business' && v !== 'consumer') problems.push('type must be business or consumer'); }
    else if (k === 'tagsAny' || k === 'tagsAll') { if (!Array.isArray(v) || v.some((t) => typeof t !== 'string')) problems.push(`${k} must be a list of tags`); }
    else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`${k} must be a non-negative number`);
  }
  return problems;
}

/** Does the debtor match? With the reason: every condition and the debtor's value. */
export function matchSegment(rules: SegmentRules, f: DebtorFacts): { match: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const ok = (cond: boolean, text: string): boolean => {
    if (cond) reasons.push(text);
    return cond;
  };
  const days = f.avgDaysLate;
  const checks: boolean[] = [];
  if (rules.type !== undefined) checks.push(ok(f.type === rules.type, f.type === 'business' ? 'zakelijk' : 'consument'));
  if (rules.minAnnualCents !== undefined) checks.push(ok(f.annualInvoicedCents >= rules.minAnnualCents, `jaaromzet ${formatMoney(f.annualInvoicedCents)} ≥ ${formatMoney(rules.minAnnualCents)}`));
  if (rules.maxAnnualCents !== undefined) checks.push(ok(f.annualInvoicedCents <= rules.maxAnnualCents, `jaaromzet ${formatMoney(f.annualInvoicedCents)} ≤ ${formatMoney(rules.maxAnnualCents)}`));
  if (rules.minAvgDaysLate !== undefined) checks.push(ok(days !== null && days >= rules.minAvgDaysLate, `gemiddeld ${days ?? '–'} dagen te laat ≥ ${rules.minAvgDaysLate}`));
  if (rules.maxAvgDaysLate !== undefined) checks.push(ok((days ?? 0) <= rules.maxAvgDaysLate, `gemiddeld ${days ?? 0} dagen te laat ≤ ${rules.maxAvgDaysLate}`));
  if (rules.minBrokenPromises !== undefined) checks.push(ok(f.brokenPromises >= rules.minBrokenPromises, `${f.brokenPromises} gebroken belofte(n) ≥ ${rules.minBrokenPromises}`));
  if (rules.maxBrokenPromises !== undefined) checks.push(ok(f.brokenPromises <= rules.maxBrokenPromises, `${f.brokenPromises} gebroken belofte(n) ≤ ${rules.maxBrokenPromises}`));
  if (rules.tagsAny?.length) {
    const hit = rules.tagsAny.filter((t) => f.tags.includes(t));
    checks.push(ok(hit.length > 0, `label ${hit.join(', ')}`));
  }
  if (rules.tagsAll?.length) checks.push(ok(rules.tagsAll.every((t) => f.tags.includes(t)), `labels ${rules.tagsAll.join(', ')}`));
  return { match: checks.every(Boolean), reasons };
}

export function chooseSegment(segments: readonly SegmentDef[], f: DebtorFacts): { segment: string | null; reason: string | null } {
  const ordered = [...segments].sort((a, b) => a.priority - b.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const s of ordered) {
    const m = matchSegment(s.rules, f);
    if (m.match) return { segment: s.key, reason: `${s.name}: ${m.reasons.length ? m.reasons.join('; ') : 'alle debiteuren'}` };
  }
  return { segment: null, reason: null };
}
