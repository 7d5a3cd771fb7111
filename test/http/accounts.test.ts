/**
 * The account model (issue 11): API tokens cannot make people, roles or tokens; mailed links come
 * only from the configured public URL; a completed reset revokes every outstanding reset link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { authed, tokenFor } from '../support/auth.ts';
import { createApp } from '../../src/http/app.ts';
import { createAdministration } from '../../src/app/administrations.ts';
import { createUser, grantRole, sha256 } from '../../src/app/auth.ts';
import { changeAdministration } from '../../src/app/administrations.ts';
import { SESSION_COOKIE } from '../../src/http/auth.ts';
import { checkPublicUrl, setPublicUrl } from '../../src/app/links.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

describe('checkPublicUrl', () => {
  it('takes a plain http(s) base and nothing else', () => {
    expect(checkPublicUrl('https://vorder.example.nl/')).toBe('https://vorder.example.nl');
    expect(checkPublicUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(checkPublicUrl('https://example.nl/vorder/')).toBe('https://example.nl/vorder');
    for (const bad of ['evil', 'javascript:alert(1)', 'https://u:p@x.nl', 'https://x.nl/?a=1', 'https://x.nl/#f', 'ftp://x.nl']) expect(() => checkPublicUrl(bad)).toThrow();
  });
});

const json = (body: unknown, headers: Record<string, string> = {}, method = 'POST'): RequestInit => ({ method, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe.each(ENGINES)('the account model on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let A = 0;
  let smtp: TestSmtp;
  const savedPublicUrl = process.env.VORDER_PUBLIC_URL;
  beforeAll(async () => {
    delete process.env.VORDER_PUBLIC_URL;
    smtp = await startSmtp();
    process.env.VORDER_SMTP_URL = `smtp://127.0.0.1:${smtp.port}?from=vorder@example.test`;
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22', publicUrl: 'https://vorder.example.test', rateLimits: { loginPerMinute: 1000 } });
    A = (await createAdministration(db, { name: 'Alpha BV' })).id;
  });
  afterAll(async () => {
    delete process.env.VORDER_SMTP_URL;
    if (savedPublicUrl !== undefined) process.env.VORDER_PUBLIC_URL = savedPublicUrl;
    await smtp?.close();
    await db?.drop();
  });

  const resetLinks = (to: string) => smtp.received.filter((m) => (m.to as { text: string }).text === to).map((m) => /(\S+\/reset\?token=[\w%-]+)/.exec(m.text ?? '')?.[1]);
  const resetsOf = async (email: string) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM password_resets r JOIN users u ON u.id = r.user_id WHERE u.email = $1', [email]))[0]!.n;

  it('a reset link never comes from the Host header: without a public URL a non-loopback server refuses to mail links and says why', async () => {
    await createUser(db, { email: 'host@example.test', name: 'H', password: 'a long password here' });
    const req = (a: ReturnType<typeof createApp>) => a.request('http://evil.example/api/auth/password-reset/request', json({ email: 'host@example.test' }, { host: 'evil.example' }));
    for (const listen of [undefined, { host: '0.0.0.0', port: 3000 }, { host: '192.168.1.5', port: 3000 }]) {
      const res = await req(createApp({ db, listen }));
      expect(res.status).toBe(503);
      const err = (await res.json() as any).error;
      expect(err.code).toBe('not_configured');
      expect(err.message).toMatch(/no public URL is configured.*VORDER_PUBLIC_URL.*vorder public-url/);
      // the same answer for an unknown address: it tells nothing about accounts
      expect((await createApp({ db, listen }).request('/api/auth/password-reset/request', json({ email: 'nobody@example.test' }))).status).toBe(503);
    }
    expect(await resetsOf('host@example.test')).toBe(0);
    // on loopback: a link to this machine
    expect((await req(createApp({ db, listen: { host: '127.0.0.1', port: 4321 } }))).status).toBe(202);
    await expect.poll(() => resetLinks('host@example.test').length, { timeout: 10_000 }).toBe(1);
    expect(resetLinks('host@example.test')[0]).toMatch(/^http:\/\/127\.0\.0\.1:4321\/reset\?token=/);
    // the instance setting (vorder public-url) wins over loopback and is used on any address
    await setPublicUrl(db, 'https://vorder.example.nl/');
    try {
      expect((await req(createApp({ db, listen: { host: '0.0.0.0', port: 3000 } }))).status).toBe(202);
      await expect.poll(() => resetLinks('host@example.test').length, { timeout: 10_000 }).toBe(2);
      expect(resetLinks('host@example.test')[1]).toMatch(/^https:\/\/vorder\.example\.nl\/reset\?token=/);
      // and VORDER_PUBLIC_URL wins over the setting
      process.env.VORDER_PUBLIC_URL = 'https://env.example.nl';
      expect((await req(createApp({ db }))).status).toBe(202);
      await expect.poll(() => resetLinks('host@example.test').length, { timeout: 10_000 }).toBe(3);
      expect(resetLinks('host@example.test')[2]).toMatch(/^https:\/\/env\.example\.nl\/reset\?token=/);
    } finally {
      delete process.env.VORDER_PUBLIC_URL;
      await setPublicUrl(db, null);
    }
    expect(smtp.received.some((m) => (m.text ?? '').includes('evil.example'))).toBe(false);
  });

  it('a completed reset revokes every other outstanding reset link of that user', async () => {
    await createUser(db, { email: 'twice@example.test', name: 'T', password: 'a long password here' });
    for (let i = 0; i < 3; i++) expect((await app.request('/api/auth/password-reset/request', json({ email: 'twice@example.test' }))).status).toBe(202);
    await expect.poll(() => resetLinks('twice@example.test').length, { timeout: 10_000 }).toBe(3);
    const tokens = resetLinks('twice@example.test').map((l) => decodeURIComponent(/token=([\w%-]+)/.exec(l!)![1]!));
    expect((await app.request('/api/auth/password-reset/confirm', json({ token: tokens[1], password: 'the new long password' }))).status).toBe(200);
    for (const t of [tokens[0], tokens[2]]) {
      const res = await app.request('/api/auth/password-reset/confirm', json({ token: t, password: 'an attacker password' }));
      expect(res.status).toBe(400);
    }
    const open = await db.query(`SELECT 1 FROM password_resets WHERE token_hash = ANY($1::text[]) AND used_at IS NULL`, [tokens.map(sha256)]);
    expect(open.length).toBe(0);
    expect((await app.request('/api/auth/login', json({ email: 'twice@example.test', password: 'the new long password' }))).status).toBe(200);
  });

  const invite = (who: { request(p: string, i?: RequestInit): Promise<Response> }, email: string, role = 'controller', admin = A) =>
    who.request(`/api/administrations/${admin}/users`, json({ email, role }));
  const tokenOfMail = (to: string) => {
    const m = smtp.received.filter((x) => (x.to as { text: string }).text === to).at(-1);
    return m ? decodeURIComponent(/\/invite\?token=([\w%-]+)/.exec(m.text ?? '')![1]!) : null;
  };
  const membersOf = async (admin: number) => (await db.query<{ email: string; role: string }>('SELECT u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.administration_id = $1 ORDER BY u.email', [admin]));

  it('adding a user sends an invitation: the same answer for a known and an unknown address, nobody added before accepting', async () => {
    const B = (await createAdministration(db, { name: 'Beta BV' })).id;
    const known = await createUser(db, { email: 'known@example.test', name: 'Geheime Naam', password: 'a long password here' });
    await grantRole(db, known.id, B, 'owner');
    await db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [known.id]);
    const owner = await authed(app, db, { role: 'owner', adminIds: [A] });
    const before = await membersOf(A);
    const a = await invite(owner, 'known@example.test');
    const b = await invite(owner, 'unknown@example.test');
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    const ja = await a.json() as any;
    const jb = await b.json() as any;
    const shape = (j: any) => ({ ...j, invitation: { ...j.invitation, id: 0, email: '', createdAt: '', expiresAt: '' } });
    expect(shape(ja)).toEqual(shape(jb));
    expect(ja).toMatchObject({ mailed: true, reason: null, link: null, invitation: { email: 'known@example.test', role: 'controller', acceptedAt: null } });
    const text = JSON.stringify(ja);
    for (const leak of ['Geheime Naam', 'isAdmin', 'lastLoginAt', 'userId', '"user"', 'created"']) expect(text).not.toContain(leak);
    expect(await membersOf(A)).toEqual(before); // not silently added
    // mailed through the mail server, with a link from the public URL; the token only as a hash
    await expect.poll(() => tokenOfMail('unknown@example.test'), { timeout: 10_000 }).not.toBeNull();
    const mail = smtp.received.filter((x) => (x.to as { text: string }).text === 'unknown@example.test').at(-1)!;
    expect(mail.subject).toMatch(/Alpha BV/);
    expect(mail.text).toMatch(/https:\/\/vorder\.example\.test\/invite\?token=/);
    const token = tokenOfMail('unknown@example.test')!;
    const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM invitations WHERE id = $1', [jb.invitation.id]);
    expect(stored[0]!.token_hash).toBe(sha256(token));
    expect(JSON.stringify(await db.query('SELECT * FROM invitations'))).not.toContain(token);

    // a new person accepts: chooses a name and password, is logged in, has the role
    const info = await app.request('/api/auth/invitation/info', json({ token }));
    expect(await info.json()).toMatchObject({ administrationName: 'Alpha BV', email: 'unknown@example.test', role: 'controller' });
    const acc = await app.request('/api/auth/invitation/accept', json({ token, name: 'Nieuwe Collega', password: 'a long password here' }));
    expect(acc.status).toBe(200);
    expect(acc.headers.get('set-cookie')).toMatch(new RegExp(`${SESSION_COOKIE}=`));
    expect(await membersOf(A)).toContainEqual({ email: 'unknown@example.test', role: 'controller' });
    expect((await app.request('/api/auth/invitation/accept', json({ token, name: 'X', password: 'another long password' }))).status).toBe(400); // once

    // an existing account accepts after logging in (never by someone setting its password)
    const tk = tokenOfMail('known@example.test')!;
    const anon = await app.request('/api/auth/invitation/accept', json({ token: tk, name: 'Evil', password: 'an attacker password' }));
    expect(anon.status).toBe(409);
    expect((await anon.json() as any).error.message).toMatch(/log in/);
    expect((await app.request('/api/auth/login', json({ email: 'known@example.test', password: 'an attacker password' }))).status).toBe(401);
    const login = await app.request('/api/auth/login', json({ email: 'known@example.test', password: 'a long password here' }));
    const me = await login.json() as any;
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await app.request('/api/auth/invitation/accept', json({ token: tk }, { cookie, 'x-csrf-token': me.csrfToken }))).status).toBe(200);
    expect(await membersOf(A)).toContainEqual({ email: 'known@example.test', role: 'controller' });
  });

  it('invitations: pending list, revoke, the administration\'s own mail server, and an honest answer without one', async () => {
    const owner = await authed(app, db, { role: 'owner', adminIds: [A] });
    // the administration's own SMTP settings win over VORDER_SMTP_URL
    const own = await startSmtp();
    try {
      const C = (await createAdministration(db, { name: 'Gamma BV' })).id;
      await changeAdministration(db, C, { settings: { smtp: { host: '127.0.0.1', port: own.port, from: 'gamma@example.test' } } } as never);
      const o2 = await authed(app, db, { role: 'owner', adminIds: [C] });
      expect((await invite(o2, 'via-gamma@example.test', 'viewer', C)).status).toBe(202);
      await expect.poll(() => own.received.length, { timeout: 10_000 }).toBe(1);
      expect((own.received[0]!.from as { text: string }).text).toMatch(/gamma@example\.test/);
    } finally {
      await own.close();
    }
    // no mail server at all: the invitation is made and the link handed to the owner, saying so
    const saved = process.env.VORDER_SMTP_URL;
    delete process.env.VORDER_SMTP_URL;
    let link: string;
    try {
      const r = await invite(owner, 'nomail@example.test');
      expect(r.status).toBe(202);
      const j = await r.json() as any;
      expect(j).toMatchObject({ mailed: false, reason: 'no_mail_server', link: expect.stringMatching(/^https:\/\/vorder\.example\.test\/invite\?token=/), notice: expect.stringMatching(/no mail server.*pass the link on/) });
      link = j.link;
    } finally {
      process.env.VORDER_SMTP_URL = saved;
    }
    const pending = await (await owner.request(`/api/administrations/${A}/users/invitations`)).json() as any[];
    const inv = pending.find((p) => p.email === 'nomail@example.test');
    expect(inv).toMatchObject({ role: 'controller', acceptedAt: null, revokedAt: null });
    expect((await owner.request(`/api/administrations/${A}/users/invitations/${inv.id}`, { method: 'DELETE' })).status).toBe(200);
    const token = decodeURIComponent(/token=(.+)$/.exec(link)![1]!);
    expect((await app.request('/api/auth/invitation/info', json({ token }))).status).toBe(400);
    await expect((await owner.request(`/api/administrations/${A}/users/invitations`)).json()).resolves.not.toContainEqual(expect.objectContaining({ email: 'nomail@example.test' }));
    // a viewer sees none of it; without a public URL no invitation is made
    const viewer = await authed(app, db, { role: 'viewer', adminIds: [A] });
    expect((await viewer.request(`/api/administrations/${A}/users/invitations`)).status).toBe(403);
    const bare = createApp({ db, listen: { host: '0.0.0.0', port: 3000 } });
    const o3 = await authed(bare, db, { role: 'owner', adminIds: [A] });
    const n = (await db.query('SELECT 1 FROM invitations')).length;
    expect((await invite(o3, 'x@example.test')).status).toBe(503);
    expect((await db.query('SELECT 1 FROM invitations')).length).toBe(n);
  });

  it('lockout and rate limits live in the database: two server instances share them; the lock answers like a wrong password and slows the source, not the owner elsewhere', async () => {
    await createUser(db, { email: 'owner-x@example.test', name: 'O', password: 'the right password' });
    // two processes' worth of apps on one database, behind a proxy that names the client
    const one = createApp({ db, trustProxy: true, rateLimits: { loginPerMinute: 1000, loginFailuresPerMinute: 8 } });
    const two = createApp({ db, trustProxy: true, rateLimits: { loginPerMinute: 1000, loginFailuresPerMinute: 8 } });
    const attempt = async (app: ReturnType<typeof createApp>, ip: string, email: string, password: string) => {
      const res = await app.request('/api/auth/login', json({ email, password }, { 'x-forwarded-for': ip }));
      return { status: res.status, message: (await res.json() as any).error?.message as string | undefined };
    };
    const evil = '198.51.100.7';
    for (let i = 0; i < 5; i++) {
      const r = await attempt(i % 2 ? two : one, evil, 'owner-x@example.test', 'guess number ' + i);
      expect(r).toMatchObject({ status: 401, message: 'wrong e-mail address or password' });
    }
    // five failures spread over both instances: this address is now locked out of this account, on either instance,
    // and the lock looks exactly like a wrong password, after the same hashing work
    const lockedRight = await attempt(two, evil, 'owner-x@example.test', 'the right password');
    expect(lockedRight).toMatchObject({ status: 401, message: 'wrong e-mail address or password' });
    const lockedAgain = await attempt(one, evil, 'owner-x@example.test', 'the right password');
    expect(lockedAgain.status).toBe(401);
    // (that the lock does the same hashing work as a wrong password is in app/auth.ts login; timings are not asserted in tests)
    // an unknown address gets the very same answer
    expect(await attempt(one, evil, 'nobody-x@example.test', 'whatever password')).toMatchObject({ status: 401, message: 'wrong e-mail address or password' });
    // the owner, from another address, is not locked out
    expect((await attempt(two, '192.0.2.10', 'owner-x@example.test', 'the right password')).status).toBe(200);
    // the source is slowed down: 8 failures this minute (counted across both instances) → 429 for that address only
    const next = await attempt(one, evil, 'someone-else@example.test', 'x password x');
    expect(next.status).toBe(429);
    expect(next.message).toMatch(/too many failed logins from this address/);
    expect((await attempt(two, evil, 'owner-x@example.test', 'the right password')).status).toBe(429);
    expect((await attempt(two, '192.0.2.10', 'owner-x@example.test', 'the right password')).status).toBe(200);
    const rows = await db.query<{ kind: string; key: string; count: number }>(`SELECT kind, key, count FROM throttles WHERE kind <> 'source' AND key LIKE $1 ORDER BY kind, key`, [`%${evil}`]);
    expect(rows).toEqual([
      { kind: 'account_source', key: `nobody-x@example.test ${evil}`, count: 1 },
      { kind: 'account_source', key: `owner-x@example.test ${evil}`, count: 7 },
      { kind: 'source_failure', key: evil, count: 8 },
    ]);
  });

  it('an owner API token cannot add users, change roles, take access away or make tokens: 403, nothing made', async () => {
    const bearer = { authorization: `Bearer ${await tokenFor(db, A, 'owner')}` };
    const owner = await authed(app, db, { role: 'owner', adminIds: [A] });
    const count = async () => (await db.query<{ u: number; t: number; m: number }>('SELECT (SELECT count(*) FROM users)::int AS u, (SELECT count(*) FROM api_tokens)::int AS t, (SELECT count(*) FROM memberships)::int AS m'))[0]!;
    const before = await count();
    const tries = [
      await app.request(`/api/administrations/${A}/users`, json({ email: 'made-by-token@example.test', role: 'owner', password: 'a long password here' }, bearer)),
      await app.request(`/api/administrations/${A}/tokens`, json({ name: 'child', role: 'owner' }, bearer)),
      await app.request(`/api/administrations/${A}/users/${owner.user.id}`, json({ role: 'viewer' }, bearer, 'PATCH')),
      await app.request(`/api/administrations/${A}/users/${owner.user.id}`, { method: 'DELETE', headers: bearer }),
    ];
    for (const res of tries) {
      expect(res.status).toBe(403);
      expect((await res.json() as any).error.message).toMatch(/an API token cannot .*only a logged-in person/);
    }
    expect(await count()).toEqual(before);
    // reading the lists stays possible for an owner token; a person still can do all of it
    expect((await app.request(`/api/administrations/${A}/users`, { headers: bearer })).status).toBe(200);
    expect((await owner.request(`/api/administrations/${A}/tokens`, json({ name: 'by a person', role: 'viewer' }))).status).toBe(201);
  });
});
