/**
 * The outbox and the mail settings over the API: the test mail shows the server's answer (or its
 * error, or that there is no server); a run without a mail server says so; a message's detail has
 * its history and the server's answer; an uncertain one is settled by a person, never resent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { pdfText, startSmtp, type TestSmtp } from '../support/smtp.ts';
import { fourteenDayDates } from '../../src/domain/legal/fourteen-day-letter.ts';
import { longDate } from '../../src/app/documents/letter.ts';
import { PNG } from 'pngjs';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { getAdministration, updateAdministration, type Administration } from '../../src/store/administrations.ts';

describe.each(ENGINES)('outbox API on %s', (engine) => {
  let db: TestDb;
  let smtp: TestSmtp;
  let refusing: TestSmtp;
  let admin: Administration;
  let app: ReturnType<typeof createApp>;
  let auth: Authed;
  const call = (path: string, init?: RequestInit) => auth.request(path, init);
  const post = async (path: string, body: unknown = {}) => call(`/api/administrations/${admin.id}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = async <T>(path: string) => (await (await call(`/api/administrations/${admin.id}${path}`)).json()) as T;
  const useSmtp = async (port: number | null) => {
    const a = (await getAdministration(db, admin.id))!;
    const settings = { ...a.settings };
    if (port === null) delete settings.smtp;
    else settings.smtp = { host: '127.0.0.1', port, from: 'Debiteuren <debiteuren@api.nl>' };
    await updateAdministration(db, admin.id, { settings });
  };

  beforeAll(async () => {
    delete process.env.VORDER_SMTP_URL;
    db = await testDb(engine);
    smtp = await startSmtp();
    refusing = await startSmtp({ onMailFrom: (_a, _s, cb) => cb(Object.assign(new Error('5.7.1 relay denied'), { responseCode: 550 })) });
    admin = await anAdministration(db, { name: 'API Outbox B.V.', addressLine: 'Weg 1', postalCode: '1000 AA', city: 'Amsterdam', settings: { staleAfterDays: 90 } });
    const d = await aDebtor(db, admin, { number: 'M1', name: 'Mail B.V.', type: 'business', emails: ['m1@example.nl'], addressLine: 'Laan 2', postalCode: '2000 BB', city: 'Haarlem' } as never);
    await anInvoice(db, admin, d, { number: 'FM1', amount: '300.00', issueDate: '2026-10-01', dueDate: '2026-10-31' });
    app = createApp({ db, today: () => '2026-11-22' });
    auth = await authed(app, db);
  });
  afterAll(async () => {
    await smtp.close();
    await refusing.close();
    await db.drop();
  });

  it('the test mail says what the server answered, its error, or that there is no server', async () => {
    expect(await get('/settings/mail')).toMatchObject({ configured: false, paperFallback: false });
    expect(await (await post('/settings/mail/test', { to: 'ik@example.nl' })).json()).toMatchObject({ ok: false, code: 'no_mail_server' });
    await useSmtp(refusing.port);
    expect(await (await post('/settings/mail/test', { to: 'ik@example.nl' })).json()).toMatchObject({ ok: false, code: '550', message: expect.stringMatching(/relay denied/) });
    await useSmtp(smtp.port);
    expect(await get('/settings/mail')).toMatchObject({ configured: true, source: 'settings', host: '127.0.0.1' });
    expect(await (await post('/settings/mail/test', { to: 'ik@example.nl' })).json()).toMatchObject({ ok: true, response: expect.stringMatching(/^250/) });
    expect(smtp.received.at(-1)!.subject).toMatch(/testbericht/);
  });

  it('a run without a mail server sends nothing and says so; with one it says per state what happened, and the message shows its history', async () => {
    await useSmtp(null);
    const none = await (await post('/dunning/runs', { deliver: true, override: true })).json();
    expect(none).toMatchObject({ queued: 0, email: 0, refused: { reason: 'no_mail_server', messages: 1 }, states: {} });
    await useSmtp(smtp.port);
    const before = smtp.received.length;
    const r = await (await post('/dunning/runs', { deliver: true, override: true })).json();
    expect(r).toMatchObject({ queued: 1, email: 1, refused: null, states: { sent: 1 } });
    expect(smtp.received.length).toBe(before + 1);
    const list = await get<{ rows: { id: number; status: string; smtpResponse: string }[]; counts: Record<string, number> }>('/outbox?status=sent');
    expect(list.counts).toEqual({ sent: 1 });
    const shown = await get<{ history: { to: string }[]; smtpResponse: string; subject: string; actions: string[] }>(`/outbox/${list.rows[0]!.id}`);
    expect(shown.history.map((h) => h.to)).toEqual(['queued', 'sending', 'sent']);
    expect(shown.smtpResponse).toMatch(/^250/);
    expect(shown.subject).toBe('Betalingsherinnering'); // the letter's own subject line
    expect(shown.actions).toEqual(['mark_bounced']);
    // resending what was sent is refused; an unknown state in the filter is a 400
    expect((await post(`/outbox/${list.rows[0]!.id}/resend`)).status).toBe(409);
    expect((await call(`/api/administrations/${admin.id}/outbox?status=klaar`)).status).toBe(400);
  });

  it('a logo uploaded in the settings is on the letters; a file that is no image is refused', async () => {
    const png = new PNG({ width: 4, height: 2 });
    png.data.fill(0x33);
    const bytes = PNG.sync.write(png);
    const url = `/api/administrations/${admin.id}/settings/logo`;
    expect((await call(url)).status).toBe(404);
    expect((await call(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new TextEncoder().encode('geen plaatje') })).status).toBe(400);
    expect((await call(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes })).status).toBe(200);
    expect((await call(url)).headers.get('content-type')).toBe('image/png');
    const pdf = Buffer.from(await (await call(`/api/administrations/${admin.id}/templates/reminder/nl/preview`)).arrayBuffer()).toString('latin1');
    expect(pdf).toMatch(/\/Subtype \/Image/);
    // …and heads the HTML part of the mail, as an inline image
    const d = await aDebtor(db, admin, { number: 'L1', name: 'Logo B.V.', type: 'business', emails: ['l1@example.nl'], addressLine: 'Laan 3', postalCode: '2000 BB', city: 'Haarlem' } as never);
    await anInvoice(db, admin, d, { number: 'FL1', amount: '50.00', issueDate: '2026-10-01', dueDate: '2026-10-31' });
    const sent = await (await post(`/debtors/${d.id}/dunning/next`, { override: true })).json();
    expect(sent).toMatchObject({ states: { sent: 1 } });
    const mail = smtp.received.at(-1)!;
    expect(String(mail.html)).toMatch(/<img src="(cid:logo@vorder|data:image\/png;base64,)/); // the parser inlines cid: links
    expect(mail.attachments.some((x) => x.cid === 'logo@vorder' && x.contentType === 'image/png')).toBe(true);
    expect((await call(url, { method: 'DELETE' })).status).toBe(200);
    const without = Buffer.from(await (await call(`/api/administrations/${admin.id}/templates/reminder/nl/preview`)).arrayBuffer()).toString('latin1');
    expect(without).not.toMatch(/\/Subtype \/Image/);
  });

  it('the template preview goes the way of a real send: the 14-dagenbrief states the last day by the rule', async () => {
    const pdf = await call(`/api/administrations/${admin.id}/templates/fourteen_day_letter/nl/preview`);
    expect(pdf.status).toBe(200);
    const text = pdfText(new Uint8Array(await pdf.arrayBuffer())).replace(/\s+/g, ' ');
    expect(text).toContain(`laatste dag van deze termijn ${longDate(fourteenDayDates('2026-11-22').termEnd, 'nl')}`);
    expect(text).toContain('22 november 2026');
  });
});
