import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { readSample, sampleFiles } from '../support/samples.ts';
import { anAdministration } from '../support/builders.ts';
import { importStatement } from '../../src/app/bank.ts';
import { parseStatementFile } from '../../src/formats/statement.ts';

const files = ['camt053', 'mt940', 'coda', 'csv'].flatMap((d) => sampleFiles(`bank/${d}`));

describe.each(ENGINES)('every real bank sample imports on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());

  it('imports each file once, books each entry once, and a second import changes nothing', async () => {
    expect(files.length).toBeGreaterThan(60);
    // One administration for all: several samples share an account, which belongs to one creditor.
    const admin = await anAdministration(db, { iban: null });
    let total = 0;
    for (const f of files) {
      const content = readSample(f);
      const parsed = parseStatementFile(content, basename(f));
      expect(parsed.ok, basename(f)).toBe(true);
      if (!parsed.ok) continue;
      const r = await importStatement(db, admin, { filename: basename(f), content });
      const entries = parsed.value.statements.reduce((n, s) => n + s.entries.length, 0);
      expect(r.entries, basename(f)).toBe(entries);
      expect(r.newEntries + r.duplicateEntries, basename(f)).toBe(entries);
      total += r.newEntries;
      const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bank_lines WHERE administration_id = $1', [admin.id]);
      expect(n!.n, basename(f)).toBe(total);
      const again = await importStatement(db, admin, { filename: basename(f), content });
      expect(again.alreadyImported).toBe(true);
    }
  });
});
