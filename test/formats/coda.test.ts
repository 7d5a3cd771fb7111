/**
 * CODA reader: every sample under ../shared/samples/bank/coda against a golden JSON
 * (test/formats/golden/coda/<sample file name>.json; regenerate with UPDATE_GOLDEN=1), a
 * hand-checked table of entry counts and amounts, the balance check where it holds, and unit
 * tests on records built field by field.
 *
 * Sample quirks (the php-coda-parser samples are hand-anonymised and partly inconsistent):
 * - sample2: old balance dated 2022-01-23, new balance 2015-11-18 and on another account, new
 *   balance with a third decimal (23154.685); movements of 2017. Balances do not reconcile.
 * - sample4: account number "732XXXXXXXXX"; in 2.3 the name starts at position 31 (read from
 *   there, warning); the 3.1 records are shifted one position left (detected, warning); the 2.2
 *   record is garbled too (its customer reference reads "OVIDED BBRUBEBB"); trailer totals and
 *   balances do not match the movements.
 * - sample6: amount 767.823 (third decimal, rounded with a warning); trailer and balances do not match.
 * - pycoda globalisation: entry date "111111" (2011-11-11) on two movements, outside the statement
 *   period (kept as written, warning); record 8 names a different account than record 1.
 * Balances reconcile in sample8, sample10, pycoda globalisation and pycoda single statement.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCoda } from '../../src/formats/coda.ts';
import type { BankStatement, FormatError, StatementFile } from '../../src/domain/bank-statement.ts';
import { sampleFiles, readSample } from '../support/samples.ts';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'coda');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const files = sampleFiles('bank/coda');

// Checked by hand against the records: entries per statement, signed cents of every entry, and
// whether old balance + movements = new balance.
const EXPECTED: Record<string, { counts: number[]; cents: number[] | null; total: number; balanced: boolean }> = {
  'be__php-coda-parser__sample10.cod': { counts: [2], cents: [25000, 75000], total: 100000, balanced: true },
  'be__php-coda-parser__sample2.cod': { counts: [2], cents: [-800, -168], total: -968, balanced: false },
  'be__php-coda-parser__sample4.cod': { counts: [1], cents: [1723354], total: 1723354, balanced: false },
  'be__php-coda-parser__sample6.cod': { counts: [3], cents: [-76782, 276782, 176782], total: 376782, balanced: false },
  'be__php-coda-parser__sample8.cod': { counts: [2], cents: [-39555, -24934], total: -64489, balanced: true },
  'be__pycoda__Coda_v2_3_globalisation.txt': { counts: [4], cents: [11313500, 11313500, 5000000, -54430], total: 27572570, balanced: true },
  'be__pycoda__Coda_v2_3_single_statement.txt': { counts: [30], cents: null, total: 0, balanced: true },
};

function parseOk(input: string | Uint8Array): { file: StatementFile; warnings: readonly FormatError[] } {
  const r = parseCoda(input);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return { file: r.value, warnings: r.warnings };
}

function balances(s: BankStatement): boolean {
  if (!s.openingBalance || !s.closingBalance) return false;
  return s.openingBalance.cents + s.entries.reduce((a, e) => a + e.cents, 0) === s.closingBalance.cents;
}

describe('CODA samples (golden files)', () => {
  it('finds the sample files, and the table covers each of them', () => {
    expect(files.map((f) => basename(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const path of files) {
    const name = basename(path);
    it(`${name} matches its golden output`, () => {
      const result = parseCoda(readSample(path));
      expect(result.ok).toBe(true);
      const json = JSON.stringify(result, null, 2) + '\n';
      const golden = join(GOLDEN, `${name}.json`);
      if (UPDATE) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, json);
      }
      expect(existsSync(golden), `golden file missing: ${golden} (run with UPDATE_GOLDEN=1)`).toBe(true);
      expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });

    it(`${name}: entry counts, amounts and balance check as checked by hand`, () => {
      const exp = EXPECTED[name]!;
      const { file } = parseOk(readSample(path));
      expect(file.format).toBe('coda');
      expect(file.statements.map((s) => s.entries.length)).toEqual(exp.counts);
      const all = file.statements.flatMap((s) => s.entries);
      if (exp.cents) expect(all.map((e) => e.cents)).toEqual(exp.cents);
      expect(all.reduce((a, e) => a + e.cents, 0)).toBe(exp.total);
      expect(file.statements.every(balances)).toBe(exp.balanced);
    });
  }

  it('old balance + movements = new balance where the file is consistent', () => {
    for (const [name, exp] of Object.entries(EXPECTED)) {
      if (!exp.balanced) continue;
      const { file, warnings } = parseOk(readSample(files.find((f) => basename(f) === name)!));
      for (const s of file.statements) expect(s.openingBalance!.cents + s.entries.reduce((a, e) => a + e.cents, 0), name).toBe(s.closingBalance!.cents);
      expect(warnings.filter((w) => w.code === 'balance_mismatch' || w.code === 'coda_trailer'), name).toEqual([]);
    }
  });

  it('spot checks against the raw records', () => {
    const get = (n: string) => parseOk(readSample(files.find((f) => basename(f) === n)!)).file.statements[0]!;

    // Globalised SEPA direct debit collection (type 1 with type 5 details), structure-0 Belgian account, 127 communication.
    const s10 = get('be__php-coda-parser__sample10.cod');
    expect(s10).toMatchObject({ statementId: '158', accountIban: null, accountId: '138536152215', currency: 'EUR' });
    expect(s10.openingBalance).toEqual({ date: '2024-06-05', cents: 10000, currency: 'EUR' });
    expect(s10.closingBalance).toEqual({ date: '2024-06-06', cents: 110000, currency: 'EUR' });
    expect(s10.entries[0]).toMatchObject({
      entryRef: 'BANK-REF-AAAAAAAAAAAA',
      txIndex: 0,
      txCount: 2,
      bookingDate: '2024-06-06',
      valueDate: '2024-06-06',
      counterpartyName: 'KLANT1 MET NAAM1',
      counterpartyIban: 'BE22313215646432',
      counterpartyBic: 'KREDBEBB',
      mandateId: 'SEPA-000000001',
      endToEndId: '243690000141',
      bankCode: '50550000',
      info: 'KLANT1 MET NAAM1 GROTE WEG 32 3215 HASSELT',
    });

    // Structured communication 101 → Belgian structured reference; debit and credit signs.
    const s6 = get('be__php-coda-parser__sample6.cod');
    expect(s6.entries[1]).toMatchObject({ cents: 276782, structuredRef: { issuer: null, value: '112455446812' }, counterpartyIban: 'BE54805480215856', counterpartyName: 'BVBA.BAKKER PIET', counterpartyBic: 'GEBCEEBB' });
    expect(s6.entries[0]!.structuredRef).toBeNull();
    expect(s6.entries[0]!.remittance).toBe('112/4554/46812 813 ANOTHER MESSAGE MESSAGE');

    // IBAN account structure 2; debits.
    const s8 = get('be__php-coda-parser__sample8.cod');
    expect(s8).toMatchObject({ accountIban: 'BE11111111111111', accountId: null, statementId: '002' });
    // 2.2 positions 64-98 are the customer (end-to-end) reference.
    expect(s8.entries.map((e) => [e.bookingDate, e.valueDate, e.endToEndId, e.remittance, e.entryRef])).toEqual([
      ['2023-03-06', '2023-03-06', 'ACERTA/I/03948039/230306/1', '', '2303061130436215'],
      ['2023-03-06', '2023-03-06', 'ACERTA/I/33449300/230306/1', '', '2303061130435774'],
    ]);

    // Type 3 with a type 8 detail; type 2 with 14 type 6 details; information records joined across fields.
    const g = get('be__pycoda__Coda_v2_3_globalisation.txt');
    expect(g.openingBalance).toEqual({ date: '2014-12-09', cents: -45517, currency: 'EUR' });
    expect(g.entries[2]).toMatchObject({ txIndex: 0, txCount: 1, cents: 5000000, entryRef: '000140000042944007388', counterpartyIban: 'NL123KMG0261239759', counterpartyName: 'XXXX MARKET SA', bankCode: '80150100' });
    const single = get('be__pycoda__Coda_v2_3_single_statement.txt');
    const batch = single.entries.filter((e) => e.entryRef === 'TPIA01170YBHKDSODSTOC');
    expect(batch.map((e) => e.cents)).toEqual([-2000, -2000, -2000, -1500, -1500, -2000, -2000, -1500, -1500, -14830, -224970, -2000, -1500, -1500]);
    expect(batch.every((e, i) => e.txIndex === i && e.txCount === 14 && e.counterpartyIban === 'BE38733040385372' && e.remittance === 'OVERBOEKING NAAR CENTRALE REKENING')).toBe(true);
    expect(single.entries.find((e) => e.cents === 14830 && e.txCount === 1)).toMatchObject({ counterpartyName: 'VIVIUM', counterpartyIban: null, remittance: 'ONG. SG 20-4203595 LOONVERLIES HAMERLYNCK TONY', info: 'VIVIUM RUE ROYALE 1210 BRUXELLES' }); // 2.1 ends in "LOON", 2.2 goes on "VERLIES"
    const s2 = get('be__php-coda-parser__sample2.cod');
    expect(s2.entries[1]!.info).toContain('Avenue Marnix 24, B-1000 Bruxelles');
  });
});

// ------------------------------------------------------------------------------------ unit tests

/** A 128-character record: [1-based position, text] pieces over spaces. */
function rec(...parts: [number, string][]): string {
  const a = Array.from({ length: 128 }, () => ' ');
  for (const [pos, text] of parts) for (let i = 0; i < text.length; i++) a[pos - 1 + i] = text[i]!;
  return a.join('');
}
const amt = (cents: number) => String(cents * 10).padStart(15, '0');

