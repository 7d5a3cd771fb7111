/**
 * The matching engine: for each bank line, explainable proposals ranked best first, then one global
 * assignment so that no two lines claim the same open amount (assign.ts).
 *
 * Passes of decreasing certainty, all evaluated per line on the candidates the store fetched:
 *   1. structured reference (field, or a betalingskenmerk/RF in the text); end-to-end id = our reference/number
 *   2. invoice numbers in the free text (variants via invoice-numbers.ts keys)
 *   3. combined payments (subset-sum over one debtor's open items, bounded)
 *   4. debtor by counterparty IBAN + amount
 *   5. debtor by fuzzy name + amount
 *   6. partial, overpayment, invoice minus credit note (amount does not equal the named items)
 *   7. returns and reversals → 'return' with the booking to undo
 *   8. outgoing and unrelated lines → nothing
 * Confidence is additive and explained: every adjustment leaves a signal.
 */
import type { Allocation, CandidateDebtor, CandidateItem, LineDecision, MatchContext, MatchKind, MatchLine, MatchProposal, MatchSettings, PriorBooking } from './types.ts';
import { DEFAULT_MATCH_SETTINGS } from './types.ts';
import { compareKeyStrength, extractInvoiceNumberCandidates, findReferencesInText, invoiceNumberKeys, keyStrength, normaliseStructuredRef, type InvoiceKeyStrength } from './invoice-numbers.ts';
import { nameTokens, onBehalfOf, similarityTo } from './names.ts';
import { assignClaims } from './assign.ts';
import { mergeReasons, reason, withReasons, type MatchReason } from './reasons.ts';

// ---------------------------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------------------------

export type MatchIndex = {
  readonly ctx: MatchContext;
  readonly itemById: Map<number, CandidateItem>;
  readonly itemsByRef: Map<string, CandidateItem[]>;
  readonly itemsByKey: Map<string, CandidateItem[]>;
  /** Open items per debtor, oldest first (due date, issue date, id). */
  readonly itemsByDebtor: Map<number, CandidateItem[]>;
  readonly debtorById: Map<number, CandidateDebtor>;
  readonly debtorsByIban: Map<string, CandidateDebtor[]>;
  readonly debtorTokens: Map<number, string[]>;
  /** Name token (and its first and last three letters, for typos) → debtor ids. */
  readonly debtorsByNameToken: Map<string, number[]>;
  readonly priorByE2e: Map<string, PriorBooking[]>;
  readonly priorByCents: Map<number, PriorBooking[]>;
};

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

export function compareItemsOldestFirst(a: CandidateItem, b: CandidateItem): number {
  return a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : a.id - b.id;
}

export function normaliseIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase();
}

function normaliseE2e(e2e: string | null): string | null {
  if (!e2e) return null;
  const v = e2e.trim().toUpperCase();
  return v === '' || v === 'NOTPROVIDED' ? null : v;
}

export function indexContext(ctx: MatchContext): MatchIndex {
  const itemById = new Map<number, CandidateItem>();
  const itemsByRef = new Map<string, CandidateItem[]>();
  const itemsByKey = new Map<string, CandidateItem[]>();
  const itemsByDebtor = new Map<number, CandidateItem[]>();
  for (const it of ctx.items) {
    if (itemById.has(it.id)) continue;
    itemById.set(it.id, it);
    if (it.paymentReference) push(itemsByRef, normaliseStructuredRef(it.paymentReference), it);
    for (const k of invoiceNumberKeys(it.number)) push(itemsByKey, k, it);
    push(itemsByDebtor, it.debtorId, it);
  }
  for (const list of itemsByDebtor.values()) list.sort(compareItemsOldestFirst);
  const debtorById = new Map<number, CandidateDebtor>();
  const debtorsByIban = new Map<string, CandidateDebtor[]>();
  const debtorTokens = new Map<number, string[]>();
  const debtorsByNameToken = new Map<string, number[]>();
  for (const d of ctx.debtors) {
    if (debtorById.has(d.id)) continue;
    debtorById.set(d.id, d);
    for (const iban of d.ibans) push(debtorsByIban, normaliseIban(iban), d);
    const toks = nameTokens(d.name);
    debtorTokens.set(d.id, toks);
    const seen = new Set<string>();
    for (const t of toks) {
      if (t.length < 3 || NAME_PARTICLES.has(t)) continue;
      for (const k of [t, `~${t.slice(0, 3)}`, `>${t.slice(-3)}`]) {
        if (seen.has(k)) continue;
        seen.add(k);
        push(debtorsByNameToken, k, d.id);
      }
    }
  }
  const priorByE2e = new Map<string, PriorBooking[]>();
  const priorByCents = new Map<number, PriorBooking[]>();
  for (const p of ctx.priorBookings) {
    const e = normaliseE2e(p.endToEndId);
    if (e) push(priorByE2e, e, p);
    push(priorByCents, p.cents, p);
  }
  return { ctx, itemById, itemsByRef, itemsByKey, itemsByDebtor, debtorById, debtorsByIban, debtorTokens, debtorsByNameToken, priorByE2e, priorByCents };
}

// ---------------------------------------------------------------------------------------------
// Calibration: one table, so that the numbers can be read and tuned in one place.
// ---------------------------------------------------------------------------------------------

