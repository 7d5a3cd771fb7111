/**
 * Promises to pay: an amount by a date, for some items or all. The chase of those items waits
 * until the date + grace (loadChaseGates); a check as of a date marks the promise kept when the
 * money has come in (payments to the covered items since the promise), or broken when the date +
 * grace has passed without it: then a task appears and the chase resumes where it was (the
 * dunning history is untouched, so the next step is the one that was due).
 */
import type { Db, Queryable } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { addEvent } from '../../store/events.ts';
import { ev } from '../../domain/events.ts';
import { debtorBalance, getPromise, insertPromise, insertTask, itemsByIds, listPromises, paymentsSince, setPromiseStatus, updatePromiseTerms, type PromiseToPay } from '../../store/care.ts';
import { promiseProblems } from '../../domain/care/limits.ts';
import { evaluatePromise } from '../../domain/care/schedule.ts';
import { formatMoney } from '../../domain/money.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { careLimitsOf, careSettingsOf, requireDate, requireDebtor, syncStatus, type Actor } from './common.ts';

export type PromiseInput = { debtorId: number; amountCents: number; promisedDate: string; itemIds?: number[]; graceDays?: number; note?: string | null };

export async function createPromise(db: Db, admin: Administration, input: PromiseInput, asOf: string, actor: Actor = null): Promise<PromiseToPay> {
  requireDate('promisedDate', input.promisedDate);
  const grace = input.graceDays ?? careSettingsOf(admin).promiseGraceDays;
  if (!Number.isInteger(grace) || grace < 0 || grace > 60) throw invalid('grace days must be 0–60', [{ field: 'graceDays', code: 'invalid', message: 'grace days must be 0–60' }]);
  return db.transaction(async (tx) => {
    const debtor = await requireDebtor(tx, admin, input.debtorId);
    const ids = [...new Set(input.itemIds ?? [])];
    const items = await itemsByIds(tx, admin.id, ids);
    if (items.length !== ids.length || items.some((i) => i.debtorId !== debtor.id)) throw invalid('the promise names items that are not items of this debtor', [{ field: 'itemIds', code: 'unknown_item', message: 'not an item of this debtor' }]);
    const closed = items.filter((i) => i.openCents <= 0);
    if (closed.length) throw invalid(`${closed.map((i) => i.number).join(', ')} has nothing open`, [{ field: 'itemIds', code: 'not_open', message: 'item is not open' }]);
    await checkPromiseTerms(tx, admin, debtor.id, ids, input, asOf);
    const id = await insertPromise(tx, admin.id, { debtorId: debtor.id, amountCents: input.amountCents, promisedDate: input.promisedDate, itemIds: ids, graceDays: grace, note: input.note ?? null, createdBy: actor });
    await addEvent(tx, admin.id, { debtorId: debtor.id, event: ev('promise_created', { amountCents: input.amountCents, date: input.promisedDate, numbers: items.map((i) => i.number), note: input.note ?? null }), data: { promiseId: id, amountCents: input.amountCents, promisedDate: input.promisedDate, itemIds: ids, graceDays: grace }, actor });
    await syncStatus(tx, admin, debtor.id, actor);
    return (await getPromise(tx, admin.id, id))!;
  });
}

/** What a promise may claim: the open amount of its items (none named: the debtor's balance, credit notes deducted), within the policy's days. */
async function checkPromiseTerms(q: Queryable, admin: Administration, debtorId: number, itemIds: readonly number[], p: { amountCents: number; promisedDate: string }, asOf: string): Promise<void> {
  const openCents = itemIds.length ? (await itemsByIds(q, admin.id, itemIds)).reduce((s, i) => s + Math.max(0, i.openCents), 0) : (await debtorBalance(q, debtorId, asOf)).balanceCents;
  const problems = promiseProblems({ amountCents: Number.isSafeInteger(p.amountCents) ? p.amountCents : 0, promisedDate: p.promisedDate }, { openCents, asOf, limits: careLimitsOf(admin) });
  if (problems.length) throw invalid(`the promise does not fit: ${problems.map((x) => x.message).join('; ')}`, problems);
}

export type PromiseChange = { amountCents?: number; promisedDate?: string; note?: string | null };

