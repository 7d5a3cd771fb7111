/**
 * The debtor-care API, in-process, on both engines: dossier, tasks and work today, promises,
 * disputes, payment plans (letter PDF), statuses, segments, behaviour, credit, checks. The tests
 * in the block share one database and run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { insertBooking } from '../../src/store/bookings.ts';

type Res = { status: number; body: any; text: string; headers: Headers };

describe.each(ENGINES)('debtor care API on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let auth: Authed;
  let A = 0;
  let base = '';
  const ids: Record<string, number> = {};

  async function req(method: string, path: string, body?: unknown): Promise<Res> {
    const init: RequestInit = { method, headers: { 'x-vorder-user': 'anna' } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await auth.request(path, init);
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }
  const get = (p: string) => req('GET', base + p);
  const post = (p: string, b: unknown = {}) => req('POST', base + p, b);
  const put = (p: string, b: unknown) => req('PUT', base + p, b);

  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22' });
    auth = await authed(app, db, { name: 'Anna de Vries' });
    const a = await req('POST', '/api/administrations', { name: 'Zorg B.V.', iban: 'NL91ABNA0417164300', addressLine: 'Keizersgracht 1', postalCode: '1015 CJ', city: 'Amsterdam' });
    A = a.body.id;
    base = `/api/administrations/${A}`;
    for (const n of ['D1', 'D2', 'D3']) ids[n] = (await post('/debtors', { number: n, name: `Klant ${n} B.V.`, addressLine: 'Dorpsstraat 1', postalCode: '3511 AB', city: 'Utrecht' })).body.id;
    for (const [num, debtor, amount] of [['F1', 'D1', '121.00'], ['F2', 'D1', '79.00'], ['F3', 'D2', '300.00'], ['F4', 'D3', '1000.00'], ['F5', 'D3', '50.00']] as const) {
      const r = await post('/items', { debtorId: ids[debtor], number: num, issueDate: '2026-10-01', dueDate: '2026-10-31', amount });
      expect(r.status).toBe(201);
      ids[num] = r.body.id;
    }
  });
  afterAll(async () => db?.drop());

  it('dossier: notes, calls, mails; edits add a version and keep the old', async () => {
    const note = await post(`/debtors/${ids.D1}/notes`, { text: 'Belt morgen terug' });
    expect(note.status).toBe(201);
    // the logged-in user acts; the x-vorder-user header it sends along ("anna") cannot make it somebody else
    expect(note.body).toMatchObject({ kind: 'note', actor: 'Anna de Vries', summary: 'Notitie: Belt morgen terug' });
    const call = await post(`/debtors/${ids.D1}/calls`, { outcome: 'reached', text: 'Betaalt vrijdag', callbackDate: '2026-11-27' });
    expect(call.status).toBe(201);
    expect(call.body.data).toMatchObject({ outcome: 'reached', callbackDate: '2026-11-27' });
    expect((await post(`/debtors/${ids.D1}/calls`, { text: 'zonder uitkomst' })).status).toBe(400);
    const mail = await post(`/debtors/${ids.D1}/entries`, { kind: 'mail_out', subject: 'Herinnering', text: 'Zie bijlage' });
    expect(mail.body.summary).toBe('Mail verstuurd: Herinnering: Zie bijlage');
    const edit = await put(`/timeline/${note.body.id}`, { text: 'Belt overmorgen terug' });
    expect(edit.status).toBe(201);
    expect(edit.body.data.replaces).toBe(note.body.id);
    expect((await put(`/timeline/${note.body.id}`, { text: 'nog eens' })).status).toBe(409);
    const dossier = await get(`/debtors/${ids.D1}/dossier`);
    expect(dossier.status).toBe(200);
    expect(dossier.body.find((e: any) => e.id === note.body.id)).toMatchObject({ replacedBy: edit.body.id, summary: 'Notitie: Belt morgen terug' });
    const current = await get(`/debtors/${ids.D1}/dossier?current=true&kind=note`);
    expect(current.body.map((e: any) => e.id)).toEqual([edit.body.id]);
  });

  it('tasks: create, list mine/today, assign, complete; work today', async () => {
    const t = await post('/tasks', { debtorId: ids.D2, kind: 'check_agreement', title: 'Afspraak nakijken', dueDate: '2026-11-22', assignedTo: 'anna' });
    expect(t.status).toBe(201);
    const later = await post('/tasks', { title: 'Volgende week', dueDate: '2026-11-29', assignedTo: 'anna' });
    const mine = await get('/tasks?mine=anna&today=true');
    expect(mine.body.map((x: any) => x.id)).toContain(t.body.id);
    expect(mine.body.map((x: any) => x.id)).not.toContain(later.body.id);
    const assigned = await post(`/tasks/${later.body.id}/assign`, { user: 'bert' });
    expect(assigned.body.assignedTo).toBe('bert');
    const done = await post(`/tasks/${t.body.id}/complete`, { outcome: 'klopt' });
    expect(done.body).toMatchObject({ status: 'done', outcome: 'klopt', completedBy: 'Anna de Vries' });
    expect((await post(`/tasks/${t.body.id}/complete`, {})).status).toBe(409);
    const work = await get('/work-today?user=Anna%20de%20Vries&asOf=2026-11-27'); // the call-back task is the caller's own
    expect(work.status).toBe(200);
    expect(work.body.map((w: any) => w.taskKind)).toContain('call_back');
  });

  it('promises: record, pause, check kept and broken', async () => {
    const p = await post('/promises', { debtorId: ids.D1, amount: '121.00', promisedDate: '2026-11-30', itemIds: [ids.F1] });
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ amount: '121.00', status: 'open', graceDays: 3, itemIds: [ids.F1] });
    const list = await get(`/debtors?status=promise`);
    expect(list.body.rows.map((r: any) => [r.number, r.pausedReason])).toEqual([['D1', 'betalingsbelofte tot 2026-12-03 (deel van de posten)']]);
    await insertBooking(db, A, { kind: 'bank', date: '2026-11-29', allocations: [{ itemId: ids.F1!, cents: 12100 }] });
    const check = await post('/promises/check', { asOf: '2026-11-30' });
    expect(check.body).toMatchObject({ kept: 1, broken: 0 });
    const p2 = await post('/promises', { debtorId: ids.D1, amount: '79.00', promisedDate: '2026-12-01' });
    const c2 = await post('/promises/check', { asOf: '2026-12-05' });
    expect(c2.body).toMatchObject({ kept: 0, broken: 1, results: [{ promiseId: p2.body.id, paid: '0.00', status: 'broken' }] });
    expect((await get(`/promises?debtorId=${ids.D1}&status=broken`)).body).toHaveLength(1);
    expect((await get(`/tasks?kind=broken_promise`)).body[0]).toMatchObject({ sourceType: 'promise', sourceId: p2.body.id });
    expect((await post('/promises', { debtorId: ids.D1, amount: '1.00', promisedDate: '2026-01-01' })).status).toBe(400);
    const p3 = await post('/promises', { debtorId: ids.D1, amount: '1.00', promisedDate: '2026-12-24' });
    const changed = await put(`/promises/${p3.body.id}`, { amount: '2.50', promisedDate: '2026-12-28' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ amount: '2.50', promisedDate: '2026-12-28', status: 'open' });
    const tooMuch = await put(`/promises/${p3.body.id}`, { amount: '99999.00' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.problems[0]).toMatchObject({ field: 'amount', code: 'too_large' });
    expect((await post(`/promises/${p3.body.id}/cancel`)).body.status).toBe('cancelled');
  });

  it('disputes: reasons, open, resend invoice, resolve with a credit note', async () => {
    const reasons = await get('/dispute-reasons');
    expect(reasons.body).toHaveLength(5);
    expect((await post('/dispute-reasons', { key: 'late_delivery', labelNl: 'Te laat geleverd', labelEn: 'Late delivery' })).body).toHaveLength(6);
    const d = await post('/disputes', { debtorId: ids.D2, itemIds: [ids.F3], reason: 'late_delivery', owner: 'anna', deadline: '2026-12-01' });
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ status: 'open', reason: 'late_delivery', itemIds: [ids.F3] });
    expect((await post('/disputes', { debtorId: ids.D2, itemIds: [ids.F3], reason: 'other' })).status).toBe(409);
    expect((await post(`/disputes/${d.body.id}/resend-invoice`, {})).status).toBe(404); // no stored document
    const [doc] = await db.query<{ id: number }>(`INSERT INTO documents (administration_id, filename, content_type, sha256, size, content) VALUES ($1, 'F3.pdf', 'application/pdf', 'x', 4, '\\x25504446'::bytea) RETURNING id`, [A]);
    await db.query('UPDATE items SET document_id = $2 WHERE id = $1', [ids.F3, doc!.id]);
    const resent = await post(`/disputes/${d.body.id}/resend-invoice`, { to: 'ap@klant.nl' });
    expect(resent.body).toMatchObject([{ itemId: ids.F3, documentId: doc!.id, url: `/api/administrations/${A}/documents/${doc!.id}` }]);
    const work = await get('/work-today?user=anna&asOf=2026-12-02');
    expect(work.body.find((w: any) => w.sourceType === 'dispute')).toMatchObject({ taskKind: 'review_dispute', overdue: true });
    const r = await post(`/disputes/${d.body.id}/resolve`, { resolution: 'credit_note', note: 'te laat, gecrediteerd' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ credit: '300.00', dispute: { status: 'resolved', resolution: 'credit_note' } });
    expect((await get(`/items/${ids.F3}`)).body.open).toBe('0.00');
    expect((await get(`/items/${r.body.creditItemId}`)).body).toMatchObject({ kind: 'credit_note', amount: '-300.00', open: '0.00' });
    expect((await get(`/disputes/${d.body.id}`)).body.status).toBe('resolved');
    expect((await get('/disputes?status=open')).body).toEqual([]);
  });

  it('payment plans: N monthly instalments, the letter PDF, check', async () => {
    const limits = await get('/care/limits');
    expect(limits.body).toEqual({ promiseMaxDays: 60, planMaxInstalments: 24, planMaxMonths: 24, planMinInstalment: '25.00' });
    const tooMany = await post('/payment-plans/preview', { debtorId: ids.D3, instalments: 500, firstDate: '2026-12-15' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.problems).toEqual([expect.objectContaining({ field: 'instalments', code: 'too_many', params: { max: 24 } })]);
    const preview = await post('/payment-plans/preview', { debtorId: ids.D3, instalments: 3, firstDate: '2026-12-15' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ total: '1050.00', currency: 'EUR', limits: { planMaxInstalments: 24 } });
    expect((await get('/payment-plans?status=active')).body).toHaveLength(0); // the preview saved nothing
    const p = await post('/payment-plans', { debtorId: ids.D3, instalments: 3, firstDate: '2026-12-15' });
    expect(p.body.instalments.map((i: any) => [i.dueDate, i.amount])).toEqual(preview.body.instalments.map((i: any) => [i.dueDate, i.amount]));
    expect(p.status).toBe(201);
    expect(p.body.total).toBe('1050.00');
    expect(p.body.instalments.map((i: any) => [i.dueDate, i.amount])).toEqual([['2026-12-15', '350.00'], ['2027-01-15', '350.00'], ['2027-02-15', '350.00']]);
    const letter = await req('GET', `${base}/payment-plans/${p.body.id}/letter`);
    expect(letter.status).toBe(200);
    expect(letter.headers.get('content-type')).toBe('application/pdf');
    expect(letter.text.startsWith('%PDF-')).toBe(true);
    expect((await post('/payment-plans', { debtorId: ids.D3, schedule: [{ dueDate: '2026-12-01', amount: '1.00' }] })).status).toBe(409);
    const explicitBad = await post('/payment-plans', { debtorId: ids.D1, schedule: [{ dueDate: '2026-12-01', amount: '1.00' }] });
    expect(explicitBad.status).toBe(400);
    const c = await post('/payment-plans/check', { asOf: '2026-12-21' });
    expect(c.body).toMatchObject({ broken: 1, instalmentsMissed: 1 });
    expect((await get(`/payment-plans/${p.body.id}`)).body).toMatchObject({ status: 'broken' });
    expect((await get(`/payment-plans?status=broken`)).body).toHaveLength(1);
  });

  it('statuses: table, change; segments: CRUD and evaluate; tags', async () => {
    const t = await get('/statuses');
    expect(t.body.map((s: any) => s.key)).toContain('collection_agency');
    const saved = await put('/statuses', [...t.body, { key: 'curator', labelNl: 'Curator', labelEn: 'Receiver', pausesChase: true }]);
    expect(saved.status).toBe(200);
    expect(saved.body.at(-1)).toMatchObject({ key: 'curator', pausesChase: true });
    const ch = await put(`/debtors/${ids.D2}/status`, { status: 'curator', note: 'failliet' });
    expect(ch.body.status).toBe('curator');
    expect((await get('/debtors?status=curator')).body.rows[0].pausedReason).toBe('status Curator');
    expect((await put(`/debtors/${ids.D2}/status`, { status: 'nope' })).status).toBe(400);

    expect((await put(`/debtors/${ids.D1}/tags`, { tags: ['Bouw'] })).body.tags).toEqual(['bouw']);
    const s1 = await put('/segments/bouw', { name: 'Bouw', rules: { tagsAny: ['bouw'] }, priority: 10 });
    expect(s1.status).toBe(200);
    await put('/segments/groot', { name: 'Groot', rules: { minAnnual: '1000.00' }, priority: 20, policyKey: 'large' });
    expect((await put('/segments/fout', { name: 'Fout', rules: { nonsense: 1 } })).status).toBe(400);
    const list = await get('/segments');
    expect(list.body.find((s: any) => s.key === 'groot')).toMatchObject({ rules: { minAnnual: '1000.00' }, policyKey: 'large' });
    const ev = await post('/segments/evaluate', {});
    expect(ev.body).toEqual({ evaluated: 3, changed: 2 });
    const care = await get(`/debtors/${ids.D1}/care`);
    expect(care.body).toMatchObject({ segment: 'bouw', segmentReason: 'Bouw: label bouw', tags: ['bouw'] });
    expect((await req('DELETE', `${base}/segments/bouw`)).status).toBe(204);
    expect((await req('DELETE', `${base}/segments/bouw`)).status).toBe(404);
  });

  it('behaviour, credit limit and conditions, the header, and the care checks', async () => {
    const b = await get(`/debtors/${ids.D1}/behaviour?asOf=2026-12-05`);
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ paidCount12m: 1, avgDaysLate12m: 29, promisesKept: 1, promisesBroken: 1, warning: null });
    const c = await put(`/debtors/${ids.D3}/credit`, { creditLimit: '500.00', kvk: '87654321', paymentTermDays: 30, creditNotes: 'Referenties nagebeld' });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ creditLimit: '500.00', balance: '1050.00', kvk: '87654321', paymentTermDays: 30, creditNotes: 'Referenties nagebeld', warning: { code: 'over_credit_limit', over: '550.00' } });
    expect((await get(`/debtors/${ids.D3}/credit`)).body.warning.over).toBe('550.00');
    const h = await get(`/debtors/${ids.D3}/care`);
    expect(h.body.credit.warning.over).toBe('550.00');
    expect(h.body.debtor.number).toBe('D3');
    const checks = await post('/care/checks', { asOf: '2026-12-06' });
    expect(checks.body).toEqual({ promisesKept: 0, promisesBroken: 0, instalmentsMissed: 0, plansBroken: 0, segmentsChanged: 1 }); // D1 leaves the deleted segment
    const spec = await req('GET', '/api/openapi.json');
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/api/administrations/{adminId}/work-today', '/api/administrations/{adminId}/payment-plans/{id}/letter', '/api/administrations/{adminId}/segments/{key}']));
  });
});
