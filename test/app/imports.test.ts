import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { SAMPLES } from '../support/samples.ts';
import { anAdministration, utf8 } from '../support/builders.ts';
import { importDebtorsCsv, importInvoicesCsv, importUbl } from '../../src/app/imports.ts';
import { writeOff } from '../../src/app/ledger.ts';
import { AppError } from '../../src/app/errors.ts';
import { getItemByNumber } from '../../src/store/items.ts';
import { getDebtorByNumber } from '../../src/store/debtors.ts';
import { isValidBetalingskenmerk, isValidRf } from '../../src/domain/references.ts';
import type { Administration } from '../../src/store/administrations.ts';

const DEBTORS = 'number,name,type,email,iban,language\nD1,Bakkerij Jansen B.V.,business,info@jansen.nl,NL91ABNA0417164300,nl\nD2,Emma de Vries,consumer,emma@example.nl,,en\n';
const INVOICES = 'debtor_number,number,issue_date,due_date,amount,currency,payment_reference\nD1,F2026-001,2026-10-01,2026-10-31,121.00,EUR,\nD1,F2026-002,2026-10-02,2026-11-01,50.00,EUR,1234567890123452\nD2,C2026-001,2026-10-03,2026-10-03,-10.00,EUR,\n';

async function counts(db: TestDb) {
  const [r] = await db.query<{ d: number; i: number; e: number; imp: number }>(
    'SELECT (SELECT count(*) FROM debtors)::int AS d, (SELECT count(*) FROM items)::int AS i, (SELECT count(*) FROM events)::int AS e, (SELECT count(*) FROM imports)::int AS imp',
  );
  return r!;
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the import to be rejected');
}

