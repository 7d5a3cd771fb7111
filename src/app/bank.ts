/**
 * Bank statements in, payments matched to open items.
 *
 * Import: one file = one transaction. The account must be the administration's (registered on
 * its first statement, refused if it belongs to another administration). Every bank entry
 * counts once, whatever file brings it (entry key per account). A gap between the last known
 * closing balance and this opening balance is reported.
 *
 * Matching: load → decide → commit. Candidates come from indexed SQL (references, invoice-number
 * keys, IBANs, names), the pure engine (domain/matching) ranks them, and what is certain enough
 * is booked; the rest becomes suggestions to review. Confirming teaches the IBAN→debtor link;
 * rejecting is remembered.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable, Tx } from '../store/db.ts';
import { pspSettlementOf } from '../domain/matching/psp-settlement.ts';
import type { Administration } from '../store/administrations.ts';
import { lockAdministration } from '../store/administrations.ts';
import type { BankEntry, BankStatement } from '../domain/bank-statement.ts';
import { INTEGRITY_CODES, parseStatementFile } from '../formats/statement.ts';
import type { BankCsvMapping } from '../formats/bank-csv.ts';
import { matchLines } from '../domain/matching/engine.ts';
import { DEFAULT_MATCH_SETTINGS, type CandidateItem, type MatchContext, type MatchLine, type MatchProposal, type MatchSettings } from '../domain/matching/types.ts';
import { extractInvoiceNumberCandidates, findReferencesInText, normaliseStructuredRef } from '../domain/matching/invoice-numbers.ts';
import { numberKey } from '../domain/matching/number-key.ts';
import { nameTokens, normaliseName, onBehalfOf, similarityTo } from '../domain/matching/names.ts';
import { normalizeIban } from '../domain/references.ts';
import { formatCents } from '../domain/money.ts';
import { currencyProblem, normaliseCurrency } from '../domain/currency.ts';
import { daysBetween } from '../domain/dates.ts';
import {
  administrationsOfIban, allDebtorNames, candidateDebtors, debtorIdsByIban, getBankLine, getBankLines, insertBankAccount, insertNewBankLines, insertSuggestions,
  listBankAccounts, openItemsByNumberKey, openItemsByReference, openItemsOfDebtors, openItemsOfDebtorsWithAmounts, priorBookingsFor, rejectedPairs, setLineStatus, suggestionsOf, toMatchLine,
  updateAccountAfterImport, type BankLineRow, type NewBankLine,
} from '../store/bank.ts';
import { insertBooking, reverseBooking } from '../store/bookings.ts';
import { addDebtorAccounts } from '../store/debtors.ts';
import { addEvents, type NewEvent } from '../store/events.ts';
import { refreshStatistics } from '../store/statistics.ts';
import { ev } from '../domain/events.ts';
import { reason, renderStoredReason, withReasons, type MatchReason } from '../domain/matching/reasons.ts';
import { AppError, notFound } from './errors.ts';
import { bankDataStale } from '../domain/dunning/plan.ts';
import { todayIn } from '../domain/dates.ts';
import { applyCollectionOutcomes, type CollectionOutcomeSummary } from './collection-returns.ts';
import { bookRefundPayments } from './refunds.ts';

export type StatementImportResult = {
  filename: string;
  format: string;
  alreadyImported: boolean;
  statements: number;
  entries: number;
  newEntries: number;
  duplicateEntries: number;
  accounts: string[];
  /** message in English; params (where given) let a screen say it in the user's language */
  warnings: { code: string; message: string; params?: Record<string, string> }[];
  matching: MatchRunSummary;
  /** SEPA direct debits: collected items settled or returned by this statement (app/collection-returns.ts) */
  collections: CollectionOutcomeSummary;
};

export type MatchRunSummary = { lines: number; booked: number; suggested: number; unmatched: number; ignored: number };

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export function matchSettingsOf(admin: Administration): MatchSettings {
  // the accounting package matches the bank (issue 20): Vorder proposes, a person decides, nothing is booked by itself
  if ((admin.settings as { packageOwnsPayments?: unknown }).packageOwnsPayments === true) return { ...DEFAULT_MATCH_SETTINGS, autoBookThreshold: Number.POSITIVE_INFINITY };
  const t = Number((admin.settings as { autoBookThreshold?: unknown }).autoBookThreshold);
  return { ...DEFAULT_MATCH_SETTINGS, autoBookThreshold: Number.isFinite(t) && t >= 50 && t <= 100 ? t : DEFAULT_MATCH_SETTINGS.autoBookThreshold };
}

/**
 * The key that makes one bank entry count once. With a bank reference: the reference, the
 * booking date, the amount, the position inside its entry and the occurrence of that tuple
 * within the file; banks reuse one reference for several movements (CODA sequence numbers, an
 * MT940 batch reference), so a reference alone would drop real payments. Without a reference: a
 * digest of everything that identifies the entry, again with its occurrence in the file. The
 * same file (or an overlapping one) gives the same keys, so importing it again adds nothing.
 */
export function entryKey(e: BankEntry, occurrence: number): string {
  if (e.entryRef && e.entryRef.toUpperCase() !== 'NONREF') return `ref:${e.entryRef}|${e.bookingDate}|${e.cents}#${e.txIndex}${occurrence ? `~${occurrence}` : ''}`;
  const h = createHash('sha256')
    .update([e.bookingDate, e.valueDate, e.cents, e.currency, e.reversal, e.counterpartyIban, e.counterpartyName, e.structuredRef?.value, e.endToEndId, e.remittance, e.bankCode, e.txIndex].join('\u0001'))
    .digest('hex')
    .slice(0, 32);
  return `h:${h}#${occurrence}`;
}

/** Occurrences counted per account over the whole file (`seen` is shared by its statements). */
function toNewLines(st: BankStatement, seen: Map<string, number>): NewBankLine[] {
  return st.entries.map((e) => {
    const base = entryKey(e, 0);
    const occ = seen.get(base) ?? 0;
    seen.set(base, occ + 1);
    return {
      entryKey: occ ? entryKey(e, occ) : base, entryRef: e.entryRef, txIndex: e.txIndex, txCount: e.txCount, bookingDate: e.bookingDate, valueDate: e.valueDate, cents: e.cents,
      currency: e.currency, reversal: e.reversal, counterpartyName: e.counterpartyName, counterpartyIban: e.counterpartyIban ? normalizeIban(e.counterpartyIban) : null,
      counterpartyBic: e.counterpartyBic, structuredRef: e.structuredRef?.value ?? null, structuredRefIssuer: e.structuredRef?.issuer ?? null, endToEndId: e.endToEndId,
      mandateId: e.mandateId, remittance: e.remittance ?? '', bankCode: e.bankCode, returnReason: e.returnReason, info: e.info,
      paymentInfoId: e.paymentInfoId ?? null, returnInfo: e.returnInfo ?? null, chargesCents: e.chargesCents ?? null,
    };
  });
}

export type StatementImportInput = {
  filename: string;
  content: Uint8Array;
  actor?: string | null;
  /** Import a statement whose balances do not add up (or that has no closing balance); the problems stay as warnings. */
  acceptUnbalanced?: boolean;
  /** Column mapping for a CSV layout Vorder does not recognise by its headers. */
  csvMapping?: BankCsvMapping;
  /** The administrations the caller may see (see importStatement). */
  seenBy?: readonly number[];
  /** Today (the edge passes its clock): an AM04 return is collected again from this day's next possible date. */
  asOf?: string;
};

/**
 * `seenBy`: the administrations the caller may see (the API passes them; the CLI, which sees
 * everything, does not). An account registered in one of those other administrations is refused
 * (a statement of one client imported into another by mistake); one registered where the caller
 * cannot look is none of the caller's business, so the answer must not differ: it is registered
 * here as any new account. The refusal itself names no other administration.
 */
