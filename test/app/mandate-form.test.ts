/** The printable mandate form on both engines: the Dutch standard wording per kind, the creditor's name, address and Incassant ID, the mandate id, read back with pdftotext. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration } from '../support/builders.ts';
import { createMandate, mandateForm } from '../../src/app/mandates.ts';
import { AppError } from '../../src/app/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'vorder-mandate-form-'));
function text(pdf: Buffer): string {
  const f = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(f, pdf);
  return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

describe.each(ENGINES)('mandate form on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => { db = await testDb(engine); });
  afterAll(async () => db.drop());

  it('recurring CORE: "Doorlopende machtiging" with the 8-week refund text; one-off and B2B their own wording', async () => {
    const admin = await anAdministration(db, { legalName: 'Incasso Demo B.V.', creditorId: 'NL06ZZZ503992920000', addressLine: 'Stationsweg 1', postalCode: '1234 AB', city: 'Utrecht' });
    const d = await aDebtor(db, admin, { number: 'M1', name: 'Jan de Vries', type: 'consumer' });
    const b = await aDebtor(db, admin, { number: 'M2', name: 'Bouw B.V.' });
    const rec = await createMandate(db, admin, { debtorId: d.id, mandateId: 'MNDT-0001', signatureDate: '2026-11-01', iban: 'NL44RABO0123456789', scheme: 'CORE' }, '2026-12-03');
    const one = await createMandate(db, admin, { debtorId: d.id, mandateId: 'MNDT-0002', signatureDate: '2026-11-01', iban: 'NL44RABO0123456789', scheme: 'CORE', recurring: false } as never, '2026-12-03');
    const biz = await createMandate(db, admin, { debtorId: b.id, mandateId: 'MNDT-0003', signatureDate: '2026-11-01', iban: 'NL20INGB0001234567', bic: 'INGBNL2A', scheme: 'B2B' }, '2026-12-03');
    const f = await mandateForm(db, admin, rec.id, '2026-12-03');
    expect(f.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const t = text(f.pdf);
    for (const s of ['SEPA', 'Doorlopende machtiging', 'Incasso Demo B.V.', 'Stationsweg 1', '1234 AB Utrecht', 'NL06ZZZ503992920000', 'MNDT-0001', 'Jan de Vries', 'NL44 RABO 0123 4567 89',
      'doorlopende incasso-opdrachten te sturen naar uw bank', 'binnen 8 weken na afschrijving', 'Handtekening']) expect(t).toContain(s);
    const o = text((await mandateForm(db, admin, one.id, '2026-12-03')).pdf);
    expect(o).toContain('Eenmalige machtiging');
    expect(o).toContain('eenmalig een bedrag van uw rekening af te schrijven');
    const z = text((await mandateForm(db, admin, biz.id, '2026-12-03')).pdf);
    expect(z).toContain('Doorlopende machtiging zakelijk');
    expect(z).toContain('geen recht op terugboeking');
    expect(z).not.toContain('8 weken');
  });

  it('an unknown mandate is not found', async () => {
    const admin = await anAdministration(db);
    await expect(mandateForm(db, admin, 999_999, '2026-12-03')).rejects.toBeInstanceOf(AppError);
  });
});