const header = rec([1, '00000'], [6, '010324'], [12, '725'], [15, '05'], [35, 'VORDER BV'], [61, 'KREDBEBB'], [128, '2']);
const old = (cents: number, sign = '0') => rec([1, '12001'], [6, 'BE68539007547034'], [40, 'EUR'], [43, sign], [44, amt(cents)], [59, '290224'], [65, 'VORDER BV'], [126, '017']);
const mv21 = (o: { seq: string; det?: string; ref?: string; sign?: string; cents: number; code?: string; structured?: boolean; comm?: string; date?: string; value?: string; glob?: string }) =>
  rec(
    [1, '21'],
    [3, o.seq],
    [7, o.det ?? '0000'],
    [11, o.ref ?? `REF${o.seq}`],
    [32, o.sign ?? '0'],
    [33, amt(o.cents)],
    [48, o.value ?? '010324'],
    [54, o.code ?? '00150000'],
    [62, o.structured ? '1' : '0'],
    [63, o.comm ?? ''],
    [116, o.date ?? '010324'],
    [122, '017'],
    [125, o.glob ?? '0'],
    [126, '1'],
    [128, '0'],
  );
const mv22 = (seq: string, det: string, o: { comm?: string; ref?: string; bic?: string; rtype?: string; reason?: string } = {}) =>
  rec([1, '22'], [3, seq], [7, det], [11, o.comm ?? ''], [64, o.ref ?? ''], [99, o.bic ?? ''], [113, o.rtype ?? ''], [114, o.reason ?? ''], [126, '1']);
