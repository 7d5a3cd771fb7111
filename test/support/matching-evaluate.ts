/**
 * Accuracy of the matcher against a ground truth (the golden dataset or a generated scenario).
 *
 * - precision: of the lines booked automatically (top proposal ≥ threshold), the share whose
 *   allocations, credit and reversed booking are exactly right. Noise lines that get booked count
 *   as wrong bookings.
 * - recall: of the debtor payments that belong to open items (truth has allocations; returns
 *   excluded: they are reported per kind), the share booked automatically and right.
 * - suggestionRight: of the debtor payments not booked automatically, the share whose top
 *   suggestion is exactly right.
 * - noiseQuiet: of the noise lines, the share that is not booked.
 */
import type { LineDecision, MatchProposal } from '../../src/domain/matching/types.ts';
import type { TruthKind, TruthLine } from './matching-scenario.ts';

export type MatchStats = {
  readonly lines: number;
  readonly booked: number;
  readonly bookedRight: number;
  readonly precision: number;
  readonly payments: number;
  readonly paymentsBookedRight: number;
  readonly recall: number;
  readonly rest: number;
  readonly restTopRight: number;
  readonly suggestionRight: number;
  readonly noise: number;
  readonly noiseBooked: number;
};

export type MatchFailure = { readonly lineId: number; readonly truth: TruthLine; readonly top: MatchProposal | null; readonly booked: boolean };

export type MatchEvaluation = {
  readonly threshold: number;
  readonly overall: MatchStats;
  readonly byKind: Readonly<Partial<Record<TruthKind, MatchStats>>>;
  /** Wrong automatic bookings and wrong top suggestions, for reading. */
  readonly failures: readonly MatchFailure[];
};

function signature(allocs: readonly { itemId: number; cents: number }[], credit: number, reverses: number | undefined): string {
  const merged = new Map<number, number>();
  for (const a of allocs) merged.set(a.itemId, (merged.get(a.itemId) ?? 0) + a.cents);
  const parts = [...merged].filter(([, c]) => c !== 0).sort((a, b) => a[0] - b[0]).map(([i, c]) => `${i}:${c}`);
  return `${parts.join(',')}|${credit}|${reverses ?? ''}`;
}

export function isRight(truth: TruthLine, p: MatchProposal | null | undefined): boolean {
  if (!p) return truth.allocations.length === 0 && truth.creditCents === 0;
  return signature(truth.allocations, truth.creditCents, truth.reversesBookingId) === signature(p.allocations, p.creditCents, p.reversesBookingId);
}

type Acc = { lines: number; booked: number; bookedRight: number; payments: number; paymentsBookedRight: number; rest: number; restTopRight: number; noise: number; noiseBooked: number };

const empty = (): Acc => ({ lines: 0, booked: 0, bookedRight: 0, payments: 0, paymentsBookedRight: 0, rest: 0, restTopRight: 0, noise: 0, noiseBooked: 0 });

function finish(a: Acc): MatchStats {
  const ratio = (x: number, y: number) => (y === 0 ? 1 : x / y);
  return { ...a, precision: ratio(a.bookedRight, a.booked), recall: ratio(a.paymentsBookedRight, a.payments), suggestionRight: ratio(a.restTopRight, a.rest) };
}

export function evaluateMatching(truth: readonly TruthLine[], decisions: readonly LineDecision[], threshold: number): MatchEvaluation {
  const byLine = new Map(decisions.map((d) => [d.lineId, d]));
  const overall = empty();
  const kinds = new Map<TruthKind, Acc>();
  const failures: MatchFailure[] = [];
  for (const t of truth) {
    const top = byLine.get(t.lineId)?.proposals[0] ?? null;
    const booked = top !== null && top.confidence >= threshold;
    const right = isRight(t, top);
    // Debtor payments that belong to open items; returns are judged by precision and per kind only.
    const isPayment = t.kind !== 'return' && (t.allocations.length > 0 || t.creditCents !== 0);
    const isNoise = t.kind === 'noise';
    for (const a of [overall, kinds.get(t.kind) ?? (kinds.set(t.kind, empty()), kinds.get(t.kind)!)]) {
      a.lines++;
      if (booked) {
        a.booked++;
        if (right) a.bookedRight++;
      }
      if (isPayment) {
        a.payments++;
        if (booked && right) a.paymentsBookedRight++;
        if (!booked) {
          a.rest++;
          if (right) a.restTopRight++;
        }
      } else if (isNoise) {
        a.noise++;
        if (booked) a.noiseBooked++;
      }
    }
    if ((booked && !right) || (!isNoise && !booked && !right)) failures.push({ lineId: t.lineId, truth: t, top, booked });
  }
  const byKind: Partial<Record<TruthKind, MatchStats>> = {};
  for (const [k, a] of [...kinds].sort((x, y) => x[0].localeCompare(y[0]))) byKind[k] = finish(a);
  return { threshold, overall: finish(overall), byKind, failures };
}

/** A compact table for logs and the benchmark. */
export function formatEvaluation(e: MatchEvaluation): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const row = (name: string, s: MatchStats) =>
    `${name.padEnd(22)}${String(s.lines).padStart(6)}${String(s.booked).padStart(7)}${pct(s.precision)}${pct(s.recall)}${String(s.rest).padStart(6)}${pct(s.suggestionRight)}${String(s.noiseBooked).padStart(6)}`;
  return [
    `${'kind'.padEnd(22)}${'lines'.padStart(6)}${'booked'.padStart(7)}${'prec'.padStart(7)}${'recall'.padStart(7)}${'rest'.padStart(6)}${'sugg'.padStart(7)}${'noiseB'.padStart(6)}`,
    ...Object.entries(e.byKind).map(([k, s]) => row(k, s!)),
    row('overall', e.overall),
  ].join('\n');
}
