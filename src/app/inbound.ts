/**
 * Inbound mail use cases. `ingestMessage` handles one message read from the mailbox, inside the
 * caller's transaction: it is remembered (mailbox, UIDVALIDITY, UID) together with its effects, so
 * the reader (app/inbound-reader.ts) moves it to "Vorder/verwerkt" only after the commit and a crash
 * in between neither loses nor doubles it.
 *
 *   bounce (permanent) → the outbox message becomes `bounced` through the one outbox writer
 *                        (app/outbox.ts moveMessage: timeline line + task), the address is marked
 *                        undeliverable on the debtor, so the next step goes on paper;
 *   bounce (delay)     → a quiet line on the timeline, nothing changes;
 *   automatic reply    → a quiet line on the timeline, read (it never counts as an answer);
 *   reply              → on the debtor's timeline at once, unread; or in the unassigned queue.
 *
 * What a person does: assign a message to a debtor (the sender is remembered), apply one suggestion
 * (only then is a promise, dispute or task made), mark read.
 */
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { addEvent } from '../store/events.ts';
import { storeDocument } from '../store/documents.ts';
import { getDebtor } from '../store/debtors.ts';
import {
  actionForBounce, assignInboundRow, debtorsByNumber, debtorsByReferences, debtorsBySender, debtorsBySentMessageIds, getInbound, getMailbox, inboundCounts, insertInbound, listInbound,
  markUndeliverable, recordApplied, rememberSender, setInboundStatus, upsertMailbox, type InboundFilter, type InboundRow, type MailboxRow,
} from '../store/inbound.ts';
import { parseMime } from '../formats/mime.ts';
import { analyse } from '../domain/inbound/analyse.ts';
import { decideDebtor, type ResolvedBy } from '../domain/inbound/resolve.ts';
import type { Suggestion } from '../domain/inbound/suggest.ts';
import { numberKey } from '../domain/matching/number-key.ts';
import { addDays, formatDateNl, isIsoDate, todayIn } from '../domain/dates.ts';
import { formatMoney } from '../domain/money.ts';
import { AppError, invalid, notFound } from './errors.ts';
import { moveMessage } from './outbox.ts';
import { txDb, type Actor } from './care/common.ts';
import { createPromise } from './care/promises.ts';
import { openDispute } from './care/disputes.ts';
import { createTask } from './care/tasks.ts';
import { ev } from '../domain/events.ts';

/** Attachment types kept as they are; every other type is stored as application/octet-stream. */
const SAFE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'text/plain', 'text/csv']);

/** Attachments above this size are not stored: the message is kept and marked, with a note. */
export const ATTACHMENT_LIMIT = 10 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Mailbox settings
// ---------------------------------------------------------------------------------------------

export type MailboxView = {
  configured: boolean; host: string | null; port: number | null; tls: boolean; username: string | null; passwordSet: boolean; folder: string; processedFolder: string; enabled: boolean;
  lastRunAt: string | null; lastOkAt: string | null; lastError: string | null; lastErrorAt: string | null;
};

