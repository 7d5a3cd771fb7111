/**
 * A seeded, deterministic dunning-run input for the benchmark (the script times planRun on it).
 * Scale 1 = 100,000 debtors with 1,000,000 open items (10 per debtor on average), a realistic mix:
 * consumers and businesses, large accounts on the monthly statement, debtors and items on hold,
 * disputes, payment plans, promises, credit notes, and a history that follows the default policy
 * with some runs missed, so every step is due for some items on the as-of date.
 */
import { createPrng } from '../../src/domain/prng.ts';
import { addDays, type IsoDate } from '../../src/domain/dates.ts';
import { DEFAULT_POLICY, LARGE_ACCOUNT_POLICY } from '../../src/domain/dunning/policy.ts';
import type { ItemHistory, PlanDebtor, PlanInput, PlanItem, SentStep } from '../../src/domain/dunning/plan.ts';


export const BENCH_AS_OF: IsoDate = '2025-06-02';

/** Default-policy step offsets in days after the previous step (the first after the due date). */
const OFFSETS = DEFAULT_POLICY.steps.map((s) => s.delayDays);

export function makePlanBenchInput(scale = 1, seed = 20250602): PlanInput {
  const rand = createPrng(seed).next;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const asOf = BENCH_AS_OF;
  const debtorCount = Math.max(1, Math.round(100_000 * scale));
  const debtors: PlanDebtor[] = [];
  const items: PlanItem[] = [];
  const history: ItemHistory[] = [];
  // Dates repeat a lot in real data; precomputing them keeps generation fast.
  const dateAt: IsoDate[] = [];
  for (let d = -400; d <= 60; d++) dateAt[d + 400] = addDays(asOf, d);
  const day = (offset: number) => dateAt[offset + 400]!;

  let itemSeq = 0;
  for (let i = 0; i < debtorCount; i++) {
    const id = `d${i}`;
    const consumer = rand() < 0.3;
    const large = !consumer && rand() < 0.03;
    const r = rand();
    const promise = r > 0.97 ? day(int(0, 10)) : null;
    debtors.push({
      id,
      number: String(100_000 + i),
      name: `Debiteur ${i}`,
      type: consumer ? 'consumer' : 'business',
      language: rand() < 0.9 ? 'nl' : 'en',
      onHold: r < 0.01,
      onHoldReason: r < 0.01 ? 'klant belt terug' : null,
      status: r >= 0.01 && r < 0.015 ? 'incasso' : 'normaal',
      statusPausesChase: r >= 0.01 && r < 0.015,
      segment: large ? 'large_account' : consumer ? 'consumer' : 'business',
      hasActivePaymentPlan: r >= 0.015 && r < 0.025,
      promiseUntil: promise,
      promiseItemIds: null,
    });
    const n = int(1, 19);
    for (let k = 0; k < n; k++) {
      const itemId = `i${itemSeq++}`;
      const credit = rand() < 0.03;
      // Most open items are recent; a long tail is far overdue.
      const dueOffset = 30 - Math.floor(330 * rand() ** 2);
      const issueOffset = dueOffset - (consumer ? 14 : 30);
      const item: PlanItem = {
        id: itemId,
        debtorId: id,
        number: `F${2025_000_000 + itemSeq}`,
        issueDate: day(Math.max(issueOffset, -400)),
        dueDate: day(dueOffset),
        openCents: credit ? -int(100, 50_000) : int(500, 500_000),
        currency: 'EUR',
        onHold: rand() < 0.01,
        disputed: rand() < 0.01,
      };
      items.push(item);
      if (credit || dueOffset >= 0 || large) continue;
      // History: the steps that fell due before today, lagging by a missed run now and then.
      const sent: SentStep[] = [];
      let at = dueOffset;
      for (let s = 0; s < DEFAULT_POLICY.steps.length; s++) {
        const step = DEFAULT_POLICY.steps[s]!;
        if ((step.audience ?? 'all') !== 'all' && step.audience !== (consumer ? 'consumer' : 'business')) continue;
        at += OFFSETS[s]! + (rand() < 0.2 ? int(1, 3) : 0);
        if (at >= 0) break;
        sent.push({ stepKey: step.key, sentDate: day(at), ...(step.legal.fourteenDayLetter ? { fourteenDayLetter: true } : {}) });
      }
      if (sent.length > 0) history.push({ itemId, sent });
    }
  }
  return {
    asOf,
    settings: { vatDeductible: true, lastBankImportDate: addDays(asOf, -1), unmatchedWaiting: 0 },
    debtors,
    items,
    history,
    policies: [DEFAULT_POLICY, LARGE_ACCOUNT_POLICY],
  };
}
