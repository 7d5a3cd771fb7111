/**
 * The HTTP API: one Hono app, routes declared with their OpenAPI 3.1 contract (served at
 * /api/openapi.json, browsable at /api/docs). Every tenant-scoped route lives under
 * /api/administrations/{adminId}/… . Errors have one JSON shape with a stable code.
 * Each capability registers its routes from http/routes/.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Db } from '../store/db.ts';
import { todayIn } from '../domain/dates.ts';
import { errorResponse } from './errors.ts';
import { docsPage } from './docs.ts';
import { registerLedgerRoutes } from './routes/ledger.ts';
import { registerBankRoutes } from './routes/bank.ts';
import { registerDunningRoutes, registerTemplateRoutes, registerWorkflowSettingsRoutes } from './routes/dunning.ts';
import { registerStatic } from './static.ts';
import { registerOutboxRoutes } from './routes/outbox.ts';
import { registerDashboardRoutes } from './routes/dashboard.ts';
import { registerCareRoutes } from './routes/care.ts';
import { authMiddleware } from './auth.ts';
import { registerAuthRoutes } from './routes/auth.ts';

export type AppDeps = {
  db: Db; today?: () => string; maxUploadBytes?: number;
  /** Requests per minute: per IP on login/setup/reset, per caller on the API (http/auth.ts). */
  rateLimits?: { loginPerMinute?: number; apiPerMinute?: number };
  /** The address in mailed links (password reset); default VORDER_PUBLIC_URL, else the request's origin. */
  publicUrl?: string;
};

export function createApp(deps: AppDeps) {
  const { db } = deps;
  const routeDeps = { db, today: deps.today ?? (() => todayIn()), maxUpload: deps.maxUploadBytes ?? 200 * 1024 * 1024 };
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const problems = result.error.issues.map((i) => ({ field: i.path.join('.'), code: 'invalid', message: i.message }));
        return c.json({ error: { code: 'validation', message: `invalid request: ${problems.map((p) => `${p.field || '(body)'}: ${p.message}`).join('; ')}`, problems } }, 400);
      }
    },
  });
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}`, problems: [] } }, 404));
  // every request passes the gate first: headers, rate limits, login, role (http/roles.ts), CSRF, body limits, audit
  app.use('*', authMiddleware({ db, maxUpload: routeDeps.maxUpload, ...deps.rateLimits }));

  registerLedgerRoutes(app, routeDeps);
  registerBankRoutes(app, routeDeps);
  registerDunningRoutes(app, routeDeps);
  registerTemplateRoutes(app, routeDeps);
  registerWorkflowSettingsRoutes(app, routeDeps);
  registerOutboxRoutes(app, routeDeps);
  registerCareRoutes(app, routeDeps);
  registerAuthRoutes(app, routeDeps, deps.publicUrl);

  app.get('/api/health', async (c) => {
    await db.query('SELECT 1');
    return c.json({ ok: true, engine: db.engine });
  });
  app.doc31('/api/openapi.json', { openapi: '3.1.0', info: { title: 'Vorder API', version: '0.1.0', description: 'Credit management (debiteurenbeheer): administrations, debtors, open items, imports, aging. Amounts are decimal strings; dates are YYYY-MM-DD.' } });
  app.get('/api/docs', (c) => c.html(docsPage()));
  registerDashboardRoutes(app, routeDeps);
  registerStatic(app); // the web application (dist/web); last, so /api routes win
  return app;
}
