/** Aging as one SQL aggregate, generated from the bucket table in domain/aging.ts. */
import { AGING_BUCKETS, type AgingKey } from '../domain/aging.ts';
import type { Queryable } from './db.ts';
import { topByBound } from './top.ts';

/**
 * The buckets hold what can fall overdue: the positive open amounts, by days overdue. Credit notes
 * and credit balances (negative open amounts) are `credits`, never in a bucket: total = the
 * buckets + credits = the balance. The same rule as domain/aging.ts ageItems and the dashboard.
 */
export type AgingBuckets = Record<AgingKey, number> & { credits: number; total: number };
/**
 * The buckets in EUR (the administration's currency), and `byCurrency` with every currency that
 * has open items (EUR included), each on its own: amounts of two currencies are never added.
 */
export type AgingRow = AgingBuckets & { byCurrency: Record<string, AgingBuckets> };
export type DebtorAgingRow = AgingRow & { debtorId: number; debtorNumber: string; debtorName: string };

function columns(dueDate: string, positive: string, negative: string): string {
  return [
    ...AGING_BUCKETS.map((b) => {
      const conds: string[] = [];
      if (b.minDays !== null) conds.push(`($2::date - ${dueDate}) >= ${b.minDays}`);
      if (b.maxDays !== null) conds.push(`($2::date - ${dueDate}) <= ${b.maxDays}`);
      return `coalesce(sum(${positive}) FILTER (WHERE ${conds.join(' AND ')}), 0)::bigint AS ${b.key}`;
    }),
    `coalesce(sum(${negative}), 0)::bigint AS credits`,
  ].join(',\n  ');
}

/** Over items. */
const bucketColumns = () => columns('i.due_date', 'greatest(i.open_cents, 0)', 'least(i.open_cents, 0)');
/** Over the derived open amounts per due date (migration 0006 keeps the positive part apart). */
const dueDateBucketColumns = () => columns('t.due_date', 't.positive_cents', '(t.open_cents - t.positive_cents)');

/** Aging of a whole administration from the open amounts per due date (derived totals, migration 0006); of one debtor from its items. Per currency. */
export async function agingTotals(q: Queryable, administrationId: number, asOf: string, opts: { debtorId?: number } = {}): Promise<AgingRow> {
  if (opts.debtorId === undefined) {
    const [t] = await q.query<AgingBuckets>(
      `SELECT ${dueDateBucketColumns()}, coalesce(sum(t.open_cents), 0)::bigint AS total FROM open_by_due_date t WHERE t.administration_id = $1 AND $2::date IS NOT NULL`,
      [administrationId, asOf],
    );
    // The derived totals hold every currency together: the other currencies (index of 0016) are taken out.
    const others = await q.query<AgingBuckets & { currency: string }>(
      `SELECT trim(i.currency) AS currency, ${bucketColumns()}, coalesce(sum(i.open_cents), 0)::bigint AS total
         FROM items i WHERE i.administration_id = $1 AND i.open_cents <> 0 AND i.currency <> 'EUR' GROUP BY 1 ORDER BY 1`,
      [administrationId, asOf],
    );
    const eur = { ...t! };
    const keys = [...AGING_BUCKETS.map((b) => b.key as AgingKey), 'credits', 'total'] as (keyof AgingBuckets)[];
    for (const o of others) for (const k of keys) eur[k] = Number(eur[k]) - Number(o[k]);
    return perCurrency([{ currency: 'EUR', ...eur }, ...others]);
  }
  const rows = await q.query<AgingBuckets & { currency: string }>(
    `SELECT trim(i.currency) AS currency, ${bucketColumns()}, coalesce(sum(i.open_cents), 0)::bigint AS total
       FROM items i WHERE i.administration_id = $1 AND i.open_cents <> 0 AND i.debtor_id = $3 GROUP BY 1 ORDER BY 1`,
    [administrationId, asOf, opts.debtorId],
  );
  return perCurrency(rows);
}

