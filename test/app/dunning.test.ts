import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice, utf8 } from '../support/builders.ts';
import { decodePdfQr, pdfText, startSmtp, type TestSmtp } from '../support/smtp.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { importStatement } from '../../src/app/bank.ts';
import { previewRun, sendRun } from '../../src/app/dunning.ts';
import { deliverDue, recoverStuck } from '../../src/app/dunning-delivery.ts';
import { markPosted, resendMessage, settleUncertain } from '../../src/app/outbox.ts';
import { setDebtorHold, setItemHold } from '../../src/app/ledger.ts';
import { updateAdministration, getAdministration, type Administration } from '../../src/store/administrations.ts';
import { statutoryInterest } from '../../src/domain/legal/interest.ts';
import { epcQrPayload } from '../../src/domain/epc-qr.ts';
import type { Debtor } from '../../src/store/debtors.ts';
import type { Item } from '../../src/store/items.ts';

const IBAN = 'NL91ABNA0417164300';

async function freshBankData(db: TestDb, admin: Administration, date: string) {
  const content = utf8(writeCamt053({ statementId: `S-${date}`, accountIban: IBAN, currency: 'EUR', openingBalance: { date, cents: 100000, currency: 'EUR' }, closingBalance: { date, cents: 90000, currency: 'EUR' }, entries: [
    { entryRef: `OUT-${date}`, txIndex: 0, txCount: 1, bookingDate: date, valueDate: date, cents: -10000, currency: 'EUR', reversal: false, counterpartyName: 'Leverancier', counterpartyIban: 'NL69INGB0123456789', counterpartyBic: null, structuredRef: null, endToEndId: null, mandateId: null, remittance: 'inkoop', bankCode: null, returnReason: null, info: null },
  ] }));
  await importStatement(db, admin, { filename: `s-${date}.xml`, content });
}

