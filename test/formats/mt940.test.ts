/**
 * MT940 reader: every sample under ../shared/samples/bank/mt940/ against a golden JSON
 * (test/formats/golden/mt940/<sample file name>.json; regenerate with UPDATE_GOLDEN=1), a
 * hand-checked table per file, the balance identity opening + Σ entries = closing, and unit tests.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMt940, entryDate, interpret86 } from '../../src/formats/mt940.ts';
import type { BankStatement, StatementFile } from '../../src/domain/bank-statement.ts';
import { sampleFiles, readSample } from '../support/samples.ts';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'mt940');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const files = sampleFiles('bank/mt940');

function parseOk(input: string | Uint8Array): StatementFile {
  const r = parseMt940(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

// Checked by hand against the raw files: [statements, entries].
const COUNTS: Record<string, [number, number]> = {
  'abnamro__dovadi__MT940_voorbeeldbestanden_abnamro.txt': [13, 13],
  'abnamro__dovadi__abnamro.txt': [2, 10],
  'abnamro__php-mt940__issue48.sta': [1, 2],
  'abnamro__php-mt940__sample.sta': [4, 5],
  'abnamro__zilverline__abn_sepa_incasso_doorlopend.txt': [1, 1],
  'abnamro__zilverline__anb_sepa_overboeking_belastingdienst.txt': [1, 2],
  'asn__php-mt940__sample.sta': [7, 3],
  'bunq__php-mt940__sample.sta': [1, 111],
  'citi__wolph__mt940.txt': [1, 5],
  'cmxl-de__wolph__mt940.sta': [3, 16],
  'deutschebank__jejik__deutschebank.txt': [1, 1],
  'hsbc__php-mt940__sample.sta': [1, 1],
  'ing__libmt94x__ibp-structured-ing-provided-example.txt': [1, 3],
  'ing__libmt94x__ming-from-spec.txt': [1, 8],
  'ing__libmt94x__ming-ing-provided-example-multiple-messages.txt': [2, 2],
  'ing__oca__test-ing.940': [1, 8],
  'ing__zilverline__mt940_iban.txt': [1, 21],
  'ing__zilverline__unstructured_remi.txt': [1, 2],
  'kbs-mk__php-mt940__sample.sta': [1, 3],
  'knab__jejik__knab.txt': [2, 3],
  'knab__php-mt940__sample2.sta': [1, 1],
  'knab__zilverline__knab.txt': [1, 2],
  'lbbw__jejik__lbbw.txt': [1, 2],
  'mbank-pl__wolph__mt942.sta': [1, 3],
  'penta__php-mt940__sample.sta': [1, 30],
  'rabobank__jejik__rabobank-iban.txt': [2, 4],
  'rabobank__php-mt940__sample3.sta': [2, 12],
  'rabobank__zilverline__14aug2014.swi': [1, 2],
  'rabobank__zilverline__rabobank.txt': [23, 11],
  'rabobank__zilverline__rabobank_mt940_structured_dutch_tax.txt': [1, 1],
  'sns__oca__test-sns.940': [3, 8],
  'sns__zilverline__sns.txt': [16, 4],
  'sparkasse__jejik__sparkasse.txt': [2, 2],
  'triodos__jejik__triodos.txt': [1, 2],
  'triodos__php-mt940__sample.sta': [2, 8],
  'triodos__zilverline__triodos_iban_2.txt': [1, 4],
  'vanlanschot__zilverline__to_private_account_86.txt': [1, 1],
};

/**
 * Statements (by index) where opening + Σ entries ≠ closing although both balances are present.
 * Each was checked against the raw file: the file itself does not add up.
 */
