/**
 * Uploading bank statements over HTTP, in-process, on both engines: a large CAMT.053 (130,000
 * entries) goes through in one piece; a file that does not add up is refused with line and field
 * unless `acceptUnbalanced=true`; an upload over the statement limit is a 413; XML nested
 * thousands of levels deep is refused with its position.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { anAdministration, utf8 } from '../support/builders.ts';
import { authed, type Authed } from '../support/auth.ts';
import { createApp } from '../../src/http/app.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { MAX_STATEMENT_BYTES } from '../../src/formats/statement.ts';
import { MAX_XML_DEPTH } from '../../src/formats/xml-tokenizer.ts';
import { readFileSync } from 'node:fs';
import type { BankEntry } from '../../src/domain/bank-statement.ts';

const OUR_IBAN = 'NL91ABNA0417164300';

function entries(n: number): BankEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    entryRef: `R${i}`, txIndex: 0, txCount: 1, bookingDate: '2026-11-20', valueDate: '2026-11-20', cents: 1000 + (i % 500), currency: 'EUR', reversal: false,
    counterpartyName: `Klant ${i % 977}`, counterpartyIban: null, counterpartyBic: null, structuredRef: null, endToEndId: null, mandateId: null, remittance: `betaling ${i}`, bankCode: null, returnReason: null, info: null,
  }));
}

function camt(list: BankEntry[], closingDelta = 0): Uint8Array {
  const total = list.reduce((s, e) => s + e.cents, 0);
  return utf8(writeCamt053({ statementId: `S${list.length}-${closingDelta}`, accountIban: OUR_IBAN, currency: 'EUR', openingBalance: { date: '2026-11-20', cents: 0, currency: 'EUR' }, closingBalance: { date: '2026-11-20', cents: total + closingDelta, currency: 'EUR' }, entries: list }));
}

describe('the statement upload limit', () => {
  it('is the one the documentation gives', () => {
    const doc = readFileSync('docs/security.md', 'utf8');
    expect(doc).toContain(`bank statements to ${MAX_STATEMENT_BYTES / 1024 / 1024} MiB (\`MAX_STATEMENT_BYTES\``);
    expect(doc).toContain(`at most ${MAX_XML_DEPTH} levels deep`);
  });
});

describe.each(ENGINES)('bank statement upload API on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let A = 0;
  let user: Authed;
  const upload = (content: Uint8Array, query = '') => user.request(`/api/administrations/${A}/statements?filename=s.xml${query}`, { method: 'POST', body: content, headers: { 'content-type': 'application/octet-stream' } });

  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22' });
    A = (await anAdministration(db, { iban: OUR_IBAN })).id;
    user = await authed(app, db, { role: 'owner', adminIds: [A] });
  });
  afterAll(async () => db?.drop());

  it('refuses a statement that does not add up, naming line and field, and takes it when accepted', async () => {
    const file = camt(entries(3), 100);
    const r = await upload(file);
    expect(r.status).toBe(422);
    const body = (await r.json()) as { error: { code: string; message: string; problems: { line?: number; field?: string; code: string }[] } };
    expect(body.error.code).toBe('import_rejected');
    expect(body.error.problems[0]).toMatchObject({ code: 'balance_mismatch', line: expect.any(Number), field: expect.stringContaining('Stmt[1]') });
    expect(body.error.message).toMatch(/acceptUnbalanced/);
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bank_lines WHERE administration_id = $1', [A]);
    expect(n!.n).toBe(0);
    const ok = await upload(file, '&acceptUnbalanced=true');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { newEntries: number; warnings: { code: string }[] })).toMatchObject({ newEntries: 3, warnings: expect.arrayContaining([expect.objectContaining({ code: 'balance_mismatch' })]) });
  });

  it('refuses XML nested 5,000 levels deep with its position, and an upload over the statement limit with 413', async () => {
    const deep = utf8(`<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</BkToCstmrStmt></Document>`);
    const r = await upload(deep);
    expect(r.status).toBe(422);
    const body = (await r.json()) as { error: { problems: { code: string; line?: number }[]; message: string } };
    expect(body.error.problems[0]).toMatchObject({ code: 'xml_too_deep', line: 2 });
    expect(body.error.message).toMatch(/line 2, column \d+/);
    const big = new Uint8Array(MAX_STATEMENT_BYTES + 1);
    const tooBig = await upload(big);
    expect(tooBig.status).toBe(413);
  });
});
