/** `vorder connect moneybird`, `vorder connections`, `vorder sync` as real processes on a PGlite data directory against the Moneybird fake. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../support/cli.ts';
import { startMoneybird, type MoneybirdFake } from '../support/fakes/moneybird.ts';

let dir = '';
let mb: MoneybirdFake;
function vorder(...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, VORDER_USER: 'anna' };
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  delete env.VORDER_SECRET_KEY;
  return runCli(['--data', join(dir, 'data'), ...args], { env });
}

describe('vorder connect, connections, sync', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vorder-connect-cli-'));
    mb = await startMoneybird({ now: () => Date.now() });
    const c = mb.addContact(7);
    mb.addInvoice(c, 1);
    mb.addInvoice(c, 2);
  });
  afterAll(async () => {
    await mb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects, syncs, lists without the token, and says what is wrong', async () => {
    const bad = await vorder('connect', 'moneybird', '--token', 'wrong', '--administration', mb.administrationId, '--base-url', mb.url);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/Moneybird refused/);
    const ok = await vorder('connect', 'moneybird', '--token', mb.token, '--administration', mb.administrationId, '--base-url', mb.url);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('connected: Moneybird (connection 1)');
    expect(existsSync(join(dir, 'data', 'secret.key'))).toBe(true); // the key file sits in the data directory
    const sync = await vorder('sync');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('connection 1: done (debtorsCreated 1, itemsCreated 2)');
    const list = await vorder('connections');
    expect(list.stdout).toContain('Moneybird');
    expect(list.stdout).toContain('incremental');
    const json = await vorder('--json', 'connections');
    expect(json.stdout).not.toContain(mb.token);
    expect((json.json as { hasSecret: boolean; lastCounts: Record<string, number> }[])[0]).toMatchObject({ hasSecret: true, lastCounts: { itemsCreated: 2 } });
    expect((await vorder('connections', 'pause', '1')).code).toBe(0);
    expect((await vorder('sync')).stdout).toContain('no active connections');
    expect((await vorder('connections', 'pause', 'x')).code).toBe(4);
  }, 240_000);
});
