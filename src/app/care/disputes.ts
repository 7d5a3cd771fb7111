/**
 * Disputes: on one or more items of a debtor, with a reason (the administration's list, which
 * the user can extend), an owner and a deadline. Only the disputed items are paused. Resolving
 * resumes the chase ('rejected', 'withdrawn'), or credits the items: 'credit_note' credits the
 * whole disputed open amount (the items close), 'partial_credit' a given amount (the rest is
 * chased again). The credit note is a new item, settled against the disputed items with the
 * ledger's settleCredit, all in one transaction.
 */
import type { Db, Queryable } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { addEvent } from '../../store/events.ts';
import { ev } from '../../domain/events.ts';
import { getDocument } from '../../store/documents.ts';
import { closeTasksOf, getDispute, insertDispute, insertTask, itemsByIds, itemsInOpenDisputes, listDisputes, resolveDisputeRow, upsertDisputeReasons, type Dispute } from '../../store/care.ts';
import { DISPUTE_RESOLUTIONS, KEY_PATTERN, type DisputeReasonDef, type DisputeResolution } from '../../domain/care/statuses.ts';
import { addDays } from '../../domain/dates.ts';
import { formatMoney } from '../../domain/money.ts';
import { createItem, settleCredit } from '../ledger.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { careSettingsOf, ensureDisputeReasons, requireDate, requireDebtor, syncStatus, txDb, type Actor } from './common.ts';

export async function disputeReasons(db: Queryable, admin: Administration): Promise<DisputeReasonDef[]> {
  return ensureDisputeReasons(db, admin);
}

export async function addDisputeReason(db: Db, admin: Administration, r: DisputeReasonDef): Promise<DisputeReasonDef[]> {
  if (!KEY_PATTERN.test(r.key)) throw invalid('the key must be lowercase letters, digits and _', [{ field: 'key', code: 'invalid', message: 'like not_delivered' }]);
  if (!r.labelNl?.trim() || !r.labelEn?.trim()) throw invalid('both labels are required', [{ field: 'label', code: 'required', message: 'labelNl and labelEn are required' }]);
  return db.transaction(async (tx) => {
    await ensureDisputeReasons(tx, admin);
    await upsertDisputeReasons(tx, admin.id, [{ key: r.key, labelNl: r.labelNl.trim(), labelEn: r.labelEn.trim() }]);
    return ensureDisputeReasons(tx, admin);
  });
}

export type DisputeInput = { debtorId: number; itemIds: number[]; reason: string; description?: string | null; owner?: string | null; deadline?: string | null };

export async function openDispute(db: Db, admin: Administration, input: DisputeInput, asOf: string, actor: Actor = null): Promise<Dispute> {
  if (input.deadline) requireDate('deadline', input.deadline);
  const ids = [...new Set(input.itemIds ?? [])];
  if (!ids.length) throw invalid('a dispute is about one or more items', [{ field: 'itemIds', code: 'required', message: 'name the disputed items' }]);
  return db.transaction(async (tx) => {
    const debtor = await requireDebtor(tx, admin, input.debtorId);
    const reasons = await ensureDisputeReasons(tx, admin);
    if (!reasons.some((r) => r.key === input.reason)) throw invalid(`unknown dispute reason "${input.reason}"`, [{ field: 'reason', code: 'invalid', message: `one of ${reasons.map((r) => r.key).join(', ')}` }]);
    const items = await itemsByIds(tx, admin.id, ids);
    if (items.length !== ids.length || items.some((i) => i.debtorId !== debtor.id)) throw invalid('the dispute names items that are not items of this debtor', [{ field: 'itemIds', code: 'unknown_item', message: 'not an item of this debtor' }]);
    const already = await itemsInOpenDisputes(tx, ids);
    if (already.length) throw new AppError('conflict', `${items.filter((i) => already.includes(i.id)).map((i) => i.number).join(', ')} is already in an open dispute`);
    const deadline = input.deadline ?? addDays(asOf, careSettingsOf(admin).disputeDays);
    const id = await insertDispute(tx, admin.id, { debtorId: debtor.id, reason: input.reason, description: input.description ?? null, owner: input.owner ?? null, deadline, itemIds: ids, createdBy: actor });
    const label = reasons.find((r) => r.key === input.reason)!.labelNl;
    await insertTask(tx, admin.id, { debtorId: debtor.id, itemIds: ids, kind: 'review_dispute', title: `Geschil beoordelen: ${items.map((i) => i.number).join(', ')} (${label})`, reason: input.description ?? null, dueDate: deadline, assignedTo: input.owner ?? null, sourceType: 'dispute', sourceId: id });
    await addEvent(tx, admin.id, { debtorId: debtor.id, itemId: ids.length === 1 ? ids[0] : null, event: ev('dispute_opened', { reason: { key: input.reason, nl: label, en: reasons.find((r) => r.key === input.reason)!.labelEn }, numbers: items.map((i) => i.number), description: input.description ?? null, deadline }), data: { disputeId: id, reason: input.reason, itemIds: ids, owner: input.owner ?? null, deadline }, actor });
    await syncStatus(tx, admin, debtor.id, actor);
    return (await getDispute(tx, admin.id, id))!;
  });
}

