/** The pre-notification on both engines, through a real SMTP server: 14 days ahead by default (per administration), once per debtor and date, on the timeline; too late refused naming the date. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { createMandate } from '../../src/app/mandates.ts';
import { preNotify } from '../../src/app/collections.ts';
import { listEvents } from '../../src/store/events.ts';
import { AppError } from '../../src/app/errors.ts';

describe.each(ENGINES)('pre-notification on %s', (engine) => {
  let db: TestDb;
  let smtp: TestSmtp;
  beforeAll(async () => { db = await testDb(engine); smtp = await startSmtp(); });
  afterAll(async () => { await smtp.close(); await db.drop(); });

  it('mails each debtor whose invoices will be collected, once, and refuses a date too close', async () => {
    const admin = await anAdministration(db, { legalName: 'Incasso Demo B.V.', creditorId: 'NL06ZZZ503992920000', settings: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'debiteuren@demo.nl' } } });
    const a = await aDebtor(db, admin, { number: 'P1', name: 'Jan de Vries', type: 'consumer', emails: ['jan@example.nl'] } as never);
    const b = await aDebtor(db, admin, { number: 'P2', name: 'Zonder Mail' });
    await anInvoice(db, admin, a, { number: 'F-1', amount: '12.50', dueDate: '2026-12-10' });
    await anInvoice(db, admin, b, { number: 'F-2', amount: '20.00', dueDate: '2026-12-10' });
    await createMandate(db, admin, { debtorId: a.id, mandateId: 'MJ-1', signatureDate: '2026-01-15', iban: 'NL44RABO0123456789', scheme: 'CORE' }, '2026-12-03');
    await createMandate(db, admin, { debtorId: b.id, mandateId: 'MZ-1', signatureDate: '2026-01-15', iban: 'NL20INGB0001234567', scheme: 'CORE' }, '2026-12-03');
    let e: unknown;
    try { await preNotify(db, admin, { date: '2026-12-10', asOf: '2026-12-03' }); } catch (x) { e = x; }
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).problems).toEqual([expect.objectContaining({ field: 'date', code: 'too_late_for_prenotification', message: expect.stringContaining('2026-12-17') })]);
    expect(smtp.received).toHaveLength(0);
    const r = await preNotify(db, admin, { date: '2026-12-17', asOf: '2026-12-03' });
    expect(r.sent).toEqual([{ debtorNumber: 'P1', to: ['jan@example.nl'], totalCents: 1250, itemNumbers: ['F-1'] }]);
    expect(r.skipped).toEqual([expect.objectContaining({ debtorNumber: 'P2', reason: 'no_email' })]);
    expect(smtp.received).toHaveLength(1);
    const m = smtp.received[0]!;
    expect(m.subject).toBe('Automatische incasso van € 12,50 op 17-12-2026');
    for (const s of ['MJ-1', 'NL06ZZZ503992920000', 'eindigend op 6789', 'F-1']) expect(m.text).toContain(s);
    expect((await listEvents(db, admin.id, a.id)).map((x) => x.kind)).toContain('collection_prenotified');
    const again = await preNotify(db, admin, { date: '2026-12-17', asOf: '2026-12-03' });
    expect(again.sent).toEqual([]);
    expect(again.skipped.map((s) => s.reason).sort()).toEqual(['already_notified', 'no_email']);
    expect(smtp.received).toHaveLength(1);
  });
});
