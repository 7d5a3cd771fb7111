/**
 * One definition of overdue everywhere, on both engines: the positive open amounts past their due
 * date. Credit notes and credit balances lower the balance but are never overdue. The dashboard's
 * card, the aging chart's overdue buckets, the aging per debtor, and the debtor list's overdue
 * column (which the work list uses) give the same figures, with credit notes, partial payments and
 * paid items in the data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { insertBooking } from '../../src/store/bookings.ts';
import { agingByDebtor, agingTotals } from '../../src/store/aging.ts';
import { dashboardSummary } from '../../src/store/dashboard.ts';
import { listDebtors } from '../../src/store/debtors.ts';
import { createItem } from '../../src/app/ledger.ts';

const ASOF = '2026-11-22';

describe.each(ENGINES)('figures agree on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => { db = await testDb(engine); });
  afterAll(async () => db.drop());

  it('dashboard overdue = the aging overdue buckets = the sum over debtors; balance = buckets + credits', async () => {
    const a = await anAdministration(db);
    const d1 = await aDebtor(db, a);
    const d2 = await aDebtor(db, a);
    const d3 = await aDebtor(db, a);
    await anInvoice(db, a, d1, { amount: '1000.00', issueDate: '2026-08-01', dueDate: '2026-09-01' });
    await anInvoice(db, a, d1, { amount: '250.00', dueDate: '2026-12-31' });
    await createItem(db, a, { debtorId: d1.id, number: 'CN-1', issueDate: '2026-10-01', dueDate: '2026-10-01', amountCents: -30000 }); // an overdue credit note
    const part = await anInvoice(db, a, d2, { amount: '500.00', dueDate: '2026-11-10' });
    await insertBooking(db, a.id, { kind: 'bank', date: '2026-11-15', allocations: [{ itemId: part.id, cents: 12345 }] });
    const paid = await anInvoice(db, a, d2, { amount: '80.00', issueDate: '2026-09-10', dueDate: '2026-10-10' });
    await insertBooking(db, a.id, { kind: 'bank', date: '2026-10-12', allocations: [{ itemId: paid.id, cents: 8000 }] });
    await createItem(db, a, { debtorId: d3.id, number: 'CN-2', issueDate: '2026-10-01', dueDate: '2026-10-01', amountCents: -5000 }); // only a credit

    const dash = await dashboardSummary(db, a.id, ASOF);
    const aging = await agingTotals(db, a.id, ASOF);
    const overdueBuckets = aging.d1_30 + aging.d31_60 + aging.d61_90 + aging.over_90;
    expect(Number(dash.overdueCents)).toBe(100000 + 50000 - 12345);
    expect(Number(overdueBuckets)).toBe(Number(dash.overdueCents));
    expect(Number(aging.credits)).toBe(-35000);
    expect(Number(aging.total)).toBe(Number(aging.not_due) + Number(overdueBuckets) + Number(aging.credits));
    expect(Number(aging.total)).toBe(Number(dash.openCents));

    const list = await listDebtors(db, a.id, { asOf: ASOF, limit: 100, offset: 0 });
    const perDebtor = await agingByDebtor(db, a.id, ASOF);
    expect(list.rows.reduce((s, r) => s + Number(r.overdueCents), 0)).toBe(Number(dash.overdueCents));
    for (const r of list.rows) {
      const ag = perDebtor.find((p) => p.debtorId === r.id);
      const od = ag ? Number(ag.d1_30) + Number(ag.d31_60) + Number(ag.d61_90) + Number(ag.over_90) : 0;
      expect([r.number, od]).toEqual([r.number, Number(r.overdueCents)]);
      expect([r.number, ag ? Number(ag.total) : 0]).toEqual([r.number, Number(r.balanceCents)]);
    }
    // most overdue first, by the same figure
    expect(perDebtor[0]!.debtorId).toBe(d1.id);
  });
});