export const CONFIDENCE = {
  reference: 99,
  endToEnd: 99,
  number: { P: 95, S: 95, Z: 93, L: 88 } as Record<InvoiceKeyStrength, number>,
  combinedNamedPenalty: 1,
  /** Named item(s), amount differs. */
  partial: { reference: 92, number: 87, looseNumber: 70 },
  overpayment: { reference: 91, number: 87, looseNumber: 70 },
  /** Named invoice, a credit note of the same debtor makes the difference. */
  minusCreditNamed: { reference: 94, number: 90 },
  /** Named items cover part, other open items of the debtor make up the rest exactly. */
  namedPlusRest: 84,
  ibanAmountUnique: 93,
  ibanAmountOldestOfSeveral: 70,
  nameAmount: { exact: 90, close: 84, fuzzy: 74, weak: 62 },
  combinedUnnamed: { iban: 85, name: 76, ambiguous: 64 },
  minusCreditUnnamed: { iban: 83, name: 74 },
  partialOldestGuess: 35,
  skipNamePassAt: 90,
  debtorConfirmsIban: 3,
  debtorConfirmsName: 2,
  ibanConflict: { reference: 8, other: 14 },
  nameConflict: { reference: 1, other: 5 },
  otherDebtorSameAmount: 12,
  /** Partial/overpayment of a named item whose debtor the payer contradicts. */
  mismatchWithConflict: 8,
  /** Partial/overpayment of a named item while the amount is exactly another open item. */
  amountIsAnotherItem: 10,
  /** ... whose number is one keystroke from the number written (a mistyped number). */
  amountIsAnotherItemNearNumber: 10,
  /** Other debtors carry (almost) the same name: the name alone does not say who pays. */
  namesakes: 8,
  /**
   * Of several open items of exactly the amount, the one whose number is one keystroke from a
   * number written in the text (a mistyped number): below the unique-amount confidence by this much.
   */
  nearNumberBelowUnique: 6,
  /** The only item of the amount, and its number is one keystroke from the number written. */
  nearNumberConfirms: 2,
  /**
   * The text names an invoice of this debtor (reference or number): an item of exactly the amount
   * that the text does not name is at most a suggestion, below the named invoice's partial payment.
   */
  unnamedWhileTextNames: 72,
  /** A payment for a debtor the text names ('namens …'), by someone else: less sure than the debtor's own. */
  onBehalfOf: 6,
  /** 'deelbetaling', 'termijn', 'gedeeltelijk' …: the payer says it is a partial payment. */
  partialSaid: 5,
  returnByE2e: 98,
  returnByE2eAmountDiffers: 80,
  returnByAmountOnly: 55,
} as const;

const MAX_SUBSET_ITEMS = 20;
/** How Dutch (and English) payers say a payment is part of an invoice. */
const PARTIAL_WORDS = /\b(deel ?betaling|gedeeltelijke?|termijn|aanbetaling|eerste deel|tweede deel|1e deel|2e deel|restant|restbedrag|partial|instal+ment)\b/i;
/** Too common to find anyone by: Dutch name particles. */
const NAME_PARTICLES = new Set(['van', 'den', 'der', 'het', 'ter', 'ten', 'von', 'les', 'the', 'and', 'en']);
const MAX_SUBSET_SIZE = 4;
const MIN_NAME_SIMILARITY = 0.8;
const NAME_BUCKET_MAX = 300;

// ---------------------------------------------------------------------------------------------
// Per line
// ---------------------------------------------------------------------------------------------

type Named = { item: CandidateItem; via: 'reference' | 'end-to-end' | InvoiceKeyStrength; what: MatchReason };

type Evidence = {
  /** Debtors whose known IBAN is the counterparty IBAN. */
  readonly ibanDebtors: ReadonlySet<number>;
  /** Debtor id → name similarity, for debtors similar enough to be candidates. */
  /** Debtor id → name similarity, for debtors found by name (retrieved lazily: it is the costly part). */
  readonly nameCandidates: () => ReadonlyMap<number, number>;
  /** Name similarity to any debtor (computed on demand, cached): for confirming or contradicting a debtor found otherwise. */
  readonly simTo: (debtorId: number) => number;
  readonly hasName: boolean;
  readonly patternKey: string;
};

/** Rank the proposals for one line (before the global assignment). */
export function rankLine(line: MatchLine, idx: MatchIndex, settings: MatchSettings = DEFAULT_MATCH_SETTINGS): MatchProposal[] {
  const isReturn = line.reversal || line.returnReason != null || (line.cents < 0 && (idx.priorByE2e.get(normaliseE2e(line.endToEndId) ?? '')?.length ?? 0) > 0);
  if (isReturn) return rankReturn(line, idx).slice(0, settings.maxProposals);
  if (line.cents <= 0) return [];
  const own = rankIncoming(line, idx);
  // Paid by a third party for a debtor the text names (factoring company, parent, bookkeeper):
  // the same passes with that name as the payer's, a little less sure, unless the payer is known.
  const forWhom = onBehalfOf(`${line.remittance} ${line.info ?? ''}`);
  if (forWhom && !own.some((p) => p.confidence >= CONFIDENCE.skipNamePassAt)) {
    const payer = line.counterpartyName ?? line.counterpartyIban ?? '?';
    const viaName = rankIncoming({ ...line, counterpartyName: forWhom, counterpartyIban: null }, idx).map((p) => ({
      ...p, confidence: clamp(p.confidence - CONFIDENCE.onBehalfOf), ...withReasons([reason('paid_on_behalf', { payer, forWhom }), ...p.reasons]),
    }));
    return sortProposals(dedupe([...own, ...viaName])).slice(0, settings.maxProposals);
  }
  return own.slice(0, settings.maxProposals);
}

