import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyWkiCumulationCap,
  b2bCollectionCosts,
  bikCents,
  BIK_MAXIMUM_CENTS,
  BIK_MINIMUM_CENTS,
  collectionCosts,
} from '../../../src/domain/legal/collection-costs.ts';

const VAT = { creditorCanDeductVat: false, collectionServiceChargesVat: true, statedInLetter: true } as const;

describe('LEGAL.md 1.6 BIK test vectors', () => {
  it.each([
    ['1', 1, 4_000, 4_840],
    ['2', 10_000, 4_000, 4_840],
    ['3', 26_666, 4_000, 4_840],
    ['4', 26_667, 4_000, 4_840],
    ['6', 100_000, 15_000, 18_150],
    ['8', 250_000, 37_500, 45_375],
    ['10', 500_000, 62_500, 75_625],
    ['11', 750_000, 75_000, 90_750],
    ['12', 1_000_000, 87_500, 105_875],
    ['14', 10_000_000, 177_500, 214_775],
    ['16', 20_000_000, 277_500, 335_775],
    ['18', 100_000_000, 677_500, 819_775],
    ['19', 199_999_999, 677_500, 819_775],
  ])('#%s principal %i cents -> %i excl. VAT, %i incl. 21%% VAT', (_n, principal, excl, incl) => {
    const r = collectionCosts({ principalCents: principal });
    expect(r.costsCents).toBe(excl);
    expect(r.totalCents).toBe(excl);
    expect(r.vatCents).toBe(0);
    const v = collectionCosts({ principalCents: principal, vat: VAT });
    expect(v.costsCents).toBe(excl);
    expect(v.totalCents).toBe(incl);
    expect(v.vatCents).toBe(incl - excl);
  });
  it('#4: 15% of 266.67 is exactly 40.0005 (kept exact, then rounded)', () => {
    const r = collectionCosts({ principalCents: 26_667 });
    expect(r.staffelMilliCents).toBe(4_000_050);
    expect(r.staffelCents).toBe(4_000);
    expect(r.minimumApplied).toBe(false);
  });
  it('#3: 266.66 falls below the minimum', () => {
    expect(collectionCosts({ principalCents: 26_666 }).minimumApplied).toBe(true);
  });
  it('#18: cap reached at exactly 1,000,000.00 (375 + 250 + 250 + 1,900 + 4,000)', () => {
    const r = collectionCosts({ principalCents: 100_000_000 });
    expect(r.brackets.map((b) => b.amountCents)).toEqual([37_500, 25_000, 25_000, 190_000, 400_000]);
    expect(r.staffelCents).toBe(677_500);
    expect(r.maximumApplied).toBe(false);
    expect(collectionCosts({ principalCents: 100_000_001 }).maximumApplied).toBe(true);
  });
  it('1.1: at 200,000 the staffel is 2,775 (375 + 250 + 250 + 1,900)', () => {
    expect(bikCents(20_000_000)).toBe(277_500);
  });
  it('1.3: maximum incl. VAT 8,197.75, minimum incl. VAT 48.40', () => {
    expect(collectionCosts({ principalCents: 500_000_000, vat: VAT }).totalCents).toBe(819_775);
    expect(collectionCosts({ principalCents: 1, vat: VAT }).totalCents).toBe(4_840);
  });
});

describe('LEGAL.md 1.6 scenario vectors', () => {
  it('S1: consumer, 3 invoices of 100.00 in one letter -> base 300.00 -> 45.00 (not 3 x 40)', () => {
    const r = collectionCosts({ principalCents: [10_000, 10_000, 10_000] });
    expect(r.baseCents).toBe(30_000);
    expect(r.costsCents).toBe(4_500);
  });
  it('S4: consumer pays the full principal within the 14-day term -> 0.00', () => {
    expect(collectionCosts({ principalCents: 0 }).totalCents).toBe(0);
    expect(collectionCosts({ principalCents: [10_000, -10_000], vat: VAT }).totalCents).toBe(0);
  });
  it('1.2: partial payment within the term: BIK recalculated over the remaining principal', () => {
    expect(collectionCosts({ principalCents: 500_000 - 400_000 }).costsCents).toBe(15_000);
  });
  it('S6: B2B invoice 120.00, 1 day overdue, no reminder -> 40.00 due', () => {
    const r = b2bCollectionCosts({ principalCents: 12_000, dueDate: '2025-03-10', asOf: '2025-03-11' });
    expect(r.due).toBe(true);
    expect(r.dueFrom).toBe('2025-03-11');
    expect(r.claimCents).toBe(4_000);
    expect(r.minimumCents).toBe(4_000);
  });
  it('S6: nothing is due on the due date itself', () => {
    const r = b2bCollectionCosts({ principalCents: 12_000, dueDate: '2025-03-10', asOf: '2025-03-10' });
    expect(r.due).toBe(false);
    expect(r.claimCents).toBe(0);
  });
  it('S7: B2B invoice 5,000, no contractual clause -> default 625.00', () => {
    const r = b2bCollectionCosts({ principalCents: 500_000, dueDate: '2025-03-10', asOf: '2025-04-10' });
    expect(r.claimCents).toBe(62_500);
    expect(r.staffelCents).toBe(62_500);
  });
  it('2.4: agreed B2B costs are claimed, never below 40.00, and flagged when above the staffel', () => {
    const high = b2bCollectionCosts({ principalCents: 500_000, dueDate: '2025-03-10', asOf: '2025-04-10', agreedCostsCents: 75_000 });
    expect(high.claimCents).toBe(75_000);
    expect(high.agreedExceedsStaffel).toBe(true);
    const low = b2bCollectionCosts({ principalCents: 12_000, dueDate: '2025-03-10', asOf: '2025-04-10', agreedCostsCents: 1_000 });
    expect(low.claimCents).toBe(4_000);
    expect(low.agreedExceedsStaffel).toBe(false);
  });
  it('S8: VAT-exempt creditor via incassobureau, principal 2,500, declared -> 453.75', () => {
    expect(collectionCosts({ principalCents: 250_000, vat: VAT }).totalCents).toBe(45_375);
  });
});

