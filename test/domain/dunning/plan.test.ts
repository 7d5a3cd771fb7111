import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, type IsoDate } from '../../../src/domain/dates.ts';
import { collectionCosts } from '../../../src/domain/legal/collection-costs.ts';
import { fourteenDayDates } from '../../../src/domain/legal/fourteen-day-letter.ts';
import { statutoryInterest } from '../../../src/domain/legal/interest.ts';
import { makePlanBenchInput } from '../../support/dunning-bench-input.ts';
import { bankDataStale, makeInterestCalculator, planRun, type ItemHistory, type PlanDebtor, type PlanInput, type PlanItem, type PlannedMessage, type SentStep } from '../../../src/domain/dunning/plan.ts';
import { DEFAULT_POLICY, LARGE_ACCOUNT_POLICY, type DunningPolicy } from '../../../src/domain/dunning/policy.ts';

// ----- builders -----------------------------------------------------------------------------

const aDebtor = (over: Partial<PlanDebtor> = {}): PlanDebtor => ({ id: 'd1', number: '1001', name: 'Bakkerij Jansen', type: 'business', language: 'nl', ...over });
let seq = 0;
const anItem = (over: Partial<PlanItem> = {}): PlanItem => {
  seq++;
  return { id: `i${seq}`, debtorId: 'd1', number: `F${seq}`, issueDate: '2025-02-01', dueDate: '2025-03-03', openCents: 100_000, currency: 'EUR', ...over };
};
const sent = (itemId: string, ...steps: [string, IsoDate][]): ItemHistory => ({ itemId, sent: steps.map(([stepKey, sentDate]) => ({ stepKey, sentDate })) });
/** Fresh bank data, nothing waiting: the run is not blocked unless a test says so. */
const run = (input: Partial<PlanInput> & { asOf: IsoDate }): ReturnType<typeof planRun> =>
  planRun({ debtors: [aDebtor()], items: [], ...input, settings: { vatDeductible: true, lastBankImportDate: input.asOf, unmatchedWaiting: 0, ...input.settings } });

/** Runs every day from `from` to `to`, recording what was sent as history; returns the messages per day. */
function simulate(debtors: PlanDebtor[], items: PlanItem[], from: IsoDate, to: IsoDate, extra: Partial<PlanInput> = {}) {
  const history = new Map<string, SentStep[]>();
  const out: { date: IsoDate; m: PlannedMessage; plan: ReturnType<typeof planRun> }[] = [];
  const plans = new Map<IsoDate, ReturnType<typeof planRun>>();
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const plan = run({ ...extra, asOf: d, debtors, items, history: [...history].map(([itemId, s]) => ({ itemId, sent: s })) });
    plans.set(d, plan);
    for (const m of plan.messages) {
      out.push({ date: d, m, plan });
      for (const id of m.itemIds) {
        const list = history.get(id) ?? [];
        list.push({ stepKey: m.stepKey, sentDate: d, ...(m.legal.fourteenDayLetter ? { fourteenDayLetter: true } : {}) });
        history.set(id, list);
      }
    }
  }
  return { out, plans, history };
}

// ----- the sequence -------------------------------------------------------------------------

