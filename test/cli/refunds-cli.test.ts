/** `vorder refunds list|propose|approve|export` as real processes on a PGlite data directory: the trusted operator approves, the file is XSD-valid, a refused export writes no file. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

describe('vorder refunds', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vorder-refunds-cli-'));
    await importLedgerCsv(vorder, dir, 'number,name,type,iban\nD1,Klant Een B.V.,business,NL44RABO0123456789\nD2,Klant Twee,consumer,\n',
      'debtor_number,number,issue_date,due_date,amount\nD1,F1,2026-10-01,2026-10-31,100.00\nD1,C1,2026-11-01,2026-11-01,-160.00\nD2,C2,2026-11-01,2026-11-01,-20.00\n');
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists candidates, proposes, approves (trusted operator) and exports an XSD-valid pain.001', async () => {
    const cand = await vorder('--json', 'refunds', 'list', '--candidates');
    expect(cand.json.map((c: { debtorNumber: string; creditCents: number }) => [c.debtorNumber, c.creditCents])).toEqual([['D1', 6000], ['D2', 2000]]);
    const bad = await vorder('refunds', 'propose', '--debtor', 'D2', '--iban', 'NL12BANK0000000000');
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('iban');
    const p = await vorder('--json', 'refunds', 'propose');
    expect(p.code, p.stderr).toBe(0);
    expect(p.json.proposed.map((r: { debtorNumber: string; amountCents: number }) => [r.debtorNumber, r.amountCents])).toEqual([['D1', 6000]]);
    expect(p.json.skipped).toEqual([expect.objectContaining({ debtorNumber: 'D2', reason: 'no_iban' })]);
    const file = join(dir, 'terug.xml');
    const ok = await vorder('refunds', 'approve', String(p.json.proposed[0].id));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('approved');
    const wrong = await vorder('refunds', 'export', '--out', file, '--format', 'pain.001.001.99');
    expect(wrong.code).toBe(2);
    const noIban = await vorder('refunds', 'export', '--out', file); // the administration has no account to pay from yet
    expect(noIban.code).toBe(4);
    expect(noIban.stderr).toContain('IBAN');
    expect(existsSync(file)).toBe(false);
    expect((await vorder('admin', 'set', '--iban', 'NL20INGB0001234567')).code).toBe(0);
    const x = await vorder('--json', 'refunds', 'export', '--out', file);
    expect(x.code, x.stderr).toBe(0);
    expect(x.json).toMatchObject({ count: 1, controlSum: '60.00', format: 'pain.001.001.09' });
    expect(validateXsdFile(file, 'pain.001.001.09').output).toBe('');
    const list = await vorder('refunds', 'list');
    expect(list.stdout).toContain('exported');
  }, 400_000);
});
