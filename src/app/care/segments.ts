/** Segments by rules: CRUD, evaluation of every debtor (nightly and on demand), tags. */
import type { Db, Queryable } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { addEvent } from '../../store/events.ts';
import { ev } from '../../domain/events.ts';
import { debtorFacts, deleteSegment as deleteSegmentRow, listSegments, setDebtorCare, setSegments, upsertSegment, type Segment } from '../../store/care.ts';
import { checkRules, chooseSegment, type DebtorFacts } from '../../domain/care/segments.ts';
import { KEY_PATTERN } from '../../domain/care/statuses.ts';
import { invalid, notFound } from '../errors.ts';
import { requireDate, requireDebtor, type Actor } from './common.ts';

export async function segments(db: Queryable, admin: Administration): Promise<Segment[]> {
  return listSegments(db, admin.id);
}

export async function saveSegment(db: Db, admin: Administration, s: Segment): Promise<Segment> {
  const problems = [];
  if (!KEY_PATTERN.test(s.key)) problems.push({ field: 'key', code: 'invalid', message: 'lowercase letters, digits and _' });
  if (!s.name?.trim()) problems.push({ field: 'name', code: 'required', message: 'name is required' });
  if (!Number.isInteger(s.priority)) problems.push({ field: 'priority', code: 'invalid', message: 'a whole number' });
  for (const m of checkRules(s.rules)) problems.push({ field: 'rules', code: 'invalid', message: m });
  if (problems.length) throw invalid('the segment is not valid', problems);
  await upsertSegment(db, admin.id, { ...s, name: s.name.trim(), policyKey: s.policyKey ?? null });
  return (await listSegments(db, admin.id)).find((x) => x.key === s.key)!;
}

export async function removeSegment(db: Db, admin: Administration, key: string): Promise<void> {
  if (!(await deleteSegmentRow(db, admin.id, key))) throw notFound(`segment ${key}`);
}

const toFacts = (r: { type: 'business' | 'consumer'; annual_cents: number; avg_days_late: string | null; broken: number; tags: string[] }): DebtorFacts => ({
  type: r.type, annualInvoicedCents: r.annual_cents, avgDaysLate: r.avg_days_late === null ? null : Number(r.avg_days_late), brokenPromises: r.broken, tags: r.tags ?? [],
});

/**
 * Evaluate the rules for every debtor as of a date; set segment and the reason. Without any
 * segment defined nothing changes (a segment set by import stays).
 */
export async function evaluateSegments(db: Db, admin: Administration, asOf: string, only?: { debtorIds?: number[] }): Promise<{ evaluated: number; changed: number }> {
  requireDate('asOf', asOf);
  return db.transaction(async (tx) => {
    const defs = await listSegments(tx, admin.id);
    if (!defs.length) return { evaluated: 0, changed: 0 };
    const facts = await debtorFacts(tx, admin.id, asOf, only?.debtorIds);
    const changes: { id: number; segment: string | null; reason: string | null }[] = [];
    let changed = 0;
    for (const r of facts) {
      const c = chooseSegment(defs, toFacts(r));
      if (c.segment !== r.segment) changed++;
      if (c.segment !== r.segment || c.reason !== r.segment_reason) changes.push({ id: r.id, segment: c.segment, reason: c.reason });
    }
    await setSegments(tx, admin.id, changes);
    return { evaluated: facts.length, changed };
  });
}

/** Why a debtor is (or would be) in its segment, from its current facts. */
export async function explainSegment(db: Queryable, admin: Administration, debtorId: number, asOf: string) {
  const defs = await listSegments(db, admin.id);
  const [r] = await debtorFacts(db, admin.id, asOf, [debtorId]);
  if (!r) throw notFound(`debtor ${debtorId}`);
  const facts = toFacts(r);
  return { segment: r.segment, reason: r.segment_reason, facts, wouldBe: chooseSegment(defs, facts) };
}

export async function setTags(db: Db, admin: Administration, debtorId: number, tags: readonly string[], actor: Actor = null): Promise<string[]> {
  const clean = [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))].sort();
  if (clean.some((t) => t.length > 40)) throw invalid('a tag is at most 40 characters');
  return db.transaction(async (tx) => {
    await requireDebtor(tx, admin, debtorId);
    const [before] = await tx.query<{ tags: string[] }>('SELECT tags FROM debtors WHERE id = $1', [debtorId]);
    await setDebtorCare(tx, admin.id, debtorId, { tags: clean });
    if (JSON.stringify(before!.tags ?? []) !== JSON.stringify(clean))
      await addEvent(tx, admin.id, { debtorId, event: ev('debtor_updated', { tags: clean }), data: { changes: { tags: { from: before!.tags, to: clean } } }, actor });
    return clean;
  });
}