describe('the default sequence over successive as-of dates', () => {
  it('business: reminder on due+2, second reminder 14 days later, phone, demand, notice of default, hand-over; never twice', () => {
    const item = anItem({ id: 'b1', dueDate: '2025-03-03' });
    const { out } = simulate([aDebtor()], [item], '2025-03-01', '2025-07-01');
    expect(out.map((o) => [o.date, o.m.stepKey, o.m.channel])).toEqual([
      ['2025-03-05', 'reminder_1', 'email'],
      ['2025-03-19', 'reminder_2', 'email'],
      ['2025-03-26', 'phone', 'phone'],
      ['2025-04-02', 'demand', 'letter'],
      ['2025-04-16', 'notice_of_default', 'letter'],
      ['2025-04-30', 'collection_agency', 'letter'],
    ]);
    const keys = out.map((o) => o.m.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe('d1:reminder_1:b1');
  });

  it('consumer: the 14-dagenbrief instead of the notice of default; the hand-over waits for its term and then charges costs', () => {
    const consumer = aDebtor({ id: 'c', number: '2001', name: 'J. de Vries', type: 'consumer' });
    const item = anItem({ id: 'c1', debtorId: 'c', dueDate: '2025-03-03', openCents: 100_000 });
    const { out, plans } = simulate([consumer], [item], '2025-03-01', '2025-07-01');
    expect(out.map((o) => [o.date, o.m.stepKey])).toEqual([
      ['2025-03-05', 'reminder_1'],
      ['2025-03-19', 'reminder_2'],
      ['2025-03-26', 'phone'],
      ['2025-04-02', 'demand'],
      ['2025-04-16', 'fourteen_day_letter'],
      ['2025-05-07', 'collection_agency'],
    ]);
    // Letter of Wed 16-04-2025: delivered Sat 19-04 (Goede Vrijdag skipped), term ends Sat 03-05 → Mon 05-05 is a
    // holiday → Tue 06-05; costs from 07-05.
    expect(fourteenDayDates('2025-04-16').costsChargeableFrom).toBe('2025-05-07');

    const letter = out[4]!.m;
    expect(letter.legal.fourteenDayLetter).toBe(true);
    expect(letter.costsCents).toBe(0);
    expect(letter.interestCents).toBe(0);
    expect(letter.announcedCostsCents).toBe(15_000); // 15% of 1,000.00, stated in euros
    expect(letter.fourteenDayTerm).toEqual(fourteenDayDates('2025-04-16'));

    const waiting = plans.get('2025-04-30')!;
    expect(waiting.messages).toEqual([]);
    expect(waiting.skipped).toEqual([
      expect.objectContaining({ debtorId: 'c', itemIds: ['c1'], stepKey: 'collection_agency', reason: 'fourteen_day_term_running', dueOn: '2025-05-07' }),
    ]);

    const handOver = out[5]!.m;
    const expectedInterest = statutoryInterest({ principalCents: 100_000, from: '2025-03-04', to: '2025-05-07', kind: 'consumer' }).interestCents;
    expect(expectedInterest).toBe(1_068); // 65 days × 6% on 1,000.00
    expect(handOver).toMatchObject({
      principalCents: 100_000,
      interestCents: 1_068,
      costsCents: collectionCosts({ principalCents: 100_000 }).costsCents,
      vatCents: 0,
      totalCents: 100_000 + 1_068 + 15_000,
      costsWithheld: null,
      costsBaseItemIds: ['c1'],
    });
    expect(handOver.costsCents).toBe(15_000);
    expect(handOver.items[0]!.interestCents).toBe(1_068);
  });

  it('an item that was never dunned starts at the first step, however late it is', () => {
    const p = run({ asOf: '2025-06-01', items: [anItem({ id: 'x', dueDate: '2025-01-01' })] });
    expect(p.messages.map((m) => m.stepKey)).toEqual(['reminder_1']);
  });

  it('the previous step counts from the date it was sent, not from the due date', () => {
    const items = [anItem({ id: 'x', dueDate: '2025-03-03' })];
    const history = [sent('x', ['reminder_1', '2025-03-10'])];
    expect(run({ asOf: '2025-03-23', items, history }).messages).toEqual([]);
    expect(run({ asOf: '2025-03-24', items, history }).messages.map((m) => m.stepKey)).toEqual(['reminder_2']);
  });
});

// ----- grouping -----------------------------------------------------------------------------

describe('grouping: one message per debtor per step', () => {
  it('groups a debtor\'s items due for the same step, with totals; other steps and debtors get their own message', () => {
    const d2 = aDebtor({ id: 'd2', number: '1002', name: 'Garage Pietersen' });
    const items = [
      anItem({ id: 'a', dueDate: '2025-03-03', openCents: 12_100 }),
      anItem({ id: 'b', dueDate: '2025-03-01', openCents: 5_000 }),
      anItem({ id: 'c', dueDate: '2025-02-01', openCents: 30_000 }),
      anItem({ id: 'e', dueDate: '2025-03-20', openCents: 9_900 }), // not due yet
      anItem({ id: 'f', debtorId: 'd2', dueDate: '2025-03-01', openCents: 7_000 }),
    ];
    const history = [sent('c', ['reminder_1', '2025-02-03'])];
    const p = run({ asOf: '2025-03-05', debtors: [aDebtor(), d2], items, history });
    expect(p.messages.map((m) => [m.debtorId, m.stepKey, m.itemIds, m.principalCents, m.totalCents])).toEqual([
      ['d1', 'reminder_1', ['a', 'b'], 17_100, 17_100],
      ['d1', 'reminder_2', ['c'], 30_000, 30_000],
      ['d2', 'reminder_1', ['f'], 7_000, 7_000],
    ]);
    const first = p.messages[0]!;
    expect(first.items.map((i) => [i.itemId, i.daysOverdue, i.openCents, i.previousStepKey])).toEqual([
      ['b', 4, 5_000, null],
      ['a', 2, 12_100, null],
    ]);
    expect(first).toMatchObject({ channel: 'email', language: 'nl', template: 'dunning/reminder_1.nl', dedupeKey: 'd1:reminder_1:a,b', interestCents: 0, costsCents: 0 });
    expect(p.messages[1]!.items[0]!.previousStepKey).toBe('reminder_1');
    expect(p.totals).toMatchObject({ debtors: 2, messages: 3, items: 4, byStep: { reminder_1: { messages: 2, items: 3 }, reminder_2: { messages: 1, items: 1 } } });
    expect(p.totals.amounts.EUR!.principalCents).toBe(54_100);
  });

  it('uses the debtor\'s language: Dutch for nl, English otherwise', () => {
    const p = run({ asOf: '2025-03-05', debtors: [aDebtor({ language: 'de' })], items: [anItem()] });
    expect(p.messages[0]).toMatchObject({ language: 'en', template: 'dunning/reminder_1.en' });
  });

  it('never mixes currencies in one message', () => {
    const p = run({ asOf: '2025-03-05', items: [anItem({ id: 'e' }), anItem({ id: 'u', currency: 'USD' })] });
    expect(p.messages.map((m) => [m.currency, m.itemIds])).toEqual([
      ['EUR', ['e']],
      ['USD', ['u']],
    ]);
    expect(Object.keys(p.totals.amounts).sort()).toEqual(['EUR', 'USD']);
  });
});

// ----- exactly once -------------------------------------------------------------------------

describe('never twice', () => {
  it('after a change of policy order an item goes on from the last step it reached, never back', () => {
    const items = [anItem({ id: 'x', dueDate: '2025-03-03' })];
    const reordered: DunningPolicy = { ...DEFAULT_POLICY, steps: [DEFAULT_POLICY.steps[0]!, DEFAULT_POLICY.steps[2]!, DEFAULT_POLICY.steps[1]!] };
    // Sent under the old order: reminder_1, reminder_2. Now phone sits before reminder_2: it is not sent.
    const p = run({ asOf: '2025-04-30', items, history: [sent('x', ['reminder_1', '2025-03-05'], ['reminder_2', '2025-03-19'])], policies: [reordered] });
    expect(p.messages).toEqual([]);
    expect(p.totals.completedItems).toBe(1);
  });
  it('steps after the last one reached that were sent before are not sent again', () => {
    const items = [anItem({ id: 'x', dueDate: '2025-03-03' })];
    const reordered: DunningPolicy = { ...DEFAULT_POLICY, steps: DEFAULT_POLICY.steps.slice(0, 3) };
    const history = [sent('x', ['phone', '2025-03-05'], ['reminder_2', '2025-03-10'], ['reminder_1', '2025-03-19'])];
    const p = run({ asOf: '2025-04-30', items, history, policies: [reordered] });
    expect(p.messages).toEqual([]);
    expect(p.skipped).toEqual([expect.objectContaining({ itemId: 'x', stepKey: 'reminder_2', reason: 'already_sent' })]);
  });
  it('a message whose dedupe key is already in the outbox is not planned again', () => {
    const items = [anItem({ id: 'x' }), anItem({ id: 'y' })];
    const p = run({ asOf: '2025-03-05', items, sentDedupeKeys: new Set(['d1:reminder_1:x,y']) });
    expect(p.messages).toEqual([]);
    expect(p.skipped).toEqual([expect.objectContaining({ reason: 'already_sent', stepKey: 'reminder_1', itemIds: ['x', 'y'] })]);
    expect(run({ asOf: '2025-03-05', items, sentDedupeKeys: ['d1:reminder_1:x'] }).messages).toHaveLength(1);
  });
  it('the same step sent today is not planned again on the same day', () => {
    const items = [anItem({ id: 'x' })];
    expect(run({ asOf: '2025-03-05', items, history: [sent('x', ['reminder_1', '2025-03-05'])] }).messages).toEqual([]);
  });
});

// ----- skips --------------------------------------------------------------------------------

describe('every skip reason, with a Dutch and English message', () => {
  const asOf = '2025-03-05';
  const reasons = (p: ReturnType<typeof planRun>) => p.skipped.map((s) => [s.reason, s.itemId ?? s.itemIds]);

  it('debtor on hold (with the reason)', () => {
    const p = run({ asOf, debtors: [aDebtor({ onHold: true, onHoldReason: 'belt terug' })], items: [anItem({ id: 'x' })] });
    expect(p.messages).toEqual([]);
    expect(p.skipped).toEqual([
      { debtorId: 'd1', itemIds: ['x'], reason: 'debtor_on_hold', message: { nl: 'Debiteur staat on hold: belt terug', en: 'Debtor is on hold: belt terug' } },
    ]);
  });
  it('item on hold and disputed item; the other items still go', () => {
    const items = [anItem({ id: 'h', onHold: true, onHoldReason: 'creditnota volgt' }), anItem({ id: 'q', disputed: true }), anItem({ id: 'ok' })];
    const p = run({ asOf, items });
    expect(p.messages.map((m) => m.itemIds)).toEqual([['ok']]);
    expect(reasons(p)).toEqual([
      ['item_on_hold', 'h'],
      ['disputed', 'q'],
    ]);
    expect(p.skipped[0]!.message.nl).toContain('creditnota volgt');
    expect(p.skipped[1]!.message).toEqual({ nl: `Factuur ${items[1]!.number} is betwist`, en: `Invoice ${items[1]!.number} is disputed` });
  });
  it('payment plan', () => {
    const p = run({ asOf, debtors: [aDebtor({ hasActivePaymentPlan: true })], items: [anItem({ id: 'x' })] });
    expect(reasons(p)).toEqual([['payment_plan', ['x']]]);
  });
  it('promise to pay not yet due (all items or some); a broken promise resumes the chase', () => {
    const items = [anItem({ id: 'x' }), anItem({ id: 'y' })];
    expect(reasons(run({ asOf, debtors: [aDebtor({ promiseUntil: '2025-03-05' })], items }))).toEqual([['promise_to_pay', ['x', 'y']]]);
    const some = run({ asOf, debtors: [aDebtor({ promiseUntil: '2025-03-10', promiseItemIds: ['x'] })], items });
    expect(reasons(some)).toEqual([['promise_to_pay', 'x']]);
    expect(some.messages.map((m) => m.itemIds)).toEqual([['y']]);
    expect(run({ asOf, debtors: [aDebtor({ promiseUntil: '2025-03-04' })], items }).messages.map((m) => m.itemIds)).toEqual([['x', 'y']]);
  });
  it('a status that pauses the chase', () => {
    const p = run({ asOf, debtors: [aDebtor({ status: 'incasso', statusPausesChase: true })], items: [anItem({ id: 'x' })] });
    expect(p.skipped).toEqual([
      { debtorId: 'd1', itemIds: ['x'], reason: 'status_paused', message: { nl: 'Status "incasso" pauzeert het aanmanen', en: 'Status "incasso" pauses the chase' } },
    ]);
    // A status that does not pause: the chase goes on.
    expect(run({ asOf, debtors: [aDebtor({ status: 'watch' })], items: [anItem()] }).messages).toHaveLength(1);
  });
  it('below the minimum of the step (the sum of the items in the message)', () => {
    const p = run({ asOf, items: [anItem({ id: 'x', openCents: 250 }), anItem({ id: 'y', openCents: 249 })] });
    expect(p.messages).toEqual([]);
    expect(p.skipped).toEqual([
      {
        debtorId: 'd1',
        itemIds: ['x', 'y'],
        stepKey: 'reminder_1',
        reason: 'below_minimum',
        message: { nl: '€ 4,99 is minder dan het minimum van € 5,00 voor Herinnering', en: '€4.99 is below the minimum of €5.00 for Herinnering' },
      },
    ]);
    expect(run({ asOf, items: [anItem({ openCents: 250 }), anItem({ openCents: 250 })] }).messages).toHaveLength(1);
  });
  it('a credit balance that covers the overdue debt (from the items, or given)', () => {
    const items = [anItem({ id: 'x', openCents: 30_000 }), anItem({ id: 'cn', openCents: -50_000, dueDate: '2025-02-01' })];
    const p = run({ asOf, items });
    expect(p.messages).toEqual([]);
    expect(p.skipped).toEqual([expect.objectContaining({ reason: 'credit_covers', itemIds: ['x'] })]);
    expect(p.skipped[0]!.message.nl).toBe('Het tegoed van € 500,00 dekt de vervallen € 300,00: verrekenen in plaats van aanmanen');
    // Given explicitly: −200.00 does not cover 300.00; the message shows the credit beside the claim.
    const q = run({ asOf, debtors: [aDebtor({ creditBalanceCents: -20_000 })], items: [anItem({ id: 'x', openCents: 30_000 })] });
    expect(q.messages).toHaveLength(1);
    expect(q.messages[0]!.creditBalanceCents).toBe(-20_000);
    expect(run({ asOf, debtors: [aDebtor({ creditBalanceCents: -30_000 })], items: [anItem({ openCents: 30_000 })] }).skipped[0]!.reason).toBe('credit_covers');
  });
  it('not due yet and past the last step: counted, and listed on request', () => {
    const items = [anItem({ id: 'n', dueDate: '2025-03-04' }), anItem({ id: 'z', dueDate: '2024-01-01' })];
    const history = [sent('z', ['collection_agency', '2024-06-01'])];
    const quiet = run({ asOf, items, history });
    expect(quiet.skipped).toEqual([]);
    expect(quiet.totals).toMatchObject({ notDueYetItems: 1, completedItems: 1 });
    const listed = run({ asOf, items, history, listIdleItems: true });
    expect(listed.skipped).toEqual([
      {
        debtorId: 'd1',
        itemId: 'n',
        stepKey: 'reminder_1',
        dueOn: '2025-03-06',
        reason: 'not_due_yet',
        message: { nl: 'Herinnering volgt op 2025-03-06', en: 'Herinnering follows on 2025-03-06' },
      },
      expect.objectContaining({ itemId: 'z', reason: 'no_policy_step' }),
    ]);
  });
  it('no policy for the debtor, and items of an unknown debtor', () => {
    const p = run({ asOf, policies: [LARGE_ACCOUNT_POLICY], items: [anItem({ id: 'x' }), anItem({ id: 'o', debtorId: 'ghost' })] });
    expect(reasons(p)).toEqual([
      ['no_policy', ['x']],
      ['unknown_debtor', ['o']],
    ]);
  });
  it('a debtor that is paused is reported only when something would have gone out', () => {
    const p = run({ asOf, debtors: [aDebtor({ onHold: true })], items: [anItem({ dueDate: '2025-04-01' })] });
    expect(p.skipped).toEqual([]);
  });
  it('every skip message is given in Dutch and English', () => {
    const p = run({
      asOf,
      debtors: [aDebtor(), aDebtor({ id: 'd2', number: '2', onHold: true })],
      items: [anItem({ onHold: true }), anItem({ disputed: true }), anItem({ debtorId: 'd2' }), anItem({ openCents: 100 })],
    });
    expect(p.skipped.length).toBeGreaterThan(2);
    for (const s of p.skipped) {
      expect(s.message.nl.length).toBeGreaterThan(0);
      expect(s.message.en.length).toBeGreaterThan(0);
    }
  });
});

// ----- legal amounts ------------------------------------------------------------------------

describe('interest and costs', () => {
  const business = aDebtor();
  const consumer = aDebtor({ type: 'consumer' });
  const atNotice = (itemId: string) => sent(itemId, ['reminder_1', '2025-03-05'], ['reminder_2', '2025-03-19'], ['phone', '2025-03-26'], ['demand', '2025-04-02']);

  it('B2B notice of default: commercial interest per item and BIK on the summed principal', () => {
    const items = [anItem({ id: 'x', openCents: 100_000 }), anItem({ id: 'y', openCents: 400_000 })];
    const p = run({ asOf: '2025-04-16', debtors: [business], items, history: [atNotice('x'), atNotice('y')] });
    const m = p.messages[0]!;
    expect(m.stepKey).toBe('notice_of_default');
    const ix = statutoryInterest({ principalCents: 100_000, from: '2025-03-04', to: '2025-04-16', kind: 'commercial' }).interestCents;
    expect(ix).toBe(1_344); // 44 days × 11.15%
    const iy = statutoryInterest({ principalCents: 400_000, from: '2025-03-04', to: '2025-04-16', kind: 'commercial' }).interestCents;
    expect(m.items.map((i) => i.interestCents)).toEqual([ix, iy]);
    expect(m.interestCents).toBe(ix + iy);
    // 15% of 2,500 + 10% of 2,500 = 375 + 250 = 625.00 over the summed 5,000.00 (not 150 + 425 per item).
    expect(m.costsCents).toBe(62_500);
    expect(m.costsCents).toBe(collectionCosts({ principalCents: [100_000, 400_000] }).costsCents);
    expect(m.vatCents).toBe(0);
    expect(m.totalCents).toBe(500_000 + ix + iy + 62_500);
    expect(m.legal).toEqual({ noticeOfDefault: true, chargeInterest: true, chargeCosts: true });
  });
  it('B2B: the 40 euro minimum', () => {
    const p = run({ asOf: '2025-04-16', debtors: [business], items: [anItem({ id: 'x', openCents: 10_000 })], history: [atNotice('x')] });
    expect(p.messages[0]!.costsCents).toBe(4_000); // 15% of 100.00 = 15.00 → 40.00
  });
  it('VAT on the costs only when the administration cannot deduct VAT', () => {
    const items = [anItem({ id: 'x', openCents: 100_000 })];
    const deduct = run({ asOf: '2025-04-16', debtors: [business], items, history: [atNotice('x')] });
    const noDeduct = run({ asOf: '2025-04-16', debtors: [business], items, history: [atNotice('x')], settings: { vatDeductible: false } });
    expect(deduct.messages[0]).toMatchObject({ costsCents: 15_000, vatCents: 0 });
    expect(noDeduct.messages[0]).toMatchObject({ costsCents: 15_000, vatCents: 3_150 });
    expect(noDeduct.messages[0]!.totalCents - deduct.messages[0]!.totalCents).toBe(3_150);
    const small = run({ asOf: '2025-04-16', debtors: [business], items: [anItem({ id: 'y', openCents: 10_000 })], history: [atNotice('y')], settings: { vatDeductible: false } });
    expect(small.messages[0]).toMatchObject({ costsCents: 4_000, vatCents: 840 });
  });
  it('the 14-dagenbrief states the costs incl. VAT when VAT applies, and charges nothing', () => {
    const p = run({ asOf: '2025-04-16', debtors: [consumer], items: [anItem({ id: 'x', openCents: 100_000 })], history: [atNotice('x')], settings: { vatDeductible: false } });
    expect(p.messages[0]).toMatchObject({ stepKey: 'fourteen_day_letter', announcedCostsCents: 18_150, costsCents: 0, vatCents: 0, totalCents: 100_000 });
  });
  it('consumer: no costs before a 14-day letter has expired, whatever the policy says', () => {
    const early: DunningPolicy = {
      key: 'early',
      name: 'Te vroeg',
      steps: [{ ...DEFAULT_POLICY.steps[0]!, legal: { chargeCosts: true, chargeInterest: true }, channel: 'letter' }],
    };
    const p = run({ asOf: '2025-03-05', debtors: [consumer], items: [anItem({ id: 'x' })], policies: [early] });
    expect(p.messages[0]).toMatchObject({ costsCents: 0, vatCents: 0, costsWithheld: 'consumer_no_fourteen_day_letter', costsBaseItemIds: [] });
    // A business debtor on the same policy is charged the costs.
    expect(run({ asOf: '2025-03-05', debtors: [business], items: [anItem()], policies: [early] }).messages[0]!.costsCents).toBe(15_000);
  });
  it('consumer: costs only over the items whose 14-day letter expired; the others are withheld', () => {
    const costsStep: DunningPolicy = {
      key: 'two',
      name: 'Twee',
      steps: [
        { ...DEFAULT_POLICY.steps[4]!, basis: 'due_date', delayDays: 2 },
        { ...DEFAULT_POLICY.steps[0]!, key: 'final', basis: 'previous_step', delayDays: 0, channel: 'letter', legal: { chargeCosts: true } },
      ],
    };
    const items = [anItem({ id: 'x', openCents: 100_000 }), anItem({ id: 'y', openCents: 50_000 })];
    // x: the letter of 02-03 has expired; y: the letter of 03-04 is still running.
    const history = [sent('x', ['fourteen_day_letter', '2025-02-03']), sent('y', ['fourteen_day_letter', '2025-03-04'])];
    expect(fourteenDayDates('2025-02-03').costsChargeableFrom <= '2025-03-05').toBe(true);
    expect(fourteenDayDates('2025-03-04').costsChargeableFrom > '2025-03-05').toBe(true);
    const p = run({ asOf: '2025-03-05', debtors: [consumer], items, history, policies: [costsStep] });
    const m = p.messages.find((x) => x.stepKey === 'final')!;
    expect(m.itemIds).toEqual(['x', 'y']);
    expect(m).toMatchObject({ principalCents: 150_000, costsCents: 15_000, costsBaseItemIds: ['x'], costsWithheld: 'consumer_term_running' });
  });
  it('a 14-day letter recorded under another policy still counts (flag in the history)', () => {
    const items = [anItem({ id: 'x', openCents: 100_000 })];
    const history: ItemHistory[] = [{ itemId: 'x', sent: [{ stepKey: 'old_letter', sentDate: '2025-02-03', fourteenDayLetter: true }] }];
    const p = run({ asOf: '2025-04-01', debtors: [consumer], items, history, policies: [{ key: 'h', name: 'H', steps: [DEFAULT_POLICY.steps[6]!] }] });
    expect(p.messages[0]).toMatchObject({ stepKey: 'collection_agency', costsCents: 15_000, costsWithheld: null });
  });
});

// ----- blocks -------------------------------------------------------------------------------

describe('nothing is sent on stale bank data or unmatched payments, unless overridden', () => {
  const asOf = '2025-03-05';
  const items = [anItem({ id: 'x' })];
  it('bank data older than 3 days blocks; 3 days is fine', () => {
    const ok = run({ asOf, items, settings: { vatDeductible: true, lastBankImportDate: '2025-03-02' } });
    expect(ok.blocked).toBeNull();
    expect(ok.messages).toHaveLength(1);
    const stale = run({ asOf, items, settings: { vatDeductible: true, lastBankImportDate: '2025-03-01' } });
    expect(stale.blocked).toEqual({
      reason: 'stale_bank_data',
      message: {
        nl: 'De bankgegevens zijn 4 dagen oud (maximaal 3): lees eerst de nieuwste afschriften in.',
        en: 'The bank data is 4 days old (at most 3): import the latest statements first.',
      },
    });
    expect(stale.messages).toEqual([]);
    expect(stale.wouldSend.map((m) => m.itemIds)).toEqual([['x']]);
    expect(stale.totals.messages).toBe(1);
  });
  it('the limit is a setting; the age can be given directly; no bank data at all blocks', () => {
    expect(run({ asOf, items, settings: { vatDeductible: true, lastBankImportDate: '2025-02-01', staleAfterDays: 40 } }).blocked).toBeNull();
    expect(run({ asOf, items, settings: { vatDeductible: true, bankDataAgeDays: 5 } }).blocked?.reason).toBe('stale_bank_data');
    expect(run({ asOf, items, settings: { vatDeductible: true, lastBankImportDate: null } }).blocked?.reason).toBe('stale_bank_data');
  });
  it('unmatched payments waiting for review block', () => {
    const p = run({ asOf, items, settings: { vatDeductible: true, unmatchedWaiting: 2 } });
    expect(p.blocked).toEqual({
      reason: 'unmatched_payments',
      message: { nl: '2 betalingen wachten op controle: verwerk ze eerst.', en: '2 payments await review: process them first.' },
    });
    expect(p.messages).toEqual([]);
    expect(p.wouldSend).toHaveLength(1);
  });
  it('an explicit override sends anyway and keeps the blocks on record', () => {
    const p = run({ asOf, items, settings: { vatDeductible: true, lastBankImportDate: '2025-01-01', unmatchedWaiting: 1, override: true } });
    expect(p.blocked).toBeNull();
    expect(p.overridden).toBe(true);
    expect(p.blocks.map((b) => b.reason)).toEqual(['stale_bank_data', 'unmatched_payments']);
    expect(p.messages).toHaveLength(1);
    expect(p.wouldSend).toEqual([]);
  });
});

// ----- large accounts -----------------------------------------------------------------------

describe('large account: monthly statement of account', () => {
  const big = aDebtor({ id: 'L', number: '9000', name: 'Groothandel BV', segment: 'large_account' });
  const items = [
    anItem({ id: 'l1', debtorId: 'L', dueDate: '2025-02-10', openCents: 500_000 }),
    anItem({ id: 'l2', debtorId: 'L', dueDate: '2025-03-20', openCents: 200_000 }), // not due yet: listed
    anItem({ id: 'l3', debtorId: 'L', dueDate: '2025-02-15', openCents: -50_000 }), // credit note: listed
    anItem({ id: 'l4', debtorId: 'L', dueDate: '2025-02-12', openCents: 10_000, disputed: true }), // listed, flagged
  ];
  it('goes out on the scheduled day with all open items and the balance; once per calendar month', () => {
    const { out } = simulate([big], items, '2025-03-01', '2025-04-02');
    const statements = out.filter((o) => o.m.channel === 'statement');
    expect(statements.map((o) => o.date)).toEqual(['2025-03-01', '2025-04-01']);
    const m = statements[0]!.m;
    expect(m.itemIds).toEqual(['l1', 'l2', 'l3', 'l4']);
    expect(m.items.map((i) => i.itemId)).toEqual(['l1', 'l4', 'l3', 'l2']);
    expect(m.items.find((i) => i.itemId === 'l4')!.disputed).toBe(true);
    expect(m).toMatchObject({ principalCents: 660_000, totalCents: 660_000, costsCents: 0, interestCents: 0, template: 'dunning/statement.nl' });
    expect(m.dedupeKey).toBe('L:statement@2025-03:l1,l2,l3,l4');
    expect(statements[1]!.m.dedupeKey).toBe('L:statement@2025-04:l1,l2,l3,l4');
    // No per-invoice reminders; the account manager calls 30 days after the due date.
    expect(out.filter((o) => o.m.channel !== 'statement').map((o) => [o.date, o.m.stepKey, o.m.itemIds])).toEqual([
      ['2025-03-12', 'account_manager_call', ['l1']],
      ['2025-03-26', 'demand', ['l1']],
    ]);
  });
  it('a statement missed on its day goes out on the next run in that month; the day is clamped to the month end', () => {
    expect(run({ asOf: '2025-03-17', debtors: [big], items }).messages.filter((m) => m.channel === 'statement')).toHaveLength(1);
    const late: DunningPolicy = { ...LARGE_ACCOUNT_POLICY, steps: [{ ...LARGE_ACCOUNT_POLICY.steps[0]!, schedule: { monthlyDay: 31 } }] };
    expect(run({ asOf: '2025-02-27', debtors: [big], items, policies: [late] }).messages).toEqual([]);
    expect(run({ asOf: '2025-02-28', debtors: [big], items, policies: [late] }).messages).toHaveLength(1);
  });
  it('a statement already sent this month (debtor record) is not sent again', () => {
    expect(run({ asOf: '2025-03-17', debtors: [{ ...big, lastStatementDate: '2025-03-01' }], items }).messages.filter((m) => m.channel === 'statement')).toEqual([]);
  });
  it('no statement without an overdue item, or when credit covers the balance', () => {
    expect(run({ asOf: '2025-03-01', debtors: [big], items: [items[1]!] }).messages).toEqual([]);
    const covered = run({ asOf: '2025-03-01', debtors: [big], items: [items[0]!, anItem({ id: 'cn', debtorId: 'L', openCents: -600_000 })] });
    expect(covered.messages).toEqual([]);
    expect(covered.skipped.map((s) => s.reason)).toEqual(['credit_covers']);
  });
  it('a paused large account gets no statement', () => {
    const p = run({ asOf: '2025-03-01', debtors: [{ ...big, onHold: true }], items });
    expect(p.messages).toEqual([]);
    expect(p.skipped).toEqual([expect.objectContaining({ reason: 'debtor_on_hold', itemIds: ['l1', 'l2', 'l4'] })]);
  });
});

// ----- determinism --------------------------------------------------------------------------

describe('determinism', () => {
  it('the same input in another order gives the same plan', () => {
    const input = makePlanBenchInput(0.01);
    const a = planRun(input);
    const rev: PlanInput = { ...input, debtors: [...input.debtors].reverse(), items: [...input.items].reverse(), history: [...input.history!].reverse() };
    const b = planRun(rev);
    expect(b).toEqual(a);
    expect(a.messages.length).toBeGreaterThan(100);
    expect(new Set(a.messages.map((m) => m.dedupeKey)).size).toBe(a.messages.length);
  });
  it('the bench input is seeded: same scale and seed, same data; every kind of skip occurs', () => {
    expect(makePlanBenchInput(0.002)).toEqual(makePlanBenchInput(0.002));
    expect(makePlanBenchInput(0.002, 1)).not.toEqual(makePlanBenchInput(0.002));
    const input = makePlanBenchInput(0.01);
    expect(input.debtors).toHaveLength(1_000);
    const p = planRun(input);
    for (const r of ['debtor_on_hold', 'item_on_hold', 'disputed', 'payment_plan', 'promise_to_pay', 'status_paused', 'fourteen_day_term_running'] as const)
      expect(p.totals.skipped[r] ?? 0, r).toBeGreaterThan(0);
    for (const step of ['reminder_1', 'reminder_2', 'phone', 'demand', 'fourteen_day_letter', 'notice_of_default', 'collection_agency', 'statement'])
      expect(p.totals.byStep[step]?.messages ?? 0, step).toBeGreaterThan(0);
  });
  it('no message ever charges a consumer costs without an expired 14-day letter', () => {
    const input = makePlanBenchInput(0.02);
    const p = planRun(input);
    const hist = new Map(input.history!.map((h) => [h.itemId, h.sent]));
    for (const m of p.messages) {
      if (m.debtorType !== 'consumer' || m.costsCents === 0) continue;
      for (const id of m.costsBaseItemIds) {
        const letter = hist.get(id)!.find((s) => s.fourteenDayLetter)!;
        expect(fourteenDayDates(letter.sentDate).costsChargeableFrom <= p.asOf).toBe(true);
      }
    }
  });
});

// ----- fast interest --------------------------------------------------------------------------

describe('makeInterestCalculator equals legal/interest.ts', () => {
  it.each(['consumer', 'commercial'] as const)('%s: any principal, any due date up to three years back (with capitalisation)', (kind) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000_000 }), fc.integer({ min: -10, max: 1_100 }), fc.boolean(), (principal, back, leap) => {
        const asOf = '2025-06-02';
        const dayCount = leap ? 'actual/actual' : 'actual/365';
        const calc = makeInterestCalculator(asOf, dayCount);
        const due = addDays(asOf, -back);
        const expected = back <= 0 ? 0 : statutoryInterest({ principalCents: principal, from: addDays(due, 1), to: asOf, kind, dayCount }).interestCents;
        expect(calc(kind, due, principal)).toBe(expected);
        expect(calc(kind, due, principal)).toBe(expected); // cached shape
      }),
      { seed: 20250602, numRuns: 2_000 },
    );
  });
  it('worked example E1 (LEGAL.md 3.5) is within one year: 959.73', () => {
    expect(makeInterestCalculator('2024-03-31')('commercial', '2023-06-15', 1_000_000)).toBe(95_973);
  });
});

describe('bankDataStale', () => {
  it('is stale without any statement, or when the newest is older than the gate (at the gate is still fresh)', () => {
    expect(bankDataStale(null)).toBe(true);
    expect(bankDataStale(3)).toBe(false);
    expect(bankDataStale(4)).toBe(true);
    expect(bankDataStale(0, 0)).toBe(false);
    expect(bankDataStale(1, 0)).toBe(true);
    expect(bankDataStale(7, 7)).toBe(false);
  });
});
