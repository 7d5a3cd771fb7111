/**
 * The outbox table (dunning_actions): the one writer of its delivery state. Every move goes
 * through `moveAction`, which checks it against the state machine (domain/dunning/outbox.ts),
 * writes it to dunning_action_states and, when the step is reached, to dunning_history. The
 * planned message is stored as a versioned JSON document and parsed with zod when read.
 */
import { z } from 'zod';
import type { Queryable } from './db.ts';
import { checkMove, isOutboxState, isReached, type Delivery, type MoveRefusal, type OutboxState, type TransitionCause } from '../domain/dunning/outbox.ts';

// ---------------------------------------------------------------------------------------------
// The stored message
// ---------------------------------------------------------------------------------------------

const Cents = z.number().int();
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const ContactSchema = z.object({
  emails: z.array(z.string()).default([]),
  addressLine: z.string().nullable().default(null),
  postalCode: z.string().nullable().default(null),
  city: z.string().nullable().default(null),
  country: z.string().nullable().default(null),
});

/** An open credit of the debtor deducted on the letter: a credit note or a payment not yet set against an invoice. */
const CreditSchema = z.object({ itemId: z.string(), kind: z.enum(['credit_note', 'unapplied_payment', 'overpaid_invoice']), number: z.string(), date: Day, openCents: Cents });

const MessageSchema = z
  .object({
    v: z.literal(2).optional(),
    debtorId: z.string(),
    debtorNumber: z.string(),
    debtorName: z.string(),
    debtorType: z.enum(['business', 'consumer']).default('business'),
    policyKey: z.string().default(''),
    stepKey: z.string(),
    stepIndex: z.number().int(),
    stepName: z.string(),
    channel: z.enum(['email', 'letter', 'phone', 'statement']),
    language: z.enum(['nl', 'en']),
    template: z.string().default(''),
    currency: z.string(),
    itemIds: z.array(z.string()),
    items: z.array(
      z.object({
        itemId: z.string().default(''),
        number: z.string(),
        issueDate: Day,
        dueDate: Day,
        openCents: Cents,
        daysOverdue: z.number().int().default(0),
        interestCents: Cents.default(0),
        previousStepKey: z.string().nullable().default(null),
        disputed: z.boolean().optional(),
        onHold: z.boolean().optional(),
      }),
    ),
    principalCents: Cents,
    interestCents: Cents,
    costsCents: Cents,
    vatCents: Cents,
    totalCents: Cents,
    costsBaseItemIds: z.array(z.string()).default([]),
    costsWithheld: z.enum(['consumer_no_fourteen_day_letter', 'consumer_term_running', 'not_eur', 'not_overdue']).nullable().default(null),
    announcedCostsCents: Cents.nullable().default(null),
    fourteenDayTerm: z
      .object({ letterDate: Day, presumedDelivery: Day, termStart: Day, termEndNominal: Day, termEnd: Day, costsChargeableFrom: Day })
      .nullable()
      .default(null),
    creditBalanceCents: Cents.default(0),
    dedupeKey: z.string(),
    legal: z
      .object({ noticeOfDefault: z.boolean().optional(), fourteenDayLetter: z.boolean().optional(), collectionAgency: z.boolean().optional(), chargeInterest: z.boolean().optional(), chargeCosts: z.boolean().optional() })
      .default({}),
    contact: ContactSchema.nullable().default(null),
    /** The letter's date: the run's as-of date (version 1 messages may lack it). */
    letterDate: Day.optional(),
    /** Open credits of the debtor in the message's currency, deducted on the letter (version 2). */
    credits: z.array(CreditSchema).default([]),
    onRequest: z.boolean().optional(),
  })
  .passthrough();

export type StoredMessage = z.infer<typeof MessageSchema>;
export type StoredCredit = z.infer<typeof CreditSchema>;
export type StoredContact = z.infer<typeof ContactSchema>;
export const MESSAGE_VERSION = 2;

export class StoredMessageError extends Error {
  constructor(readonly actionId: number, message: string) {
    super(`outbox message ${actionId} cannot be read: ${message}`);
    this.name = 'StoredMessageError';
  }
}

