/**
 * The SEPA return loop on both engines, end to end through CAMT.053 files the test writes
 * (XSD-valid camt.053.001.02): a batch credit by PmtInfId and a credit per transaction settle the
 * collected items; R-transactions of each reason class reopen exactly their item and act by rule
 * (AM04 → one retry batch, XSD-valid; AC04 → mandate ended + task; MD06 → task; a second AM04 →
 * no second retry); charges follow the policy; an unknown EndToEndId books nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice, utf8 } from '../support/builders.ts';
import { validateXsd } from '../support/xsd.ts';
import type { Administration } from '../../src/store/administrations.ts';
import type { Debtor } from '../../src/store/debtors.ts';
import type { Item } from '../../src/store/items.ts';
import type { BankEntry } from '../../src/domain/bank-statement.ts';
import { collect, batchFile, batches, collectionHistory, directDebitOverview, type CollectResult } from '../../src/app/collections.ts';
import { createMandate, listMandates } from '../../src/app/mandates.ts';
import { importStatement } from '../../src/app/bank.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { getItem, getItemByNumber } from '../../src/store/items.ts';
import { listTasks, pausedReasons } from '../../src/store/care.ts';
import { listEvents } from '../../src/store/events.ts';
import { decideReturn } from '../../src/domain/sepa/returns.ts';

const TODAY = '2026-12-03';
const CREATED = '2026-12-03T10:00:00';
const OWN_IBAN = 'NL91ABNA0417164300';

function entry(over: Partial<BankEntry> & Pick<BankEntry, 'cents' | 'bookingDate'>): BankEntry {
  return {
    entryRef: null, txIndex: 0, txCount: 1, valueDate: null, currency: 'EUR', reversal: false, counterpartyName: null, counterpartyIban: null, counterpartyBic: null,
    structuredRef: null, endToEndId: null, mandateId: null, remittance: '', bankCode: null, returnReason: null, info: null, ...over,
  };
}

let fileNo = 0;
/** A CAMT.053 statement of the administration's account, checked against the official XSD before it is imported. */
function statement(entries: BankEntry[], date: string): { filename: string; content: Uint8Array } {
  const total = entries.reduce((n, e) => n + e.cents, 0);
  const xml = writeCamt053({ statementId: `ST-${++fileNo}`, accountIban: OWN_IBAN, currency: 'EUR', openingBalance: { date, cents: 1_000_000, currency: 'EUR' }, closingBalance: { date, cents: 1_000_000 + total, currency: 'EUR' }, entries });
  const v = validateXsd(xml, 'camt.053.001.02');
  if (!v.ok) throw new Error(`test statement not XSD-valid: ${v.output}`);
  return { filename: `afschrift-${fileNo}.xml`, content: utf8(xml) };
}