function rankReturn(line: MatchLine, idx: MatchIndex): MatchProposal[] {
  const e2e = normaliseE2e(line.endToEndId);
  const out: MatchProposal[] = [];
  const make = (p: PriorBooking, confidence: number, reasons: MatchReason[]): MatchProposal => {
    // Undo what the booking paid; if the return is for less, undo oldest allocation first up to the line amount.
    let left = -line.cents;
    const allocations: Allocation[] = [];
    for (const a of p.allocations) {
      if (left === 0) break;
      const take = Math.sign(left) === Math.sign(a.cents) ? (Math.abs(a.cents) <= Math.abs(left) ? a.cents : left) : 0;
      if (take === 0) continue;
      allocations.push({ itemId: a.itemId, cents: -take });
      left -= take;
    }
    const allocated = allocations.reduce((s, a) => s + a.cents, 0);
    const debtorId = allocations.length ? idx.itemById.get(allocations[0]!.itemId)?.debtorId ?? null : null;
    return { lineId: line.id, kind: 'return', confidence, debtorId, allocations, creditCents: line.cents - allocated, reversesBookingId: p.bookingId, ...withReasons(reasons) };
  };
  const why = line.returnReason ? reason('return_reason', { code: line.returnReason }) : line.reversal ? reason('reversal_indicator', {}) : reason('debit_own_e2e', {});
  const byE2e = e2e ? idx.priorByE2e.get(e2e) ?? [] : [];
  for (const p of byE2e) {
    if (p.cents === -line.cents) out.push(make(p, CONFIDENCE.returnByE2e, [why, reason('e2e_of_booking', { e2e: e2e ?? '', bookingId: p.bookingId }), reason('amount_equals_booked', { cents: p.cents, currency: line.currency })]));
    else out.push(make(p, CONFIDENCE.returnByE2eAmountDiffers, [why, reason('e2e_of_booking', { e2e: e2e ?? '', bookingId: p.bookingId }), reason('amount_differs_booked', { cents: p.cents, currency: line.currency })]));
  }
  if (out.length === 0) {
    const same = idx.priorByCents.get(-line.cents) ?? [];
    if (same.length === 1) out.push(make(same[0]!, CONFIDENCE.returnByAmountOnly, [why, reason('only_booking_with_amount', { bookingId: same[0]!.bookingId })]));
  }
  return sortProposals(out);
}

/**
 * The key under which a user's rejection of line → item is remembered: `${iban ?? normalisedName}|${itemId}`
 * (IBAN upper case without spaces; name as normaliseName gives it). The store writes these; ctx.rejected holds them.
 */
export function rejectionKey(line: Pick<MatchLine, 'counterpartyIban' | 'counterpartyName'>, itemId: number): string {
  const pattern = line.counterpartyIban ? normaliseIban(line.counterpartyIban) : nameTokens(line.counterpartyName ?? '').join(' ');
  return `${pattern}|${itemId}`;
}

function lineEvidence(line: MatchLine, idx: MatchIndex): Evidence {
  const iban = line.counterpartyIban ? normaliseIban(line.counterpartyIban) : null;
  const ibanDebtors = new Set<number>((iban ? idx.debtorsByIban.get(iban) ?? [] : []).map((d) => d.id));
  const toks = line.counterpartyName ? nameTokens(line.counterpartyName) : [];
  let nameSim: Map<number, number> | null = null;
  const simCache = new Map<number, number>();
  let scorer: ((tb: readonly string[]) => number) | null = null;
  const simTo = (id: number): number => {
    if (toks.length === 0) return 0;
    let v = simCache.get(id);
    if (v === undefined) {
      v = (scorer ??= similarityTo(toks))(idx.debtorTokens.get(id) ?? []);
      simCache.set(id, v);
    }
    return v;
  };
  const nameCandidates = (): ReadonlyMap<number, number> => {
    if (nameSim) return nameSim;
    nameSim = new Map<number, number>();
    if (toks.length === 0) return nameSim;
    // Candidates: debtors sharing a not-too-common token (or its first three letters, for typos);
    // when every token is common, those sharing the two rarest tokens.
    const cand = new Set<number>();
    const big: number[][] = [];
    for (const t of toks) {
      if (t.length < 3 || NAME_PARTICLES.has(t)) continue;
      for (const k of [t, `~${t.slice(0, 3)}`, `>${t.slice(-3)}`]) {
        const ids = idx.debtorsByNameToken.get(k);
        if (!ids) continue;
        if (ids.length > NAME_BUCKET_MAX) {
          if (k === t) big.push(ids);
          continue;
        }
        for (const id of ids) cand.add(id);
      }
    }
    if (big.length >= 2) {
      big.sort((a, b) => a.length - b.length);
      const second = new Set(big[1]);
      let n = 0;
      for (const id of big[0]!) if (second.has(id) && n++ < 4 * NAME_BUCKET_MAX) cand.add(id);
    } else if (big.length === 1 && cand.size === 0) for (const id of big[0]!.slice(0, 4 * NAME_BUCKET_MAX)) cand.add(id);
    for (const id of cand) {
      const s = simTo(id);
      if (s >= 0.5) nameSim.set(id, s);
    }
    return nameSim;
  };
  return { ibanDebtors, nameCandidates, simTo, hasName: toks.length > 0, patternKey: iban ?? toks.join(' ') };
}

function usable(line: MatchLine, it: CandidateItem, ev: Evidence, idx: MatchIndex): boolean {
  return it.currency === line.currency && it.openCents !== 0 && !idx.ctx.rejected.has(`${ev.patternKey}|${it.id}`);
}

