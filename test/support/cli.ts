/** Runs the `vorder` CLI as a child process, asynchronously (a blocking spawnSync would starve the vitest worker's RPC). */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/vorder.js');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CliRun = { code: number | null; stdout: string; stderr: string; json: any };

/** `env` is the child's whole environment; `cwd` defaults to the project root; `killAfterMs` ends a hung child. */
export function runCli(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; killAfterMs?: number } = {}): Promise<CliRun> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = opts.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : null;
    child.once('error', rej);
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      res({ code, stdout, stderr, json });
    });
  });
}

/** Writes the two CSV files into `dir` and imports them with the given CLI runner; each import must succeed. */
export async function importLedgerCsv(vorder: (...args: string[]) => Promise<CliRun>, dir: string, debtorsCsv: string, invoicesCsv: string): Promise<void> {
  writeFileSync(join(dir, 'd.csv'), debtorsCsv);
  writeFileSync(join(dir, 'i.csv'), invoicesCsv);
  for (const [kind, file] of [['debtors', 'd.csv'], ['invoices', 'i.csv']] as const) {
    const r = await vorder('import', kind, join(dir, file));
    if (r.code !== 0) throw new Error(`vorder import ${kind} exited ${r.code}: ${r.stderr}`);
  }
}
