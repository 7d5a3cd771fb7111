/** Aging as one SQL aggregate, generated from the bucket table in domain/aging.ts. */
import { AGING_BUCKETS, type AgingKey } from '../domain/aging.ts';
import type { Queryable } from './db.ts';

export type AgingRow = Record<AgingKey, number> & { total: number };
export type DebtorAgingRow = AgingRow & { debtorId: number; debtorNumber: string; debtorName: string };

function bucketColumns(): string {
  return AGING_BUCKETS.map((b) => {
    const conds: string[] = [];
    if (b.minDays !== null) conds.push(`($2::date - i.due_date) >= ${b.minDays}`);
    if (b.maxDays !== null) conds.push(`($2::date - i.due_date) <= ${b.maxDays}`);
    return `coalesce(sum(i.open_cents) FILTER (WHERE ${conds.join(' AND ')}), 0)::bigint AS ${b.key}`;
  }).join(',\n  ');
}

export async function agingTotals(q: Queryable, administrationId: number, asOf: string, opts: { debtorId?: number } = {}): Promise<AgingRow> {
  const params: unknown[] = [administrationId, asOf];
  let extra = '';
  if (opts.debtorId !== undefined) { params.push(opts.debtorId); extra = ' AND i.debtor_id = $3'; }
  const [r] = await q.query<AgingRow>(
    `SELECT ${bucketColumns()}, coalesce(sum(i.open_cents), 0)::bigint AS total
       FROM items i WHERE i.administration_id = $1 AND i.open_cents <> 0${extra}`,
    params,
  );
  return r!;
}

export async function agingByDebtor(q: Queryable, administrationId: number, asOf: string, opts: { limit?: number; offset?: number; overdueOnly?: boolean } = {}): Promise<DebtorAgingRow[]> {
  const rows = await q.query<AgingRow & { debtor_id: number; debtor_number: string; debtor_name: string }>(
    `SELECT a.*, d.number AS debtor_number, d.name AS debtor_name FROM (
       SELECT i.debtor_id, ${bucketColumns()}, coalesce(sum(i.open_cents), 0)::bigint AS total
         FROM items i WHERE i.administration_id = $1 AND i.open_cents <> 0 GROUP BY i.debtor_id) a
       JOIN debtors d ON d.id = a.debtor_id
      ${opts.overdueOnly ? 'WHERE a.total - a.not_due > 0' : ''}
      ORDER BY (a.total - a.not_due) DESC, a.total DESC, d.number
      LIMIT ${Math.min(opts.limit ?? 100, 100_000)} OFFSET ${Math.max(0, opts.offset ?? 0)}`,
    [administrationId, asOf],
  );
  return rows.map(({ debtor_id, debtor_number, debtor_name, ...rest }) => ({ ...rest, debtorId: debtor_id, debtorNumber: debtor_number, debtorName: debtor_name }));
}