const UNBALANCED: Record<string, { statements: number[]; reason: string }> = {
  'abnamro__dovadi__MT940_voorbeeldbestanden_abnamro.txt': {
    statements: [1, 2, 3, 12],
    reason: 'documentation examples: 2-4 open with D1627,85 where C1627,85 would add up; 10b reuses the closing balance 5538,62 where 5638,62 would add up',
  },
  'abnamro__dovadi__abnamro.txt': { statements: [0, 1], reason: 'anonymised file: 3236,28 − 321,44 ≠ 876,84 and 2876,84 − 24,49 ≠ 1849,75' },
  'abnamro__zilverline__abn_sepa_incasso_doorlopend.txt': { statements: [0], reason: 'entry is 10,5 (10,50) but the closing balance moved by 10,00' },
  'abnamro__zilverline__anb_sepa_overboeking_belastingdienst.txt': { statements: [0], reason: 'closing 95350,00 where 10000 − 150 − 500 = 9350,00 (typo in the file)' },
  'deutschebank__jejik__deutschebank.txt': { statements: [0], reason: 'opening and closing both 0,00 around a 12,35 debit' },
  'hsbc__php-mt940__sample.sta': { statements: [0], reason: 'opening and closing both 0,00 around a 20000,00 debit' },
  'ing__libmt94x__ming-ing-provided-example-multiple-messages.txt': { statements: [0, 1], reason: '1000,00 − 15,00 ≠ 4882,15 in both messages' },
  'knab__jejik__knab.txt': { statements: [1], reason: 'debit 7260, where 2760 would give the closing 798,98' },
  'rabobank__php-mt940__sample3.sta': {
    statements: [0, 1],
    reason: 'the test file has extra entries dated 2013-11-25, 2013-12-06 and 2013-09-20 appended after the real day; without them it adds up',
  },
  'rabobank__zilverline__14aug2014.swi': { statements: [0], reason: 'anonymised: 768,18 − 672,66 + 429,14 ≠ 996,53' },
  'triodos__jejik__triodos.txt': { statements: [0], reason: '4975,09 − 15,70 − 700,00 ≠ 4370,79' },
};

describe('parseMt940 on every sample file (golden)', () => {
  it('has a hand-checked count for every sample', () => {
    expect(files.map((f) => basename(f)).sort()).toEqual(Object.keys(COUNTS).sort());
  });

  for (const file of files) {
    const name = basename(file);
    it(name, () => {
      const r = parseMt940(readSample(file));
      expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
      if (!r.ok) return;
      const golden = join(GOLDEN, `${name}.json`);
      const json = JSON.stringify(r, null, 2) + '\n';
      if (UPDATE || !existsSync(golden)) {
        if (!UPDATE) throw new Error(`no golden for ${name}: run with UPDATE_GOLDEN=1`);
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, json);
      } else {
        expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
      }
      const st = r.value.statements;
      expect([st.length, st.reduce((n, s) => n + s.entries.length, 0)]).toEqual(COUNTS[name]);
      for (const s of st) {
        for (const e of s.entries) {
          expect(Number.isSafeInteger(e.cents)).toBe(true);
          expect(e.bookingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(e.txCount).toBe(1);
        }
      }
    });
  }

  it('opening + Σ entries = closing, except where the file itself does not add up', () => {
    const found: Record<string, number[]> = {};
    let checked = 0;
    for (const file of files) {
      const s = parseOk(readSample(file)).statements;
      const bad = s
        .map((x: BankStatement, i: number) => ({ x, i }))
        .filter(({ x }) => x.openingBalance && x.closingBalance)
        .filter(({ x }) => {
          checked++;
          return x.openingBalance!.cents + x.entries.reduce((n, e) => n + e.cents, 0) !== x.closingBalance!.cents;
        })
        .map(({ i }) => i);
      if (bad.length) found[basename(file)] = bad;
    }
    expect(found).toEqual(Object.fromEntries(Object.entries(UNBALANCED).map(([k, v]) => [k, v.statements])));
    expect(checked).toBeGreaterThan(100);
  });
});

