/**
 * Accounts over HTTP: first-run setup, login/logout, backoff and lockout, CSRF on cookie writes,
 * password reset through a real SMTP server, API tokens (hashed at rest, revocable, last used),
 * security headers, body limits and rate limits, the audit log (append-only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { authed, type Authed } from '../support/auth.ts';
import { createApp } from '../../src/http/app.ts';
import { createSetupToken, createUser, grantRole, sha256 } from '../../src/app/auth.ts';
import { createAdministration } from '../../src/app/administrations.ts';

const PW = 'correct horse battery';

describe.each(ENGINES)('accounts over HTTP on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let smtp: TestSmtp;
  let A = 0;
  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

  beforeAll(async () => {
    db = await testDb(engine);
    smtp = await startSmtp();
    process.env.VORDER_SMTP_URL = `smtp://127.0.0.1:${smtp.port}?from=vorder@example.test`;
    app = createApp({ db, today: () => '2026-11-22', publicUrl: 'https://vorder.example.test', rateLimits: { loginPerMinute: 1000, loginFailuresPerMinute: 1000 } });
    A = (await createAdministration(db, { name: 'Alpha BV' })).id;
  });
  afterAll(async () => {
    delete process.env.VORDER_SMTP_URL;
    await smtp?.close();
    await db?.drop();
  });

  it('first run: the API needs a login, setup needs the printed token, then creates an instance administrator once', async () => {
    expect((await app.request('/api/administrations')).status).toBe(401);
    expect((await (await app.request('/api/auth/status')).json() as any).setupNeeded).toBe(true);
    const token = (await createSetupToken(db))!;
    const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM setup_tokens');
    expect(stored).toEqual([{ token_hash: sha256(token) }]); // hashed at rest
    expect((await app.request('/api/auth/setup', json({ token: 'wrong', email: 'root@example.test', name: 'Root', password: PW }))).status).toBe(403);
    expect((await app.request('/api/auth/setup', json({ token, email: 'root@example.test', name: 'Root', password: 'short' }))).status).toBe(400);
    const res = await app.request('/api/auth/setup', json({ token, email: 'root@example.test', name: 'Root', password: PW }));
    expect(res.status).toBe(201);
    const me = await res.json() as any;
    expect(me.user).toMatchObject({ email: 'root@example.test', isAdmin: true });
    expect(me.memberships.map((m: { administrationId: number }) => m.administrationId)).toContain(A);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/vorder_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const hash = await db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = 'root@example.test'`);
    expect(hash[0]!.password_hash).toMatch(/^\$argon2id\$/);
    // once only
    expect((await (await app.request('/api/auth/status')).json() as any).setupNeeded).toBe(false);
    expect(await createSetupToken(db)).toBeNull();
    expect((await app.request('/api/auth/setup', json({ token, email: 'evil@example.test', name: 'E', password: PW }))).status).toBe(409);
  });

  it('login sets a session; me gives the CSRF token; cookie writes need it; logout ends the session', async () => {
    const res = await app.request('/api/auth/login', json({ email: 'ROOT@example.test', password: PW }));
    expect(res.status).toBe(200);
    const cookie = cookieOf(res);
    const me = await (await app.request('/api/auth/me', { headers: { cookie } })).json() as any;
    expect(me.user.email).toBe('root@example.test');
    expect(me.csrfToken).toMatch(/.{20,}/);
    const list = await app.request('/api/administrations', { headers: { cookie } });
    expect(list.status).toBe(200);
    // a write with the cookie alone (what a forged cross-site form would send) is refused
    const forged = await app.request(`/api/administrations/${A}/debtors`, json({ number: 'D1', name: 'Forged' }, { cookie }));
    expect(forged.status).toBe(403);
    expect((await forged.json() as any).error.code).toBe('forbidden');
    const wrongToken = await app.request(`/api/administrations/${A}/debtors`, json({ number: 'D1', name: 'Forged' }, { cookie, 'x-csrf-token': 'nope' }));
    expect(wrongToken.status).toBe(403);
    const ok = await app.request(`/api/administrations/${A}/debtors`, json({ number: 'D1', name: 'Real' }, { cookie, 'x-csrf-token': me.csrfToken }));
    expect(ok.status).toBe(201);
    expect((await app.request('/api/auth/logout', json({}, { cookie, 'x-csrf-token': me.csrfToken }))).status).toBe(200);
    expect((await app.request('/api/auth/me', { headers: { cookie } })).status).toBe(401);
  });

  it('wrong passwords: the same answer for unknown users; after 5 failures this address is locked out of the account, answered like a wrong password', async () => {
    await createUser(db, { email: 'victim@example.test', name: 'V', password: PW });
    const unknown = await app.request('/api/auth/login', json({ email: 'nobody@example.test', password: PW }));
    const wrong = await app.request('/api/auth/login', json({ email: 'victim@example.test', password: 'wrong password!' }));
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect((await unknown.json() as any).error.message).toBe((await wrong.json() as any).error.message);
    for (let i = 0; i < 4; i++) expect((await app.request('/api/auth/login', json({ email: 'victim@example.test', password: 'wrong password!' }))).status).toBe(401);
    const locked = await app.request('/api/auth/login', json({ email: 'victim@example.test', password: PW }));
    expect(locked.status).toBe(401); // exactly like a wrong password: tells nothing, locks nobody else out
    expect((await locked.json() as any).error.message).toBe('wrong e-mail address or password');
    const row = await db.query<{ count: number; locked: boolean }>(`SELECT count, locked_until > now() AS locked FROM throttles WHERE kind = 'account_source' AND key = 'victim@example.test local'`);
    expect(row[0]).toEqual({ count: 6, locked: true });
    // the lock runs out: then the right password works and clears the count
    await db.query(`UPDATE throttles SET locked_until = now() - interval '1 second' WHERE key = 'victim@example.test local'`);
    expect((await app.request('/api/auth/login', json({ email: 'victim@example.test', password: PW }))).status).toBe(200);
    expect((await db.query(`SELECT 1 FROM throttles WHERE key = 'victim@example.test local'`)).length).toBe(0);
  });

  it('password reset: a mailed one-time link; the same answer for unknown addresses; sessions end', async () => {
    const before = smtp.received.length;
    const login = await app.request('/api/auth/login', json({ email: 'victim@example.test', password: PW }));
    const oldCookie = cookieOf(login);
    const unknown = await app.request('/api/auth/password-reset/request', json({ email: 'nobody@example.test' }));
    const known = await app.request('/api/auth/password-reset/request', json({ email: 'victim@example.test' }));
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(await unknown.text()).toBe(await known.text());
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(before + 1);
    const mail = smtp.received.at(-1)!;
    expect((mail.to as { text: string }).text).toBe('victim@example.test');
    const link = /https:\/\/vorder\.example\.test\/reset\?token=([\w%-]+)/.exec(mail.text ?? '');
    expect(link).not.toBeNull();
    const token = decodeURIComponent(link![1]!);
    expect((await db.query(`SELECT 1 FROM password_resets WHERE token_hash = $1`, [sha256(token)])).length).toBe(1);
    expect((await app.request('/api/auth/password-reset/confirm', json({ token, password: 'short' }))).status).toBe(400);
    expect((await app.request('/api/auth/password-reset/confirm', json({ token, password: 'a new long password' }))).status).toBe(200);
    expect((await app.request('/api/auth/password-reset/confirm', json({ token, password: 'another long password' }))).status).toBe(400); // once
    expect((await app.request('/api/auth/me', { headers: { cookie: oldCookie } })).status).toBe(401);
    expect((await app.request('/api/auth/login', json({ email: 'victim@example.test', password: PW }))).status).toBe(401);
    expect((await app.request('/api/auth/login', json({ email: 'victim@example.test', password: 'a new long password' }))).status).toBe(200);
    // a header injection attempt in the address sends nothing
    const n = smtp.received.length;
    expect((await app.request('/api/auth/password-reset/request', json({ email: 'victim@example.test\r\nBcc: evil@example.test' }))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.length).toBe(n);
  });

  it('API tokens: shown once, hashed at rest, scoped to one administration and role, last used recorded, revocable', async () => {
    const owner = await authed(app, db);
    const created = await owner.request(`/api/administrations/${A}/tokens`, json({ name: 'boekhouding', role: 'viewer' }));
    expect(created.status).toBe(201);
    const t = await created.json() as any;
    expect(t.token).toMatch(/^vdr_/);
    expect(t.prefix).toBe(t.token.slice(0, 12));
    const rows = await db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens WHERE id = $1', [t.id]);
    expect(rows[0]!.token_hash).toBe(sha256(t.token));
    expect(JSON.stringify(await (await owner.request(`/api/administrations/${A}/tokens`)).json() as any)).not.toContain(t.token);
    const bearer = { authorization: `Bearer ${t.token}` };
    expect((await app.request(`/api/administrations/${A}/debtors`, { headers: bearer })).status).toBe(200);
    expect((await app.request(`/api/administrations/${A}/debtors`, json({ number: 'T1', name: 'By token' }, bearer))).status).toBe(403); // viewer
    const B = (await createAdministration(db, { name: 'Beta BV' })).id;
    expect((await app.request(`/api/administrations/${B}/debtors`, { headers: bearer })).status).toBe(403);
    expect((await (await app.request('/api/administrations', { headers: bearer })).json() as any).map((a: { id: number }) => a.id)).toEqual([A]);
    const listed = (await (await owner.request(`/api/administrations/${A}/tokens`)).json() as any).find((x: { id: number }) => x.id === t.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect((await owner.request(`/api/administrations/${A}/tokens/${t.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await app.request(`/api/administrations/${A}/debtors`, { headers: bearer })).status).toBe(401);
    expect((await app.request(`/api/administrations/${A}/debtors`, { headers: { authorization: 'Bearer vdr_madeup' } })).status).toBe(401);
  });

  it('security headers on API answers, pages and errors; HSTS only over TLS', async () => {
    for (const res of [await app.request('/api/health'), await app.request('/api/administrations'), await app.request('/api/docs')]) {
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
    expect((await app.request('/api/docs')).headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect((await app.request('https://vorder.example.test/api/health')).headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('body limits: JSON bodies over 1 MiB and uploads over the limit are refused with 413', async () => {
    const owner = await authed(app, db);
    const big = await owner.request(`/api/administrations/${A}/debtors`, json({ number: 'X', name: 'x'.repeat(1_100_000) }));
    expect(big.status).toBe(413);
    expect((await big.json() as any).error.code).toBe('too_large');
    const small = createApp({ db, maxUploadBytes: 1000 });
    const o2 = await authed(small, db);
    const up = await o2.request(`/api/administrations/${A}/imports?kind=debtors`, { method: 'POST', body: 'number,name\n' + 'D,x\n'.repeat(1000), headers: { 'content-type': 'text/csv' } });
    expect(up.status).toBe(413);
  });

  it('rate limits: login attempts per address, API calls per caller', async () => {
    // counted in the database per address: this test's own address (behind a trusted proxy)
    const limited = createApp({ db, trustProxy: true, rateLimits: { loginPerMinute: 3, apiPerMinute: 5 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await limited.request('/api/auth/login', json({ email: 'nobody@example.test', password: 'whatever!!' }, { 'x-forwarded-for': '203.0.113.77' }))).status);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const u = await authed(limited, db);
    const api = [];
    for (let i = 0; i < 7; i++) api.push((await u.request('/api/administrations')).status);
    expect(api.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(api.slice(5)).toEqual([429, 429]);
  });

  it('the audit log: writes and exports with who, where and the status; owners only; CSV export; rows cannot change', async () => {
    const owner: Authed = await authed(app, db);
    await owner.request(`/api/administrations/${A}/debtors`, json({ number: 'AUD1', name: 'Audited' }));
    await owner.request(`/api/administrations/${A}/exports/allocations?format=csv`);
    const log = await (await owner.request(`/api/administrations/${A}/audit`)).json() as any;
    const write = log.find((r: { action: string; userId: number }) => r.action === 'POST /api/administrations/:id/debtors' && r.userId === owner.user.id);
    expect(write).toMatchObject({ status: 201, method: 'POST', userEmail: owner.user.email, administrationId: A, what: 'Debiteur aangemaakt', subject: { kind: 'debtor', id: null } });
    // in words, in the language asked for; filtered by person, subject and date
    const en = await (await owner.request(`/api/administrations/${A}/audit?lang=en&subject=exports`)).json() as any;
    expect(en.length).toBeGreaterThan(0);
    expect(en.every((r: { what: string }) => /^Exported /.test(r.what))).toBe(true);
    expect(await (await owner.request(`/api/administrations/${A}/audit?subject=debtors&user=${encodeURIComponent(owner.user.email.slice(0, 6))}`)).json()).toEqual([expect.objectContaining({ what: 'Debiteur aangemaakt' })]);
    expect(await (await owner.request(`/api/administrations/${A}/audit?user=nobody%25`)).json()).toEqual([]);
    expect(await (await owner.request(`/api/administrations/${A}/audit?from=2000-01-01&to=2000-12-31`)).json()).toEqual([]);
    expect((await owner.request(`/api/administrations/${A}/audit?subject=everything`)).status).toBe(400);
    expect(log.some((r: { path: string; userId: number }) => r.path === `/api/administrations/${A}/exports/allocations` && r.userId === owner.user.id)).toBe(true);
    const csv = await (await owner.request(`/api/administrations/${A}/audit?format=csv`)).text();
    expect(csv.split('\r\n')[0]).toBe('id,at,user_id,user_email,token_id,administration_id,what,subject,subject_id,action,method,path,status,ip');
    expect(csv).toContain(',Debiteur aangemaakt,debtor,,POST /api/administrations/:id/debtors,');
    // a controller may not read it
    const u = await createUser(db, { email: 'ctl-audit@example.test', name: 'C' });
    await grantRole(db, u.id, A, 'controller');
    const ctl = await authed(app, db, { role: 'controller', adminIds: [A] });
    expect((await ctl.request(`/api/administrations/${A}/audit`)).status).toBe(403);
    await expect(db.query('UPDATE audit_log SET action = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });
});
