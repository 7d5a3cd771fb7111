import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { readSample, sampleFiles } from '../support/samples.ts';
import { anAdministration } from '../support/builders.ts';
import { importStatement } from '../../src/app/bank.ts';
import { INTEGRITY_CODES, parseStatementFile } from '../../src/formats/statement.ts';

const files = ['camt053', 'mt940', 'coda', 'csv'].flatMap((d) => sampleFiles(`bank/${d}`));

/**
 * The samples whose balances do not add up, each checked by hand. None of them is unbalanced
 * because of how a bank writes its files: they are specification examples with illustrative
 * amounts, or parser projects' fixtures whose amounts were edited when they were anonymised. So
 * Vorder refuses them by default, and they import only with `acceptUnbalanced`.
 */
export const UNBALANCED_SAMPLES: Record<string, string> = {
  'ch__viafintech__valid_example_with_instdamt.xml': 'schema example: opening 100 CHF + 4500 = 4600, closing 4500',
  'generic__genkgo__camt053.v4.xml': 'library fixture: opening balance in EUR, closing in SEK',
  'ing-nl__viafintech__valid_example_with_batch.xml': 'schema example: closing 23038.20 has no relation to the three entries',
  'rabobank-format__genkgo__camt053.v2.all-balance-types.xml': 'library fixture with balances 1.01, 2.02 … 10.10 of every type',
  'rabobank-format__genkgo__camt053.v2.minimal.xml': 'library fixture: opening balance in EUR, closing in SEK',
  'rabobank-format__genkgo__camt053.v2.with-party-ids.xml': 'library fixture: opening balance in EUR, closing in SEK',
  'vr-bank-de__viafintech__valid_example_with_debit.xml': 'schema example: closing balance written as a credit, 33.06 debit − 10.00 is 43.06 debit',
  'be__php-coda-parser__sample2.cod': 'hand-anonymised: balances of 2022 and 2015 on different accounts, movements of 2017',
  'be__php-coda-parser__sample4.cod': 'hand-anonymised: old and new balance both 99999.99',
  'be__php-coda-parser__sample6.cod': 'hand-anonymised: new balance −500012.10',
  'abnamro__dovadi__MT940_voorbeeldbestanden_abnamro.txt': "ABN AMRO's documentation examples (\"voorbeeldbestanden\"): illustrative balances",
  'abnamro__dovadi__abnamro.txt': 'fixture with entries removed',
  'abnamro__zilverline__abn_sepa_incasso_doorlopend.txt': 'fixture: entry 10,5 against a closing balance 10010,00',
  'abnamro__zilverline__anb_sepa_overboeking_belastingdienst.txt': 'fixture: closing balance 95350,00 for 9350,00',
  'deutschebank__jejik__deutschebank.txt': 'anonymised: balances zeroed',
  'hsbc__php-mt940__sample.sta': 'anonymised: balances zeroed',
  'ing__libmt94x__ming-ing-provided-example-multiple-messages.txt': "ING's documentation example: one entry of 15.00 from 1000.00 to 4882.15",
  'knab__jejik__knab.txt': 'fixture with entries removed from the second statement',
  'rabobank__php-mt940__sample3.sta': 'fixture with entries removed (entry dates of 2013-11 in a statement of 2013-04)',
  'rabobank__zilverline__14aug2014.swi': 'fixture: amounts edited when anonymised',
  'sns__oca__test-sns.940': 'fixture cut off: its last message has an opening balance and no closing balance :62F:',
  'triodos__jejik__triodos.txt': 'fixture: amounts edited when anonymised',
};

/**
 * Samples that name an account number another sample uses in another currency: Citi's USD account
 * "123456789" is not ABN AMRO's example EUR account "123456789". They go to an administration of their own
 * (in one administration the USD entries would be refused on the EUR account, as they should).
 */
const OWN_ADMINISTRATION = new Set(['citi__wolph__mt940.txt']);

describe('which bank samples are unbalanced', () => {
  it('refuses exactly the listed samples by default, naming line and field, and reads them with acceptUnbalanced', () => {
    const refused: string[] = [];
    for (const f of files) {
      const name = basename(f);
      const r = parseStatementFile(readSample(f), name);
      if (r.ok) continue;
      refused.push(name);
      expect(r.errors.every((e) => INTEGRITY_CODES.has(e.code)), name).toBe(true);
      for (const e of r.errors) expect(e.line !== undefined || e.field !== undefined, name).toBe(true);
      expect(parseStatementFile(readSample(f), name, { acceptUnbalanced: true }).ok, name).toBe(true);
    }
    expect(refused.sort()).toEqual(Object.keys(UNBALANCED_SAMPLES).sort());
  });
});

describe.each(ENGINES)('every real bank sample imports on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());

  it('imports each file once, books each entry once, and a second import changes nothing', async () => {
    expect(files.length).toBeGreaterThan(60);
    // One administration for all: several samples share an account, which belongs to one creditor.
    const shared = await anAdministration(db, { iban: null });
    const own = await anAdministration(db, { iban: null, name: 'Citi USD' });
    let total = 0;
    for (const f of files) {
      const content = readSample(f);
      const admin = OWN_ADMINISTRATION.has(basename(f)) ? own : shared;
      const acceptUnbalanced = basename(f) in UNBALANCED_SAMPLES;
      if (acceptUnbalanced) await expect(importStatement(db, admin, { filename: basename(f), content }), basename(f)).rejects.toMatchObject({ code: 'import_rejected' });
      const parsed = parseStatementFile(content, basename(f), { acceptUnbalanced });
      expect(parsed.ok, basename(f)).toBe(true);
      if (!parsed.ok) continue;
      const r = await importStatement(db, admin, { filename: basename(f), content, acceptUnbalanced });
      const entries = parsed.value.statements.reduce((n, s) => n + s.entries.length, 0);
      expect(r.entries, basename(f)).toBe(entries);
      expect(r.newEntries + r.duplicateEntries, basename(f)).toBe(entries);
      if (acceptUnbalanced) expect(r.warnings.some((w) => INTEGRITY_CODES.has(w.code)), basename(f)).toBe(true);
      total += r.newEntries;
      const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bank_lines WHERE administration_id = ANY($1::bigint[])', [[shared.id, own.id]]);
      expect(n!.n, basename(f)).toBe(total);
      const again = await importStatement(db, admin, { filename: basename(f), content, acceptUnbalanced });
      expect(again.alreadyImported).toBe(true);
    }
  });
});