function perCurrency(rows: readonly (AgingBuckets & { currency: string })[]): AgingRow {
  const zero = (): AgingBuckets => Object.fromEntries([...AGING_BUCKETS.map((b) => [b.key, 0]), ['credits', 0], ['total', 0]]) as AgingBuckets;
  const byCurrency: Record<string, AgingBuckets> = {};
  for (const { currency, ...b } of rows) {
    const n = zero();
    for (const k of Object.keys(n) as (keyof AgingBuckets)[]) n[k] = Number(b[k]);
    if (currency === 'EUR' || n.total !== 0 || Object.values(n).some((v) => v !== 0)) byCurrency[currency] = n;
  }
  return { ...(byCurrency.EUR ?? zero()), byCurrency };
}

type DebtorAgingDbRow = AgingRow & { debtor_id: number; debtor_number: string; debtor_name: string };
/** Overdue: the positive open amounts past their due date (the buckets after not_due). */
const overdueOf = (r: AgingRow) => Number(r.total) - Number(r.not_due) - Number(r.credits);
const byOverdue = (a: DebtorAgingDbRow, b: DebtorAgingDbRow) => overdueOf(b) - overdueOf(a) || Number(b.total) - Number(a.total) || (a.debtor_number < b.debtor_number ? -1 : a.debtor_number > b.debtor_number ? 1 : 0);

/**
 * Aging per debtor, most overdue first. The first pages are found from the derived debtor totals
 * (exact, see store/top.ts); deep pages, or too few overdue debtors, group all open items.
 */
export async function agingByDebtor(q: Queryable, administrationId: number, asOf: string, opts: { limit?: number; offset?: number; overdueOnly?: boolean } = {}): Promise<DebtorAgingRow[]> {
  const limit = Math.min(opts.limit ?? 100, 100_000);
  const offset = Math.max(0, opts.offset ?? 0);
  const select = (where: string) => `SELECT a.*, d.number AS debtor_number, d.name AS debtor_name FROM (
       SELECT i.debtor_id, ${bucketColumns()}, coalesce(sum(i.open_cents), 0)::bigint AS total
         FROM items i WHERE i.administration_id = $1 AND i.open_cents <> 0${where} GROUP BY i.debtor_id) a
       JOIN debtors d ON d.id = a.debtor_id`;
  let rows: DebtorAgingDbRow[] | null = null;
  if (offset + limit <= 1000) {
    rows = await topByBound<DebtorAgingDbRow>({
      want: offset + limit,
      positiveOnly: opts.overdueOnly,
      candidates: async (off, n) => (await q.query<{ id: number; bound: number }>(
        `SELECT debtor_id AS id, positive_cents AS bound FROM debtor_totals WHERE administration_id = $1 AND oldest_due < $2::date
          ORDER BY positive_cents DESC, debtor_id LIMIT ${n} OFFSET ${off}`, [administrationId, asOf])).map((r) => ({ id: Number(r.id), bound: Number(r.bound) })),
      exact: (ids) => q.query<DebtorAgingDbRow>(select(' AND i.debtor_id = ANY($3::bigint[])'), [administrationId, asOf, ids]),
      value: overdueOf,
      compare: byOverdue,
    });
    if (rows) rows = rows.slice(offset);
  }
  rows ??= await q.query<DebtorAgingDbRow>(
    `${select('')}
      ${opts.overdueOnly ? 'WHERE a.total - a.not_due - a.credits > 0' : ''}
      ORDER BY (a.total - a.not_due - a.credits) DESC, a.total DESC, d.number
      LIMIT ${limit} OFFSET ${offset}`,
    [administrationId, asOf],
  );
  return rows.map(({ debtor_id, debtor_number, debtor_name, ...rest }) => ({ ...rest, debtorId: debtor_id, debtorNumber: debtor_number, debtorName: debtor_name }));
}
