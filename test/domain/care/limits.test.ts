import { describe, expect, it } from 'vitest';
import { careLimitsOf, DEFAULT_CARE_LIMITS, instalmentCountProblems, maxInstalmentsFor, promiseProblems, scheduleLimitProblems } from '../../../src/domain/care/limits.ts';
import { monthlySchedule } from '../../../src/domain/care/schedule.ts';

const limits = DEFAULT_CARE_LIMITS;
const asOf = '2026-12-02';

describe('promise limits', () => {
  it('accepts a promise up to the open amount, dated today to the policy maximum', () => {
    expect(promiseProblems({ amountCents: 3_072_233, promisedDate: asOf }, { openCents: 3_072_233, asOf, limits })).toEqual([]);
    expect(promiseProblems({ amountCents: 1, promisedDate: '2027-01-31' }, { openCents: 3_072_233, asOf, limits })).toEqual([]);
  });
  it('refuses € 99.999 on a balance of € 30.722,33 and names the maximum (never clamps)', () => {
    const [p] = promiseProblems({ amountCents: 9_999_900, promisedDate: '2026-12-10' }, { openCents: 3_072_233, asOf, limits });
    expect(p).toMatchObject({ field: 'amount', code: 'too_large', params: { maxCents: 3_072_233 } });
  });
  it('refuses a date in the past or beyond the policy', () => {
    expect(promiseProblems({ amountCents: 100, promisedDate: '2026-12-01' }, { openCents: 500, asOf, limits })[0]).toMatchObject({ field: 'promisedDate', code: 'past', params: { min: asOf } });
    expect(promiseProblems({ amountCents: 100, promisedDate: '2027-02-01' }, { openCents: 500, asOf, limits })[0]).toMatchObject({ field: 'promisedDate', code: 'too_far', params: { max: '2027-01-31' } });
  });
  it('refuses a promise when nothing is open (a credit balance)', () => {
    expect(promiseProblems({ amountCents: 100, promisedDate: asOf }, { openCents: -500, asOf, limits })[0]).toMatchObject({ code: 'nothing_open' });
  });
});

describe('plan limits', () => {
  it('500 instalments is refused with the maximum, 0 with the minimum: nothing is turned into another number', () => {
    expect(instalmentCountProblems(500, 1_000_000, limits)).toEqual([expect.objectContaining({ code: 'too_many', params: { max: 24 } })]);
    expect(instalmentCountProblems(0, 1_000_000, limits)).toEqual([expect.objectContaining({ code: 'too_few', params: { min: 1 } })]);
  });
  it('no instalment under the minimum: the most that the total allows is named', () => {
    expect(maxInstalmentsFor(10_000, limits)).toBe(4); // € 100 in at least € 25
    expect(instalmentCountProblems(5, 10_000, limits)).toEqual([expect.objectContaining({ code: 'too_small', params: { max: 4, minCents: 2500 } })]);
    expect(instalmentCountProblems(4, 10_000, limits)).toEqual([]);
    expect(instalmentCountProblems(1, 100, limits)).toEqual([]);
  });
  it('a schedule that ends beyond the policy months is refused with the last allowed date', () => {
    const s = monthlySchedule(2_400_000, 24, '2027-01-03');
    expect(scheduleLimitProblems(s, asOf, limits)).toEqual([expect.objectContaining({ code: 'too_far', params: { max: '2028-12-02' } })]);
    expect(scheduleLimitProblems(monthlySchedule(2_400_000, 24, '2026-12-02'), asOf, limits)).toEqual([]);
  });
  it('an explicit schedule with a tiny instalment before the last is refused; the last may take a remainder', () => {
    expect(scheduleLimitProblems([{ dueDate: '2027-01-01', amountCents: 100 }, { dueDate: '2027-02-01', amountCents: 9_900 }], asOf, limits)[0]).toMatchObject({ code: 'too_small' });
    expect(scheduleLimitProblems([{ dueDate: '2027-01-01', amountCents: 9_900 }, { dueDate: '2027-02-01', amountCents: 100 }], asOf, limits)).toEqual([]);
  });
  it('limits come from the settings; impossible values take the default', () => {
    expect(careLimitsOf({ planMaxInstalments: 6, promiseMaxDays: 14 })).toMatchObject({ planMaxInstalments: 6, promiseMaxDays: 14, planMaxMonths: 24 });
    expect(careLimitsOf({ planMaxInstalments: 0, promiseMaxDays: '30', planMinInstalmentCents: 1.5 })).toEqual(DEFAULT_CARE_LIMITS);
    expect(careLimitsOf(undefined)).toEqual(DEFAULT_CARE_LIMITS);
  });
});