export async function importStatement(db: Db, admin: Administration, input: StatementImportInput): Promise<StatementImportResult> {
  const parsed = parseStatementFile(input.content, input.filename, { acceptUnbalanced: input.acceptUnbalanced, csvMapping: input.csvMapping });
  if (!parsed.ok && parsed.errors.some((e) => e.code === 'statement_too_large'))
    throw new AppError('too_large', `${input.filename}: ${parsed.errors[0]!.message}`, parsed.errors.map((e) => ({ code: e.code, message: e.message })));
  if (!parsed.ok) {
    const override = parsed.errors.every((e) => INTEGRITY_CODES.has(e.code)) ? ' (if the bank wrote it so, import it anyway with --accept-unbalanced, or acceptUnbalanced=true in the API)' : '';
    throw new AppError('import_rejected', `${input.filename}: ${parsed.errors.map((e) => e.message).slice(0, 3).join('; ')}; nothing was imported${override}`, parsed.errors.map((e) => ({ line: e.line, field: e.field, code: e.code, message: e.message })));
  }
  const file = parsed.value;
  const sha = sha256(input.content);
  const settings = matchSettingsOf(admin);
  return db.transaction(async (tx) => {
    await lockAdministration(tx, admin.id);
    const [prior] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM bank_statements WHERE administration_id = $1 AND sha256 = $2', [admin.id, sha]);
    const warnings: StatementImportResult['warnings'] = parsed.warnings.map((w) => ({ code: w.code, message: w.line ? `line ${w.line}: ${w.message}` : w.message }));
    if (prior && prior.n > 0) {
      const entries = file.statements.reduce((n, s) => n + s.entries.length, 0);
      return { filename: input.filename, format: file.format, alreadyImported: true, statements: file.statements.length, entries, newEntries: 0, duplicateEntries: entries, accounts: [], warnings: [], matching: { lines: 0, booked: 0, suggested: 0, unmatched: 0, ignored: 0 }, collections: { settled: 0, returned: 0, retried: 0, mandatesEnded: 0, unknown: 0 } };
    }
    let accounts = await listBankAccounts(tx, admin.id);
    const newIds: number[] = [];
    let entries = 0;
    const accountNames = new Set<string>();
    const seenByAccount = new Map<number, Map<string, number>>();
    for (const st of file.statements) {
      const iban = st.accountIban ? normalizeIban(st.accountIban) : null;
      const label = iban ?? st.accountId ?? '(unknown account)';
      accountNames.add(label);
      let account = accounts.find((a) => (iban ? a.iban === iban : a.accountId === st.accountId));
      if (!account) {
        if (!iban && !st.accountId) throw new AppError('import_rejected', `${input.filename}: a statement names no account`, [{ code: 'statement_no_account', message: 'the statement has no account' }]);
        if (iban) {
          const others = (await administrationsOfIban(tx, iban)).filter((id) => id !== admin.id && (!input.seenBy || input.seenBy.includes(id)));
          if (others.length) throw new AppError('import_rejected', `${input.filename}: account ${iban} is not one of this administration's bank accounts; nothing was imported`, [{ field: 'account', code: 'foreign_account', message: `account ${iban} is not one of this administration's bank accounts` }]);
        }
        account = await insertBankAccount(tx, admin.id, { iban, accountId: iban ? null : st.accountId, currency: st.currency });
        accounts = [...accounts, account];
        warnings.push({ code: 'account_registered', message: `account ${label} was registered for ${admin.name} by its first statement`, params: { account: label } });
      }
      if (account.lastClosingDate && account.lastClosingCents !== null && st.openingBalance && st.openingBalance.date >= account.lastClosingDate) {
        if (st.openingBalance.cents !== account.lastClosingCents)
          warnings.push({
            code: 'balance_gap',
            message: `${label}: the opening balance ${formatCents(st.openingBalance.cents)} on ${st.openingBalance.date} does not follow the last closing balance ${formatCents(account.lastClosingCents)} on ${account.lastClosingDate}: a statement may be missing`,
            params: { account: label, opening: formatCents(st.openingBalance.cents), openingDate: st.openingBalance.date, closing: formatCents(account.lastClosingCents), closingDate: account.lastClosingDate },
          });
      }
      // ISO 4217 only, and every entry in the account's currency: a USD entry on a EUR account is
      // refused (the file is inconsistent), never added into EUR totals.
      const accountCurrency = account.currency ?? st.currency;
      const wrong = st.entries
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => !normaliseCurrency(e.currency, { historic: true }) || (accountCurrency !== null && e.currency !== accountCurrency));
      if (wrong.length)
        throw new AppError(
          'import_rejected',
          `${input.filename}: ${wrong.length} entr${wrong.length === 1 ? 'y is' : 'ies are'} not in the account's currency ${accountCurrency ?? '?'} (first: ${wrong[0]!.e.currency} ${formatCents(wrong[0]!.e.cents)}${wrong[0]!.e.entryRef ? `, reference ${wrong[0]!.e.entryRef}` : ''}); nothing was imported`,
          wrong.slice(0, 20).map(({ e, i }) => ({ field: `${label} entry ${i + 1}${e.entryRef ? ` (${e.entryRef})` : ''} currency`,  code: normaliseCurrency(e.currency, { historic: true }) ? 'entry_currency_mismatch' : 'entry_currency_invalid', message: normaliseCurrency(e.currency, { historic: true }) ? `${e.currency} on an account in ${accountCurrency}` : currencyProblem(e.currency) })),
        );
      let seen = seenByAccount.get(account.id);
      if (!seen) seenByAccount.set(account.id, (seen = new Map()));
      const lines = toNewLines(st, seen);
      entries += lines.length;
      const [stmt] = await tx.query<{ id: number }>(
        `INSERT INTO bank_statements (administration_id, bank_account_id, filename, sha256, format, statement_ref, opening_date, opening_cents, closing_date, closing_cents, entries, new_entries, warnings)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12) RETURNING id`,
        [admin.id, account.id, input.filename, sha, file.format, st.statementId, st.openingBalance?.date ?? null, st.openingBalance?.cents ?? null, st.closingBalance?.date ?? null, st.closingBalance?.cents ?? null, lines.length, JSON.stringify(warnings)],
      );
      const ids = await insertNewBankLines(tx, admin.id, account.id, stmt!.id, lines);
      await tx.query('UPDATE bank_statements SET new_entries = $2 WHERE id = $1', [stmt!.id, ids.length]);
      await updateAccountAfterImport(tx, account.id, st.closingBalance ? { date: st.closingBalance.date, cents: st.closingBalance.cents } : null);
      account = { ...account, lastClosingDate: st.closingBalance?.date ?? account.lastClosingDate, lastClosingCents: st.closingBalance?.cents ?? account.lastClosingCents };
      accounts = accounts.map((a) => (a.id === account!.id ? account! : a));
      for (const id of ids) newIds.push(id);
    }
    await refreshStatistics(tx, db.engine, ['bank_lines'], newIds.length);
    const asOf = input.asOf ?? todayIn();
    const sepa = await applyCollectionOutcomes(tx, admin, newIds, { asOf, createdAt: `${asOf}T${new Date().toISOString().slice(11, 19)}`, actor: input.actor ?? null });
    warnings.push(...sepa.warnings);
    const refunds = await bookRefundPayments(tx, admin, newIds.filter((id) => !sepa.handled.has(id)), input.actor ?? null);
    warnings.push(...refunds.warnings);
    const matching = await matchNewLines(tx, admin, newIds.filter((id) => !sepa.handled.has(id) && !refunds.booked.has(id)), settings, input.actor ?? null);
    matching.lines += sepa.handled.size + refunds.booked.size;
    matching.booked += sepa.booked + refunds.booked.size;
    matching.unmatched += sepa.handled.size - sepa.booked;
    return { filename: input.filename, format: file.format, alreadyImported: false, statements: file.statements.length, entries, newEntries: newIds.length, duplicateEntries: entries - newIds.length, accounts: [...accountNames], warnings, matching, collections: sepa.summary };
  });
}

