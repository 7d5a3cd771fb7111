/**
 * Scheduled and background work runs in a Postgres-backed queue, so several `vorder serve`
 * processes can share one PostgreSQL: each job still runs once and each letter goes out once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { freshPgUrl } from '../support/db.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { openPostgres, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertAdministration } from '../../src/store/administrations.ts';
import { importDebtorsCsv, importInvoicesCsv } from '../../src/app/imports.ts';
import { claimJob, enqueue, completeJob } from '../../src/jobs/queue.ts';
import { localNow, scheduleDue } from '../../src/jobs/worker.ts';

const N = 12;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

describe('two server processes on one PostgreSQL', () => {
  let smtp: TestSmtp;
  let pg: { url: string; drop(): Promise<void> };
  let db: Db;
  const procs: ChildProcess[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    pg = await freshPgUrl();
    db = await openPostgres(pg.url);
    await migrate(db);
  });
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await db.close();
    await smtp.close();
    await pg.drop();
  });

  it('claims each job once however many workers ask at the same time', async () => {
    for (let i = 0; i < 30; i++) await enqueue(db, 'test-queue', { i });
    expect(await enqueue(db, 'test-queue', {}, { singletonKey: 'once' })).not.toBeNull();
    expect(await enqueue(db, 'test-queue', {}, { singletonKey: 'once' })).toBeNull();
    const other = await openPostgres(pg.url);
    const claimed: number[] = [];
    const worker = async (d: Db, id: string) => {
      for (;;) {
        const j = await claimJob(d, ['test-queue'], id);
        if (!j) return;
        claimed.push(j.id);
        await completeJob(d, j.id, null);
      }
    };
    await Promise.all([worker(db, 'a'), worker(other, 'b'), worker(db, 'c'), worker(other, 'd')]);
    await other.close();
    expect(claimed).toHaveLength(31);
    expect(new Set(claimed).size).toBe(31);
  });

  it('runs the scheduled dunning run once and delivers each letter once', async () => {
    const now = localNow(new Date());
    const admin = await insertAdministration(db, {
      name: 'Twee Processen B.V.', iban: 'NL91ABNA0417164300', addressLine: 'Weg 1', postalCode: '1000 AA', city: 'Amsterdam', email: 'd@twee.nl',
      settings: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'd@twee.nl' }, staleAfterDays: 90, dunningSchedule: { frequency: 'daily', time: '00:00', autoSend: true } },
    });
    const enc = new TextEncoder();
    await importDebtorsCsv(db, admin, { filename: 'd.csv', content: enc.encode(['number,name,type,email,iban,language', ...Array.from({ length: N }, (_, i) => `T${i},Klant ${i} B.V.,business,t${i}@klant.nl,,nl`)].join('\n')) });
    await importInvoicesCsv(db, admin, { filename: 'i.csv', content: enc.encode(['debtor_number,number,issue_date,due_date,amount,currency,payment_reference', ...Array.from({ length: N }, (_, i) => `T${i},FT${i},2020-01-01,2020-01-31,${50 + i}.00,EUR,`)].join('\n')) });
    // recent bank data, so the run is not blocked
    await db.query(`INSERT INTO bank_accounts (administration_id, iban, last_closing_date, last_import_at) VALUES ($1, 'NL91ABNA0417164300', $2, now())`, [admin.id, now.date]);
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      const p = spawn(process.execPath, ['bin/vorder.js', 'serve', '--port', String(port)], { env: { ...process.env, DATABASE_URL: pg.url, VORDER_WORKER_INTERVAL_MS: '150' }, stdio: ['ignore', 'pipe', 'pipe'] });
      procs.push(p);
    }
    const t = Date.now();
    while (smtp.received.length < N && Date.now() - t < 60_000) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500)); // give a second run or a duplicate the chance to show up
    const runs = await db.query<{ trigger: string }>('SELECT trigger FROM dunning_runs WHERE administration_id = $1', [admin.id]);
    expect(runs.filter((r) => r.trigger === 'schedule')).toHaveLength(1);
    const jobs = await db.query<{ status: string }>(`SELECT status FROM jobs WHERE queue = 'dunning-run' AND singleton_key = $1`, [`dunning-run:${admin.id}:${now.date}`]);
    expect(jobs).toEqual([{ status: 'done' }]);
    const ids = smtp.received.map((m) => String(m.headers.get('x-vorder-action')));
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
    const [sent] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dunning_actions WHERE administration_id = $1 AND status = 'sent'`, [admin.id]);
    expect(sent!.n).toBe(N);
    expect(await scheduleDue(db)).toBe(0); // today's jobs exist already
  });
});
