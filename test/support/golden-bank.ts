/**
 * The golden set of bank lines (test/fixtures/golden-bank/golden.json) run through the real import
 * and scored: shared by test/app/golden-matching.test.ts and the bench (`npm run bench -- --only matching`).
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../../src/store/db.ts';
import { aDebtor, anInvoice, utf8 } from './builders.ts';
import { importStatement } from '../../src/app/bank.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { parseAmount } from '../../src/domain/money.ts';
import type { BankEntry } from '../../src/domain/bank-statement.ts';
import type { Administration } from '../../src/store/administrations.ts';

type GoldenLine = { id: string; bank: string; kind: string; amount: string; name: string; iban: string; text: string; ref: string | null; e2e: string | null; truth: { invoice: string; amount: string }[] };
type Golden = { debtors: { number: string; name: string; ibans: string[] }[]; invoices: { number: string; debtor: string; amount: string; paymentReference: string | null }[]; lines: GoldenLine[] };

export const GOLDEN: Golden = JSON.parse(readFileSync(new URL('../fixtures/golden-bank/golden.json', import.meta.url), 'utf8'));


export const GOLDEN_IBAN = 'NL91ABNA0417164300';
const cents = (s: string): number => {
  const r = parseAmount(s, { decimal: '.' });
  if (!r.ok) throw new Error(r.error);
  return r.cents;
};

export type GoldenScore = {
  lines: number; auto: number; autoRight: number; review: number; topRight: number; payable: number;
  byKind: Record<string, { lines: number; auto: number; autoRight: number; topRight: number; review: number }>;
  wrong: string[];
};

export async function runGolden(db: Db, admin: Administration): Promise<GoldenScore> {
  const debtors = new Map<string, number>();
  for (const d of GOLDEN.debtors) debtors.set(d.number, (await aDebtor(db, admin, { number: d.number, name: d.name, ibans: d.ibans } as never)).id);
  for (const i of GOLDEN.invoices) await anInvoice(db, admin, { id: debtors.get(i.debtor)! } as never, { number: i.number, amount: i.amount, ...(i.paymentReference ? { paymentReference: i.paymentReference } : {}) });
  const banks = [...new Set(GOLDEN.lines.map((l) => l.bank))];
  let balance = 1_000_000;
  for (const [k, bank] of banks.entries()) {
    const entries: BankEntry[] = GOLDEN.lines.filter((l) => l.bank === bank).map((l) => ({
      entryRef: l.id, txIndex: 0, txCount: 1, bookingDate: `2026-11-${String(20 + k).padStart(2, '0')}`, valueDate: null, cents: cents(l.amount), currency: 'EUR', reversal: false,
      counterpartyName: l.name, counterpartyIban: l.iban, counterpartyBic: null, structuredRef: l.ref ? { issuer: 'CUR', value: l.ref } : null, endToEndId: l.e2e, mandateId: null,
      remittance: l.text, bankCode: 'PMNT/RCDT/ESCT', returnReason: null, info: null,
    }));
    const date = `2026-11-${String(20 + k).padStart(2, '0')}`;
    const closing = balance + entries.reduce((s, e) => s + e.cents, 0);
    const xml = writeCamt053({ statementId: `GOLDEN-${bank}`, accountIban: GOLDEN_IBAN, currency: 'EUR', openingBalance: { date, cents: balance, currency: 'EUR' }, closingBalance: { date, cents: closing, currency: 'EUR' }, entries });
    balance = closing;
    await importStatement(db, admin, { filename: `golden-${bank}.xml`, content: utf8(xml) });
  }
  const rows = await db.query<{ entry_ref: string; status: string; booked: { n: string; c: number }[] | null; top: { itemId: number; cents: number }[] | null }>(
    `SELECT l.entry_ref, l.status,
            (SELECT json_agg(json_build_object('n', i.number, 'c', a.cents)) FROM allocations a JOIN items i ON i.id = a.item_id AND i.kind <> 'unapplied_payment' WHERE a.booking_id = l.booking_id) AS booked,
            (SELECT s.allocations FROM match_suggestions s WHERE s.bank_line_id = l.id AND s.status = 'open' ORDER BY s.rank LIMIT 1) AS top
       FROM bank_lines l WHERE l.administration_id = $1`,
    [admin.id],
  );
  const numbers = new Map((await db.query<{ id: number; number: string }>('SELECT id, number FROM items WHERE administration_id = $1', [admin.id])).map((r) => [Number(r.id), r.number]));
  const key = (xs: { n: string; c: number }[]): string => xs.map((x) => `${x.n}=${x.c}`).sort().join(' ');
  const score: GoldenScore = { lines: 0, auto: 0, autoRight: 0, review: 0, topRight: 0, payable: 0, byKind: {}, wrong: [] };
  for (const l of GOLDEN.lines) {
    const r = rows.find((x) => x.entry_ref === l.id)!;
    const truth = key(l.truth.map((t) => ({ n: t.invoice, c: cents(t.amount) })));
    const k = (score.byKind[l.kind] ??= { lines: 0, auto: 0, autoRight: 0, topRight: 0, review: 0 });
    score.lines++, k.lines++;
    if (l.truth.length) score.payable++;
    if (r.status === 'auto') {
      score.auto++, k.auto++;
      const got = key((r.booked ?? []).map((b) => ({ n: b.n, c: Number(b.c) })));
      if (got === truth) score.autoRight++, k.autoRight++;
      else score.wrong.push(`${l.id} (${l.kind}) booked ${got || '-'}, right: ${truth || 'nothing'}`);
    } else if (l.truth.length) {
      score.review++, k.review++;
      const got = key((r.top ?? []).map((a) => ({ n: numbers.get(Number(a.itemId)) ?? '?', c: Number(a.cents) })));
      if (got === truth) score.topRight++, k.topRight++;
      else score.wrong.push(`${l.id} (${l.kind}) ${r.status}: top ${got || '-'}, right: ${truth}`);
    }
  }
  return score;
}

export function formatGolden(s: GoldenScore): string {
  const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
  const lines = [
    `golden set: ${s.lines} lines, ${s.payable} pay invoices; booked automatically ${s.auto} (${pct(s.auto, s.payable)} of payments), right ${pct(s.autoRight, s.auto)}; for review ${s.review}, top suggestion right ${pct(s.topRight, s.review)}`,
    ...Object.entries(s.byKind).sort().map(([k, v]) => `  ${k.padEnd(24)} ${v.lines} line(s): auto ${v.autoRight}/${v.auto} right, review top ${v.topRight}/${v.review} right`),
    ...s.wrong.map((w) => `  ✗ ${w}`),
  ];
  return lines.join('\n');
}

