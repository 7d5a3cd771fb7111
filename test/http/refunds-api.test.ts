/** The refunds API in-process on both engines: candidates, a proposal, four-eyes (403 for the proposer, 200 for a second person), the pain.001 export (XSD-valid) and its file; refusals naming the field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { validateXsd } from '../support/xsd.ts';

describe.each(ENGINES)('refunds API on %s', (engine) => {
  let db: TestDb;
  let anna: Authed, bert: Authed;
  let base = '';
  let debtorId = 0;

  async function req(who: Authed, method: string, path: string, body?: unknown) {
    const init: RequestInit = { method, headers: {} };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await who.request(path, init);
    const text = await res.text();
    return { status: res.status, text, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    db = await testDb(engine);
    const app = createApp({ db, today: () => '2026-12-03' });
    const admin = await anAdministration(db, { legalName: 'Terugbetaal B.V.', iban: 'NL91ABNA0417164300' });
    const d = await aDebtor(db, admin, { number: 'P1', name: 'Piet Pieters', ibans: ['NL44RABO0123456789'] } as never);
    debtorId = d.id;
    await anInvoice(db, admin, d, { number: 'C-1', amount: '-45.50' });
    anna = await authed(app, db, { role: 'controller', adminIds: [admin.id], name: 'Anna' });
    bert = await authed(app, db, { role: 'controller', adminIds: [admin.id], name: 'Bert' });
    base = `/api/administrations/${admin.id}`;
  });
  afterAll(async () => db.drop());

  it('proposes, refuses the proposer as approver, approves by a second person, exports an XSD-valid pain.001', async () => {
    expect((await req(anna, 'GET', `${base}/refunds/candidates`)).body).toEqual([{ debtorId, debtorNumber: 'P1', debtorName: 'Piet Pieters', credit: '45.50', ibans: ['NL44RABO0123456789'] }]);
    const bad = await req(anna, 'POST', `${base}/refunds`, { debtorId, iban: 'NL00XXXX' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual([expect.objectContaining({ field: 'iban', code: 'invalid_iban' })]);
    const p = await req(anna, 'POST', `${base}/refunds`, { debtorId });
    expect(p.status).toBe(201);
    const id = p.body.proposed[0].id;
    expect(p.body.proposed[0]).toMatchObject({ amount: '45.50', status: 'proposed', iban: 'NL44RABO0123456789' });
    const own = await req(anna, 'POST', `${base}/refunds/${id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.error.problems[0]).toMatchObject({ code: 'four_eyes' });
    const ok = await req(bert, 'POST', `${base}/refunds/${id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    const x = await req(bert, 'POST', `${base}/refunds/exports`, { format: 'pain.001.001.03' });
    expect(x.status).toBe(201);
    expect(x.body).toMatchObject({ count: 1, controlSum: '45.50', format: 'pain.001.001.03', refundIds: [id] });
    const f = await req(bert, 'GET', `${base}/refunds/exports/${x.body.exportId}/file`);
    expect(f.status).toBe(200);
    expect(validateXsd(f.text, 'pain.001.001.03').output).toBe('');
    expect((await req(anna, 'GET', `${base}/refunds?status=exported`)).body.map((r: { id: number }) => r.id)).toEqual([id]);
    expect((await req(anna, 'POST', `${base}/refunds/exports`, {})).status).toBe(400);
  });
});