/** Change an open promise's amount or date (a new agreement with the debtor), checked like a new one and recorded. */
export async function changePromise(db: Db, admin: Administration, id: number, change: PromiseChange, asOf: string, actor: Actor = null): Promise<PromiseToPay> {
  if (change.promisedDate !== undefined) requireDate('promisedDate', change.promisedDate);
  return db.transaction(async (tx) => {
    const p = await getPromise(tx, admin.id, id);
    if (!p) throw notFound(`promise ${id}`);
    if (p.status !== 'open') throw new AppError('conflict', `promise ${id} is ${p.status} already`);
    const next = { amountCents: change.amountCents ?? p.amountCents, promisedDate: change.promisedDate ?? p.promisedDate, note: change.note === undefined ? p.note : change.note };
    if (next.amountCents === p.amountCents && next.promisedDate === p.promisedDate && next.note === p.note) return p;
    await checkPromiseTerms(tx, admin, p.debtorId, p.itemIds, next, asOf);
    await updatePromiseTerms(tx, admin.id, id, next);
    await addEvent(tx, admin.id, {
      debtorId: p.debtorId, event: ev('promise_changed', { from: { amountCents: p.amountCents, date: p.promisedDate }, to: { amountCents: next.amountCents, date: next.promisedDate }, note: next.note ?? null }),
      data: { promiseId: id, from: { amountCents: p.amountCents, promisedDate: p.promisedDate }, to: { amountCents: next.amountCents, promisedDate: next.promisedDate } }, actor,
    });
    return (await getPromise(tx, admin.id, id))!;
  });
}

/** The items a promise covers: its own, or (none named) every item of the debtor. */
async function coveredItems(q: Queryable, admin: Administration, p: PromiseToPay): Promise<{ ids: number[]; settled: boolean }> {
  if (p.itemIds.length) {
    const items = await itemsByIds(q, admin.id, p.itemIds);
    return { ids: p.itemIds, settled: items.every((i) => i.openCents <= 0) };
  }
  const all = await q.query<{ id: number; open_cents: number; kind: string }>('SELECT id, open_cents, kind FROM items WHERE administration_id = $1 AND debtor_id = $2', [admin.id, p.debtorId]);
  return { ids: all.map((i) => i.id), settled: all.every((i) => i.kind !== 'invoice' || i.open_cents <= 0) };
}

export type PromiseCheck = { promiseId: number; debtorId: number; paidCents: number; status: 'open' | 'kept' | 'broken' };

/** Check open promises as of a date; kept → recorded, broken → task + timeline. */
export async function checkPromises(db: Db, admin: Administration, asOf: string, actor: Actor = null, only?: { debtorId?: number }): Promise<{ kept: number; broken: number; results: PromiseCheck[] }> {
  requireDate('asOf', asOf);
  return db.transaction(async (tx) => {
    const results: PromiseCheck[] = [];
    for (const p of await listPromises(tx, admin.id, { status: 'open', debtorId: only?.debtorId })) {
      const cov = await coveredItems(tx, admin, p);
      const paid = await paymentsSince(tx, cov.ids, p.createdAt, asOf);
      const status = evaluatePromise(p, paid, cov.settled, asOf);
      results.push({ promiseId: p.id, debtorId: p.debtorId, paidCents: paid, status });
      if (status === 'open') continue;
      await setPromiseStatus(tx, p.id, status);
      if (status === 'kept') {
        await addEvent(tx, admin.id, { debtorId: p.debtorId, event: ev('promise_kept', { paidCents: paid, amountCents: p.amountCents, date: p.promisedDate }), data: { promiseId: p.id, paidCents: paid }, actor });
      } else {
        const taskId = await insertTask(tx, admin.id, {
          debtorId: p.debtorId, itemIds: p.itemIds, kind: 'broken_promise', title: `Belofte niet nagekomen: ${formatMoney(p.amountCents)} op ${p.promisedDate}`,
          reason: paid > 0 ? `${formatMoney(paid)} van ${formatMoney(p.amountCents)} ontvangen` : 'niets ontvangen', dueDate: asOf, assignedTo: p.createdBy, sourceType: 'promise', sourceId: p.id,
        });
        await addEvent(tx, admin.id, { debtorId: p.debtorId, event: ev('promise_broken', { paidCents: paid, amountCents: p.amountCents, date: p.promisedDate }), data: { promiseId: p.id, paidCents: paid, taskId }, actor });
      }
      await syncStatus(tx, admin, p.debtorId, actor);
    }
    return { kept: results.filter((r) => r.status === 'kept').length, broken: results.filter((r) => r.status === 'broken').length, results };
  });
}

export async function cancelPromise(db: Db, admin: Administration, id: number, actor: Actor = null): Promise<PromiseToPay> {
  return db.transaction(async (tx) => {
    const p = await getPromise(tx, admin.id, id);
    if (!p) throw notFound(`promise ${id}`);
    if (p.status !== 'open') throw new AppError('conflict', `promise ${id} is ${p.status} already`);
    await setPromiseStatus(tx, id, 'cancelled');
    await addEvent(tx, admin.id, { debtorId: p.debtorId, event: ev('promise_cancelled', { amountCents: p.amountCents, date: p.promisedDate }), data: { promiseId: id }, actor });
    await syncStatus(tx, admin, p.debtorId, actor);
    return (await getPromise(tx, admin.id, id))!;
  });
}

export async function promises(db: Queryable, admin: Administration, f: { debtorId?: number; status?: string } = {}): Promise<PromiseToPay[]> {
  return listPromises(db, admin.id, f);
}
