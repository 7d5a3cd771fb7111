/**
 * Debtor care: statuses, dispute reasons, promises to pay, disputes, payment plans, tasks,
 * segments, and the facts behind payment behaviour. Plain data-access functions, database handle
 * first; the caller owns the transaction.
 */
import type { Queryable } from './db.ts';
import { addMonths } from '../domain/dates.ts';
import { DEFAULT_STATUSES, type DebtorStatusDef, type DisputeReasonDef } from '../domain/care/statuses.ts';
import type { SegmentRules } from '../domain/care/segments.ts';

const iso = (v: Date | string | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : String(v));

/** Payments count toward promises and plans; credit notes and write-offs do not (nor their reversals). */
const PAYMENT_ALLOCATIONS = `allocations al JOIN bookings b ON b.id = al.booking_id
  LEFT JOIN bookings rb ON rb.id = b.reverses_id
  WHERE (b.kind IN ('bank', 'manual', 'psp') OR (b.kind = 'reversal' AND rb.kind IN ('bank', 'manual', 'psp')))`;

// ------------------------------------------------------------------ chase gates

export type ChaseGates = {
  pausedStatuses: Set<string>;
  promiseByDebtor: Map<number, { until: string; itemIds: number[] | 'all' }>;
  planDebtors: Set<number>;
  disputedItems: Set<number>;
  /** Items in a pending SEPA collection: paused until the bank's outcome is known. */
  collectingItems: Set<number>;
  /** Debtors to collect instead of remind (the debtor's or its segment's policy) that have an active mandate. */
  collectDebtors: Set<number>;
  /** Items whose direct debit came back: dunned again whatever the policy. */
  returnedItems: Set<number>;
};

/**
 * Who the dunning run must leave alone as of a date: statuses that pause the chase, open promises
 * (paused until promised date + grace; several promises of one debtor: the latest date, their
 * items together, or all when one covers all), debtors with an active payment plan, and items in
 * an open dispute or in a pending SEPA collection batch. Statuses come from the administration's table, or the defaults before first use.
 */
export async function loadChaseGates(q: Queryable, administrationId: number, asOf: string): Promise<ChaseGates> {
  const statuses = await q.query<{ key: string; pauses_chase: boolean }>('SELECT key, pauses_chase FROM debtor_statuses WHERE administration_id = $1', [administrationId]);
  const pausedStatuses = new Set(statuses.length ? statuses.filter((s) => s.pauses_chase).map((s) => s.key) : DEFAULT_STATUSES.filter((s) => s.pausesChase).map((s) => s.key));
  const promises = await q.query<{ debtor_id: number; until: string; item_ids: number[] }>(
    `SELECT debtor_id, (promised_date + grace_days) AS until, item_ids FROM promises
      WHERE administration_id = $1 AND status = 'open' AND (promised_date + grace_days) >= $2::date ORDER BY debtor_id, id`,
    [administrationId, asOf],
  );
  const promiseByDebtor = new Map<number, { until: string; itemIds: number[] | 'all' }>();
  for (const p of promises) {
    const until = String(p.until).slice(0, 10);
    const items: number[] | 'all' = p.item_ids.length ? p.item_ids.map(Number) : 'all';
    const prev = promiseByDebtor.get(p.debtor_id);
    if (!prev) promiseByDebtor.set(p.debtor_id, { until, itemIds: items });
    else promiseByDebtor.set(p.debtor_id, { until: until > prev.until ? until : prev.until, itemIds: prev.itemIds === 'all' || items === 'all' ? 'all' : [...new Set([...prev.itemIds, ...items])] });
  }
  const plans = await q.query<{ debtor_id: number }>(`SELECT DISTINCT debtor_id FROM payment_plans WHERE administration_id = $1 AND status = 'active'`, [administrationId]);
  const disputed = await q.query<{ item_id: number }>(
    `SELECT DISTINCT di.item_id FROM dispute_items di JOIN disputes d ON d.id = di.dispute_id WHERE d.administration_id = $1 AND d.status = 'open'`,
    [administrationId],
  );
  const collecting = await q.query<{ item_id: number }>(`SELECT item_id FROM collection_items WHERE administration_id = $1 AND status = 'pending'`, [administrationId]);
  const collectDebtors = await q.query<{ id: number }>(
    `SELECT d.id FROM debtors d LEFT JOIN segments s ON s.administration_id = d.administration_id AND s.key = d.segment
      WHERE d.administration_id = $1 AND (d.collect_instead_of_remind OR coalesce(s.collect_instead_of_remind, false))
        AND EXISTS (SELECT 1 FROM mandates m WHERE m.administration_id = d.administration_id AND m.debtor_id = d.id AND m.status = 'active' AND m.signature_date <= $2::date
                      AND (m.recurring OR m.last_used_at IS NULL) AND coalesce(m.last_used_at, m.signature_date) + interval '36 months' > $2::date)`,
    [administrationId, asOf],
  );
  const returned = await q.query<{ item_id: number }>(`SELECT DISTINCT item_id FROM collection_items WHERE administration_id = $1 AND status = 'returned'`, [administrationId]);
  return {
    pausedStatuses, promiseByDebtor, planDebtors: new Set(plans.map((p) => p.debtor_id)), disputedItems: new Set(disputed.map((d) => d.item_id)), collectingItems: new Set(collecting.map((c) => Number(c.item_id))),
    collectDebtors: new Set(collectDebtors.map((r) => Number(r.id))), returnedItems: new Set(returned.map((r) => Number(r.item_id))),
  };
}

