/**
 * Every e-invoice sample (UBL: EN 16931, Peppol BIS 3, SI-UBL 2.0, OASIS; CII: EN 16931, NLCIUS)
 * imports through the same importer on both engines; EN 16931 findings are kept on the invoice's
 * timeline; an invoice whose sums do not add up is refused with the rule and the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { readSample, sampleFiles } from '../support/samples.ts';
import { anAdministration, utf8 } from '../support/builders.ts';
import { importUbl, detectLedgerImport } from '../../src/app/imports.ts';

const files = ['ubl/en16931', 'ubl/nl-rijksoverheid', 'ubl/oasis-ubl-2.1', 'ubl/peppol-bis3', 'ubl/si-ubl-2.0', 'cii/en16931', 'cii/nlcius-cii'].flatMap((d) => sampleFiles(`invoices/${d}`, (n) => /\.xml$/i.test(n)));

describe.each(ENGINES)('every e-invoice sample on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());

  it('imports UBL and CII alike, keeping rule findings on the timeline', async () => {
    expect(files.length).toBeGreaterThan(60);
    const outcome: Record<string, string> = {};
    for (const f of files) {
      const admin = await anAdministration(db, { name: `E ${basename(f)}` });
      const content = readSample(f);
      expect(detectLedgerImport(basename(f), content), basename(f)).toBe('ubl');
      try {
        const r = await importUbl(db, admin, { filename: basename(f), content });
        expect(r.created + r.updated, basename(f)).toBe(1);
        const ev = await db.query<{ kind: string; data: { findings: { rule: string }[] } }>(`SELECT kind, data FROM events WHERE administration_id = $1 AND kind = 'einvoice_findings'`, [admin.id]);
        outcome[basename(f)] = ev.length ? `marked ${ev[0]!.data.findings.map((x) => x.rule).join(',') || 'warnings'}` : 'clean';
      } catch (e) {
        outcome[basename(f)] = `refused ${(e as { problems?: { code: string }[] }).problems?.map((p) => p.code).join(',')}`;
      }
    }
    console.log(Object.entries(outcome).map(([k, v]) => `${k}: ${v}`).join('\n'));
    expect(Object.entries(outcome).filter(([k, v]) => /^CII/.test(k) && v.startsWith('refused'))).toEqual([]);
  });

  it('refuses an invoice whose amount due does not follow from its totals (BR-CO-16)', async () => {
    const admin = await anAdministration(db, { name: 'Sums' });
    const xml = readSample(sampleFiles('invoices/ubl/si-ubl-2.0', (n) => n === 'SI-UBL-2.0_ok_minimal.xml')[0]!);
    const text = new TextDecoder().decode(xml).replace(/(<cbc:PayableAmount currencyID="EUR">)([\d.]+)/, (_, a: string, v: string) => `${a}${(Number(v) + 10).toFixed(2)}`);
    await expect(importUbl(db, admin, { filename: 'bad-sum.xml', content: utf8(text) })).rejects.toMatchObject({ problems: [expect.objectContaining({ code: 'BR-CO-16', field: 'LegalMonetaryTotal/PayableAmount' })] });
  });
});