function findNamed(line: MatchLine, idx: MatchIndex, ev: Evidence): Named[] {
  const named = new Map<number, Named>();
  const add = (it: CandidateItem, via: Named['via'], what: MatchReason) => {
    if (!usable(line, it, ev, idx)) return;
    const prev = named.get(it.id);
    if (!prev || rankVia(via) < rankVia(prev.via)) named.set(it.id, { item: it, via, what });
  };
  const text = `${line.remittance} ${line.info ?? ''}`;
  const refs = new Set<string>();
  if (line.structuredRef) refs.add(normaliseStructuredRef(line.structuredRef.value, line.structuredRef.issuer));
  for (const r of findReferencesInText(text)) refs.add(r);
  for (const r of refs) for (const it of idx.itemsByRef.get(r) ?? []) add(it, 'reference', reason('reference_of', { ref: r, rf: r.startsWith('RF'), number: it.number }));
  const e2e = normaliseE2e(line.endToEndId);
  if (e2e) {
    const byRef = idx.itemsByRef.get(normaliseStructuredRef(e2e));
    for (const it of byRef ?? []) add(it, 'end-to-end', reason('e2e_reference_of', { e2e, number: it.number }));
    for (const k of invoiceNumberKeys(e2e).slice(0, 2)) for (const it of idx.itemsByKey.get(k) ?? []) add(it, 'end-to-end', reason('e2e_is_number', { e2e, number: it.number }));
  }
  // Invoice numbers: per candidate token, the strongest key that finds anything. A key that finds
  // several items is narrowed by the letter prefix written ('F…' vs 'C…'), then by the debtor the
  // IBAN/name or the other numbers in the text point at, then by the amount; else it names nothing.
  type TokenHit = { tok: string; key: string; hits: CandidateItem[] };
  const tokenHits: TokenHit[] = [];
  for (const tok of extractInvoiceNumberCandidates(text)) {
    for (const k of invoiceNumberKeys(tok)) {
      let hits = (idx.itemsByKey.get(k) ?? []).filter((it) => usable(line, it, ev, idx));
      if (hits.length === 0) continue;
      const prefix = /^[A-Z]+/.exec(tok)?.[0];
      if (hits.length > 1 && prefix) {
        const same = hits.filter((it) => it.number.toUpperCase().startsWith(prefix));
        if (same.length >= 1) hits = same;
      }
      tokenHits.push({ tok, key: k, hits });
      break;
    }
  }
  const textDebtors = new Set<number>();
  for (const th of tokenHits) if (th.hits.length === 1) textDebtors.add(th.hits[0]!.debtorId);
  const resolved: Named[] = [];
  for (const th of tokenHits) {
    let hits = th.hits;
    if (hits.length > 1) {
      const narrowed = hits.filter((it) => ev.ibanDebtors.has(it.debtorId) || ev.simTo(it.debtorId) >= MIN_NAME_SIMILARITY || textDebtors.has(it.debtorId));
      if (narrowed.length >= 1) hits = narrowed;
    }
    if (hits.length > 1) {
      const exact = hits.filter((it) => it.openCents === line.cents);
      if (exact.length !== 1) continue; // ambiguous: this token names nothing for sure
      hits = exact;
    }
    const sk = keyStrength(th.key);
    for (const it of hits) resolved.push({ item: it, via: sk, what: reason('text_names', { token: th.tok, number: it.number, via: sk === 'P' || sk === 'S' ? 'exact' : sk === 'Z' ? 'zeros' : 'last_digits' }) });
  }
  // Loose (last-digits) hits only count when nothing stronger was found in the text.
  const anyStrong = resolved.some((n) => n.via !== 'L');
  for (const n of resolved) if (n.via !== 'L' || !anyStrong) add(n.item, n.via, n.what);
  return [...named.values()];
}

function rankVia(v: Named['via']): number {
  return v === 'reference' ? 0 : v === 'end-to-end' ? 1 : 2 + compareKeyStrength(v, 'P');
}

function debtorAdjust(debtorId: number, ev: Evidence, base: 'reference' | 'other', signals: MatchReason[], idx: MatchIndex): number {
  const d = idx.debtorById.get(debtorId);
  const dn = d ? `${d.name}` : `debtor ${debtorId}`;
  if (ev.ibanDebtors.has(debtorId)) {
    signals.push(reason('iban_known', { debtor: dn }));
    return CONFIDENCE.debtorConfirmsIban;
  }
  if (ev.ibanDebtors.size > 0) {
    signals.push(reason('iban_other_debtor', { debtor: dn }));
    return -CONFIDENCE.ibanConflict[base];
  }
  const sim = ev.simTo(debtorId);
  if (sim >= 0.9) {
    signals.push(reason('name_matches', { debtor: dn, pct: Math.round(sim * 100) }));
    return sim >= 0.95 ? CONFIDENCE.debtorConfirmsName + 1 : CONFIDENCE.debtorConfirmsName;
  }
  if (ev.hasName && sim < 0.6) {
    signals.push(reason('name_differs', { debtor: dn }));
    return -CONFIDENCE.nameConflict[base];
  }
  return 0;
}

function clamp(c: number): number {
  return Math.max(0, Math.min(99, Math.round(c)));
}

function sum(items: readonly CandidateItem[]): number {
  let s = 0;
  for (const it of items) s += it.openCents;
  return s;
}

