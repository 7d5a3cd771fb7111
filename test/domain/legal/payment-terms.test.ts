import { describe, expect, it } from 'vitest';
import { largeToSmeMaxDays, paymentTerm } from '../../../src/domain/legal/payment-terms.ts';

describe('LEGAL.md 4 payment terms', () => {
  it('default 30 days if nothing agreed (6:119a lid 2)', () => {
    expect(paymentTerm({ invoiceDate: '2025-01-15' })).toEqual({ ok: true, days: 30, dueDate: '2025-02-14', rule: 'default' });
  });
  it('agreed term up to 60 days is kept', () => {
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 60 })).toMatchObject({ ok: true, days: 60, rule: 'agreed' });
  });
  it('over 60 days only when expressly agreed (lid 5), else rejected', () => {
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 90 }).ok).toBe(false);
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 90, expresslyAgreed: true })).toMatchObject({ ok: true, days: 90, rule: 'expressly-agreed-over-60' });
  });
  it('large company paying an SME: max 30 days since 2022-07-01, longer clause void -> 30', () => {
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 45, debtorIsLargeCompany: true, creditorIsSme: true })).toMatchObject({ ok: true, days: 30, rule: 'large-to-sme-void' });
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 90, expresslyAgreed: true, debtorIsLargeCompany: true, creditorIsSme: true })).toMatchObject({ days: 30 });
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 30, debtorIsLargeCompany: true, creditorIsSme: true })).toMatchObject({ days: 30, rule: 'agreed' });
  });
  it('transition: 60 days 2017-07-01..2022-06-30, existing contracts from 2018-07-01 / 2023-07-01', () => {
    expect(largeToSmeMaxDays('2017-06-30')).toBeNull();
    expect(largeToSmeMaxDays('2017-07-01')).toBe(60);
    expect(largeToSmeMaxDays('2022-06-30')).toBe(60);
    expect(largeToSmeMaxDays('2022-07-01')).toBe(30);
    expect(largeToSmeMaxDays('2023-06-30', '2020-01-01')).toBe(60);
    expect(largeToSmeMaxDays('2023-07-01', '2020-01-01')).toBe(30);
    expect(largeToSmeMaxDays('2018-06-30', '2016-01-01')).toBeNull();
    expect(largeToSmeMaxDays('2018-07-01', '2016-01-01')).toBe(60);
  });
  it('public authority: 30 days, up to 60 only when expressly agreed (6:119b), never more', () => {
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 45, debtorIsPublicAuthority: true }).ok).toBe(false);
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 45, debtorIsPublicAuthority: true, expresslyAgreed: true })).toMatchObject({ ok: true, days: 45 });
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 61, debtorIsPublicAuthority: true, expresslyAgreed: true }).ok).toBe(false);
  });
  it('rejects nonsense', () => {
    expect(paymentTerm({ invoiceDate: '2025-02-30' }).ok).toBe(false);
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: -1 }).ok).toBe(false);
    expect(paymentTerm({ invoiceDate: '2025-01-15', agreedDays: 1.5 }).ok).toBe(false);
  });
});
