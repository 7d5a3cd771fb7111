/**
 * SEPA mandates on both engines: create with validation (IBAN, mandate id rules and uniqueness,
 * B2B for a consumer, future signature), CSV import all or nothing with line numbers, revoke, and
 * the status on a date (expired after 36 months unused).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, utf8 } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import type { Debtor } from '../../src/store/debtors.ts';
import { createMandate, importMandatesCsv, listMandates, revokeMandate } from '../../src/app/mandates.ts';
import { AppError } from '../../src/app/errors.ts';
import { withAdministration } from '../../src/store/tenant.ts';

const TODAY = '2026-12-03';
const IBAN = 'NL44RABO0123456789';

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe.each(ENGINES)('mandates on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let business: Debtor;
  let consumer: Debtor;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { creditorId: 'NL06ZZZ503992920000' });
    business = await aDebtor(db, admin, { number: 'B100' });
    consumer = await aDebtor(db, admin, { number: 'C200', name: 'Jan de Vries', type: 'consumer' });
  });
  afterAll(async () => db.drop());

  it('creates a CORE mandate and lists it as active', async () => {
    const m = await createMandate(db, admin, { debtorId: consumer.id, mandateId: 'MC-1', signatureDate: '2026-11-01', iban: 'nl44 rabo 0123 4567 89', scheme: 'core' }, TODAY, 'tester');
    expect(m).toMatchObject({ mandateId: 'MC-1', iban: IBAN, scheme: 'CORE', recurring: true, status: 'active', debtorNumber: 'C200' });
    expect(m.state).toEqual({ status: 'active', lapsesAfter: '2029-11-01' });
    expect((await listMandates(db, admin, TODAY, { debtorId: consumer.id })).map((x) => x.mandateId)).toEqual(['MC-1']);
  });

  it('refuses bad input naming each field, and writes nothing', async () => {
    const before = (await listMandates(db, admin, TODAY)).length;
    const e = await failure(createMandate(db, admin, { debtorId: consumer.id, mandateId: 'M//1', signatureDate: '2026-12-24', iban: 'NL45RABO0123456789', bic: 'XX', scheme: 'B2B' }, TODAY));
    expect(e.code).toBe('validation');
    expect(e.problems.map((p) => [p.field, p.code])).toEqual([
      ['mandateId', 'mandate_id_slash'],
      ['signatureDate', 'in_future'],
      ['iban', 'invalid_iban'],
      ['bic', 'invalid_bic'],
      ['scheme', 'b2b_consumer'],
    ]);
    const used = await failure(createMandate(db, admin, { debtorId: business.id, mandateId: 'MC-1', signatureDate: '2026-11-01', iban: IBAN, scheme: 'B2B' }, TODAY));
    expect(used.problems).toEqual([expect.objectContaining({ field: 'mandateId', code: 'mandate_id_used' })]);
    const unknown = await failure(createMandate(db, admin, { debtorId: 999999, mandateId: 'MX', signatureDate: '2026-11-01', iban: IBAN, scheme: 'CORE' }, TODAY));
    expect(unknown.problems).toEqual([expect.objectContaining({ field: 'debtorId', code: 'unknown_debtor' })]);
    expect((await listMandates(db, admin, TODAY)).length).toBe(before);
  });

  it('the same mandate id may exist in another administration', async () => {
    const other = await anAdministration(db);
    const d = await aDebtor(db, other, { number: 'B100' });
    await createMandate(db, other, { debtorId: d.id, mandateId: 'MC-1', signatureDate: '2026-11-01', iban: IBAN, scheme: 'B2B' }, TODAY);
    expect((await listMandates(db, other, TODAY)).map((m) => m.scheme)).toEqual(['B2B']);
  });

  it('imports a CSV all or nothing, with line numbers', async () => {
    const bad = [
      'debtor_number,mandate_id,signature_date,iban,bic,scheme',
      'B100,MB-1,2026-10-01,NL91ABNA0417164300,ABNANL2A,B2B',
      'C200,MB-2,01-10-2026,NL91ABNA0417164301,,CORE',
      'C200,MB-3,2026-10-01,NL91ABNA0417164300,,B2B',
      'X999,MB-1,2026-10-01,NL91ABNA0417164300,,CORE',
      'B100,MC-1,2026-10-01,NL91ABNA0417164300,,SEPA',
    ].join('\n');
    const e = await failure(importMandatesCsv(db, admin, { filename: 'm.csv', content: utf8(bad) }, TODAY));
    expect(e.code).toBe('import_rejected');
    expect(e.problems.map((p) => [p.line, p.field, p.code])).toEqual([
      [3, 'iban', 'invalid_iban'],
      [4, 'scheme', 'b2b_consumer'],
      [5, 'debtor_number', 'unknown_debtor'],
      [5, 'mandate_id', 'mandate_id_used'],
      [6, 'scheme', 'invalid_scheme'],
      [6, 'mandate_id', 'mandate_id_used'],
    ]);
    expect((await listMandates(db, admin, TODAY)).map((m) => m.mandateId)).toEqual(['MC-1']);

    const good = 'debtor_number;mandate_id;signature_date;iban;bic;scheme\nB100;MB-1;2026-10-01;NL91ABNA0417164300;ABNANL2A;B2B\nC200;MB-2;01-10-2020;NL91ABNA0417164300;;CORE\n';
    expect(await importMandatesCsv(db, admin, { filename: 'm.csv', content: utf8(good) }, TODAY)).toEqual({ filename: 'm.csv', rows: 2, created: 2 });
    const all = await listMandates(db, admin, TODAY);
    expect(all.map((m) => [m.debtorNumber, m.mandateId, m.bic, m.scheme, m.state.status])).toEqual([
      ['B100', 'MB-1', 'ABNANL2A', 'B2B', 'active'],
      ['C200', 'MB-2', null, 'CORE', 'expired'], // signed 2020, never used: lapsed after 36 months
      ['C200', 'MC-1', null, 'CORE', 'active'],
    ]);
  });

  it('refuses a file without the required columns', async () => {
    const e = await failure(importMandatesCsv(db, admin, { filename: 'x.csv', content: utf8('debtor_number,iban\nB100,NL91ABNA0417164300\n') }, TODAY));
    expect(e.problems.map((p) => p.field)).toEqual(['mandate_id', 'signature_date', 'scheme']);
  });

  it('revokes a mandate once', async () => {
    const [m] = (await listMandates(db, admin, TODAY)).filter((x) => x.mandateId === 'MB-1');
    const r = await revokeMandate(db, admin, m!.id, TODAY, 'tester');
    expect(r).toMatchObject({ status: 'revoked', revokedAt: TODAY, state: { status: 'revoked', since: TODAY } });
    expect((await failure(revokeMandate(db, admin, m!.id, TODAY))).code).toBe('conflict');
    expect((await failure(revokeMandate(db, admin, 999999, TODAY))).code).toBe('not_found');
  });

  it('row-level security: inside a tenant request only this administration\'s mandates', async () => {
    const other = await anAdministration(db);
    const seen = await withAdministration(db, other.id, async (scoped) => scoped.query<{ n: number }>('SELECT count(*)::int AS n FROM mandates'));
    expect(seen[0]!.n).toBe(0);
  });
});
