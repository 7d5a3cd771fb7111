import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkSchedule, evaluatePlan, evaluatePromise, monthlySchedule } from '../../../src/domain/care/schedule.ts';
import { creditWarning, paymentBehaviour } from '../../../src/domain/care/behaviour.ts';
import { checkRules, chooseSegment } from '../../../src/domain/care/segments.ts';
import { impliedStatus } from '../../../src/domain/care/statuses.ts';

describe('instalment schedules', () => {
  it('N monthly parts add up exactly to the total, dates clamp to month ends', () => {
    fc.assert(fc.property(fc.integer({ min: 120, max: 10_000_000_00 }), fc.integer({ min: 1, max: 120 }), (total, n) => {
      const s = monthlySchedule(total, n, '2027-01-31');
      expect(s.reduce((a, i) => a + i.amountCents, 0)).toBe(total);
      expect(checkSchedule(total, s)).toEqual([]);
    }));
    expect(monthlySchedule(100, 3, '2027-01-31').map((i) => [i.dueDate, i.amountCents])).toEqual([['2027-01-31', 33], ['2027-02-28', 33], ['2027-03-31', 34]]);
  });
  it('refuses schedules that do not add up, go back in time or have empty parts', () => {
    expect(checkSchedule(1000, [{ dueDate: '2027-01-01', amountCents: 600 }, { dueDate: '2027-01-01', amountCents: 0 }]).map((p) => p.code)).toEqual(['order', 'invalid', 'sum']);
  });
  it('covers instalments in order; late after the due date, missed after grace', () => {
    const inst = [{ seq: 1, dueDate: '2027-01-01', amountCents: 100 }, { seq: 2, dueDate: '2027-02-01', amountCents: 100 }];
    expect(evaluatePlan(inst, 150, '2027-02-06', 5)).toMatchObject({ status: 'active', instalments: [{ status: 'paid', paidCents: 100 }, { status: 'open', paidCents: 50, late: true }] });
    expect(evaluatePlan(inst, 150, '2027-02-07', 5)).toMatchObject({ status: 'broken', firstMissed: { seq: 2 } });
    expect(evaluatePlan(inst, 200, '2030-01-01', 5).status).toBe('completed');
  });
  it('promises: kept when paid or settled, broken after date + grace', () => {
    const p = { amountCents: 500, promisedDate: '2027-01-10', graceDays: 3 };
    expect(evaluatePromise(p, 499, false, '2027-01-13')).toBe('open');
    expect(evaluatePromise(p, 499, false, '2027-01-14')).toBe('broken');
    expect(evaluatePromise(p, 500, false, '2027-01-14')).toBe('kept');
    expect(evaluatePromise(p, 0, true, '2027-02-01')).toBe('kept');
  });
});

describe('behaviour, credit, segments, statuses', () => {
  it('the thermometer warns only when recent lateness is clearly above the own norm', () => {
    const paid = [['2026-01-10', '2026-01-20'], ['2026-03-10', '2026-03-20'], ['2026-05-10', '2026-05-20']].map(([dueDate, paidDate]) => ({ dueDate: dueDate!, paidDate: paidDate! }));
    const steady = paymentBehaviour({ asOf: '2026-11-22', paid: [...paid, { dueDate: '2026-10-01', paidDate: '2026-10-12' }, { dueDate: '2026-11-01', paidDate: '2026-11-12' }] });
    expect(steady).toMatchObject({ avgDaysLateNorm: 10, avgDaysLateRecent: 11, trend: 'stable', warning: null });
    // not paying at all: open invoices later than the norm count
    const stopped = paymentBehaviour({ asOf: '2026-11-22', paid, open: [{ dueDate: '2026-10-01' }, { dueDate: '2026-10-20' }] });
    expect(stopped).toMatchObject({ avgDaysLateRecent: 42.5, trend: 'worse', warning: { code: 'paying_later' } });
  });
  it('credit warning', () => {
    expect(creditWarning(100, null)).toBeNull();
    expect(creditWarning(100, 100)).toBeNull();
    expect(creditWarning(101, 100)).toEqual({ code: 'over_credit_limit', overCents: 1 });
  });
  it('segments: first match by priority, with the reason', () => {
    const facts = { type: 'business' as const, annualInvoicedCents: 5_000_000, avgDaysLate: null, brokenPromises: 2, tags: [] };
    const defs = [{ key: 'b', name: 'B', rules: { maxBrokenPromises: 1 }, priority: 1 }, { key: 'a', name: 'A', rules: { minBrokenPromises: 2, type: 'business' as const }, priority: 2 }];
    expect(chooseSegment(defs, facts)).toEqual({ segment: 'a', reason: 'A: zakelijk; 2 gebroken belofte(n) ≥ 2' });
    expect(checkRules({ tagsAny: 'x', foo: 1 })).toEqual(['tagsAny must be a list of tags', 'unknown rule "foo"']);
  });
  it('automatic statuses never overwrite a status a person chose', () => {
    expect(impliedStatus('normal', { plan: false, dispute: true, promise: true })).toBe('dispute');
    expect(impliedStatus('promise', { plan: false, dispute: false, promise: false })).toBe('normal');
    expect(impliedStatus('legal', { plan: true, dispute: false, promise: false })).toBe('legal');
  });
});
