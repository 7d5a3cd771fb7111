/**
 * Search in the debtor and item lists, on both engines: case- and accent-insensitive, by name,
 * number, e-mail, phone, bank account and part of an invoice number; wildcards typed by a user
 * are taken literally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { listDebtors, listItems } from '../../src/app/ledger.ts';

const AS_OF = '2026-11-23';

describe.each(ENGINES)('list search on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let other: Administration;
  let reference: string;
  const found = async (search: string, a = admin) => (await listDebtors(db, a.id, { asOf: AS_OF, limit: 100, offset: 0, search })).rows.map((r) => r.number).sort();

  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db);
    other = await anAdministration(db);
    const zolc = await aDebtor(db, admin, { number: 'D001', name: 'Łukasz Żółć', emails: ['lukasz@zolc.pl'], phone: '+48 601-234-567' } as never);
    const celik = await aDebtor(db, admin, { number: 'D002', name: 'Çelik Bouw B.V.', emails: ['Administratie@CelikBouw.nl'], ibans: ['NL91ABNA0417164300'] } as never);
    await aDebtor(db, admin, { number: 'D003', name: 'Bakkerij 100% Jansen', phone: '06 1234 5678' } as never);
    await aDebtor(db, admin, { number: 'D004', name: 'Smit_Transport' } as never);
    await anInvoice(db, admin, zolc, { number: 'F2026-004478' });
    reference = (await anInvoice(db, admin, celik, { number: '2026/01175' })).paymentReference!;
    // the other administration has the same names and numbers: never found from this one
    const twin = await aDebtor(db, other, { number: 'D001', name: 'Łukasz Żółć' } as never);
    await anInvoice(db, other, twin, { number: 'F2026-004478' });
  });
  afterAll(async () => db?.drop());

  it('ignores accents and case in names, numbers and e-mail addresses', async () => {
    expect(await found('zolc')).toEqual(['D001']);
    expect(await found('ŻÓŁĆ')).toEqual(['D001']);
    expect(await found('lukasz zolc')).toEqual(['D001']);
    expect(await found('celik')).toEqual(['D002']);
    expect(await found('CELIKBOUW.NL')).toEqual(['D002']);
    expect(await found('d00')).toEqual(['D001', 'D002', 'D003', 'D004']);
    expect(await found('jansen bakkerij')).toEqual(['D003']);
    expect(await found('jansen celik')).toEqual([]);
  });

  it('finds a debtor by part of an invoice number, a bank account in groups, or a phone number', async () => {
    expect(await found('4478')).toEqual(['D001']);
    expect(await found('f2026-0044')).toEqual(['D001']);
    expect(await found('01175')).toEqual(['D002']);
    expect(await found('NL91 ABNA 0417 1643 00')).toEqual(['D002']);
    expect(await found('0417164300')).toEqual(['D002']);
    expect(await found('0612345678')).toEqual(['D003']);
    expect(await found('06 1234 5678')).toEqual(['D003']);
    expect(await found('601234567')).toEqual(['D001']);
  });

  it('takes % and _ literally and stays inside the administration', async () => {
    expect(await found('100%')).toEqual(['D003']);
    expect(await found('%')).toEqual(['D003']);
    expect(await found('smit_')).toEqual(['D004']);
    expect(await found('t_r')).toEqual([]);
    expect(await found('zolc', other)).toEqual(['D001']);
    const all = await listDebtors(db, other.id, { asOf: AS_OF, limit: 100, offset: 0, search: '4478' });
    expect(all.total).toBe(1);
  });

  it('finds items by part of their number or payment reference', async () => {
    const items = async (search: string) => (await listItems(db, admin.id, { asOf: AS_OF, limit: 100, offset: 0, search, status: 'all' } as never)).rows.map((r) => r.number).sort();
    expect(await items('4478')).toEqual(['F2026-004478']);
    expect(await items('f2026')).toEqual(['F2026-004478']);
    expect(await items('2026')).toEqual(['2026/01175', 'F2026-004478']);
    // the generated betalingskenmerk, in part and in groups of four as printed on a letter
    expect(await items(reference.slice(4, 12))).toContain('2026/01175');
    expect(await items(reference.replace(/(.{4})/g, '$1 ').trim())).toEqual(['2026/01175']);
  });
});