export type PausedReason = { code: 'on_hold' | 'status_paused' | 'payment_plan' | 'promise_to_pay' | 'disputed' | 'in_collection'; detail: string };

/** Why the chase is paused for each of these debtors (one query; the page's debtors only). */
export async function pausedReasons(q: Queryable, administrationId: number, debtorIds: readonly number[], asOf: string): Promise<Map<number, PausedReason[]>> {
  const out = new Map<number, PausedReason[]>();
  if (!debtorIds.length) return out;
  const rows = await q.query<{ id: number; on_hold: boolean; hold_reason: string | null; status: string; status_label: string | null; status_pauses: boolean | null; plan: boolean; promise_until: string | null; promise_all: boolean | null; disputed: number; collecting: number }>(
    `SELECT d.id, d.on_hold, d.hold_reason, d.status, s.label_nl AS status_label,
            coalesce(s.pauses_chase, d.status = ANY($4::text[]) AND NOT EXISTS (SELECT 1 FROM debtor_statuses x WHERE x.administration_id = d.administration_id)) AS status_pauses,
            EXISTS (SELECT 1 FROM payment_plans pp WHERE pp.debtor_id = d.id AND pp.status = 'active') AS plan,
            (SELECT max(p.promised_date + p.grace_days)::text FROM promises p WHERE p.debtor_id = d.id AND p.status = 'open' AND p.promised_date + p.grace_days >= $3::date) AS promise_until,
            (SELECT bool_or(cardinality(p.item_ids) = 0) FROM promises p WHERE p.debtor_id = d.id AND p.status = 'open' AND p.promised_date + p.grace_days >= $3::date) AS promise_all,
            (SELECT count(DISTINCT di.item_id)::int FROM disputes ds JOIN dispute_items di ON di.dispute_id = ds.id WHERE ds.debtor_id = d.id AND ds.status = 'open') AS disputed,
            (SELECT count(*)::int FROM collection_items ci JOIN items ii ON ii.id = ci.item_id WHERE ii.debtor_id = d.id AND ci.status = 'pending') AS collecting
       FROM debtors d LEFT JOIN debtor_statuses s ON s.administration_id = d.administration_id AND s.key = d.status
      WHERE d.administration_id = $1 AND d.id = ANY($2::bigint[])`,
    [administrationId, debtorIds, asOf, DEFAULT_STATUSES.filter((x) => x.pausesChase).map((x) => x.key)],
  );
  for (const r of rows) {
    const reasons: PausedReason[] = [];
    if (r.on_hold) reasons.push({ code: 'on_hold', detail: `on hold${r.hold_reason ? `: ${r.hold_reason}` : ''}` });
    if (r.status_pauses) reasons.push({ code: 'status_paused', detail: `status ${r.status_label ?? r.status}` });
    if (r.plan) reasons.push({ code: 'payment_plan', detail: 'betalingsregeling loopt' });
    if (r.promise_until) reasons.push({ code: 'promise_to_pay', detail: `betalingsbelofte tot ${String(r.promise_until).slice(0, 10)}${r.promise_all ? '' : ' (deel van de posten)'}` });
    if (r.disputed > 0) reasons.push({ code: 'disputed', detail: `${r.disputed} post(en) betwist` });
    if (r.collecting > 0) reasons.push({ code: 'in_collection', detail: `${r.collecting} post(en) in incasso` });
    out.set(r.id, reasons);
  }
  return out;
}

// ------------------------------------------------------------------ statuses and dispute reasons

export type DebtorStatus = DebtorStatusDef;

export async function listStatuses(q: Queryable, administrationId: number): Promise<DebtorStatus[]> {
  const rows = await q.query<{ key: string; label_nl: string; label_en: string; pauses_chase: boolean; sort: number }>('SELECT * FROM debtor_statuses WHERE administration_id = $1 ORDER BY sort, key', [administrationId]);
  return rows.map((r) => ({ key: r.key, labelNl: r.label_nl, labelEn: r.label_en, pausesChase: r.pauses_chase, sort: r.sort }));
}

export async function upsertStatuses(q: Queryable, administrationId: number, statuses: readonly DebtorStatus[]): Promise<void> {
  if (!statuses.length) return;
  await q.query(
    `INSERT INTO debtor_statuses (administration_id, key, label_nl, label_en, pauses_chase, sort)
     SELECT $1, k, ln, le, p, s FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::int[]) AS u(k, ln, le, p, s)
     ON CONFLICT (administration_id, key) DO UPDATE SET label_nl = excluded.label_nl, label_en = excluded.label_en, pauses_chase = excluded.pauses_chase, sort = excluded.sort`,
    [administrationId, statuses.map((s) => s.key), statuses.map((s) => s.labelNl), statuses.map((s) => s.labelEn), statuses.map((s) => s.pausesChase), statuses.map((s) => s.sort)],
  );
}

export async function deleteStatuses(q: Queryable, administrationId: number, keys: readonly string[]): Promise<void> {
  if (keys.length) await q.query('DELETE FROM debtor_statuses WHERE administration_id = $1 AND key = ANY($2::text[])', [administrationId, keys]);
}

export async function statusesInUse(q: Queryable, administrationId: number, keys: readonly string[]): Promise<string[]> {
  if (!keys.length) return [];
  const rows = await q.query<{ status: string }>('SELECT DISTINCT status FROM debtors WHERE administration_id = $1 AND status = ANY($2::text[])', [administrationId, keys]);
  return rows.map((r) => r.status);
}