describe('LEGAL.md 1.3 VAT only if all conditions hold', () => {
  it('a creditor that can deduct VAT must not add VAT', () => {
    expect(collectionCosts({ principalCents: 250_000, vat: { ...VAT, creditorCanDeductVat: true } }).totalCents).toBe(37_500);
  });
  it('no VAT without a VAT-taxed service or without the statement in the letter', () => {
    expect(collectionCosts({ principalCents: 250_000, vat: { ...VAT, collectionServiceChargesVat: false } }).vatApplies).toBe(false);
    expect(collectionCosts({ principalCents: 250_000, vat: { ...VAT, statedInLetter: false } }).vatApplies).toBe(false);
  });
  it('the VAT rate is configurable', () => {
    expect(collectionCosts({ principalCents: 250_000, vat: { ...VAT, ratePercent: 9 } }).totalCents).toBe(40_875);
  });
});

describe('LEGAL.md 1.2 base', () => {
  it('capitalised interest may be added to the base', () => {
    const r = collectionCosts({ principalCents: 100_000, capitalisedInterestCents: 10_000 });
    expect(r.baseCents).toBe(110_000);
    expect(r.costsCents).toBe(16_500);
  });
  it('breakdown per bracket adds up to the base', () => {
    const r = collectionCosts({ principalCents: 1_234_567 });
    expect(r.brackets.map((b) => [b.fromCents, b.toCents, b.ratePercent, b.baseCents])).toEqual([
      [0, 250_000, '15', 250_000],
      [250_000, 500_000, '10', 250_000],
      [500_000, 1_000_000, '5', 500_000],
      [1_000_000, 20_000_000, '1', 234_567],
      [20_000_000, null, '0.5', 0],
    ]);
    // 375 + 250 + 250 + 23.45667 = 898.45667 -> 898.46
    expect(r.costsCents).toBe(89_846);
  });
  it('property: monotone in the principal, within [min, max], bands sum to the base', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (p, d) => {
        const a = collectionCosts({ principalCents: p });
        const b = collectionCosts({ principalCents: p + d });
        const sum = a.brackets.reduce((s, x) => s + x.baseCents, 0);
        return (
          a.costsCents <= b.costsCents && a.costsCents >= BIK_MINIMUM_CENTS && a.costsCents <= BIK_MAXIMUM_CENTS && sum === p
        );
      }),
    );
  });
});

describe('LEGAL.md 1.4 Wki cumulation cap [VERIFY] (configurable)', () => {
  it('small claims share a 140.00 cap per six-month window; larger claims are not affected', () => {
    const r = applyWkiCumulationCap([
      { date: '2025-01-05', principalCents: 10_000, costsCents: 4_000 },
      { date: '2025-02-05', principalCents: 10_000, costsCents: 4_000 },
      { date: '2025-03-05', principalCents: 10_000, costsCents: 4_000 },
      { date: '2025-04-05', principalCents: 10_000, costsCents: 4_000 },
      { date: '2025-04-20', principalCents: 100_000, costsCents: 15_000 },
      { date: '2025-05-05', principalCents: 10_000, costsCents: 4_000 },
      { date: '2025-07-05', principalCents: 10_000, costsCents: 4_000 },
    ]);
    expect(r.map((x) => x.allowedCostsCents)).toEqual([4_000, 4_000, 4_000, 2_000, 15_000, 0, 4_000]);
    expect(r[6]!.windowStart).toBe('2025-07-05');
    expect(r[4]!.counted).toBe(false);
  });
  it('the threshold is 266.67: 266.66 counts, 266.67 does not', () => {
    const r = applyWkiCumulationCap([
      { date: '2025-01-01', principalCents: 26_666, costsCents: 4_000 },
      { date: '2025-01-02', principalCents: 26_667, costsCents: 4_000 },
    ]);
    expect(r.map((x) => x.counted)).toEqual([true, false]);
  });
  it('config can change cap and window', () => {
    const r = applyWkiCumulationCap(
      [
        { date: '2025-01-01', principalCents: 100, costsCents: 4_000 },
        { date: '2025-02-01', principalCents: 100, costsCents: 4_000 },
      ],
      { thresholdCents: 26_667, capCents: 5_000, windowMonths: 1 },
    );
    expect(r.map((x) => x.allowedCostsCents)).toEqual([4_000, 4_000]);
  });
});
