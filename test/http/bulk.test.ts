/**
 * One action on many selected debtors, through the API on both engines: all or nothing on the ids
 * (one of another administration refuses the request), each change on the debtor's dossier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { aDebtor, anAdministration } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';

describe.each(ENGINES)('bulk actions on debtors on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let auth: Authed;
  let admin: Administration;
  let other: Administration;
  const ids: number[] = [];
  let foreign = 0;
  const post = (body: unknown, who: Authed = auth) => who.request(`/api/administrations/${admin.id}/debtors/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const state = async () => db.query<{ id: number; on_hold: boolean; status: string }>('SELECT id, on_hold, status FROM debtors ORDER BY id');

  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22' });
    admin = await anAdministration(db);
    other = await anAdministration(db);
    auth = await authed(app, db);
    for (let i = 0; i < 3; i++) ids.push((await aDebtor(db, admin)).id);
    foreign = (await aDebtor(db, other)).id;
  });
  afterAll(async () => db?.drop());

  it('puts the selected debtors on hold with the reason, each on its dossier, and releases them', async () => {
    const res = await post({ ids: ids.slice(0, 2), action: 'hold', reason: 'klacht in behandeling' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ changed: 2, failed: [] });
    const rows = await state();
    expect(rows.filter((r) => r.on_hold).map((r) => r.id)).toEqual(ids.slice(0, 2));
    const events = await db.query<{ debtor_id: number }>(`SELECT debtor_id FROM events WHERE administration_id = $1 AND debtor_id = ANY($2::bigint[]) ORDER BY debtor_id`, [admin.id, ids.slice(0, 2)]);
    expect(new Set(events.map((e) => e.debtor_id))).toEqual(new Set(ids.slice(0, 2)));
    expect(await (await post({ ids: ids.slice(0, 2), action: 'release' })).json()).toEqual({ changed: 2, failed: [] });
    expect((await state()).some((r) => r.on_hold)).toBe(false);
  });

  it('sets a status on all of them', async () => {
    expect(await (await post({ ids, action: 'status', status: 'watch', note: 'grote achterstand' })).json()).toEqual({ changed: 3, failed: [] });
    expect((await state()).filter((r) => ids.includes(r.id)).map((r) => r.status)).toEqual(['watch', 'watch', 'watch']);
  });

  it('changes nothing when one id is of another administration, unknown, or the action is incomplete', async () => {
    const before = await state();
    for (const body of [
      { ids: [ids[0], foreign], action: 'hold', reason: 'x' },
      { ids: [ids[0], 999999], action: 'status', status: 'legal' },
      { ids: [ids[0]], action: 'hold' },
      { ids: [ids[0]], action: 'status', status: 'bestaat-niet' },
      { ids: [], action: 'release' },
      { ids: ['1.0'], action: 'release' },
      { ids: [9223372036854775807], action: 'release' },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = (await res.json()) as { error: { problems?: { field: string }[] } };
      expect(JSON.stringify(err)).not.toContain(String(foreign) + ' '); // never tells about the other administration's debtor
    }
    expect(await state()).toEqual(before);
  });

  it('is refused to a viewer', async () => {
    const viewer = await authed(app, db, { role: 'viewer', adminIds: [admin.id] });
    const before = await state();
    expect((await post({ ids, action: 'release' }, viewer)).status).toBe(403);
    expect(await state()).toEqual(before);
  });
});
