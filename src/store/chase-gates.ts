/**
 * What pauses the chase, as the dunning run needs it: statuses that pause, open promises to pay
 * (until the promised date plus grace), active payment plans, and items in an open dispute.
 */
import type { Queryable } from './db.ts';
import { addDays } from '../domain/dates.ts';

export type ChaseGates = {
  pausedStatuses: Set<string>;
  promiseByDebtor: Map<number, { until: string; itemIds: number[] | 'all' }>;
  planDebtors: Set<number>;
  disputedItems: Set<number>;
};

/** Statuses that pause the chase when an administration has not set up its own table yet. */
export const DEFAULT_PAUSING_STATUSES = ['promise', 'payment_plan', 'dispute', 'collection_agency', 'legal', 'written_off', 'on_hold'];

export async function loadChaseGates(q: Queryable, administrationId: number, _asOf: string): Promise<ChaseGates> {
  const statuses = await q.query<{ key: string; pauses_chase: boolean }>('SELECT key, pauses_chase FROM debtor_statuses WHERE administration_id = $1', [administrationId]);
  const pausedStatuses = new Set(statuses.length ? statuses.filter((s) => s.pauses_chase).map((s) => s.key) : DEFAULT_PAUSING_STATUSES);
  const promises = await q.query<{ debtor_id: number; promised_date: string; grace_days: number; item_ids: number[] }>(
    `SELECT debtor_id, promised_date, grace_days, item_ids FROM promises WHERE administration_id = $1 AND status = 'open' ORDER BY promised_date`,
    [administrationId],
  );
  const promiseByDebtor = new Map<number, { until: string; itemIds: number[] | 'all' }>();
  for (const p of promises) {
    const until = addDays(p.promised_date, p.grace_days);
    const prev = promiseByDebtor.get(p.debtor_id);
    const itemIds: number[] | 'all' = p.item_ids.length ? p.item_ids.map(Number) : 'all';
    if (!prev) promiseByDebtor.set(p.debtor_id, { until, itemIds });
    else promiseByDebtor.set(p.debtor_id, { until: until > prev.until ? until : prev.until, itemIds: prev.itemIds === 'all' || itemIds === 'all' ? 'all' : [...new Set([...prev.itemIds, ...itemIds])] });
  }
  const plans = await q.query<{ debtor_id: number }>(`SELECT DISTINCT debtor_id FROM payment_plans WHERE administration_id = $1 AND status = 'active'`, [administrationId]);
  const disputed = await q.query<{ item_id: number }>(
    `SELECT di.item_id FROM dispute_items di JOIN disputes d ON d.id = di.dispute_id WHERE d.administration_id = $1 AND d.status = 'open'`,
    [administrationId],
  );
  return { pausedStatuses, promiseByDebtor, planDebtors: new Set(plans.map((p) => p.debtor_id)), disputedItems: new Set(disputed.map((d) => d.item_id)) };
}
