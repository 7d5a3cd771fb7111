import { describe, expect, it } from 'vitest';
import { ageItems, agingBucket } from '../../src/domain/aging.ts';

describe('aging buckets', () => {
  it.each([
    ['2026-11-22', 'not_due'], ['2026-12-01', 'not_due'], ['2026-11-21', 'd1_30'], ['2026-10-23', 'd1_30'], ['2026-10-22', 'd31_60'],
    ['2026-09-23', 'd31_60'], ['2026-09-22', 'd61_90'], ['2026-08-24', 'd61_90'], ['2026-08-23', 'over_90'], ['2020-01-01', 'over_90'],
  ])('due %s as of 2026-11-22 → %s', (due, bucket) => {
    expect(agingBucket(due, '2026-11-22')).toBe(bucket);
  });
  it('sums positive open amounts per bucket; credit notes in credits, never overdue; paid items ignored', () => {
    const t = ageItems([
      { dueDate: '2026-12-01', openCents: 1000 }, { dueDate: '2026-11-01', openCents: 2000 }, { dueDate: '2026-11-01', openCents: -500 },
      { dueDate: '2026-01-01', openCents: 7000 }, { dueDate: '2026-01-01', openCents: 0 },
    ], '2026-11-22');
    expect(t).toEqual({ not_due: 1000, d1_30: 2000, d31_60: 0, d61_90: 0, over_90: 7000, credits: -500, total: 9500 });
  });
});
