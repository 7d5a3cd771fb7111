/**
 * Matching benchmark (issue: bank statements): a seeded scenario with ground truth (the kinds of
 * payments in realistic proportions, plus noise) is loaded into the database, its bank lines are
 * written as daily CAMT.053 files and imported through the real pipeline (parse → store → SQL
 * candidates → engine → bookings/suggestions). Reports accuracy per kind and overall, and the
 * time to import and match beside the raw parse time of the same files.
 */
import type { Db } from '../src/store/db.ts';
import { insertAdministration, type Administration } from '../src/store/administrations.ts';
import { toCopyCsv } from '../src/store/copy.ts';
import { generateScenario } from '../test/support/matching-scenario.ts';
import { evaluateMatching, formatEvaluation, type MatchEvaluation } from '../test/support/matching-evaluate.ts';
import { numberKey } from '../src/domain/matching/number-key.ts';
import type { LineDecision, MatchProposal } from '../src/domain/matching/types.ts';
import type { BankEntry } from '../src/domain/bank-statement.ts';
import { writeCamt053 } from '../src/formats/camt053-write.ts';
import { parseCamt053 } from '../src/formats/camt053.ts';
import { importStatement } from '../src/app/bank.ts';
import { measure, report, type BenchResult } from './harness.ts';

const OUR_IBAN = 'NL91ABNA0417164300';

export type MatchingScenario = ReturnType<typeof generateScenario>;

export const matchingScenario = (scale: number): MatchingScenario => generateScenario({ seed: Number(process.env.BENCH_SEED ?? 1), lines: Math.max(2000, Math.round(100_000 * scale)) });

