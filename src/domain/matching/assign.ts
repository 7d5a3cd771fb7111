/**
 * The global step after ranking: no two bank lines may claim the same open amount.
 * Lines are processed most certain first (ties: booking date, then line id, so the result is
 * deterministic). Each line's top proposal claims its allocations; later lines see the reduced
 * remaining open amounts, so their proposals are cut down (the part that no longer fits becomes
 * the debtor's credit, at a much lower confidence) or dropped, and a line may fall back to its
 * next proposal.
 */
import type { Allocation, CandidateItem, LineDecision, MatchLine, MatchProposal, MatchSettings } from './types.ts';
import { DEFAULT_MATCH_SETTINGS } from './types.ts';

/** Confidence of a proposal that had to be cut down because another line claimed (part of) an item. */
const CUT_DOWN_MAX = 60;
const CUT_DOWN_PENALTY = 30;
const ALREADY_PAID_MAX = 20;

export function assignClaims(
  lines: readonly MatchLine[],
  ranked: readonly (readonly MatchProposal[])[],
  items: ReadonlyMap<number, CandidateItem>,
  settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
): LineDecision[] {
  const remaining = new Map<number, number>();
  const rem = (id: number) => remaining.get(id) ?? items.get(id)?.openCents ?? 0;
  const claimedBy = new Map<number, number>();
  const order = lines.map((_, i) => i);
  const best = (i: number) => ranked[i]?.[0]?.confidence ?? -1;
  order.sort((a, b) => best(b) - best(a) || (lines[a]!.bookingDate < lines[b]!.bookingDate ? -1 : lines[a]!.bookingDate > lines[b]!.bookingDate ? 1 : 0) || lines[a]!.id - lines[b]!.id);
  const out: LineDecision[] = new Array(lines.length);
  for (const i of order) {
    const line = lines[i]!;
    const adjusted: MatchProposal[] = [];
    for (const p of ranked[i] ?? []) {
      const a = fit(p, rem, claimedBy, line);
      if (a) adjusted.push(a);
    }
    // Stable: equal confidence keeps the engine's order.
    const sorted = adjusted.map((p, k) => ({ p, k })).sort((x, y) => y.p.confidence - x.p.confidence || x.k - y.k).map((x) => x.p);
    const unique: MatchProposal[] = [];
    const seen = new Set<string>();
    for (const p of sorted) {
      const key = `${p.allocations.map((x) => `${x.itemId}:${x.cents}`).join(',')}|${p.creditCents}|${p.reversesBookingId ?? ''}|${p.debtorId ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(p);
      if (unique.length >= settings.maxProposals) break;
    }
    const top = unique[0];
    if (top && top.kind !== 'return') {
      for (const x of top.allocations) {
        remaining.set(x.itemId, rem(x.itemId) - x.cents);
        claimedBy.set(x.itemId, line.id);
      }
    }
    out[i] = { lineId: line.id, proposals: unique };
  }
  return out;
}

/** The proposal as far as it still fits the remaining open amounts, or null. */
function fit(p: MatchProposal, rem: (id: number) => number, claimedBy: ReadonlyMap<number, number>, line: MatchLine): MatchProposal | null {
  if (p.kind === 'return') return p;
  let cut = false;
  let lost = 0;
  const allocations: Allocation[] = [];
  const notes: string[] = [];
  for (const x of p.allocations) {
    const r = rem(x.itemId);
    let take: number;
    if (x.cents > 0) take = Math.min(x.cents, Math.max(r, 0));
    else take = Math.max(x.cents, Math.min(r, 0));
    if (take !== x.cents) {
      cut = true;
      // A credit note that is no longer available changes what the line means: drop the proposal.
      if (x.cents < 0) return null;
      lost += x.cents - take;
      notes.push(`item ${x.itemId} was already claimed by line ${claimedBy.get(x.itemId) ?? '?'}; ${take === 0 ? 'nothing' : take} left open`);
    }
    if (take !== 0) allocations.push({ itemId: x.itemId, cents: take });
  }
  if (!cut) return p;
  const creditCents = p.creditCents + lost;
  if (!allocations.some((x) => x.cents > 0)) {
    if (p.debtorId === null) return null;
    return {
      ...p,
      kind: 'overpayment',
      confidence: Math.min(ALREADY_PAID_MAX, p.confidence - CUT_DOWN_PENALTY),
      allocations: [],
      creditCents: line.cents,
      signals: [...p.signals, ...notes, 'the items are already paid: the whole amount becomes credit'],
    };
  }
  return {
    ...p,
    kind: 'overpayment',
    confidence: Math.max(0, Math.min(CUT_DOWN_MAX, p.confidence - CUT_DOWN_PENALTY)),
    allocations,
    creditCents,
    signals: [...p.signals, ...notes],
  };
}
