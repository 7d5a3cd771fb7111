/**
 * A statement of account on request, on both engines: viewing writes nothing; sending puts one
 * action in the dunning outbox, delivered once by a real SMTP server with the PDF attached (the
 * same PDF that was shown), stored and on the timeline; a second request the same day sends
 * nothing; without an e-mail address the letter is made to post; without open items it is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { pdfText, startSmtp, type TestSmtp } from '../support/smtp.ts';
import { letterText } from '../../src/app/documents/letter.ts';
import { sendStatement, statementPdf, STATEMENT_STEP } from '../../src/app/statements.ts';
import { deliverDue } from '../../src/app/dunning-delivery.ts';
import { previewRun } from '../../src/app/dunning.ts';
import { AppError } from '../../src/app/errors.ts';
import { getAdministration, updateAdministration, type Administration } from '../../src/store/administrations.ts';
import type { Debtor } from '../../src/store/debtors.ts';

const DAY = '2026-11-22';
const bytes = (x: Uint8Array) => Buffer.from(x).toString('base64');
const address = (m: { to?: unknown }) => ((m.to as { value: { address: string }[] }).value.map((v) => v.address));

describe.each(ENGINES)('statement of account on request on %s', (engine) => {
  let db: TestDb;
  let smtp: TestSmtp;
  let admin: Administration;
  let mail: Debtor, post: Debtor, none: Debtor;

  const count = async (sql: string, params: unknown[]) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

  beforeAll(async () => {
    db = await testDb(engine);
    smtp = await startSmtp();
    admin = await anAdministration(db, { name: 'Installatie Noord B.V.', addressLine: 'Industrieweg 1', postalCode: '9711 AA', city: 'Groningen', email: 'debiteuren@noord.nl' });
    await updateAdministration(db, admin.id, { settings: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'Installatie Noord <debiteuren@noord.nl>' } } });
    admin = (await getAdministration(db, admin.id))!;
    mail = await aDebtor(db, admin, { number: 'S1', name: 'Bouwbedrijf Jansen B.V.', emails: ['ap@jansen.nl', 'boekhouding@jansen.nl'], addressLine: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Zwolle' });
    post = await aDebtor(db, admin, { number: 'S2', name: 'Smit V.O.F.', addressLine: 'Havenkade 3', postalCode: '3456 CD', city: 'Urk' });
    none = await aDebtor(db, admin, { number: 'S3', name: 'Niets Open B.V.' });
    await anInvoice(db, admin, mail, { number: 'F-101', amount: '1000.00', issueDate: '2026-09-15', dueDate: '2026-10-15' });
    await anInvoice(db, admin, mail, { number: 'F-102', amount: '370.25', issueDate: '2026-11-10', dueDate: '2026-12-10' });
    await anInvoice(db, admin, mail, { number: 'C-7', amount: '-50.00', issueDate: '2026-11-01', dueDate: '2026-11-01' });
    await anInvoice(db, admin, post, { number: 'F-201', amount: '80.00', issueDate: '2026-10-01', dueDate: '2026-10-31' });
  });
  afterAll(async () => {
    await smtp?.close();
    await db?.drop();
  });

  it('shows the statement as a PDF of every open item with the balance, and writes nothing', async () => {
    const r = await statementPdf(db, admin, mail.id, { date: DAY });
    expect(r.filename).toBe(`statement-S1-${DAY}.pdf`);
    expect(r.letter).toMatchObject({ kind: 'statement', principalCents: 132025, totalCents: 132025, costsCents: 0, interestCents: 0 });
    expect(r.letter.items.map((i) => [i.number, i.openCents])).toEqual([['F-101', 100000], ['C-7', -5000], ['F-102', 37025]]);
    expect(Buffer.from(r.content.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = letterText(r.letter); // the mail body
    expect(text).toContain('Rekeningoverzicht per 22 november 2026');
    expect(text).toContain('Bouwbedrijf Jansen B.V.');
    for (const n of ['F-101', 'F-102', 'C-7']) expect(text).toContain(n);
    expect(text).toContain('1.320,25');
    const printed = pdfText(r.content).replace(/\s+/g, ' ');
    for (const words of ['Rekeningoverzicht per 22 november 2026', 'Bouwbedrijf Jansen B.V.', 'F-101', 'F-102', 'C-7', '1.320,25']) expect(printed).toContain(words);
    // by number as well (the command line)
    expect(bytes((await statementPdf(db, admin, 'S1', { date: DAY })).content)).toBe(bytes(r.content));
    expect(await count('dunning_actions', [])).toBe(0);
    expect(await count('documents', [])).toBe(0);
  });

  it('sends it once by e-mail with the PDF attached, stored as a document and on the timeline', async () => {
    const shown = await statementPdf(db, admin, mail.id, { date: DAY });
    const r = await sendStatement(db, admin, mail.id, { date: DAY, actor: 'anna' });
    expect(r).toMatchObject({ debtorNumber: 'S1', alreadySent: false, delivery: 'email', emails: ['ap@jansen.nl', 'boekhouding@jansen.nl'] });
    expect(r.actions).toEqual([expect.objectContaining({ status: 'queued', currency: 'EUR', totalCents: 132025, itemCount: 3 })]);
    const [queued] = await db.query<{ kind: string; summary: string; actor: string }>(`SELECT kind, summary, actor FROM events WHERE debtor_id = $1 AND kind LIKE 'dunning_%' ORDER BY id`, [mail.id]);
    expect(queued).toMatchObject({ kind: 'dunning_queued', actor: 'anna' });
    expect(queued!.summary).toContain('ap@jansen.nl');
    expect(smtp.received).toHaveLength(0); // the worker delivers, not the request

    const d = await deliverDue(db, {});
    expect(d).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(address(m)).toEqual(['ap@jansen.nl', 'boekhouding@jansen.nl']);
    expect(m.headers.get('x-vorder-debtor')).toBe('S1');
    const pdf = m.attachments.find((a) => a.contentType === 'application/pdf')!;
    expect(pdf.filename).toBe(`statement-S1-${DAY}.pdf`);
    expect(bytes(pdf.content)).toBe(bytes(shown.content)); // exactly the statement that was shown
    expect(m.text!.replace(/\r\n/g, '\n').trim()).toBe(letterText(shown.letter).trim());
    expect(m.subject).toBe('Rekeningoverzicht per 22 november 2026');

    const [action] = await db.query<{ status: string; channel: string; step_key: string; document_id: number; message_id: string }>('SELECT status, channel, step_key, document_id, message_id FROM dunning_actions WHERE id = $1', [r.actions[0]!.id]);
    expect(action).toMatchObject({ status: 'sent', channel: 'statement', step_key: STATEMENT_STEP, document_id: expect.any(Number), message_id: expect.any(String) });
    const [doc] = await db.query<{ filename: string; content: Uint8Array }>('SELECT filename, content FROM documents WHERE id = $1', [action!.document_id]);
    expect(doc!.filename).toBe(`statement-S1-${DAY}.pdf`);
    expect(bytes(doc!.content)).toBe(bytes(shown.content));
    const sent = await db.query<{ summary: string; document_id: number }>(`SELECT summary, document_id FROM events WHERE debtor_id = $1 AND kind = 'dunning_sent'`, [mail.id]);
    expect(sent).toEqual([{ summary: expect.stringContaining('verstuurd aan ap@jansen.nl'), document_id: action!.document_id }]);
  });

  it('a second click the same day sends nothing and says so', async () => {
    const again = await sendStatement(db, admin, mail.id, { date: DAY, actor: 'bert' });
    expect(again.alreadySent).toBe(true);
    expect(again.message).toMatch(/already/);
    expect(again.actions).toEqual([expect.objectContaining({ status: 'sent', totalCents: 132025 })]);
    expect((await deliverDue(db, {})).claimed).toBe(0);
    expect(smtp.received).toHaveLength(1);
    expect(await count('dunning_actions WHERE debtor_id = $1', [mail.id])).toBe(1);
    expect(await count(`events WHERE debtor_id = $1 AND kind = 'dunning_queued'`, [mail.id])).toBe(1);
  });

  it('the next day it may go again: two requests at once queue one statement', async () => {
    const [a, b] = await Promise.all([sendStatement(db, admin, mail.id, { date: '2026-11-23' }), sendStatement(db, admin, mail.id, { date: '2026-11-23' })]);
    expect([a.alreadySent, b.alreadySent].sort()).toEqual([false, true]);
    expect(a.actions[0]!.id).toBe(b.actions[0]!.id);
    expect((await deliverDue(db, {})).sent).toBe(1);
    expect(smtp.received).toHaveLength(2);
  });

  it('without an e-mail address: a letter to print and post, stored and on the timeline, no mail', async () => {
    const r = await sendStatement(db, admin, post.id, { date: DAY });
    expect(r).toMatchObject({ alreadySent: false, delivery: 'post', emails: [] });
    expect(r.message).toMatch(/no e-mail address/);
    expect((await deliverDue(db, {})).prepared).toBe(1);
    expect(smtp.received).toHaveLength(2);
    // on paper it is ready to print; it is not "sent" until a person marks it posted
    const [a] = await db.query<{ status: string; document_id: number | null }>('SELECT status, document_id FROM dunning_actions WHERE debtor_id = $1', [post.id]);
    expect(a).toMatchObject({ status: 'to_print', document_id: expect.any(Number) });
    const [e] = await db.query<{ summary: string; document_id: number }>(`SELECT summary, document_id FROM events WHERE debtor_id = $1 AND kind = 'dunning_letter_ready'`, [post.id]);
    expect(e!.summary).toMatch(/per post/);
    expect(e!.document_id).toBe(a!.document_id);
  });

  it('refuses a debtor without open items (conflict) and an administration without a letterhead', async () => {
    for (const f of [() => sendStatement(db, admin, none.id, { date: DAY }), () => statementPdf(db, admin, none.id, { date: DAY })]) {
      const e = await f().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ code: 'conflict', message: expect.stringMatching(/no open items/) });
    }
    expect(await count('dunning_actions WHERE debtor_id = $1', [none.id])).toBe(0);
    const bare = await anAdministration(db, { name: 'Zonder Adres B.V.' });
    const d = await aDebtor(db, bare, { number: 'X1', emails: ['x@example.nl'] });
    await anInvoice(db, bare, d, { number: 'FX', amount: '10.00' });
    await expect(sendStatement(db, bare, d.id, { date: DAY })).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/addressLine/) });
    await expect(sendStatement(db, admin, mail.id, { date: '22-11-2026' })).rejects.toMatchObject({ code: 'validation' });
  });

  it('leaves the dunning sequence alone: no step history, the run plans as before', async () => {
    expect(await count('dunning_history', [])).toBe(0);
    const plan = await previewRun(db, admin, { asOf: DAY, override: true });
    expect(plan.messages.find((m) => m.debtorNumber === 'S1')).toMatchObject({ stepKey: 'reminder_1' });
  });
});
