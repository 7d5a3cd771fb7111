/**
 * Use cases of the outbox: every move of a message (store/outbox.ts checks it against the state
 * machine of domain/dunning/outbox.ts) with its line on the debtor's timeline and, when a message
 * did not reach the debtor, a task for a person. What a person does: resend a failed or bounced
 * message, cancel one, settle an uncertain one (sent or not sent: never resent blindly), print a
 * run's letters as one PDF and mark them posted.
 */
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { addEvent } from '../store/events.ts';
import { ev, moveNote, plainFormat, type MoveNote } from '../domain/events.ts';
import { getDocument } from '../store/documents.ts';
import { countByState, getOutboxAction, listOutbox, moveAction, parseMessage, stateHistory, type ActionRow, type MoveFields, type OutboxFilter, type StoredMessage } from '../store/outbox.ts';
import { describeCounts, isOutboxState, OUTBOX_STATES, reachedOn, type OutboxState, type StateCounts, type TransitionCause } from '../domain/dunning/outbox.ts';
import { isIsoDate, todayIn } from '../domain/dates.ts';
import { formatCents } from '../domain/money.ts';
import { AppError, invalid, notFound } from './errors.ts';
import { renderPrintBatchPdf, type LetterData } from './documents/letter.ts';

const iso = (v: Date | string | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : String(v));


function messageOf(row: ActionRow): StoredMessage | null {
  try {
    return parseMessage(row.id, row.message);
  } catch {
    return null;
  }
}

/** One line on the debtor's timeline for a move. Kind `dunning_<state>`, with the move in data. */
async function timeline(q: Queryable, admin: Administration, row: ActionRow, from: OutboxState | null, to: OutboxState, actor: string | null, note: MoveNote | null, documentId?: number | null): Promise<void> {
  const m = messageOf(row);
  const emails = to === 'sent' && row.delivery === 'email' && m?.contact?.emails.length ? m.contact.emails : null;
  await addEvent(q, admin.id, {
    debtorId: row.debtor_id,
    event: ev(`dunning_${to}`, { move: to, step: m?.stepName ?? row.step_key, totalCents: m ? m.totalCents : null, currency: m?.currency ?? null, to: emails, note }),
    data: { actionId: row.id, runId: row.run_id, stepKey: row.step_key, from, to, delivery: row.delivery, ...(row.message_id ? { messageId: row.message_id } : {}) },
    actor,
    ...(documentId ? { documentId } : row.document_id ? { documentId: row.document_id } : {}),
  });
}

