/**
 * The accounting-firm scenario (issue #19): many administrations on one PostgreSQL server, a day's
 * bank statement for each (1 % of the open items paid), then the nightly cycle — import and match
 * every statement, care checks and the dunning proposal of every administration — done by one and
 * then by two real `vorder serve` processes sharing the job queue. Statements are uploaded through
 * the API, spread over the processes; care checks and proposals are jobs on the queue. While the
 * cycle runs, the main screens of one administration are requested and timed.
 *
 * Each process count gets a fresh database with the same data, so the cycles are comparable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { openPostgres, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { insertAdministration } from '../src/store/administrations.ts';
import { toCopyCsv } from '../src/store/copy.ts';
import { createApiToken } from '../src/app/auth.ts';
import { enqueue } from '../src/store/jobs.ts';
import { numberKey } from '../src/domain/matching/number-key.ts';
import { writeCamt053 } from '../src/formats/camt053-write.ts';
import type { BankEntry } from '../src/domain/bank-statement.ts';
import { report, type BenchResult } from './harness.ts';

export type FirmSize = { administrations: number; debtorsPerAdministration: number; itemsPerAdministration: number };

const ASOF = '2026-11-20';
const OUR_IBAN = (a: number) => `NL${String(10 + (a % 89)).padStart(2, '0')}TEST${String(a).padStart(10, '0')}`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Items of administration-local index g: number, debtor, amount, due date — the same every run. */
function itemOf(a: number, g: number, size: FirmSize) {
  const debtor = g % size.debtorsPerAdministration;
  const cents = 5_000 + ((g * 7919 + a * 104_729) % 400_000);
  const due = new Date(Date.UTC(2026, 6, 1) + ((g * 37) % 140) * 86_400_000).toISOString().slice(0, 10);
  return { number: `F${a}-${String(g).padStart(7, '0')}`, debtor, cents, due };
}

async function loadFirm(db: Db, size: FirmSize): Promise<number[]> {
  const ids: number[] = [];
  for (let a = 0; a < size.administrations; a++) {
    const admin = await insertAdministration(db, { name: `Klant ${a + 1} B.V.`, iban: OUR_IBAN(a) });
    ids.push(admin.id);
    await db.transaction(async (tx) => {
      await tx.copyFrom('debtors', ['administration_id', 'number', 'name', 'type'], toCopyCsv(Array.from({ length: size.debtorsPerAdministration }, (_, d) => [admin.id, `D${d}`, `Relatie ${a}-${d} B.V.`, 'business'] as const)));
      const dIds = new Map((await tx.query<{ id: number; number: string }>('SELECT id, number FROM debtors WHERE administration_id = $1', [admin.id])).map((r) => [r.number, r.id]));
      const rows = Array.from({ length: size.itemsPerAdministration }, (_, g) => {
        const it = itemOf(a, g, size);
        return [admin.id, dIds.get(`D${it.debtor}`)!, 'invoice', it.number, '2026-06-01', it.due, it.cents, it.cents, 'EUR', numberKey(it.number), 'bench'] as const;
      });
      await tx.copyFrom('items', ['administration_id', 'debtor_id', 'kind', 'number', 'issue_date', 'due_date', 'amount_cents', 'open_cents', 'currency', 'number_key', 'source'], toCopyCsv(rows));
    });
  }
  await db.exec('ANALYZE');
  return ids;
}

/** A day's CAMT.053 for administration index a: 1 % of its items paid, each naming its invoice. */
function statementOf(a: number, size: FirmSize): Uint8Array {
  const entries: BankEntry[] = [];
  for (let g = 0; g < size.itemsPerAdministration; g += 100) {
    const it = itemOf(a, g, size);
    entries.push({
      entryRef: `B${a}-${g}`, txIndex: 0, txCount: 1, bookingDate: ASOF, valueDate: ASOF, cents: it.cents, currency: 'EUR', reversal: false,
      counterpartyName: `Relatie ${a}-${it.debtor} B.V.`, counterpartyIban: null, counterpartyBic: null, structuredRef: null, endToEndId: null,
      mandateId: null, remittance: `Betaling factuur ${it.number}`, bankCode: null, returnReason: null, info: null,
    } as BankEntry);
  }
  const total = entries.reduce((s, e) => s + e.cents, 0);
  return new TextEncoder().encode(writeCamt053({ statementId: `FIRM-${a}-${ASOF}`, accountIban: OUR_IBAN(a), currency: 'EUR', openingBalance: { date: ASOF, cents: 0, currency: 'EUR' }, closingBalance: { date: ASOF, cents: total, currency: 'EUR' }, entries }));
}

type Server = { proc: ChildProcess; url: string; pid: number };

