/**
 * Use cases of connections to an accounting package: connect (tested first), list (never with
 * secrets), pause, resume, disconnect, sync now, and how fresh the package's data is (the
 * dashboard and the dunning gate). The package clients are edges (src/connectors): the callers
 * hand in a factory that builds one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Queryable } from '../../store/db.ts';
import { withAdministration } from '../../store/tenant.ts';
import type { Administration } from '../../store/administrations.ts';
import { enqueue } from '../../store/jobs.ts';
import { getConnection, insertConnection, listConnections, listSyncs, updateConnection, type ConnectionRow } from '../../store/connections.ts';
import { VENDOR_NAMES, VENDORS, type Clock, type ConnectionTest, type Connector, type RateGate, type Vendor } from '../../domain/connectors/types.ts';
import { maxCloseShareOf } from '../../domain/connectors/guard.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { openSecret, sealSecret } from './secrets.ts';
import { dbRateGate } from './limiter.ts';
import { syncConnection, type SyncOptions, type SyncResult } from './sync.ts';

export type ConnectorDeps = { secret: Record<string, unknown>; saveSecret(s: Record<string, unknown>): Promise<void>; gate: RateGate; clock: Clock };
export type ConnectorFactory = (conn: Pick<ConnectionRow, 'id' | 'vendor' | 'base_url' | 'external_admin'>, deps: ConnectorDeps) => Connector;

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
const openGate: RateGate = { acquire: async () => undefined, observe: async () => undefined };

export type ConnectionView = {
  id: number; vendor: Vendor; vendorName: string; label: string; status: string; phase: string; externalAdmin: string | null; baseUrl: string;
  progress: Record<string, unknown>; lastSyncAt: string | null; lastSuccessAt: string | null; lastError: string | null; lastCounts: Record<string, number> | null;
  review: Record<string, unknown> | null; hasSecret: boolean; settings: { maxCloseShare: number };
};

const iso = (v: Date | string | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

export function connectionView(c: ConnectionRow): ConnectionView {
  return {
    id: c.id, vendor: c.vendor, vendorName: VENDOR_NAMES[c.vendor], label: c.label, status: c.status, phase: c.phase, externalAdmin: c.external_admin, baseUrl: c.base_url,
    progress: c.progress, lastSyncAt: iso(c.last_sync_at), lastSuccessAt: iso(c.last_success_at), lastError: c.last_error, lastCounts: c.last_counts, review: c.review,
    hasSecret: !!c.secret, settings: { maxCloseShare: maxCloseShareOf(c.settings) },
  };
}

export type ConnectInput = { vendor: string; label?: string; baseUrl: string; externalAdmin: string | null; secret: Record<string, unknown>; status?: 'active' | 'pending'; maxCloseShare?: number; skipTest?: boolean };

/** Test the credentials against the package, then store the connection (secret sealed) and queue its first full load. */
export async function connect(db: Db, admin: Administration, input: ConnectInput, factory: ConnectorFactory): Promise<ConnectionView> {
  if (!(VENDORS as readonly string[]).includes(input.vendor)) throw invalid(`unknown package "${input.vendor}"`, [{ field: 'vendor', code: 'invalid', message: `vendor must be one of ${VENDORS.join(', ')}` }]);
  const vendor = input.vendor as Vendor;
  if (!/^https?:\/\/[^\s]+$/.test(input.baseUrl)) throw invalid('the base URL is not a URL', [{ field: 'baseUrl', code: 'invalid', message: `"${input.baseUrl}" is not an http(s) URL` }]);
  if (input.maxCloseShare !== undefined && !(input.maxCloseShare > 0 && input.maxCloseShare <= 1)) throw invalid('maxCloseShare must be between 0 and 1', [{ field: 'maxCloseShare', code: 'invalid', message: 'a share between 0 (exclusive) and 1' }]);
  if (!input.skipTest) {
    const t = await factory({ id: 0, vendor, base_url: input.baseUrl, external_admin: input.externalAdmin }, { secret: input.secret, saveSecret: async () => undefined, gate: openGate, clock: realClock }).test();
    if (!t.ok) throw invalid(`${VENDOR_NAMES[vendor]} refused the connection: ${t.message}`, [{ field: 'secret', code: 'refused', message: t.message }]);
  }
  return db.transaction(async (tx) => {
    const id = await insertConnection(tx, admin.id, {
      vendor, label: input.label?.trim() || VENDOR_NAMES[vendor], baseUrl: input.baseUrl, externalAdmin: input.externalAdmin, secret: sealSecret(input.secret), status: input.status ?? 'active',
      settings: input.maxCloseShare !== undefined ? { maxCloseShare: input.maxCloseShare } : {},
    });
    if ((input.status ?? 'active') === 'active') await enqueue(tx, 'connector-sync', { administrationId: admin.id, connectionId: id, trigger: 'first load' });
    return connectionView((await getConnection(tx, admin.id, id))!);
  });
}

