/**
 * "Collect instead of remind" on both engines: the dunning run leaves the invoices of a debtor with
 * the policy (its own or its segment's) and an active mandate to the collection; without an active
 * mandate, or once the invoice's debit came back, it reminds as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { createMandate, revokeMandate } from '../../src/app/mandates.ts';
import { collectPolicy, setDebtorCollectPolicy, setSegmentCollectPolicy } from '../../src/app/collection-policy.ts';
import { saveSegment } from '../../src/app/care/segments.ts';
import { previewRun } from '../../src/app/dunning.ts';
import { AppError } from '../../src/app/errors.ts';
import { collect } from '../../src/app/collections.ts';
import { importStatement } from '../../src/app/bank.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';

const TODAY = '2026-12-03';

describe.each(ENGINES)('collect instead of remind on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  const reasonOf = async (itemId: number) => {
    const plan = await previewRun(db, admin, { asOf: '2026-12-10', override: true });
    if (plan.messages.some((m) => m.itemIds.includes(String(itemId)))) return 'reminded';
    return plan.skipped.find((s) => s.itemId === String(itemId) || s.itemIds?.includes(String(itemId)))?.reason ?? 'nothing';
  };

  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { creditorId: 'NL06ZZZ503992920000' });
  });
  afterAll(async () => db.drop());

  it('per debtor: skipped while an active mandate exists, reminded when it is revoked', async () => {
    const d = await aDebtor(db, admin, { number: 'K1' });
    const f = await anInvoice(db, admin, d, { number: 'K-1', amount: '50.00', dueDate: '2026-10-01' });
    expect(await reasonOf(f.id)).toBe('reminded');
    await setDebtorCollectPolicy(db, admin, d.id, true, 'anna');
    expect(await reasonOf(f.id)).toBe('reminded'); // no mandate: nothing to collect with
    const m = await createMandate(db, admin, { debtorId: d.id, mandateId: 'MK-1', signatureDate: '2026-01-15', iban: 'NL44RABO0123456789', scheme: 'CORE' }, TODAY);
    expect(await reasonOf(f.id)).toBe('collect_by_mandate');
    await revokeMandate(db, admin, m.id, '2026-12-01');
    expect(await reasonOf(f.id)).toBe('reminded');
    expect((await collectPolicy(db, admin)).debtors.map((x) => x.number)).toEqual(['K1']);
  });

  it('per segment', async () => {
    await saveSegment(db, admin, { key: 'vast', name: 'Vaste klanten', rules: {}, policyKey: null, priority: 10 });
    const d = await aDebtor(db, admin, { number: 'S1' });
    await db.query('UPDATE debtors SET segment = $2 WHERE id = $1', [d.id, 'vast']);
    const f = await anInvoice(db, admin, d, { number: 'S-1', amount: '50.00', dueDate: '2026-10-01' });
    await createMandate(db, admin, { debtorId: d.id, mandateId: 'MS-1', signatureDate: '2026-01-15', iban: 'NL44RABO0123456789', scheme: 'CORE' }, TODAY);
    expect(await reasonOf(f.id)).toBe('reminded');
    await setSegmentCollectPolicy(db, admin, 'vast', true);
    expect(await reasonOf(f.id)).toBe('collect_by_mandate');
    expect((await collectPolicy(db, admin)).segments).toEqual(['vast']);
  });

  it('an invoice whose debit came back is reminded again, whatever the policy', async () => {
    const own = await anAdministration(db, { creditorId: 'NL06ZZZ503992920000', iban: 'NL91ABNA0417164300' });
    const d = await aDebtor(db, own, { number: 'R1', type: 'consumer' });
    const f = await anInvoice(db, own, d, { number: 'R-1', amount: '40.00', dueDate: '2026-10-01' });
    await createMandate(db, own, { debtorId: d.id, mandateId: 'MR-1', signatureDate: '2026-01-15', iban: 'NL44RABO0123456789', scheme: 'CORE' }, TODAY);
    await setDebtorCollectPolicy(db, own, d.id, true, null);
    await collect(db, own, { date: '2026-12-08', asOf: TODAY, createdAt: '2026-12-03T10:00:00' });
    const xml = writeCamt053({
      statementId: 'R', accountIban: 'NL91ABNA0417164300', currency: 'EUR', openingBalance: { date: '2026-12-09', cents: 0, currency: 'EUR' }, closingBalance: { date: '2026-12-09', cents: -4000, currency: 'EUR' },
      entries: [{ entryRef: 'R', txIndex: 0, txCount: 1, bookingDate: '2026-12-09', valueDate: null, cents: -4000, currency: 'EUR', reversal: false, counterpartyName: null, counterpartyIban: null, counterpartyBic: null, structuredRef: null, endToEndId: 'R-1-B1', mandateId: 'MR-1', remittance: '', bankCode: 'PMNT/IDDT/UPDD', returnReason: 'MS02', info: null }],
    });
    const r = await importStatement(db, own, { filename: 'r.xml', content: new TextEncoder().encode(xml), asOf: '2026-12-09' });
    expect(r.collections.returned).toBe(1);
    const plan = await previewRun(db, own, { asOf: '2026-12-10', override: true });
    expect(plan.messages.some((m) => m.itemIds.includes(String(f.id)))).toBe(true);
  });

  it('refuses an unknown debtor or segment', async () => {
    await expect(setDebtorCollectPolicy(db, admin, 999_999, true, null)).rejects.toBeInstanceOf(AppError);
    await expect(setSegmentCollectPolicy(db, admin, 'geen', true)).rejects.toBeInstanceOf(AppError);
  });
});