describe('hand-checked values from the raw files', () => {
  const get = (name: string): StatementFile => parseOk(readSample(files.find((f) => basename(f) === name)!));

  it('ING MING: structured CUR reference, counterparty, bank reference, return', () => {
    const s = get('ing__libmt94x__ming-from-spec.txt').statements[0]!;
    expect(s.statementId).toBe('P140220000000001/00000');
    expect(s.accountIban).toBe('NL69INGB0123456789');
    expect(s.openingBalance).toEqual({ date: '2014-02-19', cents: 66223, currency: 'EUR' });
    expect(s.closingBalance).toEqual({ date: '2014-02-20', cents: 56435, currency: 'EUR' });
    const e = s.entries[6]!; // :61:1402200220C32,00NTRF9001123412341234//00000000001011
    expect(e).toMatchObject({
      entryRef: '00000000001011', cents: 3200, bookingDate: '2014-02-20', valueDate: '2014-02-20', bankCode: 'NTRF',
      counterpartyIban: 'NL32INGB0000012345', counterpartyBic: 'INGBNL2A', counterpartyName: 'J.Janssen',
      structuredRef: { issuer: 'CUR', value: '9001123412341234' }, endToEndId: '15814016000676480', remittance: '',
    });
    const rtrn = s.entries[5]!; // NRTI with /RTRN/MS03/ and MARF wrapped over two lines
    expect(rtrn).toMatchObject({ cents: -1275, returnReason: 'MS03', mandateId: 'MND-120123', remittance: 'CONTRIBUTIE FEB 2014' });
  });

  it('ING IBP (old structured): BENM wrapped mid-IBAN, ERE|F wrapped mid-codeword', () => {
    const s = get('ing__libmt94x__ibp-structured-ing-provided-example.txt').statements[0]!;
    expect(s.accountIban).toBeNull();
    expect(s.accountId).toBe('0654321789');
    expect(s.entries[0]).toMatchObject({ cents: -145, counterpartyIban: 'NL50INGB0001234567', mandateId: 'EV45451', returnReason: 'MS03', endToEndId: 'EV45451REP170112T1106' });
    expect(s.entries[1]).toMatchObject({ cents: -256, endToEndId: 'EV1551551REP180112T1544' });
    expect(s.entries[2]).toMatchObject({ remittance: 'TOTAAL 1 POSTEN' });
  });

  it('Rabobank structured: zero-padded amounts, counterparty IBAN on the :61: continuation, CDTRREF', () => {
    const tax = get('rabobank__zilverline__rabobank_mt940_structured_dutch_tax.txt').statements[0]!;
    expect(tax.entries[0]).toMatchObject({
      cents: -200000, bookingDate: '2013-12-27', bankCode: 'N086', entryRef: null, counterpartyIban: 'NL86INGB0002445588',
      counterpartyName: 'Belastingdienst', endToEndId: '123456789', structuredRef: { issuer: 'CUR', value: '1234567899874563' },
    });
    const swi = get('rabobank__zilverline__14aug2014.swi').statements[0]!;
    expect(swi.accountIban).toBe('NL50RABO0156750961');
    expect(swi.entries[1]).toMatchObject({ cents: 42914, counterpartyIban: 'NL93ABNA0617558213', counterpartyName: 'COMPANY B V', endToEndId: '1407220203722001' });
    const iban = get('rabobank__jejik__rabobank-iban.txt');
    expect(iban.statements[0]!.entries[0]).toMatchObject({ cents: -2500, counterpartyName: 'CONTRA ACCOUNT HOLDER', counterpartyIban: 'NL70ABNA0987654321' });
  });

  it('Rabobank old format: :28:, several :86: per entry, name on the :61: line', () => {
    const f = get('rabobank__zilverline__rabobank.txt');
    expect(f.statements[0]!.statementId).toBe('940A121001/00000/00');
    expect(f.statements[0]!.accountId).toBe('2121.21.211EUR');
    const ins = f.statements[5]!.entries[0]!;
    expect(ins).toMatchObject({ cents: -19014, counterpartyName: 'INSURRANCE', bankCode: 'N060' });
    expect(ins.remittance).toBe('BETALINGSKENM. 490022201282 ARBEIDS ONG. VERZ. 00333333333 PERIODE 06.10.2012 - 06.11.2012');
  });

  it('ABN AMRO: /TRTP/ lines, Issuer: CUR Ref:, old unstructured and labelled SEPA text', () => {
    const issue48 = get('abnamro__php-mt940__issue48.sta').statements[0]!;
    expect(issue48.entries[1]).toMatchObject({
      cents: -6263, counterpartyName: 'XXXXXXXX B.V.', counterpartyIban: 'NL37DEUT0123456789', mandateId: '000000059990', endToEndId: '012345678912361000',
    });
    expect(issue48.entries[0]).toMatchObject({ cents: 10965, endToEndId: null, remittance: 'RES.NR 00042' }); // NOTPROV|IDED
    const doc = get('abnamro__dovadi__MT940_voorbeeldbestanden_abnamro.txt').statements;
    expect(doc[11]!.entries[0]).toMatchObject({ cents: -101, structuredRef: { issuer: 'CUR', value: '1234567812345678' }, counterpartyName: 'Naam' });
    const labelled = get('abnamro__zilverline__anb_sepa_overboeking_belastingdienst.txt').statements[0]!;
    expect(labelled.entries[1]).toMatchObject({ cents: -50000, counterpartyIban: 'NL86INGB0002445588', counterpartyName: 'BELASTINGDIENST APELDOORN', structuredRef: { issuer: 'CUR', value: '1234123412345678' } });
    const old = get('abnamro__dovadi__abnamro.txt').statements[0]!;
    expect(old.entries[0]).toMatchObject({ cents: -900, valueDate: '2011-05-24' });
    expect(old.entries[1]).toMatchObject({ cents: -1159, valueDate: '2011-05-21', bookingDate: '2011-05-23' });
  });

  it('German ?-subfields: Sparkasse, Deutsche Bank, LBBW', () => {
    const sp = get('sparkasse__jejik__sparkasse.txt').statements[0]!.entries[0]!;
    expect(sp).toMatchObject({ cents: -2000, counterpartyName: 'ARAL AG', counterpartyIban: 'DE95430800830802029200', counterpartyBic: 'DRESDEFF430' });
    const db = get('deutschebank__jejik__deutschebank.txt').statements[0]!.entries[0]!;
    expect(db).toMatchObject({ cents: -1235, entryRef: '2016021783252833', endToEndId: 'A1.200080779.400143254.4961336', mandateId: '20852HW2723821', counterpartyBic: 'CSDBDE71XXX' });
    const lbbw = get('lbbw__jejik__lbbw.txt').statements[0]!.entries[1]!;
    expect(lbbw).toMatchObject({ cents: 1, counterpartyName: 'NIC RICHTER', remittance: 'E-MOBILITY ABRECHNUNG NR. 28 ZU VERTRAG 9433, KUNDENNUMMER 11111' });
  });

  it('ASN/SNS: counterparty IBAN as :61: reference, name on the continuation line', () => {
    const asn = get('asn__php-mt940__sample.sta');
    expect(asn.statements[0]!.entries[0]).toMatchObject({ cents: -200000, counterpartyIban: 'NL29INGB0006475121', counterpartyName: 'j blom', remittance: 'Salaris december 2019', bankCode: 'NOVB' });
    expect(asn.statements[6]!.entries[0]).toMatchObject({ counterpartyName: 'MULTI TANK CARD BV', mandateId: 'MTC244K', endToEndId: '1755481/5570' });
    const sns = get('sns__oca__test-sns.940');
    expect(sns.statements[0]!.entries[1]).toMatchObject({ entryRef: '228ohu/972795', cents: -1018 });
    expect(sns.statements[2]!.closingBalance).toBeNull(); // the last message has no :62F:
  });

  it('Knab, bunq, Triodos, Penta, mBank MT942, Citi', () => {
    expect(get('knab__jejik__knab.txt').statements[1]!.entries[0]).toMatchObject({ cents: -726000, counterpartyIban: 'NL65INGB0123456789', counterpartyName: 'PICQER', remittance: 'FACTUUR 201403110, 201403113' });
    expect(get('knab__jejik__knab.txt').statements[1]!.entries[1]).toMatchObject({ cents: 50000, entryRef: 'B4G29PGDCK1QFV3E' }); // "C500NTRF": no decimal comma
    expect(get('bunq__php-mt940__sample.sta').statements[0]!.entries[0]).toMatchObject({ cents: 200, counterpartyIban: 'NL65BUNQ2206724936', counterpartyName: 'P.C. Wacki' });
    expect(get('triodos__zilverline__triodos_iban_2.txt').statements[0]!.entries[1]).toMatchObject({ cents: 345629, endToEndId: null, remittance: 'Factuurnummer 201801-001', bankCode: 'NET0' });
    expect(get('triodos__php-mt940__sample.sta').statements[0]!.entries[0]).toMatchObject({ bankCode: 'NIT', cents: -1000 });
    expect(get('penta__php-mt940__sample.sta').statements[0]!.entries[2]).toMatchObject({ cents: 1125, counterpartyName: 'HOPPA Inc', counterpartyIban: 'GB29DEUT40333124517700', bankCode: null });
    const mb = get('mbank-pl__wolph__mt942.sta').statements[0]!;
    expect(mb).toMatchObject({ currency: 'PLN', openingBalance: null, accountIban: 'PL29114010810000267002001002' });
    expect(mb.entries[0]).toMatchObject({ cents: 1, entryRef: 'MB170119012058', currency: 'PLN' });
    const citi = get('citi__wolph__mt940.txt').statements[0]!;
    expect(citi.entries.map((e) => e.cents)).toEqual([-21239, -36928, 0, 0, -56108]); // "DD": D + funds code D
  });
});

