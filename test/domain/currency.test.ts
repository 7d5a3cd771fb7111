/** ISO 4217 codes only, normalised to upper case; XXX, ABC refused with line and field on import. */
import { describe, expect, it } from 'vitest';
import { normaliseCurrency } from '../../src/domain/currency.ts';
import { parseInvoicesCsv } from '../../src/formats/ledger-csv.ts';

describe('currencies', () => {
  it('accepts ISO 4217 codes in any case and refuses the rest', () => {
    expect(normaliseCurrency('eur')).toBe('EUR');
    expect(normaliseCurrency(' usd ')).toBe('USD');
    for (const bad of ['XXX', 'ABC', 'XTS', 'XAU', 'EURO', '', 'DEM']) expect(normaliseCurrency(bad), bad).toBeNull();
    expect(normaliseCurrency('DEM', { historic: true })).toBe('DEM');
  });

  it('refuses invoices in XXX or ABC naming line and field, and stores eur as EUR', () => {
    const r = parseInvoicesCsv('debtor_number,number,issue_date,due_date,amount,currency\nD1,F1,2026-01-01,2026-01-31,121.00,XXX\nD1,F2,2026-01-01,2026-01-31,1.00,ABC\nD1,F3,2026-01-01,2026-01-31,1.00,eur\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.line}:${p.field}`)).toEqual(['2:currency', '3:currency']);
    const ok = parseInvoicesCsv('debtor_number,number,issue_date,due_date,amount,currency\nD1,F3,2026-01-01,2026-01-31,1.00,eur\n');
    expect(ok.ok && ok.rows[0]!.currency).toBe('EUR');
  });
});
