/**
 * Bank CSV reader: every sample under ../shared/samples/bank/csv/ against a golden JSON
 * (test/formats/golden/bank-csv/<sample file name>.json; regenerate with UPDATE_GOLDEN=1),
 * hand-checked values, and unit tests for the CSV details (quotes, BOM, decimal comma, mappings).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBankCsv, parseBankCsvMap, detectBankCsvMapping, ASN_CSV_MAPPING, type BankCsvMapping } from '../../src/formats/bank-csv.ts';
import type { StatementFile } from '../../src/domain/bank-statement.ts';
import { sampleFiles, readSample } from '../support/samples.ts';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'bank-csv');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const files = sampleFiles('bank/csv');

function ok(input: string | Uint8Array, mapping?: BankCsvMapping): StatementFile {
  const r = parseBankCsv(input, mapping);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('parseBankCsv on every sample file (golden)', () => {
  for (const file of files) {
    const name = basename(file);
    it(name, () => {
      const r = parseBankCsv(readSample(file));
      expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
      const golden = join(GOLDEN, `${name}.json`);
      const json = JSON.stringify(r, null, 2) + '\n';
      if (UPDATE) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, json);
      } else {
        expect(existsSync(golden), `no golden for ${name}: run with UPDATE_GOLDEN=1`).toBe(true);
        expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
      }
    });
  }

  it('ASN (headerless): amounts, signs, dates, sequence numbers, running balance', () => {
    const f = ok(readSample(files.find((f) => basename(f).startsWith('asn__'))!));
    expect(f.statements).toHaveLength(1);
    const s = f.statements[0]!;
    expect(s.accountIban).toBe('NL00ASNB9999999999');
    expect(s.entries).toHaveLength(11);
    expect(s.entries.map((e) => e.cents)).toEqual([22377, -20000, -220, 50315, -2295, -40000, -14797, 256000, -100000, -100000, -56000]);
    expect(s.entries[0]).toMatchObject({ entryRef: '51392971', bookingDate: '2022-06-17', counterpartyIban: 'NL99ASNB0000000000', counterpartyName: 'XXXXXXXXX Z Z Z Z', bankCode: 'NGM' });
    expect(s.entries[2]).toMatchObject({ counterpartyIban: null, counterpartyName: null, remittance: 'Kosten gebruik betaalrekening inclusief 1 betaalpas' });
    expect(s.entries[3]!.entryRef).toBeNull(); // sequence number 00000000 counts as absent
    expect(s.entries[5]).toMatchObject({ bookingDate: '2022-06-28', valueDate: '2022-06-28' }); // journal date 29-06 is not used
    // Balance before the first row 130.44; after the last 644.24 − 560.00 = 84.24; the running balance chains on every row.
    expect(s.openingBalance).toEqual({ date: '2022-06-17', cents: 13044, currency: 'EUR' });
    expect(s.closingBalance).toEqual({ date: '2022-07-11', cents: 8424, currency: 'EUR' });
    expect(s.openingBalance!.cents + s.entries.reduce((n, e) => n + e.cents, 0)).toBe(s.closingBalance!.cents);
  });

  it('ING: Af/Bij sign, decimal comma, YYYYMMDD, value date from the description', () => {
    const f = ok(readSample(files.find((f) => basename(f).startsWith('ing__'))!));
    const s = f.statements[0]!;
    expect(s.accountIban).toBe('NL99INGB9999999999');
    expect(s.entries.map((e) => e.cents)).toEqual([-125, 125, 0, 2000, -31, -31]);
    expect(s.entries[3]).toMatchObject({ bookingDate: '2019-12-13', valueDate: '2019-12-13', counterpartyName: 'PAULISSEN G J L M', counterpartyIban: 'NL99ASNB9999999999', bankCode: 'OV', entryRef: null });
    expect(s.openingBalance).toBeNull();
  });
});

describe('detectBankCsvMapping', () => {
  it('recognises ING, ASN and Rabobank layouts and nothing else', () => {
    expect(detectBankCsvMapping('"Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij","Bedrag (EUR)","MutatieSoort","Mededelingen"\n')?.name).toBe('ing');
    const semi = detectBankCsvMapping('\uFEFF"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";"Bedrag (EUR)";"Mutatiesoort";"Mededelingen";"Saldo na mutatie";"Tag"\n');
    expect(semi).toMatchObject({ name: 'ing', balanceAfter: 'Saldo na mutatie' });
    expect(detectBankCsvMapping('17-06-2022,NL00ASNB9999999999,NL99ASNB0000000000,X,,,,EUR,130.44,EUR,223.77,17-06-2022,17-06-2022,2754,NGM,51392971,,,26\n')?.name).toBe('asn');
    expect(detectBankCsvMapping('"IBAN/BBAN","Munt","BIC","Volgnr","Datum","Rentedatum","Bedrag","Saldo na trn"\n')?.name).toBe('rabobank');
    expect(detectBankCsvMapping('a,b,c\n1,2,3\n')).toBeNull();
  });
});

describe('unit', () => {
  const mapping: BankCsvMapping = { header: true, date: 'Date', amount: 'Amount', counterpartyName: 'Name', description: 'Text', reference: 'Id' };

  it('reads quoted fields with separators, doubled quotes and newlines inside', () => {
    const f = ok('Date;Amount;Name;Text;Id\n2024-01-02;"1.234,56";"Jansen; Zn";"regel 1\nregel 2 ""quoted""";T1\n2024-01-03;-5,00;B;x;T2\n', mapping);
    const [a, b] = f.statements[0]!.entries;
    expect(a).toMatchObject({ cents: 123456, counterpartyName: 'Jansen; Zn', remittance: 'regel 1 regel 2 "quoted"', entryRef: 'T1', bookingDate: '2024-01-02' });
    expect(b).toMatchObject({ cents: -500, entryRef: 'T2' });
  });

  it('strips a BOM (text and bytes) and detects tab separators', () => {
    const text = '\uFEFFDate\tAmount\tName\tText\tId\n02-01-2024\t12,50\tA\tB\tX\n';
    expect(ok(text, mapping).statements[0]!.entries[0]!.cents).toBe(1250);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Date,Amount,Name,Text,Id\n2024-01-02,"7,5",A,B,X\n')]);
    expect(ok(bytes, mapping).statements[0]!.entries[0]).toMatchObject({ cents: 750, bookingDate: '2024-01-02' });
  });

  it('reads a decimal comma and a sign column, debit/credit columns, and columns by index', () => {
    const signed = ok('Datum;Bedrag;Af Bij\n20240102;0,99;Af\n20240103;1.000,00;Bij\n', { header: true, date: 'Datum', amount: 'Bedrag', sign: 'Af Bij', decimal: ',' });
    expect(signed.statements[0]!.entries.map((e) => e.cents)).toEqual([-99, 100000]);
    const dc = ok('d,debit,credit\n2024-01-02,12.00,\n2024-01-03,,3.5\n', { header: true, date: 'd', debit: 'debit', credit: 'credit' });
    expect(dc.statements[0]!.entries.map((e) => e.cents)).toEqual([-1200, 350]);
    const idx = ok('2024-01-02;-2,5;NL91ABNA0417164300\n', { header: false, date: 0, amount: 1, counterpartyIban: 2 });
    expect(idx.statements[0]!.entries[0]).toMatchObject({ cents: -250, counterpartyIban: 'NL91ABNA0417164300' });
  });

  it('groups rows per own account and reads structured references', () => {
    const f = ok('Datum,Rekening,Bedrag,Kenmerk\n2024-01-02,NL91ABNA0417164300,1.00,1234567812345678\n2024-01-02,NL20INGB0001234567,2.00,RF18539007547034\n', {
      header: true, date: 'Datum', ownAccount: 'Rekening', amount: 'Bedrag', structuredReference: 'Kenmerk',
    });
    expect(f.statements.map((s) => s.accountIban)).toEqual(['NL91ABNA0417164300', 'NL20INGB0001234567']);
    expect(f.statements[0]!.entries[0]!.structuredRef).toEqual({ issuer: 'CUR', value: '1234567812345678' });
    expect(f.statements[1]!.entries[0]!.structuredRef).toEqual({ issuer: 'ISO', value: 'RF18539007547034' });
  });

  it('takes opening/closing from a balance-after column in newest-first order (ING with Saldo na mutatie)', () => {
    const csv = '"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";"Bedrag (EUR)";"Mutatiesoort";"Mededelingen";"Saldo na mutatie";"Tag"\n' +
      '"20240105";"B";"NL20INGB0001234567";"";"GT";"Af";"10,00";"x";"y";"90,00";""\n' +
      '"20240104";"A";"NL20INGB0001234567";"";"GT";"Bij";"50,00";"x";"y";"100,00";""\n';
    const s = ok(csv).statements[0]!;
    expect(s.openingBalance).toEqual({ date: '2024-01-04', cents: 5000, currency: 'EUR' });
    expect(s.closingBalance).toEqual({ date: '2024-01-05', cents: 9000, currency: 'EUR' });
  });

  it('names line and column in errors', () => {
    const bad = parseBankCsv('Date,Amount,Name,Text,Id\n2024-01-02,1.00,A,B,X\n2024-01-03,abc,A,B,X\n', mapping);
    expect(!bad.ok && bad.errors[0]).toMatchObject({ code: 'bank_csv_bad_value', line: 3, column: 2 });
    const date = parseBankCsv('Date,Amount,Name,Text,Id\n2024-13-02,1.00,A,B,X\n', mapping);
    expect(!date.ok && date.errors[0]).toMatchObject({ line: 2, column: 1 });
    const unclosed = parseBankCsv('Date,Amount,Name,Text,Id\n2024-01-02,1.00,"A,B,X\n', mapping);
    expect(!unclosed.ok && unclosed.errors[0]).toMatchObject({ code: 'csv_unclosed_quote', line: 2, column: 3 });
    const missing = parseBankCsv('Datum,Bedrag\n2024-01-02,1\n', mapping);
    expect(!missing.ok && missing.errors[0]).toMatchObject({ code: 'bank_csv_missing_column', line: 1 });
    const short = parseBankCsv('2024-01-02,1.00\n', ASN_CSV_MAPPING);
    expect(!short.ok && short.errors[0]).toMatchObject({ code: 'bank_csv_short_row', line: 1 });
  });

  it('refuses empty input and an unknown layout without mapping', () => {
    expect(!parseBankCsv('').ok).toBe(true);
    const r = parseBankCsv('a,b\n1,2\n');
    expect(!r.ok && r.errors[0]!.code).toBe('bank_csv_unknown_layout');
  });

  it('decodes latin1 bytes', () => {
    const text = 'Date,Amount,Name,Text,Id\n2024-01-02,1.00,Caf\u00e9,x,1\n';
    const bytes = new Uint8Array([...text].map((c) => c.charCodeAt(0)));
    expect(ok(bytes, mapping).statements[0]!.entries[0]!.counterpartyName).toBe('Café');
  });
});

describe('every Dutch bank CSV layout is recognised by its headers', () => {
  const cases: [string, string, { name: string; cents: number; who: string | null; iban: string | null; text: RegExp }][] = [
    [
      'knab',
      'KNAB EXPORT;;;;;;;;;;;;;;;\r\n"Rekeningnummer";"Transactiedatum";"Valutacode";"CreditDebet";"Bedrag";"Tegenrekeningnummer";"Tegenrekeninghouder";"Valutadatum";"Betaalwijze";"Omschrijving";"Type betaling";"Machtigingsnummer";"Incassant ID";"Adres";"Referentie";"Boekdatum"\r\n"NL12KNAB0123456789";"20-11-2026";"EUR";"C";"121,00";"NL44RABO0123456789";"Bakkerij Jansen";"20-11-2026";"Overboeking";"factuur 2026-01101";"";"";"";"";"C6K20ABCDEF";"20-11-2026"\r\n',
      { name: 'knab', cents: 12100, who: 'Bakkerij Jansen', iban: 'NL44RABO0123456789', text: /2026-01101/ },
    ],
    [
      'abnamro-tab',
      '417164300\tEUR\t20261120\t1.000,00\t1.121,00\t20261120\t121,00\t/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/BAKKERIJ JANSEN/REMI/FACTUUR 2026-01101/EREF/NOTPROVIDED\r\n',
      { name: 'abnamro-tab', cents: 12100, who: 'BAKKERIJ JANSEN', iban: 'NL44RABO0123456789', text: /FACTUUR 2026-01101/ },
    ],
    [
      'triodos',
      '20-11-2026,NL55TRIO0212345678,"121,00",Credit,Bakkerij Jansen,NL44RABO0123456789,ID,factuur 2026-01101,"1.121,00"\r\n',
      { name: 'triodos', cents: 12100, who: 'Bakkerij Jansen', iban: 'NL44RABO0123456789', text: /2026-01101/ },
    ],
    [
      'bunq',
      '"Date";"Interest Date";"Amount";"Account";"Counterparty";"Name";"Description"\r\n"2026-11-20";"2026-11-20";"-12,50";"NL12BUNQ2025555555";"NL44RABO0123456789";"Bakkerij Jansen";"broodjes"\r\n"2026-11-20";"2026-11-20";"121,00";"NL12BUNQ2025555555";"NL44RABO0123456789";"Bakkerij Jansen";"Payment for invoice 2026-01101"\r\n',
      { name: 'bunq', cents: 12100, who: 'Bakkerij Jansen', iban: 'NL44RABO0123456789', text: /2026-01101/ },
    ],
  ];
  for (const [label, text, want] of cases) {
    it(label, () => {
      expect(detectBankCsvMapping(text)?.name).toBe(want.name);
      const r = parseBankCsv(text);
      expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
      if (!r.ok) return;
      const e = r.value.statements.flatMap((s) => s.entries).find((x) => x.cents > 0)!;
      expect(e).toMatchObject({ cents: want.cents, counterpartyName: want.who, counterpartyIban: want.iban, bookingDate: '2026-11-20' });
      expect(e.remittance).toMatch(want.text);
    });
  }

  it('any other layout with a mapping written on the command line (--map)', () => {
    const m = parseBankCsvMap('date=Boekdatum,amount=Bedrag,name=Naam,iban=Rekening,description=Omschrijving+Kenmerk,decimal=comma,dateFormat=DD-MM-YYYY');
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const r = parseBankCsv('Boekdatum;Bedrag;Naam;Rekening;Omschrijving;Kenmerk\r\n20-11-2026;121,00;Jansen;NL44RABO0123456789;factuur;2026-01101\r\n', m.mapping);
    expect(r.ok && r.value.statements[0]!.entries[0]).toMatchObject({ cents: 12100, counterpartyName: 'Jansen', remittance: 'factuur 2026-01101' });
    expect(parseBankCsvMap('amount=Bedrag')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/date=/) } });
  });
});