export async function listDisputeReasons(q: Queryable, administrationId: number): Promise<DisputeReasonDef[]> {
  const rows = await q.query<{ key: string; label_nl: string; label_en: string }>('SELECT * FROM dispute_reasons WHERE administration_id = $1 ORDER BY key', [administrationId]);
  return rows.map((r) => ({ key: r.key, labelNl: r.label_nl, labelEn: r.label_en }));
}

export async function upsertDisputeReasons(q: Queryable, administrationId: number, reasons: readonly DisputeReasonDef[]): Promise<void> {
  if (!reasons.length) return;
  await q.query(
    `INSERT INTO dispute_reasons (administration_id, key, label_nl, label_en) SELECT $1, k, ln, le FROM unnest($2::text[], $3::text[], $4::text[]) AS u(k, ln, le)
     ON CONFLICT (administration_id, key) DO UPDATE SET label_nl = excluded.label_nl, label_en = excluded.label_en`,
    [administrationId, reasons.map((r) => r.key), reasons.map((r) => r.labelNl), reasons.map((r) => r.labelEn)],
  );
}

export async function setDebtorStatus(q: Queryable, administrationId: number, debtorId: number, status: string): Promise<void> {
  await q.query('UPDATE debtors SET status = $3, updated_at = now() WHERE administration_id = $1 AND id = $2', [administrationId, debtorId, status]);
}

export async function setDebtorCare(q: Queryable, administrationId: number, debtorId: number, f: { tags?: readonly string[]; creditNotes?: string | null }): Promise<void> {
  if (f.tags !== undefined) await q.query('UPDATE debtors SET tags = $3, updated_at = now() WHERE administration_id = $1 AND id = $2', [administrationId, debtorId, [...f.tags]]);
  if (f.creditNotes !== undefined) await q.query('UPDATE debtors SET credit_notes = $3, updated_at = now() WHERE administration_id = $1 AND id = $2', [administrationId, debtorId, f.creditNotes]);
}

export type DebtorCare = { tags: string[]; segmentReason: string | null; creditNotes: string | null; policyKey: string | null };

export async function getDebtorCare(q: Queryable, administrationId: number, debtorId: number): Promise<DebtorCare | null> {
  const [r] = await q.query<{ tags: string[]; segment_reason: string | null; credit_notes: string | null; policy_key: string | null }>(
    'SELECT tags, segment_reason, credit_notes, policy_key FROM debtors WHERE administration_id = $1 AND id = $2',
    [administrationId, debtorId],
  );
  return r ? { tags: r.tags ?? [], segmentReason: r.segment_reason, creditNotes: r.credit_notes, policyKey: r.policy_key } : null;
}

/** Open (currently not settled) care records of a debtor, for its implied status. */
export async function openCareOf(q: Queryable, debtorId: number): Promise<{ plan: boolean; dispute: boolean; promise: boolean }> {
  const [r] = await q.query<{ plan: boolean; dispute: boolean; promise: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM payment_plans WHERE debtor_id = $1 AND status = 'active') AS plan,
            EXISTS (SELECT 1 FROM disputes WHERE debtor_id = $1 AND status = 'open') AS dispute,
            EXISTS (SELECT 1 FROM promises WHERE debtor_id = $1 AND status = 'open') AS promise`,
    [debtorId],
  );
  return r!;
}

// ------------------------------------------------------------------ open items of a debtor

export type OpenItem = { id: number; number: string; debtorId: number; kind: string; issueDate: string; dueDate: string; amountCents: number; openCents: number; currency: string; documentId: number | null; paymentReference: string | null };

export async function itemsByIds(q: Queryable, administrationId: number, ids: readonly number[]): Promise<OpenItem[]> {
  if (!ids.length) return [];
  const rows = await q.query<{ id: number; number: string; debtor_id: number; kind: string; issue_date: string; due_date: string; amount_cents: number; open_cents: number; currency: string; document_id: number | null; payment_reference: string | null }>(
    'SELECT id, number, debtor_id, kind, issue_date, due_date, amount_cents, open_cents, currency, document_id, payment_reference FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[]) ORDER BY due_date, id',
    [administrationId, ids],
  );
  return rows.map((r) => ({ id: r.id, number: r.number, debtorId: r.debtor_id, kind: r.kind, issueDate: r.issue_date, dueDate: r.due_date, amountCents: r.amount_cents, openCents: r.open_cents, currency: r.currency.trim(), documentId: r.document_id, paymentReference: r.payment_reference }));
}

export async function openInvoicesOf(q: Queryable, administrationId: number, debtorId: number): Promise<OpenItem[]> {
  const rows = await q.query<{ id: number }>(`SELECT id FROM items WHERE administration_id = $1 AND debtor_id = $2 AND open_cents > 0 ORDER BY due_date, id`, [administrationId, debtorId]);
  return itemsByIds(q, administrationId, rows.map((r) => r.id));
}

/** Payments (bank, manual; net of their reversals) to these items booked after an instant and dated on or before asOf. */
export async function paymentsSince(q: Queryable, itemIds: readonly number[], since: string, asOf: string): Promise<number> {
  if (!itemIds.length) return 0;
  const [r] = await q.query<{ s: number }>(
    `SELECT coalesce(sum(al.cents), 0)::bigint AS s FROM ${PAYMENT_ALLOCATIONS} AND al.item_id = ANY($1::bigint[]) AND al.created_at >= $2::timestamptz AND al.date <= $3::date`,
    [itemIds, since, asOf],
  );
  return r!.s;
}

// ------------------------------------------------------------------ promises

export type PromiseToPay = {
  id: number; debtorId: number; amountCents: number; promisedDate: string; itemIds: number[]; graceDays: number;
  status: 'open' | 'kept' | 'broken' | 'cancelled'; note: string | null; createdBy: string | null; createdAt: string; resolvedAt: string | null;
};
type PromiseRow = { id: number; debtor_id: number; amount_cents: number; promised_date: string; item_ids: number[]; grace_days: number; status: PromiseToPay['status']; note: string | null; created_by: string | null; created_at: Date | string; resolved_at: Date | string | null };
const toPromise = (r: PromiseRow): PromiseToPay => ({
  id: r.id, debtorId: r.debtor_id, amountCents: r.amount_cents, promisedDate: r.promised_date, itemIds: (r.item_ids ?? []).map(Number), graceDays: r.grace_days,
  status: r.status, note: r.note, createdBy: r.created_by, createdAt: iso(r.created_at)!, resolvedAt: iso(r.resolved_at),
});

export async function insertPromise(q: Queryable, administrationId: number, p: { debtorId: number; amountCents: number; promisedDate: string; itemIds: readonly number[]; graceDays: number; note: string | null; createdBy: string | null }): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO promises (administration_id, debtor_id, amount_cents, promised_date, item_ids, grace_days, note, created_by)
     SELECT $1, $2, $3, $4, $5::bigint[], $6, $7, $8
      WHERE NOT EXISTS (SELECT 1 FROM unnest($5::bigint[]) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.administration_id = $1 AND i.id = u.id))
     RETURNING id`,
    [administrationId, p.debtorId, p.amountCents, p.promisedDate, [...p.itemIds], p.graceDays, p.note, p.createdBy],
  );
  // the use case has loaded these items for the administration already; a difference is a bug, not input
  if (!r) throw new Error(`promise: an item id is not of administration ${administrationId}`);
  return r.id;
}

