import { describe, expect, it } from 'vitest';
import { extractInvoiceNumberCandidates, findReferencesInText, invoiceNumberKeys, normaliseStructuredRef } from '../../../src/domain/matching/invoice-numbers.ts';

function shareKey(a: string, b: string, kinds = 'PSZ'): boolean {
  const kb = new Set(invoiceNumberKeys(b));
  return invoiceNumberKeys(a).some((k) => kinds.includes(k[0]!) && kb.has(k));
}

describe('invoiceNumberKeys', () => {
  it('gives the same key to the ways people write one number', () => {
    for (const v of ['F2026-00012', '2026-00012', '2026/00012', '20260012'.replace('0012', '00012'), 'INV2026-00012', 'f2026-00012', 'F2026.00012']) expect(shareKey('F2026-00012', v), v).toBe(true);
    expect(shareKey('F2026-00012', 'F2026-12')).toBe(true); // leading zeros dropped in a group
    expect(shareKey('F-000123', '123')).toBe(true);
    expect(shareKey('F2026-00012', 'F2026-00013')).toBe(false);
    expect(shareKey('F2026-00012', '2026-00120')).toBe(false);
  });

  it('keeps the letter prefix in the exact key, so F… and C… can be told apart', () => {
    expect(invoiceNumberKeys('F2026-00005')[0]).toBe('P:F202600005');
    expect(invoiceNumberKeys('C2026-00005')[0]).toBe('P:C202600005');
    expect(invoiceNumberKeys('C2026-00005')).toContain('S:202600005');
    expect(invoiceNumberKeys('F2026-00123')).toContain('L:123');
    expect(invoiceNumberKeys('geen nummer')).toEqual([]);
  });
});

describe('extractInvoiceNumberCandidates', () => {
  it('finds numbers and skips amounts, dates and IBANs', () => {
    expect(extractInvoiceNumberCandidates('Factuur F2026-00123 en 2026/00124, EUR 1.234,56 dd 12-11-2026 NL91ABNA0417164300')).toEqual(['F2026-00123', '2026/00124']);
    expect(extractInvoiceNumberCandidates('FACTUUR2026-00123')).toEqual(['2026-00123']);
    expect(extractInvoiceNumberCandidates('fact.nr. F2026-123, 121.00')).toEqual(['F2026-123']);
    expect(extractInvoiceNumberCandidates('2026-00123/2026-00124')).toEqual(expect.arrayContaining(['2026-00123', '2026-00124']));
    expect(extractInvoiceNumberCandidates('Salaris november')).toEqual([]);
  });
});

describe('references', () => {
  it('finds a betalingskenmerk and an RF reference in free text, normalised', () => {
    expect(findReferencesInText('kenmerk 5000 0567 8901 2345, ook rf18 5390 0754 7034')).toEqual(['5000056789012345', 'RF18539007547034']);
    expect(findReferencesInText('5000.0567.8901.2345')).toEqual(['5000056789012345']);
  });

  it('normalises structured references: digits for CUR, upper case without spaces for RF', () => {
    expect(normaliseStructuredRef('5000 0567 8901 2345', 'CUR')).toBe('5000056789012345');
    expect(normaliseStructuredRef('rf18 5390 0754 7034', 'ISO')).toBe('RF18539007547034');
    expect(normaliseStructuredRef('5000.0567.8901.2345')).toBe('5000056789012345');
  });
});
