/**
 * Use cases of the open-items ledger: debtors and items (create, change, hold/release),
 * lists, aging, credit notes set against invoices, write-offs. Every change is on the timeline.
 */
import { currencyProblem, normaliseCurrency } from '../domain/currency.ts';
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { getDebtor, getDebtorByNumber, insertDebtor, listDebtors, updateDebtor, type Debtor, type DebtorFilter, type DebtorInput } from '../store/debtors.ts';
import { changeItemAmount, getItem, getItemByNumber, hasAllocations, insertItem, listItemAllocations, listItems, updateItemFields, type Item, type ItemFilter } from '../store/items.ts';
import { addEvent, listEvents, listItemEvents } from '../store/events.ts';
import { ev } from '../domain/events.ts';
import { insertBooking, reverseBooking } from '../store/bookings.ts';
import { agingByDebtor, agingTotals } from '../store/aging.ts';
import { reserveReferenceCounters } from '../store/administrations.ts';
import { generatePaymentReference, isValidBetalingskenmerk, isValidIban, isValidRf, normalizeIban } from '../domain/references.ts';
import { addDays, isIsoDate } from '../domain/dates.ts';
import { formatCents } from '../domain/money.ts';
import { AppError, invalid, notFound, type Problem } from './errors.ts';

export type Actor = string | null;

// ------------------------------------------------------------------ debtors

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

function validateDebtorInput(input: DebtorInput, creating: boolean): DebtorInput {
  const problems: Problem[] = [];
  const out: DebtorInput = { ...input };
  if (creating && !input.number?.trim()) problems.push({ field: 'number', code: 'required', message: 'number is required' });
  if ((creating || input.name !== undefined) && !input.name?.trim()) problems.push({ field: 'name', code: 'required', message: 'name is required' });
  if (input.type !== undefined && !['business', 'consumer'].includes(input.type)) problems.push({ field: 'type', code: 'invalid', message: 'type must be business or consumer' });
  if (input.language !== undefined && !['nl', 'en'].includes(input.language)) problems.push({ field: 'language', code: 'invalid', message: 'language must be nl or en' });
  for (const e of input.emails ?? []) if (!EMAIL.test(e)) problems.push({ field: 'emails', code: 'invalid', message: `"${e}" is not an email address` });
  if (input.ibans) {
    out.ibans = input.ibans.map(normalizeIban);
    for (const i of out.ibans) if (!isValidIban(i)) problems.push({ field: 'ibans', code: 'invalid_iban', message: `"${i}" is not a valid IBAN`, params: { value: i } });
  }
  if (input.creditLimitCents !== undefined && input.creditLimitCents !== null && (!Number.isSafeInteger(input.creditLimitCents) || input.creditLimitCents < 0))
    problems.push({ field: 'creditLimit', code: 'invalid', message: 'credit limit must be a non-negative amount' });
  if (input.paymentTermDays !== undefined && input.paymentTermDays !== null && (!Number.isInteger(input.paymentTermDays) || input.paymentTermDays < 0 || input.paymentTermDays > 365))
    problems.push({ field: 'paymentTermDays', code: 'invalid', message: 'payment term must be 0–365 days' });
  if (problems.length) throw invalid('the debtor has invalid fields', problems);
  return out;
}

export async function createDebtor(db: Db, admin: Administration, input: DebtorInput & { number: string; name: string }, actor: Actor = null): Promise<Debtor> {
  const v = validateDebtorInput(input, true);
  return db.transaction(async (tx) => {
    if (await getDebtorByNumber(tx, admin.id, input.number)) throw new AppError('conflict', `debtor ${input.number} exists already`);
    const id = await insertDebtor(tx, admin.id, { ...v, number: input.number.trim(), name: input.name.trim() });
    await addEvent(tx, admin.id, { debtorId: id, event: ev('debtor_created', {}), actor });
    return (await getDebtor(tx, admin.id, id))!;
  });
}

export async function changeDebtor(db: Db, admin: Administration, id: number, input: DebtorInput, actor: Actor = null): Promise<Debtor> {
  const v = validateDebtorInput(input, false);
  return db.transaction(async (tx) => {
    if (v.number !== undefined) {
      const other = await getDebtorByNumber(tx, admin.id, v.number);
      if (other && other.id !== id) throw new AppError('conflict', `debtor number ${v.number} is taken`);
    }
    const changes = await updateDebtor(tx, admin.id, id, v);
    if (!changes) throw notFound(`debtor ${id}`);
    const keys = Object.keys(changes);
    if (keys.length) {
      const holdChange = keys.includes('onHold');
      const event = holdChange ? (v.onHold ? ev('debtor_hold', { reason: v.holdReason ?? null }) : ev('debtor_release', {})) : ev('debtor_updated', { fields: keys });
      await addEvent(tx, admin.id, { debtorId: id, event, data: { changes }, actor });
    }
    return (await getDebtor(tx, admin.id, id))!;
  });
}

