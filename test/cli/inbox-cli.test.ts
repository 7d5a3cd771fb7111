/** `vorder inbox mailbox|fetch|list|assign` as real processes on a PGlite data directory, against a real Dovecot. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun, importLedgerCsv } from '../support/cli.ts';
import { startDovecot, type Dovecot } from '../support/dovecot.ts';

let dir = '';
let imap: Dovecot;
function vorder(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, VORDER_USER: 'anna', ...extra };
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  return runCli(['--data', join(dir, 'data'), ...args], { env });
}

describe('vorder inbox', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vorder-inbox-cli-'));
    imap = await startDovecot();
    await importLedgerCsv((...a: string[]) => vorder(a), dir, 'number,name,type,email\nD1,Klant Een B.V.,business,een@klant.example\nD2,Klant Twee,consumer,\n', 'debtor_number,number,issue_date,due_date,amount\nD1,F1,2026-10-01,2026-10-31,121.00\n');
  }, 240_000);
  afterAll(async () => {
    await imap?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets the mailbox, fetches, lists and assigns', async () => {
    const set = await vorder(['inbox', 'mailbox', '--host', imap.host, '--port', String(imap.port), '--user', imap.user, '--no-tls'], { VORDER_IMAP_PASSWORD: imap.password });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).not.toContain(imap.password);
    await imap.append('INBOX', 'From: een@klant.example\r\nTo: debiteuren@demo.example\r\nSubject: Betaald\r\nDate: Thu, 3 Dec 2026 10:00:00 +0100\r\n\r\nAl betaald op 1 december.\r\n');
    await imap.append('INBOX', 'From: iemand@elders.example\r\nTo: debiteuren@demo.example\r\nSubject: Regeling\r\nDate: Thu, 3 Dec 2026 11:00:00 +0100\r\n\r\nIs een betalingsregeling mogelijk?\r\n');
    const fetched = await vorder(['inbox', 'fetch']);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stdout).toContain('2 new, 0 handled before, 2 moved, 0 failed');
    expect((await vorder(['inbox', 'fetch'])).stdout).toContain('0 new');
    const list = await vorder(['--json', 'inbox', 'list', '--unassigned']);
    expect(list.json.rows).toHaveLength(1);
    expect(list.json.rows[0]).toMatchObject({ subject: 'Regeling', suggestions: [expect.objectContaining({ kind: 'payment_plan' })] });
    const human = await vorder(['inbox', 'list']);
    expect(human.stdout).toMatch(/1 unread reply, 1 unassigned|2 unread replies, 1 unassigned|1 unread reply/);
    const assigned = await vorder(['inbox', 'assign', String(list.json.rows[0].id), 'D2']);
    expect(assigned.code, assigned.stderr).toBe(0);
    expect(assigned.stdout).toContain('assigned to D2');
    expect((await vorder(['--json', 'inbox', 'list', '--debtor', 'D2'])).json.rows).toHaveLength(1);
    const bad = await vorder(['inbox', 'assign', 'x', 'D2']);
    expect(bad.code).toBe(4);
    expect((await vorder(['inbox', 'assign', '999', 'D2'])).code).toBe(3);
  }, 240_000);
});
