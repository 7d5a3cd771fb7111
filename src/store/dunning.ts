/** Dunning: policies, the inputs of a run, runs, the outbox of actions, step history, tasks. */
import type { Queryable } from './db.ts';
import type { DunningPolicy } from '../domain/dunning/policy.ts';
import type { ItemHistory, PlanDebtor, PlanItem } from '../domain/dunning/plan.ts';

export type PolicyRow = { id: number; key: string; name: string; definition: DunningPolicy; is_default: boolean; segment: string | null };

export async function listPolicies(q: Queryable, administrationId: number): Promise<PolicyRow[]> {
  return q.query<PolicyRow>('SELECT id, key, name, definition, is_default, segment FROM dunning_policies WHERE administration_id = $1 ORDER BY id', [administrationId]);
}

export async function upsertPolicy(q: Queryable, administrationId: number, p: DunningPolicy, scope: { isDefault: boolean; segment: string | null }): Promise<void> {
  await q.query(
    `INSERT INTO dunning_policies (administration_id, key, name, definition, is_default, segment) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (administration_id, key) DO UPDATE SET name = EXCLUDED.name, definition = EXCLUDED.definition, is_default = EXCLUDED.is_default, segment = EXCLUDED.segment, updated_at = now()`,
    [administrationId, p.key, p.name, JSON.stringify(p), scope.isDefault, scope.segment],
  );
  if (scope.isDefault) await q.query('UPDATE dunning_policies SET is_default = false WHERE administration_id = $1 AND key <> $2', [administrationId, p.key]);
}

/** Debtors with something open, as the planner sees them (care gates are applied by the caller). Addresses a bounce showed undeliverable are left out (inbound mail). */
export async function planDebtors(q: Queryable, administrationId: number, debtorIds?: readonly number[]): Promise<(PlanDebtor & { emails: string[]; addressLine: string | null; postalCode: string | null; city: string | null; country: string | null })[]> {
  const rows = await q.query<{ id: number; number: string; name: string; type: 'business' | 'consumer'; language: string; on_hold: boolean; hold_reason: string | null; status: string; segment: string | null; policy_key: string | null; emails: string[]; address_line: string | null; postal_code: string | null; city: string | null; country: string | null }>(
    `SELECT d.id, d.number, d.name, d.type, d.language, d.on_hold, d.hold_reason, d.status, d.segment, d.policy_key,
            ARRAY(SELECT e FROM unnest(d.emails) e WHERE lower(e) <> ALL(d.undeliverable_emails)) AS emails, d.address_line, d.postal_code, d.city, d.country
       FROM debtors d JOIN debtor_totals t ON t.debtor_id = d.id WHERE d.administration_id = $1 AND t.open_items > 0 AND ($2::bigint[] IS NULL OR d.id = ANY($2::bigint[]))`,
    [administrationId, debtorIds ?? null],
  );
  return rows.map((r) => ({
    id: String(r.id), number: r.number, name: r.name, type: r.type, language: r.language, onHold: r.on_hold, onHoldReason: r.hold_reason, status: r.status,
    segment: r.segment, policyId: r.policy_key, emails: r.emails ?? [], addressLine: r.address_line, postalCode: r.postal_code, city: r.city, country: r.country,
  }));
}

export async function planItems(q: Queryable, administrationId: number, debtorIds?: readonly number[]): Promise<PlanItem[]> {
  const rows = await q.query<{ id: number; debtor_id: number; number: string; issue_date: string; due_date: string; open_cents: number; currency: string; on_hold: boolean; hold_reason: string | null }>(
    `SELECT id, debtor_id, number, issue_date, due_date, open_cents, trim(currency) AS currency, on_hold, hold_reason FROM items WHERE administration_id = $1 AND open_cents <> 0 AND ($2::bigint[] IS NULL OR debtor_id = ANY($2::bigint[]))`,
    [administrationId, debtorIds ?? null],
  );
  return rows.map((r) => ({ id: String(r.id), debtorId: String(r.debtor_id), number: r.number, issueDate: r.issue_date, dueDate: r.due_date, openCents: r.open_cents, currency: r.currency, onHold: r.on_hold, onHoldReason: r.hold_reason }));
}

export async function planHistory(q: Queryable, administrationId: number, fourteenDaySteps: ReadonlySet<string>, debtorIds?: readonly number[]): Promise<ItemHistory[]> {
  const rows = await q.query<{ item_id: number; step_key: string; sent_date: string }>(
    `SELECT h.item_id, h.step_key, h.sent_date FROM dunning_history h JOIN items i ON i.id = h.item_id AND i.open_cents <> 0 WHERE h.administration_id = $1 AND ($2::bigint[] IS NULL OR i.debtor_id = ANY($2::bigint[]))`,
    [administrationId, debtorIds ?? null],
  );
  const by = new Map<string, { stepKey: string; sentDate: string; fourteenDayLetter?: boolean }[]>();
  for (const r of rows) {
    const k = String(r.item_id);
    const list = by.get(k) ?? [];
    list.push({ stepKey: r.step_key, sentDate: r.sent_date, ...(fourteenDaySteps.has(r.step_key) ? { fourteenDayLetter: true } : {}) });
    by.set(k, list);
  }
  return [...by].map(([itemId, sent]) => ({ itemId, sent }));
}

export async function existingDedupeKeys(q: Queryable, administrationId: number): Promise<Set<string>> {
  return new Set((await q.query<{ dedupe_key: string }>(`SELECT dedupe_key FROM dunning_actions WHERE administration_id = $1 AND status NOT IN ('failed', 'bounced', 'cancelled')`, [administrationId])).map((r) => r.dedupe_key));
}

export type { ActionRow } from './outbox.ts';
import type { ActionRow } from './outbox.ts';

export async function listActions(q: Queryable, administrationId: number, opts: { runId?: number; debtorId?: number; status?: string[]; limit?: number }): Promise<ActionRow[]> {
  const where = ['administration_id = $1'];
  const params: unknown[] = [administrationId];
  if (opts.runId !== undefined) { params.push(opts.runId); where.push(`run_id = $${params.length}`); }
  if (opts.debtorId !== undefined) { params.push(opts.debtorId); where.push(`debtor_id = $${params.length}`); }
  if (opts.status) { params.push(opts.status); where.push(`status = ANY($${params.length}::text[])`); }
  return q.query<ActionRow>(`SELECT * FROM dunning_actions WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${Math.min(opts.limit ?? 1000, 100_000)}`, params);
}

export async function getAction(q: Queryable, administrationId: number, id: number): Promise<ActionRow | null> {
  const [r] = await q.query<ActionRow>('SELECT * FROM dunning_actions WHERE administration_id = $1 AND id = $2', [administrationId, id]);
  return r ?? null;
}

export type RunRow = { id: number; as_of: string; mode: string; status: string; override: boolean; trigger: string; summary: Record<string, unknown>; actor: string | null; created_at: Date | string };

export async function listRuns(q: Queryable, administrationId: number, limit = 50): Promise<RunRow[]> {
  return q.query<RunRow>('SELECT * FROM dunning_runs WHERE administration_id = $1 ORDER BY id DESC LIMIT $2', [administrationId, limit]);
}
