/**
 * The outbox counts only what was delivered: a 14-dagenbrief that failed or bounced starts no
 * term and charges no costs later; a run without a mail server sends nothing and says so; an
 * uncertain message waits for a person; letters deduct open credits and state the last day of
 * the term by the statutory rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { decodePdfQr, pdfText, startSmtp, type TestSmtp } from '../support/smtp.ts';
import { previewRun, savePolicy, sendRun } from '../../src/app/dunning.ts';
import { deliverDue, recoverStuck } from '../../src/app/dunning-delivery.ts';
import { markBounced, markPosted, outboxShow, printBatch, resendMessage, settleUncertain } from '../../src/app/outbox.ts';
import { letterOfAction } from '../../src/app/dunning-delivery.ts';
import { getAdministration, updateAdministration, type Administration } from '../../src/store/administrations.ts';
import type { DunningPolicy } from '../../src/domain/dunning/policy.ts';
import { fourteenDayDates } from '../../src/domain/legal/fourteen-day-letter.ts';
import { longDate } from '../../src/app/documents/letter.ts';
import { epcQrPayload } from '../../src/domain/epc-qr.ts';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';

const IBAN = 'NL91ABNA0417164300';
const tpl = (k: string) => ({ nl: `dunning/${k}.nl`, en: `dunning/${k}.en` });

/** A 14-dagenbrief by e-mail first, then a demand that charges the collection costs. */
const FOURTEEN_BY_MAIL: DunningPolicy = {
  key: 'fourteen_mail', name: '14-dagenbrief per e-mail', appliesTo: { kind: 'administration' },
  steps: [
    { key: 'fourteen_day_letter', name: '14-dagenbrief', basis: 'due_date', delayDays: 2, channel: 'email', template: tpl('fourteen_day_letter'), minimumCents: 0, legal: { fourteenDayLetter: true } },
    { key: 'costs', name: 'Aanmaning met kosten', basis: 'previous_step', delayDays: 1, channel: 'email', template: tpl('demand'), minimumCents: 0, legal: { chargeCosts: true } },
  ],
};

/** The 14-dagenbrief on paper as the only step (for the stated last day). */
const FOURTEEN_ON_PAPER: DunningPolicy = {
  key: 'fourteen_paper', name: '14-dagenbrief per post', appliesTo: { kind: 'administration' },
  steps: [{ key: 'fourteen_day_letter', name: '14-dagenbrief', basis: 'due_date', delayDays: 2, channel: 'letter', template: tpl('fourteen_day_letter'), minimumCents: 0, legal: { fourteenDayLetter: true } }],
};