export async function listConnectionViews(q: Queryable, admin: Administration): Promise<ConnectionView[]> {
  return (await listConnections(q, admin.id)).map(connectionView);
}

export async function connectionDetail(q: Queryable, admin: Administration, id: number) {
  const c = await getConnection(q, admin.id, id);
  if (!c || c.status === 'disconnected') throw notFound(`connection ${id}`);
  const syncs = await listSyncs(q, admin.id, id, 20);
  return { connection: connectionView(c), syncs: syncs.map((s) => ({ id: s.id, trigger: s.trigger, status: s.status, counts: s.counts, error: s.error, startedAt: iso(s.started_at), finishedAt: iso(s.finished_at) })) };
}

async function mustGet(q: Queryable, admin: Administration, id: number): Promise<ConnectionRow> {
  const c = await getConnection(q, admin.id, id, { forUpdate: true });
  if (!c || c.status === 'disconnected') throw notFound(`connection ${id}`);
  return c;
}

export async function pauseConnection(db: Db, admin: Administration, id: number, paused: boolean): Promise<ConnectionView> {
  return db.transaction(async (tx) => {
    const c = await mustGet(tx, admin, id);
    if (c.status === 'pending') throw new AppError('conflict', 'the connection is not authorised yet');
    await updateConnection(tx, admin.id, id, { status: paused ? 'paused' : 'active' });
    return connectionView((await getConnection(tx, admin.id, id))!);
  });
}

/** Disconnect: the secret is wiped, the items stay (with their history); nothing syncs any more. */
export async function disconnect(db: Db, admin: Administration, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    await mustGet(tx, admin, id);
    await updateConnection(tx, admin.id, id, { status: 'disconnected', secret: null });
  });
}

export async function changeConnectionSettings(db: Db, admin: Administration, id: number, input: { maxCloseShare?: number }): Promise<ConnectionView> {
  if (input.maxCloseShare !== undefined && !(input.maxCloseShare > 0 && input.maxCloseShare <= 1)) throw invalid('maxCloseShare must be between 0 and 1', [{ field: 'maxCloseShare', code: 'invalid', message: 'a share between 0 (exclusive) and 1' }]);
  return db.transaction(async (tx) => {
    const c = await mustGet(tx, admin, id);
    await updateConnection(tx, admin.id, id, { settings: { ...c.settings, ...input } });
    return connectionView((await getConnection(tx, admin.id, id))!);
  });
}

/** Queue a sync now (the worker runs it); one per connection and minute. */
export async function requestSync(q: Queryable, admin: Administration, id: number, trigger = 'on demand'): Promise<{ queued: boolean }> {
  const c = await getConnection(q, admin.id, id);
  if (!c || c.status === 'disconnected') throw notFound(`connection ${id}`);
  if (c.status === 'paused') throw new AppError('conflict', 'the connection is paused');
  const minute = new Date().toISOString().slice(0, 16);
  return { queued: (await enqueue(q, 'connector-sync', { administrationId: admin.id, connectionId: id, trigger }, { singletonKey: `connector-sync:${id}:${minute}` })) !== null };
}

/** Run one sync of a connection (base database handle: every page commits on its own). */
export async function runSync(db: Db, administrationId: number, connectionId: number, factory: ConnectorFactory, opts: SyncOptions & { clock?: Clock } = {}): Promise<SyncResult> {
  const conn = await withAdministration(db, administrationId, (s) => getConnection(s, administrationId, connectionId));
  if (!conn || conn.status === 'disconnected') throw notFound(`connection ${connectionId}`);
  const clock = opts.clock ?? realClock;
  const connector = factory(conn, {
    secret: conn.secret ? openSecret(conn.secret) : {},
    saveSecret: (s) => withAdministration(db, administrationId, (x) => updateConnection(x, administrationId, connectionId, { secret: sealSecret(s) })),
    gate: dbRateGate(db, administrationId, connectionId, conn.vendor, clock),
    clock,
  });
  return syncConnection(db, administrationId, connectionId, connector, opts);
}

/** Every connection of the administration that syncs by itself, synced one after the other (before a dunning run). */
export async function syncAll(db: Db, administrationId: number, factory: ConnectorFactory, opts: SyncOptions = {}): Promise<SyncResult[]> {
  const conns = await withAdministration(db, administrationId, (s) => listConnections(s, administrationId));
  const out: SyncResult[] = [];
  for (const c of conns.filter((c) => c.status === 'active')) {
    try {
      out.push(await runSync(db, administrationId, c.id, factory, opts));
    } catch (e) {
      out.push({ connectionId: c.id, syncId: null, status: 'failed', counts: {}, error: (e as Error).message, deferredUntil: null });
    }
  }
  return out;
}

// ------------------------------------------------------------------ OAuth2 (Exact Online)

