/**
 * Connections to an accounting package (Moneybird, Exact Online, Yuki): list with freshness, one
 * with its recent syncs, connect (tested first; Exact: OAuth2, answered by the callback route),
 * test, sync now, pause/resume, decide a refused sync, disconnect, settings. Secrets go in, never
 * out: no answer carries a token, key or client secret.
 */
import type { Context } from 'hono';
import {
  changeConnectionSettings, connect, connectionDetail, decideReview, disconnect, finishAuthorisation, listConnectionViews, packageFreshness,
  packageOwnsPayments, packageStaleAfterHoursOf, pauseConnection, requestSync, startAuthorisation, type ConnectionView,
} from '../../app/connectors/connections.ts';
import { openSecret } from '../../app/connectors/secrets.ts';
import { getConnection } from '../../store/connections.ts';
import { updateAdministration } from '../../store/administrations.ts';
import { buildConnector, DEFAULT_BASE_URLS } from '../../connectors/registry.ts';
import { VENDORS } from '../../domain/connectors/types.ts';
import { AppError, invalid, notFound } from '../../app/errors.ts';
import { actorOf } from '../auth.ts';
import { AdminIdParam, AdminParam, body, createRoute, errors, json, loadAdmin, z, type Api, type RouteDeps } from './common.ts';

const ConnectionSchema = z.object({
  id: z.number().int(),
  vendor: z.enum(['moneybird', 'exact', 'yuki']),
  vendorName: z.string(),
  label: z.string(),
  status: z.enum(['pending', 'active', 'paused', 'error', 'disconnected']),
  phase: z.enum(['initial', 'incremental']).openapi({ description: 'initial until the first full load has finished' }),
  externalAdmin: z.string().nullable(),
  baseUrl: z.string(),
  progress: z.record(z.string(), z.unknown()),
  lastSyncAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastCounts: z.record(z.string(), z.number()).nullable(),
  review: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'a refused sync: the items it would close, waiting for a person' }),
  hasSecret: z.boolean(),
  settings: z.object({ maxCloseShare: z.number() }),
}).openapi('Connection');

const FreshnessSchema = z.object({ connectionId: z.number().int(), vendor: z.string(), name: z.string(), lastSuccessAt: z.string().nullable(), ageHours: z.number().int().nullable(), maxHours: z.number().int(), stale: z.boolean(), status: z.string(), review: z.boolean() });
const ListSchema = z.object({ connections: z.array(ConnectionSchema), freshness: z.array(FreshnessSchema), packageOwnsPayments: z.boolean(), packageStaleAfterHours: z.number().int() }).openapi('Connections');
const SyncSchema = z.object({ id: z.number().int(), trigger: z.string(), status: z.string(), counts: z.record(z.string(), z.number()), error: z.string().nullable(), startedAt: z.string().nullable(), finishedAt: z.string().nullable() });

const view = (v: ConnectionView): z.infer<typeof ConnectionSchema> => v as z.infer<typeof ConnectionSchema>;

