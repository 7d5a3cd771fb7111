/**
 * The global step after ranking: no two bank lines may claim the same open amount.
 * Lines are processed most certain first (ties: booking date, then line id, so the result is
 * deterministic). Each line's top proposal claims its allocations; later lines see the reduced
 * remaining open amounts, so their proposals are cut down (the part that no longer fits becomes
 * the debtor's credit, at a much lower confidence) or dropped, and a line may fall back to its
 * next proposal.
 */
import { reason, withReasons, type MatchReason } from './reasons.ts';
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
  return earlierPaysOlder(lines, ranked, out, items, settings);
}

/**
 * Several lines of one debtor paying the same amount, with several open items of that amount and
 * nothing else to tell them apart: the earlier payment pays the older item. The claims run most
 * confident first (an IBAN-known payer before a name-only one), which can hand the older item to
 * the later line; afterwards, the items such lines got (their top proposal a single item, below
 * the threshold) are dealt out again in the order of the payments. The same items stay claimed,
 * once each; only which line suggests which changes.
 */
function earlierPaysOlder(lines: readonly MatchLine[], ranked: readonly (readonly MatchProposal[])[], out: LineDecision[], items: ReadonlyMap<number, CandidateItem>, settings: MatchSettings): LineDecision[] {
  const single = (p: MatchProposal, cents: number): number | null =>
    (p.kind === 'iban-amount' || p.kind === 'name-amount') && p.creditCents === 0 && p.allocations.length === 1 && p.allocations[0]!.cents === cents && items.get(p.allocations[0]!.itemId)?.openCents === cents ? p.allocations[0]!.itemId : null;
  const groups = new Map<string, number[]>();
  out.forEach((d, i) => {
    const p = d.proposals[0];
    if (!p || p.confidence >= settings.autoBookThreshold || p.debtorId === null || single(p, lines[i]!.cents) === null) return;
    const k = `${p.debtorId}|${lines[i]!.cents}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const cents = lines[g[0]!]!.cents;
    const its = g.map((i) => items.get(out[i]!.proposals[0]!.allocations[0]!.itemId)!).sort(oldestFirst);
    const byPayment = [...g].sort((a, b) => (lines[a]!.bookingDate < lines[b]!.bookingDate ? -1 : lines[a]!.bookingDate > lines[b]!.bookingDate ? 1 : lines[a]!.id - lines[b]!.id));
    // Every line must have proposed the item it would get.
    const chosen = byPayment.map((i, k) => ranked[i]!.find((p) => p.debtorId === out[i]!.proposals[0]!.debtorId && single(p, cents) === its[k]!.id));
    if (chosen.some((p) => !p)) continue;
    byPayment.forEach((i, k) => {
      const top = out[i]!.proposals[0]!;
      const c = chosen[k]!;
      if (c.allocations[0]!.itemId === top.allocations[0]!.itemId) return;
      const rest = out[i]!.proposals.slice(1).filter((p) => !p.allocations.some((a) => a.itemId === c.allocations[0]!.itemId));
      const next: MatchProposal[] = [{ ...c, confidence: top.confidence, ...withReasons([...c.reasons, reason('earlier_pays_older', {})]) }, { ...top, confidence: Math.min(top.confidence, c.confidence) }, ...rest];
      out[i] = { ...out[i]!, proposals: next.slice(0, settings.maxProposals) };
    });
  }
  return out;
}

function oldestFirst(a: CandidateItem, b: CandidateItem): number {
  return a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.id - b.id;
}

/** The proposal as far as it still fits the remaining open amounts, or null. */
function fit(p: MatchProposal, rem: (id: number) => number, claimedBy: ReadonlyMap<number, number>, line: MatchLine): MatchProposal | null {
  if (p.kind === 'return') return p;
  let cut = false;
  let lost = 0;
  const allocations: Allocation[] = [];
  const notes: MatchReason[] = [];
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
      notes.push(reason('already_claimed', { itemId: x.itemId, lineId: claimedBy.get(x.itemId) ?? null, leftCents: take }));
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
      ...withReasons([...p.reasons, ...notes, reason('already_paid_credit', {})]),
    };
  }
  return {
    ...p,
    kind: 'overpayment',
    confidence: Math.max(0, Math.min(CUT_DOWN_MAX, p.confidence - CUT_DOWN_PENALTY)),
    allocations,
    creditCents,
    ...withReasons([...p.reasons, ...notes]),
  };
}