export type AuthorisationInput = { vendor: 'exact'; label?: string; baseUrl: string; externalAdmin: string; clientId: string; clientSecret: string; redirectUri: string };

/** A pending connection and the address where a person authorises Vorder at the package; the package sends them back to the callback with `state`. */
export async function startAuthorisation(db: Db, admin: Administration, input: AuthorisationInput, factory: ConnectorFactory): Promise<{ connection: ConnectionView; authorizeUrl: string }> {
  const problems = (['externalAdmin', 'clientId', 'clientSecret', 'redirectUri'] as const).filter((k) => !String(input[k] ?? '').trim()).map((k) => ({ field: k, code: 'required', message: `${k} is required` }));
  if (problems.length) throw invalid('the authorisation needs the division, the app\'s client id and secret, and the callback address', problems);
  const nonce = randomBytes(18).toString('base64url');
  const secret = { clientId: input.clientId, clientSecret: input.clientSecret, redirectUri: input.redirectUri, oauthState: nonce };
  const connection = await connect(db, admin, { vendor: input.vendor, label: input.label, baseUrl: input.baseUrl, externalAdmin: input.externalAdmin, secret, status: 'pending', skipTest: true }, factory);
  const connector = factory({ id: connection.id, vendor: input.vendor, base_url: input.baseUrl, external_admin: input.externalAdmin }, { secret, saveSecret: async () => undefined, gate: openGate, clock: realClock });
  return { connection, authorizeUrl: connector.authorizeUrl!(`${admin.id}.${connection.id}.${nonce}`) };
}

/** The callback: check `state`, trade the code for tokens (saved sealed), activate and queue the first load. */
export async function finishAuthorisation(db: Db, state: string, code: string, factory: ConnectorFactory, opts: { clock?: Clock } = {}): Promise<{ administrationId: number; connection: ConnectionView }> {
  const m = /^(\d+)\.(\d+)\.([\w-]+)$/.exec(state ?? '');
  if (!m || !code) throw invalid('the authorisation answer is incomplete', [{ field: 'state', code: 'invalid', message: 'state or code is missing or malformed' }]);
  const administrationId = Number(m[1]), id = Number(m[2]);
  const conn = await withAdministration(db, administrationId, (s) => getConnection(s, administrationId, id));
  const secret = conn?.secret ? openSecret(conn.secret) : {};
  const expected = Buffer.from(String(secret.oauthState ?? ''));
  const given = Buffer.from(m[3]!);
  if (!conn || conn.status !== 'pending' || expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AppError('forbidden', 'this authorisation was not started here, or is finished already');
  const clock = opts.clock ?? realClock;
  const connector = factory(conn, {
    secret, clock, gate: openGate,
    saveSecret: (s) => withAdministration(db, administrationId, (x) => updateConnection(x, administrationId, id, { secret: sealSecret(s) })),
  });
  await connector.exchangeCode!(code);
  return withAdministration(db, administrationId, async (s) => {
    await updateConnection(s, administrationId, id, { status: 'active', last_error: null });
    await enqueue(s, 'connector-sync', { administrationId, connectionId: id, trigger: 'first load' });
    return { administrationId, connection: connectionView((await getConnection(s, administrationId, id))!) };
  });
}

// ------------------------------------------------------------------ freshness

export type PackageFreshness = { connectionId: number; vendor: Vendor; name: string; lastSuccessAt: string | null; ageHours: number | null; maxHours: number; stale: boolean; status: string; review: boolean };

/** Per administration: the package matches the bank, so Vorder's own bank matching books nothing by itself and its bank-data gate is off. */
export function packageOwnsPayments(admin: Administration): boolean {
  return (admin.settings as { packageOwnsPayments?: unknown }).packageOwnsPayments === true;
}

/** The administration's gate for package data in hours (settings.packageStaleAfterHours, 1–720; default 24). */
export function packageStaleAfterHoursOf(admin: Administration): number {
  const n = Number((admin.settings as { packageStaleAfterHours?: unknown }).packageStaleAfterHours);
  return Number.isInteger(n) && n >= 1 && n <= 720 ? n : 24;
}

export async function packageFreshness(q: Queryable, admin: Administration, now = new Date()): Promise<PackageFreshness[]> {
  const maxHours = packageStaleAfterHoursOf(admin);
  return (await listConnections(q, admin.id)).filter((c) => c.status !== 'pending').map((c) => {
    const last = iso(c.last_success_at);
    const ageHours = last ? Math.floor((now.getTime() - Date.parse(last)) / 3_600_000) : null;
    return { connectionId: c.id, vendor: c.vendor, name: c.label, lastSuccessAt: last, ageHours, maxHours, stale: c.status !== 'paused' && (ageHours === null || ageHours >= maxHours), status: c.status, review: !!c.review };
  });
}

export type { ConnectionTest };
export { decideReview } from './sync.ts';
