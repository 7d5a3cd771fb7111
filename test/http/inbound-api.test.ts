/** The inbound-mail API on both engines, with a real Dovecot: mailbox settings (the password never returned; owners only), the connection test, the fetch job, the queue, assign, read, the debtor list's "reply waiting". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { startDovecot, type Dovecot } from '../support/dovecot.ts';
import { claimJob, completeJob } from '../../src/jobs/queue.ts';
import { DEFAULT_HANDLERS, scheduleDue } from '../../src/jobs/worker.ts';

describe.each(ENGINES)('inbound API on %s', (engine) => {
  let db: TestDb;
  let owner: Authed;
  let viewer: Authed;
  let imap: Dovecot;
  let base = '';
  let adminId = 0;
  const ids: Record<string, number> = {};

  async function req(who: Authed, method: string, path: string, body?: unknown) {
    const res = await who.request(path, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
  }
  async function runJobs() {
    for (;;) {
      const job = await claimJob(db, ['inbound-fetch'], 'test');
      if (!job) return;
      await completeJob(db, job.id, await DEFAULT_HANDLERS['inbound-fetch']!(db, job));
    }
  }

  beforeAll(async () => {
    [db, imap] = await Promise.all([testDb(engine), startDovecot()]);
    const app = createApp({ db, today: () => '2026-12-03' });
    owner = await authed(app, db, { name: 'Anna' });
    const a = await req(owner, 'POST', '/api/administrations', { name: 'Antwoord B.V.', iban: 'NL91ABNA0417164300' });
    adminId = a.body.id;
    base = `/api/administrations/${adminId}`;
    viewer = await authed(app, db, { role: 'viewer', adminIds: [adminId] });
    ids.K1 = (await req(owner, 'POST', `${base}/debtors`, { number: 'K1', name: 'Klant Een B.V.', emails: ['piet@klant1.example'] })).body.id;
    ids.K2 = (await req(owner, 'POST', `${base}/debtors`, { number: 'K2', name: 'Klant Twee B.V.' })).body.id;
  }, 120_000);
  afterAll(async () => {
    await imap?.stop();
    await db?.drop();
  });

  it('keeps the password to itself, lets only an owner change the mailbox, and tests the connection', async () => {
    expect((await req(owner, 'GET', `${base}/settings/inbox`)).body).toMatchObject({ configured: false, passwordSet: false });
    const settings = { host: imap.host, port: imap.port, tls: false, username: imap.user, password: imap.password };
    expect((await req(viewer, 'PUT', `${base}/settings/inbox`, settings)).status).toBe(403);
    const put = await req(owner, 'PUT', `${base}/settings/inbox`, settings);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ configured: true, host: imap.host, username: imap.user, passwordSet: true, processedFolder: 'Vorder/verwerkt' });
    for (const r of [put, await req(owner, 'GET', `${base}/settings/inbox`), await req(viewer, 'GET', `${base}/settings/inbox`)]) expect(r.text).not.toContain(imap.password);
    expect((await req(owner, 'POST', `${base}/settings/inbox/test`, {})).body).toEqual({ ok: true, messages: 0 });
    expect((await req(owner, 'POST', `${base}/settings/inbox/test`, { password: 'fout' })).body).toMatchObject({ ok: false, error: expect.stringMatching(/login refused/) });
    const bad = await req(owner, 'PUT', `${base}/settings/inbox`, { ...settings, host: 'geen host', port: 99999 });
    expect(bad.status).toBe(400);
  }, 60_000);

  it('reads the mailbox from the job queue; the queue, assign, read and the debtor list agree', async () => {
    await imap.append('INBOX', 'From: Piet <piet@klant1.example>\r\nTo: debiteuren@antwoord.example\r\nSubject: Re: herinnering\r\nDate: Thu, 3 Dec 2026 10:00:00 +0100\r\n\r\nIk heb het gisteren betaald.\r\n');
    await imap.append('INBOX', 'From: onbekend@elders.example\r\nTo: debiteuren@antwoord.example\r\nSubject: Vraag\r\nDate: Thu, 3 Dec 2026 11:00:00 +0100\r\n\r\nKunt u een kopie van de factuur sturen?\r\n');
    // the scheduler enqueues one read per mailbox and period; "fetch now" one more
    await scheduleDue(db, new Date('2026-12-03T09:00:00Z'));
    await scheduleDue(db, new Date('2026-12-03T09:00:30Z'));
    expect((await db.query(`SELECT id FROM jobs WHERE queue = 'inbound-fetch'`)).length).toBe(1);
    expect((await req(owner, 'POST', `${base}/inbox/fetch`)).body).toEqual({ queued: true });
    await runJobs();
    expect(await imap.list('INBOX')).toEqual([]);

    const queue = await req(viewer, 'GET', `${base}/inbox?unassigned=true`);
    expect(queue.body).toMatchObject({ total: 1, counts: { unreadReplies: 1, unassigned: 1 } });
    expect(queue.body.rows[0]).toMatchObject({ subject: 'Vraag', debtorId: null, suggestions: [{ kind: 'copy_request', index: 0, applied: false }] });
    const waiting = await req(viewer, 'GET', `${base}/debtors?replyWaiting=true`);
    expect(waiting.body.rows.map((d: { number: string }) => d.number)).toEqual(['K1']);

    const id = queue.body.rows[0].id;
    expect((await req(viewer, 'POST', `${base}/inbox/${id}/assign`, { debtorId: ids.K2 })).status).toBe(403);
    expect((await req(owner, 'POST', `${base}/inbox/${id}/assign`, { debtorId: 999999 })).status).toBe(400);
    const assigned = await req(owner, 'POST', `${base}/inbox/${id}/assign`, { debtorId: ids.K2 });
    expect(assigned.body).toMatchObject({ debtorId: ids.K2, debtorNumber: 'K2', resolvedBy: 'manual', status: 'assigned' });
    const applied = await req(owner, 'POST', `${base}/inbox/${id}/apply`, { index: 0 });
    expect(applied.body.created).toMatchObject({ kind: 'task' });
    expect((await req(owner, 'POST', `${base}/inbox/${id}/apply`, { index: 0, amount: 'veel' })).status).toBe(400);

    const [k1] = (await req(viewer, 'GET', `${base}/inbox?debtorId=${ids.K1}`)).body.rows;
    expect(k1).toMatchObject({ resolvedBy: 'sender', status: 'unread', suggestions: [expect.objectContaining({ kind: 'paid', date: '2026-12-02' })] });
    expect((await req(owner, 'POST', `${base}/inbox/${k1.id}/read`, { read: true })).body.status).toBe('read');
    expect((await req(viewer, 'GET', `${base}/debtors?replyWaiting=true`)).body.rows).toEqual([]);
    const timeline = await req(viewer, 'GET', `${base}/debtors/${ids.K1}/timeline`);
    expect(JSON.stringify(timeline.body)).toContain('inbound_reply');
  }, 120_000);
});
