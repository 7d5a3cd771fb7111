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
 * pending collection.
 */
export async function collectCandidates(q: Queryable, administrationId: number, date: string): Promise<CollectCandidate[]> {
  const rows = await q.query<{ item_id: number; number: string; debtor_id: number; debtor_number: string; debtor_name: string; debtor_type: 'business' | 'consumer'; due_date: string; open_cents: number; payment_reference: string | null }>(
    `SELECT i.id AS item_id, i.number, d.id AS debtor_id, d.number AS debtor_number, d.name AS debtor_name, d.type AS debtor_type, i.due_date, i.open_cents, i.payment_reference
       FROM items i JOIN debtors d ON d.id = i.debtor_id
      WHERE i.administration_id = $1 AND i.kind = 'invoice' AND i.open_cents > 0 AND i.currency = 'EUR' AND i.due_date <= $2::date
        AND NOT i.on_hold AND NOT d.on_hold
        AND EXISTS (SELECT 1 FROM mandates m WHERE m.administration_id = i.administration_id AND m.debtor_id = d.id AND (m.status = 'active' OR m.revoked_at > $2::date))
        AND NOT EXISTS (SELECT 1 FROM dispute_items di JOIN disputes ds ON ds.id = di.dispute_id WHERE di.item_id = i.id AND ds.status = 'open')
        AND NOT EXISTS (SELECT 1 FROM collection_items ci WHERE ci.item_id = i.id AND ci.status = 'pending')
      ORDER BY d.number, i.due_date, i.id`,
    [administrationId, date],
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
export type NewCollectionItem = { itemId: number; mandateId: number; endToEndId: string; paymentInfoId: string; sequenceType: string; amountCents: number };

export async function insertBatch(q: Queryable, administrationId: number, b: NewBatch, items: readonly NewCollectionItem[]): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO collection_batches (administration_id, message_id, collection_date, format, tx_count, total_cents, xml, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [administrationId, b.messageId, b.collectionDate, b.format, b.txCount, b.totalCents, b.xml, b.createdBy],
  );
  const id = r!.id;
  await q.query(
    `INSERT INTO collection_items (administration_id, batch_id, item_id, mandate_id, end_to_end_id, payment_info_id, sequence_type, amount_cents)
     SELECT $1, $2, t.i, t.m, t.e, t.p, t.s, t.a FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::bigint[]) AS t(i, m, e, p, s, a)`,
    [administrationId, id, items.map((x) => x.itemId), items.map((x) => x.mandateId), items.map((x) => x.endToEndId), items.map((x) => x.paymentInfoId), items.map((x) => x.sequenceType), items.map((x) => x.amountCents)],
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
