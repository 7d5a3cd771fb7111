/**
 * Inbound mail against a real Dovecot (test/support/dovecot.ts) and a real SMTP path out: replies,
 * automatic replies and bounces read from the mailbox, each handled exactly once and moved to
 * "Vorder/verwerkt"; a crash between the effects and the move (or before the commit) loses nothing
 * and doubles nothing; wrong credentials are a clear error on the settings; a person assigns a
 * message (the sender is remembered) and turns a suggestion into a promise or a dispute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { startDovecot, type Dovecot } from '../support/dovecot.ts';
import { fixture } from '../support/inbound-set.ts';
import { previewRun, savePolicy, sendRun } from '../../src/app/dunning.ts';
import { deliverDue } from '../../src/app/dunning-delivery.ts';
import { applySuggestion, assignInbound, inboundList, mailboxSettings, markInboundRead, saveMailbox } from '../../src/app/inbound.ts';
import { readMailbox, testConnection } from '../../src/app/inbound-reader.ts';
import { getAdministration, updateAdministration, type Administration } from '../../src/store/administrations.ts';
import type { DunningPolicy } from '../../src/domain/dunning/policy.ts';
import type { Debtor } from '../../src/store/debtors.ts';

const tpl = (k: string) => ({ nl: `dunning/${k}.nl`, en: `dunning/${k}.en` });
const POLICY: DunningPolicy = {
  key: 'mail', name: 'Herinnering per e-mail', appliesTo: { kind: 'administration' },
  steps: [
    { key: 'reminder', name: 'Herinnering', basis: 'due_date', delayDays: 1, channel: 'email', template: tpl('reminder'), minimumCents: 0, legal: {} },
    { key: 'second', name: 'Tweede herinnering', basis: 'previous_step', delayDays: 14, channel: 'email', template: tpl('second_reminder'), minimumCents: 0, legal: {} },
  ],
};

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** A message with an attachment of `size` bytes (base64 in lines of 76). */
function withAttachment(subject: string, size: number, to = 'debiteuren+D00042@installatietechniek.nl'): string {
  const b64 = Buffer.alloc(size, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
  return `From: Jan de Vries <jan@bakkerijdevries.nl>\r\nTo: ${to}\r\nSubject: ${subject}\r\nDate: Thu, 3 Dec 2026 12:00:00 +0100\r\nMessage-ID: <${subject.replace(/\W/g, '')}@bakkerijdevries.nl>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nZie bijlage.\r\n--b1\r\nContent-Type: application/octet-stream; name="scan.bin"\r\nContent-Disposition: attachment; filename="scan.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b1--\r\n`;
}

describe.each(ENGINES)('inbound mail on %s', (engine) => {
  let db: TestDb;
  let smtp: TestSmtp;
  let imap: Dovecot;
  let admin: Administration;
  const debtors: Record<string, Debtor> = {};
  const sentId: Record<string, { actionId: number; messageId: string }> = {};

  beforeAll(async () => {
    delete process.env.VORDER_SMTP_URL;
    db = await testDb(engine);
    smtp = await startSmtp();
    imap = await startDovecot();
    admin = await anAdministration(db, { name: `Installatietechniek ${engine}`, addressLine: 'Kade 1', postalCode: '1011 AA', city: 'Amsterdam', email: 'debiteuren@installatietechniek.nl' });
    await updateAdministration(db, admin.id, { settings: { ...admin.settings, smtp: { host: '127.0.0.1', port: smtp.port, from: 'Installatietechniek <debiteuren@installatietechniek.nl>' } } });
    admin = (await getAdministration(db, admin.id))!;
    await savePolicy(db, admin, POLICY, { isDefault: true });
    const mk = async (number: string, emails: string[], invoice: string, paymentReference?: string) => {
      const d = await aDebtor(db, admin, { number, name: `Debiteur ${number}`, emails, addressLine: 'Laan 2', postalCode: '2345 BC', city: 'Leiden' } as never);
      await anInvoice(db, admin, d, { number: invoice, amount: '480.50', issueDate: '2026-10-01', dueDate: '2026-11-01', ...(paymentReference ? { paymentReference } : {}) });
      debtors[number] = d;
    };
    await mk('D00042', ['jan@bakkerijdevries.nl'], 'F2026-0042');
    await mk('D00050', ['info@bakkerijvandam.nl'], 'F2026-0050');
    await mk('D00060', ['tom@bakerandsons.co.uk'], 'F2026-0117');
    await mk('D00062', ['marieke@jansen.example'], 'F2026-0201');
    await mk('D00070', ['kees@visser.example'], 'F2026-0700');
    // the reminders go out through the real SMTP path: their Message-IDs are what replies and bounces refer to
    const run = await sendRun(db, admin, { asOf: '2026-12-02', override: true });
    expect(run.email).toBe(5);
    await deliverDue(db, {});
    for (const [n, d] of Object.entries(debtors)) {
      const [a] = await db.query<{ id: number; message_id: string; status: string }>('SELECT id, message_id, status FROM dunning_actions WHERE debtor_id = $1', [d.id]);
      expect(a!.status).toBe('sent');
      sentId[n] = { actionId: a!.id, messageId: a!.message_id };
    }
    await saveMailbox(db, admin, { host: imap.host, port: imap.port, tls: false, username: imap.user, password: imap.password });
  }, 120_000);
  afterAll(async () => {
    await imap?.stop();
    await smtp?.close();
    await db?.drop();
  });

  it('reads replies, automatic replies and bounces once each, files them on the debtors and moves them to Vorder/verwerkt', async () => {
    // the bounce is about the reminder really sent to D00050
    const dsn = text(fixture('postfix-dsn.eml')).replace('<dunning-31-1@vorder.invalid>', sentId.D00050!.messageId).replace('X-Vorder-Action: 31', `X-Vorder-Action: ${sentId.D00050!.actionId}`);
    const messages: [string, Uint8Array][] = [
      ['paid', fixture('outlook-nl-paid.eml')],
      ['bounce', bytes(dsn)],
      ['dispute', fixture('gmail-en-dispute.eml')],
      ['copy', fixture('apple-nl-copy.eml')],
      ['unassigned', fixture('outlook-en-original-copy.eml')],
      ['auto', fixture('autoreply-outlook-nl.eml')],
      ['malformed', fixture('malformed-no-headers.eml')],
      ['big', bytes(withAttachment('Grote scan', 10 * 1024 * 1024 + 1))],
      ['charset', fixture('unknown-charset.eml')],
    ];
    for (const [, raw] of messages) await imap.append('INBOX', raw);
    const r = await readMailbox(db, admin.id, { reader: 'test' });
    expect(r).toMatchObject({ handled: messages.length, duplicates: 0, moved: messages.length, failed: 0 });
    expect(await imap.list('INBOX')).toEqual([]);
    expect(await imap.list('Vorder/verwerkt')).toHaveLength(messages.length);

    const rows = await db.query<{ kind: string; debtor_id: number | null; resolved_by: string | null; status: string; problems: string[]; attachments: { dropped?: boolean; documentId?: number }[]; subject: string }>(
      'SELECT kind, debtor_id, resolved_by, status, problems, attachments, subject FROM inbound_messages WHERE administration_id = $1 ORDER BY uid', [admin.id]);
    expect(rows.map((x) => [x.kind, x.debtor_id, x.resolved_by, x.status])).toEqual([
      ['reply', debtors.D00042!.id, 'plus_address', 'unread'],
      ['bounce', debtors.D00050!.id, 'outbox', 'read'],
      ['reply', debtors.D00060!.id, 'sender', 'unread'],
      ['reply', debtors.D00062!.id, 'reference', 'unread'],
      ['reply', null, null, 'unread'],
      ['auto_reply', debtors.D00042!.id, 'plus_address', 'read'],
      ['reply', debtors.D00042!.id, 'reference', 'unread'],
      ['reply', debtors.D00042!.id, 'plus_address', 'unread'],
      ['reply', null, null, 'unread'],
    ]);
    // the paid reply's PDF is a document; the 10 MB+ attachment is not stored, the message is marked
    expect(rows[0]!.attachments[0]!.documentId).toEqual(expect.any(Number));
    expect(rows[7]!.attachments[0]!.dropped).toBe(true);
    expect(rows[7]!.problems.join()).toMatch(/larger than 10 MB: not stored/);
    expect(rows[6]!.problems.join()).toMatch(/malformed/);
    expect(rows[8]!.problems.join()).toMatch(/unknown charset/);

    // the bounce: through the outbox's writer, the address undeliverable, a task, the next step on paper
    const [action] = await db.query<{ status: string; last_error: string }>('SELECT status, last_error FROM dunning_actions WHERE id = $1', [sentId.D00050!.actionId]);
    expect(action).toMatchObject({ status: 'bounced', last_error: expect.stringMatching(/User unknown/) });
    const [deb] = await db.query<{ undeliverable_emails: string[] }>('SELECT undeliverable_emails FROM debtors WHERE id = $1', [debtors.D00050!.id]);
    expect(deb!.undeliverable_emails).toEqual(['info@bakkerijvandam.nl']);
    expect(await db.query(`SELECT kind, source_type FROM tasks WHERE debtor_id = $1`, [debtors.D00050!.id])).toEqual([{ kind: 'check_delivery', source_type: 'dunning_bounced' }]);
    const again = await sendRun(db, admin, { asOf: '2026-12-04', override: true, only: { debtorIds: [debtors.D00050!.id] } });
    expect(again).toMatchObject({ email: 0, paper: 1 });

    // timeline: the reply at once; the automatic reply quietly; each exactly once
    const ev = await db.query<{ kind: string; summary: string }>(`SELECT kind, summary FROM events WHERE debtor_id = $1 AND kind LIKE 'inbound%' ORDER BY id`, [debtors.D00042!.id]);
    expect(ev.map((e) => e.kind)).toEqual(['inbound_reply', 'inbound_auto_reply', 'inbound_reply', 'inbound_reply']);
    expect(ev[0]!.summary).toMatch(/Jan de Vries.*al betaald/);
    expect(ev[1]!.summary).toMatch(/afwezig t\/m 14-12-2026/);
    expect((await db.query(`SELECT 1 FROM events WHERE debtor_id = $1 AND kind = 'email_undeliverable'`, [debtors.D00050!.id])).length).toBe(1);

    // a second run finds nothing new and changes nothing
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE administration_id = $1', [admin.id]);
    expect(await readMailbox(db, admin.id, { reader: 'test' })).toMatchObject({ handled: 0, moved: 0 });
    expect(await db.query('SELECT count(*)::int AS n FROM events WHERE administration_id = $1', [admin.id])).toEqual(before);

    const list = await inboundList(db, admin, { unassigned: true });
    expect(list.total).toBe(2);
    expect(list.counts).toEqual({ unreadReplies: 5, unassigned: 2 });
  }, 120_000);

  it('a crash between the effects and the move, or before the commit, loses nothing and doubles nothing', async () => {
    const subjects = ['Crash 1', 'Crash 2', 'Crash 3', 'Crash 4'];
    for (const s of subjects) await imap.append('INBOX', `From: kees@visser.example\r\nTo: debiteuren+D00070@installatietechniek.nl\r\nSubject: ${s}\r\nMessage-ID: <${s.replace(' ', '')}@visser.example>\r\nDate: Thu, 3 Dec 2026 13:00:00 +0100\r\n\r\nWij betalen ${s} morgen.\r\n`);
    const count = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE debtor_id = $1 AND kind = 'inbound_reply'`, [debtors.D00070!.id]))[0]!.n;
    // 1: committed, then the process "dies" before the move
    let seen = 0;
    await expect(readMailbox(db, admin.id, { reader: 'crash-a', hooks: { afterCommit: () => { if (++seen === 2) throw new Error('killed after commit'); } } })).rejects.toThrow(/killed after commit/);
    expect(await count()).toBe(2);
    expect((await imap.list('INBOX')).map((m) => m.subject)).toEqual(['Crash 2', 'Crash 3', 'Crash 4']);
    // 2: the process "dies" inside the transaction of the next message: rolled back
    let n2 = 0;
    await expect(readMailbox(db, admin.id, { reader: 'crash-b', hooks: { beforeCommit: () => { if (++n2 === 1) throw new Error('killed before commit'); } } })).rejects.toThrow(/killed before commit/);
    // Crash 2 was remembered already (only moved now); Crash 3 rolled back
    expect(await count()).toBe(2);
    expect((await imap.list('INBOX')).map((m) => m.subject)).toEqual(['Crash 3', 'Crash 4']);
    // the next run finishes: every message once
    expect(await readMailbox(db, admin.id, { reader: 'test' })).toMatchObject({ handled: 2, failed: 0 });
    expect(await count()).toBe(4);
    expect(await imap.list('INBOX')).toEqual([]);
    const subjectsSeen = await db.query<{ subject: string }>(`SELECT subject FROM inbound_messages WHERE debtor_id = $1 AND subject LIKE 'Crash%' ORDER BY subject`, [debtors.D00070!.id]);
    expect(subjectsSeen.map((x) => x.subject)).toEqual(subjects);
  }, 120_000);

  it('a person assigns an unassigned reply (the sender is remembered) and turns suggestions into a promise and a dispute; nothing before that click', async () => {
    const { rows } = await inboundList(db, admin, { unassigned: true });
    const copy = rows.find((r) => r.from === 'office@unknownclient.example')!;
    expect(copy.suggestions.map((s) => s.kind)).toEqual(['copy_request']);
    const assigned = await assignInbound(db, admin, copy.id, debtors.D00062!.id, 'anna');
    expect(assigned).toMatchObject({ debtorId: debtors.D00062!.id, resolvedBy: 'manual', status: 'assigned' });
    // the next message from that sender goes to the same debtor by itself
    await imap.append('INBOX', 'From: "Office" <office@unknownclient.example>\r\nTo: debiteuren@installatietechniek.nl\r\nSubject: Betaling\r\nMessage-ID: <pay-1@unknownclient.example>\r\nDate: Thu, 3 Dec 2026 14:00:00 +0100\r\n\r\nWij zullen EUR 480,50 op 18 december 2026 overmaken.\r\n');
    await readMailbox(db, admin.id, { reader: 'test' });
    const next = (await inboundList(db, admin, { debtorId: debtors.D00062!.id, kind: 'reply' })).rows.find((r) => r.subject === 'Betaling');
    expect(next).toMatchObject({ subject: 'Betaling', resolvedBy: 'sender', status: 'unread' });
    expect(next!.suggestions).toEqual([expect.objectContaining({ kind: 'promise', date: '2026-12-18', amountCents: 48050, applied: false })]);
    expect(await db.query('SELECT id FROM promises WHERE debtor_id = $1', [debtors.D00062!.id])).toEqual([]);
    const applied = await applySuggestion(db, admin, next!.id, { index: 0 }, '2026-12-03', 'anna');
    expect(applied.created.kind).toBe('promise');
    expect(await db.query('SELECT amount_cents, promised_date FROM promises WHERE id = $1', [applied.created.id])).toEqual([{ amount_cents: 48050, promised_date: '2026-12-18' }]);
    expect(applied.message).toMatchObject({ status: 'read', suggestions: [expect.objectContaining({ applied: true })] });
    await expect(applySuggestion(db, admin, next!.id, { index: 0 }, '2026-12-03', 'anna')).rejects.toThrow(/applied already/);
    // the dispute names its invoice: one click opens it
    const [dispute] = (await inboundList(db, admin, { debtorId: debtors.D00060!.id })).rows;
    const d = await applySuggestion(db, admin, dispute!.id, { index: 0 }, '2026-12-03', 'anna');
    expect(d.created.kind).toBe('dispute');
    expect(await db.query<{ reason: string }>('SELECT reason FROM disputes WHERE id = $1', [d.created.id])).toEqual([{ reason: 'not_delivered' }]);
    // an unassigned message cannot get its suggestion applied; read/unread are a person's marks
    const [left] = (await inboundList(db, admin, { unassigned: true })).rows;
    await expect(applySuggestion(db, admin, left!.id, { index: 0 }, '2026-12-03', 'anna')).rejects.toThrow(/assign it first|no suggestion/);
    expect((await markInboundRead(db, admin, left!.id)).status).toBe('read');
  }, 120_000);

  it('a message above the size limit: its headers are kept and marked, it is moved on, and the next one is handled', async () => {
    await imap.append('INBOX', withAttachment('Heel groot', 3 * 1024 * 1024));
    await imap.append('INBOX', 'From: kees@visser.example\r\nTo: debiteuren+D00070@installatietechniek.nl\r\nSubject: Na de grote\r\nDate: Thu, 3 Dec 2026 16:00:00 +0100\r\n\r\nKlein bericht.\r\n');
    // the limit made small here: the same path as a 50 MB message under the default 30 MB
    const r = await readMailbox(db, admin.id, { reader: 'test', maxMessageBytes: 1024 * 1024 });
    expect(r).toMatchObject({ handled: 2, moved: 2, failed: 0 });
    const rows = await db.query<{ subject: string; debtor_id: number | null; status: string; problems: string[]; attachments: unknown[] }>(`SELECT subject, debtor_id, status, problems, attachments FROM inbound_messages WHERE subject IN ('Heel groot', 'Na de grote') ORDER BY uid`);
    expect(rows[0]).toMatchObject({ subject: 'Heel groot', debtor_id: debtors.D00042!.id, status: 'unread', attachments: [] });
    expect(rows[0]!.problems.join()).toMatch(/message of 4 MB is larger than 1 MB: only its headers were read/);
    expect(rows[1]).toMatchObject({ subject: 'Na de grote', debtor_id: debtors.D00070!.id });
    expect((await imap.list('Vorder/verwerkt')).map((m) => m.subject)).toEqual(expect.arrayContaining(['Heel groot', 'Na de grote']));
    // an HTML attachment is stored as a download, never as a page the browser would run
    await imap.append('INBOX', 'From: kees@visser.example\r\nTo: debiteuren+D00070@installatietechniek.nl\r\nSubject: Met html\r\nDate: Thu, 3 Dec 2026 16:30:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b2"\r\n\r\n--b2\r\nContent-Type: text/plain\r\n\r\nZie bijlage.\r\n--b2\r\nContent-Type: text/html; name="factuur.html"\r\nContent-Disposition: attachment; filename="factuur.html"\r\n\r\n<script>alert(1)</script>\r\n--b2--\r\n');
    await readMailbox(db, admin.id, { reader: 'test' });
    const [html] = await db.query<{ content_type: string }>(`SELECT d.content_type FROM inbound_messages m JOIN documents d ON d.id = (m.attachments->0->>'documentId')::bigint WHERE m.subject = 'Met html'`);
    expect(html).toEqual({ content_type: 'application/octet-stream' });
  }, 120_000);

  it('wrong credentials: a clear error on the settings, the password never shown, nothing lost', async () => {
    const view = await saveMailbox(db, admin, { host: imap.host, port: imap.port, tls: false, username: imap.user, password: 'fout-wachtwoord' });
    expect(view).not.toHaveProperty('password');
    expect(view.passwordSet).toBe(true);
    await imap.append('INBOX', 'From: kees@visser.example\r\nTo: debiteuren+D00070@installatietechniek.nl\r\nSubject: Wacht\r\nDate: Thu, 3 Dec 2026 15:00:00 +0100\r\n\r\nHallo.\r\n');
    await expect(readMailbox(db, admin.id, { reader: 'test' })).rejects.toThrow(/login refused for user "debiteuren"/);
    expect((await mailboxSettings(db, admin)).lastError).toMatch(/wrong user name or password/);
    expect(await testConnection({ host: imap.host, port: imap.port, tls: false, username: imap.user, password: 'fout', folder: 'INBOX' })).toMatchObject({ ok: false, error: expect.stringMatching(/login refused/) });
    expect(await imap.list('INBOX')).toHaveLength(1);
    // the right password again (not re-entered: kept when left out) reads it, and clears the error
    await saveMailbox(db, admin, { host: imap.host, port: imap.port, tls: false, username: imap.user, password: imap.password });
    expect(await readMailbox(db, admin.id, { reader: 'test' })).toMatchObject({ handled: 1 });
    expect((await mailboxSettings(db, admin)).lastError).toBeNull();
    await saveMailbox(db, admin, { host: imap.host, port: imap.port, tls: false, username: imap.user });
    expect(await testConnection({ host: imap.host, port: imap.port, tls: false, username: imap.user, password: imap.password, folder: 'INBOX' })).toEqual({ ok: true, messages: 0 });
    // bad input names its field, nothing written
    await expect(saveMailbox(db, admin, { host: 'imap example', port: 0, username: '' })).rejects.toMatchObject({ problems: expect.arrayContaining([expect.objectContaining({ field: 'host' }), expect.objectContaining({ field: 'port' }), expect.objectContaining({ field: 'username' })]) });
    void previewRun;
  }, 120_000);
});