describe.each(ENGINES)('SEPA return loop on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let a: Debtor, b: Debtor, c: Debtor, d: Debtor;
  let fa: Item, fb: Item, fc: Item, fd: Item;
  let batch: CollectResult;
  const e2e = (item: Item) => `${item.number}-B1`;

  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { creditorId: 'NL06ZZZ503992920000', legalName: 'Incasso Demo B.V.', bic: 'ABNANL2A', iban: OWN_IBAN, settings: { sepa: { returnChargesToDebtor: true } } });
    a = await aDebtor(db, admin, { number: 'A1', name: 'Anna Jansen', type: 'consumer' });
    b = await aDebtor(db, admin, { number: 'B1', name: 'Bram de Boer', type: 'consumer' });
    c = await aDebtor(db, admin, { number: 'C1', name: 'Carla Smit', type: 'consumer' });
    d = await aDebtor(db, admin, { number: 'D1', name: 'Dekker Bouw B.V.' });
    fa = await anInvoice(db, admin, a, { number: 'F-1', amount: '100.00', dueDate: '2026-12-01' });
    fb = await anInvoice(db, admin, b, { number: 'F-2', amount: '200.00', dueDate: '2026-12-01' });
    fc = await anInvoice(db, admin, c, { number: 'F-3', amount: '300.00', dueDate: '2026-12-01' });
    fd = await anInvoice(db, admin, d, { number: 'F-4', amount: '400.00', dueDate: '2026-12-01' });
    await createMandate(db, admin, { debtorId: a.id, mandateId: 'M-A', signatureDate: '2026-01-15', iban: 'NL44RABO0123456789', scheme: 'CORE' }, TODAY);
    await createMandate(db, admin, { debtorId: b.id, mandateId: 'M-B', signatureDate: '2026-01-15', iban: 'NL20INGB0001234567', scheme: 'CORE' }, TODAY);
    await createMandate(db, admin, { debtorId: c.id, mandateId: 'M-C', signatureDate: '2026-01-15', iban: 'NL02ABNA0123456789', scheme: 'CORE' }, TODAY);
    await createMandate(db, admin, { debtorId: d.id, mandateId: 'M-D', signatureDate: '2026-01-15', iban: 'NL20INGB0001234567', bic: 'INGBNL2A', scheme: 'B2B' }, TODAY);
    batch = await collect(db, admin, { date: '2026-12-08', asOf: TODAY, createdAt: CREATED });
  });
  afterAll(async () => db.drop());

  it('settles the CORE block by its PmtInfId (one line) and the B2B item by its EndToEndId', async () => {
    const core = batch.paymentInfos.find((p) => p.scheme === 'CORE')!;
    const b2b = batch.paymentInfos.find((p) => p.scheme === 'B2B')!;
    expect(core.totalCents).toBe(60000);
    const r = await importStatement(db, admin, {
      ...statement([
        entry({ cents: core.totalCents, bookingDate: '2026-12-08', paymentInfoId: core.paymentInfoId, bankCode: 'PMNT/IDDT/ESDD', entryRef: 'BATCH-1', info: `SEPA incasso batch ${core.paymentInfoId}` }),
        entry({ cents: 40000, bookingDate: '2026-12-08', endToEndId: e2e(fd), paymentInfoId: b2b.paymentInfoId, bankCode: 'PMNT/IDDT/BBDD', entryRef: 'TX-D', counterpartyName: 'Dekker Bouw B.V.' }),
      ], '2026-12-08'),
      asOf: '2026-12-08',
    });
    expect(r.collections).toEqual({ settled: 4, returned: 0, retried: 0, mandatesEnded: 0, unknown: 0 });
    expect(r.matching).toMatchObject({ lines: 2, booked: 2, suggested: 0, unmatched: 0 });
    for (const it of [fa, fb, fc, fd]) expect((await getItem(db, admin.id, it.id))!.openCents).toBe(0);
    const reasons = await pausedReasons(db, admin.id, [a.id, d.id], '2026-12-09');
    expect([...reasons.values()].flat().map((x) => x.code)).not.toContain('in_collection');
    const ev = await listEvents(db, admin.id, a.id);
    expect(ev.map((e) => e.kind)).toContain('collection_settled');
  });

  it('AM04 reopens exactly its item and collects it once more on the next possible date (XSD-valid retry batch)', async () => {
    const r = await importStatement(db, admin, {
      ...statement([entry({ cents: -10000, bookingDate: '2026-12-10', endToEndId: e2e(fa), returnReason: 'AM04', bankCode: 'PMNT/IDDT/UPDD', entryRef: 'R-A', counterpartyName: 'Anna Jansen' })], '2026-12-10'),
      asOf: '2026-12-10',
    });
    expect(r.collections).toMatchObject({ returned: 1, retried: 1, unknown: 0 });
    expect((await getItem(db, admin.id, fa.id))!.openCents).toBe(10000);
    for (const it of [fb, fc, fd]) expect((await getItem(db, admin.id, it.id))!.openCents).toBe(0);
    const all = await batches(db, admin);
    expect(all).toHaveLength(2);
    const retry = all[0]!;
    expect(retry).toMatchObject({ collectionDate: '2026-12-11', txCount: 1, totalCents: 10000 });
    const f = await batchFile(db, admin, retry.id);
    expect(validateXsd(f.xml, 'pain.008.001.08').output).toBe('');
    expect(f.xml).toContain(`<EndToEndId>F-1-B2</EndToEndId>`);
    // still in a (new) pending collection: not dunned meanwhile
    expect((await pausedReasons(db, admin.id, [a.id], '2026-12-10')).get(a.id)!.map((x) => x.code)).toContain('in_collection');
    const ev = (await listEvents(db, admin.id, a.id)).find((e) => e.kind === 'collection_returned')!;
    expect(ev.summary).toContain('AM04 onvoldoende saldo');
    expect(await listTasks(db, admin.id, { debtorId: a.id, kind: 'collection_returned' })).toEqual([]);
  });

  it('a second AM04 on the retry is not retried: a task, and dunning resumes', async () => {
    const r = await importStatement(db, admin, {
      ...statement([entry({ cents: -10000, bookingDate: '2026-12-14', endToEndId: 'F-1-B2', returnReason: 'AM04', entryRef: 'R-A2' })], '2026-12-14'),
      asOf: '2026-12-14',
    });
    expect(r.collections).toMatchObject({ returned: 1, retried: 0 });
    expect((await batches(db, admin))).toHaveLength(2);
    expect((await getItem(db, admin.id, fa.id))!.openCents).toBe(10000); // nothing was credited for the retry, so nothing to undo
    expect((await pausedReasons(db, admin.id, [a.id], '2026-12-14')).get(a.id) ?? []).not.toContainEqual(expect.objectContaining({ code: 'in_collection' }));
    expect((await listTasks(db, admin.id, { debtorId: a.id, kind: 'collection_returned' })).map((t) => t.title)).toEqual([expect.stringContaining('F-1')]);
  });

  it('AC04 (account closed) ends the mandate and makes a task; MD06 (refund) a task, with the charges on the debtor by policy; an unknown EndToEndId books nothing', async () => {
    const r = await importStatement(db, admin, {
      ...statement([
        entry({ cents: -20000, bookingDate: '2026-12-15', endToEndId: e2e(fb), returnReason: 'AC04', returnInfo: 'Rekening opgeheven', entryRef: 'R-B' }),
        entry({ cents: -30250, bookingDate: '2026-12-15', endToEndId: e2e(fc), returnReason: 'MD06', chargesCents: 250, reversal: false, entryRef: 'R-C' }),
        entry({ cents: -5000, bookingDate: '2026-12-15', endToEndId: 'ONBEKEND-B9', returnReason: 'MD01', bankCode: 'PMNT/IDDT/UPDD', entryRef: 'R-X' }),
      ], '2026-12-15'),
      asOf: '2026-12-15',
    });
    expect(r.collections).toEqual({ settled: 0, returned: 2, retried: 0, mandatesEnded: 1, unknown: 1 });
    const w = r.warnings.find((x) => x.code === 'sepa_unknown_end_to_end_id')!;
    expect(w.message).toContain('EndToEndId');
    expect(w.message).toContain('ONBEKEND-B9');
    expect(r.matching).toMatchObject({ lines: 3, booked: 2, unmatched: 1 });
    expect((await getItem(db, admin.id, fb.id))!.openCents).toBe(20000);
    expect((await getItem(db, admin.id, fc.id))!.openCents).toBe(30000);
    expect((await getItem(db, admin.id, fd.id))!.openCents).toBe(0); // exactly the items concerned
    const mb = (await listMandates(db, admin, '2026-12-15')).find((m) => m.mandateId === 'M-B')!;
    expect(mb.status).toBe('revoked');
    const mc = (await listMandates(db, admin, '2026-12-15')).find((m) => m.mandateId === 'M-C')!;
    expect(mc.status).toBe('active');
    expect((await listTasks(db, admin.id, { debtorId: b.id, kind: 'collection_returned' })).map((t) => t.title)).toEqual([expect.stringContaining('machtiging beëindigd')]);
    expect(await listTasks(db, admin.id, { debtorId: c.id, kind: 'collection_returned' })).toHaveLength(1);
    const cost = await getItemByNumber(db, admin.id, `STORNO-${e2e(fc)}`);
    expect(cost).toMatchObject({ debtorId: c.id, amountCents: 250, openCents: 250 });
    expect((await listEvents(db, admin.id, b.id)).find((e) => e.kind === 'collection_returned')!.summary).toContain('Rekening opgeheven');
    expect((await pausedReasons(db, admin.id, [b.id, c.id], '2026-12-15')).get(b.id) ?? []).not.toContainEqual(expect.objectContaining({ code: 'in_collection' }));
  });

  it('the same return twice is refused as a duplicate line (the statement entry counts once), and a return of a returned item books nothing', async () => {
    const again = await importStatement(db, admin, {
      ...statement([entry({ cents: -20000, bookingDate: '2026-12-16', endToEndId: e2e(fb), returnReason: 'AC04', entryRef: 'R-B-2' })], '2026-12-16'),
      asOf: '2026-12-16',
    });
    expect(again.collections.returned).toBe(0);
    expect(again.warnings.map((x) => x.code)).toContain('sepa_returned_twice');
    expect((await getItem(db, admin.id, fb.id))!.openCents).toBe(20000);
  });

  it('the overview: batches with their outcome, returns by reason; the debtor page history', async () => {
    const o = await directDebitOverview(db, admin);
    expect(o.batches.map((x) => [x.messageId, x.settled, x.returned, x.pending, x.retry])).toEqual([[`VRD-${admin.id}-DD-2`, 0, 1, 0, true], [`VRD-${admin.id}-DD-1`, 1, 3, 0, false]]);
    expect(o.returnsByReason.map((r) => [r.reason, r.count])).toEqual([['AM04', 2], ['AC04', 1], ['MD06', 1]]);
    expect(o.returns.find((r) => r.reason === 'AC04')).toMatchObject({ debtorNumber: 'B1', action: 'mandate_ended', kind: 'return' });
    expect((await collectionHistory(db, admin, a.id)).map((h) => [h.itemNumber, h.status, h.reason])).toEqual([['F-1', 'returned', 'AM04'], ['F-1', 'returned', 'AM04']]);
  });
});

