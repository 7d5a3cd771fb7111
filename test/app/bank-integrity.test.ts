/**
 * Every import keeps every entry or refuses the file: entry identity, refusals with file, line
 * and field, all-or-nothing. On both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { anAdministration, utf8 } from '../support/builders.ts';
import { importStatement } from '../../src/app/bank.ts';

const pad = (s: string, n: number): string => s.padEnd(n).slice(0, n);
/** A CODA 2.1 movement record (Febelfin positions: ref 11-31, sign 32, amount 33-47 in mills, value date 48-53, code 54-61, comm 62-115, entry date 116-121). */
const codaMovement = (seq: number, ref: string, cents: number, comm: string): string =>
  pad(`21${String(seq).padStart(4, '0')}0000${pad(ref, 21)}0${String(cents * 10).padStart(15, '0')}060624001500000${pad(comm, 53)}06062415800`, 127) + '0';

/** Three movements the bank gave one reference: each is a payment. */
export function codaSharedReference(): Uint8Array {
  return utf8([
    '0000006062472505        00265207  BOUWBEDRIJF VOOR GROTE WERKREDBEBB   00330158420 00000                                       2',
    '10158138536152215 EUR0BE                  0000000000100000050624BOUWBEDRIJF VOOR GROTE WERKBC-Bedrijfsrekening               158',
    codaMovement(1, 'BANK-REF-SAME', 10000, 'factuur 1'),
    codaMovement(2, 'BANK-REF-SAME', 10000, 'factuur 2'),
    codaMovement(3, 'BANK-REF-SAME', 5000, 'factuur 3'),
    '8158138536152215 EUR0BE                  0000000000350000060624                                                                0',
    pad('9               000005000000000000000000000000250000', 127) + '2',
  ].join('\n'));
}

const TRUNCATED_MT940 = [
  ':20:STARTUMS',
  ':25:NL91ABNA0417164300',
  ':28C:1',
  ':60F:C261120EUR1000,00',
  ':61:2611201120C121,00NTRFNONREF//B1',
  ':86:/EREF/F2026-0001//CNTP/NL44RABO0123456789/RABONL2U/Bakkerij Jansen/Utrecht//REMI/USTD//factuur F2026-0001/',
  ':61:2611201120C50,00NTRFNONREF//B2',
  ':86:/CNTP/NL20INGB0001234567/INGBNL2A/Pa',
].join('\r\n');

async function lineCount(db: TestDb, administrationId: number): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bank_lines WHERE administration_id = $1', [administrationId]);
  return r!.n;
}

describe.each(ENGINES)('every entry kept or the file refused, on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());

  it('keeps three CODA movements that share a bank reference as three entries; the same file again adds nothing', async () => {
    const admin = await anAdministration(db, { iban: null, name: 'Bouwbedrijf' });
    const r = await importStatement(db, admin, { filename: 'shared-ref.cod', content: codaSharedReference() });
    expect(r).toMatchObject({ entries: 3, newEntries: 3, duplicateEntries: 0 });
    expect(await lineCount(db, admin.id)).toBe(3);
    const cents = await db.query<{ cents: number }>('SELECT cents FROM bank_lines WHERE administration_id = $1 ORDER BY id', [admin.id]);
    expect(cents.map((c) => c.cents)).toEqual([10000, 10000, 5000]);
    // the same bytes: recognised as the same file
    expect((await importStatement(db, admin, { filename: 'again.cod', content: codaSharedReference() })).alreadyImported).toBe(true);
    // the same entries in a file that differs (a trailing newline): every entry seen before
    const other = new Uint8Array([...codaSharedReference(), 10]);
    const again = await importStatement(db, admin, { filename: 'copy.cod', content: other });
    expect(again).toMatchObject({ alreadyImported: false, entries: 3, newEntries: 0, duplicateEntries: 3 });
    expect(await lineCount(db, admin.id)).toBe(3);
  });

  it('refuses an MT940 file cut off before its closing balance, naming file, line and field, and stores nothing', async () => {
    const admin = await anAdministration(db, { iban: 'NL91ABNA0417164300', name: 'Afgekapt' });
    const err = await importStatement(db, admin, { filename: 'cut.940', content: utf8(TRUNCATED_MT940) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'import_rejected', problems: [{ code: 'mt940_no_closing_balance', line: 8, field: '62F' }] });
    expect((err as Error).message).toMatch(/^cut\.940: .*line 8/);
    expect(await lineCount(db, admin.id)).toBe(0);
  });

  it('refuses a date that does not exist instead of replacing it', async () => {
    const admin = await anAdministration(db, { iban: 'NL91ABNA0417164300', name: 'Datum' });
    const xml = `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>1</MsgId><CreDtTm>2026-03-01T10:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry>
</Stmt></BkToCstmrStmt></Document>`;
    await expect(importStatement(db, admin, { filename: 'feb.xml', content: utf8(xml) })).rejects.toMatchObject({ code: 'import_rejected', problems: [expect.objectContaining({ code: 'camt_bad_date', line: 4, field: expect.stringContaining('Ntry[1]/BookgDt') })] });
    expect(await lineCount(db, admin.id)).toBe(0);
  });

  it('keeps nothing of a file whose second statement is refused (all or nothing)', async () => {
    const admin = await anAdministration(db, { iban: 'NL91ABNA0417164300', name: 'Alles of niets' });
    const good = TRUNCATED_MT940.replace('/Pa', '/Pakket B.V./Amsterdam//REMI/USTD//F2026-0002/\r\n:62F:C261120EUR1171,00\r\n-');
    const bad = ':20:TWEE\r\n:25:NL91ABNA0417164300\r\n:28C:2\r\n:60F:C261121EUR1171,00\r\n:61:2611211121C5,00NTRFNONREF//B3\r\n:86:/REMI/USTD//x/\r\n:62F:C261121EUR9999,00\r\n-';
    await expect(importStatement(db, admin, { filename: 'two.940', content: utf8(`${good}\r\n${bad}`) })).rejects.toMatchObject({ code: 'import_rejected', problems: [expect.objectContaining({ code: 'balance_mismatch', field: '62F' })] });
    expect(await lineCount(db, admin.id)).toBe(0);
    const r = await importStatement(db, admin, { filename: 'one.940', content: utf8(good) });
    expect(r).toMatchObject({ entries: 2, newEntries: 2 });
  });

  it('refuses an entry in another currency than its account, and a code that is no ISO 4217 currency', async () => {
    const admin = await anAdministration(db, { iban: 'NL20INGB0001234567', name: 'Valuta' });
    const usd = TRUNCATED_MT940.replace('/Pa', '/Pakket B.V./Amsterdam//REMI/USTD//F2026-0002/\r\n:62F:C261120EUR1171,00\r\n-');
    const xml = (ccy: string) => `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>1</MsgId><CreDtTm>2026-11-20T10:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S-${ccy}</Id><Acct><Id><IBAN>NL20INGB0001234567</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry><NtryRef>N1</NtryRef><Amt Ccy="${ccy}">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>A-${ccy}</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>`;
    expect(usd).toContain(':62F:');
    await expect(importStatement(db, admin, { filename: 'usd.xml', content: utf8(xml('USD')) })).rejects.toMatchObject({ code: 'import_rejected', problems: [expect.objectContaining({ code: 'entry_currency_mismatch' })] });
    await expect(importStatement(db, admin, { filename: 'abc.xml', content: utf8(xml('ABC')) })).rejects.toMatchObject({ code: 'import_rejected', problems: [expect.objectContaining({ code: 'entry_currency_invalid' })] });
    expect(await lineCount(db, admin.id)).toBe(0);
  });
});
