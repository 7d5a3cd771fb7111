/**
 * A crash or a kill at any moment never sends the same step for the same items twice and never
 * loses one: the run is killed while it plans, and the delivery is killed while it sends; then
 * it all runs again and the received mails are counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, freshPgUrl } from '../support/db.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { openDatabase } from '../../src/store/open.ts';
import { insertAdministration } from '../../src/store/administrations.ts';
import { importDebtorsCsv, importInvoicesCsv } from '../../src/app/imports.ts';
import type { Db } from '../../src/store/db.ts';

const N = 40;

function child(mode: 'send' | 'deliver', env: Record<string, string>): { proc: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/dunning-child.ts', mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  proc.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  proc.stderr!.on('data', (d: Buffer) => lines.push(`stderr: ${d.toString()}`));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, lines, exited };
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(ENGINES)('killing the dunning run on %s', (engine) => {
  let smtp: TestSmtp;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const o = await openDatabase({ command: 'test', ...(env.VORDER_DATA ? { dataDir: env.VORDER_DATA } : { databaseUrl: env.DATABASE_URL }) });
    try {
      return await fn(o.db);
    } finally {
      await o.close();
    }
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    if (engine === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'vorder-kill-'));
      env = { VORDER_DATA: dir, DATABASE_URL: '' };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await freshPgUrl();
      env = { DATABASE_URL: pg.url };
      cleanup = pg.drop;
    }
    await withDb(async (db) => {
      const admin = await insertAdministration(db, { name: 'Kill B.V.', iban: 'NL91ABNA0417164300', addressLine: 'Weg 1', postalCode: '1000 AA', city: 'Amsterdam', email: 'd@kill.nl', settings: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'd@kill.nl' } } });
      const enc = new TextEncoder();
      const debtors = ['number,name,type,email,iban,language', ...Array.from({ length: N }, (_, i) => `K${i},Klant ${i} B.V.,business,k${i}@klant.nl,,nl`)].join('\n');
      const invoices = ['debtor_number,number,issue_date,due_date,amount,currency,payment_reference', ...Array.from({ length: N }, (_, i) => `K${i},FK${i},2026-10-01,2026-10-31,${100 + i}.00,EUR,`)].join('\n');
      await importDebtorsCsv(db, admin, { filename: 'd.csv', content: enc.encode(debtors) });
      await importInvoicesCsv(db, admin, { filename: 'i.csv', content: enc.encode(invoices) });
    });
  });
  afterAll(async () => {
    await smtp.close();
    await cleanup();
  });

  it('a run killed while it plans queues everything or nothing; run again, each step is queued once', async () => {
    const c = child('send', env);
    await until(() => c.lines.includes('ready'));
    await new Promise((r) => setTimeout(r, engine === 'pglite' ? 150 : 40));
    c.proc.kill('SIGKILL');
    await c.exited;
    const partial = await withDb((db) => db.query<{ n: number }>('SELECT count(*)::int AS n FROM dunning_actions'));
    expect([0, N]).toContain(partial[0]!.n);
    const again = child('send', env);
    expect(await again.exited).toBe(0);
    const [counts] = await withDb((db) => db.query<{ a: number; h: number; keys: number }>('SELECT (SELECT count(*) FROM dunning_actions)::int AS a, (SELECT count(*) FROM dunning_history)::int AS h, (SELECT count(DISTINCT dedupe_key) FROM dunning_actions)::int AS keys'));
    expect(counts).toEqual({ a: N, h: 0, keys: N }); // queued, none reached yet: a step counts when delivered
  });

  it('a delivery killed while it sends never sends one twice and loses none', async () => {
    const c = child('deliver', { ...env, PAUSE_MS: '60', LEASE_SECONDS: '1' });
    await until(() => smtp.received.length >= N / 4);
    c.proc.kill('SIGKILL');
    await c.exited;
    await new Promise((r) => setTimeout(r, 1500)); // the killed claim's lease runs out
    const rest = child('deliver', { ...env, LEASE_SECONDS: '1' });
    expect(await rest.exited).toBe(0);
    const received = smtp.received.map((m) => String(m.headers.get('x-vorder-action')));
    expect(new Set(received).size).toBe(received.length); // nothing twice
    const rows = await withDb((db) => db.query<{ id: number; status: string }>('SELECT id, status FROM dunning_actions ORDER BY id'));
    expect(rows).toHaveLength(N);
    for (const r of rows) {
      expect(['sent', 'uncertain']).toContain(r.status); // nothing lost: sent, or flagged for a person
      if (r.status === 'sent') expect(received.filter((x) => x === String(r.id))).toHaveLength(1);
    }
    expect(rows.filter((r) => r.status === 'uncertain').length).toBeLessThanOrEqual(1);
    // exactly the sent ones reached their step
    const [h] = await withDb((db) => db.query<{ n: number }>('SELECT count(*)::int AS n FROM dunning_history'));
    expect(h!.n).toBe(rows.filter((r) => r.status === 'sent').length);
    const again = child('deliver', env);
    expect(await again.exited).toBe(0);
    expect(smtp.received).toHaveLength(received.length);
  });
});