const iso = (v: Date | string | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

/** The settings as a browser may see them: never the password, only whether one is set. */
export function mailboxView(r: MailboxRow | null): MailboxView {
  if (!r) return { configured: false, host: null, port: null, tls: true, username: null, passwordSet: false, folder: 'INBOX', processedFolder: 'Vorder/verwerkt', enabled: false, lastRunAt: null, lastOkAt: null, lastError: null, lastErrorAt: null };
  return {
    configured: true, host: r.host, port: r.port, tls: r.tls, username: r.username, passwordSet: r.password.length > 0, folder: r.folder, processedFolder: r.processed_folder, enabled: r.enabled,
    lastRunAt: iso(r.last_run_at), lastOkAt: iso(r.last_ok_at), lastError: r.last_error, lastErrorAt: iso(r.last_error_at),
  };
}

export async function mailboxSettings(db: Queryable, admin: Administration): Promise<MailboxView> {
  return mailboxView(await getMailbox(db, admin.id));
}

export type MailboxInput = { host: string; port: number; tls?: boolean; username: string; password?: string | null; folder?: string; processedFolder?: string; enabled?: boolean };

export function checkMailboxInput(i: MailboxInput): void {
  const problems: { field: string; code: string; message: string }[] = [];
  if (!i.host?.trim() || !/^[A-Za-z0-9.-]{1,255}$/.test(i.host.trim())) problems.push({ field: 'host', code: 'invalid', message: 'a host name or IP address' });
  if (!Number.isInteger(i.port) || i.port < 1 || i.port > 65535) problems.push({ field: 'port', code: 'invalid', message: 'a port 1–65535' });
  if (!i.username?.trim()) problems.push({ field: 'username', code: 'required', message: 'the IMAP user name' });
  for (const f of ['folder', 'processedFolder'] as const) if (i[f] !== undefined && (!i[f]!.trim() || i[f]!.length > 200)) problems.push({ field: f, code: 'invalid', message: 'a folder name' });
  if (i.folder !== undefined && i.processedFolder !== undefined && i.folder.trim() === i.processedFolder.trim()) problems.push({ field: 'processedFolder', code: 'invalid', message: 'must differ from the folder that is read' });
  if (problems.length) throw invalid(`mailbox settings: ${problems.map((p) => p.field).join(', ')}`, problems);
}

export async function saveMailbox(db: Db, admin: Administration, i: MailboxInput): Promise<MailboxView> {
  checkMailboxInput(i);
  return db.transaction(async (tx) => {
    const cur = await getMailbox(tx, admin.id);
    if (!cur && !i.password) throw invalid('a new mailbox needs its password', [{ field: 'password', code: 'required', message: 'the IMAP password' }]);
    const r = await upsertMailbox(tx, admin.id, {
      host: i.host.trim(), port: i.port, tls: i.tls ?? true, username: i.username.trim(), ...(i.password ? { password: i.password } : {}),
      folder: i.folder?.trim() ?? cur?.folder ?? 'INBOX', processedFolder: i.processedFolder?.trim() ?? cur?.processed_folder ?? 'Vorder/verwerkt', enabled: i.enabled ?? true,
    });
    return mailboxView(r);
  });
}

// ---------------------------------------------------------------------------------------------
// One message
// ---------------------------------------------------------------------------------------------

export type IngestInput = { uidvalidity: number; uid: number; bytes: Uint8Array; receivedAt: Date; problems?: string[] };
export type IngestResult = { id: number; kind: InboundRow['kind']; debtorId: number | null; resolvedBy: string | null } | { id: null; duplicate: true };

const READER = 'inbound';

async function resolveDebtor(q: Queryable, admin: Administration, keys: ReturnType<typeof analyse>['keys']): Promise<{ debtorId: number; by: ResolvedBy } | null> {
  // each step is asked only when the earlier ones named nobody (or more than one)
  const one = (ids: number[]) => new Set(ids).size === 1;
  const plusAddress = await debtorsByNumber(q, admin.id, keys.plusTokens);
  if (one(plusAddress)) return decideDebtor({ plusAddress, thread: [], sender: [], reference: [] });
  const thread = await debtorsBySentMessageIds(q, admin.id, keys.messageIds);
  if (one(thread)) return decideDebtor({ plusAddress: [], thread, sender: [], reference: [] });
  const sender = keys.sender ? await debtorsBySender(q, admin.id, keys.sender) : [];
  if (one(sender)) return decideDebtor({ plusAddress: [], thread: [], sender, reference: [] });
  const nk = keys.numbers.map((n) => numberKey(n)).filter((k): k is string => k !== null);
  const reference = await debtorsByReferences(q, admin.id, keys.numbers, nk);
  return decideDebtor({ plusAddress: [], thread: [], sender: [], reference });
}

/** The date an out-of-office reply says the person is back (shown with the event). */
function untilOf(s: Suggestion | undefined): string | null {
  return s?.kind === 'out_of_office' && s.until ? s.until : null;
}

/**
 * Handle one message read from the mailbox inside the caller's transaction. Returns `duplicate`
 * (and changes nothing) when this UID of this mailbox generation was handled before.
 */
export async function ingestMessage(q: Queryable, admin: Administration, mailbox: Pick<MailboxRow, 'id'>, input: IngestInput): Promise<IngestResult> {
  const m = await parseMime(input.bytes);
  const received = m.date && !Number.isNaN(Date.parse(m.date)) && Date.parse(m.date) <= input.receivedAt.getTime() + 86_400_000 ? new Date(m.date) : input.receivedAt;
  const today = todayIn('Europe/Amsterdam', received);
  const a = analyse(m, today);
  const problems = [...(input.problems ?? []), ...m.problems];

  // attachments: stored as documents (downloaded, never run or shown inline), up to the limit
  const attachments: Record<string, unknown>[] = [];
  for (const at of m.attachments) {
    if (at.size > ATTACHMENT_LIMIT) {
      attachments.push({ filename: at.filename, contentType: at.contentType, size: at.size, dropped: true });
      problems.push(`attachment ${at.filename} (${Math.round(at.size / 1048576)} MB) is larger than ${ATTACHMENT_LIMIT / 1048576} MB: not stored`);
      continue;
    }
    // stored under a type a browser will not run: documents are served inline, so HTML, SVG or
    // scripts from a stranger's mail become plain downloads (the original type stays on the message)
    const documentId = await storeDocument(q, admin.id, { filename: at.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'bijlage', contentType: SAFE_TYPES.has(at.contentType) ? at.contentType : 'application/octet-stream', content: at.content });
    attachments.push({ documentId, filename: at.filename, contentType: at.contentType, size: at.size });
  }

  let debtorId: number | null = null;
  let resolvedBy: string | null = null;
  let dunningActionId: number | null = null;
  let details: Record<string, unknown> = {};
  const c = a.classification;
  if (c.kind === 'bounce') {
    const action = await actionForBounce(q, admin.id, c.dsn.originalMessageId, c.dsn.originalAction);
    details = { dsn: c.dsn };
    if (action) {
      debtorId = action.debtor_id;
      resolvedBy = 'outbox';
      dunningActionId = action.id;
    }
  } else {
    const r = await resolveDebtor(q, admin, a.keys);
    if (r) (debtorId = r.debtorId), (resolvedBy = r.by);
    if (c.kind === 'auto_reply') details = { why: c.why };
  }
  // an automatic reply is read by nobody; a problem message always waits for a person
  const status: InboundRow['status'] = c.kind === 'reply' || problems.length || (c.kind === 'bounce' && !dunningActionId) ? 'unread' : 'read';
  const id = await insertInbound(q, admin.id, {
    mailboxId: mailbox.id, uidvalidity: input.uidvalidity, uid: input.uid, messageId: m.messageId, fromAddress: m.from?.address ?? null, fromName: m.from?.name ?? null,
    subject: m.subject, receivedAt: received, kind: c.kind, debtorId, resolvedBy, status, suggestions: a.suggestions, text: m.text, freshText: a.fresh, quotedText: a.quoted, problems, attachments,
    details, dunningActionId,
  });
  if (id === null) return { id: null, duplicate: true };

  const firstDoc = attachments.find((x) => typeof x.documentId === 'number')?.documentId as number | undefined;
  const from = m.from ? (m.from.name ? `${m.from.name} <${m.from.address}>` : m.from.address) : 'onbekende afzender';
  if (c.kind === 'bounce' && dunningActionId !== null && debtorId !== null) {
    const recipients = c.dsn.recipients.filter((r) => r.action === 'failed' || (r.status ?? '').startsWith('5')).map((r) => r.recipient).filter((r): r is string => !!r);
    if (c.dsn.permanent) {
      const action = await actionForBounce(q, admin.id, c.dsn.originalMessageId, c.dsn.originalAction);
      // the outbox's one writer moves it (timeline line and task included); a message already
      // bounced or resent is left as it is
      if (action?.status === 'sent') await moveMessage(q, admin, action.id, 'bounced', { cause: 'worker', actor: READER, from: ['sent'], detail: `bounce ontvangen: ${c.dsn.reason}`, lastError: c.dsn.reason.slice(0, 1000) });
      if (recipients.length) {
        await markUndeliverable(q, admin.id, debtorId, recipients);
        await addEvent(q, admin.id, { debtorId, event: ev('email_undeliverable', { addresses: recipients }), data: { inboundId: id, addresses: recipients, actionId: dunningActionId }, actor: READER });
      }
    } else {
      await addEvent(q, admin.id, { debtorId, event: ev('inbound_delay', { reason: c.dsn.reason }), data: { inboundId: id, actionId: dunningActionId }, actor: READER });
    }
  } else if (c.kind === 'auto_reply' && debtorId !== null) {
    await addEvent(q, admin.id, { debtorId, event: ev('inbound_auto_reply', { from, text: m.subject.slice(0, 500), until: untilOf(a.suggestions[0]) }), data: { inboundId: id, quiet: true }, actor: READER });
  } else if (c.kind === 'reply' && debtorId !== null) {
    await addEvent(q, admin.id, { debtorId, event: ev('inbound_reply', { from, text: (a.fresh.replace(/\s+/g, ' ').slice(0, 300) || m.subject).slice(0, 500) }), data: { inboundId: id, suggestions: a.suggestions.map((s) => s.kind) }, actor: READER, ...(firstDoc ? { documentId: firstDoc } : {}) });
  }
  return { id, kind: c.kind, debtorId, resolvedBy };
}

// ---------------------------------------------------------------------------------------------
// Reading and what a person does
// ---------------------------------------------------------------------------------------------

export type InboundView = {
  id: number; receivedAt: string; kind: InboundRow['kind']; status: InboundRow['status']; from: string | null; fromName: string | null; subject: string; debtorId: number | null; debtorNumber: string | null;
  debtorName: string | null; resolvedBy: string | null; fresh: string; quoted: string; suggestions: (Suggestion & { index: number; applied: boolean })[]; problems: string[];
  attachments: { documentId: number | null; filename: string; contentType: string; size: number; dropped: boolean }[]; details: Record<string, unknown>; dunningActionId: number | null;
};

export function inboundView(r: InboundRow & { debtor_number?: string | null; debtor_name?: string | null }): InboundView {
  const applied = new Set((r.applied as { index: number }[]).map((x) => x.index));
  return {
    id: r.id, receivedAt: iso(r.received_at)!, kind: r.kind, status: r.status, from: r.from_address, fromName: r.from_name, subject: r.subject, debtorId: r.debtor_id, debtorNumber: r.debtor_number ?? null,
    debtorName: r.debtor_name ?? null, resolvedBy: r.resolved_by, fresh: r.fresh_text, quoted: r.quoted_text,
    suggestions: (r.suggestions as Suggestion[]).map((s, index) => ({ ...s, index, applied: applied.has(index) })), problems: r.problems,
    attachments: (r.attachments as Record<string, unknown>[]).map((x) => ({ documentId: typeof x.documentId === 'number' ? x.documentId : null, filename: String(x.filename ?? ''), contentType: String(x.contentType ?? ''), size: Number(x.size ?? 0), dropped: x.dropped === true })),
    details: r.details, dunningActionId: r.dunning_action_id,
  };
}

export async function inboundList(db: Queryable, admin: Administration, f: InboundFilter): Promise<{ rows: InboundView[]; total: number; counts: { unreadReplies: number; unassigned: number } }> {
  const { rows, total } = await listInbound(db, admin.id, f);
  return { rows: rows.map(inboundView), total, counts: await inboundCounts(db, admin.id) };
}

async function load(q: Queryable, admin: Administration, id: number): Promise<InboundRow> {
  const r = await getInbound(q, admin.id, id);
  if (!r) throw notFound(`inbound message ${id}`);
  return r;
}

async function viewOf(q: Queryable, admin: Administration, id: number): Promise<InboundView> {
  const r = await load(q, admin, id);
  const d = r.debtor_id !== null ? await getDebtor(q, admin.id, r.debtor_id) : null;
  return inboundView({ ...r, debtor_number: d?.number ?? null, debtor_name: d?.name ?? null });
}

export async function inboundShow(db: Queryable, admin: Administration, id: number): Promise<InboundView> {
  return viewOf(db, admin, id);
}

export async function markInboundRead(db: Db, admin: Administration, id: number, read = true): Promise<InboundView> {
  return db.transaction(async (tx) => {
    const r = await load(tx, admin, id);
    if (read && r.status === 'unread') await setInboundStatus(tx, admin.id, id, 'read');
    if (!read && r.status !== 'unread') await setInboundStatus(tx, admin.id, id, 'unread');
    return viewOf(tx, admin, id);
  });
}

/** One click: the message goes to this debtor (on its timeline), and the sender is remembered for the next one. */
export async function assignInbound(db: Db, admin: Administration, id: number, debtorId: number, actor: Actor = null): Promise<InboundView> {
  return db.transaction(async (tx) => {
    const r = await load(tx, admin, id);
    const d = await getDebtor(tx, admin.id, debtorId);
    if (!d) throw invalid(`debtor ${debtorId} is not a debtor of this administration`, [{ field: 'debtorId', code: 'unknown_debtor', message: 'not a debtor of this administration' }]);
    if (r.debtor_id === debtorId) return viewOf(tx, admin, id);
    await assignInboundRow(tx, admin.id, id, debtorId);
    if (r.from_address) await rememberSender(tx, admin.id, r.from_address, debtorId, actor);
    const kind = r.kind === 'reply' ? 'inbound_reply' : r.kind === 'auto_reply' ? 'inbound_auto_reply' : 'inbound_bounce';
    const line = { from: r.from_address ?? null, text: (r.fresh_text.replace(/\s+/g, ' ').slice(0, 300) || r.subject).slice(0, 500), assigned: true };
    await addEvent(tx, admin.id, { debtorId, event: ev(kind, line), data: { inboundId: id, assigned: true, previousDebtorId: r.debtor_id }, actor });
    return viewOf(tx, admin, id);
  });
}

export type ApplyInput = { index: number; amountCents?: number; date?: string; itemIds?: number[]; reason?: string };
export type ApplyResult = { message: InboundView; created: { kind: 'promise' | 'dispute' | 'task'; id: number } };

/**
 * A person turns one suggestion into what it describes: a promise to pay (amount and date from the
 * reply, or given), a dispute about the named items, or a task (already paid: check the payment;
 * a copy or a payment plan asked for; an address change; out of office: follow up after the
 * return). Each suggestion at most once.
 */
export async function applySuggestion(db: Db, admin: Administration, id: number, input: ApplyInput, asOf: string, actor: Actor = null): Promise<ApplyResult> {
  if (input.date !== undefined && !isIsoDate(input.date)) throw invalid('date must be YYYY-MM-DD', [{ field: 'date', code: 'invalid', message: `"${input.date}" is not a date` }]);
  return db.transaction(async (tx) => {
    const r = await load(tx, admin, id);
    if (r.debtor_id === null) throw new AppError('conflict', `inbound message ${id} belongs to no debtor yet: assign it first`, [{ field: 'debtorId', code: 'unassigned', message: 'assign the message to a debtor first' }]);
    const s = (r.suggestions as Suggestion[])[input.index];
    if (!s) throw invalid(`inbound message ${id} has no suggestion ${input.index}`, [{ field: 'index', code: 'invalid', message: `0–${r.suggestions.length - 1}` }]);
    if ((r.applied as { index: number }[]).some((x) => x.index === input.index)) throw new AppError('conflict', `suggestion ${input.index} of inbound message ${id} was applied already`);
    const debtorId = r.debtor_id;
    const d = txDb(db, tx);
    let created: ApplyResult['created'];
    const task = async (kind: string, title: string, dueDate: string, reason: string) => ({ kind: 'task' as const, id: (await createTask(d, admin, { debtorId, kind, title, reason, dueDate }, actor)).id });
    const source = `uit antwoord van ${r.from_address ?? 'onbekend'} (${iso(r.received_at)!.slice(0, 10)}): "${s.evidence}"`.slice(0, 900);
    switch (s.kind) {
      case 'promise': {
        const date = input.date ?? s.date;
        const amount = input.amountCents ?? s.amountCents ?? (await openOf(tx, admin, debtorId));
        if (!date) throw invalid('the reply names no date: give the promised date', [{ field: 'date', code: 'required', message: 'the promised date' }]);
        if (!amount || amount <= 0) throw invalid('the reply names no amount and nothing is open: give the promised amount', [{ field: 'amountCents', code: 'required', message: 'the promised amount' }]);
        const p = await createPromise(d, admin, { debtorId, amountCents: amount, promisedDate: date, ...(input.itemIds ? { itemIds: input.itemIds } : {}), note: source }, asOf, actor);
        created = { kind: 'promise', id: p.id };
        break;
      }
      case 'dispute': {
        let itemIds = input.itemIds;
        if (!itemIds?.length) {
          const rows = s.itemNumbers.length ? await tx.query<{ id: number }>('SELECT id FROM items WHERE administration_id = $1 AND debtor_id = $2 AND upper(number) = ANY($3::text[])', [admin.id, debtorId, s.itemNumbers]) : [];
          itemIds = rows.map((x) => x.id);
        }
        if (!itemIds.length) throw invalid('the reply names no item of this debtor: choose the disputed items', [{ field: 'itemIds', code: 'required', message: 'the disputed items' }]);
        const reason = input.reason ?? (/(niet |never |not )(geleverd|delivered)|onvolledig|incompleet/i.test(s.reason) ? 'not_delivered' : /beschadigd|kapot|defect|damaged|faulty|broken/i.test(s.reason) ? 'quality' : /bedrag|te hoog|amount|overcharged|twice|dubbel/i.test(s.reason) ? 'wrong_amount' : 'other');
        const x = await openDispute(d, admin, { debtorId, itemIds, reason, description: source }, asOf, actor);
        created = { kind: 'dispute', id: x.id };
        break;
      }
      case 'paid':
        created = await task('check_payment', `Betaling controleren: debiteur meldt betaald${s.date ? ` op ${formatDateNl(s.date)}` : ''}${s.amountCents ? ` (${formatMoney(s.amountCents)})` : ''}`, asOf, source);
        break;
      case 'copy_request':
        created = await task('send_copy', 'Kopie factuur sturen', asOf, source);
        break;
      case 'payment_plan':
        created = await task('payment_plan_request', 'Betalingsregeling gevraagd: voorstel maken', asOf, source);
        break;
      case 'address_change':
        created = await task('address_change', `Adres wijzigen${s.email ? `: ${s.email}` : ''}`, asOf, source);
        break;
      case 'out_of_office': {
        const due = input.date ?? (s.until ? addDays(s.until, 1) : addDays(asOf, 7));
        created = await task('follow_up', `Opvolgen na afwezigheid${s.until ? ` (terug na ${formatDateNl(s.until)})` : ''}`, due < asOf ? asOf : due, source);
        break;
      }
    }
    await recordApplied(tx, admin.id, id, { index: input.index, kind: s.kind, result: created.kind, id: created.id, at: new Date().toISOString(), actor });
    if (r.status === 'unread') await setInboundStatus(tx, admin.id, id, 'read');
    return { message: await viewOf(tx, admin, id), created };
  });
}

async function openOf(q: Queryable, admin: Administration, debtorId: number): Promise<number> {
  const [r] = await q.query<{ n: number | null }>('SELECT sum(open_cents)::bigint AS n FROM items WHERE administration_id = $1 AND debtor_id = $2 AND open_cents > 0', [admin.id, debtorId]);
  return Number(r?.n ?? 0);
}