describe.each(ENGINES)('imports on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db);
  });
  afterAll(async () => db.drop());

  it('imports debtors and invoices, generating a valid betalingskenmerk where none is given', async () => {
    const d = await importDebtorsCsv(db, admin, { filename: 'debiteuren.csv', content: utf8(DEBTORS) });
    expect(d).toMatchObject({ alreadyImported: false, rows: 2, created: 2, updated: 0 });
    const i = await importInvoicesCsv(db, admin, { filename: 'facturen.csv', content: utf8(INVOICES) });
    expect(i).toMatchObject({ alreadyImported: false, rows: 3, created: 3, updated: 0 });
    const f1 = (await getItemByNumber(db, admin.id, 'F2026-001'))!;
    expect(f1).toMatchObject({ kind: 'invoice', amountCents: 12100, openCents: 12100, dueDate: '2026-10-31', debtorNumber: 'D1' });
    expect(f1.paymentReference).toMatch(/^\d{16}$/);
    expect(isValidBetalingskenmerk(f1.paymentReference!)).toBe(true);
    expect((await getItemByNumber(db, admin.id, 'F2026-002'))!.paymentReference).toBe('1234567890123452');
    expect(await getItemByNumber(db, admin.id, 'C2026-001')).toMatchObject({ kind: 'credit_note', amountCents: -1000, openCents: -1000 });
    const d1 = (await getDebtorByNumber(db, admin.id, 'D1'))!;
    expect(d1.ibans).toEqual(['NL91ABNA0417164300']);
    const events = await db.query<{ kind: string }>('SELECT kind FROM events WHERE debtor_id = $1 ORDER BY id', [d1.id]);
    expect(events.map((e) => e.kind)).toEqual(['debtor_created', 'items_imported']);
  });

  it('changes nothing when the same file comes again', async () => {
    const before = await counts(db);
    const again = await importInvoicesCsv(db, admin, { filename: 'facturen-kopie.csv', content: utf8(INVOICES) });
    expect(again).toMatchObject({ alreadyImported: true, created: 0, updated: 0 });
    expect(await counts(db)).toEqual(before);
  });

  it('records a changed item on the timeline, and leaves unchanged ones alone', async () => {
    const changed = INVOICES.replace('2026-10-31,121.00', '2026-11-15,130.00') + '\n';
    const r = await importInvoicesCsv(db, admin, { filename: 'facturen-v2.csv', content: utf8(changed) });
    expect(r).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const f1 = (await getItemByNumber(db, admin.id, 'F2026-001'))!;
    expect(f1).toMatchObject({ amountCents: 13000, openCents: 13000, dueDate: '2026-11-15' });
    const [ev] = await db.query<{ kind: string; data: { changes: Record<string, unknown> } }>(`SELECT kind, data FROM events WHERE item_id = $1 ORDER BY id DESC LIMIT 1`, [f1.id]);
    expect(ev).toMatchObject({ kind: 'item_updated', data: { changes: { amount: { from: '121.00', to: '130.00' }, dueDate: { from: '2026-10-31', to: '2026-11-15' } } } });
  });

  it('rejects a changed amount on an item that has payments, and changes nothing', async () => {
    const f2 = (await getItemByNumber(db, admin.id, 'F2026-002'))!;
    await writeOff(db, admin, f2.id, '2026-11-10', 'test');
    const before = await counts(db);
    const err = await rejection(importInvoicesCsv(db, admin, { filename: 'facturen-v3.csv', content: utf8(INVOICES.replace('1234567890123452', '1234567890123452').replace(',50.00,', ',55.00,')) }));
    expect(err.code).toBe('import_rejected');
    expect(err.problems).toEqual([expect.objectContaining({ line: 3, field: 'amount', code: 'conflict' })]);
    expect(await counts(db)).toEqual(before);
  });

  it('rejects a bad file whole, listing every problem by line and field', async () => {
    const before = await counts(db);
    const bad = 'debtor_number,number,issue_date,due_date,amount,currency,payment_reference\nD1,F9,2026-10-01,2026-10-31,1.00,EUR,\nD404,F10,2026-10-01,2026-10-31,1.00,EUR,\nD1,F11,2026-02-30,2026-10-31,x,EUR,\n';
    const err = await rejection(importInvoicesCsv(db, admin, { filename: 'fout.csv', content: utf8(bad) }));
    expect(err.problems.map((p) => `${p.line}:${p.field}`)).toEqual(['4:issue_date', '4:amount']);
    const err2 = await rejection(importInvoicesCsv(db, admin, { filename: 'fout2.csv', content: utf8(bad.replace('2026-02-30,2026-10-31,x', '2026-02-10,2026-10-31,2')) }));
    expect(err2.problems).toEqual([expect.objectContaining({ line: 3, field: 'debtor_number', code: 'unknown_debtor' })]);
    expect(err2.message).toContain('fout2.csv');
    expect(await counts(db)).toEqual(before);
  });

  it('updates debtors only in the columns the file has, and records what changed', async () => {
    const r = await importDebtorsCsv(db, admin, { filename: 'namen.csv', content: utf8('nummer;naam\nD1;Bakkerij Jansen & Zn B.V.\nD3;Nieuw B.V.\n') });
    expect(r).toMatchObject({ created: 1, updated: 1, unchanged: 0 });
    const d1 = (await getDebtorByNumber(db, admin.id, 'D1'))!;
    expect(d1).toMatchObject({ name: 'Bakkerij Jansen & Zn B.V.', emails: ['info@jansen.nl'], language: 'nl' });
    const [ev] = await db.query<{ data: { changes: Record<string, unknown> } }>(`SELECT data FROM events WHERE debtor_id = $1 AND kind = 'debtor_updated'`, [d1.id]);
    expect(Object.keys(ev!.data.changes)).toEqual(['name']);
  });

  it('imports a UBL invoice and credit note, creating the buyer as a debtor and keeping the XML', async () => {
    const file = join(SAMPLES, 'invoices/ubl/peppol-bis3/base-example.xml');
    const content = new Uint8Array(readFileSync(file));
    const r = await importUbl(db, admin, { filename: 'base-example.xml', content });
    expect(r).toMatchObject({ created: 1, debtorsCreated: 1 });
    const item = (await getItemByNumber(db, admin.id, 'Snippet1'))!;
    expect(item).toMatchObject({ kind: 'invoice', amountCents: 165625, source: 'ubl' });
    const [doc] = await db.query<{ content: Uint8Array; content_type: string }>('SELECT content, content_type FROM documents WHERE id = $1', [item.documentId]);
    expect(Buffer.from(doc!.content).equals(Buffer.from(content))).toBe(true);
    expect((await importUbl(db, admin, { filename: 'again.xml', content })).alreadyImported).toBe(true);
    const cn = await rejection(importUbl(db, admin, { filename: 'cn.xml', content: utf8('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"><ID>X</ID></CreditNote>') }));
    expect(cn.code).toBe('import_rejected');
    expect(cn.problems.length).toBeGreaterThan(0);
  });

  it('rejects a first import with an unknown debtor whole, naming the line', async () => {
    const fresh = await anAdministration(db);
    await importDebtorsCsv(db, fresh, { filename: 'd.csv', content: utf8(DEBTORS) });
    const err = await rejection(importInvoicesCsv(db, fresh, { filename: 'eerste.csv', content: utf8(INVOICES + 'D9,F2026-009,2026-10-01,2026-10-31,1.00,EUR,\n') }));
    expect(err.problems).toEqual([expect.objectContaining({ line: 5, field: 'debtor_number', code: 'unknown_debtor' })]);
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE administration_id = $1', [fresh.id]);
    expect(n!.n).toBe(0);
  });

  it('generates RF references when the administration prefers them', async () => {
    const rf = await anAdministration(db, { referenceKind: 'rf' });
    await importDebtorsCsv(db, rf, { filename: 'd.csv', content: utf8(DEBTORS) });
    await importInvoicesCsv(db, rf, { filename: 'i.csv', content: utf8(INVOICES) });
    const item = (await getItemByNumber(db, rf.id, 'F2026-001'))!;
    expect(isValidRf(item.paymentReference!)).toBe(true);
  });
});
