/** SEPA collection batches and their items: the one writer of `collection_batches` and `collection_items`. */
import type { Queryable } from './db.ts';
import type { Mandate } from './mandates.ts';
import { listMandates } from './mandates.ts';

export type CollectCandidate = {
  itemId: number; number: string; debtorId: number; debtorNumber: string; debtorName: string; debtorType: 'business' | 'consumer';
  dueDate: string; openCents: number; paymentReference: string | null;
};

/**
 * Open invoices in euro due on or before `date` of debtors that have a mandate, leaving out what
 * must not be collected: items or debtors on hold, items in an open dispute, items already in a
 * pending collection, and items whose debit came back (the return loop retries AM04 once itself;
 * after that the invoice is dunned, not collected again).
 */
export async function collectCandidates(q: Queryable, administrationId: number, date: string): Promise<CollectCandidate[]> {
  const rows = await q.query<{ item_id: number; number: string; debtor_id: number; debtor_number: string; debtor_name: string; debtor_type: 'business' | 'consumer'; due_date: string; open_cents: number; payment_reference: string | null }>(
    `SELECT i.id AS item_id, i.number, d.id AS debtor_id, d.number AS debtor_number, d.name AS debtor_name, d.type AS debtor_type, i.due_date, i.open_cents, i.payment_reference
       FROM items i JOIN debtors d ON d.id = i.debtor_id
      WHERE i.administration_id = $1 AND i.kind = 'invoice' AND i.open_cents > 0 AND i.currency = 'EUR' AND i.due_date <= $2::date
        AND NOT i.on_hold AND NOT d.on_hold
        AND EXISTS (SELECT 1 FROM mandates m WHERE m.administration_id = i.administration_id AND m.debtor_id = d.id AND (m.status = 'active' OR m.revoked_at > $2::date))
        AND NOT EXISTS (SELECT 1 FROM dispute_items di JOIN disputes ds ON ds.id = di.dispute_id WHERE di.item_id = i.id AND ds.status = 'open')
        AND NOT EXISTS (SELECT 1 FROM collection_items ci WHERE ci.item_id = i.id AND ci.status IN ('pending', 'returned'))
      ORDER BY d.number, i.due_date, i.id`,
    [administrationId, date],
  );
  return rows.map((r) => ({
    itemId: r.item_id, number: r.number, debtorId: r.debtor_id, debtorNumber: r.debtor_number, debtorName: r.debtor_name, debtorType: r.debtor_type,
    dueDate: r.due_date, openCents: r.open_cents, paymentReference: r.payment_reference,
  }));
}

/** These items as collection candidates (open, in euro, not on hold, not in a pending collection), whatever their due date: an AM04 retry. */
export async function candidatesByItemIds(q: Queryable, administrationId: number, itemIds: readonly number[]): Promise<CollectCandidate[]> {
  if (!itemIds.length) return [];
  const rows = await q.query<{ item_id: number; number: string; debtor_id: number; debtor_number: string; debtor_name: string; debtor_type: 'business' | 'consumer'; due_date: string; open_cents: number; payment_reference: string | null }>(
    `SELECT i.id AS item_id, i.number, d.id AS debtor_id, d.number AS debtor_number, d.name AS debtor_name, d.type AS debtor_type, i.due_date, i.open_cents, i.payment_reference
       FROM items i JOIN debtors d ON d.id = i.debtor_id
      WHERE i.administration_id = $1 AND i.id = ANY($2::bigint[]) AND i.kind = 'invoice' AND i.open_cents > 0 AND i.currency = 'EUR' AND NOT i.on_hold AND NOT d.on_hold
        AND NOT EXISTS (SELECT 1 FROM collection_items ci WHERE ci.item_id = i.id AND ci.status = 'pending')
      ORDER BY d.number, i.due_date, i.id`,
    [administrationId, itemIds],
  );
  return rows.map((r) => ({
    itemId: r.item_id, number: r.number, debtorId: r.debtor_id, debtorNumber: r.debtor_number, debtorName: r.debtor_name, debtorType: r.debtor_type,
    dueDate: r.due_date, openCents: r.open_cents, paymentReference: r.payment_reference,
  }));
}

/** The mandates of these debtors not revoked on or before `date` (revocation takes effect on its date). */
export async function activeMandatesOf(q: Queryable, administrationId: number, debtorIds: readonly number[], date: string): Promise<Mandate[]> {
  const set = new Set(debtorIds);
  return (await listMandates(q, administrationId)).filter((m) => set.has(m.debtorId) && (m.revokedAt === null || m.revokedAt > date));
}