export async function getPromise(q: Queryable, administrationId: number, id: number): Promise<PromiseToPay | null> {
  const [r] = await q.query<PromiseRow>('SELECT * FROM promises WHERE administration_id = $1 AND id = $2', [administrationId, id]);
  return r ? toPromise(r) : null;
}

export async function listPromises(q: Queryable, administrationId: number, f: { debtorId?: number; status?: string } = {}): Promise<PromiseToPay[]> {
  const rows = await q.query<PromiseRow>(
    `SELECT * FROM promises WHERE administration_id = $1 AND ($2::bigint IS NULL OR debtor_id = $2) AND ($3::text IS NULL OR status = $3) ORDER BY promised_date, id LIMIT 1000`,
    [administrationId, f.debtorId ?? null, f.status ?? null],
  );
  return rows.map(toPromise);
}

/** Change an open promise's amount, date or note (the caller records the change on the timeline). */
export async function updatePromiseTerms(q: Queryable, administrationId: number, id: number, p: { amountCents: number; promisedDate: string; note: string | null }): Promise<void> {
  await q.query(`UPDATE promises SET amount_cents = $3, promised_date = $4, note = $5 WHERE administration_id = $1 AND id = $2 AND status = 'open'`, [administrationId, id, p.amountCents, p.promisedDate, p.note]);
}

export async function setPromiseStatus(q: Queryable, id: number, status: PromiseToPay['status']): Promise<void> {
  await q.query(`UPDATE promises SET status = $2, resolved_at = CASE WHEN $2 = 'open' THEN NULL ELSE now() END WHERE id = $1`, [id, status]);
}

export async function promiseCounts(q: Queryable, debtorId: number): Promise<{ kept: number; broken: number }> {
  const [r] = await q.query<{ kept: number; broken: number }>(`SELECT count(*) FILTER (WHERE status = 'kept')::int AS kept, count(*) FILTER (WHERE status = 'broken')::int AS broken FROM promises WHERE debtor_id = $1`, [debtorId]);
  return r!;
}

// ------------------------------------------------------------------ disputes

export type Dispute = {
  id: number; debtorId: number; reason: string; description: string | null; owner: string | null; deadline: string | null; status: 'open' | 'resolved';
  resolution: string | null; resolutionNote: string | null; createdBy: string | null; createdAt: string; resolvedAt: string | null; itemIds: number[];
};
type DisputeRow = { id: number; debtor_id: number; reason: string; description: string | null; owner: string | null; deadline: string | null; status: 'open' | 'resolved'; resolution: string | null; resolution_note: string | null; created_by: string | null; created_at: Date | string; resolved_at: Date | string | null; item_ids: number[] | null };
const toDispute = (r: DisputeRow): Dispute => ({
  id: r.id, debtorId: r.debtor_id, reason: r.reason, description: r.description, owner: r.owner, deadline: r.deadline, status: r.status, resolution: r.resolution,
  resolutionNote: r.resolution_note, createdBy: r.created_by, createdAt: iso(r.created_at)!, resolvedAt: iso(r.resolved_at), itemIds: (r.item_ids ?? []).map(Number),
});
/** Link items to a dispute or plan: only items of the administration, in the same statement. */
async function linkItems(q: Queryable, table: 'dispute_items' | 'payment_plan_items', key: 'dispute_id' | 'plan_id', id: number, administrationId: number, itemIds: readonly number[]): Promise<void> {
  const wanted = new Set(itemIds);
  const rows = await q.query(`INSERT INTO ${table} (${key}, item_id) SELECT $1, i.id FROM items i WHERE i.administration_id = $2 AND i.id = ANY($3::bigint[]) RETURNING item_id`, [id, administrationId, [...wanted]]);
  // the use case has loaded these items for the administration already; a difference is a bug, not input
  if (rows.length !== wanted.size) throw new Error(`${table}: ${wanted.size - rows.length} item id(s) are not of administration ${administrationId}`);
}