describe.each(ENGINES)('the dunning run on %s', (engine) => {
  let db: TestDb;
  let smtp: TestSmtp;
  let admin: Administration;
  let biz: Debtor, cons: Debtor, noMail: Debtor, held: Debtor, partlyHeld: Debtor;
  let bizInv: Item, consInv: Item;
  const reload = async () => (admin = (await getAdministration(db, admin.id))!);

  beforeAll(async () => {
    db = await testDb(engine);
    smtp = await startSmtp();
    admin = await anAdministration(db, { name: 'Installatie Noord B.V.', iban: IBAN, bic: 'ABNANL2A', addressLine: 'Industrieweg 1', postalCode: '9711 AA', city: 'Groningen', email: 'debiteuren@noord.nl' });
    await updateAdministration(db, admin.id, { settings: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'Installatie Noord <debiteuren@noord.nl>' } } });
    await reload();
    biz = await aDebtor(db, admin, { number: 'B1', name: 'Bouwbedrijf Jansen B.V.', type: 'business', emails: ['admin@jansen.nl'], addressLine: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Zwolle' } as never);
    cons = await aDebtor(db, admin, { number: 'C1', name: 'Łukasz Żółć', type: 'consumer', emails: ['lukasz@example.nl'], addressLine: 'Kerkstraat 2', postalCode: '2345 BC', city: 'Delft' } as never);
    noMail = await aDebtor(db, admin, { number: 'B2', name: 'Smit V.O.F.', type: 'business', addressLine: 'Havenkade 3', postalCode: '3456 CD', city: 'Urk' } as never);
    held = await aDebtor(db, admin, { number: 'B3', name: 'Held B.V.', type: 'business', emails: ['x@held.nl'] } as never);
    partlyHeld = await aDebtor(db, admin, { number: 'B4', name: 'Deels B.V.', type: 'business', emails: ['x@deels.nl'] } as never);
    bizInv = await anInvoice(db, admin, biz, { number: 'F1', amount: '1000.00', issueDate: '2026-10-11', dueDate: '2026-11-10' });
    await anInvoice(db, admin, biz, { number: 'F2', amount: '250.00', issueDate: '2026-10-11', dueDate: '2026-11-10' });
    await anInvoice(db, admin, biz, { number: 'F3', amount: '99.00', issueDate: '2026-11-20', dueDate: '2026-12-20' }); // not due yet
    consInv = await anInvoice(db, admin, cons, { number: 'F4', amount: '80.00', issueDate: '2026-10-27', dueDate: '2026-11-10' });
    await anInvoice(db, admin, noMail, { number: 'F5', amount: '500.00', issueDate: '2026-10-11', dueDate: '2026-11-10' });
    await anInvoice(db, admin, held, { number: 'F6', amount: '300.00', issueDate: '2026-10-11', dueDate: '2026-11-10' });
    const h = await anInvoice(db, admin, partlyHeld, { number: 'F7', amount: '300.00', issueDate: '2026-10-11', dueDate: '2026-11-10' });
    await setDebtorHold(db, admin, held.id, true, 'curator');
    await setItemHold(db, admin, h.id, true, 'klacht in behandeling');
  });
  afterAll(async () => {
    await smtp.close();
    await db.drop();
  });

  it('does not send while the bank data is stale, and shows what it would send', async () => {
    const plan = await previewRun(db, admin, { asOf: '2026-11-22' });
    expect(plan.blocked?.reason).toBe('stale_bank_data');
    expect(plan.messages).toEqual([]);
    expect(plan.wouldSend.map((m) => m.debtorNumber).sort()).toEqual(['B1', 'B2', 'C1']);
    const r = await sendRun(db, admin, { asOf: '2026-11-22' });
    expect(r.blocked?.reason).toBe('stale_bank_data');
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dunning_actions');
    expect(n!.n).toBe(0);
  });

  it('previews one reminder per debtor covering all its overdue items, and says who is skipped and why', async () => {
    await freshBankData(db, admin, '2026-11-21');
    const plan = await previewRun(db, admin, { asOf: '2026-11-22' });
    expect(plan.blocked).toBeNull();
    const b1 = plan.messages.find((m) => m.debtorNumber === 'B1')!;
    expect(b1).toMatchObject({ stepKey: 'reminder_1', channel: 'email', principalCents: 125000, totalCents: 125000 });
    expect(b1.items.map((i) => i.number)).toEqual(['F1', 'F2']);
    const reasons = plan.skipped.map((s) => `${s.debtorId}:${s.reason}`);
    expect(reasons).toContain(`${held.id}:debtor_on_hold`);
    expect(reasons).toContain(`${partlyHeld.id}:item_on_hold`);
  });

  it('sends once: mails with the letter attached and a QR code that pays exactly that', async () => {
    const r = await sendRun(db, admin, { asOf: '2026-11-22', actor: 'test' });
    expect(r).toMatchObject({ blocked: null, queued: 3, tasks: 0, email: 2, paper: 1, refused: null, states: { queued: 2, to_print: 1 } });
    const again = await sendRun(db, admin, { asOf: '2026-11-22' });
    expect(again.queued).toBe(0);
    // nothing is reached while it is only queued: no step in the history yet
    expect(await db.query('SELECT * FROM dunning_history WHERE administration_id = $1', [admin.id])).toEqual([]);
    const d = await deliverDue(db, {});
    expect(d).toMatchObject({ claimed: 2, sent: 2, failed: 0, prepared: 1 });
    expect(smtp.received).toHaveLength(2); // B2 has no e-mail: a letter to post
    const mail = smtp.received.find((m) => m.subject?.includes('B1') || m.text?.includes('F1'))!;
    expect((mail.to as { value: { address: string }[] }).value[0]!.address).toBe('admin@jansen.nl');
    expect((mail.replyTo as { value: { address: string }[] }).value[0]!.address).toBe('debiteuren+B1@noord.nl');
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    const text = pdfText(new Uint8Array(pdf.content));
    expect(text).toContain('Bouwbedrijf Jansen B.V.');
    expect(text).toMatch(/F1/);
    expect(text).toContain('1.250,00');
    expect(decodePdfQr(new Uint8Array(pdf.content))).toBe(epcQrPayload({ bic: 'ABNANL2A', name: 'Installatie Noord B.V.', iban: IBAN, cents: 125000, text: 'B1 F1 F2' }));
    const cMail = smtp.received.find((m) => (m.to as { value: { address: string }[] }).value[0]!.address === 'lukasz@example.nl')!;
    const cPdf = new Uint8Array(cMail.attachments[0]!.content);
    expect(pdfText(cPdf)).toContain('Łukasz Żółć');
    expect(decodePdfQr(cPdf)).toBe(epcQrPayload({ bic: 'ABNANL2A', name: 'Installatie Noord B.V.', iban: IBAN, cents: 8000, structuredRef: consInv.paymentReference! }));
    const sent = await db.query<{ kind: string; document_id: number | null }>(`SELECT kind, document_id FROM events WHERE debtor_id = $1 AND kind LIKE 'dunning_%' ORDER BY id`, [biz.id]);
    expect(sent.map((e) => e.kind)).toEqual(['dunning_queued', 'dunning_sent']);
    expect(sent[1]!.document_id).not.toBeNull();
    const [mailed] = await db.query<{ message_id: string; smtp_response: string; reached_on: string }>(`SELECT message_id, smtp_response, reached_on FROM dunning_actions WHERE debtor_id = $1`, [biz.id]);
    expect(mailed).toMatchObject({ message_id: expect.stringContaining('dunning-'), smtp_response: expect.stringMatching(/^250/), reached_on: '2026-11-22' });
    // a letter on paper is ready to print, not reached until a person marks it posted
    const posted = await db.query<{ status: string; document_id: number | null }>(`SELECT status, document_id FROM dunning_actions WHERE debtor_id = $1`, [noMail.id]);
    expect(posted).toEqual([{ status: 'to_print', document_id: expect.any(Number) }]);
    const reached = await db.query<{ step_key: string; sent_date: string }>(`SELECT DISTINCT step_key, sent_date FROM dunning_history WHERE administration_id = $1`, [admin.id]);
    expect(reached).toEqual([{ step_key: 'reminder_1', sent_date: '2026-11-22' }]);
    const waiting = await previewRun(db, admin, { asOf: '2026-12-20' });
    expect(waiting.skipped.filter((s) => s.debtorId === String(noMail.id)).map((s) => s.reason)).toEqual(['awaiting_delivery']);
    expect(await markPosted(db, admin, { runId: r.runId }, { postedOn: '2026-11-22', actor: 'test' })).toEqual({ posted: 1, ids: [expect.any(Number)] });
  });

  it('follows the steps over time: second reminder, a phone task, the demand, then the 14-dagenbrief or the notice of default with interest and costs', async () => {
    await updateAdministration(db, admin.id, { settings: { ...admin.settings, staleAfterDays: 90 } });
    await reload();
    // every step is delivered (mail accepted, letters marked posted) before the next one is due
    const deliver = async (runId: number, postedOn: string) => {
      const d = await deliverDue(db, {});
      const paper = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dunning_actions WHERE run_id = $1 AND status = 'to_print'`, [runId]);
      if (paper[0]!.n) await markPosted(db, admin, { runId }, { postedOn, actor: 'test' });
      return d;
    };
    let r = await sendRun(db, admin, { asOf: '2026-12-06' });
    expect(r.plan.messages.map((m) => `${m.debtorNumber}:${m.stepKey}`).sort()).toEqual(['B1:reminder_2', 'B2:reminder_2', 'C1:reminder_2']);
    await deliver(r.runId, '2026-12-06');
    r = await sendRun(db, admin, { asOf: '2026-12-13' });
    expect(r.tasks).toBe(3);
    const tasks = await db.query<{ kind: string; debtor_id: number }>(`SELECT kind, debtor_id FROM tasks WHERE administration_id = $1`, [admin.id]);
    expect(tasks.filter((t) => t.kind === 'dunning_phone')).toHaveLength(3);
    r = await sendRun(db, admin, { asOf: '2026-12-20' });
    expect(r.plan.messages.every((m) => m.stepKey === 'demand' && m.channel === 'letter')).toBe(true);
    expect(r.states).toEqual({ to_print: 3 });
    await deliver(r.runId, '2026-12-20');
    r = await sendRun(db, admin, { asOf: '2027-01-03' });
    const notice = r.plan.messages.find((m) => m.debtorNumber === 'B1' && m.stepKey !== 'reminder_1')!;
    const letter14 = r.plan.messages.find((m) => m.debtorNumber === 'C1' && m.stepKey !== 'reminder_1')!;
    expect(notice.stepKey).toBe('notice_of_default');
    const interest = ['F1', 'F2'].map((n, i) => statutoryInterest({ principalCents: [100000, 25000][i]!, from: '2026-11-11', to: '2027-01-03', kind: 'commercial' }).interestCents);
    expect(notice.interestCents).toBe(interest[0]! + interest[1]!);
    expect(notice.costsCents).toBe(18750); // BIK: 15% of 1,250.00
    expect(notice.vatCents).toBe(0);
    expect(notice.totalCents).toBe(125000 + notice.interestCents + 18750);
    expect(letter14).toMatchObject({ stepKey: 'fourteen_day_letter', costsCents: 0, announcedCostsCents: 4000 }); // consumer: minimum 40.00, announced, not charged
    const d = await deliverDue(db, {});
    expect(d.failed).toBe(0);
    const doc = await db.query<{ content: Uint8Array }>(`SELECT d.content FROM dunning_actions a JOIN documents d ON d.id = a.document_id WHERE a.debtor_id = $1 AND a.step_key = 'fourteen_day_letter'`, [cons.id]);
    const text = pdfText(new Uint8Array(doc[0]!.content)).replace(/\s+/g, ' ');
    expect(text).toContain('40,00');
    expect(text).toMatch(/binnen veertien dagen na de dag van ontvangst van deze brief/);
    expect(bizInv.id).toBeGreaterThan(0);
  });

  it('lets a segment choose the policy: a large account gets a monthly statement, not reminders', async () => {
    const big = await aDebtor(db, admin, { number: 'G1', name: 'Groot Account N.V.', type: 'business', emails: ['ap@groot.nl'] } as never);
    await db.query(`UPDATE debtors SET segment = 'groot' WHERE id = $1`, [big.id]);
    await db.query(`INSERT INTO segments (administration_id, key, name, policy_key) VALUES ($1, 'groot', 'Grote klanten', 'large_account')`, [admin.id]);
    await anInvoice(db, admin, big, { number: 'FG1', amount: '15000.00', issueDate: '2026-11-01', dueDate: '2026-12-01' });
    const plan = await previewRun(db, admin, { asOf: '2027-01-04', only: { debtorIds: [big.id] } });
    // a month after the due date the account manager calls as well; no per-invoice reminders
    expect(plan.messages.map((m) => [m.policyKey, m.stepKey])).toEqual([['large_account', 'statement'], ['large_account', 'account_manager_call']]);
  });

  it('records failures on the timeline and retries them; an interrupted send becomes uncertain, never resent blindly', async () => {
    const failing = await startSmtp({ onRcptTo: (_a, _s, cb) => cb(Object.assign(new Error('mailbox busy'), { responseCode: 451 })) });
    await updateAdministration(db, admin.id, { settings: { ...admin.settings, smtp: { host: '127.0.0.1', port: failing.port, from: 'debiteuren@noord.nl' } } });
    await reload();
    const extra = await aDebtor(db, admin, { number: 'B9', name: 'Later B.V.', type: 'business', emails: ['l@later.nl'] } as never);
    await anInvoice(db, admin, extra, { number: 'F9', amount: '60.00', issueDate: '2026-12-01', dueDate: '2026-12-31' });
    const r = await sendRun(db, admin, { asOf: '2027-01-03', only: { debtorIds: [extra.id] } });
    expect(r.queued).toBe(1);
    const d = await deliverDue(db, {});
    expect(d.retrying).toBe(1);
    const [a] = await db.query<{ id: number; status: string; next_attempt_at: Date | string; last_error: string }>(`SELECT id, status, next_attempt_at, last_error FROM dunning_actions WHERE debtor_id = $1`, [extra.id]);
    expect(a!.status).toBe('queued'); // a temporary failure waits in the queue for its retry
    expect(a!.last_error).toMatch(/451/);
    expect(new Date(a!.next_attempt_at).getTime()).toBeGreaterThan(Date.now());
    const evs = await db.query<{ summary: string }>(`SELECT summary FROM events WHERE debtor_id = $1 AND kind = 'dunning_queued' ORDER BY id`, [extra.id]);
    expect(evs.at(-1)!.summary).toMatch(/opnieuw geprobeerd/);
    await failing.close();
    // a sender that died mid-send: its lease runs out
    await db.query(`UPDATE dunning_actions SET status = 'sending', locked_until = now() - interval '1 minute' WHERE id = $1`, [a!.id]);
    expect(await recoverStuck(db)).toBe(1);
    const [after] = await db.query<{ status: string }>('SELECT status FROM dunning_actions WHERE id = $1', [a!.id]);
    expect(after!.status).toBe('uncertain');
    const [task] = await db.query<{ kind: string }>(`SELECT kind FROM tasks WHERE source_type = 'dunning_uncertain' AND source_id = $1`, [a!.id]);
    expect(task!.kind).toBe('check_delivery');
    expect((await deliverDue(db, {})).claimed).toBe(0);
    // a person decides: resending an uncertain message is refused, it is settled first
    await expect(resendMessage(db, admin, a!.id, 'test')).rejects.toThrow(/uncertain/);
    const [hist] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dunning_history WHERE action_id = $1', [a!.id]);
    expect(hist!.n).toBe(0);
    await settleUncertain(db, admin, a!.id, false, 'test');
    const [settled] = await db.query<{ status: string }>('SELECT status FROM dunning_actions WHERE id = $1', [a!.id]);
    expect(settled!.status).toBe('failed');
  });
});
