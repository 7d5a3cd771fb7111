/**
 * The portal's use cases on both engines: links (only a hash stored, 60 days or the
 * administration's number, revoked), the link in a letter (mail text, and on paper a short URL
 * with its QR code), and Mollie's payout on a bank statement recognised as settlement, never
 * matched to the invoice its payments paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice, utf8 } from '../support/builders.ts';
import { decodePdfQr, pdfText } from '../support/smtp.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { importStatement } from '../../src/app/bank.ts';
import { issuePortalLink, resolvePortal, revokePortalLinks } from '../../src/app/portal.ts';
import { withPortalLink } from '../../src/app/dunning-delivery.ts';
import { letterHtml, letterText, renderLetterPdf, type LetterData } from '../../src/app/documents/letter.ts';
import { statementPdf } from '../../src/app/statements.ts';
import { changeAdministration } from '../../src/app/administrations.ts';
import type { Administration } from '../../src/store/administrations.ts';
import type { Debtor } from '../../src/store/debtors.ts';
import type { BankEntry } from '../../src/domain/bank-statement.ts';

const IBAN = 'NL91ABNA0417164300';

describe.each(ENGINES)('portal use cases on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let debtor: Debtor;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { iban: IBAN, addressLine: 'Weg 1', postalCode: '1000 AA', city: 'Amsterdam' });
    debtor = await aDebtor(db, admin, { number: 'L1', name: 'Letter B.V.' });
    await anInvoice(db, admin, debtor, { number: 'F-L1', amount: '121.00' });
  });
  afterAll(async () => db.drop());

  it('makes a link valid for 60 days (or the administration\'s days), stores only its hash, and revokes it', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    const l = await issuePortalLink(db, admin, debtor.id, 'manual', now);
    expect(new Date(l.link.expiresAt).getTime() - now.getTime()).toBe(60 * 86_400_000);
    expect(await db.query('SELECT 1 FROM portal_links WHERE token_hash = $1', [l.token])).toHaveLength(0);
    expect((await resolvePortal(db, l.token))?.debtor.id).toBe(debtor.id);
    const shorter = await changeAdministration(db, admin.id, { settings: { ...admin.settings, portal: { linkDays: 5 } } });
    const l5 = await issuePortalLink(db, shorter, debtor.id, 'manual', now);
    expect(new Date(l5.link.expiresAt).getTime() - now.getTime()).toBe(5 * 86_400_000);
    expect(await revokePortalLinks(db, shorter, debtor.id, 'Anna')).toEqual({ revoked: 2 });
    expect(await resolvePortal(db, l.token)).toBeNull();
    await changeAdministration(db, admin.id, { settings: admin.settings });
  });

  it('puts a new link in every letter: in the mail text, and on paper as short URL with QR', async () => {
    const { letter } = await statementPdf(db, admin, debtor.id, { date: '2026-12-03' });
    const a = await withPortalLink(db, admin, debtor.id, letter, 'mail', 'https://vorder.example.nl');
    const b = await withPortalLink(db, admin, debtor.id, letter, 'letter', 'https://vorder.example.nl');
    expect(a.portalUrl).toMatch(/^https:\/\/vorder\.example\.nl\/p\/[A-Za-z0-9_-]{22}$/);
    expect(b.portalUrl).not.toBe(a.portalUrl);
    expect(letterText(a)).toContain(a.portalUrl!);
    expect(letterHtml(a)).toContain(`<a href="${a.portalUrl}">`);
    const pdf = await renderLetterPdf(b as LetterData);
    expect(pdfText(pdf).replace(/\s+/g, '')).toContain(b.portalUrl!.replace('https://', ''));
    const qr = decodePdfQr(pdf);
    expect(qr === b.portalUrl || qr?.startsWith('BCD')).toBe(true);
    // the portal switched off: no link
    const off = await changeAdministration(db, admin.id, { settings: { ...admin.settings, portal: { enabled: false } } });
    expect((await withPortalLink(db, off, debtor.id, letter, 'mail', 'https://vorder.example.nl')).portalUrl).toBeUndefined();
    await changeAdministration(db, admin.id, { settings: admin.settings });
  });

  it('marks Mollie\'s payout on the bank statement as settlement, never matched to an invoice', async () => {
    const d = await aDebtor(db, admin, { number: 'S9', name: 'Stichting Mollie Payments' });
    await anInvoice(db, admin, d, { number: 'F-S9', amount: '121.00' });
    const base: Omit<BankEntry, 'entryRef' | 'cents' | 'remittance' | 'counterpartyName'> = { txIndex: 0, txCount: 1, bookingDate: '2026-12-03', valueDate: '2026-12-03', currency: 'EUR', reversal: false, counterpartyIban: 'NL12DEUT0265186439', counterpartyBic: null, structuredRef: null, endToEndId: null, mandateId: null, bankCode: null, returnReason: null, info: null };
    const entries: BankEntry[] = [
      { ...base, entryRef: 'M1', cents: 12100, counterpartyName: 'Stichting Mollie Payments', remittance: 'Uitbetaling 1234567.2112.01 F-S9' },
      { ...base, entryRef: 'M2', cents: 12100, counterpartyName: 'Stichting Mollie Payments', remittance: 'stl_abcdefgh F-S9' },
    ];
    const content = utf8(writeCamt053({ statementId: 'MOL-1', accountIban: IBAN, currency: 'EUR', openingBalance: { date: '2026-12-03', cents: 0, currency: 'EUR' }, closingBalance: { date: '2026-12-03', cents: 24200, currency: 'EUR' }, entries }));
    const r = await importStatement(db, admin, { filename: 'mollie.xml', content });
    expect(r.matching).toMatchObject({ lines: 2, booked: 0, ignored: 2 });
    const lines = await db.query<{ status: string; psp_settlement: string; booking_id: number | null }>('SELECT status, psp_settlement, booking_id FROM bank_lines WHERE administration_id = $1 ORDER BY id', [admin.id]);
    expect(lines).toEqual([{ status: 'ignored', psp_settlement: '1234567.2112.01', booking_id: null }, { status: 'ignored', psp_settlement: 'stl_abcdefgh', booking_id: null }]);
    expect((await db.query<{ open_cents: number }>(`SELECT open_cents FROM items WHERE number = 'F-S9'`))[0]!.open_cents).toBe(12100);
  });
});