export async function benchMatching(db: Db, engine: 'pglite' | 'postgres', scale: number): Promise<{ results: BenchResult[]; evaluation: MatchEvaluation }> {
  const sc = matchingScenario(scale);
  const nLines = sc.lines.length;
  const { admin, seconds: loadSeconds } = await loadMatchingScenario(db, sc, scale);
  const A = admin.id;
  const [{ n: openItems }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE administration_id = $1 AND open_cents <> 0', [A])) as [{ n: number }];
  console.log(`${engine.padEnd(8)} matching scenario: ${nLines.toLocaleString('en')} bank lines, ${openItems.toLocaleString('en')} open items, ${sc.ctx.debtors.length.toLocaleString('en')} debtors (loaded in ${loadSeconds.toFixed(1)} s)`);

  // ---- daily statement files
  const files = matchingFiles(sc);
  const bytes = files.reduce((s, f) => s + f.content.byteLength, 0);
  const parse = await measure(async () => {
    for (const f of files) if (!parseCamt053(f.content).ok) throw new Error(`${f.name} does not parse`);
  });
  const run = await measure(async () => {
    for (const f of files) await importStatement(db, admin, { filename: f.name, content: f.content });
  });
  const results: BenchResult[] = [];
  const target = scale === 1;
  results.push(report({ name: `import+match ${nLines.toLocaleString('en')} entries vs ${openItems.toLocaleString('en')} items (${files.length} CAMT files, ${(bytes / 1048576).toFixed(0)} MiB)`, engine, seconds: run.seconds, peakRssMiB: run.peakRssMiB, floorSeconds: parse.seconds, floorWhat: 'raw CAMT parse', target: target ? '≤ 30 s (embedded)' : undefined, targetSeconds: target && engine === 'pglite' ? 30 : undefined }));
  return { results, evaluation: await evaluateMatchingRun(db, A, sc) };
}

/** The scenario's ledger with its own ids (so that the ground truth applies as it is), plus filler items up to 1,000,000 × scale. */
export async function loadMatchingScenario(db: Db, sc: MatchingScenario, scale: number): Promise<{ admin: Administration; seconds: number }> {
  const admin = await insertAdministration(db, { name: `Matching bench ${Date.now()}`, iban: OUR_IBAN });
  const A = admin.id;

  // ---- load the scenario's ledger with its own ids (so the ground truth applies as it is)
  const load = await measure(async () => {
    await db.transaction(async (tx) => {
      await tx.copyFrom('debtors', ['id', 'administration_id', 'number', 'name', 'type'], toCopyCsv(sc.ctx.debtors.map((d) => [d.id, A, d.number, d.name, 'business'])));
      await tx.copyFrom('debtor_accounts', ['administration_id', 'debtor_id', 'iban', 'source'], toCopyCsv(sc.ctx.debtors.flatMap((d) => [...new Set(d.ibans)].map((iban) => [A, d.id, iban, 'import']))));
      const paidItems = new Map<number, { cents: number; debtorId: number }>();
      const returnDebtor = new Map(sc.truth.filter((t) => t.reversesBookingId).map((t) => [t.reversesBookingId!, t.debtorId!]));
      for (const b of sc.ctx.priorBookings) for (const a of b.allocations) paidItems.set(a.itemId, { cents: a.cents, debtorId: returnDebtor.get(b.bookingId) ?? sc.ctx.debtors[0]!.id });
      const itemRows = [
        ...sc.ctx.items.map((i) => [i.id, A, i.debtorId, i.kind, i.number, i.issueDate, i.dueDate, i.amountCents, i.amountCents, i.currency, i.paymentReference, numberKey(i.number), 'bench']),
        ...[...paidItems].map(([id, p]) => [id, A, p.debtorId, 'invoice', `DD-${id}`, '2026-10-01', '2026-10-15', p.cents, p.cents, 'EUR', null, numberKey(`DD-${id}`), 'bench']),
      ] as const;
      await tx.copyFrom('items', ['id', 'administration_id', 'debtor_id', 'kind', 'number', 'issue_date', 'due_date', 'amount_cents', 'open_cents', 'currency', 'payment_reference', 'number_key', 'source'], toCopyCsv(itemRows as never));
      // earlier direct-debit collections (what returns undo): a bank line and its booking each
      await tx.query(`INSERT INTO bank_accounts (administration_id, iban, currency) VALUES ($1, $2, 'EUR')`, [A, OUR_IBAN]);
      const [acc] = await tx.query<{ id: number }>('SELECT id FROM bank_accounts WHERE administration_id = $1', [A]);
      const [st] = await tx.query<{ id: number }>(`INSERT INTO bank_statements (administration_id, bank_account_id, filename, sha256, format, entries, new_entries) VALUES ($1, $2, 'earlier', 'earlier', 'camt053', 0, 0) RETURNING id`, [A, acc!.id]);
      for (const b of sc.ctx.priorBookings) {
        const [l] = await tx.query<{ id: number }>(
          `INSERT INTO bank_lines (administration_id, bank_account_id, statement_id, entry_key, entry_ref, booking_date, cents, currency, end_to_end_id, status) VALUES ($1, $2, $3, $4, $4, '2026-10-20', $5, 'EUR', $6, 'auto') RETURNING id`,
          [A, acc!.id, st!.id, `prior-${b.bookingId}`, b.cents, b.endToEndId],
        );
        await tx.query(`INSERT INTO bookings (id, administration_id, kind, date, status, bank_line_id) VALUES ($1, $2, 'bank', '2026-10-20', 'auto', $3)`, [b.bookingId, A, l!.id]);
        await tx.query('INSERT INTO allocations (administration_id, booking_id, item_id, cents, date) SELECT $1, $2, unnest($3::bigint[]), unnest($4::bigint[]), $5', [A, b.bookingId, b.allocations.map((a) => a.itemId), b.allocations.map((a) => a.cents), '2026-10-20']);
        await tx.query('UPDATE bank_lines SET booking_id = $2 WHERE id = $1', [l!.id, b.bookingId]);
      }
      for (const t of ['debtors', 'items', 'bookings', 'bank_lines']) await tx.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
      // items the scenario has partly paid already
      const partly = sc.ctx.items.filter((i) => i.openCents !== i.amountCents);
      if (partly.length) {
        const [b] = await tx.query<{ id: number }>(`INSERT INTO bookings (administration_id, kind, date, status) VALUES ($1, 'manual', '2026-10-01', 'confirmed') RETURNING id`, [A]);
        await tx.query('INSERT INTO allocations (administration_id, booking_id, item_id, cents, date) SELECT $1, $2, unnest($3::bigint[]), unnest($4::bigint[]), $5', [A, b!.id, partly.map((i) => i.id), partly.map((i) => i.amountCents - i.openCents), '2026-10-01']);
      }
    });
    // The rest of a realistic ledger: other debtors' open items (older numbers, other amounts), so
    // that candidates are found among 1,000,000 open items as the issue asks.
    const filler = Math.max(0, Math.round(1_000_000 * scale) - sc.ctx.items.length);
    const fillerDebtors = Math.max(1, Math.round(filler / 10));
    if (filler > 0) {
      await db.query(`INSERT INTO debtors (id, administration_id, number, name, type) SELECT 50000000 + g, $1, 'X' || g, 'Relatie ' || g || ' Holding B.V.', 'business' FROM generate_series(1, $2::int) g`, [A, fillerDebtors]);
      await db.query(
        `INSERT INTO items (id, administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents, currency, number_key, source)
         SELECT 60000000 + g, $1, 50000000 + (g % $2::int) + 1, 'invoice', 'F2025-' || lpad(g::text, 7, '0'), date '2025-03-01' + (g % 200), date '2025-04-01' + (g % 200),
                1000 + (g::bigint * 7919) % 900000, 1000 + (g::bigint * 7919) % 900000, 'EUR', '2025.' || g, 'bench'
           FROM generate_series(1, $3::int) g`,
        [A, fillerDebtors, filler],
      );
    }
    await db.exec('ANALYZE items; ANALYZE debtors; ANALYZE debtor_accounts; ANALYZE bank_lines');
  });
  return { admin, seconds: load.seconds };
}

/** The scenario's bank lines as daily CAMT.053 files. */
export function matchingFiles(sc: MatchingScenario): { name: string; content: Uint8Array }[] {
  const enc = new TextEncoder();
  const byDay = new Map<string, BankEntry[]>();
  for (const l of sc.lines) {
    const e: BankEntry = {
      entryRef: `L${l.id}`, txIndex: 0, txCount: 1, bookingDate: l.bookingDate, valueDate: l.bookingDate, cents: l.cents, currency: l.currency, reversal: l.reversal,
      counterpartyName: l.counterpartyName, counterpartyIban: l.counterpartyIban, counterpartyBic: null, structuredRef: l.structuredRef, endToEndId: l.endToEndId,
      mandateId: l.mandateId, remittance: l.remittance, bankCode: l.bankCode, returnReason: l.returnReason, info: l.info,
    };
    const list = byDay.get(l.bookingDate) ?? [];
    list.push(e);
    byDay.set(l.bookingDate, list);
  }
  let balance = 1_000_000_00;
  const files = [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, entries]) => {
    const opening = balance;
    balance += entries.reduce((s, e) => s + e.cents, 0);
    return { name: `afschrift-${day}.xml`, content: enc.encode(writeCamt053({ statementId: `BENCH-${day}`, accountIban: OUR_IBAN, currency: 'EUR', openingBalance: { date: day, cents: opening, currency: 'EUR' }, closingBalance: { date: day, cents: balance, currency: 'EUR' }, entries })) };
  });
  return files;
}