export async function countBatches(q: Queryable, administrationId: number): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM collection_batches WHERE administration_id = $1', [administrationId]);
  return r!.n;
}

export type NewBatch = { messageId: string; collectionDate: string; format: string; txCount: number; totalCents: number; xml: string; createdBy: string | null };
export type NewCollectionItem = { itemId: number; mandateId: number; endToEndId: string; paymentInfoId: string; sequenceType: string; amountCents: number; retryOf?: number | null };

export async function insertBatch(q: Queryable, administrationId: number, b: NewBatch, items: readonly NewCollectionItem[]): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO collection_batches (administration_id, message_id, collection_date, format, tx_count, total_cents, xml, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [administrationId, b.messageId, b.collectionDate, b.format, b.txCount, b.totalCents, b.xml, b.createdBy],
  );
  const id = r!.id;
  await q.query(
    `INSERT INTO collection_items (administration_id, batch_id, item_id, mandate_id, end_to_end_id, payment_info_id, sequence_type, amount_cents, retry_of)
     SELECT $1, $2, t.i, t.m, t.e, t.p, t.s, t.a, t.r FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[]) AS t(i, m, e, p, s, a, r)`,
    [administrationId, id, items.map((x) => x.itemId), items.map((x) => x.mandateId), items.map((x) => x.endToEndId), items.map((x) => x.paymentInfoId), items.map((x) => x.sequenceType), items.map((x) => x.amountCents), items.map((x) => x.retryOf ?? null)],
  );
  return id;
}

export type BatchSummary = { id: number; messageId: string; collectionDate: string; format: string; txCount: number; totalCents: number; createdAt: string };

export async function listBatches(q: Queryable, administrationId: number): Promise<BatchSummary[]> {
  const rows = await q.query<{ id: number; message_id: string; collection_date: string; format: string; tx_count: number; total_cents: number; created_at: Date | string }>(
    'SELECT id, message_id, collection_date, format, tx_count, total_cents, created_at FROM collection_batches WHERE administration_id = $1 ORDER BY id DESC',
    [administrationId],
  );
  return rows.map((r) => ({ id: r.id, messageId: r.message_id, collectionDate: r.collection_date, format: r.format, txCount: r.tx_count, totalCents: r.total_cents, createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at) }));
}

/** Items in a pending collection (paused from dunning until the outcome is known). */
export async function itemsInPendingCollection(q: Queryable, administrationId: number): Promise<Set<number>> {
  const rows = await q.query<{ item_id: number }>(`SELECT item_id FROM collection_items WHERE administration_id = $1 AND status = 'pending'`, [administrationId]);
  return new Set(rows.map((r) => Number(r.item_id)));
}

/** The pain.008 file of a batch, as written. */
export async function getBatchFile(q: Queryable, administrationId: number, id: number): Promise<{ messageId: string; format: string; xml: string } | null> {
  const [r] = await q.query<{ message_id: string; format: string; xml: string }>('SELECT message_id, format, xml FROM collection_batches WHERE administration_id = $1 AND id = $2', [administrationId, id]);
  return r ? { messageId: r.message_id, format: r.format, xml: r.xml } : null;
}

// ------------------------------------------------------------------ the return loop

export type CollectedItem = {
  id: number; batchId: number; messageId: string; format: string; collectionDate: string; itemId: number; itemNumber: string; debtorId: number; debtorNumber: string;
  mandateId: number; mandateCode: string; endToEndId: string; paymentInfoId: string; amountCents: number; status: 'pending' | 'settled' | 'returned';
  settledCents: number | null; creditItemId: number | null; retryOf: number | null; returnReason: string | null;
};

const COLLECTED_SELECT = `SELECT ci.id, ci.batch_id, b.message_id, b.format, b.collection_date, ci.item_id, i.number AS item_number, i.debtor_id, d.number AS debtor_number,
    ci.mandate_id, m.mandate_id AS mandate_code, ci.end_to_end_id, ci.payment_info_id, ci.amount_cents, ci.status, ci.settled_cents, ci.credit_item_id, ci.retry_of, ci.return_reason
  FROM collection_items ci JOIN collection_batches b ON b.id = ci.batch_id JOIN items i ON i.id = ci.item_id JOIN debtors d ON d.id = i.debtor_id JOIN mandates m ON m.id = ci.mandate_id`;

