/**
 * The dunning run, decided by one pure function: planRun(open items, debtors, history, policies,
 * as-of date) → what goes out (one message per debtor × step, covering all its items due for that
 * step, with interest and costs where the step charges them), what is skipped and why, and whether
 * the run is blocked (stale bank data, unmatched payments). The caller loads, calls, persists.
 *
 * Rules (docs: one message per debtor per step; never the same step twice for an item):
 *  - an item's next step is the first step after the last one it reached that applies to the
 *    debtor's type (audience) and was not sent for it before; statement steps run beside the
 *    per-item sequence and never advance it;
 *  - due when `dueDate + delayDays ≤ asOf` (basis due_date) or `lastSentDate + delayDays ≤ asOf`
 *    (basis previous_step; with nothing sent yet the due date is the base);
 *  - skips are reported only for what would otherwise have been sent in this run, so the preview
 *    lists exactly the paused debtors and items that matter today (idle items on request);
 *  - consumers: costs only on items whose 14-dagenbrief term has expired (6:96 lid 6 BW); the
 *    hand-over to a collection agency waits until that term has expired;
 *  - businesses: BIK on the summed principal with the 40.00 minimum (6:96 lid 4 BW);
 *  - VAT on costs only when the administration cannot deduct VAT (BIK art. 2 lid 3).
 */
import { packageBlocks, type PackageDataAge } from '../connectors/freshness.ts';
import { addDays, daysBetween, daysInMonth, type IsoDate } from '../dates.ts';
import { formatMoney, mulDivRound, type Cents } from '../money.ts';
import { b2bCollectionCosts, collectionCosts, type BikVatInput } from '../legal/collection-costs.ts';
import { fourteenDayDates, type FourteenDayDates, type FourteenDayOptions } from '../legal/fourteen-day-letter.ts';
import { statutoryInterest, type DayCount } from '../legal/interest.ts';
import type { InterestKind } from '../legal/rates.ts';
import {
  BUILT_IN_POLICIES,
  makePolicyChooser,
  stepAppliesTo,
  type DebtorType,
  type DunningChannel,
  type DunningLegal,
  type DunningPolicy,
  type DunningStep,
} from './policy.ts';

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

export type PlanSettings = {
  /** Can the administration deduct VAT? If not, VAT is added to collection costs (BIK art. 2 lid 3). */
  readonly vatDeductible: boolean;
  /** Currency of credit balances and of the costs scale. Default 'EUR'. */
  readonly currency?: string;
  /** Age of the newest bank data in days; wins over lastBankImportDate. */
  readonly bankDataAgeDays?: number | null;
  /** Date of the newest bank statement imported (age = asOf − this). Neither given: no bank data. */
  readonly lastBankImportDate?: IsoDate | null;
  /** Bank lines waiting for review (unmatched or proposed). */
  readonly unmatchedWaiting?: number;
  /** Bank data older than this many days blocks the run. Default 3. */
  readonly staleAfterDays?: number;
  /** The user explicitly sends despite the blocks. */
  readonly override?: boolean;
  /** false when the accounting package owns the payments (its bank matching; Vorder's is off): no bank-data gate */
  readonly bankGate?: boolean;
  /** The age of each accounting package's data (src/domain/connectors/freshness.ts). */
  readonly packageData?: readonly PackageDataAge[];
  readonly interestDayCount?: DayCount;
  /** Options for the 14-day term (delivery presumption, holidays). */
  readonly fourteenDayOptions?: FourteenDayOptions;
};

export type PlanDebtor = {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly type: DebtorType;
  /** 'nl' gets Dutch, any other language English. Default 'nl'. */
  readonly language?: string | null;
  readonly onHold?: boolean;
  readonly onHoldReason?: string | null;
  readonly status?: string | null;
  /** True when the debtor's status (e.g. dispute, collection agency, legal) pauses the chase. */
  readonly statusPausesChase?: boolean;
  readonly segment?: string | null;
  /** A policy named for this debtor (id or key). */
  readonly policyId?: string | null;
  readonly hasActivePaymentPlan?: boolean;
  /** A promise to pay by this date; the chase waits until the day after. */
  readonly promiseUntil?: IsoDate | null;
  /** Items the promise covers; null/undefined = all items. */
  readonly promiseItemIds?: readonly string[] | null;
  /** Sum of the negative open amounts (credit notes, overpayments), ≤ 0, in the settings' currency. Default: summed from the items. */
  readonly creditBalanceCents?: Cents;
  /** Date of the last statement of account, if known beside the item history. */
  readonly lastStatementDate?: IsoDate | null;
};

export type PlanItem = {
  readonly id: string;
  readonly debtorId: string;
  readonly number: string;
  readonly issueDate: IsoDate;
  readonly dueDate: IsoDate;
  /** Open amount; negative for credit notes and overpayments. */
  readonly openCents: Cents;
  /** Default 'EUR'. */
  readonly currency?: string;
  readonly onHold?: boolean;
  readonly onHoldReason?: string | null;
  readonly disputed?: boolean;
  /** In a pending SEPA direct debit batch: not chased until the bank's outcome is known. */
  readonly inCollection?: boolean;
  /** The debtor is collected instead of reminded (policy, with an active mandate) and this item's debit never came back: left to the collection. */
  readonly collectByMandate?: boolean;
};

