import { easterSunday } from '../../../src/domain/dates.ts';
import { describe, expect, it } from 'vitest';
import { weekday } from '../../../src/domain/dates.ts';
import {
  dutchHolidays,
  fourteenDayDates,
  isCompliantTermWording,
  isDutchHoliday,
  presumedDeliveryDate,
  validateFourteenDayLetter,
  type FourteenDayLetterInput,
} from '../../../src/domain/legal/fourteen-day-letter.ts';

describe('LEGAL.md 2.3 date test vectors', () => {
  it.each([
    ['2025-03-05', 3, '2025-03-07', 5, '2025-03-08', '2025-03-21', '2025-03-21', '2025-03-22'],
    ['2025-03-07', 5, '2025-03-11', 2, '2025-03-12', '2025-03-25', '2025-03-25', '2025-03-26'],
    ['2026-04-01', 3, '2026-04-04', 6, '2026-04-05', '2026-04-18', '2026-04-20', '2026-04-21'],
  ])('sent %s (weekday %i) -> delivery %s (weekday %i), term %s..%s, last day %s, BIK from %s', (sent, sentDow, delivery, deliveryDow, start, endNominal, end, bikFrom) => {
    expect(weekday(sent)).toBe(sentDow);
    expect(weekday(delivery)).toBe(deliveryDow);
    expect(fourteenDayDates(sent)).toEqual({
      letterDate: sent,
      presumedDelivery: delivery,
      termStart: start,
      termEndNominal: endNominal,
      termEnd: end,
      costsChargeableFrom: bikFrom,
    });
  });
  it('2026-04-03 is Goede Vrijdag and does not count as a delivery day', () => {
    expect(isDutchHoliday('2026-04-03')).toBe(true);
    expect(presumedDeliveryDate('2026-04-01', { isHoliday: () => false })).toBe('2026-04-03');
  });
  it('the termijnenwet extension can be switched off', () => {
    expect(fourteenDayDates('2026-04-01', { termijnenwet: false }).termEnd).toBe('2026-04-18');
  });
  it('a proven delivery date overrides the presumption', () => {
    const d = fourteenDayDates('2025-03-05', { deliveredOn: '2025-03-05' });
    expect(d.termStart).toBe('2025-03-06');
    expect(d.termEndNominal).toBe('2025-03-19');
    expect(() => fourteenDayDates('2025-03-05', { deliveredOn: '2025-03-04' })).toThrow(RangeError);
  });
  it('the presumption is configurable (delivery days, non-delivery weekdays)', () => {
    expect(presumedDeliveryDate('2025-03-05', { deliveryDays: 3 })).toBe('2025-03-08');
    expect(presumedDeliveryDate('2025-03-07', { nonDeliveryWeekdays: [7] })).toBe('2025-03-10');
  });
  it('a term below 14 days is refused', () => {
    expect(() => fourteenDayDates('2025-03-05', { termDays: 13 })).toThrow(RangeError);
  });
  it('over Christmas: holidays skipped for delivery and last day', () => {
    const d = fourteenDayDates('2025-12-23');
    // Wed 24 (1), Thu 25 + Fri 26 holidays, Sat 27 (2)
    expect(d.presumedDelivery).toBe('2025-12-27');
    expect(d.termEndNominal).toBe('2026-01-10'); // Saturday
    expect(d.termEnd).toBe('2026-01-12');
  });
});

describe('Dutch holidays', () => {
  it('Easter dates', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
  });
  it('2025 list', () => {
    expect(dutchHolidays(2025).map((h) => h.date)).toEqual([
      '2025-01-01', '2025-04-18', '2025-04-20', '2025-04-21', '2025-04-26', '2025-05-05', '2025-05-29', '2025-06-08', '2025-06-09', '2025-12-25', '2025-12-26',
    ]);
  });
  it('Koningsdag moves to 26 April when the 27th is a Sunday', () => {
    expect(dutchHolidays(2025).find((h) => h.name === 'Koningsdag')!.date).toBe('2025-04-26');
    expect(dutchHolidays(2026).find((h) => h.name === 'Koningsdag')!.date).toBe('2026-04-27');
  });
});

