/**
 * Promises and payment plans within the administration's limits, on both engines: nothing is
 * clamped (each breach names what is allowed), a promise can be changed and withdrawn, a plan's
 * preview is exactly the plan that is then saved, and the dossier says it in readable Dutch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { cancelPlan, cancelPromise, changePromise, createPlan, createPromise, dossier, previewPlan, promises } from '../../src/app/care.ts';
import { createItem } from '../../src/app/ledger.ts';
import { AppError } from '../../src/app/errors.ts';

const TODAY = '2026-12-02';

describe.each(ENGINES)('promises and plans within limits on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db);
  });
  afterAll(async () => db.drop());

  const err = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as AppError;
    }
    throw new Error('expected an error');
  };

  it('refuses a promise above the balance (credit notes deducted) and names the maximum; changes and withdraws one, each on the dossier', async () => {
    const d = await aDebtor(db, admin);
    await anInvoice(db, admin, d, { amount: '30887.47', dueDate: '2026-10-01' });
    await createItem(db, admin, { debtorId: d.id, number: 'CN-1', issueDate: '2026-10-15', dueDate: '2026-10-15', amountCents: -16514 });
    const e = await err(createPromise(db, admin, { debtorId: d.id, amountCents: 9_999_900, promisedDate: '2026-12-10' }, TODAY));
    expect(e.code).toBe('validation');
    expect(e.problems).toEqual([expect.objectContaining({ field: 'amount', code: 'too_large', params: { maxCents: 3_072_233 } })]);
    const far = await err(createPromise(db, admin, { debtorId: d.id, amountCents: 100, promisedDate: '2027-06-01' }, TODAY));
    expect(far.problems[0]).toMatchObject({ field: 'promisedDate', code: 'too_far', params: { max: '2027-01-31' } });

    const p = await createPromise(db, admin, { debtorId: d.id, amountCents: 3_072_233, promisedDate: '2026-12-15' }, TODAY, 'anna');
    expect((await err(changePromise(db, admin, p.id, { amountCents: 3_072_234 }, TODAY))).problems[0]).toMatchObject({ code: 'too_large' });
    const changed = await changePromise(db, admin, p.id, { amountCents: 1_500_000, promisedDate: '2026-12-20' }, TODAY, 'anna');
    expect(changed).toMatchObject({ amountCents: 1_500_000, promisedDate: '2026-12-20', status: 'open' });
    const [line] = await dossier(db, admin, d.id, { kind: 'promise_changed' });
    expect(line!.summary).toBe('Betalingsbelofte gewijzigd: € 30.722,33 uiterlijk 15-12-2026 → € 15.000,00 uiterlijk 20-12-2026');
    await cancelPromise(db, admin, p.id, 'anna');
    expect((await err(changePromise(db, admin, p.id, { amountCents: 100 }, TODAY))).code).toBe('conflict');
    expect((await promises(db, admin, { debtorId: d.id, status: 'cancelled' })).map((x) => x.id)).toEqual([p.id]);
  });

  it('a plan of 500 or 0 instalments is refused with the allowed range; the preview is the plan that is saved; the dossier line is short and Dutch', async () => {
    const d = await aDebtor(db, admin);
    await anInvoice(db, admin, d, { amount: '1200.00', dueDate: '2026-10-01' });
    expect((await err(previewPlan(db, admin, { debtorId: d.id, count: 500, firstDate: '2027-01-01' }, TODAY))).problems).toEqual([expect.objectContaining({ field: 'instalments', code: 'too_many', params: { max: 24 } })]);
    expect((await err(createPlan(db, admin, { debtorId: d.id, count: 0, firstDate: '2027-01-01' }, TODAY))).problems).toEqual([expect.objectContaining({ code: 'too_few', params: { min: 1 } })]);
    expect((await err(createPlan(db, admin, { debtorId: d.id, count: 120, firstDate: '2027-01-01' }, TODAY))).problems[0]).toMatchObject({ code: 'too_many' });
    // a minimum of € 500 per instalment allows € 1.200 in at most 2: the refusal names that number
    const strict = { ...admin, settings: { ...admin.settings, care: { planMinInstalmentCents: 50_000 } } } as Administration;
    expect((await err(previewPlan(db, strict, { debtorId: d.id, count: 3, firstDate: '2027-01-01' }, TODAY))).problems[0]).toMatchObject({ code: 'too_small', params: { max: 2 } });

    const preview = await previewPlan(db, admin, { debtorId: d.id, count: 12, firstDate: '2027-01-01' }, TODAY);
    const plan = await createPlan(db, admin, { debtorId: d.id, count: 12, firstDate: '2027-01-01' }, TODAY, 'anna');
    expect(plan.instalments.map((i) => [i.dueDate, i.amountCents])).toEqual(preview.schedule.map((i) => [i.dueDate, i.amountCents]));
    expect(plan.totalCents).toBe(preview.totalCents);
    const [line] = await dossier(db, admin, d.id, { kind: 'payment_plan_created' });
    expect(line!.summary).toBe(`Betalingsregeling #${plan.id}: € 1.200,00 in 12 × € 100,00, van 01-01-2027 t/m 01-12-2027; rente en kosten opgeschort zolang de regeling loopt`);
    const ended = await cancelPlan(db, admin, plan.id, 'anna');
    expect(ended.status).toBe('cancelled');
    expect((await dossier(db, admin, d.id, { kind: 'payment_plan_cancelled' })).length).toBe(1);
  });
});
