/**
 * The debtor portal over HTTP, in-process, on both engines, against the local Mollie fake: links
 * (forged, guessed, expired, revoked), CSRF, every action, paying (ten identical webhooks at once,
 * an unknown id, another administration's id, the amount changed between click and payment, paid
 * in the meantime, refund and chargeback), and the inside view of it on the debtor page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { startMollieFake, type MollieFake } from '../support/mollie-fake.ts';
import { getAdministration } from '../../src/store/administrations.ts';
import { createItem, settleCredit } from '../../src/app/ledger.ts';
import { insertBooking } from '../../src/store/bookings.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { sendStatement } from '../../src/app/statements.ts';
import { deliverDue } from '../../src/app/dunning-delivery.ts';

const TODAY = '2026-12-03';

describe.each(ENGINES)('debtor portal on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let auth: Authed;
  let fake: MollieFake;
  let adminId = 0;
  let otherAdminId = 0;
  let base = '';

  async function api(method: string, path: string, body?: unknown) {
    const res = await auth.request(path, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const page = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, html: await res.text() };
  };
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  async function post(path: string, fields: Record<string, string | string[]>, files: Record<string, File> = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    for (const [k, f] of Object.entries(files)) form.append(k, f);
    const res = await app.request(path, { method: 'POST', body: form });
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }
  async function debtorWithInvoices(admin: number, number: string, amounts: string[], over: Record<string, unknown> = {}) {
    const b = `/api/administrations/${admin}`;
    const d = (await api('POST', `${b}/debtors`, { number, name: `${number} B.V.`, emails: [`${number.toLowerCase()}@example.test`], ...over })).body;
    const items: number[] = [];
    for (const [k, amount] of amounts.entries()) items.push((await api('POST', `${b}/items`, { debtorId: d.id, number: `${number}-F${k + 1}`, issueDate: '2026-10-01', dueDate: '2026-10-31', amount })).body.id);
    const link = await api('POST', `${b}/debtors/${d.id}/portal/links`);
    expect(link.status).toBe(201);
    const token = String(link.body.url).split('/p/')[1]!;
    return { id: d.id as number, items, token };
  }
  const openOf = async (itemId: number) => (await db.query<{ open_cents: number }>('SELECT open_cents FROM items WHERE id = $1', [itemId]))[0]!.open_cents;
  const pspBookings = async (admin: number) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bookings WHERE administration_id = $1 AND kind = 'psp'`, [admin]))[0]!.n;

  beforeAll(async () => {
    db = await testDb(engine);
    fake = await startMollieFake();
    app = createApp({ db, today: () => TODAY, publicUrl: 'http://vorder.test', mollieApiEndpoint: fake.apiEndpoint, rateLimits: { portalPerMinute: 10_000 } });
    fake.deliver = async (url, body) => (await app.request(new URL(url).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status;
    auth = await authed(app, db, { name: 'Anna' });
    adminId = (await api('POST', '/api/administrations', { name: 'Portaal B.V.', iban: 'NL91ABNA0417164300', addressLine: 'Weg 1', postalCode: '1000 AA', city: 'Amsterdam' })).body.id;
    otherAdminId = (await api('POST', '/api/administrations', { name: 'Ander B.V.', iban: 'NL91ABNA0417164300', addressLine: 'Weg 2', postalCode: '1000 AA', city: 'Amsterdam' })).body.id;
    base = `/api/administrations/${adminId}`;
    const set = await api('PUT', `${base}/settings/portal`, { mollieTestKey: 'test_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(set.body).toMatchObject({ hasMollieTestKey: true, mollieMode: 'test' });
    expect(JSON.stringify(set.body)).not.toContain('test_aaaa');
    await api('PUT', `/api/administrations/${otherAdminId}/settings/portal`, { mollieTestKey: 'test_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' });
  });
  afterAll(async () => {
    await fake?.close();
    await db?.drop();
  });

  it('mails a working link with every statement; a new address counts once confirmed (GET changes nothing, a second use is refused); an expired link gets a fresh one by mail', async () => {
    const smtp: TestSmtp = await startSmtp();
    try {
      const set = await api('PUT', `${base}/settings/workflow`, { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'vorder@example.test' } });
      expect(set.status).toBe(200);
      const d = await debtorWithInvoices(adminId, 'ML1', ['99.00']);
      const admin = (await getAdministration(db, adminId))!;
      await sendStatement(db, admin, d.id, { date: TODAY });
      const delivered = await deliverDue(db, { publicUrl: 'http://vorder.test' });
      expect(delivered.sent).toBe(1);
      const mail = smtp.received.at(-1)!;
      const link = /http:\/\/vorder\.test(\/p\/[A-Za-z0-9_-]{22})/.exec(mail.text ?? '');
      expect(link).not.toBeNull();
      const fromMail = await page(link![1]!);
      expect(fromMail.status).toBe(200);
      expect(fromMail.html).toContain('ML1-F1');

      // a new address: confirmed by a mail to that address
      const csrf = csrfOf((await page(`${link![1]}/email`)).html);
      expect((await post(`${link![1]}/email`, { csrf, email: 'Nieuw.Adres@Example.test' })).status).toBe(303);
      const confirm = smtp.received.at(-1)!;
      expect(confirm.to && JSON.stringify(confirm.to)).toContain('nieuw.adres@example.test');
      const confirmPath = /http:\/\/vorder\.test(\/p\/confirm-email\/[A-Za-z0-9_-]+)/.exec(confirm.text ?? '')![1]!;
      expect((await page(confirmPath)).status).toBe(200);
      const emailsOf = async () => (await db.query<{ emails: string[] }>('SELECT emails FROM debtors WHERE id = $1', [d.id]))[0]!.emails;
      expect(await emailsOf()).toEqual(['ml1@example.test']);
      expect((await post(confirmPath, {})).status).toBe(200);
      expect(await emailsOf()).toEqual(['nieuw.adres@example.test', 'ml1@example.test']);
      expect((await post(confirmPath, {})).status).toBe(400);

      // the link expired: asking for a fresh one mails it to the address on file
      await db.query(`UPDATE portal_links SET expires_at = now() - interval '1 second' WHERE debtor_id = $1`, [d.id]);
      const before = smtp.received.length;
      await post(`${link![1]}/fresh`, {});
      expect(smtp.received.length).toBe(before + 1);
      const fresh = /http:\/\/vorder\.test(\/p\/[A-Za-z0-9_-]{22})/.exec(smtp.received.at(-1)!.text ?? '')![1]!;
      expect(fresh).not.toBe(link![1]);
      expect((await page(fresh)).status).toBe(200);
    } finally {
      await api('PUT', `${base}/settings/workflow`, { smtp: null });
      await smtp.close();
    }
  });

  it('limits requests per source', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.77' };
    const strict = createApp({ db, today: () => TODAY, publicUrl: 'http://vorder.test', trustProxy: true, rateLimits: { portalPerMinute: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await strict.request('/p/AAAAAAAAAAAAAAAAAAAAAA', { headers })).status);
    expect(codes).toEqual([404, 404, 404, 429, 429]);
    // another source is not held up by that one
    expect((await strict.request('/p/AAAAAAAAAAAAAAAAAAAAAA', { headers: { 'x-forwarded-for': '203.0.113.78' } })).status).toBe(404);
  });

  it('refuses a key that is not a Mollie key, naming the field, and never sends a key back', async () => {
    const bad = await api('PUT', `${base}/settings/portal`, { mollieLiveKey: 'sk_live_123' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems[0]).toMatchObject({ field: 'mollieLiveKey' });
    const got = await api('GET', `${base}/settings/portal`);
    expect(got.body).toEqual({ enabled: true, linkDays: 60, paidPauseDays: 7, mollieMode: 'test', hasMollieTestKey: true, hasMollieLiveKey: false, introNl: '', introEn: '' });
  });

  it('shows the open items on GET, records the opening, and keeps only a hash of the token', async () => {
    const d = await debtorWithInvoices(adminId, 'S1', ['121.00', '50.00']);
    const p = await page(`/p/${d.token}`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('S1-F1');
    expect(p.html).toContain('<main id="main"');
    expect(p.html).toContain('lang="nl"');
    expect((await page(`/p/${d.token}?lang=en`)).html).toContain('Your open items');
    const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM portal_links WHERE debtor_id = $1', [d.id]);
    expect(stored.every((r) => r.token_hash !== d.token && r.token_hash.length === 64)).toBe(true);
    const overview = await api('GET', `${base}/debtors/${d.id}/portal`);
    expect(overview.body.lastOpenedAt).not.toBeNull();
    expect(overview.body.activity[0]).toMatchObject({ kind: 'opened' });
    const pdf = await app.request(`/p/${d.token}/statement.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });

  it('answers forged, guessed, expired and revoked tokens with one neutral page', async () => {
    const d = await debtorWithInvoices(adminId, 'N1', ['10.00']);
    const neutral = (html: string, token: string) => html.replaceAll(token, 'T');
    const guessed = await page('/p/AAAAAAAAAAAAAAAAAAAAAA');
    expect(guessed.status).toBe(404);
    const forged = await page(`/p/${d.token.slice(0, -1)}${d.token.endsWith('A') ? 'B' : 'A'}`);
    expect(forged.status).toBe(404);
    await db.query(`UPDATE portal_links SET expires_at = now() - interval '1 day' WHERE debtor_id = $1`, [d.id]);
    const expired = await page(`/p/${d.token}`);
    expect(expired.status).toBe(404);
    expect(neutral(expired.html, d.token)).toBe(neutral(guessed.html, 'AAAAAAAAAAAAAAAAAAAAAA'));
    const d2 = await debtorWithInvoices(adminId, 'N2', ['10.00']);
    const oldCsrf = csrfOf((await page(`/p/${d2.token}/message`)).html);
    expect((await api('POST', `${base}/debtors/${d2.id}/portal/revoke`)).body).toEqual({ revoked: 1 });
    // the revoked link's form, sent again with its own CSRF token: refused, nothing written
    expect((await post(`/p/${d2.token}/message`, { csrf: oldCsrf, text: 'na intrekken' })).status).toBe(404);
    expect(await db.query(`SELECT 1 FROM events WHERE debtor_id = $1 AND kind = 'portal_message'`, [d2.id])).toHaveLength(0);
    const revoked = await page(`/p/${d2.token}`);
    expect(neutral(revoked.html, d2.token)).toBe(neutral(guessed.html, 'AAAAAAAAAAAAAAAAAAAAAA'));
    // asking for a fresh link answers the same whether the token existed or not
    const a = await post(`/p/${d.token}/fresh`, {});
    const b = await post('/p/AAAAAAAAAAAAAAAAAAAAAA/fresh', {});
    expect(neutral(a.html, d.token)).toBe(neutral(b.html, 'AAAAAAAAAAAAAAAAAAAAAA'));
    // a POST with an unknown token changes nothing
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).at(0)!.n;
    expect((await post('/p/AAAAAAAAAAAAAAAAAAAAAA/message', { text: 'hi' })).status).toBe(404);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).at(0)!.n).toBe(before);
  });

  it('refuses a POST without the page\'s CSRF token, or with another link\'s, and writes nothing', async () => {
    const d = await debtorWithInvoices(adminId, 'C1', ['10.00']);
    const other = await debtorWithInvoices(adminId, 'C2', ['10.00']);
    const otherCsrf = csrfOf((await page(`/p/${other.token}/message`)).html);
    expect((await post(`/p/${d.token}/message`, { text: 'zonder' })).status).toBe(403);
    expect((await post(`/p/${d.token}/message`, { text: 'verkeerd', csrf: otherCsrf })).status).toBe(403);
    const events = await db.query('SELECT 1 FROM events WHERE debtor_id = $1 AND kind = $2', [d.id, 'portal_message']);
    expect(events).toHaveLength(0);
  });

  it('walks every action: each lands on the timeline, pauses what the rules say and gives a task', async () => {
    const d = await debtorWithInvoices(adminId, 'A1', ['121.00', '242.00', '80.00']);
    const csrf = csrfOf((await page(`/p/${d.token}/promise`)).html);
    const [f1, f2, f3] = d.items;

    const promise = await post(`/p/${d.token}/promise`, { csrf, item: String(f1), date: '2026-12-20' });
    expect(promise.status).toBe(303);
    expect(promise.location).toContain('done=promise');
    const tooFar = await post(`/p/${d.token}/promise`, { csrf, item: String(f1), date: '2027-06-01' });
    expect(tooFar.status).toBe(400);
    expect(tooFar.html).toContain('role="alert"');

    const dispute = await post(`/p/${d.token}/dispute`, { csrf, item: String(f2), reason: 'not_delivered', text: 'Nooit ontvangen' }, { attachment: new File([new Uint8Array([37, 80, 68, 70])], 'bon.pdf', { type: 'application/pdf' }) });
    expect(dispute.status).toBe(303);
    const disputes = await db.query<{ id: number }>(`SELECT d.id FROM disputes d JOIN dispute_items di ON di.dispute_id = d.id WHERE d.debtor_id = $1 AND di.item_id = $2`, [d.id, f2]);
    expect(disputes).toHaveLength(1);
    const disputedOnly = await db.query<{ item_id: number }>('SELECT item_id FROM dispute_items WHERE dispute_id = $1', [disputes[0]!.id]);
    expect(disputedOnly.map((r) => r.item_id)).toEqual([f2]);

    const paid = await post(`/p/${d.token}/paid`, { csrf, item: String(f3), paidOn: '2026-12-01', note: 'via de bank' });
    expect(paid.status).toBe(303);
    const future = await post(`/p/${d.token}/paid`, { csrf, item: String(f3), paidOn: '2026-12-31' });
    expect(future.status).toBe(400);

    const msg = await post(`/p/${d.token}/message`, { csrf, text: 'Bel mij even' });
    expect(msg.status).toBe(303);
    const email = await post(`/p/${d.token}/email`, { csrf, email: 'nieuw@example.test' });
    expect(email.status).toBe(303);
    const badEmail = await post(`/p/${d.token}/email`, { csrf, email: 'geen-adres' });
    expect(badEmail.status).toBe(400);

    const kinds = (await db.query<{ kind: string }>('SELECT kind FROM events WHERE debtor_id = $1 ORDER BY id', [d.id])).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['promise_created', 'dispute_opened', 'portal_paid_reported', 'portal_message', 'portal_email_requested']));
    const tasks = (await db.query<{ kind: string }>(`SELECT kind FROM tasks WHERE debtor_id = $1 AND status = 'open'`, [d.id])).map((r) => r.kind);
    expect(tasks).toEqual(expect.arrayContaining(['portal_promise', 'review_dispute', 'portal_paid', 'portal_message']));
    // the work list shows them
    const today = await api('GET', `${base}/work-today?everyone=true`);
    expect(today.status).toBe(200);
    expect(JSON.stringify(today.body)).toContain('Bericht van debiteur beantwoorden');
    // paused: the promise and the dispute
    const paused = await db.query<{ status: string }>('SELECT status FROM debtors WHERE id = $1', [d.id]);
    expect(paused[0]!.status).not.toBe('normal');
    const overview = await api('GET', `${base}/debtors/${d.id}/portal`);
    expect(overview.body.activity.map((a: { kind: string }) => a.kind)).toEqual(expect.arrayContaining(['dispute', 'portal_paid', 'portal_message', 'email_requested']));
  });

  it('a plan within the limits is made at once; one outside them goes to a person', async () => {
    const d = await debtorWithInvoices(adminId, 'P1', ['600.00']);
    const csrf = csrfOf((await page(`/p/${d.token}/plan`)).html);
    const ok = await post(`/p/${d.token}/plan`, { csrf, count: '3' });
    expect(ok.location).toContain('done=plan');
    expect(await db.query(`SELECT 1 FROM payment_plans WHERE debtor_id = $1 AND status = 'active'`, [d.id])).toHaveLength(1);
    const d2 = await debtorWithInvoices(adminId, 'P2', ['100.00']);
    const csrf2 = csrfOf((await page(`/p/${d2.token}/plan`)).html);
    const review = await post(`/p/${d2.token}/plan`, { csrf: csrf2, count: '12' });
    expect(review.location).toContain('done=plan_review');
    expect(await db.query(`SELECT 1 FROM payment_plans WHERE debtor_id = $1`, [d2.id])).toHaveLength(0);
    expect(await db.query(`SELECT 1 FROM tasks WHERE debtor_id = $1 AND kind = 'portal_plan_review'`, [d2.id])).toHaveLength(1);
  });

  it('pays through Mollie: made at click time, booked once under ten identical webhooks at once', async () => {
    const d = await debtorWithInvoices(adminId, 'M1', ['121.00', '79.00']);
    const csrf = csrfOf((await page(`/p/${d.token}/pay`)).html);
    const started = await post(`/p/${d.token}/pay`, { csrf });
    expect(started.status).toBe(200);
    const p = fake.last();
    expect(started.html).toContain(`${fake.base}/checkout/${p.id}`);
    expect(p.amountCents).toBe(20000);
    expect(p.webhookUrl).toBe(`http://vorder.test/hooks/mollie/${adminId}`);
    // open: nothing booked
    expect(await fake.webhook(p.id)).toBe(200);
    expect(await pspBookings(adminId)).toBe(0);
    fake.settle(p.id, 'paid');
    const statuses = await Promise.all(Array.from({ length: 10 }, () => fake.webhook(p.id)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await openOf(d.items[0]!)).toBe(0);
    expect(await openOf(d.items[1]!)).toBe(0);
    const bookings = await db.query<{ kind: string; total: number }>(`SELECT b.kind, sum(a.cents)::bigint AS total FROM bookings b JOIN allocations a ON a.booking_id = b.id JOIN items i ON i.id = a.item_id WHERE i.debtor_id = $1 GROUP BY b.kind`, [d.id]);
    expect(bookings).toEqual([{ kind: 'psp', total: 20000 }]);

    // a refund of 50.00 and a chargeback of 20.00 reopen what they paid
    fake.refund(p.id, 5000);
    await fake.webhook(p.id);
    expect((await openOf(d.items[0]!)) + (await openOf(d.items[1]!))).toBe(5000);
    fake.chargeback(p.id, 2000);
    await Promise.all([fake.webhook(p.id), fake.webhook(p.id)]);
    expect((await openOf(d.items[0]!)) + (await openOf(d.items[1]!))).toBe(7000);
    expect(await db.query(`SELECT 1 FROM events WHERE debtor_id = $1 AND kind = 'psp_reopened'`, [d.id])).toHaveLength(2);
  });

  it('books nothing for an unknown id or another administration\'s payment', async () => {
    const before = await pspBookings(adminId);
    const unknown = await app.request(`/hooks/mollie/${adminId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=tr_doesnotexist' });
    expect(unknown.status).toBe(200);
    const garbage = await app.request(`/hooks/mollie/${adminId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=%27%3B%20drop' });
    expect(garbage.status).toBe(200);
    expect((await app.request('/hooks/mollie/01', { method: 'POST', body: 'id=tr_x' })).status).toBe(404);
    // a payment of the other administration, announced at this administration's webhook
    const o = await debtorWithInvoices(otherAdminId, 'O1', ['30.00']);
    const csrf = csrfOf((await page(`/p/${o.token}/pay`)).html);
    await post(`/p/${o.token}/pay`, { csrf });
    const theirs = fake.last();
    fake.settle(theirs.id, 'paid');
    const cross = await app.request(`/hooks/mollie/${adminId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=${theirs.id}` });
    expect(cross.status).toBe(200);
    expect(await pspBookings(adminId)).toBe(before);
    expect(await openOf(o.items[0]!)).toBe(3000);
    // at its own webhook it is booked
    await fake.webhook(theirs.id);
    expect(await openOf(o.items[0]!)).toBe(0);
  });

  it('amount changed between click and payment, and paid in the meantime: the rest becomes a credit, never booked twice', async () => {
    const admin = (await getAdministration(db, adminId))!;
    const d = await debtorWithInvoices(adminId, 'M2', ['121.00']);
    const csrf = csrfOf((await page(`/p/${d.token}/pay`)).html);
    await post(`/p/${d.token}/pay`, { csrf });
    const p = fake.last();
    // after the click: a credit note of 21.00 set against the invoice
    const credit = await createItem(db, admin, { debtorId: d.id, number: 'M2-CR', issueDate: TODAY, dueDate: TODAY, amountCents: -2100 });
    await settleCredit(db, admin, credit.id, [d.items[0]!], TODAY);
    fake.settle(p.id, 'paid');
    await fake.webhook(p.id);
    expect(await openOf(d.items[0]!)).toBe(0);
    const credits = await db.query<{ open_cents: number }>(`SELECT open_cents FROM items WHERE debtor_id = $1 AND kind = 'unapplied_payment'`, [d.id]);
    expect(credits).toEqual([{ open_cents: -2100 }]);

    const d2 = await debtorWithInvoices(adminId, 'M3', ['50.00']);
    const csrf2 = csrfOf((await page(`/p/${d2.token}/pay`)).html);
    await post(`/p/${d2.token}/pay`, { csrf: csrf2 });
    const p2 = fake.last();
    await insertBooking(db, adminId, { kind: 'manual', date: TODAY, allocations: [{ itemId: d2.items[0]!, cents: 5000 }] });
    fake.settle(p2.id, 'paid');
    await fake.webhook(p2.id);
    await fake.webhook(p2.id);
    expect(await openOf(d2.items[0]!)).toBe(0);
    expect(await db.query<{ open_cents: number }>(`SELECT open_cents FROM items WHERE debtor_id = $1 AND kind = 'unapplied_payment'`, [d2.id])).toEqual([{ open_cents: -5000 }]);
  });

  it('failed, canceled and expired payments book nothing; without a Mollie key the page offers a bank transfer with an EPC QR', async () => {
    for (const status of ['failed', 'canceled', 'expired'] as const) {
      const d = await debtorWithInvoices(adminId, `X${status}`, ['10.00']);
      const csrf = csrfOf((await page(`/p/${d.token}/pay`)).html);
      await post(`/p/${d.token}/pay`, { csrf });
      fake.settle(fake.last().id, status);
      await fake.webhook(fake.last().id);
      expect(await openOf(d.items[0]!)).toBe(1000);
    }
    fake.failNextCreate = { status: 422, title: 'Unprocessable Entity', detail: 'The amount is higher than the maximum' };
    const d = await debtorWithInvoices(adminId, 'X1', ['10.00']);
    const csrf = csrfOf((await page(`/p/${d.token}/pay`)).html);
    const refused = await post(`/p/${d.token}/pay`, { csrf });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await db.query('SELECT 1 FROM psp_payments WHERE debtor_id = $1', [d.id])).toHaveLength(0);

    const t = await debtorWithInvoices(otherAdminId, 'T1', ['10.00']);
    await api('PUT', `/api/administrations/${otherAdminId}/settings/portal`, { mollieTestKey: null });
    const view = await page(`/p/${t.token}`);
    expect(view.html).toContain('NL91 ABNA 0417 1643 00');
    expect(view.html).toContain('data:image/png;base64');
    expect(view.html).not.toContain('/pay?');
  });
});
