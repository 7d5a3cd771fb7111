import { describe, expect, it } from 'vitest';
import { readCsv, writeCsv, csvField } from '../../src/formats/csv.ts';
import { sheetCsv } from '../../src/formats/sheet.ts';
import { parseDebtorsCsv, parseInvoicesCsv } from '../../src/formats/ledger-csv.ts';
import { isValidIban, normalizeIban } from '../../src/domain/references.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('readCsv', () => {
  it('handles quotes, embedded separators and newlines, and tells the line a record starts on', () => {
    const r = readCsv('a,b\n"x, y","line1\nline2"\nz,"He said ""hi"""\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.table.header).toEqual(['a', 'b']);
    expect(r.table.records).toEqual([{ line: 2, fields: ['x, y', 'line1\nline2'] }, { line: 4, fields: ['z', 'He said "hi"'] }]);
  });
  it('detects ; and tab separators, strips a BOM, accepts CRLF and latin1', () => {
    const r = readCsv(enc('\uFEFFa;b\r\n1;2\r\n'));
    expect(r.ok && r.table.separator).toBe(';');
    expect(r.ok && r.table.header).toEqual(['a', 'b']);
    expect(r.ok && r.table.records[0]!.fields).toEqual(['1', '2']);
    const t = readCsv('a\tb\n1\t2\n');
    expect(t.ok && t.table.separator).toBe('\t');
    const latin = readCsv(new Uint8Array([0x6e, 0x61, 0x61, 0x6d, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x0a]));
    expect(latin.ok && latin.table.records[0]!.fields[0]).toBe('Café');
  });
  it('reports an unclosed quote with its line', () => {
    const r = readCsv('a,b\n1,2\n3,"open\n');
    expect(r).toMatchObject({ ok: false, error: { code: 'csv_unclosed_quote', line: 3 } });
  });
  it('writes CSV that is safe against formula injection and reads back', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('-12.50')).toBe('-12.50');
    const text = writeCsv(['x', 'y'], [['a,b', '"q"'], ['@cmd', null]]);
    const r = readCsv(text);
    expect(r.ok && r.table.records.map((x) => x.fields)).toEqual([['a,b', '"q"'], ["'@cmd", '']]);
  });
  it('neutralises a formula behind any separator a spreadsheet might split on (, ; tab newline)', () => {
    for (const sep of [',', ';']) {
      expect(csvField('F;=1+1', sep)).toBe(`"F;'=1+1"`);
      expect(csvField('F,=1+1', sep)).toBe(`"F,'=1+1"`);
      expect(csvField('F\t+cmd', sep)).toBe(`"F\t'+cmd"`);
      expect(csvField('F\n@SUM(A1)', sep)).toBe(`"F\n'@SUM(A1)"`);
      expect(csvField('a; -2+3', sep)).toBe(`"a;' -2+3"`);
      expect(csvField('\t=1', sep)).toBe(`"'\t'=1"`);
      // plain numbers and ordinary text stay as they are
      expect(csvField('-12.50', sep)).toBe('-12.50');
      expect(csvField('Jansen; -5', sep)).toBe('"Jansen; -5"');
    }
    // every part a reader with another separator would see starts as text
    const cell = csvField('F;=1+1', ',');
    for (const part of cell.replace(/"/g, '').split(/[,;\t\n]/)) expect(part).not.toMatch(/^\s*[=+\-@]/);
    const sheet = sheetCsv([{ key: 'n', header: 'Naam', kind: 'text' }], [{ n: 'x;=HYPERLINK("http://evil")' }], 'en');
    expect(sheet).toContain(`"x;'=HYPERLINK(""http://evil"")"`);
  });
});

describe('debtors CSV', () => {
  const opts = { isValidIban, normalizeIban };
  it('reads the canonical columns', () => {
    const r = parseDebtorsCsv('number,name,type,email,iban,language\nD1,Bakkerij Jansen B.V.,business,info@jansen.nl,NL91 ABNA 0417 1643 00,nl\nD2,Emma de Vries,consumer,,,en\n', opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows[0]).toMatchObject({ line: 2, number: 'D1', type: 'business', emails: ['info@jansen.nl'], ibans: ['NL91ABNA0417164300'], language: 'nl' });
    expect(r.rows[1]).toMatchObject({ number: 'D2', type: 'consumer', emails: [], ibans: [], language: 'en' });
  });
  it('accepts Dutch headers', () => {
    const r = parseDebtorsCsv('debiteurnummer;naam;soort;e-mail;iban;taal\nD1;Jansen;particulier;a@b.nl;;nl\n', opts);
    expect(r.ok && r.rows[0]).toMatchObject({ number: 'D1', type: 'consumer' });
  });
  it('lists every problem with line and field', () => {
    const r = parseDebtorsCsv('number,name,type,email,iban,language\nD1,,zakelijk,geen-mail,NL00ABNA0000000000,fr\nD1,Dubbel,,,,\n', opts);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.line, p.field])).toEqual([[2, 'name'], [2, 'email'], [2, 'iban'], [2, 'language'], [3, 'number']]);
  });
  it('names a missing column', () => {
    const r = parseDebtorsCsv('nummer,email\nD1,a@b.nl\n', opts);
    expect(r).toMatchObject({ ok: false, problems: [{ line: 1, field: 'name', code: 'missing_column' }] });
  });
  it('uses a column mapping for other CSVs', () => {
    const r = parseDebtorsCsv('Klantnr,Bedrijf\n77,Smit\n', { ...opts, mapping: { number: 'Klantnr', name: 'Bedrijf' } });
    expect(r.ok && r.rows[0]).toMatchObject({ number: '77', name: 'Smit' });
  });
});

describe('invoices CSV', () => {
  it('reads amounts, credit notes and empty references', () => {
    const r = parseInvoicesCsv('debtor_number,number,issue_date,due_date,amount,currency,payment_reference\nD1,F1,2026-01-01,2026-01-31,121.00,EUR,\nD1,C1,2026-01-05,2026-01-05,-21.00,,1234567890123456\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rows).toEqual([
      { line: 2, debtorNumber: 'D1', number: 'F1', issueDate: '2026-01-01', dueDate: '2026-01-31', cents: 12100, currency: 'EUR', paymentReference: null, description: null },
      { line: 3, debtorNumber: 'D1', number: 'C1', issueDate: '2026-01-05', dueDate: '2026-01-05', cents: -2100, currency: 'EUR', paymentReference: '1234567890123456', description: null },
    ]);
  });
  it('reads ; separated files with decimal commas and Dutch dates', () => {
    const r = parseInvoicesCsv(enc('\uFEFFdebiteurnummer;factuurnummer;factuurdatum;vervaldatum;bedrag\nD1;F1;01-02-2026;03-03-2026;1.234,56\nD1;F2;2026-02-01;2026-03-03;12,5\n'));
    expect(r.ok && r.rows.map((x) => [x.cents, x.issueDate])).toEqual([[123456, '2026-02-01'], [1250, '2026-02-01']]);
  });
  it('rejects the whole file with every problem by line and field', () => {
    const r = parseInvoicesCsv('debtor_number,number,issue_date,due_date,amount,currency,payment_reference\n,F1,2026-13-01,2026-01-31,abc,EURO,\nD1,F1,2026-01-01,2025-12-01,1.00,EUR,\nD1,F1,2026-01-01,2026-01-02,1.00,EUR,\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.line}:${p.field}`)).toEqual(['2:debtor_number', '2:issue_date', '2:amount', '2:currency', '3:number', '3:due_date', '4:number']);
  });
});
