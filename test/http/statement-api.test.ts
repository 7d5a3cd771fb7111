/**
 * Sending and viewing a statement of account over HTTP, in-process, on both engines: a controller
 * sends (202, then 200 "already sent" the same day), the worker's delivery mails it once; anyone
 * who may read views the PDF; a viewer may not send; no open items is a 409; downloads are audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { authed, tokenFor, type Authed } from '../support/auth.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { createApp } from '../../src/http/app.ts';
import { requirement } from '../../src/http/roles.ts';
import { deliverDue } from '../../src/app/dunning-delivery.ts';
import { updateAdministration } from '../../src/store/administrations.ts';

describe.each(ENGINES)('statement of account API on %s', (engine) => {
  let db: TestDb;
  let smtp: TestSmtp;
  let app: ReturnType<typeof createApp>;
  let A = 0;
  let withItems = 0;
  let withoutItems = 0;
  const users: Record<'viewer' | 'controller', Authed> = {} as never;
  const call = (who: 'viewer' | 'controller', method: string, path: string, body?: unknown) =>
    users[who].request(`/api/administrations/${A}${path}`, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const actions = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dunning_actions WHERE administration_id = $1', [A]))[0]!.n;

  beforeAll(async () => {
    db = await testDb(engine);
    smtp = await startSmtp();
    app = createApp({ db, today: () => '2026-11-22' });
    const a = await anAdministration(db, { name: 'Overzicht B.V.', addressLine: 'Keizersgracht 1', postalCode: '1015 CJ', city: 'Amsterdam' });
    A = a.id;
    await updateAdministration(db, A, { settings: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'debiteuren@overzicht.nl' } } });
    const d = await aDebtor(db, a, { number: 'D1', name: 'Klant Een B.V.', emails: ['ap@klant.nl'], addressLine: 'Dorpsstraat 1', postalCode: '3511 AB', city: 'Utrecht' });
    withItems = d.id;
    await anInvoice(db, a, d, { number: 'F1', amount: '121.00', issueDate: '2026-10-01', dueDate: '2026-10-31' });
    await anInvoice(db, a, d, { number: 'F2', amount: '79.50', issueDate: '2026-11-01', dueDate: '2026-12-01' });
    withoutItems = (await aDebtor(db, a, { number: 'D2', name: 'Klant Twee B.V.', emails: ['x@twee.nl'] })).id;
    users.viewer = await authed(app, db, { role: 'viewer', adminIds: [A] });
    users.controller = await authed(app, db, { role: 'controller', adminIds: [A] });
  });
  afterAll(async () => {
    await smtp?.close();
    await db?.drop();
  });

  it('is in the role table: sending needs a controller, viewing a viewer', () => {
    expect(requirement('POST', `/api/administrations/${A}/debtors/1/statement`)).toEqual({ kind: 'tenant', role: 'controller' });
    expect(requirement('GET', `/api/administrations/${A}/debtors/1/statement.pdf`)).toEqual({ kind: 'tenant', role: 'viewer' });
  });

  it('a viewer views the PDF but may not send it', async () => {
    const pdf = await call('viewer', 'GET', `/debtors/${withItems}/statement.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('inline; filename="statement-D1-2026-11-22.pdf"');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const refused = await call('viewer', 'POST', `/debtors/${withItems}/statement`, {});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect(await actions()).toBe(0);
    // the download is in the audit log
    const [audited] = await db.query<{ action: string; status: number }>(`SELECT action, status FROM audit_log WHERE administration_id = $1 AND path LIKE '%statement.pdf'`, [A]);
    expect(audited).toMatchObject({ action: 'GET /api/administrations/:id/debtors/:id/statement.pdf', status: 200 });
  });

  it('a controller sends it once: 202 queued, the mail goes out once; the same day again is 200 already sent', async () => {
    const first = await call('controller', 'POST', `/debtors/${withItems}/statement`, {});
    expect(first.status).toBe(202);
    const body = (await first.json()) as { alreadySent: boolean; delivery: string; emails: string[]; actions: { id: number; status: string; total: string; itemCount: number }[] };
    expect(body).toMatchObject({ alreadySent: false, delivery: 'email', emails: ['ap@klant.nl'] });
    expect(body.actions).toEqual([expect.objectContaining({ status: 'queued', total: '200.50', itemCount: 2 })]);
    expect((await deliverDue(db, {})).sent).toBe(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.attachments.filter((x) => x.contentType === 'application/pdf').map((x) => x.filename)).toEqual(['statement-D1-2026-11-22.pdf']);
    const second = await call('controller', 'POST', `/debtors/${withItems}/statement`, {});
    expect(second.status).toBe(200);
    const again = (await second.json()) as { alreadySent: boolean; message: string; actions: { id: number; status: string }[] };
    expect(again).toMatchObject({ alreadySent: true, actions: [{ id: body.actions[0]!.id, status: 'sent' }] });
    expect(again.message).toMatch(/already/);
    expect((await deliverDue(db, {})).claimed).toBe(0);
    expect(smtp.received).toHaveLength(1);
    const [e] = await db.query<{ actor: string }>(`SELECT actor FROM events WHERE debtor_id = $1 AND kind = 'dunning_queued'`, [withItems]);
    expect(e!.actor).toBe(users.controller.user.name);
  });

  it('an API token with the controller role sends too; another date is another statement', async () => {
    const token = await tokenFor(db, A, 'controller');
    const res = await app.request(`/api/administrations/${A}/debtors/${withItems}/statement`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ asOf: '2026-11-23' }) });
    expect(res.status).toBe(202);
    const [run] = await db.query<{ trigger: string }>('SELECT r.trigger FROM dunning_runs r JOIN dunning_actions a ON a.run_id = r.id WHERE a.id = $1', [((await res.json()) as { actions: { id: number }[] }).actions[0]!.id]);
    expect(run!.trigger).toBe('api');
  });

  it('refuses a debtor without open items (409) and an unknown debtor (404)', async () => {
    for (const [method, path] of [['POST', `/debtors/${withoutItems}/statement`], ['GET', `/debtors/${withoutItems}/statement.pdf`]] as const) {
      const r = await call('controller', method, path, method === 'POST' ? {} : undefined);
      expect(r.status, `${method} ${path}`).toBe(409);
      expect(((await r.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/no open items/) });
    }
    expect((await call('controller', 'POST', '/debtors/999999/statement', {})).status).toBe(404);
    expect((await call('controller', 'GET', '/debtors/999999/statement.pdf')).status).toBe(404);
    expect((await call('controller', 'POST', `/debtors/${withItems}/statement`, { asOf: '22-11-2026' })).status).toBe(400);
  });

  it('is in the OpenAPI document (the web app offers what the server has)', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/administrations/{adminId}/debtors/{id}/statement'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/administrations/{adminId}/debtors/{id}/statement.pdf'] ?? {})).toEqual(['get']);
  });
});
