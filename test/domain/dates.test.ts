import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, formatDateNl, isIsoDate, parseDate, todayIn, weekday } from '../../src/domain/dates.ts';

describe('calendar dates', () => {
  it('validates real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
  it('adds days and months across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
  });
  it('knows the weekday', () => {
    expect(weekday('2026-11-22')).toBe(7); // a Sunday
    expect(weekday('2026-11-23')).toBe(1);
  });
  it('parses the ways people write dates, never month-first', () => {
    expect(parseDate('2026-11-22')).toEqual({ ok: true, date: '2026-11-22' });
    expect(parseDate('22-11-2026')).toEqual({ ok: true, date: '2026-11-22' });
    expect(parseDate('1/2/2026')).toEqual({ ok: true, date: '2026-02-01' });
    expect(parseDate('20261122')).toEqual({ ok: true, date: '2026-11-22' });
    expect(parseDate('11/31/2026').ok).toBe(false);
    expect(parseDate('gisteren').ok).toBe(false);
  });
  it('takes today in Amsterdam from an explicit instant', () => {
    expect(todayIn('Europe/Amsterdam', new Date('2026-11-22T23:30:00Z'))).toBe('2026-11-23');
  });
});

describe('formatDateNl', () => {
  it('writes a date as Dutch text does: day-month-year, zero-padded', () => {
    expect(formatDateNl('2026-11-30')).toBe('30-11-2026');
    expect(formatDateNl('2024-02-29')).toBe('29-02-2024');
    expect(formatDateNl('2027-01-05')).toBe('05-01-2027');
  });
});