export async function findDebtor(db: Queryable, admin: Administration, idOrNumber: string | number): Promise<Debtor> {
  const d = typeof idOrNumber === 'number' ? await getDebtor(db, admin.id, idOrNumber) : await getDebtorByNumber(db, admin.id, idOrNumber);
  if (!d) throw notFound(`debtor ${idOrNumber}`);
  return d;
}

export async function setDebtorHold(db: Db, admin: Administration, id: number, hold: boolean, reason: string | null, actor: Actor = null): Promise<Debtor> {
  if (hold && !reason?.trim()) throw invalid('a reason is required to put a debtor on hold', [{ field: 'reason', code: 'required', message: 'reason is required' }]);
  return changeDebtor(db, admin, id, { onHold: hold, holdReason: hold ? reason!.trim() : null }, actor);
}

export { listDebtors, type DebtorFilter };

export async function debtorTimeline(db: Queryable, admin: Administration, debtorId: number, opts: { limit?: number; before?: number } = {}) {
  await findDebtor(db, admin, debtorId);
  return listEvents(db, admin.id, debtorId, opts);
}

// ------------------------------------------------------------------ items

export type ItemInput = {
  debtorId?: number;
  debtorNumber?: string;
  number: string;
  issueDate: string;
  dueDate?: string | null;
  amountCents: number;
  currency?: string;
  description?: string | null;
  paymentReference?: string | null;
};

function validateReference(ref: string): boolean {
  // RF must be valid; 16 digits claim to be a betalingskenmerk and must check; else a free reference.
  if (/^RF/i.test(ref)) return isValidRf(ref);
  if (/^\d{16}$/.test(ref)) return isValidBetalingskenmerk(ref);
  return ref.length <= 35;
}

export async function createItem(db: Db, admin: Administration, input: ItemInput, actor: Actor = null): Promise<Item> {
  const problems: Problem[] = [];
  if (!input.number?.trim()) problems.push({ field: 'number', code: 'required', message: 'number is required' });
  if (!isIsoDate(input.issueDate)) problems.push({ field: 'issueDate', code: 'invalid', message: 'issueDate must be YYYY-MM-DD' });
  if (input.dueDate && !isIsoDate(input.dueDate)) problems.push({ field: 'dueDate', code: 'invalid', message: 'dueDate must be YYYY-MM-DD' });
  if (input.dueDate && isIsoDate(input.issueDate) && input.dueDate < input.issueDate) problems.push({ field: 'dueDate', code: 'invalid', message: 'dueDate is before issueDate' });
  if (!Number.isSafeInteger(input.amountCents)) problems.push({ field: 'amount', code: 'invalid', message: 'amount must be a whole number of cents' });
  const currency = normaliseCurrency(input.currency ?? 'EUR') ?? (input.currency ?? '');
  if (!normaliseCurrency(currency)) problems.push({ field: 'currency', code: 'invalid', message: currencyProblem(input.currency ?? '') });
  const ref = input.paymentReference?.replace(/\s+/g, '') || null;
  if (ref && !validateReference(ref)) problems.push({ field: 'paymentReference', code: 'invalid', message: `"${ref}" is not a valid payment reference` });
  if (problems.length) throw invalid('the item has invalid fields', problems);
  return db.transaction(async (tx) => {
    const debtor = input.debtorId !== undefined ? await getDebtor(tx, admin.id, input.debtorId) : input.debtorNumber ? await getDebtorByNumber(tx, admin.id, input.debtorNumber) : null;
    if (!debtor) throw invalid('the item needs an existing debtor', [{ field: 'debtor', code: 'unknown_debtor', message: `debtor ${input.debtorId ?? input.debtorNumber ?? '(none)'} does not exist` }]);
    if (await getItemByNumber(tx, admin.id, input.number)) throw new AppError('conflict', `item ${input.number} exists already`);
    const reference = ref ?? generatePaymentReference(admin.referenceKind, admin.id, await reserveReferenceCounters(tx, admin.id, 1));
    const dueDate = input.dueDate ?? addDays(input.issueDate, debtor.paymentTermDays ?? 30);
    const id = await insertItem(tx, admin.id, {
      debtorId: debtor.id, kind: input.amountCents < 0 ? 'credit_note' : 'invoice', number: input.number.trim(), issueDate: input.issueDate, dueDate,
      amountCents: input.amountCents, currency, description: input.description ?? null, paymentReference: reference, source: 'api',
    });
    await addEvent(tx, admin.id, { debtorId: debtor.id, itemId: id, event: ev('item_created', { number: input.number, credit: input.amountCents < 0, amountCents: input.amountCents, currency }), actor });
    return (await getItem(tx, admin.id, id))!;
  });
}

