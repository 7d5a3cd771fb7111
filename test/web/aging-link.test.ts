import { describe, expect, it } from 'vitest';
import { bucketQuery } from '../../src/web/app/aging.ts';
import { agingBucket, bucketDueDates, AGING_BUCKETS, type AgingKey } from '../../src/domain/aging.ts';
import { addDays } from '../../src/domain/dates.ts';

describe('aging chart bars open exactly their bucket', () => {
  const asOf = '2026-12-03';
  it('gives each bucket the due dates whose days overdue fall in it, edges included', () => {
    expect(bucketDueDates('d1_30', asOf)).toEqual({ dueFrom: '2026-11-03', dueTo: '2026-12-02' });
    expect(bucketDueDates('over_90', asOf)).toEqual({ dueTo: '2026-09-03' });
    expect(bucketDueDates('not_due', asOf)).toEqual({ dueFrom: '2026-12-03' });
    // every due date from 200 days back to 30 ahead lands in the bucket whose range holds it
    for (let d = -200; d <= 30; d++) {
      const due = addDays(asOf, d);
      const inRange = AGING_BUCKETS.filter((b) => {
        const r = bucketDueDates(b.key as AgingKey, asOf);
        return (!r.dueFrom || due >= r.dueFrom) && (!r.dueTo || due <= r.dueTo);
      });
      expect(inRange.map((b) => b.key)).toEqual([agingBucket(due, asOf)]);
    }
  });
  it('links to the item list with status and due dates', () => {
    expect(bucketQuery('d31_60', asOf)).toBe('status=overdue&dueFrom=2026-10-04&dueTo=2026-11-02');
    expect(bucketQuery('not_due', asOf)).toBe('status=open&dueFrom=2026-12-03');
  });
});
