/**
 * What happens to a debtor is stored as a typed event (kind + params), and why the matcher
 * suggests a booking as reason codes (code + params): on both engines. The Dutch summary stored
 * beside them is the Dutch rendering; each reader gets its own language from the params.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice, utf8 } from '../support/builders.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import type { BankEntry } from '../../src/domain/bank-statement.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { addNote, changeStatus, createPromise, dossier } from '../../src/app/care.ts';
import { setDebtorHold } from '../../src/app/ledger.ts';
import { exportAllocations, importStatement, listReview } from '../../src/app/bank.ts';
import { isEventKind, renderEvent, renderStored, type DomainEvent } from '../../src/domain/events.ts';

const OUR_IBAN = 'NL91ABNA0417164300';
const entry = (over: Partial<BankEntry> & { cents: number; entryRef: string }): BankEntry => ({
  txIndex: 0, txCount: 1, bookingDate: '2026-11-20', valueDate: '2026-11-20', currency: 'EUR', reversal: false, counterpartyName: null,
  counterpartyIban: null, counterpartyBic: null, structuredRef: null, endToEndId: null, mandateId: null, remittance: '', bankCode: null, returnReason: null, info: null, ...over,
});
const statement = (entries: BankEntry[], id: string) => {
  const closing = 100000 + entries.reduce((s, e) => s + e.cents, 0);
  return utf8(writeCamt053({ statementId: id, accountIban: OUR_IBAN, currency: 'EUR', openingBalance: { date: '2026-11-20', cents: 100000, currency: 'EUR' }, closingBalance: { date: '2026-11-20', cents: closing, currency: 'EUR' }, entries }));
};

describe.each(ENGINES)('typed events and reasons on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { iban: OUR_IBAN });
  });
  afterAll(async () => db.drop());

  it('stores every line of the dossier as a kind with params; the summary is its Dutch rendering', async () => {
    const d = await aDebtor(db, admin, { name: 'Bakkerij Jansen B.V.' });
    const inv = await anInvoice(db, admin, d, { amount: '21866.68' });
    await addNote(db, admin, d.id, 'Belt morgen terug', 'Anna');
    await setDebtorHold(db, admin, d.id, true, 'curator');
    await changeStatus(db, admin, d.id, 'collection_agency', null, 'Anna');
    await createPromise(db, admin, { debtorId: d.id, amountCents: 500000, promisedDate: '2026-12-20', itemIds: [inv.id] }, '2026-11-22', 'Anna');
    const rows = await db.query<{ kind: string; params: Record<string, unknown> | null; summary: string }>('SELECT kind, params, summary FROM events WHERE debtor_id = $1 ORDER BY id', [d.id]);
    expect(rows.map((r) => r.kind)).toEqual(['debtor_created', 'item_created', 'note', 'debtor_hold', 'status_changed', 'promise_created']);
    for (const r of rows) {
      expect(isEventKind(r.kind), r.kind).toBe(true);
      expect(r.params, r.kind).not.toBeNull();
      expect(r.summary).toBe(renderEvent({ kind: r.kind, params: r.params } as DomainEvent, 'nl'));
    }
    expect(rows[1]!.params).toEqual({ number: inv.number, credit: false, amountCents: 2186668, currency: 'EUR' });
    expect(rows[4]!.params).toMatchObject({ from: { key: 'normal', nl: 'Normaal', en: 'Normal' }, to: { key: 'collection_agency' }, pausesChase: true });
    // the dossier as each reader reads it: no internal code, amounts and dates per language
    const tl = await dossier(db, admin, d.id);
    const nl = tl.map((e) => renderStored(e, 'nl')).join('\n');
    const en = tl.map((e) => renderStored(e, 'en')).join('\n');
    expect(nl).toContain('(€ 21.866,68)');
    expect(nl).toContain('Betalingsbelofte: € 5.000,00 uiterlijk 20-12-2026');
    expect(en).toContain('Promise to pay: €5,000.00 by 20/12/2026');
    expect(en).toContain('Debtor put on hold: curator');
    for (const s of [nl, en]) expect(s).not.toMatch(/collection_agency|21866\.68|2026-12-20/);
  });

  it('stores why the matcher suggests a booking as reason codes, said in either language, and exports them beside the five agreed fields', async () => {
    const d = await aDebtor(db, admin, { name: 'Hoveniersbedrijf Bakker BV' });
    await anInvoice(db, admin, d, { number: 'F2026-7001', amount: '65.00' });
    await importStatement(db, admin, { filename: 'dec.xml', content: statement([entry({ entryRef: 'WHY-1', cents: 6500, counterpartyName: 'Hoveniersbedrijf Bakker', counterpartyIban: 'NL75ABNA0555555555', remittance: 'betaling' })], 'WHY') });
    const [line] = (await listReview(db, admin, { status: ['suggested', 'unmatched', 'auto'] })).rows.filter((l) => l.entryRef === 'WHY-1');
    const s = line!.suggestions[0]!;
    expect(s.reasons.map((r) => r.code)).toContain('name_resembles');
    expect(s.signals.join(' ')).toMatch(/resembles/);
    const [stored] = await db.query<{ reasons: { code: string }[] }>('SELECT reasons FROM match_suggestions WHERE id = $1', [s.id]);
    expect(stored!.reasons).toEqual(s.reasons);
    const rows = await exportAllocations(db, admin, { reasons: true, lang: 'nl' });
    const row = rows.find((r) => r.entryRef === 'WHY-1')!;
    expect(Object.keys(row).slice(0, 5)).toEqual(['entryRef', 'invoice', 'amount', 'status', 'date']);
    expect(row.reasons).toEqual(s.reasons);
    expect(row.reasonText).toMatch(/lijkt op Hoveniersbedrijf Bakker BV/);
    expect(row.reasonText).not.toMatch(/resembles/);
    const en = await exportAllocations(db, admin, { reasons: true });
    expect(en.find((r) => r.entryRef === 'WHY-1')!.reasonText).toMatch(/resembles Hoveniersbedrijf Bakker BV/);
  });
});