describe.each(ENGINES)('SEPA return charges without the policy on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => { db = await testDb(engine); });
  afterAll(async () => db.drop());

  it('keeps the charges with the creditor, and settles the block net of an item rejected in the same file', async () => {
    const admin = await anAdministration(db, { creditorId: 'NL06ZZZ503992920000', iban: OWN_IBAN });
    const x = await aDebtor(db, admin, { number: 'X1', type: 'consumer' });
    const y = await aDebtor(db, admin, { number: 'Y1', type: 'consumer' });
    const fx = await anInvoice(db, admin, x, { number: 'G-1', amount: '10.00', dueDate: '2026-12-01' });
    const fy = await anInvoice(db, admin, y, { number: 'G-2', amount: '20.00', dueDate: '2026-12-01' });
    await createMandate(db, admin, { debtorId: x.id, mandateId: 'MX', signatureDate: '2026-01-15', iban: 'NL44RABO0123456789', scheme: 'CORE' }, TODAY);
    await createMandate(db, admin, { debtorId: y.id, mandateId: 'MY', signatureDate: '2026-01-15', iban: 'NL20INGB0001234567', scheme: 'CORE' }, TODAY);
    const bt = await collect(db, admin, { date: '2026-12-08', asOf: TODAY, createdAt: CREATED });
    const pi = bt.paymentInfos[0]!.paymentInfoId;
    const r = await importStatement(db, admin, {
      ...statement([
        entry({ cents: 1000, bookingDate: '2026-12-08', paymentInfoId: pi, entryRef: 'NET' }),
        entry({ cents: -2000, bookingDate: '2026-12-08', endToEndId: 'G-2-B1', returnReason: 'MS02', chargesCents: 300, entryRef: 'REJ' }),
      ], '2026-12-08'),
      asOf: '2026-12-08',
    });
    expect(r.collections).toMatchObject({ settled: 1, returned: 1 });
    expect((await getItem(db, admin.id, fx.id))!.openCents).toBe(0);
    expect((await getItem(db, admin.id, fy.id))!.openCents).toBe(2000);
    expect(await getItemByNumber(db, admin.id, 'STORNO-G-2-B1')).toBeNull();
    expect((await listEvents(db, admin.id, y.id)).map((e) => e.summary).join('\n')).toContain('eigen rekening');
  });
});

