import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice, utf8 } from '../support/builders.ts';
import { expectTotalsMatchItems } from '../support/totals.ts';
import { importDebtorsCsv, importInvoicesCsv } from '../../src/app/imports.ts';
import { changeItem, writeOff, undoBooking, listDebtors, listItems } from '../../src/app/ledger.ts';
import { agingByDebtor } from '../../src/store/aging.ts';
import { dashboardSummary } from '../../src/store/dashboard.ts';
import { createPrng } from '../../src/domain/prng.ts';

const AS_OF = '2026-11-22';

describe.each(ENGINES)('derived totals on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => { db = await testDb(engine); });
  afterAll(async () => db.drop());

  it('follow imports, re-imports that change amounts and due dates, write-offs and their undo', async () => {
    const admin = await anAdministration(db);
    await importDebtorsCsv(db, admin, { filename: 'd.csv', content: utf8('number,name\nD1,Een B.V.\nD2,Twee B.V.\nD3,Drie B.V.\n') });
    await expectTotalsMatchItems(db, admin.id);
    const head = 'debtor_number,number,issue_date,due_date,amount,currency,payment_reference\n';
    await importInvoicesCsv(db, admin, { filename: 'a.csv', content: utf8(`${head}D1,F1,2026-09-01,2026-10-01,100.00,EUR,\nD1,F2,2026-09-02,2026-12-01,200.00,EUR,\nD2,F3,2026-09-03,2026-10-15,300.00,EUR,\nD2,C1,2026-09-04,2026-09-04,-40.00,EUR,\n`) });
    await expectTotalsMatchItems(db, admin.id);
    // a second file: one new item, F1's due date and F3's amount change
    await importInvoicesCsv(db, admin, { filename: 'b.csv', content: utf8(`${head}D1,F1,2026-09-01,2026-10-20,100.00,EUR,\nD2,F3,2026-09-05,2026-10-15,350.00,EUR,\nD3,F4,2026-11-01,2026-11-15,10.00,EUR,\n`) });
    await expectTotalsMatchItems(db, admin.id);
    const f1 = (await listItems(db, admin.id, { search: 'F1', asOf: AS_OF, limit: 5, offset: 0, status: 'all' })).rows[0]!;
    const w = await writeOff(db, admin, f1.id, '2026-11-20', 'oninbaar');
    await expectTotalsMatchItems(db, admin.id);
    await changeItem(db, admin, (await listItems(db, admin.id, { search: 'F2', asOf: AS_OF, limit: 5, offset: 0 })).rows[0]!.id, { dueDate: '2026-11-01' });
    await expectTotalsMatchItems(db, admin.id);
    await undoBooking(db, admin, w.bookingId, '2026-11-21');
    await expectTotalsMatchItems(db, admin.id);
    const dash = await dashboardSummary(db, admin.id, AS_OF);
    expect(dash).toMatchObject({ openCents: 10000 + 20000 + 35000 - 4000 + 1000, overdueCents: 10000 + 20000 + 35000 + 1000, openItems: 5, overdueItems: 4, debtorsOpen: 3, debtorsOverdue: 3 });
    const overdue = await listItems(db, admin.id, { status: 'overdue', asOf: AS_OF, limit: 2, offset: 0 });
    expect(overdue.total).toBe(4);
    expect(overdue.rows.map((r) => r.number)).toEqual(['F3', 'F1']);
  });

  it('rank debtors by overdue amount exactly as the plain computation does, on every page', async () => {
    const admin = await anAdministration(db);
    const prng = createPrng(42);
    const rnd = () => prng.next();
    for (let d = 0; d < 60; d++) {
      const debtor = await aDebtor(db, admin);
      const n = Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) {
        const cents = Math.floor(rnd() * 5) * 2500 - (rnd() < 0.15 ? 20000 : 0); // ties and some credit notes
        const due = `2026-${rnd() < 0.7 ? '10' : '12'}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
        await anInvoice(db, admin, debtor, { amount: (cents / 100).toFixed(2), issueDate: '2026-09-01', dueDate: due });
      }
    }
    await expectTotalsMatchItems(db, admin.id);
    const plain = await db.query<{ id: number; overdue: number }>(
      `SELECT d.id, coalesce(sum(i.open_cents) FILTER (WHERE i.due_date < $2::date AND i.open_cents > 0), 0)::bigint AS overdue
         FROM debtors d LEFT JOIN items i ON i.debtor_id = d.id WHERE d.administration_id = $1 GROUP BY d.id ORDER BY 2 DESC, d.id`, [admin.id, AS_OF]);
    for (const [offset, limit] of [[0, 5], [0, 60], [7, 9], [30, 40]] as const) {
      const page = await listDebtors(db, admin.id, { sort: 'overdue', asOf: AS_OF, limit, offset });
      expect(page.rows.map((r) => [r.id, r.overdueCents])).toEqual(plain.slice(offset, offset + limit).map((p) => [p.id, Number(p.overdue)]));
    }
    const onlyOverdue = await listDebtors(db, admin.id, { sort: 'overdue', overdueOnly: true, asOf: AS_OF, limit: 100, offset: 0 });
    expect(onlyOverdue.rows.map((r) => r.id)).toEqual(plain.filter((p) => Number(p.overdue) > 0).map((p) => p.id));
    expect(onlyOverdue.total).toBe(plain.filter((p) => Number(p.overdue) > 0).length);
    const byBalance = await listDebtors(db, admin.id, { sort: 'balance', asOf: AS_OF, limit: 10, offset: 0 });
    const balances = byBalance.rows.map((r) => r.balanceCents);
    expect(balances).toEqual([...balances].sort((a, b) => b - a));

    const aging = await db.query<{ debtor_id: number; overdue: number; total: number; number: string }>(
      `SELECT i.debtor_id, sum(i.open_cents) FILTER (WHERE i.due_date < $2::date)::bigint AS overdue, sum(i.open_cents)::bigint AS total, d.number
         FROM items i JOIN debtors d ON d.id = i.debtor_id WHERE i.administration_id = $1 AND i.open_cents <> 0 GROUP BY i.debtor_id, d.number`, [admin.id, AS_OF]);
    aging.sort((a, b) => Number(b.overdue ?? 0) - Number(a.overdue ?? 0) || Number(b.total) - Number(a.total) || (a.number < b.number ? -1 : 1));
    for (const [offset, limit] of [[0, 8], [3, 10]] as const) {
      const top = await agingByDebtor(db, admin.id, AS_OF, { limit, offset });
      expect(top.map((r) => r.debtorId)).toEqual(aging.slice(offset, offset + limit).map((a) => a.debtor_id));
    }
  });
});
