/**
 * Dunning policies as data (OCA credit-control style): a policy is an ordered list of steps; each
 * step says when it is due (days after the due date, or after the previous step sent for the same
 * item), how it goes out, with which template per language, above which amount, and what it does
 * legally. The planner (plan.ts) reads policies; nothing here decides a run.
 */
import type { Cents } from '../money.ts';

export type DunningChannel = 'email' | 'letter' | 'phone' | 'statement';
export type DunningBasis = 'due_date' | 'previous_step';
export type DunningAudience = 'all' | 'business' | 'consumer';
export type DebtorType = 'business' | 'consumer';

export type DunningLegal = {
  /** Ingebrekestelling (6:82 BW): puts the debtor in default. */
  readonly noticeOfDefault?: boolean;
  /** Veertiendagenbrief (6:96 lid 6 BW): the last notice to a consumer before BIK may be charged. */
  readonly fourteenDayLetter?: boolean;
  /** Hand-over to a collection agency. */
  readonly collectionAgency?: boolean;
  /** The message states statutory (commercial) interest per item. */
  readonly chargeInterest?: boolean;
  /** The message charges collection costs (BIK; B2B at least 40.00). */
  readonly chargeCosts?: boolean;
};

export type DunningStep = {
  /** Stable key, recorded in the history of every item it is sent for. */
  readonly key: string;
  readonly name: string;
  /** `due_date`: `delayDays` after the item's due date; `previous_step`: after the last step sent for the item. */
  readonly basis: DunningBasis;
  readonly delayDays: number;
  readonly channel: DunningChannel;
  /** Template keys per language. */
  readonly template: { readonly nl: string; readonly en: string };
  /** No message below this amount (the sum of the items in the message). */
  readonly minimumCents: Cents;
  readonly legal: DunningLegal;
  /** Which debtors the step is for; steps for other debtors are passed over. Default 'all'. */
  readonly audience?: DunningAudience;
  /** Statement steps only: once per calendar month, from this day of the month on (clamped to the month's end). */
  readonly schedule?: { readonly monthlyDay?: number };
};

/** Where a policy applies when no debtor names it; the most specific wins (debtor > segment > administration). */
export type PolicyScope =
  | { readonly kind: 'administration' }
  | { readonly kind: 'segment'; readonly segment: string }
  | { readonly kind: 'debtor'; readonly debtorIds: readonly string[] };

export type DunningPolicy = {
  readonly id?: string;
  readonly key: string;
  readonly name: string;
  readonly steps: readonly DunningStep[];
  readonly appliesTo?: PolicyScope;
};

const tpl = (key: string) => ({ nl: `dunning/${key}.nl`, en: `dunning/${key}.en` });

/**
 * Good Dutch practice: reminder by mail 2 days after the due date, a second reminder 14 days later,
 * a phone task, a demand (aanmaning), then for consumers the 14-dagenbrief (stating the BIK amount,
 * charging nothing) and for businesses a notice of default with commercial interest and costs, then
 * the hand-over to a collection agency (for consumers not before the 14-day term has expired).
 */