export type SentStep = {
  readonly stepKey: string;
  readonly sentDate: IsoDate;
  /** Set when the step was a 14-dagenbrief, so a later change of policy keeps it. */
  readonly fourteenDayLetter?: boolean;
  /**
   * The step's message is on its way (queued, being sent, to print, printed, uncertain) and not yet
   * delivered: the step is not reached, and the item waits — no run plans anything for it.
   */
  readonly pending?: boolean;
};

/** What was sent for one item, in any order. */
export type ItemHistory = { readonly itemId: string; readonly sent: readonly SentStep[] };

export type PlanInput = {
  readonly asOf: IsoDate;
  readonly settings: PlanSettings;
  readonly debtors: readonly PlanDebtor[];
  readonly items: readonly PlanItem[];
  readonly history?: readonly ItemHistory[];
  /** Default: DEFAULT_POLICY for the administration, LARGE_ACCOUNT_POLICY for segment 'large_account'. */
  readonly policies?: readonly DunningPolicy[];
  /** Dedupe keys already in the outbox (queued or sent): those messages are never planned again. */
  readonly sentDedupeKeys?: ReadonlySet<string> | readonly string[];
  /**
   * Also list idle items, one skip entry each: overdue items whose next step is not due yet
   * (not_due_yet) and items past the last step (no_policy_step). Default false: they are only
   * counted, as they would swamp the preview of a large administration every day.
   */
  readonly listIdleItems?: boolean;
};

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

export type Bilingual = { readonly nl: string; readonly en: string };
export type Language = 'nl' | 'en';

export type BlockReason = 'stale_bank_data' | 'unmatched_payments' | 'stale_package_data';
export type RunBlock = { readonly reason: BlockReason; readonly message: Bilingual };

export type SkipReason =
  | 'debtor_on_hold'
  | 'item_on_hold'
  | 'disputed'
  | 'in_collection'
  | 'collect_by_mandate'
  | 'payment_plan'
  | 'promise_to_pay'
  | 'status_paused'
  | 'below_minimum'
  | 'credit_covers'
  | 'not_due_yet'
  | 'already_sent'
  | 'no_policy_step'
  | 'no_policy'
  | 'fourteen_day_term_running'
  | 'awaiting_delivery'
  | 'unknown_debtor';

export type SkippedEntry = {
  readonly debtorId: string;
  /** Set for an entry about one item. */
  readonly itemId?: string;
  /** Set for an entry about several items (a debtor or a message that was not sent). */
  readonly itemIds?: readonly string[];
  /** The step that would have been sent. */
  readonly stepKey?: string;
  /** not_due_yet / fourteen_day_term_running: the day it becomes due. */
  readonly dueOn?: IsoDate;
  readonly reason: SkipReason;
  readonly message: Bilingual;
};

export type PlannedItem = {
  readonly itemId: string;
  readonly number: string;
  readonly issueDate: IsoDate;
  readonly dueDate: IsoDate;
  readonly openCents: Cents;
  readonly daysOverdue: number;
  /** Statutory interest from the day after the due date to asOf; 0 when the step charges none. */
  readonly interestCents: Cents;
  /** The step sent last for this item (null: none). */
  readonly previousStepKey: string | null;
  /** Statements only: the item is in dispute / on hold (listed, not demanded). */
  readonly disputed?: boolean;
  readonly onHold?: boolean;
};

export type CostsWithheld = 'consumer_no_fourteen_day_letter' | 'consumer_term_running' | 'not_eur' | 'not_overdue';

export type PlannedMessage = {
  readonly debtorId: string;
  readonly debtorNumber: string;
  readonly debtorName: string;
  readonly debtorType: DebtorType;
  readonly policyKey: string;
  readonly stepKey: string;
  readonly stepIndex: number;
  readonly stepName: string;
  readonly channel: DunningChannel;
  readonly language: Language;
  readonly template: string;
  readonly currency: string;
  /** Sorted (string order), as in the dedupe key. */
  readonly itemIds: readonly string[];
  /** Oldest due date first. */
  readonly items: readonly PlannedItem[];
  readonly principalCents: Cents;
  readonly interestCents: Cents;
  /** Collection costs excl. VAT charged in this message. */
  readonly costsCents: Cents;
  readonly vatCents: Cents;
  readonly totalCents: Cents;
  /** Items whose principal is the base of the costs (consumers: those with an expired 14-day letter). */
  readonly costsBaseItemIds: readonly string[];
  /** Why costs the step would charge are not charged (in whole or for some items). */
  readonly costsWithheld: CostsWithheld | null;
  /** 14-dagenbrief: the costs (incl. VAT) the letter must state in euros, charged only after its term. */
  readonly announcedCostsCents: Cents | null;
  /** 14-dagenbrief: the term if the letter goes out on asOf. */
  readonly fourteenDayTerm: FourteenDayDates | null;
  /** The debtor's credit balance (≤ 0), shown beside the claim. */
  readonly creditBalanceCents: Cents;
  /** `${debtorId}:${stepKey}:${sorted itemIds}`; statements add the month: `${debtorId}:${stepKey}@YYYY-MM:…`. */
  readonly dedupeKey: string;
  readonly legal: DunningLegal;
};

export type AmountTotals = { principalCents: Cents; interestCents: Cents; costsCents: Cents; vatCents: Cents; totalCents: Cents };

export type RunTotals = {
  readonly debtors: number;
  readonly messages: number;
  readonly items: number;
  /** Per currency: amounts are never summed across currencies. */
  readonly amounts: Readonly<Record<string, AmountTotals>>;
  readonly byStep: Readonly<Record<string, { messages: number; items: number }>>;
  readonly byChannel: Readonly<Record<string, number>>;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  /** Overdue items whose next step is not due yet (counted even when not listed). */
  readonly notDueYetItems: number;
  /** Items past the last step of their policy (counted even when not listed). */
  readonly completedItems: number;
};

