/** The mandates and collections API, in-process, on both engines: create, refusals naming the field, CSV import, list, change, revoke; a batch and its file. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { validateXsd } from '../support/xsd.ts';

describe.each(ENGINES)('mandates API on %s', (engine) => {
  let db: TestDb;
  let auth: Authed;
  let base = '';
  const ids: Record<string, number> = {};

  async function req(method: string, path: string, body?: unknown, type = 'application/json') {
    const init: RequestInit = { method, headers: {} };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = type;
    }
    const res = await auth.request(path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    db = await testDb(engine);
    const app = createApp({ db, today: () => '2026-12-03' });
    auth = await authed(app, db, { name: 'Anna' });
    const a = await req('POST', '/api/administrations', { name: 'Incasso B.V.', iban: 'NL91ABNA0417164300', creditorId: 'NL06ZZZ503992920000' });
    base = `/api/administrations/${a.body.id}`;
    ids.B = (await req('POST', `${base}/debtors`, { number: 'B1', name: 'Bouw B.V.' })).body.id;
    ids.C = (await req('POST', `${base}/debtors`, { number: 'C1', name: 'Jan Jansen', type: 'consumer' })).body.id;
  });
  afterAll(async () => db.drop());

  it('creates, refuses naming the field, lists and revokes', async () => {
    const created = await req('POST', `${base}/mandates`, { debtorId: ids.B, mandateId: 'MB-1', signatureDate: '2026-11-01', iban: 'NL44RABO0123456789', scheme: 'B2B' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ mandateId: 'MB-1', scheme: 'B2B', status: 'active', lapsesAfter: '2029-11-01', debtorNumber: 'B1' });

    const refused = await req('POST', `${base}/mandates`, { debtorId: ids.C, mandateId: 'MB-1', signatureDate: '2026-11-01', iban: 'NL44RABO0123456780', scheme: 'B2B' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.problems.map((p: { field: string; code: string }) => [p.field, p.code])).toEqual([['iban', 'invalid_iban'], ['scheme', 'b2b_consumer'], ['mandateId', 'mandate_id_used']]);

    const imported = await req('POST', `${base}/mandates/import?filename=m.csv`, 'debtor_number,mandate_id,signature_date,iban,bic,scheme\nC1,MC-1,2026-10-01,NL91ABNA0417164300,ABNANL2A,CORE\n', 'text/csv');
    expect(imported).toEqual({ status: 200, body: { filename: 'm.csv', rows: 1, created: 1 } });
    const rejected = await req('POST', `${base}/mandates/import`, 'debtor_number,mandate_id,signature_date,iban,bic,scheme\nC1,MC-1,2026-10-01,NL91ABNA0417164300,,CORE\n', 'text/csv');
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.problems).toEqual([expect.objectContaining({ line: 2, field: 'mandate_id', code: 'mandate_id_used' })]);

    const list = await req('GET', `${base}/mandates?debtorId=${ids.C}`);
    expect(list.body.map((m: { mandateId: string }) => m.mandateId)).toEqual(['MC-1']);
    const later = await req('GET', `${base}/mandates?asOf=2030-01-01`);
    expect(later.body.map((m: { status: string }) => m.status)).toEqual(['expired', 'expired']);

    const changed = await req('PATCH', `${base}/mandates/${created.body.id}`, { iban: 'NL20INGB0001234567' });
    expect(changed.body).toMatchObject({ iban: 'NL20INGB0001234567', originalIban: null }); // never collected: nothing to tell the bank
    expect((await req('PATCH', `${base}/mandates/${created.body.id}`, { mandateId: 'M//X' })).body.error.problems[0]).toMatchObject({ field: 'mandateId', code: 'mandate_id_slash' });
    const revoked = await req('POST', `${base}/mandates/${created.body.id}/revoke`, { date: '2026-12-03' });
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: '2026-12-03' });
    expect((await req('POST', `${base}/mandates/${created.body.id}/revoke`, {})).status).toBe(409);
    expect((await req('GET', `${base}/mandates/999999`)).status).toBe(404);
  });

  it('collections: refused inside the lead time, then a batch and its XSD-valid file', async () => {
    expect((await req('POST', `${base}/items`, { debtorId: ids.C, number: 'F9', issueDate: '2026-11-01', dueDate: '2026-11-30', amount: '99.95' })).status).toBe(201);
    const early = await req('POST', `${base}/collections`, { date: '2026-12-03' });
    expect(early.status).toBe(400);
    expect(early.body.error.problems).toEqual([expect.objectContaining({ field: 'date', code: 'too_early' })]);
    const r = await req('POST', `${base}/collections`, { date: '2026-12-04' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ count: 1, controlSum: '99.95', format: 'pain.008.001.08', paymentInfos: [{ scheme: 'CORE', sequenceType: 'RCUR', count: 1, total: '99.95' }] });
    const list = await req('GET', `${base}/collections`);
    expect(list.body).toEqual([expect.objectContaining({ id: r.body.batchId, count: 1, controlSum: '99.95' })]);
    const file = await auth.request(`${base}/collections/${r.body.batchId}/file`, { method: 'GET' });
    expect(file.status).toBe(200);
    const xml = await file.text();
    expect(validateXsd(xml, 'pain.008.001.08')).toMatchObject({ ok: true, output: '' });
    expect(xml).toContain('<EndToEndId>F9-B1</EndToEndId>');
  });
});
