/**
 * `vorder backup` / `vorder restore` on the embedded engine (real processes): the restored copy
 * has exactly the same rows in every table (row counts and an md5 over each table's rows in id
 * order); restore refuses a data directory in use or already holding a database (unless --force).
 * Also `vorder users add` (password from VORDER_PASSWORD, never argv) and the first-run link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../support/cli.ts';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/open.ts';
import { seedDemo } from '../../src/app/demo/seed.ts';
import { createSetupToken, login, sha256 } from '../../src/app/auth.ts';
import type { Db } from '../../src/store/db.ts';


function vorder(args: string[], extra: Record<string, string> = {}): Promise<CliRun> {
  const env = { ...process.env, ...extra };
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  return runCli(args, { env });
}

async function contents(db: Db): Promise<Record<string, string>> {
  const tables = await db.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`);
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const hasId = (await db.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'id'`, [t])).length > 0;
    const order = hasId ? 'x.id' : 'x::text';
    const r = await db.query<{ n: number; h: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(x::text, E'\\n' ORDER BY ${order})) AS h FROM "${t}" x`);
    out[t] = `${r[0]!.n} ${r[0]!.h}`;
  }
  return out;
}

describe('vorder backup and restore (embedded)', () => {
  let tmp: string;
  let data: string;
  let original: Record<string, string>;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vorder-backup-'));
    data = join(tmp, 'data');
    const o = await openDatabase({ dataDir: data, command: 'test' });
    await seedDemo(o.db, { asOf: '2026-11-22', debtors: 30, invoices: 200 });
    expect(await createSetupToken(o.db)).toMatch(/.{20,}/);
    await o.close();
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('adds a user from the command line with the password from the environment', async () => {
    const r = await vorder(['--data', data, 'users', 'add', 'Eigenaar@Example.test', '--role', 'owner', '--instance-admin', '--name', 'Eigenaar'], { VORDER_PASSWORD: 'een lang wachtwoord' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/eigenaar@example\.test is owner of ".+" and an instance administrator/);
    const o = await openDatabase({ dataDir: data, command: 'test' });
    try {
      const s = await login(o.db, 'eigenaar@example.test', 'een lang wachtwoord', { ip: null, userAgent: null });
      expect(s.user.isAdmin).toBe(true);
      expect((await o.db.query('SELECT 1 FROM sessions WHERE id = $1', [sha256(s.token)])).length).toBe(1);
      original = await contents(o.db);
    } finally {
      await o.close();
    }
    expect(Number(original.items!.split(' ')[0])).toBeGreaterThan(10);
    expect(Number(original.users!.split(' ')[0])).toBe(1);
  });

  it('backs up, refuses to restore over a database or into a directory in use, and restores an identical copy', async () => {
    const file = join(tmp, 'backup.tar.gz');
    const b = await vorder(['--data', data, 'backup', file]);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(existsSync(file)).toBe(true);

    const over = await vorder(['--data', data, 'restore', file]);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/already holds a database/);

    const copy = join(tmp, 'copy');
    // a directory in use by a running process (this test's own pid holds the lock) is refused
    const busy = join(tmp, 'busy');
    await import('node:fs').then((fs) => fs.mkdirSync(busy));
    writeFileSync(join(busy, 'vorder.lock'), JSON.stringify({ pid: process.pid, command: 'serve', startedAt: new Date().toISOString() }));
    const refused = await vorder(['--data', busy, 'restore', file]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/in use by another Vorder process/);

    const r = await vorder(['--data', copy, 'restore', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = await openDatabase({ dataDir: copy, command: 'test' });
    try {
      expect(await contents(o.db)).toEqual(original);
    } finally {
      await o.close();
    }
    // --force replaces
    const forced = await vorder(['--data', copy, 'restore', '--force', file]);
    expect(forced.code).toBe(0);
  }, 180_000);
});
