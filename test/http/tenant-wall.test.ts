/**
 * The first tenant wall (http/tenant.ts), on both engines: EVERY operation of the OpenAPI
 * document × every spelling of administration 1's id × every kind of outsider (anonymous, the
 * owner of another administration, a viewer there, that administration's API token). Nothing of
 * administration 1 may be answered and nothing of it may change. Then: a write's audit row is
 * written with the resolved administration and the actor; refusals before authentication are
 * counted per source (429 beyond the limit), not logged one row each; ids in a body are checked
 * against the administration in the statement that uses them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { authed, tokenFor, type Authed } from '../support/auth.ts';
import { createApp } from '../../src/http/app.ts';
import type { Administration } from '../../src/store/administrations.ts';

const VICTIM_TABLES = ['debtors', 'items', 'events', 'tasks', 'segments', 'api_tokens', 'memberships', 'promises', 'disputes', 'payment_plans', 'bookings', 'allocations', 'imports', 'documents', 'dunning_runs', 'dunning_actions', 'dunning_policies', 'debtor_statuses', 'bank_accounts', 'bank_lines'];

/** Every way to write administration 1 but the one canonical spelling. */
const FORMS = ['1.0', '+1', '0x1', '1e0', '01', '%31', '%201', '1%00', '9223372036854775808', '0b1', '1%20', '%2B1', '00000000000000001', '1000000000000000', '-1', '0'];

type Caller = { name: string; request(path: string, init?: RequestInit): Promise<Response> };

