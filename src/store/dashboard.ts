/**
 * The dashboard in a handful of queries over the derived totals (migration 0006): open and overdue totals, DSO now and at the
 * same day of the previous months, what falls due in the coming weeks, and what is paused and why.
 *
 * DSO (days sales outstanding), the simple method: receivables at a date ÷ invoiced in the 90 days
 * before it × 90. Receivables at a past date = items issued by then − allocations dated by then
 * (an approximation where older, fully paid history was never imported). "Best possible DSO"
 * counts only what is not yet due.
 */
import { addDays, addMonths, weekday } from '../domain/dates.ts';
import type { Queryable } from './db.ts';

export type DashboardSummary = {
  asOf: string;
  /** Open and overdue in EUR (the administration's currency); `byCurrency` has every currency with open items on its own. */
  openCents: number; overdueCents: number;
  byCurrency: Record<string, { openCents: number; overdueCents: number; openItems: number; overdueItems: number }>; openItems: number; overdueItems: number; debtorsOpen: number; debtorsOverdue: number;
  dso: number | null; bestPossibleDso: number | null;
  dsoTrend: { month: string; dso: number | null; receivablesCents: number; invoicedCents: number }[];
  expected: { weekStart: string; dueCents: number; items: number }[];
  paused: { reason: string; debtors: number; items: number }[];
};

const DSO_WINDOW = 90;

