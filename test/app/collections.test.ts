/**
 * SEPA collections on both engines: the batch of open invoices due by the date of debtors with an
 * active mandate, written as pain.008 (validated against the official XSD), recorded with its
 * items, mandates marked used, amendments sent once, items paused from dunning; bad input refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { validateXsd } from '../support/xsd.ts';
import type { Administration } from '../../src/store/administrations.ts';
import type { Debtor } from '../../src/store/debtors.ts';
import type { Item } from '../../src/store/items.ts';
import { collect, batches } from '../../src/app/collections.ts';
import { amendMandate, createMandate, listMandates, revokeMandate } from '../../src/app/mandates.ts';
import { previewRun } from '../../src/app/dunning.ts';
import { openDispute } from '../../src/app/care.ts';
import { AppError } from '../../src/app/errors.ts';
import { pausedReasons } from '../../src/store/care.ts';
import { all, parseXml, textAt } from '../../src/formats/xml.ts';

const TODAY = '2026-12-03';
const CREATED = '2026-12-03T10:00:00';

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe.each(ENGINES)('collections on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let core: Debtor, b2b: Debtor, none: Debtor, revoked: Debtor;
  let c1: Item, c2: Item, cLater: Item, cDisputed: Item, b1: Item, n1: Item, r1: Item;

  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { creditorId: 'NL06ZZZ503992920000', legalName: 'Incasso Demo B.V.', bic: 'ABNANL2A' });
    core = await aDebtor(db, admin, { number: 'C1', name: 'Jan de Vries', type: 'consumer' });
    b2b = await aDebtor(db, admin, { number: 'B1', name: 'Bakker & Zonen B.V.' });
    none = await aDebtor(db, admin, { number: 'N1' });
    revoked = await aDebtor(db, admin, { number: 'R1' });
    c1 = await anInvoice(db, admin, core, { number: 'F-100', amount: '121.00', dueDate: '2026-11-20' });
    c2 = await anInvoice(db, admin, core, { number: 'F-101', amount: '0.01', dueDate: '2026-12-08' });
    cLater = await anInvoice(db, admin, core, { number: 'F-102', amount: '50.00', dueDate: '2026-12-20' });
    cDisputed = await anInvoice(db, admin, core, { number: 'F-103', amount: '70.00', dueDate: '2026-11-01' });
    b1 = await anInvoice(db, admin, b2b, { number: 'F_200 (oud)', amount: '1000.00', dueDate: '2026-11-25', paymentReference: 'RF18539007547034' });
    n1 = await anInvoice(db, admin, none, { number: 'F-300', amount: '10.00', dueDate: '2026-11-01' });
    r1 = await anInvoice(db, admin, revoked, { number: 'F-400', amount: '10.00', dueDate: '2026-11-01' });
    await createMandate(db, admin, { debtorId: core.id, mandateId: 'MC-1', signatureDate: '2026-01-15', iban: 'NL44RABO0123456789', scheme: 'CORE' }, TODAY);
    await createMandate(db, admin, { debtorId: b2b.id, mandateId: 'MB-1', signatureDate: '2026-02-01', iban: 'NL20INGB0001234567', bic: 'INGBNL2A', scheme: 'B2B' }, TODAY);
    const rm = await createMandate(db, admin, { debtorId: revoked.id, mandateId: 'MR-1', signatureDate: '2026-02-01', iban: 'NL20INGB0001234567', scheme: 'CORE' }, TODAY);
    await revokeMandate(db, admin, rm.id, '2026-12-01');
    const expired = await aDebtor(db, admin, { number: 'E1' });
    await anInvoice(db, admin, expired, { number: 'F-500', amount: '10.00', dueDate: '2026-11-01' });
    await createMandate(db, admin, { debtorId: expired.id, mandateId: 'ME-1', signatureDate: '2023-01-02', iban: 'NL20INGB0001234567', scheme: 'CORE' }, TODAY);
    await openDispute(db, admin, { debtorId: core.id, itemIds: [cDisputed.id], reason: 'quality' }, TODAY);
  });
  afterAll(async () => db.drop());

  it('refuses a date inside the lead time, on a closed day, or too far ahead; and an administration without creditor id', async () => {
    for (const [date, code] of [['2026-12-03', 'too_early'], ['2026-12-05', 'not_business_day'], ['2026-12-25', 'not_business_day'], ['2026-12-28', 'too_far_ahead'], ['2026-13-01', 'invalid_date']] as const) {
      const e = await failure(collect(db, admin, { date, asOf: TODAY, createdAt: CREATED }));
      expect(e.problems).toEqual([expect.objectContaining({ field: 'date', code })]);
    }
    const bare = await anAdministration(db);
    const e = await failure(collect(db, bare, { date: '2026-12-08', asOf: TODAY, createdAt: CREATED }));
    expect(e.problems).toEqual([expect.objectContaining({ field: 'creditorId', code: 'required' })]);
    expect(await batches(db, admin)).toEqual([]);
  });

  it('collects what is due by the date from debtors with an active mandate, XSD-valid, one PmtInf per scheme', async () => {
    const r = await collect(db, admin, { date: '2026-12-08', asOf: TODAY, createdAt: CREATED, actor: 'anna' });
    expect(r).toMatchObject({ messageId: `VRD-${admin.id}-DD-1`, format: 'pain.008.001.08', count: 3, totalCents: 12100 + 1 + 100000, controlSum: '1121.01' });
    expect(r.paymentInfos.map((p) => [p.scheme, p.sequenceType, p.count, p.totalCents])).toEqual([['B2B', 'RCUR', 1, 100000], ['CORE', 'RCUR', 2, 12101]]);
    const v = validateXsd(r.xml, 'pain.008.001.08');
    expect(v.output, v.file).toBe('');
    const p = parseXml(r.xml);
    if (!p.ok) throw new Error(p.error.message);
    const txs = all(p.doc.root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf');
    expect(txs.map((t) => textAt(t, 'PmtId/EndToEndId'))).toEqual([`VRD-I${b1.id}-B1`, 'F-100-B1', 'F-101-B1']);
    expect(textAt(txs[0], 'RmtInf/Strd/CdtrRefInf/Ref')).toBe('RF18539007547034');
    expect(textAt(txs[0], 'Dbtr/Nm')).toBe('Bakker + Zonen B.V.');
    expect(textAt(txs[1], 'RmtInf/Strd/CdtrRefInf/Tp/Issr')).toBe('CUR'); // the generated betalingskenmerk
    expect(textAt(txs[1], 'RmtInf/Strd/CdtrRefInf/Ref')).toBe(c1.paymentReference);
    expect(textAt(p.doc.root, 'CstmrDrctDbtInitn/PmtInf/CdtrSchmeId/Id/PrvtId/Othr/Id')).toBe('NL06ZZZ503992920000');
    expect(r.skipped.map((s) => [s.itemNumber, s.reason])).toEqual([['F-500', 'no_active_mandate']]); // signed 2023, never used: lapsed
    expect(JSON.stringify(r)).not.toContain('F-400'); // revoked
    expect(JSON.stringify(r)).not.toContain('F-300'); // no mandate at all: not a candidate
    expect(JSON.stringify(r)).not.toContain('F-103'); // disputed
    expect(JSON.stringify(r)).not.toContain('F-102'); // due later
    expect((await batches(db, admin)).map((b) => [b.messageId, b.txCount, b.totalCents])).toEqual([[r.messageId, 3, 112101]]);
    expect((await listMandates(db, admin, TODAY)).filter((m) => m.lastUsedAt).map((m) => [m.mandateId, m.lastUsedAt])).toEqual([['MB-1', '2026-12-08'], ['MC-1', '2026-12-08']]);
    void n1; void r1; void cLater;
  });

  it('items in the batch are paused from dunning and not collected twice', async () => {
    const plan = await previewRun(db, admin, { asOf: '2026-12-10', override: true });
    const skipped = plan.skipped.filter((s) => s.reason === 'in_collection').map((s) => s.itemId).sort();
    expect(skipped).toEqual([String(c1.id), String(c2.id), String(b1.id)].sort());
    expect(plan.messages.flatMap((m) => [...m.itemIds])).not.toContain(String(c1.id));
    const reasons = await pausedReasons(db, admin.id, [core.id], '2026-12-10');
    expect(reasons.get(core.id)!.map((x) => x.code)).toContain('in_collection');
    const again = await failure(collect(db, admin, { date: '2026-12-09', asOf: TODAY, createdAt: CREATED }));
    expect(again.problems).toEqual([expect.objectContaining({ field: 'date', code: 'nothing_to_collect' })]);
    void c2;
  });

  it('pain.008.001.02 on request, XSD-valid', async () => {
    const late = await anInvoice(db, admin, b2b, { number: 'F-201', amount: '33.33', dueDate: '2026-12-01' });
    const r = await collect(db, admin, { date: '2026-12-09', asOf: TODAY, createdAt: CREATED, format: 'pain.008.001.02' });
    expect(r).toMatchObject({ messageId: `VRD-${admin.id}-DD-2`, count: 1, controlSum: '33.33' });
    const v = validateXsd(r.xml, 'pain.008.001.02');
    expect(v.output, v.file).toBe('');
    expect(r.xml).toContain(`<EndToEndId>F-201-B2</EndToEndId>`);
    void late;
  });

  it('a changed mandate: the next collection carries the amendment with the original data, once', async () => {
    const [mc] = (await listMandates(db, admin, TODAY)).filter((m) => m.mandateId === 'MC-1');
    const bad = await failure(amendMandate(db, admin, mc!.id, { iban: 'NL00INGB0001234567', mandateId: 'MB-1' }, TODAY));
    expect(bad.problems.map((p) => [p.field, p.code])).toEqual([['iban', 'invalid_iban'], ['mandateId', 'mandate_id_used']]);
    const changed = await amendMandate(db, admin, mc!.id, { iban: 'NL20INGB0001234567', mandateId: 'MC-2' }, TODAY, 'anna');
    expect(changed).toMatchObject({ mandateId: 'MC-2', iban: 'NL20INGB0001234567', originalMandateId: 'MC-1', originalIban: 'NL44RABO0123456789' });
    await anInvoice(db, admin, core, { number: 'F-104', amount: '12.34', dueDate: '2026-12-01' });
    const r = await collect(db, admin, { date: '2026-12-10', asOf: TODAY, createdAt: CREATED });
    const v = validateXsd(r.xml, 'pain.008.001.08');
    expect(v.output, v.file).toBe('');
    const p = parseXml(r.xml);
    if (!p.ok) throw new Error(p.error.message);
    const tx = all(p.doc.root, 'CstmrDrctDbtInitn/PmtInf/DrctDbtTxInf').find((t) => textAt(t, 'PmtId/EndToEndId') === 'F-104-B3')!;
    expect(textAt(tx, 'DrctDbtTx/MndtRltdInf/MndtId')).toBe('MC-2');
    expect(textAt(tx, 'DrctDbtTx/MndtRltdInf/AmdmntInd')).toBe('true');
    expect(textAt(tx, 'DrctDbtTx/MndtRltdInf/AmdmntInfDtls/OrgnlMndtId')).toBe('MC-1');
    expect(textAt(tx, 'DrctDbtTx/MndtRltdInf/AmdmntInfDtls/OrgnlDbtrAgt/FinInstnId/Othr/Id')).toBe('SMNDA'); // Rabobank → ING
    const after = (await listMandates(db, admin, TODAY)).find((m) => m.id === mc!.id)!;
    expect([after.originalMandateId, after.originalIban, after.lastUsedAt]).toEqual([null, null, '2026-12-10']);
  });
});