export const DEFAULT_POLICY: DunningPolicy = {
  key: 'default',
  name: 'Standaard (herinnering, aanmaning, 14-dagenbrief / ingebrekestelling, incasso)',
  appliesTo: { kind: 'administration' },
  steps: [
    { key: 'reminder_1', name: 'Herinnering', basis: 'due_date', delayDays: 2, channel: 'email', template: tpl('reminder_1'), minimumCents: 500, legal: {} },
    { key: 'reminder_2', name: 'Tweede herinnering', basis: 'previous_step', delayDays: 14, channel: 'email', template: tpl('reminder_2'), minimumCents: 500, legal: {} },
    { key: 'phone', name: 'Bellen', basis: 'previous_step', delayDays: 7, channel: 'phone', template: tpl('phone'), minimumCents: 500, legal: {} },
    { key: 'demand', name: 'Aanmaning', basis: 'previous_step', delayDays: 7, channel: 'letter', template: tpl('demand'), minimumCents: 500, legal: {} },
    {
      key: 'fourteen_day_letter',
      name: '14-dagenbrief',
      basis: 'previous_step',
      delayDays: 14,
      channel: 'letter',
      template: tpl('fourteen_day_letter'),
      minimumCents: 500,
      audience: 'consumer',
      legal: { fourteenDayLetter: true },
    },
    {
      key: 'notice_of_default',
      name: 'Ingebrekestelling',
      basis: 'previous_step',
      delayDays: 14,
      channel: 'letter',
      template: tpl('notice_of_default'),
      minimumCents: 500,
      audience: 'business',
      legal: { noticeOfDefault: true, chargeInterest: true, chargeCosts: true },
    },
    {
      key: 'collection_agency',
      name: 'Overdracht incassobureau',
      basis: 'previous_step',
      delayDays: 14,
      channel: 'letter',
      template: tpl('collection_agency'),
      minimumCents: 5_000,
      legal: { collectionAgency: true, chargeInterest: true, chargeCosts: true },
    },
  ],
};

/**
 * Large accounts: a monthly statement of account instead of per-invoice reminders, a call by the
 * account manager when an item is a month late, and a demand two weeks after that call.
 */
export const LARGE_ACCOUNT_POLICY: DunningPolicy = {
  key: 'large_account',
  name: 'Grote klant (maandelijks rekeningoverzicht)',
  appliesTo: { kind: 'segment', segment: 'large_account' },
  steps: [
    {
      key: 'statement',
      name: 'Rekeningoverzicht',
      basis: 'due_date',
      delayDays: 1,
      channel: 'statement',
      template: tpl('statement'),
      minimumCents: 0,
      legal: {},
      schedule: { monthlyDay: 1 },
    },
    { key: 'account_manager_call', name: 'Bellen door accountmanager', basis: 'due_date', delayDays: 30, channel: 'phone', template: tpl('account_manager_call'), minimumCents: 0, legal: {} },
    { key: 'demand', name: 'Aanmaning', basis: 'previous_step', delayDays: 14, channel: 'letter', template: tpl('demand'), minimumCents: 500, legal: {} },
  ],
};

export const BUILT_IN_POLICIES: readonly DunningPolicy[] = [DEFAULT_POLICY, LARGE_ACCOUNT_POLICY];

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

export type PolicyProblem = {
  /** Path of the field, e.g. `steps[3].delayDays`. */
  readonly field: string;
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
};

const KEY_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const CHANNELS: readonly string[] = ['email', 'letter', 'phone', 'statement'];
const BASES: readonly string[] = ['due_date', 'previous_step'];
const AUDIENCES: readonly string[] = ['all', 'business', 'consumer'];
/** A pre-due reminder may be at most a year before the due date; no step waits longer than ten years. */
const MIN_DELAY = -365;
const MAX_DELAY = 3650;

function reachesConsumers(s: DunningStep): boolean {
  return (s.audience ?? 'all') !== 'business';
}