// ------------------------------------------------------------------ matching

const NAME_STOP = new Set(['bv', 'nv', 'vof', 'cv', 'holding', 'de', 'van', 'der', 'den', 'het', 'en', 'the', 'and', 'of', 'te', 'in']);

/**
 * The administration's debtor names in memory: name token (and its first and last three letters,
 * for typos) → debtors, the same keys the engine uses; and each debtor's tokens, so that the
 * candidates of a payer's name can be scored here and only the similar ones fetched. Debtors are
 * numbered 0…n−1 here (`ids` gives the debtor id), so that scoring a name uses flat arrays.
 */
type NameIndex = {
  ids: number[];
  tokens: string[][];
  /** the first letters of each debtor's tokens, as bits (a–z; digits in `digitInitials`) */
  initials: Int32Array;
  digitInitials: Int32Array;
  keys: Map<string, Int32Array>;
  /** scratch for one name at a time: cheap score per debtor, and a stamp per debtor */
  hits: Float64Array;
  stamp: Int32Array;
  round: { n: number };
};

/**
 * The last name indexes built, by administration, with the fingerprint of the debtor names they
 * were built from (count and a hash of every id and name, summed in SQL): an import reads the
 * fingerprint instead of every name, and builds the index again only when a debtor was added,
 * removed or renamed. The index is a function of those names only, so a stale one is never used.
 */
const nameIndexCache = new Map<number, { fingerprint: string; idx: NameIndex }>();
const NAME_INDEX_CACHE_MAX = 4;

async function nameIndexOf(q: Queryable, administrationId: number): Promise<NameIndex> {
  const [f] = await q.query<{ fingerprint: string }>(
    `SELECT count(*) || ':' || coalesce(sum(hashtextextended(name, id)), 0) AS fingerprint FROM debtors WHERE administration_id = $1`,
    [administrationId],
  );
  const fingerprint = f!.fingerprint;
  const hit = nameIndexCache.get(administrationId);
  if (hit && hit.fingerprint === fingerprint) return hit.idx;
  const idx = await buildNameIndex(q, administrationId);
  nameIndexCache.delete(administrationId);
  if (nameIndexCache.size >= NAME_INDEX_CACHE_MAX) nameIndexCache.delete(nameIndexCache.keys().next().value!);
  nameIndexCache.set(administrationId, { fingerprint, idx });
  return idx;
}

/** Bit of a token's first character: a–z in `letters`, 0–9 in `digits` (exact, no two share a bit). */
function initialBits(toks: readonly string[]): [number, number] {
  let letters = 0, digits = 0;
  for (const t of toks) {
    const c = t.charCodeAt(0);
    if (c >= 97 && c <= 122) letters |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) digits |= 1 << (c - 48);
  }
  return [letters, digits];
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

async function buildNameIndex(q: Queryable, administrationId: number): Promise<NameIndex> {
  const lists = new Map<string, number[]>();
  const rows = await allDebtorNames(q, administrationId);
  const ids: number[] = new Array(rows.length);
  const tokens: string[][] = new Array(rows.length);
  const initials = new Int32Array(rows.length), digitInitials = new Int32Array(rows.length);
  rows.forEach((d, n) => {
    const toks = nameTokens(d.name);
    ids[n] = d.id;
    tokens[n] = toks;
    [initials[n], digitInitials[n]] = initialBits(toks);
    const seen = new Set<string>();
    for (const t of toks) {
      if (t.length < 3 || NAME_STOP.has(t)) continue;
      for (const k of [t, `~${t.slice(0, 3)}`, `>${t.slice(-3)}`]) {
        if (seen.has(k)) continue;
        seen.add(k);
        const l = lists.get(k);
        if (l) l.push(n);
        else lists.set(k, [n]);
      }
    }
  });
  const keys = new Map<string, Int32Array>();
  for (const [k, l] of lists) keys.set(k, Int32Array.from(l));
  return { ids, tokens, initials, digitInitials, keys, hits: new Float64Array(rows.length), stamp: new Int32Array(rows.length), round: { n: 0 } };
}

/** Name similarity the engine counts as "resembles" (engine.ts MIN_NAME_SIMILARITY). */
const NAME_MIN_SIMILARITY = 0.8;
/** A token shared by more debtors than this says little on its own: it only narrows the others. */
const NAME_BUCKET_MAX = 2500;
/** At most this many candidates per payer name are scored with the full similarity. */
const NAME_SCORED_MAX = 150;

/**
 * Debtors whose name resembles the payer's, most similar first (at most `max`): the debtors
 * sharing a token with the name (a typo: its first or last three letters) are scored with the
 * engine's similarity, so that a common surname with an initial ('J. Bos', 'DE GRAAF E') finds
 * the right one among hundreds of namesakes instead of nobody.
 */
function debtorsByName(idx: NameIndex, name: string | null, max = 30): { id: number; sim: number }[] {
  if (!name) return [];
  const all = nameTokens(name);
  const toks = [...new Set(all)].filter((t) => t.length >= 3 && !NAME_STOP.has(t));
  if (!toks.length) return [];
  // A cheap score first (shared tokens, typo keys, initials), so that only the likeliest few
  // hundred are scored with the (costlier) similarity. hits[n] counts while stamp[n] is this round.
  const { hits, stamp } = idx;
  const round = ++idx.round.n;
  const cand: number[] = [];
  const add = (n: number, weight: number): void => {
    if (stamp[n] !== round) {
      stamp[n] = round;
      hits[n] = 0;
      cand.push(n);
    }
    hits[n]! += weight;
  };
  const gather = (keys: string[], weight: number): void => {
    const lists = keys.map((k) => idx.keys.get(k)).filter((l): l is Int32Array => !!l && l.length > 0).sort((a, b) => a.length - b.length);
    const big: Int32Array[] = [];
    let found = false;
    for (const l of lists) {
      if (l.length > NAME_BUCKET_MAX) {
        big.push(l);
        continue;
      }
      found = true;
      for (let i = 0; i < l.length; i++) add(l[i]!, weight);
    }
    // Only common tokens: those sharing the two rarest of them (or the rarest alone).
    if (!found && big.length) {
      const first = big[0]!;
      if (big.length >= 2) {
        const second = new Set(big[1]);
        for (let i = 0; i < first.length; i++) if (second.has(first[i]!)) add(first[i]!, weight);
      } else for (let i = 0; i < first.length; i++) add(first[i]!, weight);
    }
  };
  gather(toks, 2);
  // A token no debtor has (a typo): its first and last three letters.
  const missing = toks.filter((t) => !idx.keys.has(t));
  if (missing.length) gather(missing.flatMap((t) => [`~${t.slice(0, 3)}`, `>${t.slice(-3)}`]), 1);
  let chosen = cand;
  if (cand.length > NAME_SCORED_MAX) {
    const [letters, digits] = initialBits(all);
    const scored = cand.map((n) => {
      const shared = popcount(letters & idx.initials[n]!) + popcount(digits & idx.digitInitials[n]!);
      return { n, id: idx.ids[n]!, c: hits[n]! + 0.5 * shared - 0.1 * Math.abs(idx.tokens[n]!.length - all.length) };
    });
    scored.sort((a, b) => b.c - a.c || a.id - b.id);
    chosen = scored.slice(0, NAME_SCORED_MAX).map((x) => x.n);
  }
  const out: { id: number; sim: number }[] = [];
  const simTo = similarityTo(all);
  for (const n of chosen) {
    const sim = simTo(idx.tokens[n]!);
    if (sim >= NAME_MIN_SIMILARITY) out.push({ id: idx.ids[n]!, sim });
  }
  return out.sort((a, b) => b.sim - a.sim || a.id - b.id).slice(0, max);
}