export type RunPlan = {
  readonly asOf: IsoDate;
  /** The first block, or null when nothing blocks (or the user overrode it). */
  readonly blocked: RunBlock | null;
  /** All blocks found (also when overridden). */
  readonly blocks: readonly RunBlock[];
  readonly overridden: boolean;
  /** What goes out: empty while blocked. */
  readonly messages: readonly PlannedMessage[];
  /** While blocked: what would go out. Empty when not blocked. */
  readonly wouldSend: readonly PlannedMessage[];
  readonly skipped: readonly SkippedEntry[];
  /** Totals of what goes out (or would, while blocked). */
  readonly totals: RunTotals;
};

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

const eur = (c: Cents, cur: string, lang: Language) => formatMoney(c, cur, lang);
const withReason = (base: Bilingual, reason: string | null | undefined): Bilingual =>
  reason ? { nl: `${base.nl}: ${reason}`, en: `${base.en}: ${reason}` } : base;

function stepName(step: DunningStep | undefined): string {
  return step ? step.name : '';
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

/** The bank-data gate: no statement yet, or the newest older than `staleAfterDays`, is stale (the run is blocked). */
export function bankDataStale(ageDays: number | null, staleAfterDays = 3): boolean {
  return ageDays === null || ageDays > staleAfterDays;
}

export function runBlocks(asOf: IsoDate, s: PlanSettings): RunBlock[] {
  const blocks: RunBlock[] = [...packageBlocks(s.packageData ?? [])];
  if (s.bankGate === false) return blocks;
  const staleAfter = s.staleAfterDays ?? 3;
  const age = s.bankDataAgeDays ?? (s.lastBankImportDate ? daysBetween(s.lastBankImportDate, asOf) : null);
  if (age === null)
    blocks.push({
      reason: 'stale_bank_data',
      message: {
        nl: 'Er zijn nog geen bankgegevens ingelezen: zonder actuele betalingen kan niet worden vastgesteld wat openstaat.',
        en: 'No bank data has been imported: without current payments it is unknown what is still open.',
      },
    });
  else if (age > staleAfter)
    blocks.push({
      reason: 'stale_bank_data',
      message: {
        nl: `De bankgegevens zijn ${age} dagen oud (maximaal ${staleAfter}): lees eerst de nieuwste afschriften in.`,
        en: `The bank data is ${age} days old (at most ${staleAfter}): import the latest statements first.`,
      },
    });
  const waiting = s.unmatchedWaiting ?? 0;
  if (waiting > 0)
    blocks.push({
      reason: 'unmatched_payments',
      message: {
        nl: `${waiting} betaling${waiting === 1 ? '' : 'en'} wacht${waiting === 1 ? '' : 'en'} op controle: verwerk ${waiting === 1 ? 'deze' : 'ze'} eerst.`,
        en: `${waiting} payment${waiting === 1 ? '' : 's'} await${waiting === 1 ? 's' : ''} review: process ${waiting === 1 ? 'it' : 'them'} first.`,
      },
    });
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Per-policy precomputation
// ---------------------------------------------------------------------------------------------

type PolicyPlan = {
  policy: DunningPolicy;
  steps: readonly DunningStep[];
  indexByKey: Map<string, number>;
  /** Latest sent date (or due date) on or before which a step is due: asOf − delayDays. */
  threshold: IsoDate[];
  isStatement: boolean[];
  isLetter: boolean[];
  /** next[type][i + 1] = first per-item step after i for that debtor type, or -1. */
  next: Record<DebtorType, Int32Array>;
  statementSteps: number[];
};

function preparePolicy(policy: DunningPolicy, asOf: IsoDate): PolicyPlan {
  const steps = policy.steps;
  const indexByKey = new Map<string, number>();
  steps.forEach((s, i) => {
    if (!indexByKey.has(s.key)) indexByKey.set(s.key, i);
  });
  const isStatement = steps.map((s) => s.channel === 'statement');
  const next = {} as Record<DebtorType, Int32Array>;
  for (const type of ['business', 'consumer'] as const) {
    const arr = new Int32Array(steps.length + 1).fill(-1);
    for (let from = steps.length - 1; from >= -1; from--) {
      let found = -1;
      for (let j = from + 1; j < steps.length; j++) {
        if (!isStatement[j] && stepAppliesTo(steps[j]!, type)) {
          found = j;
          break;
        }
      }
      arr[from + 1] = found;
    }
    next[type] = arr;
  }
  return {
    policy,
    steps,
    indexByKey,
    threshold: steps.map((s) => addDays(asOf, -s.delayDays)),
    isStatement,
    isLetter: steps.map((s) => !!s.legal.fourteenDayLetter),
    next,
    statementSteps: steps.flatMap((s, i) => (isStatement[i] ? [i] : [])),
  };
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

type DueItem = { item: PlanItem; idx: number; lastKey: string | null; letterDate: IsoDate | null };

function languageOf(d: PlanDebtor): Language {
  return !d.language || d.language.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

const byDueThenNumber = (a: PlanItem, b: PlanItem) =>
  a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function planRun(input: PlanInput): RunPlan {
  const { asOf, settings } = input;
  const baseCurrency = settings.currency ?? 'EUR';
  const policies = input.policies ?? BUILT_IN_POLICIES;
  const choose = makePolicyChooser(policies);
  const vat: BikVatInput = { creditorCanDeductVat: settings.vatDeductible };
  const dedupe = input.sentDedupeKeys instanceof Set ? input.sentDedupeKeys : new Set(input.sentDedupeKeys as readonly string[] | undefined);
  const asOfMonth = asOf.slice(0, 7);
  const asOfDay = Number(asOf.slice(8, 10));
  const monthDays = daysInMonth(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)));

  const prepared = new Map<DunningPolicy, PolicyPlan>();
  const prepare = (p: DunningPolicy) => {
    let pp = prepared.get(p);
    if (!pp) prepared.set(p, (pp = preparePolicy(p, asOf)));
    return pp;
  };

  const overdueDays = new Map<IsoDate, number>();
  const daysLate = (due: IsoDate) => {
    let n = overdueDays.get(due);
    if (n === undefined) overdueDays.set(due, (n = daysBetween(due, asOf)));
    return n;
  };
  const interestOf = makeInterestCalculator(asOf, settings.interestDayCount);
  const chargeable = new Map<IsoDate, IsoDate>();
  const costsFrom = (letterDate: IsoDate) => {
    let d = chargeable.get(letterDate);
    if (d === undefined) chargeable.set(letterDate, (d = fourteenDayDates(letterDate, settings.fourteenDayOptions).costsChargeableFrom));
    return d;
  };

  // Index: items per debtor, history per item.
  const itemsByDebtor = new Map<string, PlanItem[]>();
  for (const it of input.items) {
    const list = itemsByDebtor.get(it.debtorId);
    if (list) list.push(it);
    else itemsByDebtor.set(it.debtorId, [it]);
  }
  const historyByItem = new Map<string, readonly SentStep[]>();
  for (const h of input.history ?? []) {
    const prev = historyByItem.get(h.itemId);
    historyByItem.set(h.itemId, prev ? [...prev, ...h.sent] : h.sent);
  }

  const planned: PlannedMessage[] = [];
  const skipped: SkippedEntry[] = [];
  let notDueYetItems = 0;
  let completedItems = 0;

  const knownDebtors = new Set<string>();
  for (const debtor of input.debtors) {
    knownDebtors.add(debtor.id);
    const items = itemsByDebtor.get(debtor.id);
    if (!items) continue;
    const lang = languageOf(debtor);
    const policy = choose(debtor);
    if (!policy) {
      const overdue = items.filter((i) => i.openCents > 0 && i.dueDate < asOf).map((i) => i.id);
      if (overdue.length > 0)
        skipped.push({
          debtorId: debtor.id,
          itemIds: overdue.sort(cmpStr),
          reason: 'no_policy',
          message: { nl: 'Geen aanmaanbeleid van toepassing op deze debiteur', en: 'No dunning policy applies to this debtor' },
        });
      continue;
    }
    const pp = prepare(policy);
    const nextOf = pp.next[debtor.type];

    // 1. Per item: the next step, and whether it is due today.
    const due: DueItem[] = [];
    const completed: { item: PlanItem; lastKey: string | null }[] = [];
    const notDue: { item: PlanItem; idx: number; dueOn: IsoDate }[] = [];
    const alreadySent: { item: PlanItem; idx: number }[] = [];
    const awaiting: { item: PlanItem; stepKey: string }[] = [];
    let lastStatement: IsoDate | null = debtor.lastStatementDate ?? null;
    for (const item of items) {
      const sent = historyByItem.get(item.id);
      let lastIdx = -1;
      let lastKnownDate: IsoDate | null = null;
      let lastDate: IsoDate | null = null;
      let lastKey: string | null = null;
      let letterDate: IsoDate | null = null;
      const onItsWay = sent?.find((s) => s.pending);
      if (onItsWay) {
        if (item.openCents > 0) awaiting.push({ item, stepKey: onItsWay.stepKey });
        continue;
      }
      if (sent) {
        for (const s of sent) {
          const idx = pp.indexByKey.get(s.stepKey);
          if (idx !== undefined && pp.isStatement[idx]) {
            if (lastStatement === null || s.sentDate > lastStatement) lastStatement = s.sentDate;
            continue;
          }
          if (s.fourteenDayLetter || (idx !== undefined && pp.isLetter[idx])) if (letterDate === null || s.sentDate > letterDate) letterDate = s.sentDate;
          if (lastDate === null || s.sentDate > lastDate) {
            lastDate = s.sentDate;
            lastKey = s.stepKey;
          }
          if (idx !== undefined && (lastKnownDate === null || s.sentDate > lastKnownDate || (s.sentDate === lastKnownDate && idx > lastIdx))) {
            lastKnownDate = s.sentDate;
            lastIdx = idx;
          }
        }
      }
      if (item.openCents <= 0) continue; // credit notes and settled items are never demanded
      let idx = nextOf[lastIdx + 1]!;
      let skippedSent = false;
      if (sent) {
        while (idx >= 0 && sent.some((s) => s.stepKey === pp.steps[idx]!.key)) {
          idx = nextOf[idx + 1]!;
          skippedSent = true;
        }
      }
      if (idx < 0) {
        if (skippedSent) alreadySent.push({ item, idx: nextOf[lastIdx + 1]! });
        else {
          completedItems++;
          if (input.listIdleItems) completed.push({ item, lastKey });
        }
        continue;
      }
      const step = pp.steps[idx]!;
      const base = step.basis === 'due_date' || lastDate === null ? item.dueDate : lastDate;
      if (base <= pp.threshold[idx]!) due.push({ item, idx, lastKey, letterDate });
      else if (item.dueDate < asOf) {
        notDueYetItems++;
        if (input.listIdleItems) notDue.push({ item, idx, dueOn: addDays(base, step.delayDays) });
      }
    }

    // 2. Statements: once per calendar month, from the scheduled day on.
    const statements: { idx: number; items: PlanItem[] }[] = [];
    for (const idx of pp.statementSteps) {
      const step = pp.steps[idx]!;
      const day = Math.min(step.schedule?.monthlyDay ?? 1, monthDays);
      if (asOfDay < day) continue;
      if (lastStatement !== null && lastStatement.slice(0, 7) === asOfMonth) continue;
      const th = pp.threshold[idx]!;
      if (!items.some((i) => i.openCents > 0 && i.dueDate <= th)) continue;
      statements.push({ idx, items: items.filter((i) => i.openCents !== 0) });
    }

    for (const a of awaiting)
      skipped.push({
        debtorId: debtor.id,
        itemId: a.item.id,
        stepKey: a.stepKey,
        reason: 'awaiting_delivery',
        message: { nl: `Wacht tot ${a.stepKey} is verzonden of gepost (zie de outbox)`, en: `Waiting until ${a.stepKey} is sent or posted (see the outbox)` },
      });
    if (due.length === 0 && statements.length === 0 && completed.length === 0 && notDue.length === 0 && alreadySent.length === 0) continue;

    // 3. Debtor-level pauses: one entry listing what would have gone out.
    const wouldIds = () => {
      const ids = new Set<string>(due.map((d) => d.item.id));
      for (const s of statements) for (const i of s.items) if (i.openCents > 0) ids.add(i.id);
      return [...ids].sort(cmpStr);
    };
    const promiseAll = !!debtor.promiseUntil && debtor.promiseUntil >= asOf && !debtor.promiseItemIds;
    let pause: { reason: SkipReason; message: Bilingual } | null = null;
    if (debtor.statusPausesChase)
      pause = {
        reason: 'status_paused',
        message: { nl: `Status "${debtor.status ?? ''}" pauzeert het aanmanen`, en: `Status "${debtor.status ?? ''}" pauses the chase` },
      };
    else if (debtor.onHold)
      pause = { reason: 'debtor_on_hold', message: withReason({ nl: 'Debiteur staat on hold', en: 'Debtor is on hold' }, debtor.onHoldReason) };
    else if (debtor.hasActivePaymentPlan)
      pause = { reason: 'payment_plan', message: { nl: 'Debiteur heeft een lopende betalingsregeling', en: 'Debtor has an active payment plan' } };
    else if (promiseAll)
      pause = {
        reason: 'promise_to_pay',
        message: { nl: `Betaalbelofte tot en met ${debtor.promiseUntil}`, en: `Promise to pay by ${debtor.promiseUntil}` },
      };
    if (pause) {
      if (due.length > 0 || statements.length > 0) skipped.push({ debtorId: debtor.id, itemIds: wouldIds(), ...pause });
      continue;
    }

    for (const c of completed)
      skipped.push({
        debtorId: debtor.id,
        itemId: c.item.id,
        reason: 'no_policy_step',
        message: {
          nl: `Alle stappen van "${policy.name}" zijn doorlopen${c.lastKey ? ` (laatste: ${c.lastKey})` : ''}`,
          en: `All steps of "${policy.name}" are done${c.lastKey ? ` (last: ${c.lastKey})` : ''}`,
        },
      });
    for (const a of alreadySent)
      skipped.push({
        debtorId: debtor.id,
        itemId: a.item.id,
        ...(a.idx >= 0 ? { stepKey: pp.steps[a.idx]!.key } : {}),
        reason: 'already_sent',
        message: { nl: 'De volgende stap is al eerder verstuurd', en: 'The next step was sent before' },
      });
    for (const n of notDue)
      skipped.push({
        debtorId: debtor.id,
        itemId: n.item.id,
        stepKey: pp.steps[n.idx]!.key,
        dueOn: n.dueOn,
        reason: 'not_due_yet',
        message: { nl: `${stepName(pp.steps[n.idx])} volgt op ${n.dueOn}`, en: `${stepName(pp.steps[n.idx])} follows on ${n.dueOn}` },
      });

    // 4. Item-level pauses.
    const promiseItems = debtor.promiseUntil && debtor.promiseUntil >= asOf && debtor.promiseItemIds ? new Set(debtor.promiseItemIds) : null;
    const chase: DueItem[] = [];
    for (const d of due) {
      const it = d.item;
      const stepKey = pp.steps[d.idx]!.key;
      if (it.onHold)
        skipped.push({ debtorId: debtor.id, itemId: it.id, stepKey, reason: 'item_on_hold', message: withReason({ nl: `Factuur ${it.number} staat on hold`, en: `Invoice ${it.number} is on hold` }, it.onHoldReason) });
      else if (it.disputed)
        skipped.push({ debtorId: debtor.id, itemId: it.id, stepKey, reason: 'disputed', message: { nl: `Factuur ${it.number} is betwist`, en: `Invoice ${it.number} is disputed` } });
      else if (it.inCollection)
        skipped.push({ debtorId: debtor.id, itemId: it.id, stepKey, reason: 'in_collection', message: { nl: `Factuur ${it.number} wordt geïncasseerd (SEPA-incasso loopt)`, en: `Invoice ${it.number} is being collected by direct debit` } });
      else if (it.collectByMandate)
        skipped.push({ debtorId: debtor.id, itemId: it.id, stepKey, reason: 'collect_by_mandate', message: { nl: `Factuur ${it.number} wordt met de machtiging geïncasseerd in plaats van herinnerd`, en: `Invoice ${it.number} is collected with the mandate instead of reminded` } });
      else if (promiseItems?.has(it.id))
        skipped.push({
          debtorId: debtor.id,
          itemId: it.id,
          stepKey,
          reason: 'promise_to_pay',
          message: { nl: `Betaalbelofte voor factuur ${it.number} tot en met ${debtor.promiseUntil}`, en: `Promise to pay invoice ${it.number} by ${debtor.promiseUntil}` },
        });
      else chase.push(d);
    }

    // 5. A credit balance that covers the overdue debt: offset, don't demand.
    let credit = debtor.creditBalanceCents;
    if (credit === undefined) {
      credit = 0;
      for (const i of items) if (i.openCents < 0 && (i.currency ?? 'EUR') === baseCurrency) credit += i.openCents;
    }
    const creditAbs = Math.abs(credit);
    if (chase.length > 0 && creditAbs > 0) {
      let debt = 0;
      let foreign = false;
      for (const i of items) {
        if (i.openCents <= 0 || i.dueDate >= asOf || i.onHold || i.disputed || i.inCollection || i.collectByMandate || promiseItems?.has(i.id)) continue;
        if ((i.currency ?? 'EUR') === baseCurrency) debt += i.openCents;
        else foreign = true;
      }
      if (!foreign && creditAbs >= debt) {
        skipped.push({
          debtorId: debtor.id,
          itemIds: chase.map((d) => d.item.id).sort(cmpStr),
          reason: 'credit_covers',
          message: {
            nl: `Het tegoed van ${eur(creditAbs, baseCurrency, 'nl')} dekt de vervallen ${eur(debt, baseCurrency, 'nl')}: verrekenen in plaats van aanmanen`,
            en: `The credit of ${eur(creditAbs, baseCurrency, 'en')} covers the overdue ${eur(debt, baseCurrency, 'en')}: offset instead of dunning`,
          },
        });
        chase.length = 0;
      }
    }

    // 6. One message per step (and currency).
    const groups = new Map<string, DueItem[]>();
    for (const d of chase) {
      const key = `${d.idx}\u0000${d.item.currency ?? 'EUR'}`;
      const g = groups.get(key);
      if (g) g.push(d);
      else groups.set(key, [d]);
    }
    for (const group of groups.values()) {
      const idx = group[0]!.idx;
      const step = pp.steps[idx]!;
      const currency = group[0]!.item.currency ?? 'EUR';
      let members = group;

      // A consumer's hand-over waits until the 14-day term of every item has expired.
      if (debtor.type === 'consumer' && step.legal.collectionAgency) {
        const waiting = members.filter((d) => d.letterDate !== null && costsFrom(d.letterDate) > asOf);
        if (waiting.length > 0) {
          const from = waiting.map((d) => costsFrom(d.letterDate!)).sort(cmpStr).at(-1)!;
          skipped.push({
            debtorId: debtor.id,
            itemIds: waiting.map((d) => d.item.id).sort(cmpStr),
            stepKey: step.key,
            dueOn: from,
            reason: 'fourteen_day_term_running',
            message: {
              nl: `De termijn van de 14-dagenbrief loopt nog; overdracht vanaf ${from}`,
              en: `The term of the 14-day letter is still running; hand-over from ${from}`,
            },
          });
          members = members.filter((d) => !waiting.includes(d));
          if (members.length === 0) continue;
        }
      }

      let principal = 0;
      for (const d of members) principal += d.item.openCents;
      if (principal < step.minimumCents) {
        skipped.push({
          debtorId: debtor.id,
          itemIds: members.map((d) => d.item.id).sort(cmpStr),
          stepKey: step.key,
          reason: 'below_minimum',
          message: {
            nl: `${eur(principal, currency, 'nl')} is minder dan het minimum van ${eur(step.minimumCents, currency, 'nl')} voor ${step.name}`,
            en: `${eur(principal, currency, 'en')} is below the minimum of ${eur(step.minimumCents, currency, 'en')} for ${step.name}`,
          },
        });
        continue;
      }

      const msg = buildMessage(debtor, lang, pp, idx, currency, members, principal, credit);
      if (dedupe.has(msg.dedupeKey)) {
        skipped.push({
          debtorId: debtor.id,
          itemIds: msg.itemIds,
          stepKey: step.key,
          reason: 'already_sent',
          message: { nl: `${step.name} is voor deze posten al verstuurd`, en: `${step.name} was already sent for these items` },
        });
        continue;
      }
      planned.push(msg);
    }

    // 7. Statements of account.
    for (const s of statements) {
      const step = pp.steps[s.idx]!;
      const byCurrency = new Map<string, PlanItem[]>();
      for (const i of s.items) {
        const c = i.currency ?? 'EUR';
        const l = byCurrency.get(c);
        if (l) l.push(i);
        else byCurrency.set(c, [i]);
      }
      for (const [currency, list] of byCurrency) {
        let balance = 0;
        for (const i of list) balance += i.openCents;
        const ids = list.map((i) => i.id).sort(cmpStr);
        if (balance <= 0) {
          skipped.push({
            debtorId: debtor.id,
            itemIds: ids,
            stepKey: step.key,
            reason: 'credit_covers',
            message: {
              nl: `Het saldo is ${eur(balance, currency, 'nl')}: geen rekeningoverzicht nodig`,
              en: `The balance is ${eur(balance, currency, 'en')}: no statement needed`,
            },
          });
          continue;
        }
        if (balance < step.minimumCents) {
          skipped.push({
            debtorId: debtor.id,
            itemIds: ids,
            stepKey: step.key,
            reason: 'below_minimum',
            message: {
              nl: `Saldo ${eur(balance, currency, 'nl')} is minder dan het minimum van ${eur(step.minimumCents, currency, 'nl')}`,
              en: `Balance ${eur(balance, currency, 'en')} is below the minimum of ${eur(step.minimumCents, currency, 'en')}`,
            },
          });
          continue;
        }
        const sorted = [...list].sort(byDueThenNumber);
        const msg: PlannedMessage = {
          debtorId: debtor.id,
          debtorNumber: debtor.number,
          debtorName: debtor.name,
          debtorType: debtor.type,
          policyKey: policy.key,
          stepKey: step.key,
          stepIndex: s.idx,
          stepName: step.name,
          channel: step.channel,
          language: lang,
          template: step.template[lang],
          currency,
          itemIds: ids,
          items: sorted.map((i) => ({
            itemId: i.id,
            number: i.number,
            issueDate: i.issueDate,
            dueDate: i.dueDate,
            openCents: i.openCents,
            daysOverdue: daysLate(i.dueDate),
            interestCents: 0,
            previousStepKey: null,
            ...(i.disputed ? { disputed: true } : {}),
            ...(i.onHold ? { onHold: true } : {}),
          })),
          principalCents: balance,
          interestCents: 0,
          costsCents: 0,
          vatCents: 0,
          totalCents: balance,
          costsBaseItemIds: [],
          costsWithheld: null,
          announcedCostsCents: null,
          fourteenDayTerm: null,
          creditBalanceCents: credit,
          dedupeKey: `${debtor.id}:${step.key}@${asOfMonth}:${ids.join(',')}`,
          legal: step.legal,
        };
        if (dedupe.has(msg.dedupeKey)) {
          skipped.push({
            debtorId: debtor.id,
            itemIds: ids,
            stepKey: step.key,
            reason: 'already_sent',
            message: { nl: 'Het rekeningoverzicht van deze maand is al verstuurd', en: "This month's statement was already sent" },
          });
          continue;
        }
        planned.push(msg);
      }
    }
  }

  // Items of debtors we do not know: reported once per debtor, never dunned.
  for (const [debtorId, items] of itemsByDebtor) {
    if (knownDebtors.has(debtorId)) continue;
    skipped.push({
      debtorId,
      itemIds: items.map((i) => i.id).sort(cmpStr),
      reason: 'unknown_debtor',
      message: { nl: 'Openstaande posten van een onbekende debiteur', en: 'Open items of an unknown debtor' },
    });
  }

  // Deterministic order, whatever the input order.
  planned.sort((a, b) => cmpStr(a.debtorNumber, b.debtorNumber) || cmpStr(a.debtorId, b.debtorId) || a.stepIndex - b.stepIndex || cmpStr(a.currency, b.currency));
  skipped.sort((a, b) => cmpStr(a.debtorId, b.debtorId) || cmpStr(a.itemId ?? a.itemIds?.[0] ?? '', b.itemId ?? b.itemIds?.[0] ?? '') || cmpStr(a.reason, b.reason) || cmpStr(a.stepKey ?? '', b.stepKey ?? ''));

  const blocks = runBlocks(asOf, settings);
  const overridden = blocks.length > 0 && settings.override === true;
  const blocked = blocks.length > 0 && !overridden ? blocks[0]! : null;
  return {
    asOf,
    blocked,
    blocks,
    overridden,
    messages: blocked ? [] : planned,
    wouldSend: blocked ? planned : [],
    skipped,
    totals: totalsOf(planned, skipped, notDueYetItems, completedItems),
  };

  function buildMessage(
    debtor: PlanDebtor,
    lang: Language,
    pp: PolicyPlan,
    idx: number,
    currency: string,
    members: DueItem[],
    principal: Cents,
    credit: Cents,
  ): PlannedMessage {
    const step = pp.steps[idx]!;
    const kind = debtor.type === 'consumer' ? 'consumer' : 'commercial';
    members.sort((a, b) => byDueThenNumber(a.item, b.item));
    let interestTotal = 0;
    const items: PlannedItem[] = members.map((d) => {
      const it = d.item;
      let interest = 0;
      if (step.legal.chargeInterest && it.dueDate < asOf)
        interest = interestOf(kind, it.dueDate, it.openCents);
      interestTotal += interest;
      return {
        itemId: it.id,
        number: it.number,
        issueDate: it.issueDate,
        dueDate: it.dueDate,
        openCents: it.openCents,
        daysOverdue: daysLate(it.dueDate),
        interestCents: interest,
        previousStepKey: d.lastKey,
      };
    });
    const itemIds = members.map((d) => d.item.id).sort(cmpStr);

    let costs = 0;
    let vatCents = 0;
    let costsBase: string[] = [];
    let withheld: CostsWithheld | null = null;
    if (step.legal.chargeCosts) {
      if (currency !== 'EUR') withheld = 'not_eur';
      else if (debtor.type === 'consumer') {
        const expired = members.filter((d) => d.letterDate !== null && costsFrom(d.letterDate) <= asOf);
        if (expired.length < members.length)
          withheld = members.some((d) => d.letterDate !== null && costsFrom(d.letterDate) > asOf) ? 'consumer_term_running' : 'consumer_no_fourteen_day_letter';
        if (expired.length > 0) {
          const bik = collectionCosts({ principalCents: expired.map((d) => d.item.openCents), vat });
          costs = bik.costsCents;
          vatCents = bik.vatCents;
          costsBase = expired.map((d) => d.item.id).sort(cmpStr);
        }
      } else {
        const principals = members.map((d) => d.item.openCents);
        const b2b = b2bCollectionCosts({ principalCents: principals, dueDate: members[0]!.item.dueDate, asOf });
        if (!b2b.due) withheld = 'not_overdue';
        else {
          const bik = collectionCosts({ principalCents: principals, vat });
          costs = b2b.claimCents;
          // The 40.00 floor equals the BIK minimum, so the claim is the BIK amount and so is its VAT.
          vatCents = !bik.vatApplies ? 0 : costs === bik.costsCents ? bik.vatCents : mulDivRound(costs, Math.round(bik.vatPercent * 100), 10_000);
          costsBase = itemIds;
        }
      }
    }

    let announced: Cents | null = null;
    let term: FourteenDayDates | null = null;
    if (step.legal.fourteenDayLetter) {
      announced = collectionCosts({ principalCents: members.map((d) => d.item.openCents), vat }).totalCents;
      term = fourteenDayDates(asOf, settings.fourteenDayOptions);
    }

    return {
      debtorId: debtor.id,
      debtorNumber: debtor.number,
      debtorName: debtor.name,
      debtorType: debtor.type,
      policyKey: pp.policy.key,
      stepKey: step.key,
      stepIndex: idx,
      stepName: step.name,
      channel: step.channel,
      language: lang,
      template: step.template[lang],
      currency,
      itemIds,
      items,
      principalCents: principal,
      interestCents: interestTotal,
      costsCents: costs,
      vatCents,
      totalCents: principal + interestTotal + costs + vatCents,
      costsBaseItemIds: costsBase,
      costsWithheld: withheld,
      announcedCostsCents: announced,
      fourteenDayTerm: term,
      creditBalanceCents: credit,
      dedupeKey: `${debtor.id}:${step.key}:${itemIds.join(',')}`,
      legal: step.legal,
    };
  }
}

/**
 * Statutory interest from the day after the due date up to asOf, as legal/interest.ts computes it,
 * fast for a million items. Within the first interest year (no capitalisation yet) interest.ts
 * sums base × rate × days exactly over the rate periods and rounds once, half-up, so the result is
 * round(P × Σ rateBp·days / (10,000 × yearDays)); the period structure is taken from
 * statutoryInterest itself (once per due date) and the result is checked against it in the tests.
 * Longer spans, with capitalisation, go to statutoryInterest item by item.
 */
export function makeInterestCalculator(asOf: IsoDate, dayCount?: DayCount): (kind: InterestKind, dueDate: IsoDate, principalCents: Cents) => Cents {
  const shapes = new Map<string, { rateDays: number; den: number } | null>();
  return (kind, dueDate, principalCents) => {
    if (dueDate >= asOf || principalCents <= 0) return 0;
    const key = `${kind}${dueDate}`;
    let shape = shapes.get(key);
    if (shape === undefined) {
      const r = statutoryInterest({ principalCents: 0, from: addDays(dueDate, 1), to: asOf, kind, dayCount });
      const yearDays = r.periods[0]?.yearDays ?? 365;
      shape =
        r.capitalisations.length === 0 && r.periods.every((p) => p.yearDays === yearDays)
          ? { rateDays: r.periods.reduce((sum, p) => sum + p.rateBp * p.days, 0), den: 10_000 * yearDays }
          : null;
      shapes.set(key, shape);
    }
    const twiceNum = 2 * principalCents * (shape?.rateDays ?? 0);
    if (shape === null || !Number.isSafeInteger(twiceNum + 2 * shape.den))
      return statutoryInterest({ principalCents, from: addDays(dueDate, 1), to: asOf, kind, dayCount }).interestCents;
    // Half-up: floor((2·num + den) / (2·den)), corrected for floating-point division.
    const a = twiceNum + shape.den;
    const b = 2 * shape.den;
    let q = Math.floor(a / b);
    if (q * b > a) q--;
    else if ((q + 1) * b <= a) q++;
    return q;
  };
}

function totalsOf(planned: readonly PlannedMessage[], skipped: readonly SkippedEntry[], notDueYetItems: number, completedItems: number): RunTotals {
  const amounts: Record<string, AmountTotals> = {};
  const byStep: Record<string, { messages: number; items: number }> = {};
  const byChannel: Record<string, number> = {};
  const skippedCount: Partial<Record<SkipReason, number>> = {};
  const debtors = new Set<string>();
  let items = 0;
  for (const m of planned) {
    debtors.add(m.debtorId);
    items += m.items.length;
    const a = (amounts[m.currency] ??= { principalCents: 0, interestCents: 0, costsCents: 0, vatCents: 0, totalCents: 0 });
    a.principalCents += m.principalCents;
    a.interestCents += m.interestCents;
    a.costsCents += m.costsCents;
    a.vatCents += m.vatCents;
    a.totalCents += m.totalCents;
    const s = (byStep[m.stepKey] ??= { messages: 0, items: 0 });
    s.messages++;
    s.items += m.items.length;
    byChannel[m.channel] = (byChannel[m.channel] ?? 0) + 1;
  }
  for (const s of skipped) skippedCount[s.reason] = (skippedCount[s.reason] ?? 0) + 1;
  return { debtors: debtors.size, messages: planned.length, items, amounts, byStep, byChannel, skipped: skippedCount, notDueYetItems, completedItems };
}
