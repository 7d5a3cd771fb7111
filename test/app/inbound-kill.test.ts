/**
 * kill -9 of the mailbox reader (a child process) mid-batch, on both engines, against a real
 * Dovecot: once after a message was committed and before it was moved, once inside a message's
 * transaction after its effects. Then a reader runs again: every message is on the timeline
 * exactly once, and every message is in Vorder/verwerkt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, freshPgUrl } from '../support/db.ts';
import { startDovecot, type Dovecot } from '../support/dovecot.ts';
import { openDatabase } from '../../src/store/open.ts';
import { insertAdministration } from '../../src/store/administrations.ts';
import { createDebtor } from '../../src/app/ledger.ts';
import { saveMailbox } from '../../src/app/inbound.ts';
import type { Db } from '../../src/store/db.ts';

const N = 6;

function child(env: Record<string, string>): { proc: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/inbound-child.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  proc.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  proc.stderr!.on('data', (d: Buffer) => lines.push(`stderr: ${d.toString()}`));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, lines, exited };
}

async function until(cond: () => boolean, what: string, lines: string[], ms = 90_000): Promise<void> {
  const t = Date.now();
  while (!cond()) {
    if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}: ${lines.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(ENGINES)('killing the mailbox reader on %s', (engine) => {
  let imap: Dovecot;
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
    imap = await startDovecot();
    if (engine === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'vorder-inbound-kill-'));
      env = { VORDER_DATA: dir, DATABASE_URL: '' };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const pg = await freshPgUrl();
      env = { DATABASE_URL: pg.url };
      cleanup = pg.drop;
    }
    await withDb(async (db) => {
      const admin = await insertAdministration(db, { name: 'Kill Inbox B.V.', iban: 'NL91ABNA0417164300', email: 'debiteuren@kill.example' });
      await createDebtor(db, admin, { number: 'K7', name: 'Klant Zeven B.V.', type: 'business' } as never);
      await saveMailbox(db, admin, { host: imap.host, port: imap.port, tls: false, username: imap.user, password: imap.password });
    });
    for (let i = 1; i <= N; i++) await imap.append('INBOX', `From: klant@zeven.example\r\nTo: debiteuren+K7@kill.example\r\nSubject: Bericht ${i}\r\nMessage-ID: <m${i}@zeven.example>\r\nDate: Thu, 3 Dec 2026 10:0${i}:00 +0100\r\n\r\nBericht nummer ${i}.\r\n`);
  }, 120_000);
  afterAll(async () => {
    await imap?.stop();
    await cleanup?.();
  });

  it('nothing lost, nothing twice', async () => {
    // 1: killed after message 2 was committed, before it was moved
    const a = child({ ...env, PAUSE_AFTER_COMMIT: '2', LEASE_SECONDS: '1' });
    await until(() => a.lines.some((l) => l.startsWith('committed')), 'the second commit', a.lines);
    a.proc.kill('SIGKILL');
    await a.exited;
    expect((await imap.list('INBOX')).map((m) => m.subject)).toEqual(['Bericht 2', 'Bericht 3', 'Bericht 4', 'Bericht 5', 'Bericht 6']);
    await new Promise((r) => setTimeout(r, 1500)); // the killed reader's lease runs out
    // 2: killed inside the transaction of the next new message, after its effects
    const b = child({ ...env, PAUSE_BEFORE_COMMIT: '1', LEASE_SECONDS: '1' });
    await until(() => b.lines.some((l) => l.startsWith('in transaction')), 'a transaction', b.lines);
    b.proc.kill('SIGKILL');
    await b.exited;
    const mid = await withDb((db) => db.query<{ subject: string }>('SELECT subject FROM inbound_messages ORDER BY subject'));
    expect(mid.map((m) => m.subject)).toEqual(['Bericht 1', 'Bericht 2']); // the killed transaction left nothing
    await new Promise((r) => setTimeout(r, 1500));
    // 3: a reader runs to the end
    const c = child({ ...env, LEASE_SECONDS: '1' });
    expect(await c.exited, c.lines.join(' | ')).toBe(0);
    expect(await imap.list('INBOX')).toEqual([]);
    expect((await imap.list('Vorder/verwerkt')).map((m) => m.subject).sort()).toEqual(Array.from({ length: N }, (_, i) => `Bericht ${i + 1}`));
    const [counts] = await withDb((db) => db.query<{ messages: number; distinct_uids: number; events: number }>(
      `SELECT (SELECT count(*) FROM inbound_messages)::int AS messages, (SELECT count(DISTINCT uid) FROM inbound_messages)::int AS distinct_uids,
              (SELECT count(*) FROM events WHERE kind = 'inbound_reply')::int AS events`));
    expect(counts).toEqual({ messages: N, distinct_uids: N, events: N });
  }, 240_000);
});
