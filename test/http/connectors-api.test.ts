/** The connections API, in-process, on both engines: connect Moneybird (tested first), no secret in any answer, test, sync now, pause, settings, disconnect; Exact answers with the authorisation address. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { startMoneybird, type MoneybirdFake } from '../support/fakes/moneybird.ts';

process.env.VORDER_SECRET_KEY ??= 'a'.repeat(64);

describe.each(ENGINES)('connections API on %s', (engine) => {
  let db: TestDb;
  let auth: Authed;
  let mb: MoneybirdFake;
  let base = '';

  async function req(method: string, path: string, body?: unknown) {
    const init: RequestInit = { method, headers: {} };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await auth.request(path, init);
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    db = await testDb(engine);
    mb = await startMoneybird({ now: () => Date.now() });
    mb.addInvoice(mb.addContact(1), 1);
    const app = createApp({ db, today: () => '2026-12-04' });
    auth = await authed(app, db, { name: 'Anna' });
    const a = await req('POST', '/api/administrations', { name: 'Koppel B.V.' });
    base = `/api/administrations/${a.body.id}`;
  });
  afterAll(async () => {
    await mb.close();
    await db.drop();
  });

  it('connects, shows no secret, tests, queues a sync, pauses, changes settings and disconnects', async () => {
    const bad = await req('POST', `${base}/connections`, { vendor: 'moneybird', externalAdmin: mb.administrationId, token: 'wrong', baseUrl: mb.url });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems[0]).toMatchObject({ field: 'secret', code: 'refused' });
    const missing = await req('POST', `${base}/connections`, { vendor: 'moneybird', externalAdmin: mb.administrationId, baseUrl: mb.url });
    expect(missing.body.error.problems[0]).toMatchObject({ field: 'token' });
    const ok = await req('POST', `${base}/connections`, { vendor: 'moneybird', externalAdmin: mb.administrationId, token: mb.token, baseUrl: mb.url });
    expect(ok.status).toBe(201);
    const id = ok.body.connection.id;
    const list = await req('GET', `${base}/connections`);
    expect(list.text).not.toContain(mb.token);
    expect(list.body).toMatchObject({ packageOwnsPayments: false, packageStaleAfterHours: 24, connections: [{ id, vendor: 'moneybird', status: 'active', phase: 'initial', hasSecret: true }], freshness: [{ connectionId: id, stale: true, ageHours: null }] });
    expect((await req('POST', `${base}/connections/${id}/test`)).body).toEqual({ ok: true, message: 'Installatietechniek Jansen' });
    expect((await req('POST', `${base}/connections/${id}/sync`)).status).toBe(202);
    expect((await req('POST', `${base}/connections/${id}/pause`)).body.status).toBe('paused');
    expect((await req('POST', `${base}/connections/${id}/sync`)).status).toBe(409);
    expect((await req('POST', `${base}/connections/${id}/resume`)).body.status).toBe('active');
    expect((await req('PUT', `${base}/connections/${id}/settings`, { maxCloseShare: 0.3 })).body.settings).toEqual({ maxCloseShare: 0.3 });
    expect((await req('PUT', `${base}/connections/${id}/settings`, { maxCloseShare: 3 })).status).toBe(400);
    expect((await req('PUT', `${base}/package-settings`, { packageOwnsPayments: true, packageStaleAfterHours: 12 })).body).toEqual({ packageOwnsPayments: true, packageStaleAfterHours: 12 });
    expect((await req('POST', `${base}/connections/${id}/review`, { approve: true })).status).toBe(409);
    const detail = await req('GET', `${base}/connections/${id}`);
    expect(detail.body.connection.id).toBe(id);
    expect((await req('DELETE', `${base}/connections/${id}`)).status).toBe(204);
    expect((await req('GET', `${base}/connections/${id}`)).status).toBe(404);
  });

  it('Exact Online answers with the address where a person authorises Vorder', async () => {
    const r = await req('POST', `${base}/connections`, { vendor: 'exact', externalAdmin: '1234567', clientId: 'cid', clientSecret: 'csecret', redirectUri: 'https://vorder.example.nl/api/connectors/exact/callback', baseUrl: 'https://start.exactonline.nl' });
    expect(r.status).toBe(201);
    expect(r.body.connection.status).toBe('pending');
    expect(r.text).not.toContain('csecret');
    const u = new URL(r.body.authorizeUrl);
    expect(`${u.origin}${u.pathname}`).toBe('https://start.exactonline.nl/api/oauth2/auth');
    expect(u.searchParams.get('redirect_uri')).toBe('https://vorder.example.nl/api/connectors/exact/callback');
    const forged = await req('GET', `/api/connectors/exact/callback?code=x&state=${encodeURIComponent(u.searchParams.get('state')!.replace(/\.[^.]+$/, '.nope'))}`);
    expect(forged.status).toBe(403);
  });
});
