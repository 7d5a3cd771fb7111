/**
 * kill -9 in the middle of a sync: the process that syncs a Moneybird connection is killed after
 * a few committed pages; the next run resumes after the last committed page (what was applied is
 * not fetched again, beyond the one page in flight) and every invoice ends up exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, freshPgUrl } from '../../support/db.ts';
import { startMoneybird, type MoneybirdFake } from '../../support/fakes/moneybird.ts';
import { openDatabase } from '../../../src/store/open.ts';
import { insertAdministration } from '../../../src/store/administrations.ts';
import { connect, runSync } from '../../../src/app/connectors/connections.ts';
import { buildConnector } from '../../../src/connectors/registry.ts';
import type { Db } from '../../../src/store/db.ts';

process.env.VORDER_SECRET_KEY ??= 'a'.repeat(64);
const INVOICES = 400; // four POST batches of 100

function child(env: Record<string, string>): { proc: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/connector-child.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  proc.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  proc.stderr!.on('data', (d: Buffer) => lines.push(`stderr: ${d.toString()}`));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, lines, exited };
}

async function until(cond: () => boolean, ms = 120_000): Promise<void> {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(ENGINES)('killing a sync on %s', (engine) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let mb: MoneybirdFake;
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const o = await openDatabase({ command: 'test', ...(env.VORDER_DATA ? { dataDir: env.VORDER_DATA } : { databaseUrl: env.DATABASE_URL }) });
    try {
      return await fn(o.db);
    } finally {
      await o.close();
    }
  };

  beforeAll(async () => {
    mb = await startMoneybird({ now: () => Date.now() });
    for (let c = 0; c < 20; c++) {
      const contact = mb.addContact(c);
      for (let i = 0; i < INVOICES / 20; i++) mb.addInvoice(contact, c * (INVOICES / 20) + i + 1);
    }
    if (engine === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'vorder-sync-kill-'));
      env = { VORDER_DATA: dir, DATABASE_URL: '' };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await freshPgUrl();
      env = { DATABASE_URL: pg.url };
      cleanup = pg.drop;
    }
    await withDb(async (db) => {
      const admin = await insertAdministration(db, { name: 'Kill Sync B.V.' });
      const v = await connect(db, admin, { vendor: 'moneybird', baseUrl: mb.url, externalAdmin: mb.administrationId, secret: { token: mb.token } }, buildConnector);
      env.ADMIN_ID = String(admin.id);
      env.CONNECTION_ID = String(v.id);
    });
  });
  afterAll(async () => {
    await mb.close();
    await cleanup();
  });

  it('resumes after the last committed page and applies every invoice once', async () => {
    mb.delayMs = 150;
    const c = child(env);
    // pages: contacts list, contacts fetch, invoices list, then invoice batches: kill after the 2nd batch
    await until(() => c.lines.includes('page 5') || c.lines.some((l) => l.startsWith('stderr')));
    c.proc.kill('SIGKILL');
    await c.exited;
    expect(c.lines.filter((l) => l.startsWith('stderr'))).toEqual([]);
    const partial = await withDb((db) => db.query<{ n: number }>('SELECT count(*)::int AS n FROM items'));
    expect(partial[0]!.n).toBeGreaterThanOrEqual(200);
    expect(partial[0]!.n).toBeLessThan(INVOICES);
    const postedBefore = mb.log.filter((l) => l.method === 'POST' && l.path.includes('sales_invoices')).flatMap((l) => l.ids ?? []);
    const logAt = mb.log.length;
    mb.delayMs = 0;
    const r = await withDb((db) => runSync(db, Number(env.ADMIN_ID), Number(env.CONNECTION_ID), buildConnector));
    expect(r.status).toBe('done');
    const after = mb.log.slice(logAt);
    expect(after.some((l) => l.method === 'GET')).toBe(false); // resumed inside the sync, not started again
    const refetched = after.filter((l) => l.method === 'POST').flatMap((l) => l.ids ?? []).filter((id) => postedBefore.includes(id));
    expect(refetched.length).toBeLessThanOrEqual(100); // at most the page that was in flight
    const [counts] = await withDb((db) => db.query<{ items: number; created: number; records: number }>(
      `SELECT (SELECT count(*) FROM items)::int AS items, (SELECT count(*) FROM events WHERE kind = 'item_created')::int AS created,
              (SELECT count(*) FROM connection_records WHERE kind = 'item')::int AS records`));
    expect(counts).toEqual({ items: INVOICES, created: INVOICES, records: INVOICES });
  });
});
