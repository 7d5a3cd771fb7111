/**
 * The dunning proposal: the preview of the next run, stored so the dunning screen opens at once.
 *
 * A proposal is valid while the administration's change count (migration 0007: every statement on
 * a table the run reads adds to it) equals the count it was computed at. When it is not valid, a
 * small administration gets a new one at once; a large one gets it from a background job (one per
 * change count, any `vorder serve` process may run it) while the screen shows the previous one,
 * marked as outdated. Sending never uses the stored proposal: the run plans again (src/app/dunning.ts).
 * Messages are stored as the screen shows them; a letter opened from the screen is planned again
 * for its one debtor (the dedupe key starts with the debtor's id).
 */
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import type { PlannedMessage, RunPlan, SkippedEntry } from '../domain/dunning/plan.ts';
import { toCopyCsv } from '../store/copy.ts';
import { enqueue } from '../store/jobs.ts';
import { previewRun } from './dunning.ts';

/** Up to this many open items a proposal is computed while the request waits (well under a second). */
export const INLINE_OPEN_ITEMS = 20_000;

export type ProposalStep = { key: string; name: string; index: number; messages: number; totalCents: number; channels: Record<string, number> };
export type ProposalSkip = { reason: string; entries: number; items: number };
export type ProposalSummary = Pick<RunPlan, 'asOf' | 'blocked' | 'blocks' | 'overridden' | 'totals'> & {
  steps: ProposalStep[];
  skipped: ProposalSkip[];
  computedAt: string;
  seconds: number;
};
export type ProposalView = { status: 'ready' | 'computing'; stale: boolean; proposal: ProposalSummary | null };

/** What the screen shows of a message (the full letter is planned again for that one debtor when opened). */
export type ProposalMessage = Pick<PlannedMessage, 'debtorId' | 'debtorNumber' | 'debtorName' | 'stepKey' | 'stepIndex' | 'stepName' | 'channel' | 'language' | 'currency' | 'principalCents' | 'interestCents' | 'costsCents' | 'vatCents' | 'totalCents' | 'dedupeKey'> & {
  /** the items' numbers, oldest due date first */
  itemNumbers: string[];
  /** days the oldest item is overdue */
  maxDaysOverdue: number;
};

function slim(m: PlannedMessage): ProposalMessage {
  return {
    debtorId: m.debtorId, debtorNumber: m.debtorNumber, debtorName: m.debtorName, stepKey: m.stepKey, stepIndex: m.stepIndex, stepName: m.stepName,
    channel: m.channel, language: m.language, currency: m.currency, principalCents: m.principalCents, interestCents: m.interestCents, costsCents: m.costsCents,
    vatCents: m.vatCents, totalCents: m.totalCents, dedupeKey: m.dedupeKey,
    itemNumbers: m.items.map((i) => i.number), maxDaysOverdue: m.items.reduce((a, i) => Math.max(a, i.daysOverdue), 0),
  };
}

export async function changeCount(q: Queryable, administrationId: number): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT coalesce(sum(n), 0)::bigint AS n FROM change_marks WHERE administration_id = $1', [administrationId]);
  return Number(r?.n ?? 0);
}

/** The marks counted so far become one row with their sum: the count stays the same (also run nightly). */
export async function compactChangeMarks(q: Queryable, administrationId: number): Promise<void> {
  await q.query('WITH d AS (DELETE FROM change_marks WHERE administration_id = $1 RETURNING n) INSERT INTO change_marks (administration_id, n) SELECT $1, sum(n) FROM d HAVING count(*) > 0', [administrationId]);
}

type ProposalRow = { id: number; changes: number; summary: Omit<ProposalSummary, 'computedAt' | 'seconds'>; computed_at: Date | string; seconds: number };

async function storedProposal(q: Queryable, administrationId: number, asOf: string): Promise<ProposalRow | null> {
  const [r] = await q.query<ProposalRow>('SELECT id, changes, summary, computed_at, seconds FROM dunning_proposals WHERE administration_id = $1 AND as_of = $2', [administrationId, asOf]);
  return r ?? null;
}

