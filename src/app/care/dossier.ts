/**
 * The dossier: one timeline per debtor (the `events` table, append-only). People add notes,
 * calls with their outcome, mails in and out, letters and agreements; the system adds status
 * changes, payments, dunning actions. An edit is a new entry that names the one it replaces
 * (data.replaces); the old entry stays, so nothing is changed silently or lost.
 */
import type { Db, Queryable } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { addEvent, type TimelineEvent } from '../../store/events.ts';
import { ev, type DomainEvent } from '../../domain/events.ts';
import { insertTask } from '../../store/care.ts';
import { CALL_OUTCOMES, MANUAL_ENTRY_KINDS, type CallOutcome, type ManualEntryKind } from '../../domain/care/statuses.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { requireDate, requireDebtor, type Actor } from './common.ts';

export type EntryInput = {
  kind: ManualEntryKind;
  text: string;
  subject?: string | null;
  outcome?: CallOutcome | null;
  itemId?: number | null;
  /** A call-back task on this date (calls). */
  callbackDate?: string | null;
  assignTo?: string | null;
};

/** A manual entry as a typed event (its text in the reader's language comes from domain/events.ts). */
function eventOf(e: { kind: ManualEntryKind; text?: string | null; subject?: string | null; outcome?: CallOutcome | null }): DomainEvent {
  return ev(e.kind, { text: e.text ?? '', ...(e.subject ? { subject: e.subject } : {}), ...(e.outcome ? { outcome: e.outcome } : {}) });
}

function check(input: EntryInput): void {
  const problems = [];
  if (!(MANUAL_ENTRY_KINDS as readonly string[]).includes(input.kind)) problems.push({ field: 'kind', code: 'invalid', message: `kind must be one of ${MANUAL_ENTRY_KINDS.join(', ')}` });
  if (input.kind !== 'call' && !input.text?.trim()) problems.push({ field: 'text', code: 'required', message: 'text is required' });
  if ((input.text ?? '').length > 20000) problems.push({ field: 'text', code: 'too_long', message: 'at most 20000 characters' });
  if (input.kind === 'call' && !input.outcome) problems.push({ field: 'outcome', code: 'required', message: `a call needs an outcome: ${CALL_OUTCOMES.join(', ')}` });
  if (input.outcome && !(CALL_OUTCOMES as readonly string[]).includes(input.outcome)) problems.push({ field: 'outcome', code: 'invalid', message: `outcome must be one of ${CALL_OUTCOMES.join(', ')}` });
  if (problems.length) throw invalid('the entry has invalid fields', problems);
}

export async function addEntry(db: Db, admin: Administration, debtorId: number, input: EntryInput, actor: Actor = null): Promise<TimelineEvent> {
  check(input);
  if (input.callbackDate) requireDate('callbackDate', input.callbackDate);
  return db.transaction(async (tx) => {
    await requireDebtor(tx, admin, debtorId);
    if (input.itemId != null) {
      const [it] = await tx.query<{ debtor_id: number }>('SELECT debtor_id FROM items WHERE administration_id = $1 AND id = $2', [admin.id, input.itemId]);
      if (!it || it.debtor_id !== debtorId) throw invalid(`item ${input.itemId} is not an item of this debtor`);
    }
    const data: Record<string, unknown> = { text: input.text ?? '' };
    if (input.subject) data.subject = input.subject;
    if (input.outcome) data.outcome = input.outcome;
    let taskId: number | null = null;
    if (input.callbackDate) {
      taskId = await insertTask(tx, admin.id, { debtorId, itemIds: input.itemId ? [input.itemId] : [], kind: 'call_back', title: `Terugbellen${input.text ? `: ${input.text.slice(0, 100)}` : ''}`, dueDate: input.callbackDate, assignedTo: input.assignTo ?? actor });
      data.callbackTaskId = taskId;
      data.callbackDate = input.callbackDate;
    }
    const id = await addEvent(tx, admin.id, { debtorId, itemId: input.itemId ?? null, event: eventOf(input), data, actor });
    return (await getEntry(tx, admin, id))!;
  });
}

export const addNote = (db: Db, admin: Administration, debtorId: number, text: string, actor: Actor = null) => addEntry(db, admin, debtorId, { kind: 'note', text }, actor);

export const addCall = (db: Db, admin: Administration, debtorId: number, call: { outcome: CallOutcome; text?: string; callbackDate?: string | null; assignTo?: string | null }, actor: Actor = null) =>
  addEntry(db, admin, debtorId, { kind: 'call', text: call.text ?? '', outcome: call.outcome, callbackDate: call.callbackDate, assignTo: call.assignTo }, actor);

