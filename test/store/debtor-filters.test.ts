/**
 * The debtor list's filters on balance and on why a debtor is paused, on both engines: each reason
 * (on hold, a status that pauses, a running payment plan, an open promise, an open dispute) finds
 * exactly the debtors the list itself marks with that reason; "any" and "none" split the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { listDebtors, setDebtorHold } from '../../src/app/ledger.ts';
import { changeStatus, createPlan, createPromise, openDispute } from '../../src/app/care.ts';
import { pausedReasons } from '../../src/store/care.ts';
import { PAUSED_FILTERS, type DebtorFilter } from '../../src/store/debtors.ts';

const AS_OF = '2026-11-23';

describe.each(ENGINES)('debtor list filters on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  const id: Record<string, number> = {};
  const numbers = async (f: Partial<DebtorFilter>) => (await listDebtors(db, admin.id, { asOf: AS_OF, limit: 100, offset: 0, ...f })).rows.map((r) => r.number).sort();

  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db);
    for (const [n, amount] of [['D1', '100.00'], ['D2', '250.00'], ['D3', '500.00'], ['D4', '1000.00'], ['D5', '2500.00'], ['D6', '40.00'], ['D7', '0']] as const) {
      const d = await aDebtor(db, admin, { number: n, name: `Klant ${n}` });
      id[n] = d.id;
      if (amount !== '0') id[`${n}-inv`] = (await anInvoice(db, admin, d, { number: `F-${n}`, amount, issueDate: '2026-10-01', dueDate: '2026-10-31' })).id;
    }
    await setDebtorHold(db, admin, id.D1!, true, 'klacht');
    await changeStatus(db, admin, id.D2!, 'legal', 'bij de advocaat');
    await createPlan(db, admin, { debtorId: id.D3!, schedule: [{ dueDate: '2026-12-15', amountCents: 25000 }, { dueDate: '2027-01-15', amountCents: 25000 }] }, AS_OF, 'anna');
    await createPromise(db, admin, { debtorId: id.D4!, amountCents: 100000, promisedDate: '2026-11-30', itemIds: [id['D4-inv']!], graceDays: 3 }, AS_OF, 'anna');
    await openDispute(db, admin, { debtorId: id.D5!, itemIds: [id['D5-inv']!], reason: 'quality', owner: 'anna' }, AS_OF, 'anna');
  });
  afterAll(async () => db?.drop());

  it('finds the debtors paused for each reason, any reason, or none', async () => {
    expect(await numbers({ paused: 'on_hold' })).toEqual(['D1']);
    expect(await numbers({ paused: 'status_paused' })).toEqual(['D2']);
    // a plan, a promise and a dispute also set the automatic status (which pauses in its own right)
    expect(await numbers({ paused: 'payment_plan' })).toEqual(['D3']);
    expect(await numbers({ paused: 'promise_to_pay' })).toEqual(['D4']);
    expect(await numbers({ paused: 'disputed' })).toEqual(['D5']);
    expect(await numbers({ paused: 'any' })).toEqual(['D1', 'D2', 'D3', 'D4', 'D5']);
    expect(await numbers({ paused: 'none' })).toEqual(['D6', 'D7']);
    const all = await listDebtors(db, admin.id, { asOf: AS_OF, limit: 100, offset: 0, paused: 'any' });
    expect(all.total).toBe(5);
  });

  it('agrees with the reasons the list shows for every debtor', async () => {
    const reasons = await pausedReasons(db, admin.id, Object.entries(id).filter(([k]) => !k.includes('-')).map(([, v]) => v), AS_OF);
    for (const code of PAUSED_FILTERS.filter((c) => c !== 'any' && c !== 'none')) {
      const expected = [...reasons].filter(([, rs]) => rs.some((r) => r.code === code)).map(([d]) => d).sort((a, b) => a - b);
      const got = (await listDebtors(db, admin.id, { asOf: AS_OF, limit: 100, offset: 0, paused: code })).rows.map((r) => r.id).sort((a, b) => a - b);
      expect(got, code).toEqual(expected);
    }
  });

  it('filters on the open balance, bounds included, and combines with the other filters', async () => {
    expect(await numbers({ minBalanceCents: 50000 })).toEqual(['D3', 'D4', 'D5']);
    expect(await numbers({ maxBalanceCents: 25000 })).toEqual(['D1', 'D2', 'D6', 'D7']);
    expect(await numbers({ minBalanceCents: 10000, maxBalanceCents: 50000 })).toEqual(['D1', 'D2', 'D3']);
    expect(await numbers({ minBalanceCents: 10000, paused: 'none' })).toEqual([]);
    expect((await listDebtors(db, admin.id, { asOf: AS_OF, limit: 1, offset: 0, minBalanceCents: 10000, sort: 'balance' })).total).toBe(5);
  });
});
