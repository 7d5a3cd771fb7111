/**
 * Black-box tests of the `vorder` command: real processes (`node bin/vorder.js`) on a PGlite data
 * directory, exit codes, JSON output, the data-directory lock; and one run on a PostgreSQL server
 * through DATABASE_URL. The tests share one data directory and run in order (each start ~1–3 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { BIN, ROOT, runCli, type CliRun } from '../support/cli.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPgUrl } from '../support/db.ts';


function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  delete env.VORDER_DEBUG;
  return { ...env, ...extra };
}

function vorder(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<CliRun> {
  return runCli(args, { env, killAfterMs: 60_000 });
}

const BOM = '\uFEFF';
// ';'-separated, a UTF-8 BOM, a comma inside a name
const DEBTORS_CSV =
  BOM +
  'number;name;type;email;iban;language\r\n' +
  'D001;Bakkerij De Korenbloem;business;info@korenbloem.nl;NL91ABNA0417164300;nl\r\n' +
  'D002;Jansen, Installaties;consumer;;;en\r\n' +
  'D003;Zonnepaneel Zuid;;;;\r\n';
// decimal commas with thousands dots, Dutch dates, a credit note; as of 2026-11-22:
const INVOICES_CSV =
  BOM +
  'debtor_number;number;issue_date;due_date;amount;currency;payment_reference\n' +
  'D001;F-1;01-10-2026;15-10-2026;1.234,56;EUR;\n' + // 38 days overdue → 31-60
  'D001;F-2;2026-11-01;2026-12-01;100,00;EUR;\n' + // not due
  'D001;C-1;2026-11-05;2026-11-05;-34,56;EUR;\n' + // credit note, 17 days → 1-30
  'D002;F-3;2026-06-01;2026-07-01;2.000,00;EUR;\n' + // 144 days → >90
  'D002;F-4;2026-09-01;2026-09-15;50,25;EUR;\n' + // 68 days → 61-90
  'D003;F-5;2026-11-20;2026-11-21;10,10;;\n'; // 1 day → 1-30
// the credit note of D001 (-34.56) is in credits, never in an overdue bucket
const AGING_TOTALS = { not_due: '100.00', d1_30: '10.10', d31_60: '1234.56', d61_90: '50.25', over_90: '2000.00', credits: '-34.56', total: '3360.35' };
const BAD_INVOICES_CSV = 'debtor_number,number,issue_date,due_date,amount\nD001,G-1,2026-10-01,2026-10-15,10.00\nD001,G-2,2026-13-01,2026-10-15,10.00\n';

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`timeout waiting for ${pattern}; output so far: ${buf}`)), ms);
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = pattern.exec(buf);
      if (m) {
        clearTimeout(timer);
        res(m[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (buf += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`exited with ${code} before ${pattern}; output: ${buf}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => (child.exitCode !== null || child.signalCode !== null ? res(child.exitCode) : child.once('exit', (code) => res(code))));
}

describe('vorder CLI on an embedded data directory', () => {
  let tmp: string;
  let data: string;
  let server: ChildProcess | null = null;
  const file = (name: string, content: string) => {
    const p = join(tmp, name);
    writeFileSync(p, content);
    return p;
  };
  const cli = (...args: string[]) => vorder(['--data', data, ...args]);

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'vorder-cli-'));
    data = join(tmp, 'data');
  });
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await exited(server);
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('imports debtors and invoices (BOM, ";", decimal commas), once', async () => {
    const d = await cli('--json', 'import', 'debtors', file('debtors.csv', DEBTORS_CSV));
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    expect(d.json).toMatchObject({ kind: 'debtors', filename: 'debtors.csv', alreadyImported: false, rows: 3, created: 3, updated: 0 });

    const i = await cli('--json', 'import', 'invoices', file('invoices.csv', INVOICES_CSV));
    expect(i.code).toBe(0);
    expect(i.json).toMatchObject({ kind: 'invoices', alreadyImported: false, rows: 6, created: 6, updated: 0, unchanged: 0 });

    const again = await cli('import', 'invoices', join(tmp, 'invoices.csv'));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/invoices\.csv: imported before \(import #\d+\); nothing changed/);
  }, 180_000);

  it('lists debtors and items as JSON', async () => {
    const d = await cli('--json', 'debtors', 'list');
    expect(d.code).toBe(0);
    expect(d.json.total).toBe(3);
    const byNumber = Object.fromEntries(d.json.rows.map((r: { number: string }) => [r.number, r]));
    expect(byNumber.D001).toMatchObject({ name: 'Bakkerij De Korenbloem', emails: ['info@korenbloem.nl'], ibans: ['NL91ABNA0417164300'], balance: '1300.00', openItems: 3 });
    expect(byNumber.D002).toMatchObject({ name: 'Jansen, Installaties', type: 'consumer', language: 'en', balance: '2050.25' });
    expect(byNumber.D003).toMatchObject({ balance: '10.10' });

    const overdue = await cli('--json', 'items', 'list', '--overdue', '--as-of', '2026-11-22');
    expect(overdue.code).toBe(0);
    expect(overdue.json.rows.map((r: { number: string }) => r.number)).toEqual(['F-3', 'F-4', 'F-1', 'F-5']);
    expect(overdue.json.total).toBe(4);
    expect(overdue.json.rows.find((r: { number: string }) => r.number === 'F-1')).toMatchObject({ amount: '1234.56', issueDate: '2026-10-01', dueDate: '2026-10-15', currency: 'EUR' });

    const d001 = await cli('--json', 'items', 'list', '--debtor', 'D001');
    expect(d001.code).toBe(0);
    expect(d001.json.rows.map((r: { number: string; amount: string }) => [r.number, r.amount])).toEqual([['F-1', '1234.56'], ['C-1', '-34.56'], ['F-2', '100.00']]);
    for (const r of d001.json.rows) expect(r.paymentReference).toMatch(/^\d{16}$/);
  });

  it('exports the filtered lists to CSV and XLSX files', async () => {
    const csv = join(tmp, 'debiteuren.csv');
    const d = await cli('--json', 'debtors', 'export', '--format', 'csv', '--search', 'korenbloem', '--out', csv);
    expect(d.stderr).toBe('');
    expect(d.json).toMatchObject({ file: csv, rows: 1 });
    const lines = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^D001;Bakkerij De Korenbloem;Zakelijk;Normaal;;1300,00;/);
    const xlsx = join(tmp, 'posten.xlsx');
    const i = await cli('--json', 'items', 'export', '--overdue', '--as-of', '2026-11-22', '--out', xlsx);
    expect(i.json).toMatchObject({ rows: 4 });
    expect(readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK'); // a zip: the XLSX container
    const bad = await cli('debtors', 'export', '--format', 'pdf', '--out', join(tmp, 'x.pdf'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be csv or xlsx');
  }, 120_000);

  it('ages the open items with exact amounts', async () => {
    const a = await cli('--json', 'aging', '--as-of', '2026-11-22', '--debtors');
    expect(a.code).toBe(0);
    expect(a.json.asOf).toBe('2026-11-22');
    expect(a.json.totals).toEqual({ ...AGING_TOTALS, byCurrency: { EUR: AGING_TOTALS } });
    const byNumber = Object.fromEntries(a.json.debtors.map((r: { debtorNumber: string }) => [r.debtorNumber, r]));
    expect(byNumber.D001).toMatchObject({ not_due: '100.00', d1_30: '0.00', d31_60: '1234.56', credits: '-34.56', total: '1300.00' });
    expect(byNumber.D002).toMatchObject({ d61_90: '50.25', over_90: '2000.00', total: '2050.25' });
  });

  it('exits 4 on a bad file (line and field on stderr), 3 on a missing file, 2 on an unknown command', async () => {
    const bad = await cli('import', 'invoices', file('bad.csv', BAD_INVOICES_CSV));
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/nothing was imported/);
    expect(bad.stderr).toMatch(/line 3, issue_date: /);
    expect(bad.stdout).toBe('');

    const badJson = await cli('--json', 'import', 'invoices', join(tmp, 'bad.csv'));
    expect(badJson.code).toBe(4);
    expect(badJson.json.error).toMatchObject({ code: 'import_rejected', problems: [expect.objectContaining({ line: 3, field: 'issue_date' })] });

    const missing = await cli('import', 'debtors', join(tmp, 'no-such-file.csv'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no-such-file\.csv does not exist/);

    // option values are checked before they reach SQL (were internal errors, exit 1)
    const limit = await cli('debtors', 'list', '--limit', 'abc');
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit must be a whole number/);
    const asOf = await cli('items', 'list', '--overdue', '--as-of', '2026-02-30');
    expect(asOf.code).toBe(4);
    expect(asOf.stderr).toMatch(/--as-of must be a date/);

    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/i);

    // (nothing from the bad file arrived: the aging totals at the end of this block are unchanged)
  });

  it('requires --admin once there are two administrations', async () => {
    const c = await cli('--json', 'admin', 'create', 'Tweede BV');
    expect(c.code).toBe(0);
    expect(c.json).toMatchObject({ name: 'Tweede BV' });
    const ambiguous = await cli('debtors', 'list');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/--admin/);
    const first = await cli('--admin', '1', '--json', 'debtors', 'list');
    expect(first.code).toBe(0);
    expect(first.json.total).toBe(3);
    const second = await cli('--admin', 'Tweede BV', '--json', 'aging', '--as-of', '2026-11-22');
    expect(second.code).toBe(0);
    expect(second.json.totals.total).toBe('0.00');
    expect((await cli('--admin', 'Derde BV', 'debtors', 'list')).code).toBe(3);
  });

  it('refuses a second process while `serve` holds the data directory, and works again after it stops', async () => {
    const port = await freePort();
    server = spawn(process.execPath, [BIN, '--data', data, 'serve', '--port', String(port)], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await waitForOutput(server, new RegExp(`http://127\\.0\\.0\\.1:${port}`), 60_000);
    // the server answers
    const health = await fetch(`${url}/api/health`).then((r) => r.json());
    expect(health).toEqual({ ok: true, engine: 'pglite' });

    const locked = await cli('--admin', '1', 'debtors', 'list');
    expect(locked.code).toBe(6);
    expect(locked.stderr).toContain(url);
    expect(locked.stderr).toMatch(/in use by another Vorder process/);

    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    server = null;
    expect(existsSync(join(data, 'vorder.lock'))).toBe(false);
    const ok = await cli('--admin', '1', '--json', 'debtors', 'list');
    expect(ok.code).toBe(0);
    expect(ok.json.total).toBe(3);
  }, 240_000); // each CLI call starts a process: slow when CI is busy

  it('takes over a stale lock left by a dead process', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(data, 'vorder.lock'), JSON.stringify({ pid: dead, command: 'import debtors', startedAt: '2026-11-22T10:00:00.000Z' }));
    const r = await cli('--admin', '1', '--json', 'aging', '--as-of', '2026-11-22');
    expect(r.code).toBe(0);
    expect(r.json.totals).toEqual({ ...AGING_TOTALS, byCurrency: { EUR: AGING_TOTALS } });
    expect(existsSync(join(data, 'vorder.lock'))).toBe(false);
  });
});

describe('vorder CLI on a PostgreSQL server (DATABASE_URL)', () => {
  let pgdb: Awaited<ReturnType<typeof freshPgUrl>>;
  let tmp: string;
  beforeAll(async () => {
    pgdb = await freshPgUrl();
    tmp = mkdtempSync(join(tmpdir(), 'vorder-cli-pg-'));
  });
  afterAll(async () => {
    await pgdb?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('imports and ages through the server engine', async () => {
    const env = cleanEnv({ DATABASE_URL: pgdb.url });
    writeFileSync(join(tmp, 'debtors.csv'), DEBTORS_CSV);
    writeFileSync(join(tmp, 'invoices.csv'), INVOICES_CSV);
    // --data points at a directory that must stay untouched: DATABASE_URL wins
    const dataDir = join(tmp, 'unused-data');
    const d = await vorder(['--data', dataDir, '--json', 'import', 'debtors', join(tmp, 'debtors.csv')], env);
    expect(d.code).toBe(0);
    expect(d.json).toMatchObject({ created: 3 });
    const i = await vorder(['--json', 'import', 'invoices', join(tmp, 'invoices.csv')], env);
    expect(i.code).toBe(0);
    expect(i.json).toMatchObject({ created: 6 });
    const a = await vorder(['--json', 'aging', '--as-of', '2026-11-22'], env);
    expect(a.code).toBe(0);
    expect(a.json.totals).toEqual({ ...AGING_TOTALS, byCurrency: { EUR: AGING_TOTALS } });
    expect(existsSync(dataDir)).toBe(false);
  }, 180_000);
});
