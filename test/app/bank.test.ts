import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice, utf8 } from '../support/builders.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { confirmMatch, exportAllocations, ignoreLine, importStatement, listReview, rejectMatch, undoMatch, bankDataStatus } from '../../src/app/bank.ts';
import { getItemByNumber } from '../../src/store/items.ts';
import { getDebtor } from '../../src/store/debtors.ts';
import type { BankEntry } from '../../src/domain/bank-statement.ts';
import type { Administration } from '../../src/store/administrations.ts';
import type { Debtor } from '../../src/store/debtors.ts';

const OUR_IBAN = 'NL91ABNA0417164300';
let refSeq = 0;

function entry(over: Partial<BankEntry> & { cents: number }): BankEntry {
  return {
    entryRef: `E${++refSeq}`, txIndex: 0, txCount: 1, bookingDate: '2026-11-20', valueDate: '2026-11-20', currency: 'EUR', reversal: false, counterpartyName: null,
    counterpartyIban: null, counterpartyBic: null, structuredRef: null, endToEndId: null, mandateId: null, remittance: '', bankCode: null, returnReason: null, info: null, ...over,
  };
}

function statement(entries: BankEntry[], opts: { iban?: string; id?: string; opening?: number; date?: string } = {}): Uint8Array {
  const opening = opts.opening ?? 100000;
  const closing = opening + entries.reduce((s, e) => s + e.cents, 0);
  const date = opts.date ?? '2026-11-20';
  return utf8(writeCamt053({ statementId: opts.id ?? `STMT-${refSeq}`, accountIban: opts.iban ?? OUR_IBAN, currency: 'EUR', openingBalance: { date, cents: opening, currency: 'EUR' }, closingBalance: { date, cents: closing, currency: 'EUR' }, entries }));
}

async function counts(db: TestDb) {
  const [r] = await db.query<{ l: number; b: number; a: number; s: number }>('SELECT (SELECT count(*) FROM bank_lines)::int AS l, (SELECT count(*) FROM bookings)::int AS b, (SELECT count(*) FROM allocations)::int AS a, (SELECT count(*) FROM bank_statements)::int AS s');
  return r!;
}