/** Lookup keys of an invoice number written in a text: its own, and for a run of digits every year/number split ('202600123' → '2026.123'). */
function numberLookupKeys(candidate: string): string[] {
  const keys = new Set<string>();
  const k = numberKey(candidate);
  if (k) keys.add(k);
  const digits = candidate.replace(/^[A-Za-z]+[-.]?/, '');
  if (/^\d{6,14}$/.test(digits)) {
    for (let i = 2; i <= Math.min(4, digits.length - 2); i++) {
      const a = digits.slice(0, i).replace(/^0+(?=\d)/, '');
      const b = digits.slice(i).replace(/^0+(?=\d)/, '');
      keys.add(`${a}.${b}`);
    }
  }
  return [...keys];
}

const textOf = (l: MatchLine) => `${l.remittance ?? ''} ${l.info ?? ''}`;
export const rejectionPattern = (l: { counterpartyIban: string | null; counterpartyName: string | null }): string | null =>
  l.counterpartyIban ? normalizeIban(l.counterpartyIban) : l.counterpartyName ? normaliseName(l.counterpartyName) : null;

/** Gather what the engine needs for these lines, with capped, indexed queries. */
export async function loadMatchContext(q: Queryable, administrationId: number, lines: readonly MatchLine[], names: NameIndex): Promise<MatchContext> {
  const refs = new Set<string>();
  const keys = new Set<string>();
  const ibans = new Set<string>();
  const e2es = new Set<string>();
  const ibanAmounts: { iban: string; cents: number }[] = [];
  const nameDebtors = new Set<number>();
  const nameAmounts = new Set<number>();
  const patterns = new Set<string>();
  for (const l of lines) {
    const text = textOf(l);
    if (l.structuredRef) refs.add(normaliseStructuredRef(l.structuredRef.value, l.structuredRef.issuer));
    for (const r of findReferencesInText(text)) refs.add(r);
    if (l.endToEndId && l.endToEndId.toUpperCase() !== 'NOTPROVIDED') {
      refs.add(normaliseStructuredRef(l.endToEndId));
      for (const k of numberLookupKeys(l.endToEndId)) keys.add(k);
      e2es.add(l.endToEndId);
    }
    for (const c of extractInvoiceNumberCandidates(text)) for (const k of numberLookupKeys(c)) keys.add(k);
    if (l.counterpartyIban) ibans.add(normalizeIban(l.counterpartyIban));
    if (l.cents < 0 && l.counterpartyIban) ibanAmounts.push({ iban: normalizeIban(l.counterpartyIban), cents: -l.cents });
    const p = rejectionPattern(l);
    if (p) patterns.add(p);
  }
  const byRef = await openItemsByReference(q, administrationId, [...refs]);
  const byKey = await openItemsByNumberKey(q, administrationId, [...keys]);
  const ibanLinks = await debtorIdsByIban(q, administrationId, [...ibans]);
  // The payer's name, for incoming lines whose IBAN is not known and whose reference names no
  // item: the engine's name pass (and its check of a mistyped invoice number) needs these debtors.
  const linked = new Set(ibanLinks.map((x) => x.iban));
  const refFound = new Set(byRef.map((i) => normaliseStructuredRef(i.paymentReference ?? '')));
  for (const l of lines) {
    if (l.cents <= 0 || !l.counterpartyName || (l.counterpartyIban && linked.has(normalizeIban(l.counterpartyIban)))) continue;
    const own = [...(l.structuredRef ? [normaliseStructuredRef(l.structuredRef.value, l.structuredRef.issuer)] : []), ...findReferencesInText(textOf(l))];
    if (own.some((r) => refFound.has(r))) continue;
    const found = debtorsByName(names, l.counterpartyName);
    for (const d of found) nameDebtors.add(d.id);
    if (found.length) nameAmounts.add(l.cents);
  }
  // A third party paying for a debtor the text names ('namens …'): that debtor's items of the amount too.
  for (const l of lines) {
    const forWhom = l.cents > 0 ? onBehalfOf(textOf(l)) : null;
    if (!forWhom) continue;
    const found = debtorsByName(names, forWhom);
    for (const d of found) nameDebtors.add(d.id);
    if (found.length) nameAmounts.add(l.cents);
  }
  // Debtors known from a reference, an invoice number or the IBAN: their open items (the oldest);
  // debtors only suggested by the payer's name: just their items of the amounts paid.
  const known = new Set<number>([...ibanLinks.map((x) => x.debtorId), ...byRef.map((i) => i.debtorId), ...byKey.map((i) => i.debtorId)]);
  const ofDebtors = await openItemsOfDebtors(q, administrationId, [...known], 25);
  const byName = await openItemsOfDebtorsWithAmounts(q, administrationId, [...nameDebtors].filter((id) => !known.has(id)), [...nameAmounts]);
  const items = new Map<number, CandidateItem>();
  for (const i of [...byRef, ...byKey, ...ofDebtors, ...byName]) items.set(i.id, i);
  const debtorIds = new Set<number>([...known, ...byName.map((i) => i.debtorId)]);
  // Items that an earlier import's lines, waiting for review, already have as their top suggestion.
  const waiting = await q.query<{ allocations: { itemId: number }[] }>(
    `SELECT s.allocations FROM bank_lines l JOIN match_suggestions s ON s.bank_line_id = l.id AND s.rank = 0 AND s.status = 'open'
      WHERE l.administration_id = $1 AND l.status = 'suggested' AND l.id <> ALL($2::bigint[])`,
    [administrationId, lines.map((l) => l.id)],
  );
  const suggestedElsewhere = new Set<number>();
  for (const w of waiting) for (const a of w.allocations) if (items.has(Number(a.itemId))) suggestedElsewhere.add(Number(a.itemId));
  return {
    items: [...items.values()],
    suggestedElsewhere,
    debtors: await candidateDebtors(q, administrationId, [...debtorIds]),
    rejected: await rejectedPairs(q, administrationId, [...patterns]),
    priorBookings: await priorBookingsFor(q, administrationId, [...e2es], ibanAmounts),
  };
}