function viaBase(via: Named['via']): number {
  return via === 'reference' ? CONFIDENCE.reference : via === 'end-to-end' ? CONFIDENCE.endToEnd : CONFIDENCE.number[via];
}

function rankIncoming(line: MatchLine, idx: MatchIndex): MatchProposal[] {
  const ev = lineEvidence(line, idx);
  const named = findNamed(line, idx, ev);
  const out: MatchProposal[] = [];
  const cur = line.currency;
  const paid = { cents: line.cents, currency: cur };
  // Numbers written in the text, to recognise one typed a keystroke off (see writtenNumberForms).
  const written = writtenNumberForms(line);
  const nearWritten = (it: CandidateItem): boolean => {
    if (written.length === 0) return false;
    const k = invoiceNumberKeys(it.number).find((x) => x.startsWith('Z:'))?.slice(2);
    return k !== undefined && written.some((w) => oneEditApart(w, k));
  };

  const partialSaid = PARTIAL_WORDS.test(`${line.remittance} ${line.info ?? ''}`);
  // Passes 1, 2, 3 (named), 6: grouped by debtor.
  const groups = new Map<number, Named[]>();
  for (const n of named) push(groups, n.item.debtorId, n);
  for (const [debtorId, ns] of groups) {
    ns.sort((a, b) => compareItemsOldestFirst(a.item, b.item));
    const invoices = ns.filter((n) => n.item.openCents > 0);
    const credits = ns.filter((n) => n.item.openCents < 0);
    const weakest = ns.reduce((w, n) => (rankVia(n.via) > rankVia(w.via) ? n : w), ns[0]!);
    const strongVia = weakest.via;
    const isRef = strongVia === 'reference' || strongVia === 'end-to-end';
    const loose = strongVia === 'L';
    const baseKind: MatchKind = strongVia === 'reference' ? 'reference' : strongVia === 'end-to-end' ? 'end-to-end' : 'invoice-number';
    const whats = ns.map((n) => n.what);
    const sumInv = sum(invoices.map((n) => n.item));
    const sumAll = sumInv + sum(credits.map((n) => n.item));
    const emit = (kind: MatchKind, confidence: number, allocs: Allocation[], creditCents: number, signals: MatchReason[]) => {
      const s = [...signals];
      let adj = debtorAdjust(debtorId, ev, isRef ? 'reference' : 'other', s, idx);
      if (kind === 'partial' || kind === 'overpayment') {
        // The amount does not fit the named item(s): other evidence decides. A payer who contradicts
        // the debtor, or an amount that is exactly another open item, suggests a mistyped number;
        // a payer who writes that it is a partial payment of a number written in full does not.
        if (adj < 0) adj -= CONFIDENCE.mismatchWithConflict;
        const said = kind === 'partial' && partialSaid && !loose && adj >= 0;
        if (said) {
          adj += CONFIDENCE.partialSaid;
          s.push(reason('says_partial', {}));
        }
        const alsoExact = exactElsewhere(adj <= 0);
        if (alsoExact && said && !nearWritten(alsoExact)) {
          s.push(reason('also_exact_unnamed', { number: alsoExact.number }));
        } else if (alsoExact) {
          adj -= CONFIDENCE.amountIsAnotherItem;
          s.push(reason('but_exact_other', { number: alsoExact.number }));
          // ... and that item's number is one keystroke from the one written: a mistyped number.
          if (nearWritten(alsoExact)) {
            adj -= CONFIDENCE.amountIsAnotherItemNearNumber;
            s.push(reason('one_keystroke_from_written', {}));
          }
        }
      }
      out.push({ lineId: line.id, kind, confidence: clamp(confidence + adj), debtorId, allocations: allocs, creditCents, ...withReasons(s) });
    };
    const exactElsewhere = (payerContradicts = false): CandidateItem | undefined => {
      // A payer who contradicts the named item's debtor and is known by name: that debtor's items too.
      const byName = payerContradicts && ev.ibanDebtors.size === 0 ? [...ev.nameCandidates()].filter(([, sim]) => sim >= 0.9).map(([id]) => id) : [];
      let first: CandidateItem | undefined;
      for (const d of [debtorId, ...ev.ibanDebtors, ...byName]) {
        for (const it of idx.itemsByDebtor.get(d) ?? []) {
          if (it.openCents !== line.cents || !usable(line, it, ev, idx) || ns.some((n) => n.item.id === it.id)) continue;
          if (nearWritten(it)) return it;
          first ??= it;
        }
      }
      return first;
    };
    const full = (items: readonly CandidateItem[]) => items.map((it) => ({ itemId: it.id, cents: it.openCents }));
    if (line.cents === sumAll && (invoices.length > 0)) {
      const kind: MatchKind = credits.length > 0 ? 'invoice-minus-credit' : ns.length > 1 ? 'combined' : baseKind;
      emit(kind, viaBase(strongVia) - (ns.length > 1 ? CONFIDENCE.combinedNamedPenalty : 0), full(ns.map((n) => n.item)), 0, [...whats, reason('amount_equals_open', { ...paid, together: ns.length > 1 })]);
      continue;
    }
    if (invoices.length === 0) continue;
    const invItems = invoices.map((n) => n.item);
    const debtorOpen = (idx.itemsByDebtor.get(debtorId) ?? []).filter((it) => usable(line, it, ev, idx) && !ns.some((n) => n.item.id === it.id));
    // Invoice minus a credit note that the text does not name.
    if (credits.length === 0) {
      const cn = debtorOpen.filter((it) => it.openCents < 0 && sumInv + it.openCents === line.cents);
      if (cn.length >= 1) {
        const c = cn[0]!;
        const base = isRef ? CONFIDENCE.minusCreditNamed.reference : CONFIDENCE.minusCreditNamed.number;
        emit('invoice-minus-credit', base - (cn.length > 1 ? 10 : 0) - (loose ? 15 : 0), [...full(invItems), { itemId: c.id, cents: c.openCents }], 0, [...whats, reason('open_minus_credit', { cents: c.openCents, currency: cur, credit: c.number })]);
      }
    }
    if (line.cents > sumInv) {
      const rest = line.cents - sumInv;
      const invOpen = debtorOpen.filter((it) => it.openCents > 0);
      const extra = findSubsets(invOpen.slice(0, MAX_SUBSET_ITEMS), rest, 3, 1);
      if (extra.length > 0) {
        const pick = extra[0]!;
        emit('combined', CONFIDENCE.namedPlusRest - (extra.length > 1 ? 10 : 0) - (loose ? 15 : 0), [...full(invItems), ...full(pick)], 0, [...whats, reason('rest_equals', { cents: rest, currency: cur, numbers: pick.map((i) => i.number) })]);
      }
      const base = isRef ? CONFIDENCE.overpayment.reference : loose ? CONFIDENCE.overpayment.looseNumber : CONFIDENCE.overpayment.number;
      emit('overpayment', base - (invItems.length > 1 ? 2 : 0) - (extra.length > 0 ? 10 : 0), full(invItems), rest, [...whats, reason('overpaid', { ...paid, restCents: rest }), ...(extra.length > 0 ? [reason('rest_equals_other', {})] : [])]);
    } else if (line.cents < sumInv) {
      // Several named but fewer paid: perhaps exactly a subset of them.
      if (invItems.length > 1) {
        const subs = findSubsets(invItems, line.cents, invItems.length);
        if (subs.length > 0) emit('combined', viaBase(strongVia) - 8 - (subs.length > 1 ? 12 : 0), full(subs[0]!), 0, [...whats, reason('equals_only', { numbers: subs[0]!.map((i) => i.number) })]);
      }
      // Partial: pay the oldest named first.
      const allocs: Allocation[] = [];
      let left = line.cents;
      for (const it of invItems) {
        if (left <= 0) break;
        const take = Math.min(left, it.openCents);
        allocs.push({ itemId: it.id, cents: take });
        left -= take;
      }
      const base = isRef ? CONFIDENCE.partial.reference : loose ? CONFIDENCE.partial.looseNumber : CONFIDENCE.partial.number;
      emit('partial', base - (invItems.length > 1 ? 8 : 0), allocs, 0, [...whats, reason('partial_less', { ...paid, openCents: sumInv })]);
    }
  }

  // Passes 3, 4, 5: the debtor from IBAN or name, and the amount.
  const belowCertain = CONFIDENCE.skipNamePassAt;
  const debtorCands: { id: number; byIban: boolean; sim: number }[] = [];
  for (const id of ev.ibanDebtors) debtorCands.push({ id, byIban: true, sim: ev.simTo(id) });
  // The name pass is the costly one; it only adds alternatives when a more certain pass already fits.
  const certain = out.some((p) => p.confidence >= CONFIDENCE.skipNamePassAt);
  if (ev.ibanDebtors.size === 0 && !certain) {
    const byName = [...ev.nameCandidates()].filter(([, s]) => s >= MIN_NAME_SIMILARITY).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    // The five most similar, plus any similar one with an item of exactly this amount.
    byName.forEach(([id, sim], i) => {
      if (i < 5 || (idx.itemsByDebtor.get(id) ?? []).some((it) => it.openCents === line.cents)) debtorCands.push({ id, byIban: false, sim });
    });
  }
  const exactPerDebtor = new Map<number, CandidateItem[]>();
  for (const dc of debtorCands) {
    const open = (idx.itemsByDebtor.get(dc.id) ?? []).filter((it) => usable(line, it, ev, idx));
    exactPerDebtor.set(dc.id, open.filter((it) => it.openCents === line.cents));
  }
  const nameCandidatesWithAmount = debtorCands.filter((dc) => !dc.byIban && (exactPerDebtor.get(dc.id)?.length ?? 0) > 0).length;
  for (const dc of debtorCands) {
    const d = idx.debtorById.get(dc.id)!;
    const open = (idx.itemsByDebtor.get(dc.id) ?? []).filter((it) => usable(line, it, ev, idx));
    const who = dc.byIban ? reason('iban_known', { debtor: d.name }) : reason('name_resembles', { name: line.counterpartyName ?? '', debtor: d.name, pct: Math.round(dc.sim * 100) });
    const nameBase = dc.sim >= 0.999 ? CONFIDENCE.nameAmount.exact : dc.sim >= 0.93 ? CONFIDENCE.nameAmount.close : dc.sim >= 0.87 ? CONFIDENCE.nameAmount.fuzzy : CONFIDENCE.nameAmount.weak;
    const namesakes = dc.byIban ? 0 : [...ev.nameCandidates()].filter(([id, s]) => id !== dc.id && s >= 0.93).length;
    const competitorPenalty = (!dc.byIban && nameCandidatesWithAmount > 1 ? CONFIDENCE.otherDebtorSameAmount : 0) + (namesakes > 0 ? CONFIDENCE.namesakes : 0);
    // The text names an invoice of this debtor (not by its last digits only): what it does not name is a suggestion.
    const namesOwn = named.some((n) => n.item.debtorId === dc.id && n.via !== 'L');
    const push1 = (kind: MatchKind, conf: number, allocs: Allocation[], signals: MatchReason[]) => {
      const unnamed = namesOwn && allocs.some((a) => !named.some((n) => n.item.id === a.itemId));
      out.push({
        lineId: line.id, kind, confidence: clamp(unnamed ? Math.min(conf, CONFIDENCE.unnamedWhileTextNames) : conf), debtorId: dc.id, allocations: allocs, creditCents: 0,
        ...withReasons([who, ...signals, ...(unnamed ? [reason('text_names_another', {})] : [])]),
      });
    };
    // Of several items of the amount, those another payment's suggestion already takes come last.
    const elsewhere = idx.ctx.suggestedElsewhere;
    const exact0 = exactPerDebtor.get(dc.id)!;
    const exact = elsewhere && exact0.length > 1 ? [...exact0.filter((it) => !elsewhere.has(it.id)), ...exact0.filter((it) => elsewhere.has(it.id))] : exact0;
    const uniqueConf = dc.byIban ? CONFIDENCE.ibanAmountUnique + (dc.sim >= 0.9 ? 1 : 0) : nameBase - competitorPenalty;
    const near = exact.length ? exact.filter((it) => nearWritten(it)) : [];
    if (exact.length === 1) {
      const it = exact[0]!;
      const nearSignal = near.length ? [reason('near_number', { number: it.number })] : [];
      const conf = uniqueConf + (near.length && !dc.byIban ? CONFIDENCE.nearNumberConfirms : 0);
      push1(dc.byIban ? 'iban-amount' : 'name-amount', conf, [{ itemId: it.id, cents: it.openCents }], [reason('only_item_of_amount', { cents: it.openCents, currency: cur, number: it.number }), ...nearSignal, ...(nameCandidatesWithAmount > 1 && !dc.byIban ? [reason('similar_name_same_amount', {})] : []), ...(namesakes > 0 ? [reason('namesakes', { n: namesakes })] : [])]);
    } else if (exact.length > 1) {
      exact.forEach((it, i) => {
        const conf = (dc.byIban ? CONFIDENCE.ibanAmountOldestOfSeveral : nameBase - 25) - i * 2 - competitorPenalty;
        const taken = elsewhere?.has(it.id) ? [reason('already_suggested', { number: it.number })] : [];
        const age = exact0.indexOf(it);
        push1(dc.byIban ? 'iban-amount' : 'name-amount', conf, [{ itemId: it.id, cents: it.openCents }], [reason('several_of_amount', { ...paid, n: exact.length, rank: age + 1, number: it.number }), ...taken]);
      });
      // A mistyped number: the one item of the amount whose number is one keystroke from the text's.
      if (near.length === 1) {
        const it = near[0]!;
        const oldestConf = (dc.byIban ? CONFIDENCE.ibanAmountOldestOfSeveral : nameBase - 25) - competitorPenalty;
        push1('invoice-number', Math.max(Math.min(uniqueConf, belowCertain) - CONFIDENCE.nearNumberBelowUnique, oldestConf + 3), [{ itemId: it.id, cents: it.openCents }], [reason('several_of_amount_near', { ...paid, n: exact.length, number: it.number })]);
      }
    }
    const invOpen = open.filter((it) => it.openCents > 0);
    const creditOpen = open.filter((it) => it.openCents < 0);
    if (exact.length === 0) {
      // Invoice minus credit note.
      const byOpen = new Map<number, CandidateItem[]>();
      for (const it of invOpen) push(byOpen, it.openCents, it);
      const pairs: [CandidateItem, CandidateItem][] = [];
      for (const c of creditOpen) for (const it of byOpen.get(line.cents - c.openCents) ?? []) pairs.push([it, c]);
      pairs.slice(0, 3).forEach(([it, c], i) => {
        const conf = (dc.byIban ? CONFIDENCE.minusCreditUnnamed.iban : CONFIDENCE.minusCreditUnnamed.name - (1 - dc.sim) * 30) - (pairs.length > 1 ? 12 : 0) - 2 * i;
        push1('invoice-minus-credit', conf, [{ itemId: it.id, cents: it.openCents }, { itemId: c.id, cents: c.openCents }], [reason('minus_credit_note', { number: it.number, credit: c.number })]);
      });
      // Combined: exact sum of several open items.
      const subs = findSubsets(invOpen.slice(0, MAX_SUBSET_ITEMS), line.cents, MAX_SUBSET_SIZE);
      subs.forEach((pick, i) => {
        // Later combinations step down gently: when another line claims an item of the first ones, an
        // intact combination must still rank above what is left of a cut-down one.
        const conf = (subs.length > 1 ? CONFIDENCE.combinedUnnamed.ambiguous : dc.byIban ? CONFIDENCE.combinedUnnamed.iban : CONFIDENCE.combinedUnnamed.name - (1 - dc.sim) * 30) - (i < 4 ? 3 * i : 9 + (i - 3));
        push1('combined', conf, pick.map((it) => ({ itemId: it.id, cents: it.openCents })), [reason('sum_of', { numbers: pick.map((x) => x.number), combinations: subs.length, oldest: i === 0 })]);
      });
      // A guess for the user: a partial payment of the oldest item.
      const oldest = invOpen[0];
      if (oldest && line.cents < oldest.openCents && named.length === 0) {
        push1('partial', CONFIDENCE.partialOldestGuess, [{ itemId: oldest.id, cents: line.cents }], [reason('partial_oldest', { number: oldest.number })]);
      }
    }
  }
  return sortProposals(dedupe(out));
}

