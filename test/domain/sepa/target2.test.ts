import { easterSunday } from '../../../src/domain/dates.ts';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  collectionDateProblem,
  earliestCollectionDate,
  isTarget2BusinessDay,
  target2Holidays,
} from '../../../src/domain/sepa/target2.ts';

describe('TARGET2 calendar', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('Easter %i is %s', (y, d) => expect(easterSunday(y)).toBe(d));

  it('2026 closing days: 1 Jan, Good Friday, Easter Monday, 1 May, 25 and 26 Dec', () => {
    expect(target2Holidays(2026)).toEqual(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-12-25', '2026-12-26']);
  });

  it.each([
    ['2026-12-05', false], // Saturday
    ['2026-12-06', false], // Sunday
    ['2026-12-07', true],
    ['2026-12-25', false],
    ['2026-12-28', true],
    ['2027-01-01', false],
    ['2026-04-03', false],
    ['2026-04-06', false],
    ['2026-05-01', false],
    ['2026-04-27', true], // King's Day is a Dutch holiday, not a TARGET2 one
    ['2026-05-05', true],
    ['2026-05-14', true], // Ascension Day: TARGET2 is open
  ])('%s business day: %s', (d, open) => expect(isTarget2BusinessDay(d)).toBe(open));

  it('adds business days over weekends and holidays', () => {
    expect(addBusinessDays('2026-12-24', 1)).toBe('2026-12-28');
    expect(addBusinessDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(addBusinessDays('2026-12-07', 0)).toBe('2026-12-07');
  });
});

describe('earliest collection date (D-1)', () => {
  it.each([
    ['2026-12-07', '2026-12-08'], // Monday → Tuesday
    ['2026-12-04', '2026-12-07'], // Friday → Monday
    ['2026-12-05', '2026-12-08'], // Saturday: handed in Monday → Tuesday
    ['2026-04-02', '2026-04-07'], // Thursday before Easter → Tuesday after
    ['2026-12-24', '2026-12-28'],
  ])('handed in %s → %s', (asOf, d) => expect(earliestCollectionDate(asOf)).toBe(d));

  it('a bank that asks D-2', () => expect(earliestCollectionDate('2026-12-03', 2)).toBe('2026-12-07'));

  it('checks a requested date', () => {
    expect(collectionDateProblem('2026-12-08', '2026-12-07')).toBeNull();
    expect(collectionDateProblem('2026-12-07', '2026-12-07')).toEqual({ code: 'too_early', earliest: '2026-12-08' });
    expect(collectionDateProblem('2026-12-12', '2026-12-07')).toEqual({ code: 'not_business_day', next: '2026-12-14' });
    expect(collectionDateProblem('2026-12-25', '2026-12-21')).toEqual({ code: 'not_business_day', next: '2026-12-28' });
    expect(collectionDateProblem('2026-12-22', '2026-12-07')).toEqual({ code: 'too_far_ahead', latest: '2026-12-21' });
  });
});