/** Problems by field; a policy is usable when no problem has severity 'error'. */
export function validatePolicy(p: DunningPolicy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const err = (field: string, code: string, message: string) => problems.push({ field, code, severity: 'error', message });
  const warn = (field: string, code: string, message: string) => problems.push({ field, code, severity: 'warning', message });

  if (typeof p.key !== 'string' || !KEY_RE.test(p.key)) err('key', 'bad_key', 'the key must be 1-64 lower-case letters, digits, _ or -, starting with a letter or digit');
  if (typeof p.name !== 'string' || p.name.trim() === '') err('name', 'required', 'a policy needs a name');
  if (p.appliesTo !== undefined) {
    const a = p.appliesTo;
    if (a.kind === 'segment') {
      if (typeof a.segment !== 'string' || a.segment.trim() === '') err('appliesTo.segment', 'required', 'a segment policy needs a segment');
    } else if (a.kind === 'debtor') {
      if (!Array.isArray(a.debtorIds) || a.debtorIds.length === 0) err('appliesTo.debtorIds', 'required', 'a debtor policy needs at least one debtor');
    } else if (a.kind !== 'administration') err('appliesTo.kind', 'bad_value', 'applies to the administration, a segment or debtors');
  }
  if (!Array.isArray(p.steps) || p.steps.length === 0) {
    err('steps', 'required', 'a policy needs at least one step');
    return problems;
  }

  const seen = new Map<string, number>();
  let consumerLetterSeen = false;
  let consumerStepSeen = false;
  p.steps.forEach((s, i) => {
    const f = (name: string) => `steps[${i}].${name}`;
    if (typeof s.key !== 'string' || !KEY_RE.test(s.key)) err(f('key'), 'bad_key', 'the key must be 1-64 lower-case letters, digits, _ or -');
    else if (seen.has(s.key)) err(f('key'), 'duplicate_key', `the key "${s.key}" is also used by step ${seen.get(s.key)! + 1}`);
    else seen.set(s.key, i);
    if (typeof s.name !== 'string' || s.name.trim() === '') err(f('name'), 'required', 'a step needs a name');
    if (!BASES.includes(s.basis)) err(f('basis'), 'bad_value', 'the basis is due_date or previous_step');
    if (!Number.isInteger(s.delayDays)) err(f('delayDays'), 'not_integer', 'the delay is a whole number of days');
    else if (s.delayDays > MAX_DELAY) err(f('delayDays'), 'too_large', `the delay is at most ${MAX_DELAY} days`);
    else if (s.basis === 'previous_step' && s.delayDays < 0) err(f('delayDays'), 'negative', 'a step cannot come before the previous step');
    else if (s.delayDays < MIN_DELAY) err(f('delayDays'), 'too_small', `a step is at most ${-MIN_DELAY} days before the due date`);
    if (!CHANNELS.includes(s.channel)) err(f('channel'), 'bad_value', 'the channel is email, letter, phone or statement');
    for (const lang of ['nl', 'en'] as const) {
      const t = s.template?.[lang];
      if (typeof t !== 'string' || t.trim() === '') err(f(`template.${lang}`), 'required', `a template is needed for language ${lang}`);
    }
    if (!Number.isSafeInteger(s.minimumCents) || s.minimumCents < 0) err(f('minimumCents'), 'bad_amount', 'the minimum is a whole, non-negative number of cents');
    const audience = s.audience ?? 'all';
    if (!AUDIENCES.includes(audience)) err(f('audience'), 'bad_value', 'the audience is all, business or consumer');

    const legal = s.legal ?? {};
    if (s.channel === 'statement') {
      const day = s.schedule?.monthlyDay;
      if (day === undefined) err(f('schedule.monthlyDay'), 'required', 'a statement step needs the day of the month it goes out');
      else if (!Number.isInteger(day) || day < 1 || day > 31) err(f('schedule.monthlyDay'), 'bad_value', 'the day of the month is 1-31');
      if (s.basis !== 'due_date') err(f('basis'), 'bad_value', 'a statement step counts from the due date (at least one item this many days overdue)');
      if (legal.noticeOfDefault || legal.fourteenDayLetter || legal.collectionAgency || legal.chargeCosts || legal.chargeInterest)
        err(f('legal'), 'statement_legal', 'a statement of account is an overview: it has no legal effect and charges nothing');
    } else if (s.schedule?.monthlyDay !== undefined) warn(f('schedule.monthlyDay'), 'ignored', 'only statement steps have a monthly schedule');

    if (legal.fourteenDayLetter) {
      if (audience === 'business') err(f('audience'), 'fourteen_day_letter_business', 'the 14-dagenbrief is for consumers; businesses owe the costs without it (6:96 lid 4 BW)');
      if (s.channel === 'phone') err(f('channel'), 'fourteen_day_letter_channel', 'a 14-dagenbrief must be in writing (letter or agreed e-mail)');
      if (legal.chargeCosts) err(f('legal.chargeCosts'), 'fourteen_day_letter_costs', 'the 14-dagenbrief states the costs but may not charge them: they are due only after its term (6:96 lid 6 BW)');
      if (!consumerStepSeen) warn(f('legal.fourteenDayLetter'), 'fourteen_day_letter_first', 'the 14-dagenbrief must be sent after verzuim; send a reminder or demand first');
    }
    if (legal.noticeOfDefault && s.channel === 'phone') err(f('channel'), 'notice_channel', 'a notice of default must be in writing (6:82 BW)');
    if (legal.chargeCosts && s.channel === 'phone') err(f('channel'), 'costs_channel', 'costs can only be charged in writing');
    if (legal.chargeCosts && reachesConsumers(s) && !consumerLetterSeen)
      warn(f('legal.chargeCosts'), 'consumer_costs_without_letter', 'no 14-dagenbrief for consumers comes before this step: consumers will not be charged costs here');
    if (reachesConsumers(s)) consumerStepSeen = true;
    if (legal.fourteenDayLetter && audience !== 'business') consumerLetterSeen = true;
  });

  const first = p.steps.findIndex((s) => s.channel !== 'statement');
  if (first >= 0 && p.steps[first]!.basis === 'previous_step')
    warn(`steps[${first}].basis`, 'first_previous_step', 'the first step has no previous step: it counts from the due date');
  return problems;
}

