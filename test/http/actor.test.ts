/**
 * Who acts is recorded with every write made over HTTP, on both engines: a logged-in user by name
 * (the `x-vorder-user` header cannot make a session somebody else); an API token's integration may
 * name its user with that header, else the token's name stands. The run history tells a run started
 * in the app (manual) from one started by an integration (api).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration } from '../support/builders.ts';
import { authed, tokenFor, type Authed } from '../support/auth.ts';
import { createApp } from '../../src/http/app.ts';

describe.each(ENGINES)('the actor of a write on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let anna: Authed;
  let token = '';
  let A = 0;
  let D = 0;
  const viaToken = (method: string, path: string, body: unknown, user?: string) =>
    app.request(`/api/administrations/${A}${path}`, {
      method, body: JSON.stringify(body),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(user ? { 'x-vorder-user': user } : {}) },
    });
  const viaSession = (method: string, path: string, body: unknown) =>
    anna.request(`/api/administrations/${A}${path}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-vorder-user': 'somebody else' } });
  const lastEvent = async (kind: string) =>
    (await db.query<{ actor: string | null }>('SELECT actor FROM events WHERE administration_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1', [A, kind]))[0]?.actor;

  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-23' });
    const a = await anAdministration(db, { name: 'Actor B.V.' });
    A = a.id;
    D = (await aDebtor(db, a, { number: 'D1', name: 'Klant B.V.' })).id;
    anna = await authed(app, db, { role: 'controller', adminIds: [A], name: 'Anna de Vries' });
    token = await tokenFor(db, A, 'owner');
  });
  afterAll(async () => db?.drop());

  it('a logged-in user acts by name, whatever header it sends', async () => {
    expect((await viaSession('POST', `/debtors/${D}/hold`, { reason: 'klacht' })).status).toBe(200);
    expect(await lastEvent('debtor_hold')).toBe('Anna de Vries');
    expect((await viaSession('POST', `/debtors/${D}/notes`, { text: 'gebeld' })).status).toBe(201);
    expect(await lastEvent('note')).toBe('Anna de Vries');
  });

  it('an integration names its user, or the token stands', async () => {
    expect((await viaToken('POST', `/debtors/${D}/release`, {}, 'boekhouder@kantoor.nl')).status).toBe(200);
    expect(await lastEvent('debtor_release')).toBe('boekhouder@kantoor.nl');
    expect((await viaToken('POST', `/debtors/${D}/notes`, { text: 'via koppeling' })).status).toBe(201);
    expect(await lastEvent('note')).toBe('token test owner');
  });

  it('the run history says who started a run and from where', async () => {
    expect((await viaSession('POST', '/dunning/runs', { override: true })).status).toBe(200);
    expect((await viaToken('POST', '/dunning/runs', { override: true })).status).toBe(200);
    const runs = await db.query<{ trigger: string; actor: string | null }>('SELECT trigger, actor FROM dunning_runs WHERE administration_id = $1 ORDER BY id', [A]);
    expect(runs).toEqual([{ trigger: 'manual', actor: 'Anna de Vries' }, { trigger: 'api', actor: 'token test owner' }]);
  });
});
