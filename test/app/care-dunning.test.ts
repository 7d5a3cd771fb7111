/**
 * End to end with the dunning run (both engines): a promise, a payment plan, a dispute and a
 * pausing status keep the run away from exactly what they cover, and when the promise is broken,
 * the plan broken or the dispute rejected, the next run plans the step where the chase was.
 * The bank-data block is overridden: these tests are about who is paused, not about freshness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import type { Debtor } from '../../src/store/debtors.ts';
import type { Item } from '../../src/store/items.ts';
import { insertBooking } from '../../src/store/bookings.ts';
import { previewRun, sendRun } from '../../src/app/dunning.ts';
import { deliverDue } from '../../src/app/dunning-delivery.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { changeStatus, createPlan, createPromise, openDispute, resolveDispute, runCareChecks } from '../../src/app/care.ts';

describe.each(ENGINES)('care gates in the dunning run on %s', (engine) => {
  let db: TestDb;
  let smtp: TestSmtp;
  let admin: Administration;
  let promiser: Debtor, planner: Debtor, disputer: Debtor, legal: Debtor;
  let p1: Item, p2: Item, pl1: Item, pl2: Item, d1: Item, d2: Item, l1: Item;

  const preview = (asOf: string) => previewRun(db, admin, { asOf, override: true });
  const messagesOf = (plan: Awaited<ReturnType<typeof preview>>, d: Debtor) => plan.messages.filter((m) => m.debtorId === String(d.id));
  const skipsOf = (plan: Awaited<ReturnType<typeof preview>>, d: Debtor) => plan.skipped.filter((s) => s.debtorId === String(d.id));
  const itemsOf = (s: { itemId?: string; itemIds?: readonly string[] }) => (s.itemId ? [s.itemId] : [...(s.itemIds ?? [])]).sort();
  const ids = (...items: Item[]) => items.map((i) => String(i.id)).sort();

  beforeAll(async () => {
    db = await testDb(engine);
    smtp = await startSmtp();
    admin = await anAdministration(db, { name: 'Care-Dunning B.V.', addressLine: 'Industrieweg 1', postalCode: '9711 AA', city: 'Groningen', settings: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'debiteuren@care.nl' } } } as never);
    const mk = (n: string) => aDebtor(db, admin, { number: n, name: `${n} B.V.`, type: 'business', emails: [`${n.toLowerCase()}@example.nl`], addressLine: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Zwolle' } as never);
    promiser = await mk('P');
    planner = await mk('PL');
    disputer = await mk('DS');
    legal = await mk('LG');
    const inv = (d: Debtor, number: string, amount: string) => anInvoice(db, admin, d, { number, amount, issueDate: '2026-09-01', dueDate: '2026-10-01' });
    p1 = await inv(promiser, 'P-1', '400.00');
    p2 = await inv(promiser, 'P-2', '100.00');
    pl1 = await inv(planner, 'PL-1', '300.00');
    pl2 = await inv(planner, 'PL-2', '200.00');
    d1 = await inv(disputer, 'DS-1', '150.00');
    d2 = await inv(disputer, 'DS-2', '75.00');
    l1 = await inv(legal, 'LG-1', '60.00');
    // The first reminder goes out for everything on 2026-10-05 (due date + 2 days).
    const first = await sendRun(db, admin, { asOf: '2026-10-05', override: true });
    expect(first.queued).toBe(4);
    expect(first.plan.messages.every((m) => m.stepKey === 'reminder_1')).toBe(true);
    // a step counts once it is delivered: the mails are accepted the same day
    expect((await deliverDue(db, {})).sent).toBe(4);
  });
  afterAll(async () => {
    await smtp.close();
    await db.drop();
  });

  it('without care records the second reminder is due on 2026-10-19 for every debtor', async () => {
    const plan = await preview('2026-10-19');
    for (const d of [promiser, planner, disputer, legal]) expect(messagesOf(plan, d).map((m) => m.stepKey)).toEqual(['reminder_2']);
  });

  it('a broken promise: skipped with promise_to_pay until the date + grace; broken by the care checks; then the chase resumes at reminder_2', async () => {
    await createPromise(db, admin, { debtorId: promiser.id, amountCents: 40000, promisedDate: '2026-10-25', itemIds: [p1.id], graceDays: 3 }, '2026-10-10', 'anna');
    // the promised item waits; the other item of the same debtor is chased
    let plan = await preview('2026-10-20');
    expect(skipsOf(plan, promiser).filter((s) => s.reason === 'promise_to_pay').flatMap(itemsOf)).toEqual(ids(p1));
    expect(messagesOf(plan, promiser).map((m) => [m.stepKey, [...m.itemIds]])).toEqual([['reminder_2', ids(p2)]]);
    // still paused on the last day of grace
    plan = await preview('2026-10-28');
    expect(messagesOf(plan, promiser).flatMap((m) => m.itemIds)).not.toContain(String(p1.id));
    // 100.00 of 400.00 arrives: not kept
    await insertBooking(db, admin.id, { kind: 'bank', date: '2026-10-24', allocations: [{ itemId: p1.id, cents: 10000 }] });
    const checks = await runCareChecks(db, admin, '2026-10-29');
    expect(checks.promisesBroken).toBe(1);
    plan = await preview('2026-10-29');
    expect(skipsOf(plan, promiser).filter((s) => s.reason === 'promise_to_pay')).toEqual([]);
    const resumed = messagesOf(plan, promiser).find((m) => m.itemIds.includes(String(p1.id)))!;
    expect(resumed.stepKey).toBe('reminder_2');
    expect(resumed.items.find((i) => i.itemId === String(p1.id))!.openCents).toBe(30000);
  });

  it('a missed instalment: the debtor is skipped with payment_plan; a missed instalment past grace breaks the plan and the whole remaining amount is chased', async () => {
    const plan0 = await createPlan(db, admin, { debtorId: planner.id, schedule: [{ dueDate: '2026-10-31', amountCents: 25000 }, { dueDate: '2026-11-30', amountCents: 25000 }] }, '2026-10-10', 'anna');
    expect(plan0.status).toBe('active');
    let plan = await preview('2026-10-20');
    expect(messagesOf(plan, planner)).toEqual([]);
    expect(skipsOf(plan, planner).map((s) => [s.reason, itemsOf(s)])).toEqual([['payment_plan', ids(pl1, pl2)]]);
    // the first instalment is paid on time; the second never comes
    await insertBooking(db, admin.id, { kind: 'bank', date: '2026-10-30', allocations: [{ itemId: pl1.id, cents: 25000 }] });
    expect((await runCareChecks(db, admin, '2026-11-10')).plansBroken).toBe(0);
    plan = await preview('2026-12-05'); // due 2026-11-30 + 5 days grace: still paused
    expect(skipsOf(plan, planner).map((s) => s.reason)).toEqual(['payment_plan']);
    const checks = await runCareChecks(db, admin, '2026-12-06');
    expect(checks).toMatchObject({ plansBroken: 1, instalmentsMissed: 1 });
    plan = await preview('2026-12-06');
    expect(skipsOf(plan, planner).filter((s) => s.reason === 'payment_plan')).toEqual([]);
    const [m] = messagesOf(plan, planner);
    expect(m).toMatchObject({ stepKey: 'reminder_2', principalCents: 5000 + 20000 });
    expect([...m!.itemIds].sort()).toEqual(ids(pl1, pl2));
  });

  it('a resolved dispute: only the disputed item is skipped while it is open; after "rejected" it is planned again', async () => {
    const dsp = await openDispute(db, admin, { debtorId: disputer.id, itemIds: [d1.id], reason: 'quality', owner: 'anna' }, '2026-10-10', 'anna');
    let plan = await preview('2026-10-20');
    expect(skipsOf(plan, disputer).filter((s) => s.reason === 'disputed').flatMap(itemsOf)).toEqual(ids(d1));
    expect(messagesOf(plan, disputer).map((m) => [m.stepKey, [...m.itemIds]])).toEqual([['reminder_2', ids(d2)]]);
    await resolveDispute(db, admin, dsp.id, { resolution: 'rejected', note: 'levering akkoord bevonden' }, '2026-10-21', 'anna');
    plan = await preview('2026-10-21');
    expect(skipsOf(plan, disputer).filter((s) => s.reason === 'disputed')).toEqual([]);
    expect(messagesOf(plan, disputer).map((m) => [m.stepKey, [...m.itemIds].sort()])).toEqual([['reminder_2', ids(d1, d2)]]);
  });

  it('a status that pauses the chase skips the debtor with status_paused; back to normal resumes', async () => {
    await changeStatus(db, admin, legal.id, 'legal', 'dossier bij de advocaat', 'anna');
    let plan = await preview('2026-10-20');
    expect(messagesOf(plan, legal)).toEqual([]);
    expect(skipsOf(plan, legal).map((s) => [s.reason, itemsOf(s)])).toEqual([['status_paused', ids(l1)]]);
    await changeStatus(db, admin, legal.id, 'normal');
    plan = await preview('2026-10-20');
    expect(messagesOf(plan, legal).map((m) => m.stepKey)).toEqual(['reminder_2']);
  });
});
