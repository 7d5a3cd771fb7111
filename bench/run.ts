/**
 * `npm run bench [-- --scale 0.1] [--engines pglite,postgres] [--only ledger,matching,dunning,web,firm]`: seeded realistic data, timings
 * with peak RSS, written to bench/results.json. PostgreSQL: BENCH_DATABASE_URL or the local server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { benchLedger, makeLedgerData } from './ledger.ts';
import { benchMatching } from './matching.ts';
import { GOLDEN_IBAN, formatGolden, runGolden } from '../test/support/golden-bank.ts';
import { anAdministration } from '../test/support/builders.ts';
import { benchLetters } from './letters.ts';
import { benchWeb } from './web.ts';
import { benchFirm } from './firm.ts';
import { makePlanBenchInput } from '../test/support/dunning-bench-input.ts';
import { planRun } from '../src/domain/dunning/plan.ts';
import { measure, report } from './harness.ts';
import { writeResults, type BenchResult } from './harness.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const scale = Number(arg('scale', '1'));
const engines = arg('engines', 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const only = arg('only', 'ledger,matching,dunning').split(',');
const file = arg('out', 'bench/results.json');
const PG = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function withEngine<T>(engine: 'pglite' | 'postgres', fn: (db: Db) => Promise<T>): Promise<T> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'vorder-bench-'));
    const db = await openPglite(join(dir, 'pg'));
    try {
      await migrate(db);
      return await fn(db);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `vorder_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString());
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

console.log(`Vorder benchmarks, scale ${scale}, engines ${engines.join(', ')}`);
if (only.includes('ledger')) {
  const data = makeLedgerData(scale);
  const results: BenchResult[] = [];
  for (const engine of engines) results.push(...(await withEngine(engine, (db) => benchLedger(db, engine, data, scale))));
  writeResults(file, 'ledger', results, { scale });
}
if (only.includes('matching')) {
  const results: BenchResult[] = [];
  const accuracy: Record<string, unknown> = {};
  for (const engine of engines) {
    const r = await withEngine(engine, (db) => benchMatching(db, engine, scale));
    results.push(...r.results);
    const pct = (x: number) => Math.round(x * 10000) / 100;
    const stats = (s: { precision: number; recall: number; suggestionRight: number; booked: number; payments: number; rest: number; lines: number; noiseBooked: number }) => ({
      lines: s.lines, precisionAutoPct: pct(s.precision), bookedAutoPct: pct(s.recall), topSuggestionRightPct: pct(s.suggestionRight), booked: s.booked, payments: s.payments, rest: s.rest, noiseBooked: s.noiseBooked,
    });
    // the golden set, as Dutch banks and payers write (test/fixtures/golden-bank), beside the generated scenario
    const golden = await withEngine(engine, async (db) => runGolden(db, await anAdministration(db, { iban: GOLDEN_IBAN, name: 'Golden B.V.' })));
    console.log(`${engine.padEnd(8)} ${formatGolden(golden)}`);
    accuracy[engine] = {
      golden: {
        lines: golden.lines, payments: golden.payable, bookedAuto: golden.auto, precisionAutoPct: golden.auto ? pct(golden.autoRight / golden.auto) : null,
        topSuggestionRightPct: golden.review ? pct(golden.topRight / golden.review) : null,
        byKind: Object.fromEntries(Object.entries(golden.byKind).map(([k, v]) => [k, { lines: v.lines, autoRight: v.autoRight, auto: v.auto, topRight: v.topRight, review: v.review }])),
      },
      threshold: r.evaluation.threshold,
      targets: { precisionAutoPct: '≥ 99.8', bookedAutoPct: '≥ 90', topSuggestionRightPct: '≥ 90' },
      overall: stats(r.evaluation.overall),
      byKind: Object.fromEntries(Object.entries(r.evaluation.byKind).map(([k, v]) => [k, stats(v!)])),
    };
  }
  writeResults(file, 'matching', results, { scale, accuracy });
}
if (only.includes('dunning')) {
  const results: BenchResult[] = [];
  const input = makePlanBenchInput(scale);
  const debtors = input.debtors.length.toLocaleString('en');
  const items = input.items.length.toLocaleString('en');
  const plan = await measure(async () => planRun(input));
  results.push(report({ name: `plan a dunning run: ${items} open items, ${debtors} debtors`, engine: 'none', seconds: plan.seconds, peakRssMiB: plan.peakRssMiB, target: scale === 1 ? '≤ 10 s' : undefined, targetSeconds: scale === 1 ? 10 : undefined, extra: { messages: plan.value.messages.length, skipped: plan.value.skipped.length } }));
  const n = Math.max(50, Math.round(500 * Math.min(1, scale * 2)));
  const letters = await measure(() => benchLetters(n));
  results.push(report({ name: `render ${n} letter PDFs (one core)`, engine: 'none', seconds: letters.seconds, peakRssMiB: letters.peakRssMiB, target: '≥ 50 PDFs/s per core', targetSeconds: n / 50, extra: { perSecond: Math.round(letters.value.perSecond * 10) / 10 } }));
  console.log(`         letters per second: ${letters.value.perSecond.toFixed(1)}`);
  writeResults(file, 'dunning', results, { scale });
}
if (only.includes('web')) {
  const results: BenchResult[] = [];
  const data = makeLedgerData(scale);
  for (const engine of engines) results.push(...(await withEngine(engine, (db) => benchWeb(scale, { db, engine, data, pages: arg('pages', '').split(',').filter(Boolean) }))));
  writeResults(file, 'web', results, { scale, target: '≤ 300 ms per request' });
}
if (only.includes('firm')) {
  // The firm on one PostgreSQL server (the embedded engine is one process). --firm-admins sets the
  // number of administrations (default 500 × scale), each with 2,000 debtors and 20,000 items.
  const administrations = Number(arg('firm-admins', String(Math.max(2, Math.round(500 * scale)))));
  const size = { administrations, debtorsPerAdministration: Number(arg('firm-debtors', '2000')), itemsPerAdministration: Number(arg('firm-items', '20000')) };
  const r = await benchFirm(PG, size, arg('firm-processes', '1,2').split(',').map(Number));
  writeResults(file, `firm-${administrations}`, r.results, { scale, ...r.summary });
}
console.log(`results written to ${file}`);