describe.each(ENGINES)('the tenant wall on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let victim: Administration;
  let other: Administration;
  let victimOwner: Authed;
  const secrets = ['Geheimzinnige Klant BV', 'Verborgen Handel', 'VICTIM-INV-0001'];
  let ids: { debtor: number; item: number; task: number };
  let callers: Caller[];

  const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0]!.n;
  async function fingerprint(adminId: number): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const t of VICTIM_TABLES) {
      const r = await db.query<{ n: number; h: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${t} x WHERE administration_id = $1`, [adminId]);
      out[t] = `${r[0]!.n}:${r[0]!.h}`;
    }
    return out;
  }
  const jsonInit = (method: string, body?: unknown): RequestInit =>
    body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };

  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22', rateLimits: { apiPerMinute: 1_000_000, loginPerMinute: 1_000_000, refusalsPerMinute: 1_000_000 } });
    victim = await anAdministration(db, { name: 'Slachtoffer BV' });
    expect(victim.id).toBe(1); // the forms above spell 1
    other = await anAdministration(db, { name: 'Buurman BV' });
    victimOwner = await authed(app, db, { role: 'owner', adminIds: [victim.id] });
    const d = await aDebtor(db, victim, { number: 'V-001', name: secrets[0] } as never);
    const d2 = await aDebtor(db, victim, { number: 'V-002', name: secrets[1] } as never);
    const item = await anInvoice(db, victim, d, { number: secrets[2], amount: '999.99', issueDate: '2026-09-01', dueDate: '2026-09-30' });
    await anInvoice(db, victim, d2, { number: 'VICTIM-INV-0002', amount: '10.00', issueDate: '2026-09-01', dueDate: '2026-10-30' });
    const task = await (await victimOwner.request(`/api/administrations/${victim.id}/tasks`, jsonInit('POST', { debtorId: d.id, title: 'Bellen', dueDate: '2026-12-01', itemIds: [item.id] }))).json() as { id: number };
    ids = { debtor: d.id, item: item.id, task: task.id };
    await tokenFor(db, victim.id, 'owner');

    const otherOwner = await authed(app, db, { role: 'owner', adminIds: [other.id] });
    const otherViewer = await authed(app, db, { role: 'viewer', adminIds: [other.id] });
    const token = await tokenFor(db, other.id, 'owner');
    callers = [
      { name: 'anonymous', request: async (path, init = {}) => app.request(path, init) },
      { name: "the other administration's owner", request: otherOwner.request },
      { name: "the other administration's viewer", request: otherViewer.request },
      {
        name: "the other administration's API token",
        request: async (path, init = {}) => {
          const headers = new Headers(init.headers);
          headers.set('authorization', `Bearer ${token}`);
          return app.request(path, { ...init, headers });
        },
      },
    ];
  }, 120_000);
  afterAll(() => db?.drop());

  const paramValue = (path: string, name: string): string => {
    if (name === 'kind') return 'reminder';
    if (name === 'lang') return 'nl';
    if (name === 'key') return path.includes('/segments/') ? 'seg' : 'standard';
    if (name === 'userId') return String(victimOwner.user.id);
    const seg = path.split('/{' + name + '}')[0]!.split('/').at(-1)!;
    return String(seg === 'items' ? ids.item : seg === 'tasks' ? ids.task : ids.debtor);
  };
  const body = { debtorId: 1, itemIds: [1], itemId: 1, debtorIds: [1], ids: [1], title: 'x', text: 'x', kind: 'note', dueDate: '2026-12-30', amount: '1.00', promisedDate: '2026-12-30', reason: 'wrong_amount', name: 'x', email: 'x@example.test', role: 'owner', status: 'normal', tags: ['x'], override: true, action: 'pause' };

  it('no spelling of administration 1 lets an outsider read or change it, on any operation', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.keys(o).map((m) => [m.toUpperCase(), p] as const)).filter(([, p]) => p !== '/api/auth/logout');
    const tenantOps = ops.filter(([, p]) => p.includes('{adminId}'));
    expect(tenantOps.length).toBeGreaterThan(80);
    const before = await fingerprint(victim.id);
    const lastAudit = await count('SELECT coalesce(max(id), 0)::int AS n FROM audit_log');
    const problems: string[] = [];
    let tried = 0;
    for (const caller of callers) {
      for (const [method, path] of ops) {
        const forms = path.includes('{adminId}') ? [...FORMS, '1'] : ['-'];
        for (const form of forms) {
          const concrete = path.replace(/\{(\w+)\}/g, (_, n: string) => (n === 'adminId' ? form : paramValue(path, n)));
          const res = await caller.request(`${concrete}?debtorId=1&format=csv`, jsonInit(method, method === 'GET' || method === 'DELETE' || method === 'HEAD' ? undefined : body));
          tried++;
          const text = await res.text();
          for (const s of secrets) if (text.includes(s)) problems.push(`${caller.name}: ${method} ${concrete} (${res.status}) answers "${s}"`);
          if (path.includes('{adminId}')) {
            const want = caller.name === 'anonymous' ? [401] : form === '1' ? [403] : [404];
            if (!want.includes(res.status)) problems.push(`${caller.name}: ${method} ${concrete}: ${res.status}, want ${want.join('/')}`);
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(4 * 80 * FORMS.length);
    expect(problems).toEqual([]);
    expect(await fingerprint(victim.id)).toEqual(before);
    // administration 1's audit log has only the refusals of the canonical spelling (403), nothing done
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE id > $1 AND administration_id = $2 AND status <> 403`, [lastAudit, victim.id])).toBe(0);
    // anonymous refusals under a tenant route are counted, not logged one row each
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE id > $1 AND user_id IS NULL AND token_id IS NULL AND path LIKE '/api/administrations/%'`, [lastAudit])).toBe(0);
    expect(await count(`SELECT coalesce(sum(count), 0)::int AS n FROM refused_requests`)).toBeGreaterThan(100);
  }, 600_000);

  it('an object id in any but its one spelling is 404 too, also in the own administration', async () => {
    const me = await authed(app, db, { role: 'owner', adminIds: [other.id] });
    for (const form of ['1.0', '+1', '0x1', '01', '%31', '1e0', '9223372036854775808']) {
      for (const p of [`/api/administrations/${other.id}/debtors/${form}`, `/api/administrations/${other.id}/items/${form}`, `/api/administrations/${other.id}/tasks/${form}/complete`]) {
        const res = await me.request(p, p.endsWith('complete') ? jsonInit('POST', {}) : undefined);
        expect(res.status, `${p}`).toBe(404);
        expect(await res.text()).not.toContain(secrets[0]);
      }
    }
  });

  it('the canonical spelling works for the administration\'s own people', async () => {
    const res = await victimOwner.request(`/api/administrations/${victim.id}/debtors`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(secrets[0]);
  });

  it('ids out of range in the query or body answer 400 naming the field', async () => {
    const q = await victimOwner.request(`/api/administrations/${victim.id}/items?debtorId=9223372036854775808`);
    expect(q.status).toBe(400);
    expect(JSON.stringify(await q.json())).toContain('debtorId');
    const q2 = await victimOwner.request(`/api/administrations/${victim.id}/tasks?debtorId=1.0`);
    expect(q2.status).toBe(400);
    const b = await victimOwner.request(`/api/administrations/${victim.id}/tasks`, jsonInit('POST', { title: 'x', dueDate: '2026-12-01', itemIds: [9223372036854775808] }));
    expect(b.status).toBe(400);
    expect(JSON.stringify(await b.json())).toContain('itemIds');
  });

  it('a write and its audit row commit together, with the resolved administration and the actor', async () => {
    const before = await count('SELECT coalesce(max(id), 0)::int AS n FROM audit_log');
    const r = await victimOwner.request(`/api/administrations/${victim.id}/debtors/${ids.debtor}/notes`, jsonInit('POST', { text: 'Genoteerd' }));
    expect(r.status).toBe(201);
    const rows = await db.query<{ administration_id: number; user_id: number; status: number; action: string }>('SELECT administration_id, user_id, status, action FROM audit_log WHERE id > $1', [before]);
    expect(rows).toEqual([{ administration_id: victim.id, user_id: victimOwner.user.id, status: 201, action: 'POST /api/administrations/:id/debtors/:id/notes' }]);
    // a write that fails rolls back: nothing of it stays, and its audit row says it failed
    const events = await count('SELECT count(*)::int AS n FROM events WHERE administration_id = $1', [victim.id]);
    const bad = await victimOwner.request(`/api/administrations/${victim.id}/promises`, jsonInit('POST', { debtorId: ids.debtor, amount: '1.00', promisedDate: '2020-01-01' }));
    expect(bad.status).toBe(400);
    expect(await count('SELECT count(*)::int AS n FROM events WHERE administration_id = $1', [victim.id])).toBe(events);
    expect(await count('SELECT count(*)::int AS n FROM audit_log WHERE id > $1 AND administration_id = $2 AND status = 400', [before, victim.id])).toBe(1);
  });

  it('a source refused before authentication again and again gets 429, counted in one row per minute', async () => {
    process.env.VORDER_TRUST_PROXY = '1'; // the source is the forwarded address: one of its own
    const limited = createApp({ db, today: () => '2026-11-22', rateLimits: { refusalsPerMinute: 5 } });
    delete process.env.VORDER_TRUST_PROXY;
    const ip = `203.0.113.${Math.floor(Math.random() * 200)}`;
    const before = await count('SELECT count(*)::int AS n FROM audit_log');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await limited.request(`/api/administrations/${victim.id}/debtors`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip } });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    expect(await count('SELECT count(*)::int AS n FROM audit_log')).toBe(before);
    expect(await count(`SELECT sum(count)::int AS n FROM refused_requests WHERE source = $1`, [ip])).toBe(8);
    expect(await count(`SELECT count(*)::int AS n FROM refused_requests WHERE source = $1`, [ip])).toBeLessThanOrEqual(2); // one row per minute
  });

  it("a task with another administration's item ids is refused and changes nothing", async () => {
    const me = await authed(app, db, { role: 'owner', adminIds: [other.id] });
    const od = await aDebtor(db, other, { number: 'O-1', name: 'Eigen Klant' } as never);
    const tasks = await count('SELECT count(*)::int AS n FROM tasks');
    const r = await me.request(`/api/administrations/${other.id}/tasks`, jsonInit('POST', { debtorId: od.id, title: 'Bellen', dueDate: '2026-12-01', itemIds: [ids.item] }));
    expect([400, 404]).toContain(r.status);
    expect(await r.text()).not.toContain(secrets[2]);
    expect(await count('SELECT count(*)::int AS n FROM tasks')).toBe(tasks);
    const promise = await me.request(`/api/administrations/${other.id}/promises`, jsonInit('POST', { debtorId: od.id, amount: '1.00', promisedDate: '2026-12-30', itemIds: [ids.item] }));
    expect([400, 404]).toContain(promise.status);
    const dispute = await me.request(`/api/administrations/${other.id}/disputes`, jsonInit('POST', { debtorId: od.id, itemIds: [ids.item], reason: 'wrong_amount' }));
    expect([400, 404]).toContain(dispute.status);
    expect(await count('SELECT count(*)::int AS n FROM promises WHERE administration_id = $1', [other.id])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM disputes WHERE administration_id = $1', [other.id])).toBe(0);
  });
});