export type ItemChange = { issueDate?: string; dueDate?: string; amountCents?: number; description?: string | null; paymentReference?: string | null };

export async function changeItem(db: Db, admin: Administration, id: number, input: ItemChange, actor: Actor = null): Promise<Item> {
  return db.transaction(async (tx) => {
    const before = await getItem(tx, admin.id, id);
    if (!before) throw notFound(`item ${id}`);
    const problems: Problem[] = [];
    if (input.issueDate !== undefined && !isIsoDate(input.issueDate)) problems.push({ field: 'issueDate', code: 'invalid', message: 'issueDate must be YYYY-MM-DD' });
    if (input.dueDate !== undefined && !isIsoDate(input.dueDate)) problems.push({ field: 'dueDate', code: 'invalid', message: 'dueDate must be YYYY-MM-DD' });
    if (input.amountCents !== undefined) {
      if (!Number.isSafeInteger(input.amountCents)) problems.push({ field: 'amount', code: 'invalid', message: 'amount must be a whole number of cents' });
      // by kind, not by the sign of the old amount: a credit note set to 0 stays a credit note (the CHECK constraint refused +5 with a 500)
      else if (before.kind === 'unapplied_payment' || (before.kind === 'invoice' ? input.amountCents < 0 : input.amountCents > 0))
        problems.push({ field: 'amount', code: 'invalid', message: 'an invoice cannot become a credit note (or the reverse): create a credit note instead' });
    }
    if (input.paymentReference && !validateReference(input.paymentReference.replace(/\s+/g, ''))) problems.push({ field: 'paymentReference', code: 'invalid', message: 'not a valid payment reference' });
    const issue = input.issueDate ?? before.issueDate, due = input.dueDate ?? before.dueDate;
    if ((input.issueDate !== undefined || input.dueDate !== undefined) && isIsoDate(issue) && isIsoDate(due) && due < issue)
      problems.push({ field: input.dueDate !== undefined ? 'dueDate' : 'issueDate', code: 'invalid', message: 'dueDate is before issueDate' });
    if (problems.length) throw invalid('the change has invalid fields', problems);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (input.amountCents !== undefined && input.amountCents !== before.amountCents) {
      if (await hasAllocations(tx, id)) throw new AppError('conflict', `item ${before.number} already has payments; its amount cannot change (credit or write off the difference)`);
      await changeItemAmount(tx, admin.id, id, input.amountCents);
      changes.amount = { from: formatCents(before.amountCents), to: formatCents(input.amountCents) };
    }
    const fields: Record<string, unknown> = {};
    for (const k of ['issueDate', 'dueDate', 'description', 'paymentReference'] as const) {
      const v = k === 'paymentReference' && input[k] ? input[k].replace(/\s+/g, '') : input[k]; // null clears it
      if (v !== undefined && v !== before[k]) {
        fields[k] = v;
        changes[k] = { from: before[k], to: v };
      }
    }
    await updateItemFields(tx, admin.id, id, fields);
    if (Object.keys(changes).length)
      await addEvent(tx, admin.id, { debtorId: before.debtorId, itemId: id, event: ev('item_updated', { number: before.number, fields: Object.keys(changes) }), data: { changes }, actor });
    return (await getItem(tx, admin.id, id))!;
  });
}

export async function setItemHold(db: Db, admin: Administration, id: number, hold: boolean, reason: string | null, actor: Actor = null): Promise<Item> {
  if (hold && !reason?.trim()) throw invalid('a reason is required to put an item on hold', [{ field: 'reason', code: 'required', message: 'reason is required' }]);
  return db.transaction(async (tx) => {
    const before = await getItem(tx, admin.id, id);
    if (!before) throw notFound(`item ${id}`);
    await updateItemFields(tx, admin.id, id, { onHold: hold, holdReason: hold ? reason!.trim() : null });
    if (before.onHold !== hold || (hold && before.holdReason !== reason))
      await addEvent(tx, admin.id, { debtorId: before.debtorId, itemId: id, event: hold ? ev('item_hold', { number: before.number, reason: reason ?? '' }) : ev('item_release', { number: before.number }), actor });
    return (await getItem(tx, admin.id, id))!;
  });
}