type CollectedRow = {
  id: number; batch_id: number; message_id: string; format: string; collection_date: string; item_id: number; item_number: string; debtor_id: number; debtor_number: string;
  mandate_id: number; mandate_code: string; end_to_end_id: string; payment_info_id: string; amount_cents: number; status: CollectedItem['status'];
  settled_cents: number | null; credit_item_id: number | null; retry_of: number | null; return_reason: string | null;
};
const toCollected = (r: CollectedRow): CollectedItem => ({
  id: r.id, batchId: r.batch_id, messageId: r.message_id, format: r.format, collectionDate: r.collection_date, itemId: r.item_id, itemNumber: r.item_number, debtorId: r.debtor_id,
  debtorNumber: r.debtor_number, mandateId: r.mandate_id, mandateCode: r.mandate_code, endToEndId: r.end_to_end_id, paymentInfoId: r.payment_info_id, amountCents: r.amount_cents,
  status: r.status, settledCents: r.settled_cents, creditItemId: r.credit_item_id, retryOf: r.retry_of, returnReason: r.return_reason,
});

/** Whether the administration ever collected (the return loop costs nothing for those that did not). */
export async function hasCollections(q: Queryable, administrationId: number): Promise<boolean> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM collection_items WHERE administration_id = $1 LIMIT 1) x', [administrationId]);
  return r!.n > 0;
}

/** Collected items by their EndToEndId, locked for the caller's transaction. */
export async function collectedByEndToEnd(q: Queryable, administrationId: number, ids: readonly string[]): Promise<CollectedItem[]> {
  if (!ids.length) return [];
  const rows = await q.query<CollectedRow>(`${COLLECTED_SELECT} WHERE ci.administration_id = $1 AND ci.end_to_end_id = ANY($2::text[]) ORDER BY ci.id FOR UPDATE OF ci`, [administrationId, ids]);
  return rows.map(toCollected);
}

/** Pending collected items of these payment information blocks (PmtInfId), locked. */
export async function pendingByPaymentInfo(q: Queryable, administrationId: number, ids: readonly string[]): Promise<CollectedItem[]> {
  if (!ids.length) return [];
  const rows = await q.query<CollectedRow>(`${COLLECTED_SELECT} WHERE ci.administration_id = $1 AND ci.payment_info_id = ANY($2::text[]) AND ci.status = 'pending' ORDER BY ci.id FOR UPDATE OF ci`, [administrationId, ids]);
  return rows.map(toCollected);
}

export async function markSettled(q: Queryable, administrationId: number, rows: readonly { id: number; lineId: number; bookingId: number; settledCents: number; creditItemId: number | null }[]): Promise<void> {
  if (!rows.length) return;
  await q.query(
    `UPDATE collection_items ci SET status = 'settled', settled_line_id = u.l, settled_booking_id = u.b, settled_cents = u.c, credit_item_id = u.ci
       FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[]) AS u(id, l, b, c, ci) WHERE ci.administration_id = $1 AND ci.id = u.id`,
    [administrationId, rows.map((r) => r.id), rows.map((r) => r.lineId), rows.map((r) => r.bookingId), rows.map((r) => r.settledCents), rows.map((r) => r.creditItemId)],
  );
}

export async function markReturned(q: Queryable, administrationId: number, r: { id: number; lineId: number; reason: string; kind: string; action: string; date: string }): Promise<void> {
  await q.query(
    `UPDATE collection_items SET status = 'returned', returned_line_id = $3, return_reason = $4, return_kind = $5, return_action = $6, returned_on = $7 WHERE administration_id = $1 AND id = $2`,
    [administrationId, r.id, r.lineId, r.reason, r.kind, r.action, r.date],
  );
}

/** End a mandate because of a return reason (MD01, AC04 …): revoked on that date, with the reason. */
export async function endMandate(q: Queryable, administrationId: number, mandateId: number, date: string, reason: string): Promise<boolean> {
  const rows = await q.query<{ id: number }>(
    `UPDATE mandates SET status = 'revoked', revoked_at = $3, end_reason = $4 WHERE administration_id = $1 AND id = $2 AND status = 'active' RETURNING id`,
    [administrationId, mandateId, date, reason],
  );
  return rows.length > 0;
}

export type BatchOutcome = BatchSummary & { pending: number; settled: number; returned: number; retry: boolean };

