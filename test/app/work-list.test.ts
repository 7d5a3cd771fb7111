/**
 * The work list on both engines: today's work and what is coming (a dispute's review in two
 * weeks), overdue first and the highest priority first within a day; tasks rescheduled and
 * reprioritised on the timeline; debtors in arrears that nobody is on (no open task, no recent
 * dunning step) found by the debtor list's `unattended` filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { createPromise, createTask, dossier, openDispute, updateTask, workToday } from '../../src/app/care.ts';
import { listDebtors } from '../../src/app/ledger.ts';

const TODAY = '2026-12-02';

describe.each(ENGINES)('the work list on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db);
  });
  afterAll(async () => db.drop());

  it('shows overdue, today and coming work in that order, highest priority first; a task can be rescheduled and reprioritised', async () => {
    const d = await aDebtor(db, admin);
    const inv = await anInvoice(db, admin, d, { amount: '500.00', dueDate: '2026-10-01' });
    const dispute = await openDispute(db, admin, { debtorId: d.id, itemIds: [inv.id], reason: 'wrong_amount' }, TODAY, 'anna');
    const low = await createTask(db, admin, { debtorId: d.id, title: 'Nakijken', dueDate: TODAY, priority: 3 }, 'anna');
    const high = await createTask(db, admin, { debtorId: d.id, title: 'Directeur bellen', dueDate: TODAY, priority: 1 }, 'anna');
    const late = await createTask(db, admin, { debtorId: d.id, title: 'Offerte opvragen', dueDate: '2026-11-28' }, 'anna');
    const d2 = await aDebtor(db, admin);
    const inv2 = await anInvoice(db, admin, d2, { amount: '50.00', dueDate: '2026-10-01' });
    await createPromise(db, admin, { debtorId: d2.id, amountCents: 5000, promisedDate: '2026-11-25', itemIds: [inv2.id], graceDays: 0 }, '2026-11-20', 'anna');

    // today only: the review of the dispute (due in 14 days) is not there
    const todayOnly = await workToday(db, admin, 'anna', TODAY);
    expect(todayOnly.map((e) => e.title)).not.toContain(expect.stringContaining('Geschil beoordelen'));
    // with the horizon: overdue first (the broken promise before the normal task), then today by priority, then what is coming
    const work = await workToday(db, admin, 'anna', TODAY, { until: '2026-12-16' });
    expect(work.map((e) => [e.when, e.priority, e.taskId ?? e.kind])).toEqual([
      ['overdue', 1, 'broken_promise'],
      ['overdue', 2, late.id],
      ['today', 1, high.id],
      ['today', 3, low.id],
      ['coming', 2, expect.any(Number)],
    ]);
    expect(work.at(-1)).toMatchObject({ sourceType: 'dispute', sourceId: dispute.id, dueDate: '2026-12-16' });

    const moved = await updateTask(db, admin, low.id, { dueDate: '2026-12-04', priority: 1 }, 'anna');
    expect(moved).toMatchObject({ dueDate: '2026-12-04', priority: 1 });
    const [line] = await dossier(db, admin, d.id, { kind: 'task_changed' });
    expect(line!.summary).toBe('Taak "Nakijken": uiterlijk 04-12-2026, prioriteit hoog');
    expect((await workToday(db, admin, 'anna', TODAY)).map((e) => e.taskId)).not.toContain(low.id);
  });

  it('finds the debtors in arrears that nobody is on: no open task, no dunning step in the last 14 days', async () => {
    const a2 = await anAdministration(db);
    const quiet = await aDebtor(db, a2, { name: 'Stil B.V.' } as never);
    await anInvoice(db, a2, quiet, { amount: '900.00', dueDate: '2026-10-01' });
    const handled = await aDebtor(db, a2, { name: 'Opgepakt B.V.' } as never);
    await anInvoice(db, a2, handled, { amount: '1900.00', dueDate: '2026-10-01' });
    await createTask(db, a2, { debtorId: handled.id, title: 'Bellen', dueDate: '2026-12-20' });
    const page = await listDebtors(db, a2.id, { unattended: true, overdueOnly: true, paused: 'none', sort: 'overdue', asOf: TODAY, limit: 10, offset: 0 });
    expect(page.rows.map((r) => r.name)).toEqual(['Stil B.V.']);
    expect(page.total).toBe(1);
  });
});
