import { describe, expect, it } from 'vitest';
import { identifierProblem, sepaText, toSepaText } from '../../../src/domain/sepa/charset.ts';
import { creditorIdProblem, mandateIdProblem, mandateState, sequenceType } from '../../../src/domain/sepa/mandate.ts';

describe('creditor identifier (LEGAL.md 9.4)', () => {
  it.each(['NL06ZZZ503992920000', 'NL32ZZZ999999991234', 'NL39ZZZ342838400000', 'nl69 zzz 1234 5678 0000', 'DE98ZZZ09999999999'])('%s is valid', (id) =>
    expect(creditorIdProblem(id)).toBeNull());
  it.each(['NL00ZZZ342838400000', 'NL07ZZZ503992920000', 'NL06ZZZ50399292000', 'XX'])('%s is invalid', (id) =>
    expect(creditorIdProblem(id)).toBe('invalid'));
  it('the business code does not take part in the check', () => expect(creditorIdProblem('NL06ABC503992920000')).toBeNull());
});

describe('mandate id', () => {
  it.each(['M-2026-0001', 'DEB 12/3', "O'Brien+1", 'a'.repeat(35)])('%s is allowed', (id) => expect(mandateIdProblem(id)).toBeNull());
  it.each([
    ['', 'empty'],
    ['a'.repeat(36), 'too_long'],
    ['M_1', 'charset'],
    ['Müller', 'charset'],
    ['M&1', 'charset'],
    ['/M1', 'slash'],
    ['M1/', 'slash'],
    ['M//1', 'slash'],
    [' M1', 'space'],
  ])('%j → %s', (id, problem) => expect(mandateIdProblem(id)).toBe(problem));
});

describe('SEPA character set', () => {
  it('transliterates names', () => {
    expect(toSepaText('Müller & Söhne GmbH')).toEqual({ ok: true, text: 'Muller + Sohne GmbH' });
    expect(toSepaText('Straße  Ørsted Æble')).toEqual({ ok: true, text: 'Strasse Orsted AEble' });
    expect(toSepaText('Café "De Zon"')).toEqual({ ok: true, text: "Cafe 'De Zon'" });
  });
  it('refuses what has no stand-in', () => {
    expect(toSepaText('Иван')).toEqual({ ok: false, bad: 'И' });
    expect(() => sepaText('日本', 70)).toThrow(/SEPA character set/);
  });
  it('cuts to length', () => expect(sepaText('x'.repeat(80), 70)).toHaveLength(70));
  it('identifiers are never transliterated', () => expect(identifierProblem('Café')).toBe('charset'));
});

describe('mandate status', () => {
  const base = { signatureDate: '2023-01-10', recurring: true, revokedAt: null, lastUsedAt: null };
  it('active until 36 months after signature when never used', () => {
    expect(mandateState(base, '2026-01-10')).toEqual({ status: 'active', lapsesAfter: '2026-01-10' });
    expect(mandateState(base, '2026-01-11')).toEqual({ status: 'expired', since: '2026-01-10', reason: 'unused_36_months' });
  });
  it('each collection restarts the 36 months', () => {
    expect(mandateState({ ...base, lastUsedAt: '2025-06-30' }, '2026-12-03')).toEqual({ status: 'active', lapsesAfter: '2028-06-30' });
  });
  it('revoked from the revocation date', () => {
    expect(mandateState({ ...base, lastUsedAt: '2026-06-01', revokedAt: '2026-12-01' }, '2026-11-30').status).toBe('active');
    expect(mandateState({ ...base, lastUsedAt: '2026-06-01', revokedAt: '2026-12-01' }, '2026-12-01')).toEqual({ status: 'revoked', since: '2026-12-01' });
  });
  it('a one-off mandate is spent by its collection', () => {
    expect(mandateState({ ...base, recurring: false, lastUsedAt: '2026-02-01' }, '2026-03-01')).toEqual({
      status: 'expired', since: '2026-02-01', reason: 'one_off_used',
    });
  });
});

describe('sequence type (FRST optional since 20-11-2016)', () => {
  it('a first collection on a recurring mandate is RCUR by default', () => {
    expect(sequenceType({ recurring: true, lastUsedAt: null })).toBe('RCUR');
    expect(sequenceType({ recurring: true, lastUsedAt: '2026-01-01' })).toBe('RCUR');
  });
  it('FRST on request for a bank that still wants it', () => {
    expect(sequenceType({ recurring: true, lastUsedAt: null }, { firstAsFrst: true })).toBe('FRST');
    expect(sequenceType({ recurring: true, lastUsedAt: '2026-01-01' }, { firstAsFrst: true })).toBe('RCUR');
  });
  it('OOFF and FNAL', () => {
    expect(sequenceType({ recurring: false, lastUsedAt: null })).toBe('OOFF');
    expect(sequenceType({ recurring: true, lastUsedAt: '2026-01-01' }, { final: true })).toBe('FNAL');
  });
});