async function startServer(dbUrl: string): Promise<Server> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['bin/vorder.js', 'serve', '--port', String(port)], {
    env: { ...process.env, DATABASE_URL: dbUrl, VORDER_WORKER_INTERVAL_MS: '200', VORDER_PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`vorder serve stopped: ${out.slice(-2000)}`);
    try {
      if ((await fetch(`${url}/api/health`)).status < 500) return { proc, url, pid: proc.pid! };
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vorder serve did not answer: ${out.slice(-2000)}`);
}

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakRssOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

async function cycle(pgUrl: string, size: FirmSize, processes: number): Promise<{ seconds: number; screens: { p50: number; p95: number; n: number }; booked: number; peakRssMiB: number; uploads: number }> {
  const name = `vorder_firm_${process.pid}_${processes}`;
  const root = new pg.Client({ connectionString: pgUrl });
  await root.connect();
  await root.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await root.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString());
  const servers: Server[] = [];
  try {
    await migrate(db);
    const ids = await loadFirm(db, size);
    const tokens = new Map<number, string>();
    for (const id of ids) tokens.set(id, (await createApiToken(db, { administrationId: id, name: 'bench', role: 'owner', createdBy: null })).token);
    const files = ids.map((_, a) => statementOf(a, size));
    for (let i = 0; i < processes; i++) servers.push(await startServer(url.toString()));

    // screens of the first administration, timed while the cycle runs
    const watched = ids[0]!;
    const screenTimes: number[] = [];
    let cycling = true;
    const screens = (async () => {
      const paths = [`/api/administrations/${watched}/dashboard`, `/api/administrations/${watched}/debtors?limit=50`, `/api/administrations/${watched}/items?limit=50`];
      let k = 0;
      while (cycling) {
        const t = performance.now();
        const r = await fetch(servers[k % servers.length]!.url + paths[k % paths.length]!, { headers: { authorization: `Bearer ${tokens.get(watched)}` } });
        await r.arrayBuffer();
        if (r.status === 200) screenTimes.push(performance.now() - t);
        k++;
        await new Promise((res) => setTimeout(res, 250));
      }
    })();

    const t0 = performance.now();
    // the nightly jobs of every administration on the queue; the statements through the API
    for (const id of ids) {
      await enqueue(db, 'care-checks', { administrationId: id, asOf: ASOF });
      await enqueue(db, 'dunning-proposal', { administrationId: id, asOf: ASOF });
    }
    let next = 0;
    let uploads = 0;
    const uploader = async (w: number) => {
      for (;;) {
        const a = next++;
        if (a >= ids.length) return;
        const s = servers[(a + w) % servers.length]!;
        const r = await fetch(`${s.url}/api/administrations/${ids[a]}/statements?filename=firm-${a}.xml`, { method: 'POST', body: files[a], headers: { authorization: `Bearer ${tokens.get(ids[a]!)}`, 'content-type': 'application/octet-stream' } });
        const body = await r.text();
        if (r.status !== 200) throw new Error(`upload ${a}: ${r.status} ${body.slice(0, 300)}`);
        uploads++;
      }
    };
    await Promise.all(Array.from({ length: 2 * processes }, (_, w) => uploader(w)));
    for (;;) {
      const [j] = await db.query<{ open: number; failed: number }>(`SELECT count(*) FILTER (WHERE status IN ('queued', 'running'))::int AS open, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM jobs WHERE queue IN ('care-checks', 'dunning-proposal')`);
      if (j!.failed) throw new Error(`${j!.failed} nightly job(s) failed`);
      if (j!.open === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    cycling = false;
    await screens;
    const [b] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bank_lines WHERE status = 'auto'`);
    const peakRssMiB = Math.max(...servers.map((s) => peakRssOf(s.pid)));
    return { seconds, screens: { p50: pct(screenTimes, 50), p95: pct(screenTimes, 95), n: screenTimes.length }, booked: b!.n, peakRssMiB, uploads };
  } finally {
    for (const s of servers) s.proc.kill('SIGTERM');
    await db.close();
    await root.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await root.end();
  }
}

export async function benchFirm(pgUrl: string, size: FirmSize, processCounts: readonly number[] = [1, 2]): Promise<{ results: BenchResult[]; summary: Record<string, unknown> }> {
  const items = size.administrations * size.itemsPerAdministration;
  const label = `${size.administrations} administrations, ${(size.administrations * size.debtorsPerAdministration).toLocaleString('en')} debtors, ${items.toLocaleString('en')} items`;
  console.log(`postgres firm: ${label}; statements pay 1 % of the items (${(items / 100).toLocaleString('en')} payments)`);
  const results: BenchResult[] = [];
  const runs: Record<string, unknown> = {};
  let one: number | null = null;
  for (const p of processCounts) {
    const r = await cycle(pgUrl, size, p);
    if (p === 1) one = r.seconds;
    results.push(report({
      name: `firm nightly cycle, ${p} process${p > 1 ? 'es' : ''} (${label})`, engine: 'postgres', seconds: r.seconds, peakRssMiB: r.peakRssMiB,
      ...(size.administrations >= 500 && size.itemsPerAdministration >= 20_000 && p >= 2 ? { target: '≤ 10 min with 2 processes', targetSeconds: 600 } : {}),
      extra: { processes: p, uploads: r.uploads, bookedAutomatically: r.booked, screenMsP50: Math.round(r.screens.p50), screenMsP95: Math.round(r.screens.p95), screenRequests: r.screens.n, speedUp: one && p > 1 ? Math.round((one / r.seconds) * 100) / 100 : undefined },
    }));
    console.log(`         screens during the cycle: p50 ${r.screens.p50.toFixed(0)} ms, p95 ${r.screens.p95.toFixed(0)} ms over ${r.screens.n} requests; ${r.booked} payments booked automatically`);
    runs[String(p)] = { seconds: r.seconds, screens: r.screens, booked: r.booked };
  }
  return { results, summary: { size, runs } };
}