export function registerConnectorRoutes(app: Api, { db }: RouteDeps): void {
  const admin = (c: Context) => loadAdmin(db, c);
  const base = '/api/administrations/{adminId}/connections';
  const tags = ['Accounting packages'];

  app.openapi(
    createRoute({ method: 'get', path: base, tags, summary: 'The connections, how fresh their data is, and the administration\'s package settings', request: { params: AdminParam }, responses: { 200: json(ListSchema), ...errors } }),
    async (c) => {
      const a = await admin(c);
      return c.json({ connections: (await listConnectionViews(db, a)).map(view), freshness: await packageFreshness(db, a), packageOwnsPayments: packageOwnsPayments(a), packageStaleAfterHours: packageStaleAfterHoursOf(a) }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: `${base}/{id}`, tags, summary: 'One connection with its last 20 syncs', request: { params: AdminIdParam }, responses: { 200: json(z.object({ connection: ConnectionSchema, syncs: z.array(SyncSchema) })), ...errors } }),
    async (c) => {
      const d = await connectionDetail(db, await admin(c), c.req.valid('param').id);
      return c.json({ connection: view(d.connection), syncs: d.syncs }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: base, tags,
      summary: 'Connect a package. Moneybird: token + administration id; Yuki: accessKey + administration id (both tested first); Exact Online: division, clientId, clientSecret, redirectUri (…/api/connectors/exact/callback): answers with the address where a person authorises Vorder',
      request: {
        params: AdminParam,
        ...body(z.object({
          vendor: z.enum(['moneybird', 'exact', 'yuki']), label: z.string().max(100).optional(), baseUrl: z.string().url().max(300).optional(), externalAdmin: z.string().min(1).max(100),
          token: z.string().max(500).optional(), accessKey: z.string().max(500).optional(), clientId: z.string().max(200).optional(), clientSecret: z.string().max(500).optional(), redirectUri: z.string().url().max(500).optional(),
          maxCloseShare: z.number().gt(0).max(1).optional(),
        })),
      },
      responses: { 201: json(z.object({ connection: ConnectionSchema, authorizeUrl: z.string().nullable() }), 'Created'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const a = await admin(c);
      const baseUrl = b.baseUrl ?? DEFAULT_BASE_URLS[b.vendor];
      if (b.vendor === 'exact') {
        const r = await startAuthorisation(db, a, { vendor: 'exact', label: b.label, baseUrl, externalAdmin: b.externalAdmin, clientId: b.clientId ?? '', clientSecret: b.clientSecret ?? '', redirectUri: b.redirectUri ?? '' }, buildConnector);
        return c.json({ connection: view(r.connection), authorizeUrl: r.authorizeUrl }, 201);
      }
      const secret = b.vendor === 'moneybird' ? { token: b.token } : { accessKey: b.accessKey };
      const field = b.vendor === 'moneybird' ? 'token' : 'accessKey';
      if (!Object.values(secret)[0]) throw invalid(`${field} is required`, [{ field, code: 'required', message: `${field} is required` }]);
      const v = await connect(db, a, { vendor: b.vendor, label: b.label, baseUrl, externalAdmin: b.externalAdmin, secret, maxCloseShare: b.maxCloseShare }, buildConnector);
      return c.json({ connection: view(v), authorizeUrl: null }, 201);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/{id}/test`, tags, summary: 'Ask the package whether the stored credentials still work', request: { params: AdminIdParam }, responses: { 200: json(z.object({ ok: z.boolean(), message: z.string() })), ...errors } }),
    async (c) => {
      const a = await admin(c);
      const conn = await getConnection(db, a.id, c.req.valid('param').id);
      if (!conn || conn.status === 'disconnected') throw notFound(`connection ${c.req.valid('param').id}`);
      if (conn.status === 'pending') return c.json({ ok: false, message: 'not authorised yet' }, 200);
      const t = await buildConnector(conn, { secret: openSecret(conn.secret), saveSecret: async () => undefined, gate: { acquire: async () => undefined, observe: async () => undefined }, clock: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) } }).test();
      return c.json(t.ok ? { ok: true, message: t.name } : { ok: false, message: t.message }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/{id}/sync`, tags, summary: 'Sync now (queued for the worker; once a minute at most)', request: { params: AdminIdParam }, responses: { 202: json(z.object({ queued: z.boolean() }), 'Accepted'), ...errors } }),
    async (c) => c.json(await requestSync(db, await admin(c), c.req.valid('param').id), 202),
  );
  for (const [action, paused] of [['pause', true], ['resume', false]] as const) {
    app.openapi(
      createRoute({ method: 'post', path: `${base}/{id}/${action}`, tags, summary: paused ? 'Stop syncing (the dunning gate ignores a paused connection)' : 'Sync again', request: { params: AdminIdParam }, responses: { 200: json(ConnectionSchema), ...errors } }),
      async (c) => c.json(view(await pauseConnection(db, await admin(c), c.req.valid('param').id, paused)), 200),
    );
  }
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/{id}/review`, tags, summary: 'Decide a refused sync: approve closes the items it wanted to close, reject keeps them open',
      request: { params: AdminIdParam, ...body(z.object({ approve: z.boolean() })) }, responses: { 200: json(z.object({ closed: z.number().int() })), ...errors },
    }),
    async (c) => c.json(await decideReview(db, await admin(c), c.req.valid('param').id, c.req.valid('json').approve, actorOf(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: `${base}/{id}/settings`, tags, summary: 'The share of open items one sync may close before it is refused (default 0.2)', request: { params: AdminIdParam, ...body(z.object({ maxCloseShare: z.number().gt(0).max(1) })) }, responses: { 200: json(ConnectionSchema), ...errors } }),
    async (c) => c.json(view(await changeConnectionSettings(db, await admin(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  app.openapi(
    createRoute({ method: 'delete', path: `${base}/{id}`, tags, summary: 'Disconnect: the secret is wiped, the items stay', request: { params: AdminIdParam }, responses: { 204: { description: 'Disconnected' }, ...errors } }),
    async (c) => {
      await disconnect(db, await admin(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: 'put', path: '/api/administrations/{adminId}/package-settings', tags,
      summary: "The administration's package settings: the package owns payments (Vorder's bank matching books nothing by itself, the bank-data gate is off), and how old package data may be before a dunning run is blocked",
      request: { params: AdminParam, ...body(z.object({ packageOwnsPayments: z.boolean().optional(), packageStaleAfterHours: z.number().int().min(1).max(720).optional() })) },
      responses: { 200: json(z.object({ packageOwnsPayments: z.boolean(), packageStaleAfterHours: z.number().int() })), ...errors },
    }),
    async (c) => {
      const a = await admin(c);
      const b = c.req.valid('json');
      const settings = { ...a.settings, ...(b.packageOwnsPayments !== undefined ? { packageOwnsPayments: b.packageOwnsPayments } : {}), ...(b.packageStaleAfterHours !== undefined ? { packageStaleAfterHours: b.packageStaleAfterHours } : {}) };
      const u = (await updateAdministration(db, a.id, { settings }))!;
      return c.json({ packageOwnsPayments: packageOwnsPayments(u), packageStaleAfterHours: packageStaleAfterHoursOf(u) }, 200);
    },
  );
  // Exact Online sends the person back here with ?code&state (the app's registered redirect URI)
  app.openapi(
    createRoute({
      method: 'get', path: '/api/connectors/exact/callback', tags, summary: "Exact Online's OAuth2 redirect: trades the code for tokens and opens the connections screen",
      request: { query: z.object({ code: z.string().max(2000).optional(), state: z.string().max(200).optional(), error: z.string().max(200).optional() }) },
      responses: { 302: { description: 'to the connections screen' }, ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.error) throw new AppError('forbidden', `Exact Online: ${q.error}`);
      const r = await finishAuthorisation(db, q.state ?? '', q.code ?? '', buildConnector);
      return c.redirect(`/connections?admin=${r.administrationId}&connected=${r.connection.id}`, 302);
    },
  );
  void VENDORS;
}