/** Match lines (new or re-run) in batches: book what is certain, store suggestions for the rest. */
export async function matchNewLines(tx: Tx, admin: Administration, lineIds: readonly number[], settings: MatchSettings, actor: string | null): Promise<MatchRunSummary> {
  const summary: MatchRunSummary = { lines: lineIds.length, booked: 0, suggested: 0, unmatched: 0, ignored: 0 };
  if (!lineIds.length) return summary;
  const names = await nameIndexOf(tx, admin.id);
  const BATCH = 2000;
  for (let i = 0; i < lineIds.length; i += BATCH) {
    const all = await getBankLines(tx, admin.id, lineIds.slice(i, i + BATCH));
    // a payment provider's payout settles payments booked already (app/psp.ts): never matched again
    const settlements = all.map((r) => ({ id: r.id, ref: pspSettlementOf({ cents: r.cents, counterpartyName: r.counterparty_name, remittance: r.remittance, endToEndId: r.end_to_end_id, info: r.info }) })).filter((x) => x.ref !== null);
    if (settlements.length) {
      await tx.query(`UPDATE bank_lines l SET status = 'ignored', psp_settlement = u.ref FROM unnest($2::bigint[], $3::text[]) AS u(id, ref) WHERE l.id = u.id AND l.administration_id = $1`, [admin.id, settlements.map((x) => x.id), settlements.map((x) => x.ref)]);
      summary.ignored += settlements.length;
    }
    const skip = new Set(settlements.map((x) => x.id));
    const rows = all.filter((r) => !skip.has(r.id));
    const lines = rows.map(toMatchLine);
    const ctx = await loadMatchContext(tx, admin.id, lines, names);
    const decisions = matchLines(lines, ctx, settings);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const suggestions: { lineId: number; rank: number; p: MatchProposal; status: 'open' | 'accepted' }[] = [];
    const events: NewEvent[] = [];
    const unmatched: number[] = [];
    const ignored: number[] = [];
    const suggested: number[] = [];
    // Certain matches are booked together (set-based); returns undo their booking one by one.
    const autoPlain: { line: BankLineRow; p: MatchProposal }[] = [];
    const fallback = (d: (typeof decisions)[number], line: BankLineRow) => {
      if (d.proposals.length) {
        d.proposals.forEach((p, k) => suggestions.push({ lineId: d.lineId, rank: k, p, status: 'open' }));
        suggested.push(d.lineId);
        summary.suggested++;
      } else if (line.cents < 0 && !line.reversal && !line.return_reason) {
        ignored.push(d.lineId);
        summary.ignored++;
      } else {
        unmatched.push(d.lineId);
        summary.unmatched++;
      }
    };
    const accepted = (d: (typeof decisions)[number], line: BankLineRow, top: MatchProposal) => {
      // only what was booked is kept: the alternatives of a certain match are not worth a row each
      suggestions.push({ lineId: d.lineId, rank: 0, p: top, status: 'accepted' });
      summary.booked++;
      if (top.debtorId) events.push(paymentEvent(line, top, 'auto', actor));
    };
    const returns: { line: BankLineRow; p: MatchProposal }[] = [];
    const pending: (typeof decisions)[number][] = [];
    for (const d of decisions) {
      const line = byId.get(d.lineId)!;
      const top = d.proposals[0];
      if (top && top.confidence >= settings.autoBookThreshold) {
        (top.kind === 'return' && top.reversesBookingId ? returns : autoPlain).push({ line, p: top });
        pending.push(d);
        continue;
      }
      fallback(d, line);
    }
    // Returns first: the items of the bookings they undo are open again for the payments after them.
    const bookedReturns = await bookReturns(tx, admin, returns, 'auto', actor);
    const bookedLines = await bookMany(tx, admin, autoPlain, 'auto', actor);
    for (const d of pending) {
      const line = byId.get(d.lineId)!;
      if (bookedReturns.has(d.lineId) || bookedLines.has(d.lineId)) accepted(d, line, d.proposals[0]!);
      else fallback(d, line);
    }
    await insertSuggestions(tx, admin.id, suggestions);
    await setLineStatus(tx, suggested, 'suggested');
    await setLineStatus(tx, unmatched, 'unmatched');
    await setLineStatus(tx, ignored, 'ignored');
    await addEvents(tx, admin.id, events);
  }
  return summary;
}

/**
 * Book many proposals at once: the items are locked and their open amounts checked in one
 * query; bookings, credit-balance items, allocations and line states are written set-based.
 * Returns the ids of the lines that were booked (a line whose items no longer have the amount
 * is left for review).
 */
async function bookMany(tx: Tx, admin: Administration, list: readonly { line: BankLineRow; p: MatchProposal }[], status: 'auto' | 'confirmed', actor: string | null): Promise<Set<number>> {
  const done = new Set<number>();
  if (!list.length) return done;
  const itemIds = [...new Set(list.flatMap((x) => x.p.allocations.map((a) => a.itemId)))];
  const open = new Map((await tx.query<{ id: number; open_cents: number }>('SELECT id, open_cents FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE', [admin.id, itemIds])).map((r) => [r.id, r.open_cents]));
  const ok: { line: BankLineRow; p: MatchProposal }[] = [];
  for (const x of list) {
    const fits = x.p.allocations.every((a) => {
      const o = open.get(a.itemId);
      return o !== undefined && (a.cents > 0 ? a.cents <= o : a.cents >= o);
    }) && (x.p.creditCents <= 0 || x.p.debtorId !== null);
    if (!fits) continue;
    for (const a of x.p.allocations) open.set(a.itemId, open.get(a.itemId)! - a.cents);
    ok.push(x);
  }
  if (!ok.length) return done;
  const withCredit = ok.filter((x) => x.p.creditCents > 0);
  const creditItem = new Map<number, number>();
  if (withCredit.length) {
    const rows = await tx.query<{ id: number; number: string }>(
      `INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents, currency, description, source)
       SELECT $1, d, 'unapplied_payment', 'BET-' || l, dt, dt, 0, 0, c, 'Tegoed uit betaling van ' || dt, 'bank' FROM unnest($2::bigint[], $3::bigint[], $4::date[], $5::text[]) AS u(l, d, dt, c)
       RETURNING id, number`,
      [admin.id, withCredit.map((x) => x.line.id), withCredit.map((x) => x.p.debtorId), withCredit.map((x) => x.line.booking_date), withCredit.map((x) => x.line.currency)],
    );
    for (const r of rows) creditItem.set(Number(r.number.slice(4)), r.id);
  }
  const bookings = await tx.query<{ id: number; bank_line_id: number }>(
    `INSERT INTO bookings (administration_id, kind, date, status, bank_line_id, note, actor)
     SELECT $1, 'bank', dt, $2, l, n, $3 FROM unnest($4::bigint[], $5::date[], $6::text[]) AS u(l, dt, n) RETURNING id, bank_line_id`,
    [admin.id, status, actor, ok.map((x) => x.line.id), ok.map((x) => x.line.booking_date), ok.map((x) => x.p.signals.slice(0, 3).join('; '))],
  );
  const bookingOf = new Map(bookings.map((b) => [b.bank_line_id, b.id]));
  const aBooking: number[] = [], aItem: number[] = [], aCents: number[] = [], aDate: string[] = [];
  for (const x of ok) {
    const b = bookingOf.get(x.line.id)!;
    const allocs = [...x.p.allocations, ...(x.p.creditCents > 0 ? [{ itemId: creditItem.get(x.line.id)!, cents: x.p.creditCents }] : [])];
    for (const a of allocs) {
      if (a.cents === 0) continue;
      aBooking.push(b); aItem.push(a.itemId); aCents.push(a.cents); aDate.push(x.line.booking_date);
    }
    done.add(x.line.id);
  }
  await tx.query(
    'INSERT INTO allocations (administration_id, booking_id, item_id, cents, date) SELECT $1, b, i, c, d FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::date[]) AS u(b, i, c, d)',
    [admin.id, aBooking, aItem, aCents, aDate],
  );
  await tx.query('UPDATE bank_lines l SET status = $2, booking_id = u.b FROM unnest($3::bigint[], $4::bigint[]) AS u(l, b) WHERE l.id = u.l AND l.administration_id = $1', [admin.id, status, [...bookingOf.keys()], [...bookingOf.values()]]);
  return done;
}

/**
 * Book many returns at once: each reverses the booking it undoes (a reversing booking with every
 * allocation negated, so the items are open again), in a handful of statements. A booking that
 * is reversed already (or twice in this list) is not reversed again: that line is left for review.
 */
