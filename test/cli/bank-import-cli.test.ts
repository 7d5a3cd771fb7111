/**
 * `vorder import statement` as a real process on a PGlite data directory: a statement that does not
 * add up is refused (exit code, file, line and field) and imported with --accept-unbalanced; a CSV
 * layout no bank uses is read with --map.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun, importLedgerCsv } from '../support/cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir = '';
function vorder(...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, VORDER_USER: 'anna' };
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  return runCli(['--data', join(dir, 'data'), ...args], { env, cwd: dir });
}

const UNBALANCED = [':20:STMT', ':25:NL91ABNA0417164300', ':28C:1', ':60F:C261120EUR100,00', ':61:2611201120C121,00NTRFNONREF//B1', ':86:/CNTP/NL44RABO0123456789/RABONL2U/Klant Een//REMI/USTD//F1/', ':62F:C261120EUR999,00', '-'].join('\r\n');

describe('vorder import statement', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vorder-bank-cli-'));
    await importLedgerCsv(vorder, dir, 'number,name,type\nD1,Klant Een B.V.,business\n', 'debtor_number,number,issue_date,due_date,amount\nD1,F1,2026-10-01,2026-10-31,121.00\nD1,F2,2026-10-01,2026-10-31,50.00\n');
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a statement that does not add up, and imports it with --accept-unbalanced', async () => {
    writeFileSync(join(dir, 'x.940'), UNBALANCED);
    const refused = await vorder('import', 'statement', join(dir, 'x.940'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/x\.940: statement at line 1: .*closing balance :62F: is 999\.00.*--accept-unbalanced/);
    const ok = await vorder('--json', 'import', 'statement', join(dir, 'x.940'), '--accept-unbalanced');
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ entries: 1, newEntries: 1, warnings: expect.arrayContaining([expect.objectContaining({ code: 'balance_mismatch' })]) });
  }, 120_000);

  it('reads any other CSV with --map', async () => {
    writeFileSync(join(dir, 'eigen.csv'), 'Boekdatum;Bedrag;Naam;Rekening;Omschrijving;Eigen rekening\r\n20-11-2026;50,00;Klant Een;NL44RABO0123456789;factuur F2;NL91ABNA0417164300\r\n');
    const refused = await vorder('import', 'statement', join(dir, 'eigen.csv'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--map/);
    const ok = await vorder('--json', 'import', 'statement', join(dir, 'eigen.csv'), '--map', 'date=Boekdatum,amount=Bedrag,name=Naam,iban=Rekening,description=Omschrijving,account=Eigen rekening,decimal=comma');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toMatchObject({ format: 'bank-csv', entries: 1, newEntries: 1 });
  }, 120_000);
});
