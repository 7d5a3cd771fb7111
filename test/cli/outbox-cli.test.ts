/**
 * `vorder dun`, `vorder outbox` and `vorder next` as real processes: without a mail server a run
 * sends nothing and says so; with one it reports per state; paper letters are printed as one batch
 * and marked posted; one debtor's next step is previewed and sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun, importLedgerCsv } from '../support/cli.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

let dir = '';
let smtp: TestSmtp;
function vorder(mail: boolean, ...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, VORDER_USER: 'anna' };
  if (mail) env.VORDER_SMTP_URL = `smtp://127.0.0.1:${smtp.port}?from=debiteuren%40example.nl`;
  else delete env.VORDER_SMTP_URL;
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  return runCli(['--data', join(dir, 'data'), ...args], { env, cwd: dir });
}

describe('vorder dun / outbox / next', () => {
  beforeAll(async () => {
    smtp = await startSmtp();
    dir = mkdtempSync(join(tmpdir(), 'vorder-outbox-cli-'));
    await importLedgerCsv((...a) => vorder(false, ...a), dir, 'number,name,type,email,address,postal_code,city\nD1,Klant Een B.V.,business,ap@een.nl,Dorpsstraat 1,3511 AB,Utrecht\nD2,Klant Twee B.V.,business,,Kerkstraat 2,2345 BC,Delft\nD3,Klant Drie B.V.,business,drie@example.nl,Laan 3,1234 AB,Zeist\n', 'debtor_number,number,issue_date,due_date,amount\nD1,F1,2026-10-01,2026-10-31,121.00\nD2,F2,2026-10-05,2026-11-04,300.00\nD3,F3,2026-10-05,2026-11-04,99.99\n');
    expect((await vorder(false, 'admin', 'set', '--iban', 'NL91ABNA0417164300', '--address', 'Weg 1', '--postal-code', '1000 AA', '--city', 'Amsterdam')).code).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without a mail server a run sends no e-mail and says so; the letter goes to print and is posted as a batch', async () => {
    const r = await vorder(false, 'dun', '--as-of', '2026-11-22', '--override', '--debtor', 'D1', 'D2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 te printen/);
    expect(r.stdout).toMatch(/1 e-mail niet verstuurd: er is geen mailserver ingesteld/);
    expect(smtp.received).toHaveLength(0);
    const list = await vorder(false, '--json', 'outbox', 'list');
    expect(list.json.rows).toEqual([expect.objectContaining({ debtorNumber: 'D2', delivery: 'paper', status: 'to_print' })]);
    const runId = String(list.json.rows[0].runId);
    const printed = await vorder(false, 'outbox', 'print', runId, '--out', 'brieven.pdf');
    expect(printed.code).toBe(0);
    expect(readFileSync(join(dir, 'brieven.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await vorder(false, 'outbox', 'posted', runId, '--on', '2026-11-22')).stdout).toMatch(/1 brief\/brieven gepost/);
    expect((await vorder(false, '--json', 'outbox', 'list', '--status', 'posted')).json.total).toBe(1);
  }, 240_000);

  it('with a mail server: next --preview shows the mail, next sends it and says what the server answered', async () => {
    const p = await vorder(true, 'next', 'D3', '--preview', '--as-of', '2026-11-22', '--override', '--pdf', 'volgende.pdf');
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/e-mail → drie@example.nl/);
    expect(p.stdout).toContain('F3');
    expect(readFileSync(join(dir, 'volgende.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(smtp.received).toHaveLength(0);
    const s = await vorder(true, 'next', 'D3', '--as-of', '2026-11-22', '--override');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/1 verzonden/);
    expect(s.stdout).toMatch(/250/);
    expect(smtp.received).toHaveLength(1);
  }, 240_000);
});