/** What the pipeline decided, against the ground truth. */
export async function evaluateMatchingRun(db: Db, A: number, sc: MatchingScenario): Promise<MatchEvaluation> {
  // ---- accuracy: what the pipeline decided, against the ground truth
  const rows = await db.query<{ entry_ref: string; status: string; rank: number | null; kind: string | null; confidence: number | null; debtor_id: number | null; allocations: { itemId: number; cents: number }[] | null; credit_cents: number | null; reverses_booking_id: number | null; signals: string[] | null; s_status: string | null }>(
    `SELECT l.entry_ref, l.status, s.rank, s.kind, s.confidence, s.debtor_id, s.allocations, s.credit_cents, s.reverses_booking_id, s.signals, s.status AS s_status
       FROM bank_lines l LEFT JOIN match_suggestions s ON s.bank_line_id = l.id AND s.status IN ('open', 'accepted')
      WHERE l.administration_id = $1 AND l.entry_ref LIKE 'L%' ORDER BY l.id, s.rank`,
    [A],
  );
  const threshold = 90;
  const decisions = new Map<number, MatchProposal[]>();
  const booked = new Set<number>();
  for (const r of rows) {
    const lineId = Number(r.entry_ref.slice(1));
    const list = decisions.get(lineId) ?? [];
    decisions.set(lineId, list);
    if (r.status === 'auto') booked.add(lineId);
    if (r.kind === null) continue;
    // A booked line's accepted proposal counts as booked; open ones stay below the threshold.
    const confidence = r.s_status === 'accepted' ? Math.max(threshold, r.confidence!) : Math.min(threshold - 1, r.confidence!);
    list.push({ lineId, kind: r.kind as MatchProposal['kind'], confidence, debtorId: r.debtor_id, allocations: r.allocations!, creditCents: r.credit_cents!, ...(r.reverses_booking_id ? { reversesBookingId: r.reverses_booking_id } : {}), reasons: [], signals: r.signals ?? [] });
  }
  const lineDecisions: LineDecision[] = sc.lines.map((l) => ({ lineId: l.id, proposals: (decisions.get(l.id) ?? []).sort((a, b) => b.confidence - a.confidence) }));
  const evaluation = evaluateMatching(sc.truth, lineDecisions, threshold);
  console.log(formatEvaluation(evaluation));
  if (process.env.BENCH_FAILURES) {
    const lines = new Map(sc.lines.map((l) => [l.id, l]));
    for (const f of evaluation.failures.filter((x) => !process.env.BENCH_FAILURES || process.env.BENCH_FAILURES === '1' || x.truth.kind === process.env.BENCH_FAILURES).slice(0, Number(process.env.BENCH_FAILURES_MAX ?? 12))) {
      const l = lines.get(f.lineId)!;
      console.log(JSON.stringify({ kind: f.truth.kind, note: f.truth.note, truth: f.truth.allocations, line: { cents: l.cents, name: l.counterpartyName, iban: l.counterpartyIban, text: l.remittance }, top: f.top ? { kind: f.top.kind, conf: f.top.confidence, allocs: f.top.allocations, signals: f.top.signals } : null, ...(process.env.BENCH_FAILURES_ALTS ? { alts: (decisions.get(f.lineId) ?? []).slice(1).map((p) => ({ kind: p.kind, conf: p.confidence, allocs: p.allocations, signals: p.signals })) } : {}) }));
    }
  }
  return evaluation;
}