/**
 * The invoice numbers written in a line's text, in the form of the `Z:` key ('F2026-03136' →
 * '2026.3136'), with every year/number split of a run of digits ('F202603136' → '2026.3136', …).
 */
function writtenNumberForms(line: MatchLine): string[] {
  const out = new Set<string>();
  for (const tok of extractInvoiceNumberCandidates(`${line.remittance} ${line.info ?? ''}`)) {
    const z = invoiceNumberKeys(tok).find((x) => x.startsWith('Z:'))?.slice(2);
    if (z) out.add(z);
    const digits = tok.replace(/^[A-Za-z]+[-.]?/, '');
    if (/^\d{6,14}$/.test(digits)) {
      for (let i = 2; i <= Math.min(4, digits.length - 2); i++) out.add(`${digits.slice(0, i).replace(/^0+(?=\d)/, '')}.${digits.slice(i).replace(/^0+(?=\d)/, '')}`);
    }
  }
  return [...out].filter((x) => x.replace(/\D/g, '').length >= 4);
}

/** Two numbers one keystroke apart: one digit changed, dropped, added, or two neighbours swapped (not equal). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < Math.min(la, lb) && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Subsets (size 2..maxSize) of `items` whose open amounts add up to `target` exactly, the oldest
 * combination first. Pairs are hashed, so size 3 and 4 cost O(n·pairs) and O(pairs) lookups
 * instead of enumerating every combination. Returns at most a handful (enough to know "unique").
 */
