/** `vorder mandates import|list|revoke` as real processes on a PGlite data directory; exit codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun, importLedgerCsv } from '../support/cli.ts';
import { validateXsdFile } from '../support/xsd.ts';

let dir = '';
function vorder(...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, VORDER_USER: 'anna' };
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  return runCli(['--data', join(dir, 'data'), ...args], { env });
}

describe('vorder mandates and vorder collect', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vorder-mandates-cli-'));
    await importLedgerCsv(vorder, dir, 'number,name,type\nD1,Klant Een B.V.,business\nD2,Klant Twee,consumer\n', 'debtor_number,number,issue_date,due_date,amount\nD1,F1,2026-10-01,2026-10-31,121.00\n');
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports all or nothing, lists, revokes', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'debtor_number,mandate_id,signature_date,iban,bic,scheme\nD1,M1,2026-10-01,NL91ABNA0417164300,,CORE\nD2,M2,2026-10-01,NL91ABNA0417164300,,B2B\n');
    const refused = await vorder('mandates', 'import', bad, '--as-of', '2026-12-03');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('line 3');
    expect(refused.stderr).toContain('scheme');
    expect((await vorder('--json', 'mandates', 'list')).json).toEqual([]);

    const good = join(dir, 'good.csv');
    writeFileSync(good, 'debtor_number,mandate_id,signature_date,iban,bic,scheme\nD1,M1,2026-10-01,NL91ABNA0417164300,ABNANL2A,B2B\nD2,M2,2026-10-01,NL44RABO0123456789,,CORE\n');
    const ok = await vorder('mandates', 'import', good, '--as-of', '2026-12-03');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('2 mandate(s) imported');
    const list = await vorder('mandates', 'list', '--as-of', '2026-12-03');
    expect(list.stdout).toContain('NL44 RABO 0123 4567 89');
    const json = await vorder('--json', 'mandates', 'list', '--debtor', 'D1', '--as-of', '2026-12-03');
    expect(json.json).toEqual([expect.objectContaining({ mandateId: 'M1', scheme: 'B2B', state: { status: 'active', lapsesAfter: '2029-10-01' } })]);
    const revoked = await vorder('mandates', 'revoke', String(json.json[0].id), '--date', '2026-12-03');
    expect(revoked.stdout).toContain('mandate M1 revoked from 2026-12-03');
  });

  it('collect: refuses a date inside the lead time and writes no file; then writes an XSD-valid pain.008', async () => {
    const file = join(dir, 'batch.xml');
    const again = join(dir, 'again.csv'); // M1 of D1 was revoked above: a new mandate
    writeFileSync(again, 'debtor_number,mandate_id,signature_date,iban,bic,scheme\nD1,M3,2026-10-01,NL91ABNA0417164300,,CORE\n');
    expect((await vorder('mandates', 'import', again, '--as-of', '2026-12-03')).code).toBe(0);
    const none = await vorder('collect', '--date', '2026-12-08', '--out', file, '--as-of', '2026-12-03');
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('creditor identifier');
    expect((await vorder('admin', 'set', '--creditor-id', 'NL06ZZZ503992920000', '--iban', 'NL20INGB0001234567')).code).toBe(0);
    const early = await vorder('collect', '--date', '2026-12-03', '--out', file, '--as-of', '2026-12-03');
    expect(early.code).toBe(4);
    expect(early.stderr).toContain('earliest is 2026-12-04');
    expect(existsSync(file)).toBe(false);
    const r = await vorder('--json', 'collect', '--date', '2026-12-08', '--out', file, '--as-of', '2026-12-03', '--format', 'pain.008.001.02');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ messageId: expect.stringMatching(/^VRD-\d+-DD-1$/), count: 1, controlSum: '121.00', format: 'pain.008.001.02', file });
    expect(validateXsdFile(file, 'pain.008.001.02')).toMatchObject({ ok: true, output: '' });
    expect(readFileSync(file, 'utf8')).toContain('<EndToEndId>F1-B1</EndToEndId>');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const list = await vorder('--json', 'collect', 'batches');
    expect(list.json.map((b: { txCount: number }) => b.txCount)).toEqual([1]);
  });
});