const SELECT_DISPUTE = `SELECT d.*, (SELECT array_agg(di.item_id ORDER BY di.item_id) FROM dispute_items di WHERE di.dispute_id = d.id) AS item_ids FROM disputes d`;

export async function insertDispute(q: Queryable, administrationId: number, d: { debtorId: number; reason: string; description: string | null; owner: string | null; deadline: string | null; itemIds: readonly number[]; createdBy: string | null }): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO disputes (administration_id, debtor_id, reason, description, owner, deadline, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [administrationId, d.debtorId, d.reason, d.description, d.owner, d.deadline, d.createdBy],
  );
  await linkItems(q, 'dispute_items', 'dispute_id', r!.id, administrationId, d.itemIds);
  return r!.id;
}

export async function getDispute(q: Queryable, administrationId: number, id: number): Promise<Dispute | null> {
  const [r] = await q.query<DisputeRow>(`${SELECT_DISPUTE} WHERE d.administration_id = $1 AND d.id = $2`, [administrationId, id]);
  return r ? toDispute(r) : null;
}

export async function listDisputes(q: Queryable, administrationId: number, f: { debtorId?: number; status?: string; pastDeadline?: string } = {}): Promise<Dispute[]> {
  const rows = await q.query<DisputeRow>(
    `${SELECT_DISPUTE} WHERE d.administration_id = $1 AND ($2::bigint IS NULL OR d.debtor_id = $2) AND ($3::text IS NULL OR d.status = $3)
       AND ($4::date IS NULL OR d.deadline < $4::date) ORDER BY d.deadline NULLS LAST, d.id LIMIT 1000`,
    [administrationId, f.debtorId ?? null, f.status ?? null, f.pastDeadline ?? null],
  );
  return rows.map(toDispute);
}

/** Items already in an open dispute. */
export async function itemsInOpenDisputes(q: Queryable, itemIds: readonly number[]): Promise<number[]> {
  if (!itemIds.length) return [];
  const rows = await q.query<{ item_id: number }>(`SELECT DISTINCT di.item_id FROM dispute_items di JOIN disputes d ON d.id = di.dispute_id WHERE d.status = 'open' AND di.item_id = ANY($1::bigint[])`, [itemIds]);
  return rows.map((r) => r.item_id);
}

export async function resolveDisputeRow(q: Queryable, id: number, resolution: string, note: string | null): Promise<void> {
  await q.query(`UPDATE disputes SET status = 'resolved', resolution = $2, resolution_note = $3, resolved_at = now() WHERE id = $1`, [id, resolution, note]);
}

// ------------------------------------------------------------------ payment plans

export type InstalmentRow = { id: number; seq: number; dueDate: string; amountCents: number; paidCents: number; status: 'open' | 'paid' | 'missed' };
export type PaymentPlan = {
  id: number; debtorId: number; status: 'active' | 'completed' | 'broken' | 'cancelled'; totalCents: number; graceDays: number; interestPolicy: string; note: string | null;
  documentId: number | null; createdBy: string | null; createdAt: string; endedAt: string | null; itemIds: number[]; instalments: InstalmentRow[];
};
type PlanRow = { id: number; debtor_id: number; status: PaymentPlan['status']; total_cents: number; grace_days: number; interest_policy: string; note: string | null; document_id: number | null; created_by: string | null; created_at: Date | string; ended_at: Date | string | null; item_ids: number[] | null; instalments: { id: number; seq: number; due_date: string; amount_cents: number; paid_cents: number; status: InstalmentRow['status'] }[] | null };
const toPlan = (r: PlanRow): PaymentPlan => ({
  id: r.id, debtorId: r.debtor_id, status: r.status, totalCents: r.total_cents, graceDays: r.grace_days, interestPolicy: r.interest_policy, note: r.note, documentId: r.document_id,
  createdBy: r.created_by, createdAt: iso(r.created_at)!, endedAt: iso(r.ended_at), itemIds: (r.item_ids ?? []).map(Number),
  // json_agg gives bigint as JSON numbers: exact below 2^53, which cents are (checked on insert).
  instalments: (r.instalments ?? []).map((i) => ({ id: Number(i.id), seq: i.seq, dueDate: i.due_date, amountCents: Number(i.amount_cents), paidCents: Number(i.paid_cents), status: i.status })),
});
const SELECT_PLAN = `SELECT p.*, (SELECT array_agg(pi.item_id ORDER BY pi.item_id) FROM payment_plan_items pi WHERE pi.plan_id = p.id) AS item_ids,
  (SELECT json_agg(json_build_object('id', i.id, 'seq', i.seq, 'due_date', i.due_date::text, 'amount_cents', i.amount_cents, 'paid_cents', i.paid_cents, 'status', i.status) ORDER BY i.seq) FROM instalments i WHERE i.plan_id = p.id) AS instalments
  FROM payment_plans p`;

