/**
 * The account model (issue 11): API tokens cannot make people, roles or tokens; mailed links come
 * only from the configured public URL; a completed reset revokes every outstanding reset link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { authed, tokenFor } from '../support/auth.ts';
import { createApp } from '../../src/http/app.ts';
import { createAdministration } from '../../src/app/administrations.ts';

const json = (body: unknown, headers: Record<string, string> = {}, method = 'POST'): RequestInit => ({ method, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe.each(ENGINES)('the account model on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let A = 0;
  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22', publicUrl: 'https://vorder.example.test', rateLimits: { loginPerMinute: 1000 } });
    A = (await createAdministration(db, { name: 'Alpha BV' })).id;
  });
  afterAll(async () => {
    await db?.drop();
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