const mv23 = (seq: string, det: string, account: string, name: string, comm = '') => rec([1, '23'], [3, seq], [7, det], [11, account], [48, name], [83, comm], [126, '0']);
const info31 = (seq: string, det: string, text: string, structured = false, code = '00150000') => rec([1, '31'], [3, seq], [7, det], [11, `REF${seq}`], [32, code], [40, structured ? '1' : '0'], [41, text], [126, '0']);
const info32 = (seq: string, det: string, text: string) => rec([1, '32'], [3, seq], [7, det], [11, text]);
const closing = (cents: number, sign = '0') => rec([1, '8017'], [5, 'BE68539007547034'], [39, 'EUR'], [42, sign], [43, amt(cents)], [58, '010324']);
const trailer = (n: number, debit: number, credit: number) => rec([1, '9'], [17, String(n).padStart(6, '0')], [23, amt(debit)], [38, amt(credit)], [128, '2']);

function file(body: string[], o: { open?: number; close?: number; debit?: number; credit?: number } = {}): string {
  const lines = [header, old(o.open ?? 10000), ...body, closing(o.close ?? 10000)];
  return [...lines, trailer(lines.length - 1, o.debit ?? 0, o.credit ?? 0)].join('\r\n') + '\r\n';
}

describe('parseCoda (unit)', () => {
  it('reads a credit with the Belgian structured reference (101) and the counterparty from 2.2/2.3', () => {
    const { file: f, warnings } = parseOk(
      file([mv21({ seq: '0001', cents: 12100, structured: true, comm: '101090123456789' }), mv22('0001', '0000', { ref: 'E2E-77', bic: 'GEBABEBB' }), mv23('0001', '0000', 'BE71096123456769                  EUR', 'KLANT NV')], {
        close: 22100,
        credit: 12100,
      }),
    );
    expect(warnings).toEqual([]);
    const s = f.statements[0]!;
    expect(s).toMatchObject({ format: 'coda', statementId: '017', accountIban: 'BE68539007547034', currency: 'EUR' });
    expect(s.openingBalance).toEqual({ date: '2024-02-29', cents: 10000, currency: 'EUR' });
    expect(s.entries).toEqual([
      {
        entryRef: 'REF0001',
        txIndex: 0,
        txCount: 1,
        bookingDate: '2024-03-01',
        valueDate: '2024-03-01',
        cents: 12100,
        currency: 'EUR',
        reversal: false,
        counterpartyName: 'KLANT NV',
        counterpartyIban: 'BE71096123456769',
        counterpartyBic: 'GEBABEBB',
        structuredRef: { issuer: null, value: '090123456789' },
        endToEndId: 'E2E-77',
        mandateId: null,
        remittance: '',
        bankCode: '00150000',
        returnReason: null,
        info: null,
      },
    ]);
  });

  it('splits a globalised movement into its details when they add up', () => {
    const { file: f, warnings } = parseOk(
      file(
        [
          mv21({ seq: '0001', cents: 30000, code: '10050000', glob: '1' }),
          mv21({ seq: '0001', det: '0001', cents: 10000, code: '50050000', comm: 'Factuur 1' }),
          mv23('0001', '0001', 'BE71096123456769', 'EERSTE'),
          mv21({ seq: '0001', det: '0002', cents: 20000, code: '50050000', comm: 'Factuur 2' }),
          info31('0001', '0003', '001TWEEDE BV', true, '50050000'),
        ],
        { close: 40000, credit: 30000 },
      ),
    );
    expect(warnings).toEqual([]);
    const es = f.statements[0]!.entries;
    expect(es.map((e) => [e.txIndex, e.txCount, e.cents, e.entryRef, e.remittance, e.counterpartyName])).toEqual([
      [0, 2, 10000, 'REF0001', 'Factuur 1', 'EERSTE'],
      [1, 2, 20000, 'REF0001', 'Factuur 2', 'TWEEDE BV'],
    ]);
  });

  it('keeps the total when the details do not add up, with a warning', () => {
    const { file: f, warnings } = parseOk(
      file([mv21({ seq: '0001', cents: 30000, code: '10050000', glob: '1' }), mv21({ seq: '0001', det: '0001', cents: 10000, code: '50050000' })], { close: 40000, credit: 30000 }),
    );
    expect(f.statements[0]!.entries.map((e) => [e.cents, e.txCount])).toEqual([[30000, 1]]);
    expect(warnings.map((w) => w.code)).toEqual(['coda_globalisation']);
  });

  it('reads a returned SEPA direct debit: 127 communication (mandate) and the 2.2 return reason', () => {
    const sdd127 = '127010324' + '1' + '1' + '3' + 'BE12ZZZ0123456789'.padEnd(35) + 'MANDATE-42'.padEnd(35).slice(0, 6);
    const { file: f } = parseOk(
      file(
        [
          mv21({ seq: '0001', sign: '1', cents: 5000, code: '00537000', structured: true, comm: sdd127 }),
          mv22('0001', '0000', { comm: 'MANDATE-42'.slice(6).padEnd(29) + 'Factuur 2024-17', ref: 'E2E-DD-1', rtype: '2', reason: 'MD06' }),
          mv23('0001', '0000', 'BE71096123456769', 'DEBITEUR'),
        ],
        { close: 5000, debit: 5000 },
      ),
    );
    expect(f.statements[0]!.entries[0]).toMatchObject({ cents: -5000, mandateId: 'MANDATE-42', returnReason: 'MD06', remittance: 'Factuur 2024-17', endToEndId: 'E2E-DD-1', counterpartyName: 'DEBITEUR' });
  });

  it('reads debit balances and movements as negative, three-decimal amounts exactly', () => {
    const { file: f } = parseOk(file([mv21({ seq: '0001', sign: '1', cents: 123450, comm: 'Huur maart' })], { open: 500, close: 123950, debit: 123450 }).replace(old(500), old(500, '1')).replace(closing(123950), closing(123950, '1')));
    const s = f.statements[0]!;
    expect(s.openingBalance!.cents).toBe(-500);
    expect(s.closingBalance!.cents).toBe(-123950);
    expect(s.entries[0]).toMatchObject({ cents: -123450, remittance: 'Huur maart' });
  });

  it('refuses a file that is not CODA, and a movement with a bad amount (naming the line)', () => {
    const notCoda = parseCoda(':20:STARTUMS\r\n:25:NL91ABNA0417164300\r\n');
    expect(notCoda.ok).toBe(false);
    if (!notCoda.ok) expect(notCoda.errors[0]).toMatchObject({ code: 'coda_not_coda', line: 1 });
    expect(parseCoda('').ok).toBe(false);

    const bad = file([mv21({ seq: '0001', cents: 100 }).replace(amt(100), '00000000000A000')]);
    const r = parseCoda(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]).toMatchObject({ code: 'coda_bad_amount', line: 3 });
      expect(r.errors[0]!.message).toContain('line 3');
    }
  });

  it('warns about trailer totals and balances that do not match', () => {
    const { warnings } = parseOk(file([mv21({ seq: '0001', cents: 100 })], { close: 99999, credit: 5 }));
    expect(warnings.map((w) => w.code)).toEqual(['coda_trailer', 'balance_mismatch']);
  });

  it('accepts LF line ends, trailing-space-trimmed records and Latin-1 bytes', () => {
    const text = file([mv21({ seq: '0001', cents: 100, comm: 'Crédit café' }), mv23('0001', '0000', 'BE71096123456769', 'Société Générale')], { close: 10100, credit: 100 })
      .split('\r\n')
      .map((l) => l.trimEnd())
      .join('\n');
    const bytes = Uint8Array.from([...text].map((c) => c.charCodeAt(0))); // Latin-1
    const { file: f, warnings } = parseOk(bytes);
    expect(f.statements[0]!.entries[0]).toMatchObject({ remittance: 'Crédit café', counterpartyName: 'Société Générale' });
    expect(warnings.map((w) => w.code)).toEqual(['coda_record_length']);
  });

  it('reads several statements in one file', () => {
    const a = file([mv21({ seq: '0001', cents: 100 })], { close: 10100, credit: 100 });
    const b = file([mv21({ seq: '0001', sign: '1', cents: 50 })], { close: 9950, debit: 50 });
    const { file: f } = parseOk(a + b);
    expect(f.statements.map((s) => s.entries.map((e) => e.cents))).toEqual([[100], [-50]]);
  });

  it('joins information records that continue each other word for word', () => {
    const long = 'Factuur 2024-0001 en 2024-0002, betaald door Jansen en Zonen BV, Hoofdstraat 1, 9000 Gent';
    expect(long.slice(0, 73).endsWith('Hoofdstr')).toBe(true);
    const { file: f } = parseOk(file([mv21({ seq: '0001', cents: 100 }), info31('0001', '0001', long.slice(0, 73)), info32('0001', '0001', long.slice(73))], { close: 10100, credit: 100 }));
    expect(f.statements[0]!.entries[0]!.info).toBe(long);
  });
});
