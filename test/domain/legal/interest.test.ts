import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commercialFirstInterestDay, statutoryInterest } from '../../../src/domain/legal/interest.ts';
import { COMMERCIAL_RATES, CONSUMER_RATES, formatRateBp, rateOn } from '../../../src/domain/legal/rates.ts';

const brief = (r: ReturnType<typeof statutoryInterest>) => r.periods.map((p) => [p.from, p.to, p.days, p.rate, p.exactEuros]);

describe('LEGAL.md 3.5 worked examples', () => {
  it('E1: B2B 10,000.00, due 2023-06-15, paid 2024-03-31 -> 959.73 (3 rates, no anniversary)', () => {
    const from = commercialFirstInterestDay({ dueDate: '2023-06-15' });
    expect(from).toBe('2023-06-16');
    const r = statutoryInterest({ principalCents: 1_000_000, from, to: '2024-03-31', kind: 'commercial' });
    expect(brief(r)).toEqual([
      ['2023-06-16', '2023-06-30', 15, '10.50', '43.150685'],
      ['2023-07-01', '2023-12-31', 184, '12.00', '604.931507'],
      ['2024-01-01', '2024-03-31', 91, '12.50', '311.643836'],
    ]);
    expect(r.interestCents).toBe(95_973);
    expect(r.periods.reduce((s, p) => s + p.interestCents, 0)).toBe(95_973);
    expect(r.capitalisations).toEqual([]);
    // total due 10,959.73 (+ costs)
    expect(1_000_000 + r.interestCents).toBe(1_095_973);
  });
  it('E1 needs one rounding per capitalisation year: rounding each segment would give 959.72', () => {
    const r = statutoryInterest({ principalCents: 1_000_000, from: '2023-06-16', to: '2024-03-31', kind: 'commercial' });
    const perSegment = r.periods.reduce((s, p) => s + Math.round(Number(p.exactEuros) * 100), 0);
    expect(perSegment).toBe(95_972);
    expect(r.interestCents).toBe(95_973);
  });
  it('E2: consumer 1,500.00, fatal due date 2024-11-30, paid 2025-08-31 -> 68.84', () => {
    const r = statutoryInterest({ principalCents: 150_000, from: '2024-12-01', to: '2025-08-31', kind: 'consumer' });
    expect(brief(r)).toEqual([
      ['2024-12-01', '2024-12-31', 31, '7.00', '8.917808'],
      ['2025-01-01', '2025-08-31', 243, '6.00', '59.917808'],
    ]);
    expect(r.interestCents).toBe(6_884);
  });
  it('E7: 1,648.58 consumer, 2014-12-12..2015-05-28 -> 2.71 + 13.37 = 16.08 (rentetool)', () => {
    const r = statutoryInterest({ principalCents: 164_858, from: '2014-12-12', to: '2015-05-28', kind: 'consumer' });
    expect(r.periods.map((p) => [p.days, p.rate, p.interestCents])).toEqual([
      [20, '3.00', 271],
      [148, '2.00', 1_337],
    ]);
    expect(r.interestCents).toBe(1_608);
  });
});

