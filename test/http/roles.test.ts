/**
 * Roles per administration: a viewer reads only; a controller does the daily work but not the
 * settings, templates, policies, statuses, segments, users or tokens; an owner does everything;
 * an accountant works in each administration it holds and sees them side by side (/api/overview).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { authed, type Authed } from '../support/auth.ts';
import { createApp } from '../../src/http/app.ts';
import { requirement, endpointTable } from '../../src/http/roles.ts';

describe.each(ENGINES)('roles on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let A = 0;
  let B = 0;
  let C = 0;
  let debtorA = 0;
  const users: Record<string, Authed> = {};
  const call = (who: string, method: string, path: string, body?: unknown) =>
    users[who]!.request(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22', publicUrl: 'https://vorder.example.test' });
    const a = await anAdministration(db, { name: 'Administratie A' });
    const b = await anAdministration(db, { name: 'Administratie B' });
    const c = await anAdministration(db, { name: 'Administratie C' });
    [A, B, C] = [a.id, b.id, c.id];
    const d = await aDebtor(db, a, { number: 'D1', name: 'Klant A1' });
    debtorA = d.id;
    await anInvoice(db, a, d, { number: 'FA-1', amount: '100.00', issueDate: '2026-09-01', dueDate: '2026-09-30' });
    const db2 = await aDebtor(db, b, { number: 'D1', name: 'Klant B1' });
    await anInvoice(db, b, db2, { number: 'FB-1', amount: '250.00', issueDate: '2026-09-01', dueDate: '2026-12-30' });
    users.viewer = await authed(app, db, { role: 'viewer', adminIds: [A] });
    users.controller = await authed(app, db, { role: 'controller', adminIds: [A] });
    users.owner = await authed(app, db, { role: 'owner', adminIds: [A] });
    users.accountant = await authed(app, db, { role: 'accountant', adminIds: [A, B] });
  });
  afterAll(async () => db?.drop());

  it('a viewer reads but cannot write anything', async () => {
    expect((await call('viewer', 'GET', `/api/administrations/${A}/debtors`)).status).toBe(200);
    expect((await call('viewer', 'GET', `/api/administrations/${A}/items`)).status).toBe(200);
    expect((await call('viewer', 'POST', `/api/administrations/${A}/debtors`, { number: 'X', name: 'X' })).status).toBe(403);
    expect((await call('viewer', 'POST', `/api/administrations/${A}/debtors/${debtorA}/notes`, { text: 'x' })).status).toBe(403);
    expect((await call('viewer', 'PATCH', `/api/administrations/${A}`, { city: 'X' })).status).toBe(403);
    expect((await call('viewer', 'GET', `/api/administrations/${A}/users`)).status).toBe(403);
  });

  it('a controller does the daily work, not the settings, users or tokens', async () => {
    expect((await call('controller', 'POST', `/api/administrations/${A}/debtors`, { number: 'D2', name: 'Nieuwe klant' })).status).toBe(201);
    expect((await call('controller', 'POST', `/api/administrations/${A}/debtors/${debtorA}/notes`, { text: 'gebeld' })).status).toBe(201);
    expect((await call('controller', 'POST', `/api/administrations/${A}/tasks`, { title: 'Bellen', dueDate: '2026-11-30' })).status).toBe(201);
    const refused = [
      ['PATCH', `/api/administrations/${A}`, { city: 'Utrecht' }],
      ['PUT', `/api/administrations/${A}/templates/reminder/nl`, { subject: 's', greeting: 'g', body: ['b'], closing: 'c' }],
      ['PUT', `/api/administrations/${A}/dunning/policies/standard`, { name: 'x', steps: [] }],
      ['PUT', `/api/administrations/${A}/statuses`, [{ key: 'normal', labelNl: 'Normaal', labelEn: 'Normal', pausesChase: false }]],
      ['PUT', `/api/administrations/${A}/segments/groot`, { name: 'Groot', rules: {} }],
      ['GET', `/api/administrations/${A}/users`, undefined],
      ['POST', `/api/administrations/${A}/users`, { email: 'nieuw@example.test', role: 'owner' }],
      ['POST', `/api/administrations/${A}/tokens`, { name: 'x', role: 'owner' }],
      ['GET', `/api/administrations/${A}/audit`, undefined],
    ] as const;
    for (const [m, p, b] of refused) expect((await call('controller', m, p, b)).status, `${m} ${p}`).toBe(403);
    expect((await call('controller', 'GET', `/api/administrations/${B}/debtors`)).status).toBe(403);
    expect((await call('controller', 'POST', '/api/administrations', { name: 'Nieuw' })).status).toBe(403);
  });

  it('an owner changes settings, segments and users; keeps at least one owner; cannot create administrations', async () => {
    expect((await call('owner', 'PATCH', `/api/administrations/${A}`, { city: 'Utrecht' })).status).toBe(200);
    expect((await call('owner', 'PUT', `/api/administrations/${A}/segments/groot`, { name: 'Groot', rules: {} })).status).toBe(200);
    const added = await call('owner', 'POST', `/api/administrations/${A}/users`, { email: 'lezer@example.test', name: 'Lezer', role: 'viewer' });
    expect(added.status).toBe(202); // an invitation (no mail server here: the link comes back to pass on)
    const token = decodeURIComponent(/token=(.+)$/.exec(((await added.json()) as { link: string }).link)![1]!);
    const accepted = await app.request('/api/auth/invitation/accept', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, name: 'Lezer', password: 'a long password here' }) });
    expect(accepted.status).toBe(200);
    const id = ((await accepted.json()) as { user: { id: number } }).user.id;
    expect((await call('owner', 'PATCH', `/api/administrations/${A}/users/${id}`, { role: 'controller' })).status).toBe(200);
    const members = (await (await call('owner', 'GET', `/api/administrations/${A}/users`)).json()) as { userId: number; role: string }[];
    expect(members.find((m) => m.userId === id)?.role).toBe('controller');
    expect((await call('owner', 'DELETE', `/api/administrations/${A}/users/${id}`)).status).toBe(200);
    expect((await call('owner', 'DELETE', `/api/administrations/${A}/users/${users.owner!.user.id}`)).status).toBe(409); // the last owner
    expect((await call('owner', 'POST', '/api/administrations', { name: 'Nieuw' })).status).toBe(403);
  });

  it('an accountant works in each of its administrations, lists only those, and sees them side by side', async () => {
    for (const id of [A, B]) {
      expect((await call('accountant', 'GET', `/api/administrations/${id}/items`)).status).toBe(200);
      expect((await call('accountant', 'POST', `/api/administrations/${id}/tasks`, { title: 'Nakijken', dueDate: '2026-11-22' })).status).toBe(201);
      expect((await call('accountant', 'PATCH', `/api/administrations/${id}`, { city: 'X' })).status).toBe(403);
    }
    expect((await call('accountant', 'GET', `/api/administrations/${C}/items`)).status).toBe(403);
    const list = (await (await call('accountant', 'GET', '/api/administrations')).json()) as { id: number }[];
    expect(list.map((a) => a.id).sort()).toEqual([A, B].sort());
    const me = (await (await call('accountant', 'GET', '/api/auth/me')).json()) as { memberships: { administrationId: number; role: string }[] };
    expect(me.memberships.map((m) => m.role)).toEqual(['accountant', 'accountant']);
    const ov = (await (await call('accountant', 'GET', '/api/overview')).json()) as { administrations: { administrationId: number; open: string; overdue: string; openTasks: number }[] };
    expect(ov.administrations.map((a) => a.administrationId)).toEqual([A, B]);
    const [oa, ob] = ov.administrations;
    expect(oa).toMatchObject({ open: '100.00', overdue: '100.00' });
    expect(ob).toMatchObject({ open: '250.00', overdue: '0.00', openTasks: 1 });
  });

  it('the role table covers every route: unknown writes need a controller, unknown reads a viewer, outside administrations a login', () => {
    expect(requirement('POST', '/api/administrations/1/some-future-thing')).toEqual({ kind: 'tenant', role: 'controller' });
    expect(requirement('GET', '/api/administrations/1/some-future-thing')).toEqual({ kind: 'tenant', role: 'viewer' });
    expect(requirement('GET', '/api/some-future-thing')).toEqual({ kind: 'user' });
    expect(requirement('GET', '/api/health')).toEqual({ kind: 'public' });
    expect(endpointTable({ paths: { '/api/administrations/{adminId}/users': { get: {} } } })).toEqual([{ method: 'GET', path: '/api/administrations/{adminId}/users', who: 'owner' }]);
  });
});
