/**
 * Refunds on both engines: credit balances become proposals, a second person approves (the
 * proposer cannot; the CLI operator is trusted), approved refunds are written as XSD-valid
 * pain.001.001.09 / .03 and recorded, and the outgoing payment on a CAMT.053 statement the test
 * writes is booked against the credit balance. Bad input names the field and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice, utf8 } from '../support/builders.ts';
import { validateXsd } from '../support/xsd.ts';
import type { Administration } from '../../src/store/administrations.ts';
import type { Debtor } from '../../src/store/debtors.ts';
import type { Item } from '../../src/store/items.ts';
import type { BankEntry } from '../../src/domain/bank-statement.ts';
import { approveRefund, exportRefunds, proposeRefunds, refundCandidates, refundExportFile, refunds } from '../../src/app/refunds.ts';
import { importStatement } from '../../src/app/bank.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { getItem } from '../../src/store/items.ts';
import { listEvents } from '../../src/store/events.ts';
import { AppError } from '../../src/app/errors.ts';

const OWN_IBAN = 'NL91ABNA0417164300';
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

function debit(cents: number, endToEndId: string, date: string): BankEntry {
  return {
    entryRef: `OUT-${endToEndId}`, txIndex: 0, txCount: 1, bookingDate: date, valueDate: date, cents, currency: 'EUR', reversal: false, counterpartyName: 'Piet Pieters', counterpartyIban: 'NL44RABO0123456789',
    counterpartyBic: null, structuredRef: null, endToEndId, mandateId: null, remittance: 'Terugbetaling tegoed', bankCode: 'PMNT/ICDT/ESCT', returnReason: null, info: null,
  };
}

describe.each(ENGINES)('refunds on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let p: Debtor, q: Debtor, none: Debtor;
  let pInv: Item, pCredit: Item;

  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { legalName: 'Terugbetaal Demo B.V.', iban: OWN_IBAN, bic: 'ABNANL2A' });
    p = await aDebtor(db, admin, { number: 'P1', name: 'Piet Pieters', ibans: ['NL44RABO0123456789'] } as never);
    q = await aDebtor(db, admin, { number: 'Q1', name: 'Quinta B.V.' });
    none = await aDebtor(db, admin, { number: 'N1' });
    pInv = await anInvoice(db, admin, p, { number: 'F-10', amount: '100.00' });
    pCredit = await anInvoice(db, admin, p, { number: 'C-10', amount: '-180.00' });
    await anInvoice(db, admin, q, { number: 'C-20', amount: '-30.00' });
    await anInvoice(db, admin, none, { number: 'F-30', amount: '10.00' });
  });
  afterAll(async () => db.drop());

  it('lists the credit balances (net of what is open) and refuses bad proposals, naming the field', async () => {
    expect((await refundCandidates(db, admin)).map((c) => [c.debtorNumber, c.creditCents])).toEqual([['P1', 8000], ['Q1', 3000]]);
    expect((await failure(proposeRefunds(db, admin, { debtorId: none.id, actor: 'anna' }))).problems).toEqual([expect.objectContaining({ field: 'debtorId', code: 'no_credit_balance' })]);
    expect((await failure(proposeRefunds(db, admin, { debtorId: q.id, iban: 'NL00BANK0000000000', actor: 'anna' }))).problems).toEqual([expect.objectContaining({ field: 'iban', code: 'invalid_iban' })]);
    expect((await failure(proposeRefunds(db, admin, { debtorId: q.id, actor: 'anna' }))).problems).toEqual([expect.objectContaining({ field: 'iban', code: 'required' })]);
    expect(await refunds(db, admin)).toEqual([]);
  });

  it('proposes for every credit balance with a known account; the proposer cannot approve, a second person can', async () => {
    const r = await proposeRefunds(db, admin, { actor: 'anna' });
    expect(r.proposed.map((x) => [x.debtorNumber, x.amountCents, x.iban, x.status])).toEqual([['P1', 8000, 'NL44RABO0123456789', 'proposed']]);
    expect(r.skipped).toEqual([expect.objectContaining({ debtorNumber: 'Q1', reason: 'no_iban' })]);
    const id = r.proposed[0]!.id;
    const e = await failure(approveRefund(db, admin, id, { actor: 'anna', trusted: false }));
    expect(e.code).toBe('forbidden');
    expect(e.problems).toEqual([expect.objectContaining({ code: 'four_eyes' })]);
    expect((await refunds(db, admin))[0]!.status).toBe('proposed');
    expect(await approveRefund(db, admin, id, { actor: 'bert', trusted: false })).toMatchObject({ status: 'approved', approvedBy: 'bert' });
    expect((await failure(approveRefund(db, admin, id, { actor: 'carla', trusted: false }))).code).toBe('conflict');
    // one refund in progress per debtor
    expect((await failure(proposeRefunds(db, admin, { debtorId: p.id, actor: 'anna' }))).problems).toEqual([expect.objectContaining({ field: 'debtorId', code: 'refund_in_progress' })]);
  });

  it('exports the approved refunds as XSD-valid pain.001.001.09; nothing left to export afterwards', async () => {
    expect((await failure(exportRefunds(db, admin, { format: 'pain.001.001.99' as never, asOf: '2026-12-05', createdAt: CREATED, actor: 'bert' }))).problems).toEqual([expect.objectContaining({ field: 'format' })]);
    const x = await exportRefunds(db, admin, { asOf: '2026-12-05', createdAt: CREATED, actor: 'bert' });
    expect(x).toMatchObject({ format: 'pain.001.001.09', count: 1, totalCents: 8000, controlSum: '80.00', executionDate: '2026-12-07' });
    expect(validateXsd(x.xml, 'pain.001.001.09').output).toBe('');
    expect(x.xml).toContain('<EndToEndId>VRD-TB-');
    expect(x.xml).toContain('NL44RABO0123456789');
    expect((await refundExportFile(db, admin, x.exportId)).xml).toBe(x.xml);
    expect((await refunds(db, admin))[0]!.status).toBe('exported');
    expect((await failure(exportRefunds(db, admin, { asOf: '2026-12-05', createdAt: CREATED, actor: 'bert' }))).problems).toEqual([expect.objectContaining({ code: 'nothing_to_export' })]);
  });

  it('pain.001.001.03 on request for a refund to an account the operator names (trusted: approves their own)', async () => {
    const r = await proposeRefunds(db, admin, { debtorId: q.id, iban: 'NL20 INGB 0001 2345 67', bic: 'INGBNL2A', actor: 'cli' });
    await approveRefund(db, admin, r.proposed[0]!.id, { actor: 'cli', trusted: true });
    const x = await exportRefunds(db, admin, { format: 'pain.001.001.03', asOf: '2026-12-05', createdAt: CREATED, actor: 'cli' });
    expect(validateXsd(x.xml, 'pain.001.001.03').output).toBe('');
    expect(x.xml).toContain('<IBAN>NL20INGB0001234567</IBAN>');
  });

  it('books the outgoing payment on a later statement against the credit balance', async () => {
    const [paid] = (await refunds(db, admin)).filter((r) => r.debtorNumber === 'P1');
    const xml = writeCamt053({
      statementId: 'OUT-1', accountIban: OWN_IBAN, currency: 'EUR', openingBalance: { date: '2026-12-07', cents: 100000, currency: 'EUR' }, closingBalance: { date: '2026-12-07', cents: 92000, currency: 'EUR' },
      entries: [debit(-8000, paid!.endToEndId, '2026-12-07')],
    });
    expect(validateXsd(xml, 'camt.053.001.02').output).toBe('');
    const r = await importStatement(db, admin, { filename: 'uit.xml', content: utf8(xml), asOf: '2026-12-07' });
    expect(r.matching).toMatchObject({ lines: 1, booked: 1 });
    expect((await getItem(db, admin.id, pInv.id))!.openCents).toBe(0);
    expect((await getItem(db, admin.id, pCredit.id))!.openCents).toBe(0);
    expect((await refunds(db, admin)).find((x) => x.id === paid!.id)).toMatchObject({ status: 'paid', paidOn: '2026-12-07' });
    expect((await listEvents(db, admin.id, p.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(['refund_proposed', 'refund_approved', 'refund_exported', 'refund_paid']));
    expect(await refundCandidates(db, admin)).toEqual([]);
  });
});