const summaryOf = (r: ProposalRow): ProposalSummary => ({
  ...r.summary,
  computedAt: r.computed_at instanceof Date ? r.computed_at.toISOString() : String(r.computed_at),
  seconds: Number(r.seconds),
});

/** What the run would send as the user overrides the bank-data gate (the list is the same; only the block goes). */
export function withOverride(p: ProposalSummary, override: boolean): ProposalSummary {
  if (!override || !p.blocked) return p;
  return { ...p, blocked: null, overridden: true };
}

/** Plan the run as of a date and store it as the administration's proposal for that date. */
export async function computeProposal(db: Db, admin: Administration, asOf: string): Promise<ProposalSummary> {
  const changes = await changeCount(db, admin.id); // read first: a change during the computation makes it outdated
  const started = performance.now();
  const plan = await previewRun(db, admin, { asOf, override: false });
  const list: readonly PlannedMessage[] = plan.blocked ? plan.wouldSend : plan.messages;
  const steps = new Map<string, ProposalStep>();
  for (const m of list) {
    const s = steps.get(m.stepKey) ?? { key: m.stepKey, name: m.stepName, index: m.stepIndex, messages: 0, totalCents: 0, channels: {} };
    s.messages++;
    s.totalCents += m.totalCents;
    s.channels[m.channel] = (s.channels[m.channel] ?? 0) + 1;
    steps.set(m.stepKey, s);
  }
  const skips = new Map<string, ProposalSkip>();
  for (const e of plan.skipped) {
    const s = skips.get(e.reason) ?? { reason: e.reason, entries: 0, items: 0 };
    s.entries++;
    s.items += e.itemIds?.length ?? (e.itemId ? 1 : 0);
    skips.set(e.reason, s);
  }
  const ordered = list.map(slim).sort((a, b) => a.stepIndex - b.stepIndex || b.totalCents - a.totalCents || a.debtorNumber.localeCompare(b.debtorNumber));
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  const summary = {
    asOf: plan.asOf, blocked: plan.blocked, blocks: plan.blocks, overridden: plan.overridden, totals: plan.totals,
    steps: [...steps.values()].sort((a, b) => a.index - b.index),
    skipped: [...skips.values()].sort((a, b) => b.entries - a.entries),
  };
  const row = await db.transaction(async (tx) => {
    const gone = (await tx.query<{ id: number }>('DELETE FROM dunning_proposals WHERE administration_id = $1 AND (as_of = $2 OR as_of < $2::date - 7) RETURNING id', [admin.id, asOf])).map((r) => r.id);
    if (gone.length) {
      await tx.query('DELETE FROM dunning_proposal_messages WHERE proposal_id = ANY($1::bigint[])', [gone]);
      await tx.query('DELETE FROM dunning_proposal_skipped WHERE proposal_id = ANY($1::bigint[])', [gone]);
    }
    const [p] = await tx.query<ProposalRow>(
      `INSERT INTO dunning_proposals (administration_id, as_of, changes, summary, seconds) VALUES ($1, $2, $3, $4, $5) RETURNING id, changes, summary, computed_at, seconds`,
      [admin.id, asOf, changes, JSON.stringify(summary), seconds],
    );
    const CHUNK = 20_000;
    for (let i = 0; i < ordered.length; i += CHUNK) {
      await tx.copyFrom('dunning_proposal_messages', ['proposal_id', 'seq', 'step_index', 'step_key', 'debtor_id', 'dedupe_key', 'message'],
        toCopyCsv(ordered.slice(i, i + CHUNK).map((m, k) => [p!.id, i + k, m.stepIndex, m.stepKey, Number(m.debtorId), m.dedupeKey, JSON.stringify(m)])));
    }
    for (let i = 0; i < plan.skipped.length; i += CHUNK) {
      await tx.copyFrom('dunning_proposal_skipped', ['proposal_id', 'seq', 'reason', 'debtor_id', 'entry'],
        toCopyCsv(plan.skipped.slice(i, i + CHUNK).map((e, k) => [p!.id, i + k, e.reason, Number(e.debtorId), JSON.stringify(e)])));
    }
    await compactChangeMarks(tx, admin.id);
    return p!;
  });
  return summaryOf(row);
}