export function policyErrors(p: DunningPolicy): PolicyProblem[] {
  return validatePolicy(p).filter((x) => x.severity === 'error');
}

// ---------------------------------------------------------------------------------------------
// Choosing the policy for a debtor
// ---------------------------------------------------------------------------------------------

export type PolicySubject = { readonly id: string; readonly segment?: string | null; readonly policyId?: string | null };

/**
 * Precompute the lookup once for a run: a debtor's own policy (by `policyId`, matching a policy's
 * id or key, or a policy that lists the debtor) beats a segment policy, which beats the
 * administration default. Among equals the first in the list wins. Returns null when nothing applies.
 */
export function makePolicyChooser(policies: readonly DunningPolicy[]): (debtor: PolicySubject) => DunningPolicy | null {
  const byRef = new Map<string, DunningPolicy>();
  const byDebtor = new Map<string, DunningPolicy>();
  const bySegment = new Map<string, DunningPolicy>();
  let fallback: DunningPolicy | null = null;
  for (const p of policies) {
    if (p.id !== undefined && !byRef.has(p.id)) byRef.set(p.id, p);
    if (!byRef.has(p.key)) byRef.set(p.key, p);
    const a = p.appliesTo ?? { kind: 'administration' as const };
    if (a.kind === 'debtor') {
      for (const d of a.debtorIds) if (!byDebtor.has(d)) byDebtor.set(d, p);
    } else if (a.kind === 'segment') {
      if (!bySegment.has(a.segment)) bySegment.set(a.segment, p);
    } else if (fallback === null) fallback = p;
  }
  return (debtor) =>
    (debtor.policyId ? byRef.get(debtor.policyId) : undefined) ??
    byDebtor.get(debtor.id) ??
    (debtor.segment ? bySegment.get(debtor.segment) : undefined) ??
    fallback;
}

export function choosePolicy(debtor: PolicySubject, policies: readonly DunningPolicy[]): DunningPolicy | null {
  return makePolicyChooser(policies)(debtor);
}

/** Does the step apply to a debtor of this type? */
export function stepAppliesTo(step: DunningStep, type: DebtorType): boolean {
  const a = step.audience ?? 'all';
  return a === 'all' || a === type;
}