export async function insertPlan(q: Queryable, administrationId: number, p: { debtorId: number; totalCents: number; graceDays: number; interestPolicy: string; note: string | null; createdBy: string | null; itemIds: readonly number[]; instalments: readonly { seq: number; dueDate: string; amountCents: number }[] }): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO payment_plans (administration_id, debtor_id, total_cents, grace_days, interest_policy, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [administrationId, p.debtorId, p.totalCents, p.graceDays, p.interestPolicy, p.note, p.createdBy],
  );
  const id = r!.id;
  await linkItems(q, 'payment_plan_items', 'plan_id', id, administrationId, p.itemIds);
  await q.query(
    'INSERT INTO instalments (plan_id, seq, due_date, amount_cents) SELECT $1, s, d, a FROM unnest($2::int[], $3::date[], $4::bigint[]) AS u(s, d, a)',
    [id, p.instalments.map((i) => i.seq), p.instalments.map((i) => i.dueDate), p.instalments.map((i) => i.amountCents)],
  );
  return id;
}

export async function getPlan(q: Queryable, administrationId: number, id: number): Promise<PaymentPlan | null> {
  const [r] = await q.query<PlanRow>(`${SELECT_PLAN} WHERE p.administration_id = $1 AND p.id = $2`, [administrationId, id]);
  return r ? toPlan(r) : null;
}

export async function listPlans(q: Queryable, administrationId: number, f: { debtorId?: number; status?: string } = {}): Promise<PaymentPlan[]> {
  const rows = await q.query<PlanRow>(
    `${SELECT_PLAN} WHERE p.administration_id = $1 AND ($2::bigint IS NULL OR p.debtor_id = $2) AND ($3::text IS NULL OR p.status = $3) ORDER BY p.id LIMIT 1000`,
    [administrationId, f.debtorId ?? null, f.status ?? null],
  );
  return rows.map(toPlan);
}

export async function setPlanDocument(q: Queryable, id: number, documentId: number): Promise<void> {
  await q.query('UPDATE payment_plans SET document_id = $2 WHERE id = $1', [id, documentId]);
}

export async function setPlanStatus(q: Queryable, id: number, status: PaymentPlan['status']): Promise<void> {
  await q.query(`UPDATE payment_plans SET status = $2, ended_at = CASE WHEN $2 = 'active' THEN NULL ELSE now() END WHERE id = $1`, [id, status]);
}

export async function updateInstalments(q: Queryable, planId: number, rows: readonly { seq: number; paidCents: number; status: string }[]): Promise<void> {
  if (!rows.length) return;
  await q.query(
    `UPDATE instalments i SET paid_cents = u.p, status = u.s FROM unnest($2::int[], $3::bigint[], $4::text[]) AS u(q, p, s) WHERE i.plan_id = $1 AND i.seq = u.q`,
    [planId, rows.map((r) => r.seq), rows.map((r) => r.paidCents), rows.map((r) => r.status)],
  );
}

export async function itemsInActivePlans(q: Queryable, itemIds: readonly number[]): Promise<number[]> {
  if (!itemIds.length) return [];
  const rows = await q.query<{ item_id: number }>(`SELECT DISTINCT pi.item_id FROM payment_plan_items pi JOIN payment_plans p ON p.id = pi.plan_id WHERE p.status = 'active' AND pi.item_id = ANY($1::bigint[])`, [itemIds]);
  return rows.map((r) => r.item_id);
}

// ------------------------------------------------------------------ tasks

export type Task = {
  id: number; debtorId: number | null; itemIds: number[]; kind: string; title: string; reason: string | null; dueDate: string; assignedTo: string | null;
  status: 'open' | 'done' | 'cancelled'; outcome: string | null; sourceType: string | null; sourceId: number | null; createdAt: string; completedAt: string | null; completedBy: string | null;
  debtorNumber: string | null; debtorName: string | null;
  /** 1 high, 2 normal, 3 low. */
  priority: TaskPriority;
};
export type TaskPriority = 1 | 2 | 3;
type TaskRow = { id: number; debtor_id: number | null; item_ids: number[]; kind: string; title: string; reason: string | null; due_date: string; assigned_to: string | null; status: Task['status']; outcome: string | null; source_type: string | null; source_id: number | null; created_at: Date | string; completed_at: Date | string | null; completed_by: string | null; debtor_number: string | null; debtor_name: string | null; priority: number };
const toTask = (r: TaskRow): Task => ({
  id: r.id, debtorId: r.debtor_id, itemIds: (r.item_ids ?? []).map(Number), kind: r.kind, title: r.title, reason: r.reason, dueDate: r.due_date, assignedTo: r.assigned_to, status: r.status,
  outcome: r.outcome, sourceType: r.source_type, sourceId: r.source_id, createdAt: iso(r.created_at)!, completedAt: iso(r.completed_at), completedBy: r.completed_by, debtorNumber: r.debtor_number, debtorName: r.debtor_name,
  priority: (Number(r.priority) || 2) as TaskPriority,
});
const SELECT_TASK = 'SELECT t.*, d.number AS debtor_number, d.name AS debtor_name FROM tasks t LEFT JOIN debtors d ON d.id = t.debtor_id';

export type NewTask = { debtorId: number | null; itemIds?: readonly number[]; kind: string; title: string; reason?: string | null; dueDate: string; assignedTo?: string | null; sourceType?: string | null; sourceId?: number | null; priority?: TaskPriority };

