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
});
