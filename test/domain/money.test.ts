import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMoney, formatCents, formatMoney, money, mulDivRound, parseAmount, splitEven, sumCents } from '../../src/domain/money.ts';

describe('parseAmount', () => {
  it.each([
    ['121.00', 12100], ['121,00', 12100], ['-1.234,56', -123456], ['1,234.56', 123456], ['1234', 123400], ['€ 12,5', 1250],
    ['0.01', 1], ['-0,00', 0], ['12-', -1200], ['+7.10', 710], ['1.234.567,89', 123456789], ['1,000,000.00', 100000000], ['2.500', 250],
  ])('%s → %i cents', (input, cents) => {
    expect(parseAmount(input)).toEqual({ ok: true, cents });
  });
  it('honours an explicit decimal mark', () => {
    expect(parseAmount('1.234', { decimal: ',' })).toEqual({ ok: true, cents: 123400 });
    expect(parseAmount('1,5', { decimal: ',' })).toEqual({ ok: true, cents: 150 });
    expect(parseAmount('1.5', { decimal: '.' })).toEqual({ ok: true, cents: 150 });
  });
  it.each(['', 'abc', '1.2.3,4,5', '12.345' /* ambiguous without a file-level decimal mark */, '1,23,4', '0.001', '1e5', '--1'])('rejects %j', (input) => {
    expect(parseAmount(input).ok).toBe(false);
  });
  it('round-trips formatCents for any whole number of cents', () => {
    fc.assert(fc.property(fc.integer({ min: -1e13, max: 1e13 }), (c) => {
      expect(parseAmount(formatCents(c))).toEqual({ ok: true, cents: c });
    }));
  });
});

describe('money', () => {
  it('formats for people in Dutch and English', () => {
    expect(formatMoney(123456)).toBe('€ 1.234,56');
    expect(formatMoney(-5, 'EUR', 'en')).toBe('-€0.05');
    expect(formatCents(-5)).toBe('-0.05');
  });
  it('never adds different currencies', () => {
    expect(() => addMoney(money(1, 'EUR'), money(1, 'USD'))).toThrow(/cannot add/);
    expect(addMoney(money(1), money(2))).toEqual({ cents: 3, currency: 'EUR' });
  });
  it('refuses fractional cents', () => {
    expect(() => money(1.5)).toThrow();
    expect(() => sumCents([0.1, 0.2])).toThrow();
  });
  it('rounds half away from zero in one place', () => {
    expect(mulDivRound(250, 15, 100)).toBe(38); // 37.5 → 38
    expect(mulDivRound(-250, 15, 100)).toBe(-38);
    expect(mulDivRound(249, 15, 100)).toBe(37);
  });
  it('splits so that the parts add up to the whole', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 60 }), (total, n) => {
      const parts = splitEven(total, n);
      expect(parts).toHaveLength(n);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    }));
  });
});