describe('LEGAL.md 3.4 compounding and day count', () => {
  it('capitalises the rounded year interest on each anniversary (actual/365)', () => {
    const r = statutoryInterest({ principalCents: 100_000, from: '2016-01-01', to: '2018-12-31', kind: 'consumer' });
    // 2016: 1000 x 2% x 366/365 = 20.054795 -> 20.05; 2017: 1020.05 x 2% = 20.401 -> 20.40; 2018: 1040.45 x 2% = 20.809 -> 20.81
    expect(r.capitalisations).toEqual([
      { date: '2017-01-01', addedCents: 2_005 },
      { date: '2018-01-01', addedCents: 2_040 },
    ]);
    expect(r.periods.map((p) => [p.from, p.to, p.days, p.baseCents, p.interestCents])).toEqual([
      ['2016-01-01', '2016-12-31', 366, 100_000, 2_005],
      ['2017-01-01', '2017-12-31', 365, 102_005, 2_040],
      ['2018-01-01', '2018-12-31', 365, 104_045, 2_081],
    ]);
    expect(r.interestCents).toBe(6_126);
    expect(r.finalBaseCents).toBe(104_045);
  });
  it('actual/actual divides by the length of the capitalisation year', () => {
    const r = statutoryInterest({ principalCents: 100_000, from: '2016-01-01', to: '2018-12-31', kind: 'consumer', dayCount: 'actual/actual' });
    expect(r.periods.map((p) => [p.yearDays, p.interestCents])).toEqual([
      [366, 2_000],
      [365, 2_040],
      [365, 2_081],
    ]);
    expect(r.interestCents).toBe(6_121);
  });
  it('no capitalisation when payment falls on the last day of the year; one on the anniversary itself', () => {
    const a = statutoryInterest({ principalCents: 100_000, from: '2017-03-01', to: '2018-02-28', kind: 'consumer' });
    expect(a.capitalisations).toEqual([]);
    expect(a.interestCents).toBe(2_000);
    const b = statutoryInterest({ principalCents: 100_000, from: '2017-03-01', to: '2018-03-01', kind: 'consumer' });
    expect(b.capitalisations).toEqual([{ date: '2018-03-01', addedCents: 2_000 }]);
    expect(b.periods.at(-1)).toMatchObject({ from: '2018-03-01', to: '2018-03-01', days: 1, baseCents: 102_000 });
  });
  it('29 February start -> anniversary 28 February', () => {
    const r = statutoryInterest({ principalCents: 100_000, from: '2016-02-29', to: '2019-03-31', kind: 'consumer' });
    expect(r.capitalisations.map((c) => c.date)).toEqual(['2017-02-28', '2018-02-28', '2019-02-28']);
  });
  it('splits at rate changes inside a capitalisation year and at the anniversary', () => {
    const r = statutoryInterest({ principalCents: 1_000_000, from: '2022-10-01', to: '2023-12-31', kind: 'commercial' });
    expect(r.periods.map((p) => [p.from, p.to, p.rate])).toEqual([
      ['2022-10-01', '2022-12-31', '8.00'],
      ['2023-01-01', '2023-06-30', '10.50'],
      ['2023-07-01', '2023-09-30', '12.00'],
      ['2023-10-01', '2023-12-31', '12.00'],
    ]);
    expect(r.capitalisations).toHaveLength(1);
    expect(r.periods[3]!.baseCents).toBe(1_000_000 + r.capitalisations[0]!.addedCents);
  });
  it('handelsrente 2013-03-16 change (spread 7 -> 8 points)', () => {
    const r = statutoryInterest({ principalCents: 1_000_000, from: '2013-03-10', to: '2013-03-20', kind: 'commercial' });
    expect(r.periods.map((p) => [p.from, p.to, p.rate])).toEqual([
      ['2013-03-10', '2013-03-15', '7.75'],
      ['2013-03-16', '2013-03-20', '8.75'],
    ]);
  });
  it('no interest when payment precedes the first interest day; from = to is one day', () => {
    expect(statutoryInterest({ principalCents: 100_000, from: '2025-01-02', to: '2025-01-01', kind: 'consumer' }).interestCents).toBe(0);
    const one = statutoryInterest({ principalCents: 3_650_000, from: '2025-01-02', to: '2025-01-02', kind: 'consumer' });
    expect(one.periods).toHaveLength(1);
    expect(one.interestCents).toBe(600); // 36,500 x 6% / 365
  });
  it('rejects dates before the table, bad dates and negative principal', () => {
    expect(() => statutoryInterest({ principalCents: 1, from: '2000-01-01', to: '2001-01-01', kind: 'consumer' })).toThrow(RangeError);
    expect(() => statutoryInterest({ principalCents: 1, from: '2025-02-30', to: '2025-03-01', kind: 'consumer' })).toThrow(RangeError);
    expect(() => statutoryInterest({ principalCents: -1, from: '2025-01-01', to: '2025-03-01', kind: 'consumer' })).toThrow(RangeError);
  });
  it('accepts a replacement table (rates as data)', () => {
    const r = statutoryInterest({ principalCents: 3_650_000, from: '2030-01-01', to: '2030-01-10', kind: 'consumer', table: [{ from: '2030-01-01', rateBp: 1000 }] });
    expect(r.interestCents).toBe(10_000);
  });
  it('property: periods are contiguous, cover from..to, and their cents add up to the total', () => {
    const day = fc.integer({ min: 0, max: 9000 }).map((n) => new Date(Date.UTC(2003, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), day, fc.integer({ min: 0, max: 2000 }), fc.constantFrom('consumer', 'commercial') as fc.Arbitrary<'consumer' | 'commercial'>, (p, from, len, kind) => {
        const to = new Date(Date.parse(from) + len * 86_400_000).toISOString().slice(0, 10);
        const r = statutoryInterest({ principalCents: p, from, to, kind });
        const days = r.periods.reduce((s, x) => s + x.days, 0);
        const cents = r.periods.reduce((s, x) => s + x.interestCents, 0);
        const contiguous = r.periods.every((x, i) => i === 0 || Date.parse(x.from) - Date.parse(r.periods[i - 1]!.to) === 86_400_000);
        return days === len + 1 && cents === r.interestCents && contiguous && r.periods[0]!.from === from && r.periods.at(-1)!.to === to;
      }),
      { numRuns: 300 },
    );
  });
});

describe('LEGAL.md 3.2 rate tables', () => {
  it('consumer rates incl. the latest rows', () => {
    expect(formatRateBp(rateOn('consumer', '2024-07-01'))).toBe('7.00');
    expect(formatRateBp(rateOn('consumer', '2025-07-01'))).toBe('6.00');
    expect(formatRateBp(rateOn('consumer', '2026-01-01'))).toBe('4.00'); // [VERIFY Staatsblad]
    expect(formatRateBp(rateOn('consumer', '2003-07-31'))).toBe('7.00');
    expect(formatRateBp(rateOn('consumer', '2003-08-01'))).toBe('5.00');
    expect(CONSUMER_RATES).toHaveLength(15);
  });
  it('commercial rates incl. the latest rows', () => {
    expect(formatRateBp(rateOn('commercial', '2025-06-30'))).toBe('11.15');
    expect(formatRateBp(rateOn('commercial', '2026-01-01'))).toBe('10.15');
    expect(formatRateBp(rateOn('commercial', '2004-01-01'))).toBe('9.02');
    expect(formatRateBp(rateOn('commercial', '2011-07-01'))).toBe('8.25');
    expect(COMMERCIAL_RATES).toHaveLength(31);
  });
  it('tables are strictly ascending', () => {
    for (const t of [CONSUMER_RATES, COMMERCIAL_RATES]) for (let i = 1; i < t.length; i++) expect(t[i - 1]!.from < t[i]!.from).toBe(true);
  });
});

describe('LEGAL.md 3.3 first interest day (B2B)', () => {
  it('agreed term: D + 1; no term: R + 31 (last free day R + 30)', () => {
    expect(commercialFirstInterestDay({ dueDate: '2025-01-31' })).toBe('2025-02-01');
    expect(commercialFirstInterestDay({ invoiceReceivedDate: '2025-01-01' })).toBe('2025-02-01');
  });
});