describe('LEGAL.md 2.2 term wording', () => {
  it.each([
    'Wij verzoeken u het bedrag binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd te betalen.',
    'U dient binnen vijftien dagen nadat deze brief bij u is bezorgd te betalen.',
    'Betaal binnen 14 dagen, te rekenen vanaf de dag na ontvangst van deze brief.',
  ])('accepted: %s', (s) => expect(isCompliantTermWording(s)).toBe(true));
  it.each([
    'Betaal binnen 14 dagen na dagtekening van deze brief.',
    'Betaal binnen 14 dagen na heden.',
    'Betaal binnen 14 dagen na verzending.',
    'Betaal binnen 14 dagen.',
    'Betaal binnen zeven dagen nadat deze brief bij u is bezorgd.',
  ])('rejected: %s', (s) => expect(isCompliantTermWording(s)).toBe(false));
});

describe('LEGAL.md 2.2 content validator', () => {
  const good: FourteenDayLetterInput = {
    debtorIsConsumer: true,
    letterDate: '2025-03-05',
    verzuimSince: '2025-03-01',
    claims: [
      { reference: 'F1', principalCents: 10_000 },
      { reference: 'F2', principalCents: 10_000 },
      { reference: 'F3', principalCents: 10_000 },
    ],
    openClaimReferences: ['F1', 'F2', 'F3'],
    statedCostsCents: 4_500,
    statedCostsIncludeVat: false,
    termWording: 'Wij verzoeken u binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd te betalen.',
    statedTermEndDate: '2025-03-21',
    consequencesStated: true,
  };
  const codes = (i: FourteenDayLetterInput) => validateFourteenDayLetter(i).errors.map((e) => e.code);

  it('a compliant letter passes (S1: 3 x 100.00 -> 45.00 in one letter)', () => {
    const r = validateFourteenDayLetter(good);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.expectedCostsCents).toBe(4_500);
    expect(r.dates.termEnd).toBe('2025-03-21');
  });
  it('1: only after verzuim', () => {
    expect(codes({ ...good, verzuimSince: null })).toEqual(['no-verzuim']);
    expect(codes({ ...good, verzuimSince: '2025-03-06' })).toEqual(['before-verzuim']);
  });
  it('2: all open claims in one letter (6:96 lid 7)', () => {
    expect(codes({ ...good, openClaimReferences: ['F1', 'F2', 'F3', 'F4'] })).toEqual(['claims-missing']);
    expect(codes({ ...good, claims: [] , statedCostsCents: 0, openClaimReferences: [] })).toContain('no-claims');
  });
  it('3: non-compliant wording and too-early end date void the letter', () => {
    expect(codes({ ...good, termWording: 'Betaal binnen 14 dagen na dagtekening.' })).toEqual(['term-wording']);
    expect(codes({ ...good, statedTermEndDate: '2025-03-20' })).toEqual(['term-end-too-early']);
  });
  it('3: an end date without the termijnenwet extension is only a warning', () => {
    const r = validateFourteenDayLetter({ ...good, letterDate: '2026-04-01', verzuimSince: '2026-03-01', statedTermEndDate: '2026-04-18' });
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['term-end-termijnenwet']);
  });
  it('4: the exact cost amount must be stated, incl. VAT only when it applies', () => {
    expect(codes({ ...good, statedCostsCents: null })).toEqual(['no-cost-amount']);
    expect(codes({ ...good, statedCostsCents: 4_000 })).toEqual(['cost-amount']);
    expect(codes({ ...good, consequencesStated: false })).toEqual(['no-consequences']);
    expect(codes({ ...good, statedCostsIncludeVat: true })).toEqual(['vat-not-allowed']);
    const vat = { creditorCanDeductVat: false };
    expect(codes({ ...good, vat, statedCostsCents: 5_445, statedCostsIncludeVat: true })).toEqual([]);
    expect(codes({ ...good, vat, statedCostsCents: 4_500 })).toEqual(['cost-amount', 'vat-not-stated']);
  });
  it('5: the letter itself is free', () => {
    expect(codes({ ...good, letterChargeCents: 500 })).toEqual(['letter-charged']);
  });
  it('B2B: warns that no letter is needed', () => {
    expect(validateFourteenDayLetter({ ...good, debtorIsConsumer: false }).warnings.map((w) => w.code)).toEqual(['not-consumer']);
  });
});