export function findSubsets(items: readonly CandidateItem[], target: number, maxSize: number, minSize = 2): CandidateItem[][] {
  const n = items.length;
  const found: number[][] = [];
  const seen = new Set<string>();
  const addFound = (ix: number[]) => {
    const s = [...ix].sort((a, b) => a - b);
    if (new Set(s).size !== s.length) return;
    const k = s.join(',');
    if (seen.has(k)) return;
    seen.add(k);
    found.push(s);
  };
  if (minSize <= 1) for (let i = 0; i < n; i++) if (items[i]!.openCents === target) addFound([i]);
  if (n < 2 || maxSize < 2) return found.map((ix) => ix.map((i) => items[i]!));
  const pairSums = new Map<number, [number, number][]>();
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) push(pairSums, items[i]!.openCents + items[j]!.openCents, [i, j]);
  for (const p of pairSums.get(target) ?? []) addFound(p);
  if (found.length >= 8) maxSize = Math.min(maxSize, 2);
  if (maxSize >= 3) {
    for (let i = 0; i < n && found.length < 8; i++) for (const [a, b] of pairSums.get(target - items[i]!.openCents) ?? []) if (a !== i && b !== i) addFound([i, a, b]);
  }
  if (maxSize >= 4 && found.length < 8) {
    outer: for (const [s, ps] of pairSums) {
      const other = pairSums.get(target - s);
      if (!other) continue;
      for (const [a, b] of ps) for (const [c, d] of other) {
        if (a !== c && a !== d && b !== c && b !== d) addFound([a, b, c, d]);
        if (found.length >= 8) break outer;
      }
    }
  }
  // Oldest first: the combination whose items are earliest in the (oldest-first) list; fewer items first.
  found.sort((x, y) => x.length - y.length || compareIndexLists(x, y));
  return found.map((ix) => ix.map((i) => items[i]!));
}