describe.each(ENGINES)('the outbox on %s', (engine) => {
  let db: TestDb;
  let smtp: TestSmtp;
  const received: ParsedMail[] = [];
  let admin: Administration;
  const reload = async () => (admin = (await getAdministration(db, admin.id))!);
  const setSettings = async (s: Record<string, unknown>) => {
    await updateAdministration(db, admin.id, { settings: { ...admin.settings, ...s } });
    await reload();
  };

  beforeAll(async () => {
    delete process.env.VORDER_SMTP_URL;
    db = await testDb(engine);
    // bounce@… is refused at RCPT (550: the address bounces); fail@… is refused after DATA (554: failed)
    smtp = await startSmtp({
      onRcptTo(address, _s, cb) {
        if (address.address.startsWith('bounce')) cb(Object.assign(new Error('5.1.1 mailbox unknown'), { responseCode: 550 }));
        else cb();
      },
      onData(stream, session, cb) {
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (to.some((a) => a.startsWith('fail'))) {
          stream.resume();
          stream.on('end', () => cb(Object.assign(new Error('5.7.1 message refused'), { responseCode: 554 })));
          return;
        }
        simpleParser(stream).then((m) => (received.push(m), cb())).catch(cb);
      },
    });
    admin = await anAdministration(db, { name: 'Outbox B.V.', iban: IBAN, addressLine: 'Kade 1', postalCode: '1011 AA', city: 'Amsterdam', email: 'debiteuren@outbox.nl' });
    await savePolicy(db, admin, FOURTEEN_BY_MAIL, { isDefault: true });
  });
  afterAll(async () => {
    await smtp.close();
    await db.drop();
  });

  it('a run without a mail server sends nothing and says so; by a setting the e-mails become letters', async () => {
    const d = await aDebtor(db, admin, { number: 'N1', name: 'Zonder Server', type: 'consumer', emails: ['n1@example.nl'], addressLine: 'Straat 1', postalCode: '1234 AB', city: 'Delft' } as never);
    await anInvoice(db, admin, d, { number: 'FN1', amount: '100.00', issueDate: '2026-10-01', dueDate: '2026-11-01' });
    const r = await sendRun(db, admin, { asOf: '2026-11-10', override: true, only: { debtorIds: [d.id] } });
    expect(r).toMatchObject({ queued: 0, email: 0, paper: 0, refused: { reason: 'no_mail_server', messages: 1 }, states: {} });
    expect(r.refused!.message.nl).toMatch(/geen mailserver/);
    expect(r.refused!.message.en).toMatch(/no mail server/);
    expect(await db.query('SELECT id FROM dunning_actions WHERE debtor_id = $1', [d.id])).toEqual([]);
    expect((await deliverDue(db, {})).claimed).toBe(0);
    expect(received).toHaveLength(0);
    // the next run plans it again: nothing counted as sent
    expect((await previewRun(db, admin, { asOf: '2026-11-10', override: true, only: { debtorIds: [d.id] } })).messages.map((m) => m.stepKey)).toEqual(['fourteen_day_letter']);
    await setSettings({ mailFallbackToPaper: true });
    const paper = await sendRun(db, admin, { asOf: '2026-11-10', override: true, only: { debtorIds: [d.id] } });
    expect(paper).toMatchObject({ queued: 1, email: 0, paper: 1, refused: null, states: { to_print: 1 } });
    await setSettings({ mailFallbackToPaper: false, smtp: { host: '127.0.0.1', port: smtp.port, from: 'Outbox <debiteuren@outbox.nl>' } });
  });

  it('a bounced or failed 14-dagenbrief starts no term and charges no costs later; an accepted one does', async () => {
    const mk = async (n: string, email: string) => {
      const d = await aDebtor(db, admin, { number: n, name: `Consument ${n}`, type: 'consumer', emails: [email], addressLine: 'Laan 2', postalCode: '2345 BC', city: 'Leiden' } as never);
      await anInvoice(db, admin, d, { number: `F${n}`, amount: '500.00', issueDate: '2026-10-01', dueDate: '2026-11-01' });
      return d;
    };
    const bounced = await mk('X1', 'bounce@example.nl');
    const failed = await mk('X2', 'fail@example.nl');
    const ok = await mk('X3', 'ok@example.nl');
    const ids = [bounced.id, failed.id, ok.id];
    const r = await sendRun(db, admin, { asOf: '2026-11-10', override: true, only: { debtorIds: ids } });
    expect(r).toMatchObject({ email: 3, states: { queued: 3 } });
    const d = await deliverDue(db, {});
    expect(d).toMatchObject({ sent: 1, bounced: 1, failed: 1 });
    const rows = await db.query<{ debtor_id: number; status: string; last_error: string | null; smtp_response: string | null }>('SELECT debtor_id, status, last_error, smtp_response FROM dunning_actions WHERE run_id = $1', [r.runId]);
    const by = (id: number) => rows.find((x) => x.debtor_id === id)!;
    expect(by(bounced.id)).toMatchObject({ status: 'bounced', last_error: expect.stringMatching(/550/) });
    expect(by(failed.id)).toMatchObject({ status: 'failed', last_error: expect.stringMatching(/554/) });
    expect(by(ok.id)).toMatchObject({ status: 'sent', smtp_response: expect.stringMatching(/^250/) });
    // only the accepted letter is in the history; the others each got a task for a person
    const hist = await db.query<{ item_id: number; sent_date: string }>('SELECT h.item_id, h.sent_date FROM dunning_history h JOIN items i ON i.id = h.item_id WHERE i.debtor_id = ANY($1::bigint[])', [ids]);
    expect(hist).toEqual([{ item_id: expect.any(Number), sent_date: '2026-11-10' }]);
    const tasks = await db.query<{ debtor_id: number; source_type: string }>(`SELECT debtor_id, source_type FROM tasks WHERE kind = 'check_delivery' AND debtor_id = ANY($1::bigint[]) ORDER BY debtor_id`, [ids]);
    expect(tasks).toEqual([{ debtor_id: bounced.id, source_type: 'dunning_bounced' }, { debtor_id: failed.id, source_type: 'dunning_failed' }]);
    // a month later: the accepted one's term has passed, costs are charged; the others get the 14-dagenbrief again, no costs
    const later = await previewRun(db, admin, { asOf: '2026-12-15', override: true, only: { debtorIds: ids } });
    const step = (id: number) => later.messages.find((m) => m.debtorId === String(id))!;
    expect(step(ok.id)).toMatchObject({ stepKey: 'costs' });
    expect(step(ok.id).costsCents).toBeGreaterThan(0);
    for (const id of [bounced.id, failed.id]) expect(step(id)).toMatchObject({ stepKey: 'fourteen_day_letter', costsCents: 0 });
    // a bounce that comes back later takes the step back: no term, the next run sends the letter again
    const [okRow] = await db.query<{ id: number }>('SELECT id FROM dunning_actions WHERE debtor_id = $1', [ok.id]);
    await markBounced(db, admin, okRow!.id, 'test', 'bounce na drie dagen');
    expect(await db.query('SELECT * FROM dunning_history WHERE action_id = $1', [okRow!.id])).toEqual([]);
    const afterBounce = await previewRun(db, admin, { asOf: '2026-12-15', override: true, only: { debtorIds: [ok.id] } });
    expect(afterBounce.messages.map((m) => [m.stepKey, m.costsCents])).toEqual([['fourteen_day_letter', 0]]);
    // the failed one goes again when a person asks; with the paper fallback the next run sends the bounced one as a letter
    const [failedRow] = await db.query<{ id: number }>('SELECT id FROM dunning_actions WHERE debtor_id = $1', [failed.id]);
    const again = await resendMessage(db, admin, failedRow!.id, 'test');
    expect(again.status).toBe('queued');
    await setSettings({ mailFallbackToPaper: true });
    const next = await sendRun(db, admin, { asOf: '2026-12-15', override: true, only: { debtorIds: [bounced.id] } });
    expect(next).toMatchObject({ paper: 1, email: 0, states: { to_print: 1 } });
    await setSettings({ mailFallbackToPaper: false });
  });

  it('an uncertain message is never resent without a person, and counts only when a person says it went out', async () => {
    const d = await aDebtor(db, admin, { number: 'U1', name: 'Onzeker', type: 'consumer', emails: ['u1@example.nl'], addressLine: 'Weg 3', postalCode: '3456 CD', city: 'Gouda' } as never);
    await anInvoice(db, admin, d, { number: 'FU1', amount: '80.00', issueDate: '2026-10-01', dueDate: '2026-11-01' });
    const r = await sendRun(db, admin, { asOf: '2026-11-10', override: true, only: { debtorIds: [d.id] } });
    const [a] = await db.query<{ id: number }>('SELECT id FROM dunning_actions WHERE run_id = $1', [r.runId]);
    // the sender died mid-send: claimed, its lease ran out
    await db.query(`UPDATE dunning_actions SET status = 'sending', attempts = 1, locked_until = now() - interval '1 minute' WHERE id = $1`, [a!.id]);
    expect(await recoverStuck(db)).toBe(1);
    for (let i = 0; i < 3; i++) await deliverDue(db, {});
    expect(received.filter((m) => (m.to as { value: { address: string }[] }).value[0]!.address === 'u1@example.nl')).toEqual([]);
    expect((await db.query<{ status: string }>('SELECT status FROM dunning_actions WHERE id = $1', [a!.id]))[0]!.status).toBe('uncertain');
    const waiting = await previewRun(db, admin, { asOf: '2026-12-15', override: true, only: { debtorIds: [d.id] } });
    expect(waiting.messages).toEqual([]);
    expect(waiting.skipped.filter((s) => s.debtorId === String(d.id)).map((s) => s.reason)).toEqual(['awaiting_delivery']);
    await expect(resendMessage(db, admin, a!.id, 'test')).rejects.toThrow(/uncertain/);
    const shown = await outboxShow(db, admin, a!.id);
    expect(shown.actions).toEqual(['mark_sent', 'mark_not_sent', 'cancel']);
    expect(shown.history.map((h) => h.to)).toEqual(['queued', 'uncertain']); // the claim was simulated by hand above
    await settleUncertain(db, admin, a!.id, true, 'anne', 'klant bevestigt ontvangst');
    const [h] = await db.query<{ sent_date: string }>('SELECT sent_date FROM dunning_history WHERE action_id = $1', [a!.id]);
    expect(h!.sent_date).toBe('2026-11-10');
    const [task] = await db.query<{ status: string }>(`SELECT status FROM tasks WHERE source_type = 'dunning_uncertain' AND source_id = $1`, [a!.id]);
    expect(task!.status).toBe('done');
  });

  it('a letter lists the open credit notes and asks for the balance, and its QR code pays exactly that', async () => {
    const d = await aDebtor(db, admin, { number: 'K1', name: 'Tegoed B.V.', type: 'business', emails: ['k1@example.nl'], addressLine: 'Plein 4', postalCode: '4567 DE', city: 'Breda' } as never);
    await anInvoice(db, admin, d, { number: 'FK1', amount: '20645.87', issueDate: '2026-10-01', dueDate: '2026-11-01' });
    await anInvoice(db, admin, d, { number: 'CK1', amount: '-165.14', issueDate: '2026-10-15', dueDate: '2026-10-15' });
    const r = await sendRun(db, admin, { asOf: '2026-11-10', override: true, only: { debtorIds: [d.id] } });
    expect(r.email).toBe(1);
    const before = received.length;
    await deliverDue(db, {});
    const mail = received.slice(before).find((m) => (m.to as { value: { address: string }[] }).value[0]!.address === 'k1@example.nl')!;
    expect(mail.html).toBeTruthy(); // HTML with a plain-text part
    expect(mail.text).toContain('20.480,73');
    const pdf = new Uint8Array(mail.attachments.find((x) => x.contentType === 'application/pdf')!.content);
    const text = pdfText(pdf).replace(/[ \t]+/g, ' ');
    expect(text).toContain('CK1');
    expect(text).toContain('-€ 165,14');
    expect(text).toMatch(/Totaal te betalen.*20\.480,73/);
    expect(text).not.toMatch(/Totaal te betalen.*20\.645,87/);
    const [fk1] = await db.query<{ payment_reference: string }>(`SELECT payment_reference FROM items WHERE number = 'FK1'`);
    expect(decodePdfQr(pdf)).toBe(epcQrPayload({ name: 'Outbox B.V.', iban: IBAN, cents: 2048073, structuredRef: fk1!.payment_reference }));
  });

  it('the 14-dagenbrief states the last day by the statutory rule, dated the run\'s date, also before weekends and holidays; a print batch and "posted" reach it', async () => {
    await savePolicy(db, admin, FOURTEEN_ON_PAPER, { isDefault: true });
    // a Wednesday (the issue's example), a Friday, the day before a long weekend, before Christmas, before King's Day
    const dates = ['2026-12-02', '2026-12-04', '2026-12-11', '2026-12-23', '2027-04-09'];
    for (const [i, date] of dates.entries()) {
      const d = await aDebtor(db, admin, { number: `T${i}`, name: `Termijn ${i}`, type: 'consumer', addressLine: 'Dijk 5', postalCode: '5678 EF', city: 'Zwolle' } as never);
      await anInvoice(db, admin, d, { number: `FT${i}`, amount: '250.00', issueDate: '2026-09-01', dueDate: '2026-10-01' });
      const r = await sendRun(db, admin, { asOf: date, override: true, only: { debtorIds: [d.id] } });
      expect(r.states).toEqual({ to_print: 1 });
      await deliverDue(db, {});
      const [row] = await db.query<Parameters<typeof letterOfAction>[2]>('SELECT * FROM dunning_actions WHERE run_id = $1', [r.runId]);
      const [doc] = await db.query<{ content: Uint8Array }>('SELECT content FROM documents WHERE id = $1', [row!.document_id]);
      const text = pdfText(new Uint8Array(doc!.content)).replace(/\s+/g, ' ');
      const rule = fourteenDayDates(date);
      expect(text).toContain(`laatste dag van deze termijn ${longDate(rule.termEnd, 'nl')}`);
      expect(text).toContain(longDate(date, 'nl')); // the letter's date is the run's date
      if (date === '2026-12-02') expect(rule.termEnd).toBe('2026-12-18');
      expect(text).toMatch(/Maak het bedrag over op rekening/);
      // the print batch: an address page before the letter; posting reaches the step on that day
      const batch = await printBatch(db, admin, r.runId, 'test', (x) => letterOfAction(db, admin, x));
      expect(batch.letters).toBe(1);
      const pages = pdfText(batch.content).split('\f');
      expect(pages[0]).toContain(`Termijn ${i}`); // the address page, for the window envelope
      expect(pages[0]).not.toContain('laatste dag');
      expect(pages.slice(1).join(' ').replace(/\s+/g, ' ')).toContain(`laatste dag van deze termijn ${longDate(rule.termEnd, 'nl')}`);
      expect((await db.query<{ status: string }>('SELECT status FROM dunning_actions WHERE id = $1', [row!.id]))[0]!.status).toBe('printed');
      await markPosted(db, admin, { runId: r.runId }, { postedOn: date, actor: 'test' });
      const [h] = await db.query<{ sent_date: string }>('SELECT sent_date FROM dunning_history WHERE action_id = $1', [row!.id]);
      expect(h!.sent_date).toBe(date);
    }
    // posted later than its date, a 14-dagenbrief would state too short a term: refused, cancel and run again
    const late = await aDebtor(db, admin, { number: 'T9', name: 'Laat Gepost', type: 'consumer', addressLine: 'Dijk 9', postalCode: '5678 EF', city: 'Zwolle' } as never);
    await anInvoice(db, admin, late, { number: 'FT9', amount: '250.00', issueDate: '2026-09-01', dueDate: '2026-10-01' });
    const r = await sendRun(db, admin, { asOf: '2027-01-08', override: true, only: { debtorIds: [late.id] } });
    await expect(markPosted(db, admin, { runId: r.runId }, { postedOn: '2027-01-11', actor: 'test' })).rejects.toThrow(/too short/);
  });
});
