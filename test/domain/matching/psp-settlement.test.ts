/** A payment provider's payout on the bank statement is recognised as settlement, never as a debtor's payment. */
import { describe, expect, it } from 'vitest';
import { pspSettlementOf } from '../../../src/domain/matching/psp-settlement.ts';

describe('pspSettlementOf', () => {
  it('recognises a Mollie payout by its settlement reference or settlement id', () => {
    expect(pspSettlementOf({ cents: 123456, counterpartyName: 'Stichting Mollie Payments', remittance: 'Mollie payout 1234567.2112.01' })).toBe('1234567.2112.01');
    expect(pspSettlementOf({ cents: 5000, counterpartyName: 'STICHTING MOLLIE PAYMENTS', remittance: '', endToEndId: 'stl_jDk30akdN' })).toBe('stl_jDk30akdN');
    expect(pspSettlementOf({ cents: 5000, counterpartyName: 'Onbekend', remittance: 'uitbetaling st_8XkL2qAbc' })).toBe('st_8XkL2qAbc');
  });
  it('leaves debtors\' payments, debits and other counterparties alone', () => {
    expect(pspSettlementOf({ cents: 12100, counterpartyName: 'Bakkerij Jansen', remittance: 'F2026-0042 1234567.2112.01' })).toBeNull();
    expect(pspSettlementOf({ cents: 12100, counterpartyName: 'Stichting Mollie Payments', remittance: 'factuur F2026-0042' })).toBeNull();
    expect(pspSettlementOf({ cents: -500, counterpartyName: 'Stichting Mollie Payments', remittance: 'fees stl_jDk30akdN' })).toBeNull();
    expect(pspSettlementOf({ cents: 12100, counterpartyName: null, remittance: 'first_payment' })).toBeNull();
  });
});
