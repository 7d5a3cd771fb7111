import { describe, expect, it } from 'vitest';
import { damagesLimitation, interruptLimitation, limitation } from '../../../src/domain/legal/limitation.ts';

describe('LEGAL.md 5.2 verjaring', () => {
  it('contract claim: 5 years from the day after it became due (3:307)', () => {
    expect(limitation('contract', '2020-03-15')).toEqual({ start: '2020-03-16', years: 5, lastDay: '2025-03-15', alertOn: '2025-01-14' });
  });
  it('periodic payments: 5 years per instalment (3:308)', () => {
    expect(limitation('periodic', '2021-01-31').lastDay).toBe('2026-01-31');
  });
  it('consumer sale price: 2 years (7:28)', () => {
    expect(limitation('consumer-sale-price', '2024-02-29')).toMatchObject({ start: '2024-03-01', lastDay: '2026-02-28' });
  });
  it('judgment: 20 years (3:324)', () => {
    expect(limitation('judgment', '2010-06-01').lastDay).toBe('2030-06-01');
  });
  it('current account: 5 years after the account ended (6:140 lid 4)', () => {
    expect(limitation('current-account', '2022-12-31').lastDay).toBe('2027-12-31');
  });
  it('damages: 5 years after knowledge, at most 20 years after the event (3:310)', () => {
    expect(damagesLimitation('2020-05-01', '2019-01-01').lastDay).toBe('2025-05-01');
    expect(damagesLimitation('2035-05-01', '2019-01-01').lastDay).toBe('2039-01-01');
  });
  it('stuiting: new period of the same length, max 5 years, from receipt (3:317, 3:319)', () => {
    const c = limitation('contract', '2020-03-15');
    expect(interruptLimitation(c, '2024-06-10')).toMatchObject({ start: '2024-06-11', years: 5, lastDay: '2029-06-10', shortensRunningPeriod: false });
    const k = limitation('consumer-sale-price', '2024-01-10');
    expect(interruptLimitation(k, '2025-06-10')).toMatchObject({ years: 2, lastDay: '2027-06-10' });
    const j = limitation('judgment', '2010-06-01');
    expect(interruptLimitation(j, '2012-01-01')).toMatchObject({ years: 5, lastDay: '2017-01-01', shortensRunningPeriod: true });
  });
  it('stuiting after expiry is refused', () => {
    expect(() => interruptLimitation(limitation('contract', '2020-03-15'), '2025-03-16')).toThrow(RangeError);
  });
});