async function bookReturns(tx: Tx, admin: Administration, list: readonly { line: BankLineRow; p: MatchProposal }[], status: 'auto' | 'confirmed', actor: string | null): Promise<Set<number>> {
  const done = new Set<number>();
  if (!list.length) return done;
  const wanted = [...new Set(list.map((x) => x.p.reversesBookingId!))];
  const rows = await tx.query<{ id: number; status: string }>('SELECT id, status FROM bookings WHERE administration_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE', [admin.id, wanted]);
  const open = new Set(rows.filter((r) => r.status !== 'reversed' && r.status !== 'reversal').map((r) => r.id));
  const ok: { line: BankLineRow; p: MatchProposal }[] = [];
  for (const x of list) {
    if (!open.delete(x.p.reversesBookingId!)) continue;
    ok.push(x);
  }
  if (!ok.length) return done;
  const reversals = await tx.query<{ id: number; bank_line_id: number }>(
    `INSERT INTO bookings (administration_id, kind, date, status, reverses_id, bank_line_id, note, actor)
     SELECT $1, 'reversal', d, 'reversal', r, l, n, $2 FROM unnest($3::bigint[], $4::date[], $5::bigint[], $6::text[]) AS u(r, d, l, n) RETURNING id, bank_line_id`,
    [admin.id, actor, ok.map((x) => x.p.reversesBookingId!), ok.map((x) => x.line.booking_date), ok.map((x) => x.line.id), ok.map((x) => `teruggeboekt door bankregel ${x.line.id}${x.line.return_reason ? ` (${x.line.return_reason})` : ''}`)],
  );
  await tx.query(
    `INSERT INTO allocations (administration_id, booking_id, item_id, cents, date)
     SELECT $1, r.id, a.item_id, -a.cents, r.date FROM bookings r JOIN allocations a ON a.booking_id = r.reverses_id WHERE r.id = ANY($2::bigint[]) ORDER BY r.id, a.id`,
    [admin.id, reversals.map((r) => r.id)],
  );
  await tx.query(`UPDATE bookings SET status = 'reversed' WHERE administration_id = $1 AND id = ANY($2::bigint[])`, [admin.id, ok.map((x) => x.p.reversesBookingId!)]);
  await tx.query('UPDATE bank_lines l SET status = $2, booking_id = u.b FROM unnest($3::bigint[], $4::bigint[]) AS u(l, b) WHERE l.id = u.l AND l.administration_id = $1', [admin.id, status, reversals.map((r) => r.bank_line_id), reversals.map((r) => r.id)]);
  for (const r of reversals) done.add(r.bank_line_id);
  return done;
}

function paymentEvent(line: BankLineRow, p: MatchProposal, how: 'auto' | 'confirmed', actor: string | null): NewEvent {
  const params = { amountCents: Math.abs(line.cents), currency: line.currency, date: line.booking_date, how, matchKind: p.kind };
  return {
    debtorId: p.debtorId, event: p.kind === 'return' ? ev('payment_returned', params) : ev('payment_received', params),
    data: { bankLineId: line.id, kind: p.kind, confidence: p.confidence, signals: p.signals, allocations: p.allocations, creditCents: p.creditCents },
    actor,
  };
}

/**
 * Book one proposal for one line: allocations, plus the rest as the debtor's credit balance (an
 * unapplied-payment item whose open amount comes only from this booking, so undo clears it).
 * Returns null when the items no longer have the open amount the proposal counts on.
 */
async function book(tx: Tx, admin: Administration, line: BankLineRow, p: MatchProposal, status: 'auto' | 'confirmed', actor: string | null): Promise<number | null> {
  if (p.kind === 'return' && p.reversesBookingId) {
    const r = await reverseBooking(tx, admin.id, p.reversesBookingId, { date: line.booking_date, actor, note: `teruggeboekt door bankregel ${line.id}${line.return_reason ? ` (${line.return_reason})` : ''}` });
    if (r === null) return null;
    await tx.query('UPDATE bookings SET bank_line_id = $2, status = $3 WHERE id = $1', [r, line.id, 'reversal']);
    // the original line's items are open again: mark that line as returned in its status history
    await setLineStatus(tx, [line.id], status, r);
    return r;
  }
  if (p.allocations.length) {
    const ids = p.allocations.map((a) => a.itemId);
    const open = new Map((await tx.query<{ id: number; open_cents: number }>('SELECT id, open_cents FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[]) FOR UPDATE', [admin.id, ids])).map((r) => [r.id, r.open_cents]));
    for (const a of p.allocations) {
      const o = open.get(a.itemId);
      if (o === undefined) return null;
      if (a.cents > 0 && a.cents > o) return null;
      if (a.cents < 0 && a.cents < o) return null;
    }
  }
  const allocations = [...p.allocations];
  if (p.creditCents > 0) {
    if (!p.debtorId) return null;
    const [u] = await tx.query<{ id: number }>(
      `INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents, currency, description, source)
       VALUES ($1, $2, 'unapplied_payment', $3, $4, $4, 0, 0, $5, $6, 'bank') RETURNING id`,
      [admin.id, p.debtorId, `BET-${line.id}`, line.booking_date, line.currency, `Tegoed uit betaling van ${line.booking_date}`],
    );
    allocations.push({ itemId: u!.id, cents: p.creditCents });
  }
  const bookingId = await insertBooking(tx, admin.id, { kind: 'bank', date: line.booking_date, status, bankLineId: line.id, actor, note: p.signals.slice(0, 3).join('; '), allocations });
  await setLineStatus(tx, [line.id], status, bookingId);
  return bookingId;
}

// ------------------------------------------------------------------ review

export type ReviewLine = {
  id: number;
  status: BankLineRow['status'];
  entryRef: string | null;
  bookingDate: string;
  amount: string;
  currency: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  reference: string | null;
  remittance: string;
  bookingId: number | null;
  suggestions: { id: number; rank: number; kind: string; confidence: number; debtorId: number | null; debtorName: string | null; items: { itemId: number; number: string; amount: string }[]; credit: string; signals: string[]; reasons: MatchReason[]; status: string }[];
};

export async function listReview(q: Queryable, admin: Administration, opts: { status?: BankLineRow['status'][]; limit?: number; offset?: number } = {}): Promise<{ rows: ReviewLine[]; total: number }> {
  const statuses = opts.status ?? ['suggested', 'unmatched'];
  const [c] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM bank_lines WHERE administration_id = $1 AND status = ANY($2::text[])', [admin.id, statuses]);
  const rows = await q.query<BankLineRow>(
    `SELECT * FROM bank_lines WHERE administration_id = $1 AND status = ANY($2::text[]) ORDER BY booking_date DESC, id DESC LIMIT $3 OFFSET $4`,
    [admin.id, statuses, Math.min(opts.limit ?? 50, 1000), opts.offset ?? 0],
  );
  return { rows: await describeLines(q, admin, rows), total: c?.n ?? 0 };
}

export async function describeLines(q: Queryable, admin: Administration, rows: readonly BankLineRow[]): Promise<ReviewLine[]> {
  const sugg = await suggestionsOf(q, admin.id, rows.map((r) => r.id), ['open', 'accepted']);
  const itemIds = [...new Set(sugg.flatMap((s) => s.allocations.map((a) => a.itemId)))];
  const debtorIds = [...new Set(sugg.map((s) => s.debtor_id).filter((x): x is number => x !== null))];
  const itemNumbers = new Map((itemIds.length ? await q.query<{ id: number; number: string }>('SELECT id, number FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[])', [admin.id, itemIds]) : []).map((r) => [r.id, r.number]));
  const debtorNames = new Map((debtorIds.length ? await q.query<{ id: number; name: string }>('SELECT id, name FROM debtors WHERE administration_id = $1 AND id = ANY($2::bigint[])', [admin.id, debtorIds]) : []).map((r) => [r.id, r.name]));
  return rows.map((r) => ({
    id: r.id, status: r.status, entryRef: r.entry_ref, bookingDate: r.booking_date, amount: formatCents(r.cents), currency: r.currency, counterpartyName: r.counterparty_name,
    counterpartyIban: r.counterparty_iban, reference: r.structured_ref, remittance: r.remittance, bookingId: r.booking_id,
    suggestions: sugg.filter((s) => s.bank_line_id === r.id).map((s) => ({
      id: s.id, rank: s.rank, kind: s.kind, confidence: s.confidence, debtorId: s.debtor_id, debtorName: s.debtor_id ? debtorNames.get(s.debtor_id) ?? null : null,
      items: s.allocations.map((a) => ({ itemId: a.itemId, number: itemNumbers.get(a.itemId) ?? String(a.itemId), amount: formatCents(a.cents) })), credit: formatCents(s.credit_cents), signals: s.signals, reasons: s.reasons ?? [], status: s.status,
    })),
  }));
}

