/**
 * The HTTP API: one Hono app, routes declared with their OpenAPI 3.1 contract (served at
 * /api/openapi.json, browsable at /api/docs). Every tenant-scoped route lives under
 * /api/administrations/{adminId}/… . Errors have one JSON shape with a stable code.
 * Each capability registers its routes from http/routes/.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Db } from '../store/db.ts';
import { todayIn } from '../domain/dates.ts';
import type { Listen } from '../app/links.ts';
import { errorResponse } from './errors.ts';
import { docsPage } from './docs.ts';
import { registerLedgerRoutes } from './routes/ledger.ts';
import { registerBankRoutes } from './routes/bank.ts';
import { registerDunningRoutes, registerTemplateRoutes, registerWorkflowSettingsRoutes } from './routes/dunning.ts';
import { registerStatic } from './static.ts';
import { registerOutboxRoutes } from './routes/outbox.ts';
import { registerDashboardRoutes } from './routes/dashboard.ts';
import { registerCareRoutes } from './routes/care.ts';
import { registerMandateRoutes } from './routes/mandates.ts';
import { registerInboundRoutes } from './routes/inbound.ts';
import { registerConnectorRoutes } from './routes/connectors.ts';
import { registerCollectionRoutes } from './routes/collections.ts';
import { registerRefundRoutes } from './routes/refunds.ts';
import { authMiddleware } from './auth.ts';
import { inputGuard } from './input.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { tenantMiddleware } from './tenant.ts';
import { requestDb } from '../store/tenant.ts';
import { registerPortal } from './portal.ts';
import { registerPortalRoutes } from './routes/portal.ts';

export type AppDeps = {
  db: Db; today?: () => string; maxUploadBytes?: number;
  /** Requests per minute: per IP on login/setup/reset, per caller on the API (http/auth.ts); failed logins per IP (app/auth.ts); refused anonymous requests per source. */
  rateLimits?: { loginPerMinute?: number; apiPerMinute?: number; loginFailuresPerMinute?: number; refusalsPerMinute?: number; portalPerMinute?: number };
  /** Mollie's API address (tests: the local fake); default VORDER_MOLLIE_API_URL, else Mollie's own. */
  mollieApiEndpoint?: string;
  /** Trust X-Forwarded-For / X-Forwarded-Proto (behind your own reverse proxy). Default: VORDER_TRUST_PROXY=1. */
  trustProxy?: boolean;
  /** The address in mailed links; default VORDER_PUBLIC_URL, else the instance setting (app/links.ts). Never the request's Host. */
  publicUrl?: string;
  /** Where the server listens: on a loopback address links may default to http://127.0.0.1:PORT. */
  listen?: Listen;
};

/** A schema's complaint as a stable code with parameters: max_length/min_length (text), max_value/min_value (numbers), required, invalid. */
function issueCode(i: { code: string; origin?: string; maximum?: unknown; minimum?: unknown; input?: unknown }): { code: string; params?: Record<string, number> } {
  const text = i.origin === 'string' || i.origin === 'array';
  if (i.code === 'too_big' && (typeof i.maximum === 'number' || typeof i.maximum === 'bigint')) return { code: text ? 'max_length' : 'max_value', params: { max: Number(i.maximum) } };
  if (i.code === 'too_small' && (typeof i.minimum === 'number' || typeof i.minimum === 'bigint')) return Number(i.minimum) <= 1 && text ? { code: 'required' } : { code: text ? 'min_length' : 'min_value', params: { min: Number(i.minimum) } };
  if (i.code === 'invalid_type' && i.input === undefined) return { code: 'required' };
  return { code: 'invalid' };
}

export function createApp(deps: AppDeps) {
  const { db } = deps;
  // the routes' handle: inside a tenant request it is that request's transaction, confined to the
  // administration by row-level security (store/tenant.ts); the gate itself uses `db`
  const routeDeps = { db: requestDb(db), today: deps.today ?? (() => todayIn()), maxUpload: deps.maxUploadBytes ?? 200 * 1024 * 1024 };
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        // a path id in any but the canonical spelling names nothing: 404, as for the administration
        if ((result as { target?: string }).target === 'param') return c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}`, problems: [] } }, 404);
        // each problem as a code with parameters (the web says it in the user's language), beside zod's English message
        const problems = result.error.issues.map((i) => ({ field: i.path.join('.'), ...issueCode(i), message: i.message }));
        return c.json({ error: { code: 'validation', message: `invalid request: ${problems.map((p) => `${p.field || '(body)'}: ${p.message}`).join('; ')}`, problems } }, 400);
      }
    },
  });
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}`, problems: [] } }, 404));
  // every request passes the gate first: headers, rate limits, login, role (http/roles.ts), CSRF, body limits, audit
  const trustProxy = deps.trustProxy ?? process.env.VORDER_TRUST_PROXY === '1';
  app.use('*', authMiddleware({ db, maxUpload: routeDeps.maxUpload, loginPerMinute: deps.rateLimits?.loginPerMinute, apiPerMinute: deps.rateLimits?.apiPerMinute, refusalsPerMinute: deps.rateLimits?.refusalsPerMinute, trustProxy }));
  // then input no schema should have to think about: NUL, lone surrogates, malformed JSON, unsafe integers (http/input.ts)
  app.use('*', inputGuard());
  // then, under a tenant route: which administration (the declared {adminId}), the role in it, and
  // the request's transaction confined to it (http/tenant.ts)
  app.use('/api/administrations/:adminId', tenantMiddleware(db));
  app.use('/api/administrations/:adminId/*', tenantMiddleware(db));

  registerLedgerRoutes(app, routeDeps);
  registerBankRoutes(app, routeDeps);
  registerDunningRoutes(app, routeDeps);
  registerTemplateRoutes(app, routeDeps);
  registerWorkflowSettingsRoutes(app, routeDeps);
  registerOutboxRoutes(app, routeDeps);
  registerCareRoutes(app, routeDeps);
  registerMandateRoutes(app, routeDeps);
  registerInboundRoutes(app, routeDeps);
  registerConnectorRoutes(app, routeDeps);
  registerCollectionRoutes(app, routeDeps);
  registerRefundRoutes(app, routeDeps);
  registerAuthRoutes(app, routeDeps, { publicUrl: deps.publicUrl, listen: deps.listen, trustProxy, loginFailuresPerMinute: deps.rateLimits?.loginFailuresPerMinute });

  app.get('/api/health', async (c) => {
    await db.query('SELECT 1');
    return c.json({ ok: true, engine: db.engine });
  });
  app.doc31('/api/openapi.json', { openapi: '3.1.0', info: { title: 'Vorder API', version: '0.1.0', description: 'Credit management (debiteurenbeheer): administrations, debtors, open items, imports, aging. Amounts are decimal strings; dates are YYYY-MM-DD.' } });
  app.get('/api/docs', (c) => c.html(docsPage()));
  registerDashboardRoutes(app, routeDeps);
  registerPortalRoutes(app, routeDeps, { publicUrl: deps.publicUrl, listen: deps.listen });
  // the debtor portal (/p/…) and Mollie's webhook (/hooks/mollie/…): public pages of their own (http/portal.ts)
  registerPortal(app, { db, today: routeDeps.today, publicUrl: deps.publicUrl, listen: deps.listen, trustProxy, perMinute: deps.rateLimits?.portalPerMinute, mollieApiEndpoint: deps.mollieApiEndpoint });
  registerStatic(app); // the web application (dist/web); last, so /api routes win
  return app;
}
