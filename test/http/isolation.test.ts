/**
 * Tenant isolation, on both engines. Two administrations, each with its own owner and data
 * (debtors, items, documents, bank lines, timeline, tasks, promises, disputes, payment plans,
 * segments, tokens). For EVERY operation in /api/openapi.json (so routes added later are tried
 * too), user A calls it (1) with B's administration id and B's object ids, and (2) with A's own
 * administration id but B's object ids (in the path, the query and the body). Nothing may
 * succeed on B's objects, no answer may contain B's data, B's rows stay exactly as they were,
 * and no row of A comes to point at one of B's. Every write and export is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { SAMPLES } from '../support/samples.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { authed, tokenFor, type Authed } from '../support/auth.ts';
import { createApp } from '../../src/http/app.ts';
import type { Administration } from '../../src/store/administrations.ts';

type Tenant = {
  admin: Administration; owner: Authed; secrets: string[];
  ids: { debtor: number; item: number; item2: number; document: number; event: number; task: number; promise: number; dispute: number; plan: number; line: number; token: number; action: number | null };
};

const TABLES = ['debtors', 'items', 'documents', 'events', 'tasks', 'promises', 'disputes', 'payment_plans', 'bank_lines', 'bank_statements', 'bank_accounts', 'bookings', 'allocations', 'imports', 'segments', 'debtor_statuses', 'dunning_actions', 'dunning_runs', 'dunning_policies', 'api_tokens', 'memberships'];

describe.each(ENGINES)('tenant isolation on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let A: Tenant;
  let B: Tenant;

  const send = (who: Authed, method: string, path: string, body?: unknown) =>
    who.request(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  async function fingerprint(adminId: number): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const t of TABLES) {
      const r = await db.query<{ n: number; h: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${t} x WHERE administration_id = $1`, [adminId]);
      out[t] = `${r[0]!.n}:${r[0]!.h}`;
    }
    return out;
  }

  async function tenant(tag: 'A' | 'B', name: string, debtorName: string, invoice: string, iban: string | null): Promise<Tenant> {
    const admin = await anAdministration(db, { name, legalName: name, iban, addressLine: 'Kade 1', postalCode: '1000 AA', city: 'Amsterdam', settings: { staleAfterDays: 90 } } as never);
    const owner = await authed(app, db, { role: 'owner', adminIds: [admin.id] });
    const base = `/api/administrations/${admin.id}`;
    const d = await aDebtor(db, admin, { number: `${tag}-001`, name: debtorName, addressLine: 'Laan 2', postalCode: '2000 BB', city: 'Haarlem', emails: [`boekhouding@${tag.toLowerCase()}-klant.example`] } as never);
    const i1 = await anInvoice(db, admin, d, { number: invoice, amount: '1234.56', issueDate: '2026-09-01', dueDate: '2026-09-30' });
    const i2 = await anInvoice(db, admin, d, { number: `${invoice}-2`, amount: '500.00', issueDate: '2026-09-01', dueDate: '2026-10-15' });
    const json = async (method: string, p: string, b?: unknown) => {
      const r = await send(owner, method, `${base}${p}`, b);
      expect(r.status, `${method} ${p}: ${await r.clone().text()}`).toBeLessThan(300);
      return (await r.json()) as { id: number } & Record<string, unknown>;
    };
    const event = await json('POST', `/debtors/${d.id}/notes`, { text: `Notitie over ${debtorName}` });
    const task = await json('POST', '/tasks', { debtorId: d.id, kind: 'call_back', title: `Bel ${debtorName}`, dueDate: '2026-11-25' });
    const promise = await json('POST', '/promises', { debtorId: d.id, amount: '100.00', promisedDate: '2026-12-10', itemIds: [i1.id] });
    const dispute = await json('POST', '/disputes', { debtorId: d.id, itemIds: [i2.id], reason: 'wrong_amount', deadline: '2026-12-15' });
    const plan = await json('POST', '/payment-plans', { debtorId: d.id, itemIds: [i1.id], instalments: 3, firstDate: '2026-12-01' });
    const planDoc = await db.query<{ document_id: number }>('SELECT document_id FROM payment_plans WHERE id = $1', [plan.id]);
    await json('PUT', `/segments/${tag.toLowerCase()}_seg`, { name: `Segment ${tag}`, rules: {} });
    // a bank line
    const acct = await db.query<{ id: number }>(`INSERT INTO bank_accounts (administration_id, iban, last_closing_date, last_import_at) VALUES ($1, $2, '2026-11-21', now()) RETURNING id`, [admin.id, tag === 'A' ? 'NL20INGB0001234567' : 'NL44RABO0123456789']);
    const st = await db.query<{ id: number }>(`INSERT INTO bank_statements (administration_id, bank_account_id, filename, sha256, format, entries, new_entries) VALUES ($1, $2, 'x.xml', $3, 'camt053', 1, 1) RETURNING id`, [admin.id, acct[0]!.id, `sha-${tag}`]);
    const line = await db.query<{ id: number }>(
      `INSERT INTO bank_lines (administration_id, bank_account_id, statement_id, entry_key, booking_date, cents, currency, counterparty_name, remittance) VALUES ($1, $2, $3, $4, '2026-11-20', 10000, 'EUR', $5, $6) RETURNING id`,
      [admin.id, acct[0]!.id, st[0]!.id, `k-${tag}`, debtorName, `betaling ${invoice}`],
    );
    const tokenRow = await db.query<{ id: number }>('SELECT id FROM api_tokens WHERE token_hash IS NOT NULL AND administration_id = $1', [admin.id]);
    await tokenFor(db, admin.id, 'viewer');
    const token = (await db.query<{ id: number }>('SELECT id FROM api_tokens WHERE administration_id = $1', [admin.id]))[0]!.id;
    void tokenRow;
    // the dunning run: an outbox action with its letter
    await send(owner, 'POST', `${base}/dunning/runs`, { override: true });
    const action = (await db.query<{ id: number }>('SELECT id FROM dunning_actions WHERE administration_id = $1 LIMIT 1', [admin.id]))[0]?.id ?? null;
    return {
      admin, owner, secrets: [debtorName, invoice, ...(iban ? [iban] : [])],
      ids: { debtor: d.id, item: i1.id, item2: i2.id, document: planDoc[0]!.document_id, event: event.id, task: task.id, promise: promise.id, dispute: dispute.id, plan: plan.id, line: line[0]!.id, token, action },
    };
  }

  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22', rateLimits: { apiPerMinute: 1_000_000 } });
    A = await tenant('A', 'Alfa Holding', 'Appelboom Handel', 'ALFA-2026-0001', null);
    B = await tenant('B', 'Bravo Zeilmakerij', 'Zwaluw Scheepsbouw', 'BRAVO-2026-0001', 'NL91ABNA0417164300');
    // B also has an e-invoice (a stored XML document) from a UBL import
    const ubl = readFileSync(join(SAMPLES, 'invoices/ubl/peppol-bis3/base-example.xml'));
    const r = await B.owner.request(`/api/administrations/${B.admin.id}/imports?kind=ubl`, { method: 'POST', body: ubl, headers: { 'content-type': 'application/xml' } });
    expect(r.status).toBe(200);
  });
  afterAll(async () => db?.drop());

  /** The value of a path parameter: B's object of the kind the path names. */
  function paramValue(path: string, name: string, adminId: number, t: Tenant): string {
    if (name === 'adminId') return String(adminId);
    if (name === 'lineId') return String(t.ids.line);
    if (name === 'userId') return String(t.owner.user.id);
    if (name === 'kind') return 'reminder';
    if (name === 'lang') return 'nl';
    if (name === 'key') return path.includes('/segments/') ? 'b_seg' : 'standard';
    const seg = path.split('/{' + name + '}')[0]!.split('/').at(-1)!;
    const byCollection: Record<string, number | null> = {
      debtors: t.ids.debtor, items: t.ids.item, documents: t.ids.document, tasks: t.ids.task, promises: t.ids.promise, disputes: t.ids.dispute,
      'payment-plans': t.ids.plan, timeline: t.ids.event, actions: t.ids.action, tokens: t.ids.token,
    };
    return String(byCollection[seg] ?? t.ids.debtor);
  }
  const foreignBody = (t: Tenant) => ({
    debtorId: t.ids.debtor, itemId: t.ids.item, itemIds: [t.ids.item, t.ids.item2], debtorIds: [t.ids.debtor], items: [t.ids.item], suggestionId: 1,
    text: 'x', title: 'x', kind: 'note', reason: 'wrong_amount', amount: '1.00', promisedDate: '2026-12-30', dueDate: '2026-12-30', instalments: 2, user: 'x', outcome: 'reached',
    status: 'normal', tags: ['x'], name: 'x', role: 'viewer', email: 'x@example.test', resolution: 'rejected', override: true,
  });

  it('every operation in the OpenAPI document, called by A with B\'s ids, fails and leaks nothing; B\'s rows do not change', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    // (logout would end the attacker's own session)
    const ops = Object.entries(doc.paths).flatMap(([p, o]) => Object.keys(o).map((m) => [m.toUpperCase(), p] as const)).filter(([, p]) => p !== '/api/auth/logout');
    expect(ops.length).toBeGreaterThan(60);
    const before = await fingerprint(B.admin.id);
    const attacker = A.owner;
    const q = `?debtorId=${B.ids.debtor}&itemId=${B.ids.item}&key=x&format=csv`;
    const leaks: string[] = [];
    const wrongStatus: string[] = [];
    let tried = 0;
    for (const [method, path] of ops) {
      for (const mode of ['other-administration', 'own-administration'] as const) {
        const adminId = mode === 'other-administration' ? B.admin.id : A.admin.id;
        if (!path.includes('{adminId}') && mode === 'own-administration') continue;
        const concrete = path.replace(/\{(\w+)\}/g, (_, n: string) => paramValue(path, n, adminId, B));
        const hasObjectId = /\{(id|lineId|userId)\}/.test(path);
        const res = await send(attacker, method, `${concrete}${q}`, method === 'GET' || method === 'DELETE' ? undefined : foreignBody(B));
        tried++;
        const text = await res.text();
        for (const s of B.secrets) if (text.includes(s)) leaks.push(`${method} ${concrete} (${res.status}) contains "${s}"`);
        if (path.includes('{adminId}') && mode === 'other-administration' && res.status !== 403) wrongStatus.push(`${method} ${concrete}: ${res.status} (want 403)`);
        if (mode === 'own-administration' && hasObjectId && res.status < 400) wrongStatus.push(`${method} ${concrete}: ${res.status} on B's object (want 4xx)`);
      }
    }
    expect(tried).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
    expect(wrongStatus).toEqual([]);
    expect(await fingerprint(B.admin.id)).toEqual(before);
    // nothing of A came to point at B's debtors or items
    for (const t of ['events', 'tasks', 'promises', 'disputes', 'payment_plans', 'items']) {
      const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE administration_id = $1 AND debtor_id = $2`, [A.admin.id, B.ids.debtor]);
      expect(n[0]!.n, t).toBe(0);
    }
    const crossItems = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM promises WHERE administration_id = $1 AND item_ids && $2::bigint[]) + (SELECT count(*) FROM dispute_items di JOIN disputes d ON d.id = di.dispute_id WHERE d.administration_id = $1 AND di.item_id = ANY($2::bigint[]))
        + (SELECT count(*) FROM allocations WHERE administration_id = $1 AND item_id = ANY($2::bigint[])) AS n`,
      [A.admin.id, [B.ids.item, B.ids.item2]],
    );
    expect(Number(crossItems[0]!.n)).toBe(0);
  });

  it('lists, the overview and the caller show only A\'s administrations', async () => {
    const listRes = await A.owner.request('/api/administrations');
    const list = JSON.parse(await listRes.text()) as { id: number }[];
    if (!Array.isArray(list)) throw new Error(JSON.stringify(list));
    expect(list.map((a) => a.id)).toEqual([A.admin.id]);
    const overview = await (await A.owner.request('/api/overview')).text();
    expect((JSON.parse(overview) as { administrations: { administrationId: number }[] }).administrations.map((a) => a.administrationId)).toEqual([A.admin.id]);
    expect(overview).not.toContain('Bravo');
    const me = await (await A.owner.request('/api/auth/me')).text();
    expect(me).not.toContain('Bravo');
  });

  it('API tokens are held to their administration too', async () => {
    const t = await tokenFor(db, A.admin.id, 'owner');
    const h = { authorization: `Bearer ${t}` };
    expect((await app.request(`/api/administrations/${B.admin.id}/debtors`, { headers: h })).status).toBe(403);
    expect((await app.request(`/api/administrations/${B.admin.id}/documents/${B.ids.document}`, { headers: h })).status).toBe(403);
    expect((await app.request(`/api/administrations/${A.admin.id}/documents/${B.ids.document}`, { headers: h })).status).toBe(404);
    expect((await app.request(`/api/administrations/${A.admin.id}/items/${B.ids.item}`, { headers: h })).status).toBe(404);
  });

  it('the audit log has the writes and exports (with who and the status), and it is append-only', async () => {
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE user_id = $1 AND administration_id = $2 AND status = 403`, [A.owner.user.id, B.admin.id]);
    expect(rows[0]!.n).toBeGreaterThan(10); // the refused attempts are on B's record
    const exports = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE user_id = $1 AND (path LIKE '%/documents/%' OR path LIKE '%/exports/%')`, [A.owner.user.id]);
    expect(exports[0]!.n).toBeGreaterThan(0);
    const own = await (await B.owner.request(`/api/administrations/${B.admin.id}/audit?limit=1000`)).json() as { userId: number; status: number }[];
    expect(own.some((r) => r.userId === B.owner.user.id && r.status === 201)).toBe(true);
    await expect(db.query('UPDATE audit_log SET status = 200')).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log WHERE id > 0')).rejects.toThrow(/append-only/);
  });
});
