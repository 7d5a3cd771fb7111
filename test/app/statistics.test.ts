/**
 * PGlite has no autovacuum: after a bulk import the planner must not keep the statistics of an
 * empty table (the matcher then scanned every open item once per debtor). Imports of many rows
 * refresh them, also when they run as the tenant role (which may not analyse tables itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../support/db.ts';
import { anAdministration, utf8 } from '../support/builders.ts';
import { importDebtorsCsv, importInvoicesCsv } from '../../src/app/imports.ts';
import { withAdministration } from '../../src/store/tenant.ts';
import { ANALYZE_AFTER_ROWS } from '../../src/store/statistics.ts';
import type { Administration } from '../../src/store/administrations.ts';

describe('planner statistics after bulk imports (pglite)', () => {
  let db: TestDb;
  let admin: Administration;
  beforeAll(async () => {
    db = await testDb('pglite');
    admin = await anAdministration(db);
  });
  afterAll(async () => db?.drop());

  const estimate = async (table: string) => {
    const [r] = await db.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = $1`, [table]);
    return r!.n;
  };

  it('an import of many rows leaves statistics that know them, inside the tenant wall too', async () => {
    const n = ANALYZE_AFTER_ROWS + 500;
    let debtors = 'number,name,type,email,iban,language\n';
    for (let i = 0; i < 300; i++) debtors += `D${i},Klant ${i} B.V.,business,,,nl\n`;
    await importDebtorsCsv(db, admin, { filename: 'd.csv', content: utf8(debtors) });
    let invoices = 'debtor_number,number,issue_date,due_date,amount,currency,payment_reference\n';
    for (let i = 0; i < n; i++) invoices += `D${i % 300},F-${i},2026-10-01,2026-10-31,${100 + (i % 50)}.00,EUR,\n`;
    // as a request does: confined to the administration, as the role without table ownership
    const r = await withAdministration(db, admin.id, (scoped) => importInvoicesCsv(scoped, admin, { filename: 'i.csv', content: utf8(invoices) }));
    expect(r.created).toBe(n);
    expect(await estimate('items')).toBeGreaterThanOrEqual(n);
    // and the role is the tenant's again afterwards: the transaction went on confined
    const [role] = await withAdministration(db, admin.id, (scoped) => scoped.query<{ r: string }>('SELECT current_user AS r'));
    expect(role!.r).toBe('vorder_app');
  });

  it('a small import leaves them alone', async () => {
    const before = await estimate('debtors');
    await importDebtorsCsv(db, admin, { filename: 'd2.csv', content: utf8('number,name,type,email,iban,language\nX1,Nieuw B.V.,business,,,nl\n') });
    expect(await estimate('debtors')).toBe(before);
  });
});