export async function dashboardSummary(q: Queryable, administrationId: number, asOf: string, opts: { months?: number; weeks?: number } = {}): Promise<DashboardSummary> {
  const months = opts.months ?? 6;
  const weeks = opts.weeks ?? 8;
  // the derived totals (migration 0006, kept by triggers): a few hundred rows instead of every item
  const [t] = await q.query<{ open: number; overdue: number; not_due: number; open_items: number; overdue_items: number }>(
    `SELECT coalesce(sum(open_cents), 0)::bigint AS open,
            coalesce(sum(positive_cents) FILTER (WHERE due_date < $2::date), 0)::bigint AS overdue,
            coalesce(sum(open_cents) FILTER (WHERE due_date >= $2::date), 0)::bigint AS not_due,
            coalesce(sum(open_items), 0)::int AS open_items, coalesce(sum(positive_items) FILTER (WHERE due_date < $2::date), 0)::int AS overdue_items
       FROM open_by_due_date WHERE administration_id = $1`,
    [administrationId, asOf],
  );
  // the derived totals add every currency together: the other currencies (index of 0016) are taken out
  const others = await q.query<{ currency: string; open: number; overdue: number; open_items: number; overdue_items: number }>(
    `SELECT trim(currency) AS currency, coalesce(sum(open_cents), 0)::bigint AS open,
            coalesce(sum(open_cents) FILTER (WHERE due_date < $2::date AND open_cents > 0), 0)::bigint AS overdue,
            count(*)::int AS open_items, count(*) FILTER (WHERE due_date < $2::date AND open_cents > 0)::int AS overdue_items
       FROM items WHERE administration_id = $1 AND open_cents <> 0 AND currency <> 'EUR' GROUP BY 1 ORDER BY 1`,
    [administrationId, asOf],
  );
  const eur = { openCents: Number(t!.open), overdueCents: Number(t!.overdue), openItems: t!.open_items, overdueItems: t!.overdue_items };
  const byCurrency: DashboardSummary['byCurrency'] = {};
  for (const o of others) {
    byCurrency[o.currency] = { openCents: Number(o.open), overdueCents: Number(o.overdue), openItems: o.open_items, overdueItems: o.overdue_items };
    eur.openCents -= Number(o.open);
    eur.overdueCents -= Number(o.overdue);
    eur.openItems -= o.open_items;
    eur.overdueItems -= o.overdue_items;
  }
  byCurrency.EUR = eur;
  const [dc] = await q.query<{ debtors_open: number; debtors_overdue: number }>(
    `SELECT count(*) FILTER (WHERE open_items > 0)::int AS debtors_open, count(*) FILTER (WHERE oldest_due < $2::date)::int AS debtors_overdue
       FROM debtor_totals WHERE administration_id = $1`,
    [administrationId, asOf],
  );

  // DSO now and on the same day of earlier months, from per-day sums (one pass over items, one over allocations)
  const points = Array.from({ length: months + 1 }, (_, k) => addMonths(asOf, k - months));
  const first = addDays(points[0]!, -DSO_WINDOW);
  const days = await q.query<{ d: string; amount: number; invoiced: number; paid: number }>(
    `SELECT CASE WHEN date < $2::date THEN $2::date ELSE date END AS d, sum(issued_cents)::bigint AS amount,
            coalesce(sum(invoiced_cents) FILTER (WHERE date >= $2::date), 0)::bigint AS invoiced, sum(allocated_cents)::bigint AS paid
       FROM ledger_days WHERE administration_id = $1 AND date <= $3::date GROUP BY 1`,
    [administrationId, first, asOf],
  );
  const dsoTrend = points.map((p) => {
    const from = addDays(p, -DSO_WINDOW);
    let receivables = 0;
    let invoiced = 0;
    for (const r of days) {
      if (r.d <= p) receivables += Number(r.amount) - Number(r.paid);
      if (r.d > from && r.d <= p) invoiced += Number(r.invoiced);
    }
    // negative receivables mean the history before the first import is missing: no DSO for that date
    return { month: p, receivablesCents: receivables, invoicedCents: invoiced, dso: invoiced > 0 && receivables >= 0 ? Math.round((receivables / invoiced) * DSO_WINDOW * 10) / 10 : null };
  });
  const now = dsoTrend[dsoTrend.length - 1]!;
  // today's DSO from today's real open amount (exact), with the invoiced window of the trend
  const dso = now.invoicedCents > 0 ? Math.round((Math.max(0, Number(t!.open)) / now.invoicedCents) * DSO_WINDOW * 10) / 10 : null;
  const bestPossibleDso = now.invoicedCents > 0 ? Math.round((Math.max(0, Number(t!.not_due)) / now.invoicedCents) * DSO_WINDOW * 10) / 10 : null;
  if (dso !== null) now.dso = dso;
  now.receivablesCents = Number(t!.open);

  // falling due per week (Monday to Sunday), from the week of the as-of date
  const monday = addDays(asOf, 1 - weekday(asOf));
  const end = addDays(monday, weeks * 7);
  const due = await q.query<{ d: string; cents: number; n: number }>(
    `SELECT due_date AS d, positive_cents AS cents, positive_items AS n FROM open_by_due_date
      WHERE administration_id = $1 AND positive_items > 0 AND due_date >= $2::date AND due_date < $3::date`,
    [administrationId, asOf, end],
  );
  const expected = Array.from({ length: weeks }, (_, k) => ({ weekStart: addDays(monday, k * 7), dueCents: 0, items: 0 }));
  for (const r of due) {
    const w = expected.find((e) => r.d >= e.weekStart && r.d < addDays(e.weekStart, 7));
    if (w) { w.dueCents += Number(r.cents); w.items += r.n; }
  }

  // paused: debtors and items on hold (by reason), debtors in a status that pauses the chase, open disputes, promises, plans
  const paused = await q.query<{ reason: string; debtors: number; items: number }>(
    `SELECT reason, sum(debtors)::int AS debtors, sum(items)::int AS items FROM (
       SELECT 'hold:' || coalesce(nullif(trim(hold_reason), ''), '-') AS reason, count(*) AS debtors, 0 AS items FROM debtors WHERE administration_id = $1 AND on_hold GROUP BY 1
       UNION ALL
       SELECT 'hold:' || coalesce(nullif(trim(hold_reason), ''), '-'), 0, count(*) FROM items WHERE administration_id = $1 AND on_hold AND open_cents <> 0 GROUP BY 1
       UNION ALL
       SELECT 'status:' || d.status, count(*), 0 FROM debtors d JOIN debtor_statuses s ON s.administration_id = d.administration_id AND s.key = d.status AND s.pauses_chase
        WHERE d.administration_id = $1 GROUP BY 1
       UNION ALL
       SELECT 'dispute', count(DISTINCT debtor_id), 0 FROM disputes WHERE administration_id = $1 AND status = 'open' HAVING count(*) > 0
       UNION ALL
       SELECT 'promise', count(DISTINCT debtor_id), 0 FROM promises WHERE administration_id = $1 AND status = 'open' HAVING count(*) > 0
       UNION ALL
       SELECT 'plan', count(DISTINCT debtor_id), 0 FROM payment_plans WHERE administration_id = $1 AND status = 'active' HAVING count(*) > 0
     ) x GROUP BY reason ORDER BY sum(debtors) + sum(items) DESC, reason LIMIT 20`,
    [administrationId],
  );

  return {
    asOf,
    openCents: eur.openCents, overdueCents: eur.overdueCents, openItems: eur.openItems, overdueItems: eur.overdueItems, byCurrency, debtorsOpen: dc!.debtors_open, debtorsOverdue: dc!.debtors_overdue,
    dso, bestPossibleDso, dsoTrend, expected, paused,
  };
}