export async function getReviewLine(q: Queryable, admin: Administration, lineId: number): Promise<ReviewLine> {
  const line = await getBankLine(q, admin.id, lineId);
  if (!line) throw notFound(`bank line ${lineId}`);
  return (await describeLines(q, admin, [line]))[0]!;
}

/**
 * Confirm a line: its top suggestion, or the items the user names (the amount goes to them
 * oldest first; what is left becomes the debtor's credit balance). A confirmed suggestion teaches
 * the payer's IBAN; a booking to items the user picked only when asked (`learnIban`): a payment
 * from a parent company or a factoring firm must not make its account the debtor's.
 */
export async function confirmMatch(db: Db, admin: Administration, lineId: number, opts: { itemNumbers?: string[]; suggestionId?: number; learnIban?: boolean; actor?: string | null } = {}): Promise<ReviewLine> {
  await db.transaction(async (tx) => {
    const line = await getBankLine(tx, admin.id, lineId, true);
    if (!line) throw notFound(`bank line ${lineId}`);
    if (line.status === 'auto' || line.status === 'confirmed') throw new AppError('conflict', `bank line ${lineId} is booked already (undo it first)`);
    let proposal: MatchProposal;
    let suggestionId: number | null = null;
    if (opts.itemNumbers?.length) {
      proposal = await manualProposal(tx, admin, line, opts.itemNumbers);
    } else {
      const sugg = await suggestionsOf(tx, admin.id, [lineId]);
      const s = opts.suggestionId ? sugg.find((x) => x.id === opts.suggestionId) : sugg[0];
      if (!s) throw new AppError('conflict', `bank line ${lineId} has no suggestion to confirm: name the items (--item)`);
      suggestionId = s.id;
      proposal = { lineId, kind: s.kind as MatchProposal['kind'], confidence: s.confidence, debtorId: s.debtor_id, allocations: s.allocations, creditCents: s.credit_cents, ...(s.reverses_booking_id ? { reversesBookingId: s.reverses_booking_id } : {}), reasons: s.reasons ?? [], signals: s.signals };
    }
    const bookingId = await book(tx, admin, line, proposal, 'confirmed', opts.actor ?? null);
    if (bookingId === null) throw new AppError('conflict', `the items of this suggestion no longer have that open amount (another payment took it); choose the items again`);
    await tx.query(`UPDATE match_suggestions SET status = CASE WHEN id = $2 THEN 'accepted' ELSE 'superseded' END WHERE bank_line_id = $1 AND status = 'open'`, [lineId, suggestionId]);
    const learn = opts.itemNumbers?.length ? opts.learnIban === true : opts.learnIban !== false;
    if (learn && line.counterparty_iban && proposal.debtorId) await addDebtorAccounts(tx, admin.id, proposal.debtorId, [normalizeIban(line.counterparty_iban)], 'learned');
    await addEvents(tx, admin.id, [paymentEvent(line, proposal, 'confirmed', opts.actor ?? null)]);
  });
  return getReviewLine(db, admin, lineId);
}

async function manualProposal(tx: Tx, admin: Administration, line: BankLineRow, numbers: readonly string[]): Promise<MatchProposal> {
  const items = await tx.query<{ id: number; number: string; debtor_id: number; open_cents: number; currency: string }>(
    `SELECT id, number, debtor_id, open_cents, trim(currency) AS currency FROM items WHERE administration_id = $1 AND number = ANY($2::text[]) ORDER BY due_date, id`,
    [admin.id, numbers],
  );
  const missing = numbers.filter((n) => !items.some((i) => i.number === n));
  if (missing.length) throw notFound(`item ${missing.join(', ')}`);
  if (new Set(items.map((i) => i.debtor_id)).size > 1) throw new AppError('validation', 'the items belong to different debtors');
  if (items.some((i) => i.currency !== line.currency)) throw new AppError('validation', `the items are not all in ${line.currency}`);
  if (line.cents <= 0) throw new AppError('validation', 'only incoming payments can be booked to items');
  // credit notes first (they add to what the payment can cover), then invoices oldest first
  let left = line.cents;
  const allocations: { itemId: number; cents: number }[] = [];
  for (const i of items.filter((x) => x.open_cents < 0)) {
    allocations.push({ itemId: i.id, cents: i.open_cents });
    left -= i.open_cents;
  }
  for (const i of items.filter((x) => x.open_cents > 0)) {
    const take = Math.min(left, i.open_cents);
    if (take <= 0) break;
    allocations.push({ itemId: i.id, cents: take });
    left -= take;
  }
  return { lineId: line.id, kind: 'invoice-number', confidence: 100, debtorId: items[0]!.debtor_id, allocations, creditCents: Math.max(0, left), ...withReasons([reason('chosen_by_hand', { numbers: [...numbers] })]) };
}

/** Reject the line's current top suggestion; it is remembered and never proposed again. */
export async function rejectMatch(db: Db, admin: Administration, lineId: number, opts: { actor?: string | null } = {}): Promise<ReviewLine> {
  await db.transaction(async (tx) => {
    const line = await getBankLine(tx, admin.id, lineId, true);
    if (!line) throw notFound(`bank line ${lineId}`);
    if (line.status === 'auto' || line.status === 'confirmed') throw new AppError('conflict', `bank line ${lineId} is booked; undo it instead`);
    const [top] = await suggestionsOf(tx, admin.id, [lineId]);
    if (!top) throw new AppError('conflict', `bank line ${lineId} has no open suggestion`);
    await tx.query(`UPDATE match_suggestions SET status = 'rejected' WHERE id = $1`, [top.id]);
    const pattern = rejectionPattern({ counterpartyIban: line.counterparty_iban, counterpartyName: line.counterparty_name });
    if (pattern)
      await tx.query('INSERT INTO match_rejections (administration_id, pattern, item_id) SELECT $1, $2, unnest($3::bigint[]) ON CONFLICT DO NOTHING', [admin.id, pattern, top.allocations.map((a) => a.itemId)]);
    const rest = await suggestionsOf(tx, admin.id, [lineId]);
    await setLineStatus(tx, [lineId], rest.length ? 'suggested' : 'unmatched');
  });
  return getReviewLine(db, admin, lineId);
}

/** Undo a booked line: the booking is reversed and the line waits for review again. */
export async function undoMatch(db: Db, admin: Administration, lineId: number, opts: { actor?: string | null } = {}): Promise<ReviewLine> {
  await db.transaction(async (tx) => {
    const line = await getBankLine(tx, admin.id, lineId, true);
    if (!line) throw notFound(`bank line ${lineId}`);
    if (!line.booking_id || (line.status !== 'auto' && line.status !== 'confirmed')) throw new AppError('conflict', `bank line ${lineId} is not booked`);
    const [b] = await tx.query<{ kind: string; reverses_id: number | null }>('SELECT kind, reverses_id FROM bookings WHERE id = $1', [line.booking_id]);
    if (b?.kind === 'reversal' && b.reverses_id) {
      // undoing a return: the original payment is booked again
      const [orig] = await tx.query<{ bank_line_id: number | null; date: string; status: string }>('SELECT bank_line_id, date, status FROM bookings WHERE id = $1', [b.reverses_id]);
      const allocs = await tx.query<{ item_id: number; cents: number }>('SELECT item_id, cents FROM allocations WHERE booking_id = $1', [b.reverses_id]);
      const rebook = await insertBooking(tx, admin.id, { kind: 'bank', date: orig!.date, status: 'confirmed', bankLineId: orig!.bank_line_id, actor: opts.actor ?? null, note: `terugboeking ${lineId} ongedaan gemaakt`, allocations: allocs.map((a) => ({ itemId: a.item_id, cents: a.cents })) });
      if (orig!.bank_line_id) await setLineStatus(tx, [orig!.bank_line_id], 'confirmed', rebook);
    } else {
      const r = await reverseBooking(tx, admin.id, line.booking_id, { date: line.booking_date, actor: opts.actor ?? null, note: `bankregel ${lineId} ongedaan gemaakt` });
      if (r === null) throw new AppError('conflict', `the booking of bank line ${lineId} was reversed already`);
    }
    await tx.query(`UPDATE match_suggestions SET status = 'open' WHERE bank_line_id = $1 AND status IN ('accepted', 'superseded')`, [lineId]);
    const rest = await suggestionsOf(tx, admin.id, [lineId]);
    await setLineStatus(tx, [lineId], rest.length ? 'suggested' : 'unmatched');
    const [dt] = await tx.query<{ debtor_id: number | null }>('SELECT debtor_id FROM match_suggestions WHERE bank_line_id = $1 ORDER BY rank LIMIT 1', [lineId]);
    if (dt?.debtor_id) await addEvents(tx, admin.id, [{ debtorId: dt.debtor_id, event: ev('payment_undone', { bankLineId: lineId, amountCents: line.cents, currency: line.currency }), data: { bankLineId: lineId }, actor: opts.actor ?? null }]);
  });
  return getReviewLine(db, admin, lineId);
}