describe('unit', () => {
  const wrap = (...lines: string[]): string => lines.join('\r\n');
  const msg = (body: string[]): string =>
    wrap('{1:F01INGBNL2ABXXX0000000000}', '{2:I940INGBNL2AXXXN}', '{4:', ':20:REF', ':25:NL69INGB0123456789EUR', ':28C:1', ':60F:C140219EUR100,00', ...body, ':62F:C140220EUR100,00', '-}');

  it('joins wrapped :86: lines without spaces (ERE + newline + F/…)', () => {
    const f = parseOk(msg([':61:1402200220C1,00NTRFEREF//1', ':86:/CNTP/NL32INGB0000012345/INGBNL2A/Jan/Ams///ERE', 'F/123//REMI/USTD//Factu', 'ur 42/', ':61:1402200220D1,00NTRFNONREF//2']));
    const e = f.statements[0]!.entries[0]!;
    expect(e.endToEndId).toBe('123');
    expect(e.remittance).toBe('Factuur 42');
    expect(e.info).toBe('/CNTP/NL32INGB0000012345/INGBNL2A/Jan/Ams///EREF/123//REMI/USTD//Factuur 42/');
    expect(interpret86(['/EREF/AB', 'C//REMI/USTD//x/']).endToEndId).toBe('ABC');
  });

  it('reads an ING structured CUR reference and an RF reference', () => {
    expect(interpret86(['/EREF/NOTPROVIDED//REMI/STRD/CUR/9001123412341234/']).structuredRef).toEqual({ issuer: 'CUR', value: '9001123412341234' });
    expect(interpret86(['/EREF/NOTPROVIDED//REMI/STRD/ISO/RF18539007547034/']).structuredRef).toEqual({ issuer: 'ISO', value: 'RF18539007547034' });
    expect(interpret86(['/EREF/NOTPROVIDED//REMI/STRD/CUR/9001123412341234/']).endToEndId).toBeNull();
  });

  it('reads a Rabobank CDTRREF reference', () => {
    const i = interpret86(['/EREF/123456789/BENM//NAME/Belastingdienst/REMI//CDTRREFTP//CD/SC', 'OR/ISSR/CUR/CDTRREF/1234567899874563/ISDT/2013-12-27']);
    expect(i).toMatchObject({ structuredRef: { issuer: 'CUR', value: '1234567899874563' }, counterpartyName: 'Belastingdienst', endToEndId: '123456789', remittance: '' });
  });

  it('reads an ABN AMRO /TRTP/ line', () => {
    const i = interpret86(['/TRTP/SEPA OVERBOEKING/IBAN/NL57INGB0001212121/BIC/INGBNL2A/NAME/CAFE MON AMI/REMI/897789005/EREF/NOTPROVIDED']);
    expect(i).toEqual({
      counterpartyName: 'CAFE MON AMI', counterpartyIban: 'NL57INGB0001212121', counterpartyBic: 'INGBNL2A', structuredRef: null,
      endToEndId: null, mandateId: null, returnReason: null, remittance: '897789005',
    });
    const dd = interpret86(['/TRTP/SEPA INCASSO ALGEMEEN DOORLOPEND/CSID/NL00ZZZ000000000000/NAME/Energie BV/MARF/M-1/REMI/Termijn mei/IBAN/NL02ABNA0123456789/BIC/ABNANL2A/EREF/E2E-9']);
    expect(dd).toMatchObject({ mandateId: 'M-1', endToEndId: 'E2E-9', remittance: 'Termijn mei', counterpartyName: 'Energie BV' });
    const ag = interpret86(['/TRTP/SEPA ACCEPTGIRO/IBAN/NL02ABNA0123456789/BIC/ABNANL2A/NAME/Naam/REMI//REMI/Issuer: CUR Ref: 1234567812345678/EREF/NOTPROVIDED']);
    expect(ag.structuredRef).toEqual({ issuer: 'CUR', value: '1234567812345678' });
  });

  it('signs RC/RD reversals the other way and flags them', () => {
    const f = parseOk(msg([':61:1402200220RC5,00NTRFNONREF//A', ':86:/REMI/USTD//terug/', ':61:1402200220RD7,50NTRFNONREF//B', ':61:1402200220C1,00NTRFNONREF//C']));
    const [rc, rd, c] = f.statements[0]!.entries;
    expect(rc).toMatchObject({ cents: -500, reversal: true, entryRef: 'A' });
    expect(rd).toMatchObject({ cents: 750, reversal: true, entryRef: 'B' });
    expect(c).toMatchObject({ cents: 100, reversal: false });
  });

  it('puts the entry date in the right year around New Year', () => {
    expect(entryDate('2014-12-31', '0102')).toBe('2015-01-02');
    expect(entryDate('2015-01-02', '1231')).toBe('2014-12-31');
    expect(entryDate('2015-06-01', '0603')).toBe('2015-06-03');
    const f = parseOk(msg([':61:1412311231C1,00NTRFNONREF//X', ':61:1412310102C1,00NTRFNONREF//Y']));
    expect(f.statements[0]!.entries.map((e) => [e.valueDate, e.bookingDate])).toEqual([['2014-12-31', '2014-12-31'], ['2014-12-31', '2015-01-02']]);
  });

  it('reads several messages in one file as several statements', () => {
    const text = [msg([':61:1402200220C1,00NTRFNONREF//1']), msg([':61:1402200220D1,00NTRFNONREF//2'])].join('\r\n');
    const f = parseOk(text);
    expect(f.statements).toHaveLength(2);
    expect(f.statements.map((s) => s.entries[0]!.cents)).toEqual([100, -100]);
    // without SWIFT blocks: a new :20: starts a new statement (Rabobank)
    const rabo = parseOk(':940:\n:20:A\n:25:NL50RABO0123456789 EUR\n:28C:0\n:60F:C130101EUR000000000010,00\n:62F:C130101EUR000000000010,00\n:20:B\n:25:NL50RABO0123456789\n:60F:C130102EUR000000000010,00\n:61:130102C000000000001,00N541NONREF\nNL82RBOS0602069890\n:62F:C130102EUR000000000011,00\n');
    expect(rabo.statements.map((s) => [s.statementId, s.accountIban, s.entries.length])).toEqual([['A/0', 'NL50RABO0123456789', 0], ['B', 'NL50RABO0123456789', 1]]);
    expect(rabo.statements[1]!.entries[0]!.counterpartyIban).toBe('NL82RBOS0602069890');
  });

  it('reads German ?20 subfields', () => {
    const i = interpret86(['166?00SEPA-UEBERWEISUNG?109310?20EREF+E2E-1?21SVWZ+Rechnung 2024-0', '17?22 Danke?30COBADEFFXXX?31DE89370400440532013000?32Muster GmbH?34997']);
    expect(i).toMatchObject({ endToEndId: 'E2E-1', remittance: 'Rechnung 2024-017 Danke', counterpartyBic: 'COBADEFFXXX', counterpartyIban: 'DE89370400440532013000', counterpartyName: 'Muster GmbH' });
    const plain = interpret86(['020?00Überweisung?20Miete Mai?21Wohnung 3?32Vermieter']);
    expect(plain).toMatchObject({ remittance: 'Miete Mai Wohnung 3', counterpartyName: 'Vermieter' });
  });

  it('rejects a malformed :61: with its line number', () => {
    const r = parseMt940(msg([':61:1402200220C1,00NTRFNONREF//1', ':61:14022X0220C1,00NTRF']));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ code: 'mt940_bad_61', line: 9 });
    expect(r.errors[0]!.message).toContain('line 9');
    const badDate = parseMt940(msg([':61:1402300230C1,00NTRFNONREF//1']));
    expect(!badDate.ok && badDate.errors[0]!.code).toBe('mt940_bad_61');
    const badBalance = parseMt940(':20:X\n:60F:C1402EUR1,00\n');
    expect(!badBalance.ok && badBalance.errors[0]).toMatchObject({ code: 'mt940_bad_balance', line: 2 });
  });

  it('refuses empty input and input without statements', () => {
    for (const empty of ['', '   \r\n', new Uint8Array()]) {
      const r = parseMt940(empty);
      expect(!r.ok && r.errors[0]!.code).toBe('mt940_empty');
    }
    const r = parseMt940('hello\nworld\n');
    expect(!r.ok && r.errors[0]!.code).toBe('mt940_no_statements');
  });

  it('decodes latin1 when the bytes are not UTF-8, UTF-8 otherwise', () => {
    const body = ':20:X\n:25:NL69INGB0123456789\n:60F:C140219EUR1,00\n:61:1402200220C1,00NTRFNONREF//1\n:86:Caf\u00e9 M\u00fcller\n:62F:C140220EUR2,00\n';
    const latin1 = new Uint8Array([...body].map((c) => c.charCodeAt(0)));
    expect(parseOk(latin1).statements[0]!.entries[0]!.remittance).toBe('Café Müller');
    expect(parseOk(new TextEncoder().encode(body)).statements[0]!.entries[0]!.remittance).toBe('Café Müller');
  });

  it('tolerates what banks send: missing type code, lower-case mark, NONREF bank reference; reports a missing :62F:', () => {
    const r = parseMt940(':20:P\n:25:DE1/2\n:60F:C200930EUR10,00\n:61:2009020902D2,00NONREF\n:86:999X\n:61:2009020902c3,00NTRFNONREF//NONREF\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value.statements[0]!;
    expect(s.entries.map((e) => [e.cents, e.bankCode, e.entryRef])).toEqual([[-200, null, null], [300, 'NTRF', null]]);
    expect(s.closingBalance).toBeNull();
    expect(r.warnings.map((w) => w.code).sort()).toEqual(['mt940_lowercase_mark', 'mt940_no_closing_balance', 'mt940_no_type']);
    // the dispatcher refuses such a file unless the user accepts it
    expect(r.warnings.find((w) => w.code === 'mt940_no_closing_balance')).toMatchObject({ line: 6, field: '62F' });
  });

  it('reads the older Rabobank layout: a :940: header line, zero-padded amounts with a decimal point', () => {
    const t = [':940:', ':20:940S030106', ':25:0123456789EUR', ':28C:00000', ':60F:C030106EUR000000000000.00', ':61:030106C000000000127.50N1220987654321 J JANSEN', ':86:FACTUUR 2026-01101', ':61:030106D000000000027.50N0060123456789 KPN', ':86:TELEFOON', ':62F:C030106EUR000000000100.00'].join('\r\n');
    const r = parseMt940(t);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value.statements[0]!;
    expect(s.openingBalance).toEqual({ date: '2003-01-06', cents: 0, currency: 'EUR' });
    expect(s.closingBalance).toEqual({ date: '2003-01-06', cents: 10000, currency: 'EUR' });
    expect(s.entries.map((e) => [e.cents, e.counterpartyName, e.remittance])).toEqual([[12750, 'J JANSEN', 'FACTUUR 2026-01101'], [-2750, 'KPN', 'TELEFOON']]);
    expect(r.warnings.filter((w) => w.code === 'balance_mismatch')).toEqual([]);
  });

  it('free text: a line break after a short line is a space, a wrapped full line is not', () => {
    expect(interpret86(['FACTUUR 201403110, 201403113', 'REK: NL65INGB0123456789/NAAM: PICQER']).remittance).toBe('FACTUUR 201403110, 201403113');
    const long = 'X'.repeat(64);
    expect(interpret86([long, 'YZ']).remittance).toBe(`${long}YZ`);
    expect(interpret86(['kort', 'lang']).remittance).toBe('kort lang');
  });
});

describe('golden directory', () => {
  it('holds no golden without a sample', () => {
    if (!existsSync(GOLDEN)) return;
    const names = new Set(files.map((f) => `${basename(f)}.json`));
    expect(readdirSync(GOLDEN).filter((g) => !names.has(g))).toEqual([]);
  });
});