describe.each(ENGINES)('bank statements and matching on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let jansen: Debtor, smit: Debtor, vries: Debtor, bakker: Debtor;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { iban: OUR_IBAN });
    jansen = await aDebtor(db, admin, { number: 'D1', name: 'Bakkerij Jansen B.V.', ibans: ['NL44RABO0123456789'] } as never);
    smit = await aDebtor(db, admin, { number: 'D2', name: 'Installatiebedrijf Smit', ibans: ['NL20INGB0001234567'] } as never);
    vries = await aDebtor(db, admin, { number: 'D3', name: 'Emma de Vries', type: 'consumer' });
    bakker = await aDebtor(db, admin, { number: 'D4', name: 'Hoveniersbedrijf Bakker B.V.' });
    await anInvoice(db, admin, jansen, { number: 'F2026-0001', amount: '121.00', paymentReference: '5234567890123452' });
    await anInvoice(db, admin, jansen, { number: 'F2026-0002', amount: '242.00' });
    await anInvoice(db, admin, smit, { number: 'F2026-0003', amount: '100.00' });
    await anInvoice(db, admin, smit, { number: 'F2026-0004', amount: '50.00' });
    await anInvoice(db, admin, vries, { number: 'F2026-0005', amount: '80.00' });
    await anInvoice(db, admin, bakker, { number: 'F2026-0006', amount: '300.00' });
    await anInvoice(db, admin, bakker, { number: 'C2026-0001', amount: '-50.00' });
    await anInvoice(db, admin, jansen, { number: 'F2026-0007', amount: '999.00' });
  });
  afterAll(async () => db.drop());

  let file1: Uint8Array;
  it('imports a statement, books certain matches and proposes the rest', async () => {
    file1 = statement([
      entry({ entryRef: 'REF-1', cents: 12100, counterpartyName: 'BAKKERIJ JANSEN', counterpartyIban: 'NL44RABO0123456789', structuredRef: { issuer: 'CUR', value: '5234567890123452' } }),
      entry({ entryRef: 'REF-2', cents: 15000, counterpartyName: 'Smit Installatie', counterpartyIban: 'NL20INGB0001234567', remittance: 'facturen 2026-0003 en 2026-0004' }),
      entry({ entryRef: 'REF-3', cents: 25000, counterpartyName: 'Bakkerij Jansen', counterpartyIban: 'NL44RABO0123456789', remittance: 'Factuur F2026-0002' }),
      entry({ entryRef: 'REF-4', cents: 25000, counterpartyName: 'Hoveniersbedrijf Bakker', counterpartyIban: 'NL75ABNA0555555555', remittance: 'F2026-0006 minus creditnota C2026-0001' }),
      entry({ entryRef: 'REF-5', cents: -45000, counterpartyName: 'Groothandel Leverancier', counterpartyIban: 'NL69INGB0123456789', remittance: 'inkoop' }),
      entry({ entryRef: 'REF-6', cents: 4000, counterpartyName: 'E. de Vries', remittance: 'F2026-0005 deel 1' }),
      entry({ entryRef: 'REF-7', cents: 77700, counterpartyName: 'Onbekend', remittance: 'rente' }),
    ]);
    const r = await importStatement(db, admin, { filename: 'nov.xml', content: file1 });
    expect(r).toMatchObject({ format: 'camt053', alreadyImported: false, entries: 7, newEntries: 7, duplicateEntries: 0, accounts: [OUR_IBAN] });
    expect(r.warnings.map((w) => w.code)).toContain('account_registered');
    expect(r.warnings.find((w) => w.code === 'account_registered')!.params).toEqual({ account: expect.stringMatching(/^NL/) });
    // structured reference: booked
    expect((await getItemByNumber(db, admin.id, 'F2026-0001'))!.openCents).toBe(0);
    // combined invoice numbers: both paid
    expect((await getItemByNumber(db, admin.id, 'F2026-0003'))!.openCents).toBe(0);
    expect((await getItemByNumber(db, admin.id, 'F2026-0004'))!.openCents).toBe(0);
    // overpayment of F2026-0002 (242.00 paid with 250.00): paid, 8.00 becomes credit
    expect((await getItemByNumber(db, admin.id, 'F2026-0002'))!.openCents).toBe(0);
    const credit = await db.query<{ open_cents: number; kind: string }>(`SELECT open_cents, kind FROM items WHERE debtor_id = $1 AND kind = 'unapplied_payment'`, [jansen.id]);
    expect(credit).toEqual([{ open_cents: -800, kind: 'unapplied_payment' }]);
    // invoice minus credit note
    expect((await getItemByNumber(db, admin.id, 'F2026-0006'))!.openCents).toBe(0);
    expect((await getItemByNumber(db, admin.id, 'C2026-0001'))!.openCents).toBe(0);
    // partial payment: 40.00 of 80.00
    expect((await getItemByNumber(db, admin.id, 'F2026-0005'))!.openCents).toBe(4000);
    const lines = await db.query<{ entry_ref: string; status: string }>('SELECT entry_ref, status FROM bank_lines ORDER BY id');
    expect(Object.fromEntries(lines.map((l) => [l.entry_ref, l.status]))).toMatchObject({ 'REF-1': 'auto', 'REF-2': 'auto', 'REF-3': 'auto', 'REF-4': 'auto', 'REF-5': 'ignored', 'REF-6': 'auto', 'REF-7': 'unmatched' });
    // the timeline shows the payment
    const ev = await db.query<{ kind: string }>(`SELECT kind FROM events WHERE debtor_id = $1 AND kind = 'payment_received'`, [jansen.id]);
    expect(ev.length).toBe(2);
  });

  it('books every entry exactly once: the same file and an overlapping file change nothing', async () => {
    const before = await counts(db);
    expect((await importStatement(db, admin, { filename: 'nov-again.xml', content: file1 })).alreadyImported).toBe(true);
    expect(await counts(db)).toEqual(before);
    const overlap = statement([
      entry({ entryRef: 'REF-1', cents: 12100, counterpartyName: 'BAKKERIJ JANSEN', counterpartyIban: 'NL44RABO0123456789', structuredRef: { issuer: 'CUR', value: '5234567890123452' } }),
      entry({ entryRef: 'REF-8', cents: 99900, counterpartyName: 'Bakkerij Jansen', counterpartyIban: 'NL44RABO0123456789', remittance: 'betaling' }),
    ], { id: 'STMT-overlap', opening: 100000 });
    const r = await importStatement(db, admin, { filename: 'overlap.xml', content: overlap });
    expect(r).toMatchObject({ entries: 2, newEntries: 1, duplicateEntries: 1 });
    // IBAN + amount equal to one open item (F2026-0007, 999.00)
    expect((await getItemByNumber(db, admin.id, 'F2026-0007'))!.openCents).toBe(0);
    expect(r.warnings.map((w) => w.code)).toContain('balance_gap');
    // with what a screen needs to say it in the user's language
    expect(r.warnings.find((w) => w.code === 'balance_gap')!.params).toMatchObject({ account: expect.any(String), opening: expect.stringMatching(/^-?\d+\.\d{2}$/), openingDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), closing: expect.stringMatching(/^-?\d+\.\d{2}$/) });
  });

  it('rejects a bad file whole and a foreign account, changing nothing', async () => {
    const before = await counts(db);
    await expect(importStatement(db, admin, { filename: 'kapot.xml', content: utf8('<Document><BkToCstmrStmt><Stmt>') })).rejects.toMatchObject({ code: 'import_rejected' });
    await expect(importStatement(db, admin, { filename: 'leeg.940', content: new Uint8Array() })).rejects.toMatchObject({ code: 'import_rejected' });
    const other = await anAdministration(db, { name: 'Ander bedrijf' });
    await importStatement(db, other, { filename: 'ander.xml', content: statement([entry({ cents: 100 })], { iban: 'NL39RABO0300065264', id: 'OTHER' }) });
    const afterOther = await counts(db);
    const err = await importStatement(db, admin, { filename: 'vreemd.xml', content: statement([entry({ cents: 100 })], { iban: 'NL39RABO0300065264', id: 'FOREIGN' }) }).catch((e) => e);
    expect(err).toMatchObject({ code: 'import_rejected', problems: [{ code: 'foreign_account' }] });
    // neutral: says what is wrong here, nothing about any other administration
    const said = `${err.message} ${JSON.stringify(err.problems)}`;
    expect(said).toMatch(/not one of this administration's bank accounts/);
    expect(said).not.toMatch(/another|other administration|belongs|Ander bedrijf|\b${other.id}\b/i);
    expect(await counts(db)).toEqual(afterOther);
    expect(afterOther.l).toBe(before.l + 1);
  });

  it('a caller who cannot see the administration holding an account gets the same answer as for any new account', async () => {
    const other = await anAdministration(db, { name: 'Verborgen bedrijf' });
    await importStatement(db, other, { filename: 'h.xml', content: statement([entry({ cents: 100 })], { iban: 'NL20INGB0001234567', id: 'HIDDEN' }) });
    const mine = await anAdministration(db, { name: 'Eigen bedrijf' });
    const seenBy = [mine.id]; // an API caller of this administration only
    const r = await importStatement(db, mine, { filename: 'eigen.xml', content: statement([entry({ cents: 100 })], { iban: 'NL20INGB0001234567', id: 'MINE' }), seenBy });
    expect(r.warnings.map((w) => w.code)).toContain('account_registered');
    // one who sees both is stopped from mixing up two clients
    const third = await anAdministration(db, { name: 'Derde bedrijf' });
    await expect(importStatement(db, third, { filename: 'mix.xml', content: statement([entry({ cents: 100 })], { iban: 'NL20INGB0001234567', id: 'MIX' }), seenBy: [third.id, mine.id] })).rejects.toMatchObject({ code: 'import_rejected' });
  });

  it('lets a person confirm, reject and undo, and learns from it', async () => {
    await anInvoice(db, admin, bakker, { number: 'F2026-0010', amount: '65.00' });
    await anInvoice(db, admin, bakker, { number: 'F2026-0011', amount: '65.00' });
    const r = await importStatement(db, admin, {
      filename: 'dec.xml',
      content: statement([entry({ entryRef: 'REF-20', cents: 6500, counterpartyName: 'Hoveniersbedrijf Bakker BV', counterpartyIban: 'NL75ABNA0555555555', remittance: 'betaling' })], { id: 'DEC' }),
    });
    expect(r.matching.suggested).toBe(1);
    const review = await listReview(db, admin);
    const line = review.rows.find((x) => x.entryRef === 'REF-20')!;
    expect(line.status).toBe('suggested');
    expect(line.suggestions.length).toBeGreaterThanOrEqual(1);
    const firstItem = line.suggestions[0]!.items[0]!.number;
    // reject the top suggestion: remembered
    const afterReject = await rejectMatch(db, admin, line.id);
    expect(afterReject.suggestions.find((s) => s.status === 'open')?.items[0]?.number).not.toBe(firstItem);
    const [rej] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM match_rejections');
    expect(rej!.n).toBeGreaterThan(0);
    // confirm by naming the item
    const confirmed = await confirmMatch(db, admin, line.id, { itemNumbers: ['F2026-0011'] });
    expect(confirmed.status).toBe('confirmed');
    expect((await getItemByNumber(db, admin.id, 'F2026-0011'))!.openCents).toBe(0);
    // a booking to items the person picked does not make the payer's account the debtor's unless asked
    expect((await getDebtor(db, admin.id, bakker.id))!.ibans).not.toContain('NL75ABNA0555555555');
    await expect(confirmMatch(db, admin, line.id)).rejects.toMatchObject({ code: 'conflict' });
    // undo: everything back as it was
    const undone = await undoMatch(db, admin, line.id);
    expect(undone.status).toBe('suggested');
    expect((await getItemByNumber(db, admin.id, 'F2026-0011'))!.openCents).toBe(6500);
    await expect(undoMatch(db, admin, line.id)).rejects.toMatchObject({ code: 'conflict' });
    // asked: the account is remembered
    await confirmMatch(db, admin, line.id, { itemNumbers: ['F2026-0011'], learnIban: true });
    expect((await getDebtor(db, admin.id, bakker.id))!.ibans).toContain('NL75ABNA0555555555');
    await undoMatch(db, admin, line.id);
    // an unmatched line can be ignored
    const unmatched = (await listReview(db, admin)).rows.find((x) => x.entryRef === 'REF-7')!;
    expect((await ignoreLine(db, admin, unmatched.id)).status).toBe('ignored');
  });

  it('reopens what a returned direct debit paid', async () => {
    await anInvoice(db, admin, smit, { number: 'F2026-0020', amount: '45.00' });
    await importStatement(db, admin, { filename: 'dd.xml', content: statement([entry({ entryRef: 'DD-1', cents: 4500, counterpartyName: 'Smit', counterpartyIban: 'NL20INGB0001234567', endToEndId: 'F2026-0020', bankCode: 'PMNT/IDDT/ESDD' })], { id: 'DD1' }) });
    expect((await getItemByNumber(db, admin.id, 'F2026-0020'))!.openCents).toBe(0);
    const r = await importStatement(db, admin, { filename: 'rt.xml', content: statement([entry({ entryRef: 'RT-1', cents: -4500, counterpartyName: 'Smit', counterpartyIban: 'NL20INGB0001234567', endToEndId: 'F2026-0020', returnReason: 'AM04', bankCode: 'PMNT/IDDT/UPDD' })], { id: 'RT1' }) });
    expect(r.matching.booked).toBe(1);
    expect((await getItemByNumber(db, admin.id, 'F2026-0020'))!.openCents).toBe(4500);
  });

  it('exports allocations in the agreed contract', async () => {
    const rows = await exportAllocations(db, admin);
    expect(rows).toContainEqual({ entryRef: 'REF-1', invoice: 'F2026-0001', amount: '121.00', status: 'auto', date: '2026-11-20' });
    expect(rows).toContainEqual({ entryRef: 'REF-2', invoice: 'F2026-0003', amount: '100.00', status: 'auto', date: '2026-11-20' });
    expect(rows).toContainEqual({ entryRef: 'REF-4', invoice: 'C2026-0001', amount: '-50.00', status: 'auto', date: '2026-11-20' });
    expect(rows.some((r) => r.entryRef === 'REF-20' && r.status === 'suggested')).toBe(true);
    expect(rows.some((r) => r.invoice.startsWith('BET-'))).toBe(false);
    expect(rows.some((r) => r.entryRef === 'DD-1')).toBe(false); // returned: no longer paid
    for (const r of rows) expect(Object.keys(r)).toEqual(['entryRef', 'invoice', 'amount', 'status', 'date']);
  });

  it('reports how fresh the bank data is', async () => {
    const s = await bankDataStatus(db, admin, '2026-11-25');
    expect(s).toMatchObject({ lastStatementDate: '2026-11-20', ageDays: 5, accounts: 1, staleAfterDays: 3, stale: true });
    expect(s.waitingForReview).toBeGreaterThanOrEqual(1);
    // the administration's own gate decides: 7 days allowed → 5 days old is fresh; exactly at the gate is still fresh
    const lenient = { ...admin, settings: { ...(admin.settings as object), staleAfterDays: 7 } };
    expect(await bankDataStatus(db, lenient, '2026-11-25')).toMatchObject({ staleAfterDays: 7, stale: false });
    expect(await bankDataStatus(db, lenient, '2026-11-27')).toMatchObject({ ageDays: 7, stale: false });
    expect(await bankDataStatus(db, lenient, '2026-11-28')).toMatchObject({ ageDays: 8, stale: true });
  });
});