export type ResolveInput = { resolution: DisputeResolution; amountCents?: number; note?: string | null };
export type ResolveResult = { dispute: Dispute; creditItemId: number | null; creditCents: number };

export async function resolveDispute(db: Db, admin: Administration, id: number, input: ResolveInput, asOf: string, actor: Actor = null): Promise<ResolveResult> {
  requireDate('asOf', asOf);
  if (!(DISPUTE_RESOLUTIONS as readonly string[]).includes(input.resolution)) throw invalid(`resolution must be one of ${DISPUTE_RESOLUTIONS.join(', ')}`, [{ field: 'resolution', code: 'invalid', message: DISPUTE_RESOLUTIONS.join(', ') }]);
  return db.transaction(async (tx) => {
    const d = await getDispute(tx, admin.id, id);
    if (!d) throw notFound(`dispute ${id}`);
    if (d.status !== 'open') throw new AppError('conflict', `dispute ${id} is resolved already (${d.resolution})`);
    const items = await itemsByIds(tx, admin.id, d.itemIds);
    const open = items.filter((i) => i.openCents > 0);
    const openCents = open.reduce((s, i) => s + i.openCents, 0);
    let creditCents = 0;
    if (input.resolution === 'credit_note') creditCents = openCents;
    else if (input.resolution === 'partial_credit') {
      if (!Number.isSafeInteger(input.amountCents) || input.amountCents! <= 0) throw invalid('a partial credit needs a positive amount', [{ field: 'amount', code: 'required', message: 'the amount to credit' }]);
      if (input.amountCents! > openCents) throw invalid(`the credit ${formatMoney(input.amountCents!)} is more than the disputed open amount ${formatMoney(openCents)}`, [{ field: 'amount', code: 'too_large', message: 'more than the disputed open amount' }]);
      creditCents = input.amountCents!;
    }
    let creditItemId: number | null = null;
    if (creditCents > 0) {
      const inner = txDb(db, tx);
      const currency = open[0]!.currency;
      const credit = await createItem(inner, admin, { debtorId: d.debtorId, number: `CR-G${id}`, issueDate: asOf, dueDate: asOf, amountCents: -creditCents, currency, description: `Creditnota bij geschil #${id} (${d.reason})${input.note ? `: ${input.note}` : ''}` }, actor);
      await settleCredit(inner, admin, credit.id, open.map((i) => i.id), asOf, actor);
      creditItemId = credit.id;
    }
    await resolveDisputeRow(tx, id, input.resolution, input.note ?? null);
    await closeTasksOf(tx, admin.id, 'dispute', id, `opgelost: ${input.resolution}`, actor);
    await addEvent(tx, admin.id, { debtorId: d.debtorId, event: ev('dispute_resolved', { id, resolution: input.resolution, creditCents, creditNumber: creditCents > 0 ? `CR-G${id}` : null, continues: creditCents < openCents, note: input.note ?? null }), data: { disputeId: id, resolution: input.resolution, creditItemId, creditCents }, actor });
    await syncStatus(tx, admin, d.debtorId, actor);
    return { dispute: (await getDispute(tx, admin.id, id))!, creditItemId, creditCents };
  });
}

export async function disputes(db: Queryable, admin: Administration, f: { debtorId?: number; status?: string } = {}): Promise<Dispute[]> {
  return listDisputes(db, admin.id, f);
}

export async function findDispute(db: Queryable, admin: Administration, id: number): Promise<Dispute> {
  const d = await getDispute(db, admin.id, id);
  if (!d) throw notFound(`dispute ${id}`);
  return d;
}

export type ResentInvoice = { itemId: number; number: string; documentId: number; filename: string; contentType: string; content: Uint8Array; eventId: number };

/**
 * Re-send an invoice copy from a dispute: the stored document of the item (or of each disputed
 * item that has one), with a mail-out entry on the timeline. Delivery itself goes with the mail of
 * the dunning module; this returns the document to attach.
 */
export async function resendInvoice(db: Db, admin: Administration, disputeId: number, opts: { itemId?: number; to?: string | null } = {}, actor: Actor = null): Promise<ResentInvoice[]> {
  return db.transaction(async (tx) => {
    const d = await getDispute(tx, admin.id, disputeId);
    if (!d) throw notFound(`dispute ${disputeId}`);
    if (opts.itemId !== undefined && !d.itemIds.includes(opts.itemId)) throw invalid(`item ${opts.itemId} is not part of dispute ${disputeId}`);
    const items = (await itemsByIds(tx, admin.id, opts.itemId !== undefined ? [opts.itemId] : d.itemIds)).filter((i) => i.documentId !== null);
    if (!items.length) throw notFound(`a stored invoice document for dispute ${disputeId}`);
    const out: ResentInvoice[] = [];
    for (const it of items) {
      const doc = (await getDocument(tx, admin.id, it.documentId!))!;
      const eventId = await addEvent(tx, admin.id, { debtorId: d.debtorId, itemId: it.id, event: ev('mail_out', { copyOf: it.number, to: opts.to ?? null, disputeId }), data: { text: `Factuurkopie ${it.number}`, disputeId, to: opts.to ?? null, resent: true }, actor, documentId: doc.id });
      out.push({ itemId: it.id, number: it.number, documentId: doc.id, filename: doc.filename, contentType: doc.contentType, content: doc.content, eventId });
    }
    return out;
  });
}
