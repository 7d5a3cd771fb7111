/** The cross-administration overview: per administration, what is open, overdue and waiting. */
import type { Queryable } from './db.ts';

export type OverviewRow = {
  administrationId: number; name: string; openCents: number; overdueCents: number; openItems: number; overdueItems: number;
  bankLinesToReview: number; openTasks: number; tasksDue: number; openDisputes: number;
};

export async function administrationsOverview(db: Queryable, ids: readonly number[], asOf: string): Promise<OverviewRow[]> {
  if (!ids.length) return [];
  return db.query<OverviewRow>(
    `SELECT a.id AS "administrationId", a.name,
            coalesce(i.open_cents, 0)::bigint AS "openCents", coalesce(i.overdue_cents, 0)::bigint AS "overdueCents",
            coalesce(i.open_items, 0)::int AS "openItems", coalesce(i.overdue_items, 0)::int AS "overdueItems",
            (SELECT count(*) FROM bank_lines l WHERE l.administration_id = a.id AND l.status IN ('unmatched', 'suggested'))::int AS "bankLinesToReview",
            (SELECT count(*) FROM tasks t WHERE t.administration_id = a.id AND t.status = 'open')::int AS "openTasks",
            (SELECT count(*) FROM tasks t WHERE t.administration_id = a.id AND t.status = 'open' AND t.due_date <= $2::date)::int AS "tasksDue",
            (SELECT count(*) FROM disputes d WHERE d.administration_id = a.id AND d.status = 'open')::int AS "openDisputes"
       FROM administrations a
       LEFT JOIN LATERAL (
         SELECT sum(open_cents) AS open_cents, sum(open_cents) FILTER (WHERE due_date < $2::date AND open_cents > 0) AS overdue_cents,
                count(*) AS open_items, count(*) FILTER (WHERE due_date < $2::date AND open_cents > 0) AS overdue_items
           FROM items WHERE administration_id = a.id AND open_cents <> 0) i ON true
      WHERE a.id = ANY($1::bigint[])
      ORDER BY a.name, a.id`,
    [ids, asOf],
  );
}

/** The ids in the overview's order (by name), each to be read confined to itself. */
export async function administrationOrder(db: Queryable, ids: readonly number[]): Promise<number[]> {
  if (!ids.length) return [];
  return (await db.query<{ id: number }>('SELECT id FROM administrations WHERE id = ANY($1::bigint[]) ORDER BY name, id', [ids])).map((r) => r.id);
}