export async function findItem(db: Queryable, admin: Administration, idOrNumber: number | string): Promise<Item> {
  const it = typeof idOrNumber === 'number' ? await getItem(db, admin.id, idOrNumber) : await getItemByNumber(db, admin.id, idOrNumber);
  if (!it) throw notFound(`item ${idOrNumber}`);
  return it;
}

export async function itemDetail(db: Queryable, admin: Administration, id: number) {
  const item = await findItem(db, admin, id);
  return { item, payments: await listItemAllocations(db, admin.id, id), events: await listItemEvents(db, admin.id, id) };
}

export { listItems, type ItemFilter };

/**
 * Set a credit note (or a credit balance) against invoices of the same debtor. The credit's
 * open amount goes toward zero, each invoice's open amount down by the same total.
 */
export async function settleCredit(db: Db, admin: Administration, creditItemId: number, invoiceIds: readonly number[], date: string, actor: Actor = null): Promise<{ bookingId: number; settledCents: number }> {
  return db.transaction(async (tx) => {
    const credit = await getItem(tx, admin.id, creditItemId);
    if (!credit) throw notFound(`item ${creditItemId}`);
    if (credit.openCents >= 0) throw invalid(`${credit.number} has no open credit to settle`);
    let available = -credit.openCents;
    const allocations: { itemId: number; cents: number }[] = [];
    for (const invId of invoiceIds) {
      const inv = await getItem(tx, admin.id, invId);
      if (!inv) throw notFound(`item ${invId}`);
      if (inv.debtorId !== credit.debtorId) throw invalid(`${inv.number} belongs to another debtor`);
      if (inv.currency !== credit.currency) throw invalid(`${inv.number} is in ${inv.currency}, the credit in ${credit.currency}`);
      const take = Math.min(available, Math.max(0, inv.openCents));
      if (take > 0) {
        allocations.push({ itemId: inv.id, cents: take });
        available -= take;
      }
    }
    const settled = allocations.reduce((s, a) => s + a.cents, 0);
    if (!settled) throw invalid('nothing to settle: the invoices have no open amount');
    allocations.push({ itemId: credit.id, cents: -settled });
    const bookingId = await insertBooking(tx, admin.id, { kind: 'credit_note', date, allocations, actor, note: `${credit.number} verrekend` });
    await addEvent(tx, admin.id, { debtorId: credit.debtorId, itemId: credit.id, event: ev('credit_settled', { number: credit.number, invoices: allocations.length - 1, amountCents: settled, currency: credit.currency }), data: { bookingId }, actor });
    return { bookingId, settledCents: settled };
  });
}

export async function writeOff(db: Db, admin: Administration, itemId: number, date: string, reason: string, actor: Actor = null): Promise<{ bookingId: number }> {
  return db.transaction(async (tx) => {
    const it = await getItem(tx, admin.id, itemId);
    if (!it) throw notFound(`item ${itemId}`);
    if (it.openCents === 0) throw invalid(`${it.number} has nothing open`);
    const bookingId = await insertBooking(tx, admin.id, { kind: 'write_off', date, allocations: [{ itemId, cents: it.openCents }], actor, note: reason });
    await addEvent(tx, admin.id, { debtorId: it.debtorId, itemId, event: ev('write_off', { number: it.number, amountCents: it.openCents, currency: it.currency, reason }), data: { bookingId }, actor });
    return { bookingId };
  });
}

export async function undoBooking(db: Db, admin: Administration, bookingId: number, date: string, actor: Actor = null): Promise<number> {
  return db.transaction(async (tx) => {
    const r = await reverseBooking(tx, admin.id, bookingId, { date, actor });
    if (r === null) throw new AppError('conflict', `booking ${bookingId} does not exist or is already reversed`);
    return r;
  });
}

// ------------------------------------------------------------------ aging

export async function aging(db: Queryable, admin: Administration, asOf: string, opts: { debtors?: boolean; limit?: number; offset?: number } = {}) {
  if (!isIsoDate(asOf)) throw invalid('asOf must be YYYY-MM-DD', [{ field: 'asOf', code: 'invalid', message: 'asOf must be YYYY-MM-DD' }]);
  const totals = await agingTotals(db, admin.id, asOf);
  const debtors = opts.debtors ? await agingByDebtor(db, admin.id, asOf, { limit: opts.limit, offset: opts.offset }) : undefined;
  return { asOf, totals, debtors };
}

