/**
 * Debtor care on both engines: dossier (edits keep the old version), tasks and "my work today",
 * promises (kept / broken), disputes (reasons, credit note, partial credit, rejected, re-send),
 * payment plans (schedule, letter, paid in order, broken), statuses, segments, credit, behaviour,
 * and the gates the dunning run reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { insertBooking } from '../../src/store/bookings.ts';
import { getItem, getItemByNumber } from '../../src/store/items.ts';
import { getDebtor } from '../../src/store/debtors.ts';
import { storeDocument } from '../../src/store/documents.ts';
import { loadChaseGates } from '../../src/store/care.ts';
import { listDebtors, setDebtorHold } from '../../src/app/ledger.ts';
import {
  addCall, addDisputeReason, addMailLog, addNote, assignTask, behaviourOf, changeStatus, checkPlans, checkPromises, completeTask, createPlan, createPromise, createTask,
  creditOf, debtorShow, findPlan, disputeReasons, dossier, editEntry, evaluateSegments, openDispute, planLetterDocument, resendInvoice, resolveDispute, runCareChecks, saveSegment,
  saveStatuses, setCredit, setTags, statuses, tasks, workToday,
} from '../../src/app/care.ts';
import { AppError } from '../../src/app/errors.ts';

const TODAY = '2026-11-22';

describe.each(ENGINES)('debtor care on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db);
  });
  afterAll(async () => db.drop());

  const pay = (itemId: number, cents: number, date: string) => insertBooking(db, admin.id, { kind: 'bank', date, allocations: [{ itemId, cents }] });
  const open = async (id: number) => (await getItem(db, admin.id, id))!.openCents;
  const err = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as AppError;
    }
    throw new Error('expected an error');
  };

  // ------------------------------------------------------------------ 1. dossier
  it('keeps a dossier: notes, calls with outcome (and a call-back task), mails; an edit keeps the old version', async () => {
    const d = await aDebtor(db, admin);
    const note = await addNote(db, admin, d.id, 'Klant belt maandag terug', 'anna');
    const call = await addCall(db, admin, d.id, { outcome: 'no_answer', text: 'Geen gehoor op 020-1234567', callbackDate: '2026-11-24' }, 'anna');
    await addMailLog(db, admin, d.id, { direction: 'in', subject: 'Re: factuur', text: 'Wij betalen vrijdag' }, 'anna');
    expect(call.kind).toBe('call');
    expect(call.data.outcome).toBe('no_answer');
    expect(call.summary).toContain('geen gehoor');
    const callbacks = await tasks(db, admin, { debtorId: d.id });
    expect(callbacks).toMatchObject([{ kind: 'call_back', dueDate: '2026-11-24', assignedTo: 'anna' }]);

    const edited = await editEntry(db, admin, note.id, { text: 'Klant belt dinsdag terug' }, 'bert');
    expect(edited.data.replaces).toBe(note.id);
    expect(edited.id).not.toBe(note.id);
    const all = await dossier(db, admin, d.id);
    const old = all.find((e) => e.id === note.id)!;
    expect(old.summary).toBe('Notitie: Klant belt maandag terug');
    expect(old.replacedBy).toBe(edited.id);
    expect(all.find((e) => e.id === edited.id)!.replaces).toBe(note.id);
    const current = await dossier(db, admin, d.id, { current: true });
    expect(current.map((e) => e.id)).not.toContain(note.id);
    expect(current.map((e) => e.kind)).toEqual(expect.arrayContaining(['note', 'call', 'mail_in', 'debtor_created']));
    // only the newest version can be edited; system entries never
    expect((await err(editEntry(db, admin, note.id, { text: 'x' }))).code).toBe('conflict');
    const created = all.find((e) => e.kind === 'debtor_created')!;
    expect((await err(editEntry(db, admin, created.id, { text: 'x' }))).code).toBe('conflict');
    expect((await err(addCall(db, admin, d.id, { outcome: 'bogus' as never }))).code).toBe('validation');
  });

  // ------------------------------------------------------------------ 2. tasks, work today
  it('creates, assigns and completes tasks (outcome on the timeline); lists "my work today" with broken promises, missed instalments, overdue disputes and phone steps', async () => {
    const a = await admin;
    const d = await aDebtor(db, a);
    const inv = await anInvoice(db, a, d, { amount: '500.00', dueDate: '2026-10-01' });
    const mine = await createTask(db, a, { debtorId: d.id, kind: 'check_agreement', title: 'Afspraak controleren', dueDate: '2026-11-20', assignedTo: 'anna' });
    const unassigned = await createTask(db, a, { debtorId: d.id, title: 'Algemeen', dueDate: TODAY });
    const others = await createTask(db, a, { debtorId: d.id, title: 'Van Bert', dueDate: TODAY, assignedTo: 'bert' });
    const later = await createTask(db, a, { debtorId: d.id, title: 'Later', dueDate: '2026-12-01', assignedTo: 'anna' });
    // the dunning run's phone step, written by the dunning module
    await db.query(`INSERT INTO tasks (administration_id, debtor_id, item_ids, kind, title, due_date) VALUES ($1, $2, $3, 'dunning_phone', 'Bellen: 3e herinnering', $4)`, [a.id, d.id, [inv.id], TODAY]);

    // a promise past its date + grace, not checked yet; a plan with a late instalment; a dispute past its deadline
    const d2 = await aDebtor(db, a);
    const inv2 = await anInvoice(db, a, d2, { amount: '100.00' });
    await createPromise(db, a, { debtorId: d2.id, amountCents: 10000, promisedDate: '2026-11-10', itemIds: [inv2.id], graceDays: 3 }, '2026-11-05', 'anna');
    const d3 = await aDebtor(db, a);
    await anInvoice(db, a, d3, { amount: '300.00' });
    await createPlan(db, a, { debtorId: d3.id, schedule: [{ dueDate: '2026-11-15', amountCents: 10000 }, { dueDate: '2026-12-15', amountCents: 20000 }] }, '2026-11-01', 'anna');
    const d4 = await aDebtor(db, a);
    const inv4 = await anInvoice(db, a, d4, { amount: '80.00' });
    const dsp = await openDispute(db, a, { debtorId: d4.id, itemIds: [inv4.id], reason: 'quality', owner: 'anna', deadline: '2026-11-18' }, '2026-11-04', 'anna');

    const work = await workToday(db, a, 'anna', TODAY);
    const titles = work.map((w) => w.title);
    expect(titles).toContain('Afspraak controleren');
    expect(titles).toContain('Algemeen');
    expect(titles).toContain('Bellen: 3e herinnering');
    expect(titles).not.toContain('Van Bert');
    expect(titles).not.toContain('Later');
    expect(work.find((w) => w.kind === 'broken_promise')).toMatchObject({ debtorId: d2.id, sourceType: 'promise' });
    expect(work.find((w) => w.kind === 'missed_instalment')).toMatchObject({ debtorId: d3.id, dueDate: '2026-11-15' });
    // the dispute's review task is due on the deadline and stands in for the dispute
    expect(work.find((w) => w.sourceType === 'dispute' && w.sourceId === dsp.id)).toMatchObject({ kind: 'task', taskKind: 'review_dispute', overdue: true });
    expect(work.find((w) => w.taskKind === 'dunning_phone')).toBeTruthy();

    const reassigned = await assignTask(db, a, others.id, 'anna');
    expect(reassigned.assignedTo).toBe('anna');
    const done = await completeTask(db, a, mine.id, { outcome: 'Afspraak klopt' }, 'anna');
    expect(done).toMatchObject({ status: 'done', outcome: 'Afspraak klopt', completedBy: 'anna' });
    expect((await err(completeTask(db, a, mine.id))).code).toBe('conflict');
    const tl = await dossier(db, a, d.id);
    expect(tl.find((e) => e.kind === 'task_done')!.summary).toBe('Taak afgerond: Afspraak controleren — Afspraak klopt');
    const annas = (await tasks(db, a, { assignedTo: 'anna', dueBy: TODAY })).map((t) => t.id);
    expect(annas).toContain(reassigned.id);
    expect(annas).not.toContain(mine.id);
    expect(unassigned.assignedTo).toBeNull();
    expect(later.status).toBe('open');
  });

  // ------------------------------------------------------------------ 3. promises
  it('pauses promised items until the date + grace; a kept promise is recorded as kept, a broken one raises a task and lifts the pause', async () => {
    const d = await aDebtor(db, admin);
    const a1 = await anInvoice(db, admin, d, { amount: '250.00' });
    const a2 = await anInvoice(db, admin, d, { amount: '99.99' });
    const kept = await createPromise(db, admin, { debtorId: d.id, amountCents: 25000, promisedDate: '2026-11-30', itemIds: [a1.id] }, TODAY, 'anna');
    expect(kept).toMatchObject({ status: 'open', graceDays: 3, itemIds: [a1.id] });
    expect((await getDebtor(db, admin.id, d.id))!.status).toBe('promise');
    let gates = await loadChaseGates(db, admin.id, TODAY);
    expect(gates.promiseByDebtor.get(d.id)).toEqual({ until: '2026-12-03', itemIds: [a1.id] });
    expect((await checkPromises(db, admin, '2026-11-25')).results.find((r) => r.promiseId === kept.id)!.status).toBe('open');
    await pay(a1.id, 25000, '2026-11-28');
    const r1 = await checkPromises(db, admin, '2026-11-29', null, { debtorId: d.id });
    expect(r1).toMatchObject({ kept: 1, broken: 0 });
    expect((await getDebtor(db, admin.id, d.id))!.status).toBe('normal');

    // a promise for all items; only 50.00 arrives; broken after 2026-12-10 + 3 days
    const broken = await createPromise(db, admin, { debtorId: d.id, amountCents: 9999, promisedDate: '2026-12-10' }, TODAY, 'anna');
    gates = await loadChaseGates(db, admin.id, '2026-12-13');
    expect(gates.promiseByDebtor.get(d.id)).toEqual({ until: '2026-12-13', itemIds: 'all' });
    await pay(a2.id, 5000, '2026-12-09');
    expect((await checkPromises(db, admin, '2026-12-13', null, { debtorId: d.id })).broken).toBe(0);
    const r2 = await checkPromises(db, admin, '2026-12-14', null, { debtorId: d.id });
    expect(r2).toMatchObject({ kept: 0, broken: 1 });
    expect(r2.results[0]).toMatchObject({ promiseId: broken.id, paidCents: 5000, status: 'broken' });
    gates = await loadChaseGates(db, admin.id, '2026-12-14');
    expect(gates.promiseByDebtor.has(d.id)).toBe(false);
    const t = await tasks(db, admin, { debtorId: d.id, kind: 'broken_promise' });
    expect(t).toMatchObject([{ sourceType: 'promise', sourceId: broken.id, dueDate: '2026-12-14', assignedTo: 'anna', reason: '€ 50,00 van € 99,99 ontvangen' }]);
    const kinds = (await dossier(db, admin, d.id)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['promise_created', 'promise_kept', 'promise_broken', 'status_changed']));
    const b = await behaviourOf(db, admin, d.id, '2026-12-14');
    expect(b).toMatchObject({ promisesKept: 1, promisesBroken: 1 });
    // checks are idempotent: nothing open any more
    expect(await checkPromises(db, admin, '2026-12-20', null, { debtorId: d.id })).toMatchObject({ kept: 0, broken: 0 });
    expect((await err(createPromise(db, admin, { debtorId: d.id, amountCents: 100, promisedDate: '2026-11-01' }, TODAY))).code).toBe('validation');
    expect((await err(createPromise(db, admin, { debtorId: d.id, amountCents: 100, promisedDate: '2026-12-01', itemIds: [a1.id] }, TODAY))).code).toBe('validation'); // a1 is paid
  });

  // ------------------------------------------------------------------ 4. disputes
  it('keeps an extendable list of dispute reasons; a dispute pauses only its items; resolutions credit exactly or resume; an invoice copy can be re-sent', async () => {
    const reasons = await disputeReasons(db, admin);
    expect(reasons.map((r) => r.key).sort()).toEqual(['invoice_not_received', 'not_delivered', 'other', 'quality', 'wrong_amount']);
    const extended = await addDisputeReason(db, admin, { key: 'price_agreement', labelNl: 'Prijsafspraak', labelEn: 'Price agreement' });
    expect(extended.map((r) => r.key)).toContain('price_agreement');

    const d = await aDebtor(db, admin);
    const x = await anInvoice(db, admin, d, { amount: '121.00' });
    const y = await anInvoice(db, admin, d, { amount: '60.50' });
    const z = await anInvoice(db, admin, d, { amount: '200.00' });
    const w = await anInvoice(db, admin, d, { amount: '10.00' });
    const full = await openDispute(db, admin, { debtorId: d.id, itemIds: [x.id, y.id], reason: 'wrong_amount', owner: 'anna', description: 'Prijs klopt niet' }, TODAY, 'anna');
    expect(full).toMatchObject({ status: 'open', deadline: '2026-12-06', itemIds: [x.id, y.id].sort((p, q) => p - q) });
    expect((await getDebtor(db, admin.id, d.id))!.status).toBe('dispute');
    let gates = await loadChaseGates(db, admin.id, TODAY);
    expect([...gates.disputedItems].filter((i) => [x.id, y.id, z.id, w.id].includes(i)).sort((p, q) => p - q)).toEqual([x.id, y.id].sort((p, q) => p - q));
    expect((await err(openDispute(db, admin, { debtorId: d.id, itemIds: [x.id], reason: 'quality' }, TODAY))).code).toBe('conflict');
    expect((await err(openDispute(db, admin, { debtorId: d.id, itemIds: [z.id], reason: 'nonsense' }, TODAY))).code).toBe('validation');

    // the invoice copy: the stored document of the item, and a mail-out entry
    const docId = await storeDocument(db, admin.id, { filename: `${x.number}.pdf`, contentType: 'application/pdf', content: new TextEncoder().encode('%PDF-1.4 factuur') });
    await db.query('UPDATE items SET document_id = $2 WHERE id = $1', [x.id, docId]);
    const resent = await resendInvoice(db, admin, full.id, { to: 'crediteuren@klant.nl' }, 'anna');
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ itemId: x.id, documentId: docId, contentType: 'application/pdf' });
    expect(new TextDecoder().decode(resent[0]!.content)).toBe('%PDF-1.4 factuur');
    const mail = (await dossier(db, admin, d.id, { kind: 'mail_out' }))[0]!;
    expect(mail).toMatchObject({ documentId: docId, itemId: x.id });
    expect(mail.summary).toContain('crediteuren@klant.nl');

    // credit note for the whole disputed open amount: both items close, exactly
    await pay(y.id, 50, '2026-11-20');
    const r = await resolveDispute(db, admin, full.id, { resolution: 'credit_note', note: 'prijs aangepast' }, TODAY, 'anna');
    expect(r.creditCents).toBe(12100 + 6000);
    const credit = (await getItemByNumber(db, admin.id, `CR-G${full.id}`))!;
    expect(credit).toMatchObject({ kind: 'credit_note', amountCents: -18100, openCents: 0 });
    expect([await open(x.id), await open(y.id)]).toEqual([0, 0]);
    expect(r.dispute).toMatchObject({ status: 'resolved', resolution: 'credit_note', resolutionNote: 'prijs aangepast' });
    expect((await tasks(db, admin, { debtorId: d.id, kind: 'review_dispute', status: 'all' }))[0]).toMatchObject({ status: 'done', outcome: 'opgelost: credit_note' });
    expect((await err(resolveDispute(db, admin, full.id, { resolution: 'rejected' }, TODAY))).code).toBe('conflict');

    // partial credit: the rest is chased again
    const part = await openDispute(db, admin, { debtorId: d.id, itemIds: [z.id], reason: 'quality' }, TODAY);
    expect((await err(resolveDispute(db, admin, part.id, { resolution: 'partial_credit', amountCents: 20001 }, TODAY))).code).toBe('validation');
    const rp = await resolveDispute(db, admin, part.id, { resolution: 'partial_credit', amountCents: 7550 }, TODAY);
    expect(rp.creditCents).toBe(7550);
    expect(await open(z.id)).toBe(12450);
    // rejected: nothing credited, the pause is lifted
    const rej = await openDispute(db, admin, { debtorId: d.id, itemIds: [w.id], reason: 'price_agreement' }, TODAY);
    gates = await loadChaseGates(db, admin.id, TODAY);
    expect(gates.disputedItems.has(w.id)).toBe(true);
    const rr = await resolveDispute(db, admin, rej.id, { resolution: 'rejected' }, TODAY);
    expect(rr.creditCents).toBe(0);
    expect(await open(w.id)).toBe(1000);
    gates = await loadChaseGates(db, admin.id, TODAY);
    expect(gates.disputedItems.has(w.id)).toBe(false);
    expect((await getDebtor(db, admin.id, d.id))!.status).toBe('normal');
    expect((await err(resendInvoice(db, admin, rej.id))).code).toBe('not_found');
  });

  // ------------------------------------------------------------------ 5. payment plans
  it('splits open items into instalments that add up exactly, confirms by letter, books payments in order and breaks on a missed instalment', async () => {
    const d = await aDebtor(db, admin, { addressLine: 'Dorpsstraat 1', postalCode: '3511 AB', city: 'Utrecht' } as never);
    const i1 = await anInvoice(db, admin, d, { amount: '600.00', issueDate: '2026-09-01', dueDate: '2026-09-30' });
    const i2 = await anInvoice(db, admin, d, { amount: '400.00', dueDate: '2026-10-31' });
    expect((await err(createPlan(db, admin, { debtorId: d.id, schedule: [{ dueDate: '2026-12-01', amountCents: 50000 }, { dueDate: '2027-01-01', amountCents: 49999 }] }, TODAY))).problems.map((p) => p.code)).toContain('sum');
    const plan = await createPlan(db, admin, { debtorId: d.id, count: 3, firstDate: '2026-12-31' }, TODAY, 'anna');
    expect(plan.instalments.map((i) => [i.dueDate, i.amountCents])).toEqual([['2026-12-31', 33333], ['2027-01-31', 33333], ['2027-02-28', 33334]]);
    expect(plan).toMatchObject({ status: 'active', totalCents: 100000, graceDays: 5, interestPolicy: 'suspended', itemIds: [i1.id, i2.id].sort((p, q) => p - q) });
    expect(plan.letterWarning).toBeNull();
    const letter = await planLetterDocument(db, admin, plan.id);
    expect(letter.contentType).toBe('application/pdf');
    expect(new TextDecoder().decode(letter.content.slice(0, 5))).toBe('%PDF-');
    expect((await getDebtor(db, admin.id, d.id))!.status).toBe('payment_plan');
    expect((await loadChaseGates(db, admin.id, TODAY)).planDebtors.has(d.id)).toBe(true);
    expect((await err(createPlan(db, admin, { debtorId: d.id, count: 2, itemIds: [i1.id] }, TODAY))).code).toBe('conflict');

    // first instalment paid (in two parts, to two items): covered in order
    await pay(i1.id, 20000, '2026-12-20');
    await pay(i2.id, 13333, '2026-12-30');
    let c = await checkPlans(db, admin, '2027-01-10', null, { debtorId: d.id });
    expect(c.results[0]).toMatchObject({ status: 'active', paidCents: 33333 });
    let p = await findPlan(db, admin, plan.id);
    expect(p.instalments.map((i) => [i.status, i.paidCents])).toEqual([['paid', 33333], ['open', 0], ['open', 0]]);
    // second instalment: 100.00 of 333.33 arrives; due 2027-01-31 + 5 days grace → still active on 2027-02-05, broken on 2027-02-06
    await pay(i1.id, 10000, '2027-01-30');
    c = await checkPlans(db, admin, '2027-02-05', null, { debtorId: d.id });
    expect(c.results[0]!.status).toBe('active');
    c = await checkPlans(db, admin, '2027-02-06', null, { debtorId: d.id });
    expect(c).toMatchObject({ broken: 1, instalmentsMissed: 1 });
    p = await findPlan(db, admin, plan.id);
    expect(p.status).toBe('broken');
    expect(p.instalments.map((i) => [i.status, i.paidCents])).toEqual([['paid', 33333], ['missed', 10000], ['open', 0]]);
    expect((await loadChaseGates(db, admin.id, '2027-02-06')).planDebtors.has(d.id)).toBe(false);
    const task = (await tasks(db, admin, { debtorId: d.id, kind: 'plan_broken' }))[0]!;
    expect(task).toMatchObject({ sourceType: 'payment_plan', sourceId: plan.id, reason: 'resterend € 566,67', assignedTo: 'anna' });
    expect((await dossier(db, admin, d.id, { kind: 'payment_plan_broken' }))[0]!.data).toMatchObject({ remainingCents: 56667, missedSeq: 2 });
    expect((await getDebtor(db, admin.id, d.id))!.status).toBe('normal');

    // a plan kept to the end is completed; interest and costs added as an item of the plan
    const d2 = await aDebtor(db, admin);
    const j = await anInvoice(db, admin, d2, { amount: '100.00' });
    const p2 = await createPlan(db, admin, { debtorId: d2.id, count: 2, firstDate: '2026-12-01', interestPolicy: 'added', extraCents: 1234 }, TODAY);
    expect(p2.totalCents).toBe(11234);
    expect(p2.instalments.map((i) => i.amountCents)).toEqual([5617, 5617]);
    const extra = (await getItemByNumber(db, admin.id, `BR-${p2.id}`))!;
    expect(p2.itemIds).toContain(extra.id);
    await pay(j.id, 10000, '2026-12-01');
    await pay(extra.id, 1234, '2026-12-01');
    c = await checkPlans(db, admin, '2026-12-02', null, { debtorId: d2.id });
    expect(c).toMatchObject({ completed: 1, broken: 0 });
  });

  // ------------------------------------------------------------------ 6. statuses
  it('keeps a configurable status table; pausing statuses reach the gates; changes are on the timeline; the list filters and shows who is paused and why', async () => {
    const table = await statuses(db, admin);
    expect(table.map((s) => s.key)).toEqual(['normal', 'watch', 'promise', 'payment_plan', 'dispute', 'collection_agency', 'legal', 'written_off', 'on_hold']);
    expect(table.filter((s) => s.pausesChase).map((s) => s.key)).toEqual(['collection_agency', 'legal', 'written_off', 'on_hold']);
    const saved = await saveStatuses(db, admin, [...table, { key: 'bankrupt', labelNl: 'Failliet', labelEn: 'Bankrupt', pausesChase: true, sort: 95 }]);
    expect(saved.at(-1)).toMatchObject({ key: 'bankrupt', pausesChase: true });
    const d = await aDebtor(db, admin);
    await anInvoice(db, admin, d);
    const changed = await changeStatus(db, admin, d.id, 'bankrupt', 'curator benoemd', 'anna');
    expect(changed.status).toBe('bankrupt');
    expect((await dossier(db, admin, d.id, { kind: 'status_changed' }))[0]).toMatchObject({ summary: 'Status Normaal → Failliet (aanmanen gepauzeerd): curator benoemd', data: { from: 'normal', to: 'bankrupt' } });
    expect((await loadChaseGates(db, admin.id, TODAY)).pausedStatuses).toEqual(new Set(['collection_agency', 'legal', 'written_off', 'on_hold', 'bankrupt']));
    expect((await err(saveStatuses(db, admin, table))).code).toBe('conflict'); // bankrupt is in use
    expect((await err(changeStatus(db, admin, d.id, 'nonsense'))).code).toBe('validation');
    const list = await listDebtors(db, admin.id, { status: 'bankrupt', asOf: TODAY, limit: 50, offset: 0 });
    expect(list.rows.map((r) => [r.id, r.pausedReason])).toEqual([[d.id, 'status Failliet']]);
    const held = await aDebtor(db, admin);
    await setDebtorHold(db, admin, held.id, true, 'curator');
    const all = await listDebtors(db, admin.id, { asOf: TODAY, limit: 1000, offset: 0 });
    expect(all.rows.find((r) => r.id === held.id)!.pausedReason).toBe('on hold: curator');
  });

  // ------------------------------------------------------------------ 7. segments
  it('puts debtors in segments by rules (type, annual amount, days late, broken promises, tags) with the reason visible', async () => {
    const a = await anAdministration(db);
    const big = await aDebtor(db, a, { type: 'business' });
    const late = await aDebtor(db, a, { type: 'business' });
    const tagged = await aDebtor(db, a, { type: 'consumer' });
    const plain = await aDebtor(db, a, { type: 'consumer' });
    await anInvoice(db, a, big, { amount: '150000.00', issueDate: '2026-06-01', dueDate: '2026-07-01' });
    const l = await anInvoice(db, a, late, { amount: '100.00', issueDate: '2026-06-01', dueDate: '2026-07-01' });
    await insertBooking(db, a.id, { kind: 'bank', date: '2026-08-10', allocations: [{ itemId: l.id, cents: 10000 }] }); // 40 days late
    await setTags(db, a, tagged.id, ['VIP', 'vip', ' bouw ']);
    await saveSegment(db, a, { key: 'large_account', name: 'Grote klanten', rules: { type: 'business', minAnnualCents: 10_000_000 }, policyKey: 'large', priority: 10 });
    await saveSegment(db, a, { key: 'late_payers', name: 'Late betalers', rules: { minAvgDaysLate: 30 }, policyKey: null, priority: 20 });
    await saveSegment(db, a, { key: 'vip', name: 'VIP', rules: { tagsAny: ['vip'] }, policyKey: null, priority: 30 });
    await saveSegment(db, a, { key: 'rest', name: 'Overig', rules: {}, policyKey: null, priority: 999 });
    expect((await err(saveSegment(db, a, { key: 'bad', name: 'x', rules: { minFoo: 1 } as never, policyKey: null, priority: 1 }))).code).toBe('validation');
    const r = await evaluateSegments(db, a, TODAY);
    expect(r).toEqual({ evaluated: 4, changed: 4 });
    const seg = async (id: number) => {
      const [x] = await db.query<{ segment: string; segment_reason: string }>('SELECT segment, segment_reason FROM debtors WHERE id = $1', [id]);
      return [x!.segment, x!.segment_reason];
    };
    expect(await seg(big.id)).toEqual(['large_account', 'Grote klanten: zakelijk; jaaromzet € 150.000,00 ≥ € 100.000,00']);
    expect(await seg(late.id)).toEqual(['late_payers', 'Late betalers: gemiddeld 40 dagen te laat ≥ 30']);
    expect(await seg(tagged.id)).toEqual(['vip', 'VIP: label vip']);
    expect(await seg(plain.id)).toEqual(['rest', 'Overig: alle debiteuren']);
    expect(await evaluateSegments(db, a, TODAY)).toEqual({ evaluated: 4, changed: 0 });
    // broken promises as a rule, re-evaluated by the nightly checks
    await saveSegment(db, a, { key: 'unreliable', name: 'Onbetrouwbaar', rules: { minBrokenPromises: 1 }, policyKey: null, priority: 5 });
    const inv = await anInvoice(db, a, plain, { amount: '10.00' });
    await createPromise(db, a, { debtorId: plain.id, amountCents: 1000, promisedDate: TODAY, itemIds: [inv.id], graceDays: 0 }, TODAY);
    const checks = await runCareChecks(db, a, '2026-11-23');
    expect(checks).toEqual({ promisesKept: 0, promisesBroken: 1, instalmentsMissed: 0, plansBroken: 0, segmentsChanged: 1 });
    expect(await seg(plain.id)).toEqual(['unreliable', 'Onbetrouwbaar: 1 gebroken belofte(n) ≥ 1']);
  });

  // ------------------------------------------------------------------ 8. credit, 9. behaviour
  it('warns when the open balance exceeds the credit limit and records KvK, payment term and conditions', async () => {
    const d = await aDebtor(db, admin);
    await anInvoice(db, admin, d, { amount: '121.00' });
    expect((await creditOf(db, admin, d.id, TODAY)).warning).toBeNull();
    const c = await setCredit(db, admin, d.id, { creditLimitCents: 10000, kvk: '12345678', paymentTermDays: 14, creditNotes: 'Referentie: Bakkerij Jansen; BKR-check 2026-01' }, TODAY, 'anna');
    expect(c).toMatchObject({ creditLimitCents: 10000, balanceCents: 12100, kvk: '12345678', paymentTermDays: 14, creditNotes: 'Referentie: Bakkerij Jansen; BKR-check 2026-01' });
    expect(c.warning).toEqual({ code: 'over_credit_limit', overCents: 2100, message: 'saldo € 121,00 is € 21,00 boven de kredietlimiet € 100,00' });
    const kinds = (await dossier(db, admin, d.id)).map((e) => e.summary);
    expect(kinds.some((s) => s.startsWith('Kredietvoorwaarden:'))).toBe(true);
  });

  it('measures payment behaviour: average days late over 12 months, trend, and a warning when the debtor pays clearly later than its own norm', async () => {
    const d = await aDebtor(db, admin);
    // norm: four invoices paid 2, 4, 0 (early) and 6 days late, months 4–12 ago
    const norm: [string, string][] = [['2026-01-10', '2026-01-12'], ['2026-03-10', '2026-03-14'], ['2026-05-10', '2026-05-01'], ['2026-07-10', '2026-07-16']];
    for (const [due, paid] of norm) {
      const i = await anInvoice(db, admin, d, { amount: '100.00', issueDate: '2025-12-01', dueDate: due });
      await pay(i.id, 10000, paid);
    }
    // recent: 25 and 35 days late
    for (const [due, paid] of [['2026-09-01', '2026-09-26'], ['2026-10-01', '2026-11-05']] as const) {
      const i = await anInvoice(db, admin, d, { amount: '50.00', issueDate: '2026-08-01', dueDate: due });
      await pay(i.id, 2000, paid);
      await pay(i.id, 3000, paid);
    }
    const b = await behaviourOf(db, admin, d.id, TODAY);
    expect(b).toMatchObject({ paidCount12m: 6, avgDaysLate12m: 12, avgDaysLateNorm: 3, normCount: 4, avgDaysLateRecent: 30, recentCount: 2, trend: 'worse' });
    expect(b.warning).toEqual({ code: 'paying_later', message: 'betaalt de laatste 3 maanden gemiddeld 30 dagen te laat, normaal 3 dagen' });
    const show = await debtorShow(db, admin, d.number, TODAY);
    expect(show.behaviour.warning?.code).toBe('paying_later');
    expect(show.status.key).toBe('normal');
    expect(show.paused).toEqual([]);
  });

  it('shows a debtor with everything that pauses the chase, and why', async () => {
    const d = await aDebtor(db, admin);
    const i1 = await anInvoice(db, admin, d, { amount: '10.00' });
    const i2 = await anInvoice(db, admin, d, { amount: '20.00' });
    await createPromise(db, admin, { debtorId: d.id, amountCents: 1000, promisedDate: '2026-12-01', itemIds: [i1.id] }, TODAY);
    await openDispute(db, admin, { debtorId: d.id, itemIds: [i2.id], reason: 'other' }, TODAY);
    const show = await debtorShow(db, admin, d.id, TODAY);
    expect(show.paused.map((p) => p.code)).toEqual(['promise_to_pay', 'disputed']);
    expect(show.paused.map((p) => p.detail)).toEqual(['betalingsbelofte tot 2026-12-04 (deel van de posten)', '1 post(en) betwist']);
    expect(show.promises).toHaveLength(1);
    expect(show.disputes).toHaveLength(1);
    expect(show.tasks.map((t) => t.kind)).toEqual(['review_dispute']);
    expect(show.timeline.length).toBeGreaterThan(0);
  });
});