function compareIndexLists(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function allocationSignature(p: MatchProposal): string {
  const a = [...p.allocations].sort((x, y) => x.itemId - y.itemId).map((x) => `${x.itemId}:${x.cents}`);
  return `${a.join(',')}|${p.creditCents}|${p.reversesBookingId ?? ''}`;
}

/** The same allocation found by several passes: keep the most confident, merge the reasons. */
function dedupe(ps: MatchProposal[]): MatchProposal[] {
  const by = new Map<string, MatchProposal>();
  for (const p of ps) {
    const k = allocationSignature(p);
    const prev = by.get(k);
    if (!prev) by.set(k, p);
    else {
      const [hi, lo] = p.confidence > prev.confidence ? [p, prev] : [prev, p];
      by.set(k, { ...hi, ...withReasons(mergeReasons(hi.reasons, lo.reasons)) });
    }
  }
  return [...by.values()];
}

const KIND_ORDER: Record<MatchKind, number> = {
  reference: 0, 'end-to-end': 1, 'invoice-number': 2, combined: 3, 'invoice-minus-credit': 4, 'iban-amount': 5, 'name-amount': 6, overpayment: 7, partial: 8, return: 9,
};

export function sortProposals(ps: MatchProposal[]): MatchProposal[] {
  return ps.sort((a, b) => b.confidence - a.confidence || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || allocationSignature(a).localeCompare(allocationSignature(b)));
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/** Rank every line, then assign open amounts globally (no two lines claim the same open amount). */
export function matchLines(lines: readonly MatchLine[], ctx: MatchContext, settings: MatchSettings = DEFAULT_MATCH_SETTINGS): LineDecision[] {
  const idx = indexContext(ctx);
  // The assignment needs alternatives beyond those shown: when another line claims an item, the
  // next combination or the next item of the same amount takes its place. It keeps maxProposals.
  const wide = { ...settings, maxProposals: settings.maxProposals * 3 };
  const ranked = lines.map((l) => rankLine(l, idx, wide));
  return assignClaims(lines, ranked, idx.itemById, settings);
}