/** Parse a stored message (version 1 or 2); throws StoredMessageError naming what is wrong. */
export function parseMessage(actionId: number, json: unknown): StoredMessage {
  const r = MessageSchema.safeParse(json);
  if (!r.success) throw new StoredMessageError(actionId, r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

/** Check a message before it is stored (the same schema as reading). */
export function messageJson(m: unknown): string {
  const r = MessageSchema.safeParse(m);
  if (!r.success) throw new StoredMessageError(0, r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return JSON.stringify({ ...r.data, v: MESSAGE_VERSION });
}

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

export type ActionRow = {
  id: number; administration_id: number; run_id: number; debtor_id: number; step_key: string; channel: 'email' | 'letter' | 'phone' | 'statement'; dedupe_key: string; item_ids: number[];
  message: Record<string, unknown>; status: OutboxState; delivery: Delivery; attempts: number; next_attempt_at: Date | string; locked_until: Date | string | null; last_error: string | null;
  document_id: number | null; message_id: string | null; smtp_response: string | null; letter_date: string | null; reached_on: string | null;
  created_at: Date | string; sent_at: Date | string | null; printed_at: Date | string | null; posted_at: Date | string | null; updated_at: Date | string;
};

export type NewAction = {
  runId: number; debtorId: number; stepKey: string; channel: ActionRow['channel']; delivery: Delivery; dedupeKey: string; itemIds: readonly number[];
  message: unknown; letterDate: string; state: OutboxState; actor?: string | null; detail?: string | null;
};

/** Put a message in the outbox; null when the same message (dedupe key) is already on its way or delivered. */
export async function insertAction(q: Queryable, administrationId: number, a: NewAction): Promise<ActionRow | null> {
  const [row] = await q.query<ActionRow>(
    `INSERT INTO dunning_actions (administration_id, run_id, debtor_id, step_key, channel, delivery, dedupe_key, item_ids, message, letter_date, status, sent_at, reached_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $11 = 'sent' THEN now() END, CASE WHEN $11 = 'sent' THEN $10::date END)
     ON CONFLICT (administration_id, dedupe_key) WHERE status NOT IN ('failed', 'bounced', 'cancelled') DO NOTHING RETURNING *`,
    [administrationId, a.runId, a.debtorId, a.stepKey, a.channel, a.delivery, a.dedupeKey, a.itemIds, messageJson(a.message), a.letterDate, a.state],
  );
  if (!row) return null;
  await logState(q, administrationId, row.id, null, a.state, a.actor ?? null, a.detail ?? null);
  if (isReached(a.state)) await recordReached(q, administrationId, row, a.letterDate);
  return row;
}

async function logState(q: Queryable, administrationId: number, actionId: number, from: OutboxState | null, to: OutboxState, actor: string | null, detail: string | null): Promise<void> {
  await q.query('INSERT INTO dunning_action_states (administration_id, action_id, from_state, to_state, actor, detail) VALUES ($1, $2, $3, $4, $5, $6)', [administrationId, actionId, from, to, actor, detail]);
}

/** The step is reached for each item of the message on `day`. */
async function recordReached(q: Queryable, administrationId: number, row: ActionRow, day: string): Promise<void> {
  if (row.step_key === 'statement_on_request') return; // a statement on request is no step of a policy
  await q.query(
    `INSERT INTO dunning_history (administration_id, item_id, step_key, action_id, sent_date) SELECT $1, unnest($2::bigint[]), $3, $4, $5 ON CONFLICT (item_id, step_key) DO NOTHING`,
    [administrationId, row.item_ids, row.step_key, row.id, day],
  );
}

/** Fields a move may set besides the state. */
export type MoveFields = {
  lastError?: string | null;
  messageId?: string | null;
  smtpResponse?: string | null;
  nextAttemptAt?: Date | 'infinity';
  documentId?: number;
  delivery?: Delivery;
  /** sent / posted: the calendar day the step is reached. */
  reachedOn?: string;
};

export type MoveResult = { ok: true; row: ActionRow; from: OutboxState } | { ok: false; refusal: MoveRefusal | { code: 'not_found' | 'unknown_state'; from: string; to: OutboxState }; row: ActionRow | null };

/**
 * Move one message to a new state: checked against the state machine (a person's moves refused to
 * the worker), the move logged, the step recorded as reached (sent, posted) or no longer reached
 * (a bounce reported after it was sent).
 */
export async function moveAction(q: Queryable, administrationId: number, id: number, to: OutboxState, how: { cause: TransitionCause; actor?: string | null; detail?: string | null; from?: readonly OutboxState[] } & MoveFields): Promise<MoveResult> {
  const [cur] = await q.query<ActionRow>('SELECT * FROM dunning_actions WHERE administration_id = $1 AND id = $2 FOR UPDATE', [administrationId, id]);
  if (!cur) return { ok: false, refusal: { code: 'not_found', from: '', to }, row: null };
  if (!isOutboxState(cur.status)) return { ok: false, refusal: { code: 'unknown_state', from: cur.status, to }, row: cur };
  if (how.from && !how.from.includes(cur.status)) return { ok: false, refusal: { code: 'not_allowed', from: cur.status, to }, row: cur };
  const refusal = checkMove(cur.status, to, how.cause);
  if (refusal) return { ok: false, refusal, row: cur };
  const sets = ['status = $3', 'updated_at = now()'];
  const params: unknown[] = [administrationId, id, to];
  const set = (sql: string, v: unknown) => {
    params.push(v);
    sets.push(sql.replace('?', `$${params.length}`));
  };
  if (how.lastError !== undefined) set('last_error = ?', how.lastError);
  if (how.messageId !== undefined) set('message_id = ?', how.messageId);
  if (how.smtpResponse !== undefined) set('smtp_response = ?', how.smtpResponse);
  if (how.nextAttemptAt !== undefined) set('next_attempt_at = ?', how.nextAttemptAt === 'infinity' ? 'infinity' : how.nextAttemptAt.toISOString());
  if (how.documentId !== undefined) set('document_id = ?', how.documentId);
  if (how.delivery !== undefined) set('delivery = ?', how.delivery);
  if (to !== 'sending') sets.push('locked_until = NULL');
  if (to === 'sent') sets.push('sent_at = now()');
  if (to === 'printed') sets.push('printed_at = now()');
  if (to === 'posted') sets.push('posted_at = now()');
  if (isReached(to)) set('reached_on = ?', how.reachedOn ?? cur.letter_date);
  if (to === 'bounced' && cur.status === 'sent') sets.push('reached_on = NULL');
  const [row] = await q.query<ActionRow>(`UPDATE dunning_actions SET ${sets.join(', ')} WHERE administration_id = $1 AND id = $2 RETURNING *`, params);
  await logState(q, administrationId, id, cur.status, to, how.actor ?? null, how.detail ?? how.lastError ?? how.smtpResponse ?? null);
  if (isReached(to)) await recordReached(q, administrationId, row!, row!.reached_on ?? row!.letter_date!);
  if (isReached(cur.status) && !isReached(to)) await q.query('DELETE FROM dunning_history WHERE administration_id = $1 AND action_id = $2', [administrationId, id]);
  return { ok: true, row: row!, from: cur.status };
}

/** Claim one due e-mail for sending (all administrations): committed at once, FOR UPDATE SKIP LOCKED. */
export async function claimDue(q: Queryable, leaseSeconds: number, workerId: string | null, onlyIds?: readonly number[]): Promise<ActionRow | null> {
  const [a] = await q.query<ActionRow>(
    `UPDATE dunning_actions SET status = 'sending', attempts = attempts + 1, locked_until = now() + ($1 || ' seconds')::interval, updated_at = now()
      WHERE id = (SELECT id FROM dunning_actions WHERE status = 'queued' AND next_attempt_at <= now() AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[])) ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING *`,
    [String(leaseSeconds), onlyIds ?? null],
  );
  if (a) await logState(q, a.administration_id, a.id, 'queued', 'sending', workerId, `attempt ${a.attempts}`);
  return a ?? null;
}

/** Messages whose sender died mid-send (lease ran out): uncertain, for a person to settle. */
export async function markStuckUncertain(q: Queryable): Promise<ActionRow[]> {
  const rows = await q.query<ActionRow>(
    `UPDATE dunning_actions SET status = 'uncertain', locked_until = NULL, updated_at = now() WHERE status = 'sending' AND locked_until < now() RETURNING *`,
  );
  for (const r of rows) await logState(q, r.administration_id, r.id, 'sending', 'uncertain', 'worker', 'the sender stopped mid-send: not known whether the server accepted the message');
  return rows;
}

export async function setDocument(q: Queryable, id: number, documentId: number): Promise<void> {
  await q.query('UPDATE dunning_actions SET document_id = $2 WHERE id = $1', [id, documentId]);
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export type OutboxFilter = { runId?: number; debtorId?: number; status?: readonly string[]; stepKey?: string; delivery?: Delivery; ids?: readonly number[]; limit?: number; offset?: number };

function where(administrationId: number, f: OutboxFilter): { sql: string; params: unknown[] } {
  const w = ['administration_id = $1'];
  const params: unknown[] = [administrationId];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    w.push(sql.replace('?', `$${params.length}`));
  };
  if (f.runId !== undefined) add('run_id = ?', f.runId);
  if (f.debtorId !== undefined) add('debtor_id = ?', f.debtorId);
  if (f.status?.length) add('status = ANY(?::text[])', f.status);
  if (f.stepKey) add('step_key = ?', f.stepKey);
  if (f.delivery) add('delivery = ?', f.delivery);
  if (f.ids) add('id = ANY(?::bigint[])', f.ids);
  return { sql: w.join(' AND '), params };
}

export async function listOutbox(q: Queryable, administrationId: number, f: OutboxFilter): Promise<{ rows: ActionRow[]; total: number }> {
  const { sql, params } = where(administrationId, f);
  const limit = Math.min(Math.max(f.limit ?? 200, 1), 100_000);
  const rows = await q.query<ActionRow>(`SELECT * FROM dunning_actions WHERE ${sql} ORDER BY id DESC LIMIT ${limit} OFFSET ${Math.max(0, f.offset ?? 0)}`, params);
  const [t] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM dunning_actions WHERE ${sql}`, params);
  return { rows, total: t?.n ?? 0 };
}

export async function countByState(q: Queryable, administrationId: number, f: OutboxFilter = {}): Promise<Partial<Record<OutboxState, number>>> {
  const { sql, params } = where(administrationId, { ...f, status: undefined });
  const rows = await q.query<{ status: OutboxState; n: number }>(`SELECT status, count(*)::int AS n FROM dunning_actions WHERE ${sql} GROUP BY status`, params);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function statesPerRun(q: Queryable, administrationId: number, runIds: readonly number[]): Promise<Map<number, Partial<Record<OutboxState, number>>>> {
  const rows = runIds.length
    ? await q.query<{ run_id: number; status: OutboxState; n: number }>('SELECT run_id, status, count(*)::int AS n FROM dunning_actions WHERE administration_id = $1 AND run_id = ANY($2::bigint[]) GROUP BY run_id, status', [administrationId, runIds])
    : [];
  const out = new Map<number, Partial<Record<OutboxState, number>>>();
  for (const r of rows) out.set(r.run_id, { ...(out.get(r.run_id) ?? {}), [r.status]: r.n });
  return out;
}

export async function getOutboxAction(q: Queryable, administrationId: number, id: number): Promise<ActionRow | null> {
  const [r] = await q.query<ActionRow>('SELECT * FROM dunning_actions WHERE administration_id = $1 AND id = $2', [administrationId, id]);
  return r ?? null;
}

export type StateRow = { from_state: string | null; to_state: string; at: Date | string; actor: string | null; detail: string | null };

export async function stateHistory(q: Queryable, administrationId: number, actionId: number): Promise<StateRow[]> {
  return q.query<StateRow>('SELECT from_state, to_state, at, actor, detail FROM dunning_action_states WHERE administration_id = $1 AND action_id = $2 ORDER BY id', [administrationId, actionId]);
}

/** Steps on their way for the items of these debtors: the planner lets those items wait. */
export async function pendingSteps(q: Queryable, administrationId: number, debtorIds?: readonly number[]): Promise<{ item_id: number; step_key: string; letter_date: string | null }[]> {
  return q.query(
    `SELECT unnest(item_ids) AS item_id, step_key, letter_date FROM dunning_actions
      WHERE administration_id = $1 AND status IN ('queued', 'sending', 'uncertain', 'to_print', 'printed') AND step_key <> 'statement_on_request'
        AND ($2::bigint[] IS NULL OR debtor_id = ANY($2::bigint[]))`,
    [administrationId, debtorIds ?? null],
  );
}

/** Failed or bounced e-mails per (debtor, step): with the paper fallback on, the next run sends them as letters. */
export async function undeliveredEmailSteps(q: Queryable, administrationId: number): Promise<Set<string>> {
  const rows = await q.query<{ debtor_id: number; step_key: string }>(
    `SELECT DISTINCT debtor_id, step_key FROM dunning_actions WHERE administration_id = $1 AND delivery = 'email' AND status IN ('failed', 'bounced')`,
    [administrationId],
  );
  return new Set(rows.map((r) => `${r.debtor_id}:${r.step_key}`));
}

/** Open credits (credit notes, payments not yet set against an invoice) of these debtors. */
export async function openCredits(q: Queryable, administrationId: number, debtorIds: readonly number[]): Promise<{ id: number; debtor_id: number; kind: StoredCredit['kind']; number: string; issue_date: string; open_cents: number; currency: string }[]> {
  return q.query(
    `SELECT id, debtor_id, CASE WHEN kind = 'invoice' THEN 'overpaid_invoice' ELSE kind END AS kind, number, issue_date, open_cents, trim(currency) AS currency FROM items
      WHERE administration_id = $1 AND debtor_id = ANY($2::bigint[]) AND open_cents < 0 ORDER BY issue_date, id`,
    [administrationId, debtorIds],
  );
}
