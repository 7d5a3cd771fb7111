/** The derived totals (migration 0006) must equal what the items and allocations say: compared row by row. */
import { expect } from 'vitest';
import type { Queryable } from '../../src/store/db.ts';

const norm = <T extends Record<string, unknown>>(rows: T[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));

export async function expectTotalsMatchItems(q: Queryable, administrationId: number): Promise<void> {
  const debtors = await q.query(
    `SELECT debtor_id::int, open_cents::bigint, positive_cents::bigint, open_items::int, oldest_due::text FROM debtor_totals WHERE administration_id = $1 ORDER BY debtor_id`, [administrationId]);
  const debtorsExpected = await q.query(
    `SELECT d.id::int AS debtor_id, coalesce(sum(i.open_cents), 0)::bigint AS open_cents, coalesce(sum(greatest(i.open_cents, 0)), 0)::bigint AS positive_cents,
            (count(i.id) FILTER (WHERE i.open_cents <> 0))::int AS open_items, (min(i.due_date) FILTER (WHERE i.open_cents > 0))::text AS oldest_due
       FROM debtors d LEFT JOIN items i ON i.debtor_id = d.id WHERE d.administration_id = $1 GROUP BY d.id ORDER BY d.id`, [administrationId]);
  expect(norm(debtors)).toEqual(norm(debtorsExpected));
  const due = await q.query(
    `SELECT due_date::text, open_cents::bigint, positive_cents::bigint, open_items::int, positive_items::int FROM open_by_due_date
      WHERE administration_id = $1 AND (open_cents, positive_cents, open_items, positive_items) <> (0, 0, 0, 0) ORDER BY due_date`, [administrationId]);
  const dueExpected = await q.query(
    `SELECT due_date::text, sum(open_cents)::bigint AS open_cents, sum(greatest(open_cents, 0))::bigint AS positive_cents,
            (count(*) FILTER (WHERE open_cents <> 0))::int AS open_items, (count(*) FILTER (WHERE open_cents > 0))::int AS positive_items
       FROM items WHERE administration_id = $1 AND open_cents <> 0 GROUP BY due_date ORDER BY due_date`, [administrationId]);
  expect(norm(due)).toEqual(norm(dueExpected));
  const days = await q.query(
    `SELECT date::text, issued_cents::bigint, invoiced_cents::bigint, allocated_cents::bigint FROM ledger_days
      WHERE administration_id = $1 AND (issued_cents, invoiced_cents, allocated_cents) <> (0, 0, 0) ORDER BY date`, [administrationId]);
  const daysExpected = await q.query(
    `SELECT date::text, sum(issued)::bigint AS issued_cents, sum(invoiced)::bigint AS invoiced_cents, sum(allocated)::bigint AS allocated_cents FROM (
       SELECT issue_date AS date, amount_cents AS issued, CASE WHEN kind = 'invoice' THEN amount_cents ELSE 0 END AS invoiced, 0 AS allocated FROM items WHERE administration_id = $1
       UNION ALL SELECT date, 0, 0, cents FROM allocations WHERE administration_id = $1) x
      GROUP BY date HAVING (sum(issued), sum(invoiced), sum(allocated)) <> (0, 0, 0) ORDER BY date`, [administrationId]);
  expect(norm(days)).toEqual(norm(daysExpected));
}