/** A task for a person when a message did not reach the debtor (or nobody knows). */
async function taskFor(q: Queryable, admin: Administration, row: ActionRow, to: OutboxState, detail: string | null): Promise<void> {
  if (to !== 'failed' && to !== 'bounced' && to !== 'uncertain') return;
  const title = to === 'uncertain' ? 'Controleer verzending aanmaning' : to === 'bounced' ? 'Aanmaning onbestelbaar: controleer het adres' : 'Aanmaning niet verzonden';
  await q.query(
    `INSERT INTO tasks (administration_id, debtor_id, item_ids, kind, title, reason, due_date, source_type, source_id) VALUES ($1, $2, $3, 'check_delivery', $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [admin.id, row.debtor_id, row.item_ids, title, `actie ${row.id} (${row.step_key})${detail ? `: ${detail}` : ''}`.slice(0, 1000), todayIn(), `dunning_${to}`, row.id],
  );
}

/** `note`: why, as a code (rendered in the reader's language); `detail`: what a person or a mail server said, as is. */
export type MoveHow = { cause: TransitionCause; actor?: string | null; detail?: string | null; note?: MoveNote | null; from?: readonly OutboxState[] } & MoveFields;

/** Move a message (checked), on the timeline, with a task when it did not reach the debtor. Throws a conflict when the move is not allowed. */
export async function moveMessage(q: Queryable, admin: Administration, id: number, to: OutboxState, how: MoveHow): Promise<ActionRow> {
  const said = how.detail ?? how.lastError ?? null;
  const note: MoveNote | null = how.note ?? (said ? { code: 'text', text: said } : null);
  const noted = how.note ? moveNote(how.note, 'nl', plainFormat('nl')) : null;
  const r = await moveAction(q, admin.id, id, to, { ...how, detail: noted ?? how.detail ?? null });
  if (!r.ok) {
    if (r.refusal.code === 'not_found') throw notFound(`outbox message ${id}`);
    const why = r.refusal.code === 'needs_person' ? 'only a person may do this' : `not allowed from "${r.refusal.from}"`;
    throw new AppError('conflict', `outbox message ${id} cannot go to "${to}": ${why}`, [{ field: 'status', code: r.refusal.code, message: `${r.refusal.from} → ${to}` }]);
  }
  await timeline(q, admin, r.row, r.from, to, how.actor ?? null, note);
  await taskFor(q, admin, r.row, to, noted ?? said);
  return r.row;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export type OutboxMessageView = {
  id: number; runId: number; debtorId: number; debtorNumber: string | null; debtorName: string | null; stepKey: string; stepName: string | null; channel: string; delivery: string;
  status: OutboxState; attempts: number; recipient: string | null; subject: string | null; items: string[]; total: string | null; currency: string | null; letterDate: string | null;
  reachedOn: string | null; lastError: string | null; messageId: string | null; smtpResponse: string | null; documentId: number | null; createdAt: string; sentAt: string | null; postedAt: string | null;
  nextAttemptAt: string | null;
};

export function viewOf(r: ActionRow): OutboxMessageView {
  const m = messageOf(r);
  const address = m?.contact ? [m.contact.addressLine, [m.contact.postalCode, m.contact.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') : null;
  return {
    id: r.id, runId: r.run_id, debtorId: r.debtor_id, debtorNumber: m?.debtorNumber ?? null, debtorName: m?.debtorName ?? null, stepKey: r.step_key, stepName: m?.stepName ?? null, channel: r.channel,
    delivery: r.delivery, status: r.status, attempts: r.attempts,
    recipient: r.delivery === 'email' ? (m?.contact?.emails.join(', ') || null) : r.delivery === 'paper' ? [m?.debtorName, address].filter(Boolean).join(', ') || null : null,
    subject: m ? `${m.stepName} ${m.debtorNumber}` : null,
    items: m ? m.items.map((i) => i.number) : [], total: m ? formatCents(m.totalCents) : null, currency: m?.currency ?? null, letterDate: r.letter_date, reachedOn: r.reached_on,
    lastError: r.last_error, messageId: r.message_id, smtpResponse: r.smtp_response, documentId: r.document_id, createdAt: iso(r.created_at)!, sentAt: iso(r.sent_at), postedAt: iso(r.posted_at),
    nextAttemptAt: r.status === 'queued' && r.attempts > 0 ? iso(r.next_attempt_at) : null,
  };
}

export type OutboxListFilter = { status?: string[]; stepKey?: string; runId?: number; debtorId?: number; debtorNumber?: string; delivery?: 'email' | 'paper' | 'task'; limit?: number; offset?: number };

async function debtorIdOf(q: Queryable, admin: Administration, number: string): Promise<number> {
  const [d] = await q.query<{ id: number }>('SELECT id FROM debtors WHERE administration_id = $1 AND number = $2', [admin.id, number]);
  if (!d) throw notFound(`debtor ${number}`);
  return d.id;
}

export async function outboxList(q: Queryable, admin: Administration, f: OutboxListFilter): Promise<{ rows: OutboxMessageView[]; total: number; counts: StateCounts }> {
  const bad = (f.status ?? []).filter((s) => !isOutboxState(s));
  if (bad.length) throw invalid(`unknown state ${bad.join(', ')}: use ${OUTBOX_STATES.join(', ')}`);
  const debtorId = f.debtorId ?? (f.debtorNumber ? await debtorIdOf(q, admin, f.debtorNumber) : undefined);
  const filter: OutboxFilter = { status: f.status, stepKey: f.stepKey, runId: f.runId, debtorId, delivery: f.delivery, limit: f.limit, offset: f.offset };
  const { rows, total } = await listOutbox(q, admin.id, filter);
  return { rows: rows.map(viewOf), total, counts: await countByState(q, admin.id, filter) };
}

export type OutboxDetail = OutboxMessageView & {
  history: { from: string | null; to: string; at: string; actor: string | null; detail: string | null }[];
  attachments: { filename: string; contentType: string; documentId: number | null }[];
  itemsDetail: { number: string; dueDate: string; openCents: number }[];
  credits: { number: string; kind: string; openCents: number }[];
  /** What a person may do now. */
  actions: ('resend' | 'cancel' | 'mark_sent' | 'mark_not_sent' | 'mark_posted' | 'mark_bounced')[];
};

/** `subjectOf`: the real subject line of the message's letter (the edge passes the letter renderer). */
export async function outboxShow(q: Queryable, admin: Administration, id: number, subjectOf?: (row: ActionRow) => Promise<string>): Promise<OutboxDetail> {
  const r = await getOutboxAction(q, admin.id, id);
  if (!r) throw notFound(`outbox message ${id}`);
  let subject: string | null = null;
  if (subjectOf && r.delivery !== 'task') {
    try {
      subject = await subjectOf(r);
    } catch {
      subject = null;
    }
  }
  const m = messageOf(r);
  const history = (await stateHistory(q, admin.id, id)).map((h) => ({ from: h.from_state, to: h.to_state, at: iso(h.at)!, actor: h.actor, detail: h.detail }));
  const doc = r.document_id ? await getDocument(q, admin.id, r.document_id) : null;
  const invoiceDocs = await q.query<{ filename: string; content_type: string; id: number }>(
    'SELECT d.filename, d.content_type, d.id FROM items i JOIN documents d ON d.id = i.document_id WHERE i.administration_id = $1 AND i.id = ANY($2::bigint[]) ORDER BY i.due_date LIMIT 20',
    [admin.id, r.item_ids],
  );
  const actions: OutboxDetail['actions'] = [];
  if (r.status === 'failed' || r.status === 'bounced') actions.push('resend');
  if (r.status === 'uncertain') actions.push('mark_sent', 'mark_not_sent');
  if (r.status === 'to_print' || r.status === 'printed') actions.push('mark_posted');
  if (r.status === 'sent' && r.delivery === 'email') actions.push('mark_bounced');
  if (['queued', 'failed', 'bounced', 'uncertain', 'to_print', 'printed'].includes(r.status)) actions.push('cancel');
  const view = viewOf(r);
  return {
    ...view, subject: subject ?? view.subject, history,
    attachments: [...(doc ? [{ filename: doc.filename, contentType: doc.contentType ?? 'application/pdf', documentId: r.document_id }] : []), ...(r.delivery === 'email' ? invoiceDocs.map((d) => ({ filename: d.filename, contentType: d.content_type, documentId: d.id })) : [])],
    itemsDetail: m ? m.items.map((i) => ({ number: i.number, dueDate: i.dueDate, openCents: i.openCents })) : [],
    credits: m ? m.credits.map((c) => ({ number: c.number, kind: c.kind, openCents: c.openCents })) : [],
    actions,
  };
}

export function countsText(c: StateCounts, lang: 'nl' | 'en'): string {
  return describeCounts(c, lang);
}

// ---------------------------------------------------------------------------------------------
// What a person does
// ---------------------------------------------------------------------------------------------

/** Send a failed or bounced e-mail again (a person decided to). Uncertain ones are settled first. */
export async function resendMessage(db: Db, admin: Administration, id: number, actor: string | null): Promise<OutboxMessageView> {
  return db.transaction(async (tx) => {
    const r = await getOutboxAction(tx, admin.id, id);
    if (!r) throw notFound(`outbox message ${id}`);
    if (r.status === 'uncertain')
      throw new AppError('conflict', `message ${id} is uncertain: it may have been sent. Check with the recipient, then mark it sent or not sent (mark-sent --not-sent); only a message marked not sent can be sent again`, [{ field: 'status', code: 'uncertain', message: 'settle first' }]);
    if (r.delivery !== 'email') throw new AppError('conflict', `message ${id} is a ${r.delivery === 'paper' ? 'paper letter: print it again from the print batch' : 'task'}; only e-mails are resent`);
    // the same message may have been planned again meanwhile: never two on their way
    const [other] = await tx.query<{ id: number }>(`SELECT id FROM dunning_actions WHERE administration_id = $1 AND dedupe_key = $2 AND id <> $3 AND status NOT IN ('failed', 'bounced', 'cancelled')`, [admin.id, r.dedupe_key, id]);
    if (other) throw new AppError('conflict', `message ${id} was planned again as message ${other.id}: that one goes out instead`);
    return viewOf(await moveMessage(tx, admin, id, 'queued', { cause: 'person', actor, note: { code: 'resend' }, nextAttemptAt: new Date(), lastError: null }));
  });
}

export async function cancelMessage(db: Db, admin: Administration, id: number, actor: string | null, reason?: string): Promise<OutboxMessageView> {
  return db.transaction(async (tx) => viewOf(await moveMessage(tx, admin, id, 'cancelled', { cause: 'person', actor, detail: reason ?? null })));
}

/** Settle an uncertain message: a person checked whether it went out. Sent → the step is reached; not sent → failed (resend or the next run). */
export async function settleUncertain(db: Db, admin: Administration, id: number, sent: boolean, actor: string | null, note?: string): Promise<OutboxMessageView> {
  return db.transaction(async (tx) => {
    const r = await getOutboxAction(tx, admin.id, id);
    if (!r) throw notFound(`outbox message ${id}`);
    if (r.status !== 'uncertain') throw new AppError('conflict', `message ${id} is ${r.status}, not uncertain: only an uncertain message is marked sent or not sent by hand`);
    const reachedOn = sent ? reachedDay(r, new Date()) : undefined;
    const row = await moveMessage(tx, admin, id, sent ? 'sent' : 'failed', { cause: 'person', actor, from: ['uncertain'], ...(note ? { detail: note } : { note: { code: sent ? 'confirmed_sent' : 'confirmed_not_sent' } }), ...(reachedOn ? { reachedOn } : {}) });
    await tx.query(`UPDATE tasks SET status = 'done', completed_at = now(), completed_by = $2, outcome = $3 WHERE source_type = 'dunning_uncertain' AND source_id = $1 AND status = 'open'`, [id, actor, sent ? 'sent' : 'not sent']);
    return viewOf(row);
  });
}

/** A person received a bounce for a message that was sent: the step is no longer reached (the next run plans it again). */
export async function markBounced(db: Db, admin: Administration, id: number, actor: string | null, note?: string): Promise<OutboxMessageView> {
  return db.transaction(async (tx) => viewOf(await moveMessage(tx, admin, id, 'bounced', { cause: 'person', actor, from: ['sent'], ...(note ? { detail: note } : { note: { code: 'bounce' } }) })));
}

/** The day a step counts as reached: the letter date moved on by the days between queueing and now. */
export function reachedDay(r: Pick<ActionRow, 'letter_date' | 'created_at'>, now: Date): string {
  const queued = todayIn('Europe/Amsterdam', r.created_at instanceof Date ? r.created_at : new Date(r.created_at));
  return reachedOn(r.letter_date ?? queued, queued, todayIn('Europe/Amsterdam', now));
}

// ---------------------------------------------------------------------------------------------
// Print batches
// ---------------------------------------------------------------------------------------------

export type PrintBatch = { content: Uint8Array; filename: string; letters: number; ids: number[] };

/**
 * All paper letters of a run that wait to be printed (or were printed and not yet posted), as one
 * PDF: an address page (window envelope) before each letter, each letter exactly as stored for its
 * message (the same data, the same date). Printing moves them to `printed`.
 */
export async function printBatch(db: Db, admin: Administration, runId: number, actor: string | null, letterOf: (row: ActionRow) => Promise<LetterData>): Promise<PrintBatch> {
  const { rows } = await listOutbox(db, admin.id, { runId, status: ['to_print', 'printed'], delivery: 'paper', limit: 100_000 });
  if (!rows.length) throw notFound(`letters to print in run ${runId}`);
  rows.sort((a, b) => a.id - b.id);
  const letters: LetterData[] = [];
  for (const r of rows) letters.push(await letterOf(r));
  const content = await renderPrintBatchPdf(letters, letters[0]!.date);
  await db.transaction(async (tx) => {
    for (const r of rows) if (r.status === 'to_print') await moveMessage(tx, admin, r.id, 'printed', { cause: 'person', actor, from: ['to_print'], note: { code: 'print_batch', runId } });
  });
  return { content, filename: `printbatch-run-${runId}.pdf`, letters: rows.length, ids: rows.map((r) => r.id) };
}

/** A person posted the letters (of a run, or these messages): each step is reached on the day posted. */
export async function markPosted(db: Db, admin: Administration, sel: { runId?: number; ids?: number[] }, opts: { postedOn?: string; actor: string | null }): Promise<{ posted: number; ids: number[] }> {
  if (sel.runId === undefined && !sel.ids?.length) throw invalid('give a run or the messages that were posted');
  if (opts.postedOn !== undefined && !isIsoDate(opts.postedOn)) throw invalid(`postedOn must be YYYY-MM-DD, not "${opts.postedOn}"`);
  return db.transaction(async (tx) => {
    const { rows } = await listOutbox(tx, admin.id, { runId: sel.runId, ids: sel.ids, status: ['to_print', 'printed'], delivery: 'paper', limit: 100_000 });
    if (!rows.length) throw notFound(sel.runId !== undefined ? `letters to post in run ${sel.runId}` : 'letters to post');
    const ids: number[] = [];
    for (const r of rows) {
      const day = opts.postedOn ?? reachedDay(r, new Date());
      if (r.letter_date && day < r.letter_date) throw invalid(`message ${r.id}: posted on ${day}, before its letter date ${r.letter_date}`);
      // the 14-dagenbrief states its last day counted from its date: posted later, that term would be too short
      if (r.letter_date && day > r.letter_date && messageOf(r)?.legal.fourteenDayLetter)
        throw new AppError('conflict', `message ${r.id} is a 14-dagenbrief dated ${r.letter_date}: posted on ${day} the term it states would be too short. Cancel it; the next run makes a new letter with the right date`, [{ field: 'postedOn', code: 'fourteen_day_letter_outdated', message: `${r.letter_date} < ${day}` }]);
      await moveMessage(tx, admin, r.id, 'posted', { cause: 'person', actor: opts.actor, from: ['to_print', 'printed'], reachedOn: day, note: { code: 'posted_on', date: day } });
      ids.push(r.id);
    }
    return { posted: ids.length, ids: ids.sort((a, b) => a - b) };
  });
}
