/**
 * Ledger benchmarks (issue: foundation): import 1,000,000 invoices from CSV, aging over
 * 1,000,000 open items, page 1 of a debtor's items with 100,000 debtors, each beside the raw
 * floor on the same machine.
 */
import type { Db } from '../src/store/db.ts';
import { insertAdministration } from '../src/store/administrations.ts';
import { importDebtorsCsv, importInvoicesCsv } from '../src/app/imports.ts';
import { agingTotals } from '../src/store/aging.ts';
import { listItems } from '../src/store/items.ts';
import { debtorsCsv, generateDebtors, generateInvoices, invoicesCsv, rng } from '../src/app/demo/generate.ts';
import { toCopyCsv } from '../src/store/copy.ts';
import { measure, median, report, type BenchResult } from './harness.ts';

export type LedgerData = { debtorsCsv: Uint8Array; invoicesCsv: Uint8Array; invoiceRows: number; debtorRows: number; asOf: string; floorCsv: string };

export function makeLedgerData(scale: number): LedgerData {
  const r = rng(42);
  const nDebtors = Math.round(100_000 * scale);
  const nInvoices = Math.round(1_000_000 * scale);
  const asOf = '2026-11-22';
  const debtors = generateDebtors(r, nDebtors);
  const invoices = generateInvoices(r, debtors, nInvoices, asOf, 360);
  const enc = new TextEncoder();
  const floorCsv = toCopyCsv(invoices.map((v, i) => [i + 1, v.debtorNumber, v.number, v.issueDate, v.dueDate, v.cents, 'EUR', String(i), v.description]));
  return { debtorsCsv: enc.encode(debtorsCsv(debtors)), invoicesCsv: enc.encode(invoicesCsv(invoices)), invoiceRows: nInvoices, debtorRows: nDebtors, asOf, floorCsv };
}

export async function benchLedger(db: Db, engine: 'pglite' | 'postgres', data: LedgerData, scale: number): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const n = data.invoiceRows.toLocaleString('en');
  const admin = await insertAdministration(db, { name: `Bench ${Date.now()}` });

  const dImp = await measure(() => importDebtorsCsv(db, admin, { filename: 'debtors.csv', content: data.debtorsCsv }));
  out.push(report({ name: `import ${data.debtorRows.toLocaleString('en')} debtors (CSV)`, engine, seconds: dImp.seconds, peakRssMiB: dImp.peakRssMiB }));

  // Raw floor: a bare COPY of the same rows into an unindexed table.
  await db.exec('DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (line int, debtor_number text, number text, issue_date date, due_date date, amount_cents bigint, currency text, payment_reference text, description text)');
  const floor = await measure(() => db.copyFrom('bench_floor', ['line', 'debtor_number', 'number', 'issue_date', 'due_date', 'amount_cents', 'currency', 'payment_reference', 'description'], data.floorCsv));
  await db.exec('DROP TABLE bench_floor');

  const iImp = await measure(() => importInvoicesCsv(db, admin, { filename: 'invoices.csv', content: data.invoicesCsv }));
  out.push(report({ name: `import ${n} invoices (CSV, all-or-nothing)`, engine, seconds: iImp.seconds, peakRssMiB: iImp.peakRssMiB, floorSeconds: floor.seconds, floorWhat: 'bare COPY', target: scale === 1 ? '≤ 60 s' : undefined, targetSeconds: scale === 1 ? 60 : undefined, extra: { created: iImp.value.created } }));

  await db.exec('ANALYZE items; ANALYZE debtors');
  const aging = await median(5, () => agingTotals(db, admin.id, data.asOf));
  const agingFloor = await median(5, () => db.query('SELECT count(*), sum(open_cents) FROM items WHERE administration_id = $1', [admin.id]));
  out.push(report({ name: `aging over ${n} open items`, engine, seconds: aging.seconds, peakRssMiB: aging.peakRssMiB, floorSeconds: agingFloor.seconds, floorWhat: 'count+sum scan', target: scale === 1 ? '≤ 1 s' : undefined, targetSeconds: scale === 1 ? 1 : undefined }));

  const ids = (await db.query<{ id: number }>('SELECT id FROM debtors WHERE administration_id = $1 ORDER BY id', [admin.id])).map((r) => r.id);
  const pick = (i: number) => ids[(i * 7919) % ids.length]!;
  let k = 0;
  const page = await median(51, () => listItems(db, admin.id, { debtorId: pick(k++), status: 'open', asOf: data.asOf, limit: 50, offset: 0 }));
  k = 0;
  const pageFloor = await median(51, () => db.query('SELECT * FROM items WHERE debtor_id = $1 LIMIT 50', [pick(k++)]));
  out.push(report({ name: `page 1 of a debtor's items (${data.debtorRows.toLocaleString('en')} debtors)`, engine, seconds: page.seconds, peakRssMiB: page.peakRssMiB, floorSeconds: pageFloor.seconds, floorWhat: 'bare indexed SELECT', target: scale === 1 ? '≤ 20 ms' : undefined, targetSeconds: scale === 1 ? 0.02 : undefined }));
  return out;
}