export const addMailLog = (db: Db, admin: Administration, debtorId: number, mail: { direction: 'in' | 'out'; subject?: string; text: string }, actor: Actor = null) =>
  addEntry(db, admin, debtorId, { kind: mail.direction === 'in' ? 'mail_in' : 'mail_out', subject: mail.subject ?? null, text: mail.text }, actor);

type EventRow = { id: number; debtor_id: number | null; item_id: number | null; at: Date | string; kind: string; params: Record<string, unknown> | null; summary: string; data: Record<string, unknown>; actor: string | null; document_id: number | null };
const toEvent = (r: EventRow): TimelineEvent => ({ id: r.id, debtorId: r.debtor_id, itemId: r.item_id, at: r.at instanceof Date ? r.at.toISOString() : String(r.at), kind: r.kind, params: r.params ?? null, summary: r.summary, data: r.data ?? {}, actor: r.actor, documentId: r.document_id });

async function getEntry(q: Queryable, admin: Administration, id: number): Promise<TimelineEvent | null> {
  const [r] = await q.query<EventRow>('SELECT * FROM events WHERE administration_id = $1 AND id = $2', [admin.id, id]);
  return r ? toEvent(r) : null;
}

/** Edit = a new version that replaces the old (which stays). Only the newest version can be edited. */
export async function editEntry(db: Db, admin: Administration, eventId: number, change: { text?: string; subject?: string | null; outcome?: CallOutcome | null }, actor: Actor = null): Promise<TimelineEvent> {
  return db.transaction(async (tx) => {
    const old = await getEntry(tx, admin, eventId);
    if (!old || old.debtorId === null) throw notFound(`timeline entry ${eventId}`);
    if (!(MANUAL_ENTRY_KINDS as readonly string[]).includes(old.kind)) throw new AppError('conflict', `a ${old.kind} entry is written by the system and cannot be edited; add a note instead`);
    const [newer] = await tx.query<{ id: number }>(`SELECT id FROM events WHERE administration_id = $1 AND debtor_id = $2 AND data->>'replaces' = $3 LIMIT 1`, [admin.id, old.debtorId, String(eventId)]);
    if (newer) throw new AppError('conflict', `entry ${eventId} was already replaced by entry ${newer.id}; edit that one`);
    const kind = old.kind as ManualEntryKind;
    const next = {
      kind,
      text: change.text ?? String(old.data.text ?? ''),
      subject: change.subject !== undefined ? change.subject : ((old.data.subject as string | undefined) ?? null),
      outcome: change.outcome !== undefined ? change.outcome : ((old.data.outcome as CallOutcome | undefined) ?? null),
    };
    check({ ...next });
    const data: Record<string, unknown> = { ...old.data, text: next.text, replaces: old.id };
    if (next.subject) data.subject = next.subject; else delete data.subject;
    if (next.outcome) data.outcome = next.outcome; else delete data.outcome;
    const id = await addEvent(tx, admin.id, { debtorId: old.debtorId, itemId: old.itemId, event: eventOf(next), data, actor, documentId: old.documentId });
    return (await getEntry(tx, admin, id))!;
  });
}

export type DossierEntry = TimelineEvent & { replaces: number | null; replacedBy: number | null };

/** The timeline, newest first, each entry marked with the version it replaces and the one that replaced it. */
export async function dossier(db: Queryable, admin: Administration, debtorId: number, opts: { limit?: number; before?: number; kind?: string; current?: boolean } = {}): Promise<DossierEntry[]> {
  await requireDebtor(db, admin, debtorId);
  const rows = await db.query<EventRow>(
    `SELECT * FROM events WHERE administration_id = $1 AND debtor_id = $2 AND ($3::bigint IS NULL OR id < $3) AND ($4::text IS NULL OR kind = $4) ORDER BY at DESC, id DESC LIMIT $5`,
    [admin.id, debtorId, opts.before ?? null, opts.kind ?? null, Math.min(opts.limit ?? 100, 1000)],
  );
  const repl = await db.query<{ id: number; old: string }>(`SELECT id, data->>'replaces' AS old FROM events WHERE administration_id = $1 AND debtor_id = $2 AND data->>'replaces' IS NOT NULL`, [admin.id, debtorId]);
  const replacedBy = new Map(repl.map((r) => [Number(r.old), r.id]));
  const out = rows.map((r) => {
    const e = toEvent(r);
    return { ...e, replaces: e.data.replaces !== undefined ? Number(e.data.replaces) : null, replacedBy: replacedBy.get(e.id) ?? null };
  });
  return opts.current ? out.filter((e) => e.replacedBy === null) : out;
}
