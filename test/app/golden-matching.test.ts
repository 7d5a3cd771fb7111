/**
 * The golden set (test/fixtures/golden-bank/golden.json): bank lines written the way Dutch banks
 * and payers write them (ING, Rabobank, ABN AMRO, ASN/SNS, Knab, Triodos, bunq; mobile banking,
 * Tikkie, typos, several invoices in one line, references in the wrong field, payments from
 * another account, a factoring company or a parent), each with the allocation that is right.
 * Imported through `importStatement` on both engines (SQL candidate retrieval included) and
 * scored. The floors may only go up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { anAdministration } from '../support/builders.ts';
import { GOLDEN, GOLDEN_IBAN, formatGolden, runGolden } from '../support/golden-bank.ts';

/** Floors: measured on this set, may only go up. */
export const FLOORS = { autoPrecision: 0.998, topSuggestion: 0.9, booked: 0.8 };

describe.each(ENGINES)('matching on the golden set on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());

  it('books only what is right, and the top suggestion is right for what waits for review', async () => {
    const admin = await anAdministration(db, { iban: GOLDEN_IBAN, name: 'Golden B.V.' });
    const s = await runGolden(db, admin);
    console.log(formatGolden(s));
    expect(s.lines).toBe(GOLDEN.lines.length);
    expect(s.autoRight / Math.max(1, s.auto)).toBeGreaterThanOrEqual(FLOORS.autoPrecision);
    expect(s.topRight / Math.max(1, s.review)).toBeGreaterThanOrEqual(FLOORS.topSuggestion);
    expect(s.auto / s.payable).toBeGreaterThanOrEqual(FLOORS.booked);
  });
});
