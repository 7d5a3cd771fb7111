/** The dashboard summary: one call for the web application's first screen. */
import { dashboardSummary } from '../../store/dashboard.ts';
import { formatCents } from '../../domain/money.ts';
import { Amount, IsoDateSchema } from '../schemas.ts';
import { AdminParam, createRoute, errors, json, loadAdmin, z, type Api, type RouteDeps } from './common.ts';

const DashboardSchema = z
  .object({
    asOf: IsoDateSchema,
    open: Amount, overdue: Amount, openItems: z.number().int(), overdueItems: z.number().int(),
    byCurrency: z.record(z.string(), z.object({ open: Amount, overdue: Amount, openItems: z.number().int(), overdueItems: z.number().int() })).openapi({ description: 'per ISO 4217 currency; open and overdue above are EUR' }),
    debtorsOpen: z.number().int(), debtorsOverdue: z.number().int(),
    dso: z.number().nullable().openapi({ description: 'Days sales outstanding: open receivables ÷ invoiced in the last 90 days × 90' }),
    bestPossibleDso: z.number().nullable().openapi({ description: 'The same with only what is not yet due' }),
    dsoTrend: z.array(z.object({ month: IsoDateSchema, dso: z.number().nullable(), receivables: Amount, invoiced: Amount })).openapi({ description: 'DSO on the same day of each of the previous months, oldest first, ending at asOf' }),
    expected: z.array(z.object({ weekStart: IsoDateSchema, due: Amount, items: z.number().int() })).openapi({ description: 'Open amounts falling due per week (Monday–Sunday), from the week of asOf' }),
    paused: z.array(z.object({ reason: z.string().openapi({ description: '"hold:<reason>", "status:<key>", "dispute", "promise" or "plan"' }), debtors: z.number().int(), items: z.number().int() })),
  })
  .openapi('Dashboard');

export function registerDashboardRoutes(app: Api, { db, today }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/dashboard', tags: ['Insight'], summary: 'Totals, DSO and its trend, what falls due in the coming weeks, and what is paused and why',
      request: { params: AdminParam, query: z.object({ asOf: IsoDateSchema.optional(), months: z.coerce.number().int().min(1).max(24).default(6), weeks: z.coerce.number().int().min(1).max(26).default(8) }) },
      responses: { 200: json(DashboardSchema), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      const s = await dashboardSummary(db, a.id, q.asOf ?? today(), { months: q.months, weeks: q.weeks });
      return c.json({
        asOf: s.asOf, open: formatCents(s.openCents), overdue: formatCents(s.overdueCents), openItems: s.openItems, overdueItems: s.overdueItems,
        byCurrency: Object.fromEntries(Object.entries(s.byCurrency).map(([c, v]) => [c, { open: formatCents(v.openCents), overdue: formatCents(v.overdueCents), openItems: v.openItems, overdueItems: v.overdueItems }])),
        debtorsOpen: s.debtorsOpen, debtorsOverdue: s.debtorsOverdue,
        dso: s.dso, bestPossibleDso: s.bestPossibleDso,
        dsoTrend: s.dsoTrend.map((p) => ({ month: p.month, dso: p.dso, receivables: formatCents(p.receivablesCents), invoiced: formatCents(p.invoicedCents) })),
        expected: s.expected.map((w) => ({ weekStart: w.weekStart, due: formatCents(w.dueCents), items: w.items })),
        paused: s.paused,
      }, 200);
    },
  );
}
