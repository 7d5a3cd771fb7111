/**
 * Bad input answers 400 with the field named, never 500: malformed JSON, a NUL or a lone
 * surrogate in a string (body or query), ids beyond what the database holds, impossible dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { authed, type Authed } from '../support/auth.ts';
import { aDebtor, anAdministration } from '../support/builders.ts';
import { createApp } from '../../src/http/app.ts';
import { jsonProblem } from '../../src/http/input.ts';

const BIG = '9223372036854775808'; // 2^63

describe('jsonProblem', () => {
  it('names the field of the first bad value', () => {
    expect(jsonProblem({ a: [{ b: 'x\u0000y' }] })).toMatchObject({ field: 'a.0.b', code: 'invalid_character' });
    expect(jsonProblem({ s: '\uD83D' })).toMatchObject({ field: 's', code: 'invalid_character' });
    expect(jsonProblem({ s: '\uDE00x' })).toMatchObject({ field: 's' });
    expect(jsonProblem({ s: 'emoji 😀 fine' })).toBeNull();
    expect(jsonProblem({ ids: [1, 2 ** 63] })).toMatchObject({ field: 'ids.1', code: 'out_of_range' });
    expect(jsonProblem({ amount: 12.5, n: Number.MAX_SAFE_INTEGER })).toBeNull();
  });
});

describe.each(ENGINES)('bad input over HTTP on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let owner: Authed;
  let A = 0;
  let D = 0;
  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22' });
    const a = await anAdministration(db);
    A = a.id;
    D = (await aDebtor(db, a)).id;
    owner = await authed(app, db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const raw = (path: string, body: string, method = 'POST') => owner.request(path, { method, body, headers: { 'content-type': 'application/json' } });
  async function expect400(res: Response, field: string) {
    const body = await res.json() as any;
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.error.code).toBe('validation');
    expect(body.error.problems.map((p: { field?: string }) => p.field)).toContain(field);
    expect(body.error.message).toContain(field);
  }

  it('JSON bodies: NUL, lone surrogates, malformed JSON, ids ≥ 2^63', async () => {
    const debtors = `/api/administrations/${A}/debtors`;
    await expect400(await raw(debtors, '{"number":"N1","name":"a\\u0000b"}'), 'name');
    await expect400(await raw(debtors, '{"number":"N2","name":"a\\ud800b"}'), 'name');
    await expect400(await raw(debtors, '{"number":"N3","name":"x\\udc00"}'), 'name');
    await expect400(await raw(debtors, '{"number":"N4","name":'), '(body)');
    await expect400(await raw(`/api/administrations/${A}/debtors/bulk`, `{"ids":[${BIG}],"action":"hold","reason":"x"}`), 'ids.0');
    await expect400(await raw(`/api/administrations/${A}/tasks`, `{"title":"t","dueDate":"2026-12-01","itemIds":[${BIG}]}`), 'itemIds.0');
    await expect400(await raw(`/api/administrations/${A}/tasks`, `{"title":"t","dueDate":"2026-12-01","debtorId":${BIG}}`), 'debtorId');
    await expect400(await raw(`/api/administrations/${A}/tasks`, '{"title":"t","dueDate":"2026-02-30"}'), 'dueDate');
    // nothing was stored
    expect((await db.query(`SELECT 1 FROM debtors WHERE number LIKE 'N%'`)).length).toBe(0);
  });

  it('query strings: impossible dates, ids out of range, NUL', async () => {
    const cases: [string, string][] = [
      [`/api/administrations/${A}/aging?asOf=9999-99-99`, 'asOf'],
      [`/api/administrations/${A}/aging?asOf=2026-02-30`, 'asOf'],
      [`/api/administrations/${A}/debtors?asOf=0000-01-01`, 'asOf'],
      [`/api/administrations/${A}/dashboard?asOf=2026-13-01`, 'asOf'],
      ['/api/overview?asOf=9999-99-99', 'asOf'],
      [`/api/administrations/${A}/items?debtorId=${BIG}`, 'debtorId'],
      [`/api/administrations/${A}/items?offset=${BIG}`, 'offset'],
      [`/api/administrations/${A}/debtors?ids=${BIG}`, 'ids'],
      [`/api/administrations/${A}/debtors/${D}/timeline?before=${BIG}`, 'before'],
      [`/api/administrations/${A}/tasks?debtorId=${BIG}`, 'debtorId'],
      [`/api/administrations/${A}/audit?before=${BIG}`, 'before'],
      [`/api/administrations/${A}/debtors?search=a%00b`, 'search'],
      [`/api/administrations/${A}/items?search=%ED%A0%80`, 'search'],
    ];
    for (const [path, field] of cases) await expect400(await owner.request(path), field);
    // an administration id beyond bigint in the path: refused (400 here, 404 once paths are canonical), never a 500
    for (const id of [BIG, '99999999999999999999999']) expect([400, 404]).toContain((await owner.request(`/api/administrations/${id}/debtors`)).status);
    // the good forms still work
    expect((await owner.request(`/api/administrations/${A}/aging?asOf=2024-02-29`)).status).toBe(200);
    expect((await owner.request(`/api/administrations/${A}/items?debtorId=${D}`)).status).toBe(200);
  });
});