/** Every batch with the outcome of its items (pending, settled, returned), newest first. */
export async function batchOutcomes(q: Queryable, administrationId: number): Promise<BatchOutcome[]> {
  const rows = await q.query<{ id: number; message_id: string; collection_date: string; format: string; tx_count: number; total_cents: number; created_at: Date | string; pending: number; settled: number; returned: number; retry: boolean }>(
    `SELECT b.id, b.message_id, b.collection_date, b.format, b.tx_count, b.total_cents, b.created_at,
            count(*) FILTER (WHERE ci.status = 'pending')::int AS pending, count(*) FILTER (WHERE ci.status = 'settled')::int AS settled,
            count(*) FILTER (WHERE ci.status = 'returned')::int AS returned, bool_or(ci.retry_of IS NOT NULL) AS retry
       FROM collection_batches b LEFT JOIN collection_items ci ON ci.batch_id = b.id
      WHERE b.administration_id = $1 GROUP BY b.id ORDER BY b.id DESC`,
    [administrationId],
  );
  return rows.map((r) => ({
    id: r.id, messageId: r.message_id, collectionDate: r.collection_date, format: r.format, txCount: r.tx_count, totalCents: r.total_cents,
    createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at), pending: r.pending, settled: r.settled, returned: r.returned, retry: r.retry === true,
  }));
}

export type ReturnRow = { collectionItemId: number; batchId: number; messageId: string; itemNumber: string; debtorId: number; debtorNumber: string; debtorName: string; endToEndId: string; amountCents: number; reason: string; kind: string; action: string; returnedOn: string };

/** The returned collections, newest first (optionally of one debtor). */
export async function listReturns(q: Queryable, administrationId: number, debtorId: number | null = null): Promise<ReturnRow[]> {
  const rows = await q.query<{ id: number; batch_id: number; message_id: string; number: string; debtor_id: number; debtor_number: string; debtor_name: string; end_to_end_id: string; amount_cents: number; return_reason: string; return_kind: string; return_action: string; returned_on: string }>(
    `SELECT ci.id, ci.batch_id, b.message_id, i.number, d.id AS debtor_id, d.number AS debtor_number, d.name AS debtor_name, ci.end_to_end_id, ci.amount_cents, ci.return_reason, ci.return_kind, ci.return_action, ci.returned_on
       FROM collection_items ci JOIN collection_batches b ON b.id = ci.batch_id JOIN items i ON i.id = ci.item_id JOIN debtors d ON d.id = i.debtor_id
      WHERE ci.administration_id = $1 AND ci.status = 'returned' AND ($2::bigint IS NULL OR d.id = $2) ORDER BY ci.returned_on DESC, ci.id DESC`,
    [administrationId, debtorId],
  );
  return rows.map((r) => ({ collectionItemId: r.id, batchId: r.batch_id, messageId: r.message_id, itemNumber: r.number, debtorId: r.debtor_id, debtorNumber: r.debtor_number, debtorName: r.debtor_name, endToEndId: r.end_to_end_id, amountCents: r.amount_cents, reason: r.return_reason, kind: r.return_kind, action: r.return_action, returnedOn: r.returned_on }));
}

export type CollectionHistoryRow = { collectionItemId: number; messageId: string; collectionDate: string; itemNumber: string; endToEndId: string; amountCents: number; status: string; reason: string | null; mandateId: string };

/** One debtor's collections, newest first: the debtor page's history. */
export async function debtorCollections(q: Queryable, administrationId: number, debtorId: number): Promise<CollectionHistoryRow[]> {
  const rows = await q.query<{ id: number; message_id: string; collection_date: string; number: string; end_to_end_id: string; amount_cents: number; status: string; return_reason: string | null; mandate_id: string }>(
    `SELECT ci.id, b.message_id, b.collection_date, i.number, ci.end_to_end_id, ci.amount_cents, ci.status, ci.return_reason, m.mandate_id
       FROM collection_items ci JOIN collection_batches b ON b.id = ci.batch_id JOIN items i ON i.id = ci.item_id JOIN mandates m ON m.id = ci.mandate_id
      WHERE ci.administration_id = $1 AND i.debtor_id = $2 ORDER BY b.collection_date DESC, ci.id DESC`,
    [administrationId, debtorId],
  );
  return rows.map((r) => ({ collectionItemId: r.id, messageId: r.message_id, collectionDate: r.collection_date, itemNumber: r.number, endToEndId: r.end_to_end_id, amountCents: r.amount_cents, status: r.status, reason: r.return_reason, mandateId: r.mandate_id }));
}