/**
 * The proposal for the dunning screen: the stored one when still valid; otherwise computed now
 * (small administrations) or by a background job, showing the previous one meanwhile.
 */
export async function proposal(db: Db, admin: Administration, asOf: string, opts: { inlineOpenItems?: number } = {}): Promise<ProposalView> {
  const [stored, changes] = [await storedProposal(db, admin.id, asOf), await changeCount(db, admin.id)];
  if (stored && Number(stored.changes) === changes) return { status: 'ready', stale: false, proposal: summaryOf(stored) };
  const [{ n }] = (await db.query<{ n: number }>('SELECT coalesce(sum(open_items), 0)::int AS n FROM open_by_due_date WHERE administration_id = $1', [admin.id])) as [{ n: number }];
  if (n <= (opts.inlineOpenItems ?? INLINE_OPEN_ITEMS)) return { status: 'ready', stale: false, proposal: await computeProposal(db, admin, asOf) };
  await enqueue(db, 'dunning-proposal', { administrationId: admin.id, asOf }, { singletonKey: `dunning-proposal:${admin.id}:${asOf}:${changes}`, maxAttempts: 2 });
  return { status: 'computing', stale: !!stored, proposal: stored ? summaryOf(stored) : null };
}

async function currentProposalId(q: Queryable, administrationId: number, asOf: string): Promise<number | null> {
  const [r] = await q.query<{ id: number }>('SELECT id FROM dunning_proposals WHERE administration_id = $1 AND as_of = $2', [administrationId, asOf]);
  return r?.id ?? null;
}

/** One page of the proposal's messages, of one step or all, largest amounts first within a step. */
export async function proposalMessages(q: Queryable, admin: Administration, asOf: string, opts: { step?: string; offset?: number; limit?: number }): Promise<{ rows: ProposalMessage[]; total: number }> {
  const id = await currentProposalId(q, admin.id, asOf);
  if (id === null) return { rows: [], total: 0 };
  const params: unknown[] = [id];
  let where = 'proposal_id = $1';
  if (opts.step) { params.push(opts.step); where += ' AND step_key = $2'; }
  const rows = await q.query<{ message: ProposalMessage }>(
    `SELECT message FROM dunning_proposal_messages WHERE ${where} ORDER BY seq LIMIT ${Math.min(Math.max(1, opts.limit ?? 100), 1000)} OFFSET ${Math.max(0, opts.offset ?? 0)}`, params);
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM dunning_proposal_messages WHERE ${where}`, params);
  return { rows: rows.map((r) => r.message), total: c?.n ?? 0 };
}

export type ProposalSkippedRow = SkippedEntry & { debtorNumber: string | null; debtorName: string | null };

/** One page of what the proposal skips and why, optionally of one reason. */
export async function proposalSkipped(q: Queryable, admin: Administration, asOf: string, opts: { reason?: string; offset?: number; limit?: number }): Promise<{ rows: ProposalSkippedRow[]; total: number }> {
  const id = await currentProposalId(q, admin.id, asOf);
  if (id === null) return { rows: [], total: 0 };
  const params: unknown[] = [id];
  let where = 's.proposal_id = $1';
  if (opts.reason) { params.push(opts.reason); where += ' AND s.reason = $2'; }
  const rows = await q.query<{ entry: SkippedEntry; number: string | null; name: string | null }>(
    `SELECT s.entry, d.number, d.name FROM (SELECT * FROM dunning_proposal_skipped s WHERE ${where} ORDER BY s.seq
        LIMIT ${Math.min(Math.max(1, opts.limit ?? 100), 1000)} OFFSET ${Math.max(0, opts.offset ?? 0)}) s
       LEFT JOIN debtors d ON d.id = s.debtor_id ORDER BY s.seq`, params);
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM dunning_proposal_skipped s WHERE ${where}`, params);
  return { rows: rows.map((r) => ({ ...r.entry, debtorNumber: r.number, debtorName: r.name })), total: c?.n ?? 0 };
}