describe('what each return reason does', () => {
  const base = { reversal: false, collectionDate: '2026-01-10', bookingDate: '2026-01-12', isRetry: false, settled: true };
  it.each([
    ['AM04', 'retry', 'return'], ['MD01', 'mandate_ended', 'return'], ['AC04', 'mandate_ended', 'return'], ['AC06', 'mandate_ended', 'return'], ['MD07', 'mandate_ended', 'return'],
    ['MD06', 'task', 'refund'], ['MS02', 'task', 'return'], ['AM05', 'task', 'return'],
  ])('%s → %s (%s)', (code, action, kind) => {
    expect(decideReturn({ ...base, code })).toMatchObject({ action, kind });
  });
  it('AM04 on a retry is not retried again; MD01 after 8 weeks is an unauthorised refund; a reversal is a reversal; before settlement a reject', () => {
    expect(decideReturn({ ...base, code: 'AM04', isRetry: true }).action).toBe('task');
    expect(decideReturn({ ...base, code: 'MD01', bookingDate: '2026-06-01' }).kind).toBe('unauthorised');
    expect(decideReturn({ ...base, code: null, reversal: true })).toMatchObject({ kind: 'reversal', code: 'MS03' });
    expect(decideReturn({ ...base, code: 'MS02', settled: false }).kind).toBe('reject');
  });
});