/** Mark a line as not a debtor payment (salary, interest, a supplier's refund). */
export async function ignoreLine(db: Db, admin: Administration, lineId: number): Promise<ReviewLine> {
  await db.transaction(async (tx) => {
    const line = await getBankLine(tx, admin.id, lineId, true);
    if (!line) throw notFound(`bank line ${lineId}`);
    if (line.status === 'auto' || line.status === 'confirmed') throw new AppError('conflict', `bank line ${lineId} is booked; undo it first`);
    await setLineStatus(tx, [lineId], 'ignored');
  });
  return getReviewLine(db, admin, lineId);
}

// ------------------------------------------------------------------ export

export type AllocationExportRow = { entryRef: string | null; invoice: string; amount: string; status: 'auto' | 'confirmed' | 'suggested'; date: string };
/** With `reasons`: why the entry was booked or suggested, as codes with params, and the same in words (`reasonText`). */
export type AllocationExportRowWithReasons = AllocationExportRow & { reasons: { code: string; params: Record<string, unknown> }[]; reasonText: string };

type Why = { reasons: MatchReason[] | null; signals: string[] | null };
const reasonTextOf = (w: Why, lang: 'nl' | 'en'): string => (w.reasons?.length ? w.reasons.map((r) => renderStoredReason(r, lang)).join('; ') : (w.signals ?? []).join('; '));

/**
 * One row per allocation of a bank entry to an item (booked, and the top suggestion of lines waiting for review).
 * The five fields are the agreed contract; `opts.reasons` adds `reasons` and `reasonText` (in `opts.lang`, default English) beside them.
 */
export async function exportAllocations(q: Queryable, admin: Administration): Promise<AllocationExportRow[]>;
export async function exportAllocations(q: Queryable, admin: Administration, opts: { reasons: true; lang?: 'nl' | 'en' }): Promise<AllocationExportRowWithReasons[]>;
export async function exportAllocations(q: Queryable, admin: Administration, opts: { reasons?: boolean; lang?: 'nl' | 'en' } = {}): Promise<AllocationExportRow[] | AllocationExportRowWithReasons[]> {
  const booked = await q.query<{ entry_ref: string | null; number: string; cents: number; status: 'auto' | 'confirmed'; date: string } & Why>(
    `SELECT l.entry_ref, i.number, a.cents, b.status, l.booking_date AS date${opts.reasons ? ', w.reasons, w.signals' : ''}
       FROM bank_lines l JOIN bookings b ON b.id = l.booking_id AND b.kind = 'bank' AND b.status IN ('auto', 'confirmed')
       JOIN allocations a ON a.booking_id = b.id JOIN items i ON i.id = a.item_id AND i.kind <> 'unapplied_payment'
       ${opts.reasons ? `LEFT JOIN LATERAL (SELECT reasons, signals FROM match_suggestions s WHERE s.bank_line_id = l.id AND s.status = 'accepted' ORDER BY s.id DESC LIMIT 1) w ON true` : ''}
      WHERE l.administration_id = $1 ORDER BY l.booking_date, l.id, a.id`,
    [admin.id],
  );
  const suggested = await q.query<{ entry_ref: string | null; date: string; allocations: { itemId: number; cents: number }[] } & Why>(
    `SELECT l.entry_ref, l.booking_date AS date, s.allocations, s.reasons, s.signals FROM bank_lines l
       JOIN LATERAL (SELECT allocations, reasons, signals FROM match_suggestions s WHERE s.bank_line_id = l.id AND s.status = 'open' ORDER BY rank LIMIT 1) s ON true
      WHERE l.administration_id = $1 AND l.status = 'suggested' ORDER BY l.booking_date, l.id`,
    [admin.id],
  );
  const ids = [...new Set(suggested.flatMap((s) => s.allocations.map((a) => a.itemId)))];
  const numbers = new Map((ids.length ? await q.query<{ id: number; number: string }>('SELECT id, number FROM items WHERE id = ANY($1::bigint[])', [ids]) : []).map((r) => [r.id, r.number]));
  const lang = opts.lang ?? 'en';
  const why = (w: Why) => (opts.reasons ? { reasons: (w.reasons ?? []) as { code: string; params: Record<string, unknown> }[], reasonText: reasonTextOf(w, lang) } : {});
  return [
    ...booked.map((r) => ({ entryRef: r.entry_ref, invoice: r.number, amount: formatCents(r.cents), status: r.status, date: r.date, ...why(r) })),
    ...suggested.flatMap((s) => s.allocations.map((a) => ({ entryRef: s.entry_ref, invoice: numbers.get(a.itemId) ?? String(a.itemId), amount: formatCents(a.cents), status: 'suggested' as const, date: s.date, ...why(s) }))),
  ] as AllocationExportRow[] | AllocationExportRowWithReasons[];
}

// ------------------------------------------------------------------ freshness (used by dunning)

export type BankDataStatus = {
  lastImportAt: string | null; lastStatementDate: string | null; ageDays: number | null; waitingForReview: number; accounts: number;
  /** the administration's gate (settings.staleAfterDays), and whether the data is past it: the run is then blocked */
  staleAfterDays: number; stale: boolean;
};

/** The administration's bank-data freshness gate in days (settings.staleAfterDays, 0–90; default 3). */
export function staleAfterDaysOf(admin: Administration): number {
  const n = Number((admin.settings as { staleAfterDays?: unknown }).staleAfterDays);
  return Number.isInteger(n) && n >= 0 && n <= 90 ? n : 3;
}

export async function bankDataStatus(q: Queryable, admin: Administration, asOf: string): Promise<BankDataStatus> {
  const [r] = await q.query<{ last_import_at: Date | string | null; last_date: string | null; accounts: number }>(
    `SELECT max(last_import_at) AS last_import_at, max(last_closing_date) AS last_date, count(*)::int AS accounts FROM bank_accounts WHERE administration_id = $1`,
    [admin.id],
  );
  const [lastLine] = await q.query<{ d: string | null }>('SELECT max(booking_date) AS d FROM bank_lines WHERE administration_id = $1', [admin.id]);
  const [w] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM bank_lines WHERE administration_id = $1 AND status IN ('suggested', 'unmatched') AND cents > 0`, [admin.id]);
  const lastDate = [r?.last_date, lastLine?.d].filter((x): x is string => !!x).sort().pop() ?? null;
  const lastImportAt = r?.last_import_at ? (r.last_import_at instanceof Date ? r.last_import_at.toISOString() : String(r.last_import_at)) : null;
  const ageDays = lastDate ? daysBetween(lastDate, asOf) : null;
  const staleAfterDays = staleAfterDaysOf(admin);
  return { lastImportAt, lastStatementDate: lastDate, ageDays, waitingForReview: w?.n ?? 0, accounts: r?.accounts ?? 0, staleAfterDays, stale: bankDataStale(ageDays, staleAfterDays) };
}