/** Broken agreements come first unless the caller says otherwise. */
const HIGH_PRIORITY_KINDS: ReadonlySet<string> = new Set(['broken_promise', 'plan_broken']);

/** Insert a task; one with a source (a promise, a plan, …) exists at most once: returns null then. */
/** Null when the task exists already (same source), or when an item id is not one of this administration's (checked in the statement itself). */
export async function insertTask(q: Queryable, administrationId: number, t: NewTask): Promise<number | null> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO tasks (administration_id, debtor_id, item_ids, kind, title, reason, due_date, assigned_to, source_type, source_id, priority)
     SELECT $1, $2, $3::bigint[], $4, $5, $6, $7, $8, $9, $10, $11
      WHERE NOT EXISTS (SELECT 1 FROM unnest($3::bigint[]) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.administration_id = $1 AND i.id = u.id))
     ON CONFLICT (source_type, source_id) WHERE source_type IS NOT NULL DO NOTHING RETURNING id`,
    [administrationId, t.debtorId, [...(t.itemIds ?? [])], t.kind, t.title, t.reason ?? null, t.dueDate, t.assignedTo ?? null, t.sourceType ?? null, t.sourceId ?? null, t.priority ?? (HIGH_PRIORITY_KINDS.has(t.kind) ? 1 : 2)],
  );
  return r?.id ?? null;
}

export async function getTask(q: Queryable, administrationId: number, id: number): Promise<Task | null> {
  const [r] = await q.query<TaskRow>(`${SELECT_TASK} WHERE t.administration_id = $1 AND t.id = $2`, [administrationId, id]);
  return r ? toTask(r) : null;
}

export type TaskFilter = { assignedTo?: string; includeUnassigned?: boolean; dueBy?: string; status?: 'open' | 'done' | 'cancelled' | 'all'; debtorId?: number; kind?: string; limit?: number; offset?: number };

export async function listTasks(q: Queryable, administrationId: number, f: TaskFilter = {}): Promise<Task[]> {
  const status = f.status ?? 'open';
  const rows = await q.query<TaskRow>(
    `${SELECT_TASK} WHERE t.administration_id = $1 AND ($2::text = 'all' OR t.status = $2)
       AND ($3::text IS NULL OR t.assigned_to = $3 OR ($4::boolean AND t.assigned_to IS NULL))
       AND ($5::date IS NULL OR t.due_date <= $5::date) AND ($6::bigint IS NULL OR t.debtor_id = $6) AND ($7::text IS NULL OR t.kind = $7)
     ORDER BY t.due_date, t.id LIMIT $8 OFFSET $9`,
    [administrationId, status, f.assignedTo ?? null, f.includeUnassigned ?? false, f.dueBy ?? null, f.debtorId ?? null, f.kind ?? null, Math.min(f.limit ?? 200, 1000), f.offset ?? 0],
  );
  return rows.map(toTask);
}

export async function completeTaskRow(q: Queryable, id: number, status: 'done' | 'cancelled', outcome: string | null, by: string | null): Promise<void> {
  await q.query(`UPDATE tasks SET status = $2, outcome = $3, completed_at = now(), completed_by = $4 WHERE id = $1`, [id, status, outcome, by]);
}

/** Reschedule or reprioritise an open task. */
export async function updateTaskRow(q: Queryable, id: number, f: { dueDate?: string; priority?: TaskPriority }): Promise<void> {
  await q.query('UPDATE tasks SET due_date = coalesce($2::date, due_date), priority = coalesce($3::smallint, priority) WHERE id = $1', [id, f.dueDate ?? null, f.priority ?? null]);
}

export async function assignTaskRow(q: Queryable, id: number, user: string | null): Promise<void> {
  await q.query('UPDATE tasks SET assigned_to = $2 WHERE id = $1', [id, user]);
}

/** Open tasks from a source (e.g. the review task of a dispute), to close them with it. */
export async function closeTasksOf(q: Queryable, administrationId: number, sourceType: string, sourceId: number, outcome: string, by: string | null): Promise<void> {
  await q.query(`UPDATE tasks SET status = 'done', outcome = $4, completed_at = now(), completed_by = $5 WHERE administration_id = $1 AND source_type = $2 AND source_id = $3 AND status = 'open'`, [administrationId, sourceType, sourceId, outcome, by]);
}

// ------------------------------------------------------------------ segments

export type Segment = { key: string; name: string; rules: SegmentRules; policyKey: string | null; priority: number };

export async function listSegments(q: Queryable, administrationId: number): Promise<Segment[]> {
  const rows = await q.query<{ key: string; name: string; rules: SegmentRules; policy_key: string | null; priority: number }>('SELECT * FROM segments WHERE administration_id = $1 ORDER BY priority, key', [administrationId]);
  return rows.map((r) => ({ key: r.key, name: r.name, rules: r.rules ?? {}, policyKey: r.policy_key, priority: r.priority }));
}

export async function upsertSegment(q: Queryable, administrationId: number, s: Segment): Promise<void> {
  await q.query(
    `INSERT INTO segments (administration_id, key, name, rules, policy_key, priority) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (administration_id, key) DO UPDATE SET name = excluded.name, rules = excluded.rules, policy_key = excluded.policy_key, priority = excluded.priority`,
    [administrationId, s.key, s.name, JSON.stringify(s.rules), s.policyKey, s.priority],
  );
}

export async function deleteSegment(q: Queryable, administrationId: number, key: string): Promise<boolean> {
  const rows = await q.query<{ key: string }>('DELETE FROM segments WHERE administration_id = $1 AND key = $2 RETURNING key', [administrationId, key]);
  return rows.length > 0;
}

export type DebtorFactsRow = { id: number; type: 'business' | 'consumer'; tags: string[]; segment: string | null; segment_reason: string | null; annual_cents: number; avg_days_late: string | null; broken: number };

/**
 * The facts segment rules look at, for every debtor (or some): invoiced in the 12 months up to
 * asOf, average days late of invoices paid in those months (closing payment date − due date, early
 * = 0; the same rule as domain/care/behaviour.ts), broken promises, tags.
 */
export async function debtorFacts(q: Queryable, administrationId: number, asOf: string, debtorIds?: readonly number[]): Promise<DebtorFactsRow[]> {
  const from = addMonths(asOf, -12);
  return q.query<DebtorFactsRow>(
    `WITH paid AS (
       SELECT i.debtor_id, greatest(0, last.date - i.due_date) AS late
         FROM items i
         JOIN LATERAL (SELECT al.date, b.kind FROM allocations al JOIN bookings b ON b.id = al.booking_id WHERE al.item_id = i.id ORDER BY al.id DESC LIMIT 1) last ON true
        WHERE i.administration_id = $1 AND i.kind = 'invoice' AND i.amount_cents > 0 AND i.open_cents = 0 AND last.kind IN ('bank', 'manual')
          AND last.date > $3::date AND last.date <= $2::date AND ($4::bigint[] IS NULL OR i.debtor_id = ANY($4::bigint[]))
     ), late AS (SELECT debtor_id, round(avg(late)::numeric, 1)::text AS avg_days_late FROM paid GROUP BY debtor_id),
     inv AS (SELECT debtor_id, sum(amount_cents)::bigint AS annual_cents FROM items WHERE administration_id = $1 AND kind = 'invoice' AND issue_date > $3::date AND issue_date <= $2::date GROUP BY debtor_id),
     br AS (SELECT debtor_id, count(*)::int AS broken FROM promises WHERE administration_id = $1 AND status = 'broken' GROUP BY debtor_id)
     SELECT d.id, d.type, d.tags, d.segment, d.segment_reason, coalesce(inv.annual_cents, 0)::bigint AS annual_cents, late.avg_days_late, coalesce(br.broken, 0)::int AS broken
       FROM debtors d LEFT JOIN inv ON inv.debtor_id = d.id LEFT JOIN late ON late.debtor_id = d.id LEFT JOIN br ON br.debtor_id = d.id
      WHERE d.administration_id = $1 AND ($4::bigint[] IS NULL OR d.id = ANY($4::bigint[])) ORDER BY d.id`,
    [administrationId, asOf, from, debtorIds ? [...debtorIds] : null],
  );
}

export async function setSegments(q: Queryable, administrationId: number, rows: readonly { id: number; segment: string | null; reason: string | null }[]): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await q.query(
      `UPDATE debtors d SET segment = u.s, segment_reason = u.r, updated_at = now() FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(id, s, r) WHERE d.administration_id = $1 AND d.id = u.id`,
      [administrationId, part.map((r) => r.id), part.map((r) => r.segment), part.map((r) => r.reason)],
    );
  }
}

// ------------------------------------------------------------------ payment behaviour

/** Invoices of a debtor paid (closed by a payment) after `from`, with the closing payment date; and its open overdue invoices. */
export async function paymentHistory(q: Queryable, administrationId: number, debtorId: number, from: string, asOf: string): Promise<{ paid: { dueDate: string; paidDate: string }[]; open: { dueDate: string }[] }> {
  const paid = await q.query<{ due_date: string; paid_date: string }>(
    `SELECT i.due_date, last.date AS paid_date FROM items i
       JOIN LATERAL (SELECT al.date, b.kind FROM allocations al JOIN bookings b ON b.id = al.booking_id WHERE al.item_id = i.id ORDER BY al.id DESC LIMIT 1) last ON true
      WHERE i.administration_id = $1 AND i.debtor_id = $2 AND i.kind = 'invoice' AND i.amount_cents > 0 AND i.open_cents = 0 AND last.kind IN ('bank', 'manual')
        AND last.date > $3::date AND last.date <= $4::date ORDER BY last.date`,
    [administrationId, debtorId, from, asOf],
  );
  const open = await q.query<{ due_date: string }>(`SELECT due_date FROM items WHERE administration_id = $1 AND debtor_id = $2 AND kind = 'invoice' AND open_cents > 0 AND due_date < $3::date`, [administrationId, debtorId, asOf]);
  return { paid: paid.map((p) => ({ dueDate: p.due_date, paidDate: p.paid_date })), open: open.map((o) => ({ dueDate: o.due_date })) };
}

export async function debtorBalance(q: Queryable, debtorId: number, asOf: string): Promise<{ balanceCents: number; overdueCents: number; openItems: number }> {
  const [r] = await q.query<{ balance: number; overdue: number; n: number }>(
    `SELECT coalesce(sum(open_cents), 0)::bigint AS balance, coalesce(sum(open_cents) FILTER (WHERE due_date < $2::date AND open_cents > 0), 0)::bigint AS overdue, count(*)::int AS n
       FROM items WHERE debtor_id = $1 AND open_cents <> 0`,
    [debtorId, asOf],
  );
  return { balanceCents: r!.balance, overdueCents: r!.overdue, openItems: r!.n };
}
