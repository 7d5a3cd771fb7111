/**
 * A statement of account on request (rekeningoverzicht): the debtor's open items — invoices,
 * credit notes, unapplied payments — with their total, as a PDF letter.
 *
 * Viewing renders the letter and writes nothing. Sending puts one 'statement' action into the
 * dunning outbox (dunning_actions), so the worker delivers it exactly as it delivers the statement
 * step of a dunning policy (dunning-delivery.ts): exactly once or visibly not, retried with
 * backoff, the PDF stored as a document, an event on the debtor's timeline. By e-mail to the
 * debtor's addresses; without an address the PDF is the deliverable, a letter to print and post.
 *
 * One per debtor per day: the dedupe key holds the date, so a second request on the same day
 * returns what is already in the outbox and says so. The manual statement is not a step of the
 * debtor's policy: it writes no dunning_history and never moves the dunning sequence.
 */
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import type { Debtor } from '../store/debtors.ts';
import type { ActionRow } from '../store/dunning.ts';
import { insertAction } from '../store/outbox.ts';
import { listItems, type Item } from '../store/items.ts';
import { addEvents, type NewEvent } from '../store/events.ts';
import { ev } from '../domain/events.ts';
import type { PlannedMessage } from '../domain/dunning/plan.ts';
import { daysBetween, isIsoDate } from '../domain/dates.ts';
import { renderLetterPdf, type LetterData } from './documents/letter.ts';
import { letterFor } from './dunning-delivery.ts';
import { assertLetterhead } from './dunning.ts';
import { findDebtor } from './ledger.ts';
import { AppError, invalid, notFound } from './errors.ts';

/** The step key of a statement on request in the outbox (not a step of any policy). */
export const STATEMENT_STEP = 'statement_on_request';
const STEP_NAME = 'Rekeningoverzicht';

export type StatementOptions = { date: string; actor?: string | null; trigger?: 'manual' | 'api' };

export type StatementAction = {
  id: number; status: string; currency: string; totalCents: number; itemCount: number; documentId: number | null; createdAt: string; sentAt: string | null; lastError: string | null;
};

export type SendStatementResult = {
  debtorId: number;
  debtorNumber: string;
  date: string;
  /** True when a statement for this debtor was already queued or sent on this date: nothing new was queued. */
  alreadySent: boolean;
  /** By e-mail to `emails`, or — no address known — as a letter (the stored PDF) to print and post. */
  delivery: 'email' | 'post';
  emails: string[];
  /** What happened, in a sentence. */
  message: string;
  /** One per currency of the open items (almost always one). */
  actions: StatementAction[];
};

type StatementMessage = PlannedMessage & {
  contact: { emails: string[]; addressLine: string | null; postalCode: string | null; city: string | null; country: string | null };
  /** The letter's date: delivery renders it with this date, so the mailed PDF is the one shown before. */
  letterDate: string;
  onRequest: true;
};

const iso = (v: Date | string | null): string | null => (v === null ? null : v instanceof Date ? v.toISOString() : String(v));

function requireDay(date: string): string {
  if (!isIsoDate(date)) throw invalid(`date must be YYYY-MM-DD, not "${date}"`, [{ field: 'date', code: 'invalid', message: `"${date}" is not a date` }]);
  return date;
}

/** Every open item of the debtor (oldest due date first). */
async function openItemsOf(q: Queryable, admin: Administration, debtorId: number, date: string): Promise<Item[]> {
  const all: Item[] = [];
  for (let offset = 0; ; offset += 1000) {
    const { rows } = await listItems(q, admin.id, { debtorId, status: 'open', asOf: date, limit: 1000, offset, withTotal: false });
    all.push(...rows);
    if (rows.length < 1000) return all;
  }
}

function noOpenItems(debtor: Debtor): AppError {
  return new AppError('conflict', `debtor ${debtor.number} has no open items: there is nothing to put on a statement`, [{ field: 'debtorId', code: 'no_open_items', message: 'the debtor has no open items' }]);
}

const dedupePrefix = (debtorId: number, date: string) => `${debtorId}:${STATEMENT_STEP}@${date}:`;

/** The statement as outbox messages: one per currency (EUR first), items by due date. */
function statementMessages(debtor: Debtor, items: readonly Item[], date: string): StatementMessage[] {
  const byCurrency = new Map<string, Item[]>();
  for (const i of items) byCurrency.set(i.currency, [...(byCurrency.get(i.currency) ?? []), i]);
  const currencies = [...byCurrency.keys()].sort((a, b) => (a === 'EUR' ? -1 : b === 'EUR' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const lang = debtor.language === 'en' ? 'en' : 'nl';
  return currencies.map((currency) => {
    const list = [...byCurrency.get(currency)!].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
    let total = 0;
    let credit = 0;
    for (const i of list) {
      total += i.openCents;
      if (i.openCents < 0) credit += i.openCents;
    }
    const ids = list.map((i) => String(i.id)).sort();
    return {
      debtorId: String(debtor.id), debtorNumber: debtor.number, debtorName: debtor.name, debtorType: debtor.type, policyKey: 'on_request',
      stepKey: STATEMENT_STEP, stepIndex: 0, stepName: STEP_NAME, channel: 'statement', language: lang, template: `dunning/statement.${lang}`, currency,
      itemIds: ids,
      items: list.map((i) => ({
        itemId: String(i.id), number: i.number, issueDate: i.issueDate, dueDate: i.dueDate, openCents: i.openCents,
        daysOverdue: Math.max(0, daysBetween(i.dueDate, date)), interestCents: 0, previousStepKey: null, ...(i.onHold ? { onHold: true } : {}),
      })),
      principalCents: total, interestCents: 0, costsCents: 0, vatCents: 0, totalCents: total,
      costsBaseItemIds: [], costsWithheld: null, announcedCostsCents: null, fourteenDayTerm: null, creditBalanceCents: credit,
      dedupeKey: `${dedupePrefix(debtor.id, date)}${currency}`,
      legal: {},
      contact: { emails: debtor.emails, addressLine: debtor.addressLine, postalCode: debtor.postalCode, city: debtor.city, country: debtor.country },
      letterDate: date,
      onRequest: true,
    };
  });
}

const actionOf = (a: ActionRow): StatementAction => {
  const m = a.message as Partial<StatementMessage>;
  return {
    id: a.id, status: a.status, currency: m.currency ?? 'EUR', totalCents: m.totalCents ?? 0, itemCount: a.item_ids.length, documentId: a.document_id,
    createdAt: iso(a.created_at)!, sentAt: iso(a.sent_at), lastError: a.last_error,
  };
};

/** The same file name delivery gives the stored letter. */
const fileNameOf = (letter: LetterData, debtorNumber: string) => `${letter.kind}-${debtorNumber}-${letter.date}.pdf`.replace(/[^\w.-]/g, '_');

export type StatementPdf = { filename: string; contentType: 'application/pdf'; content: Uint8Array; letter: LetterData; currencies: string[] };

/** The statement as of a date, rendered: nothing is written or sent. `currency` picks one when the debtor has items in several (default EUR, else the first). */
export async function statementPdf(db: Db, admin: Administration, debtorIdOrNumber: number | string, opts: { date: string; currency?: string }): Promise<StatementPdf> {
  const date = requireDay(opts.date);
  assertLetterhead(admin);
  const debtor = await findDebtor(db, admin, debtorIdOrNumber);
  const items = await openItemsOf(db, admin, debtor.id, date);
  if (!items.length) throw noOpenItems(debtor);
  const messages = statementMessages(debtor, items, date);
  const m = opts.currency ? messages.find((x) => x.currency === opts.currency!.toUpperCase()) : messages[0];
  if (!m) throw notFound(`open items of debtor ${debtor.number} in ${opts.currency}`);
  const letter = await letterFor(db, admin, m, date);
  return { filename: fileNameOf(letter, debtor.number), contentType: 'application/pdf', content: await renderLetterPdf(letter), letter, currencies: messages.map((x) => x.currency) };
}

/**
 * Send the statement: one outbox action per currency, delivered by the worker (or `deliverDue`).
 * Refused (conflict) without open items; a second request on the same date returns the actions
 * already there (alreadySent) and queues nothing.
 */
export async function sendStatement(db: Db, admin: Administration, debtorIdOrNumber: number | string, opts: StatementOptions): Promise<SendStatementResult> {
  const date = requireDay(opts.date);
  assertLetterhead(admin);
  return db.transaction(async (tx) => {
    const debtor = await findDebtor(tx, admin, debtorIdOrNumber);
    // one request for this debtor at a time: the second waits, then finds the first one's action
    await tx.query('SELECT id FROM debtors WHERE administration_id = $1 AND id = $2 FOR UPDATE', [admin.id, debtor.id]);
    const delivery: SendStatementResult['delivery'] = debtor.emails.length ? 'email' : 'post';
    const base = { debtorId: debtor.id, debtorNumber: debtor.number, date, delivery, emails: debtor.emails };
    const existing = await tx.query<ActionRow>(
      `SELECT * FROM dunning_actions WHERE administration_id = $1 AND debtor_id = $2 AND step_key = $3 AND starts_with(dedupe_key, $4) ORDER BY id`,
      [admin.id, debtor.id, STATEMENT_STEP, dedupePrefix(debtor.id, date)],
    );
    if (existing.length) {
      const actions = existing.map(actionOf);
      const state = actions.map((a) => `#${a.id} ${a.status}`).join(', ');
      return { ...base, alreadySent: true, actions, message: `a statement for ${debtor.number} was already made on ${date} (${state}): not sent again` };
    }
    const items = await openItemsOf(tx, admin, debtor.id, date);
    if (!items.length) throw noOpenItems(debtor);
    const messages = statementMessages(debtor, items, date);
    const [run] = await tx.query<{ id: number }>(
      `INSERT INTO dunning_runs (administration_id, as_of, mode, status, override, trigger, summary, actor) VALUES ($1, $2, 'send', 'queued', false, $3, $4, $5) RETURNING id`,
      [admin.id, date, opts.trigger ?? 'manual', JSON.stringify({ kind: 'statement', debtor: debtor.number, messages: messages.length, queued: messages.length, tasks: 0, duplicates: 0 }), opts.actor ?? null],
    );
    const rows: ActionRow[] = [];
    const events: NewEvent[] = [];
    for (const m of messages) {
      const a = await insertAction(tx, admin.id, {
        runId: run!.id, debtorId: debtor.id, stepKey: STATEMENT_STEP, channel: 'statement', delivery: delivery === 'email' ? 'email' : 'paper', dedupeKey: m.dedupeKey,
        itemIds: m.itemIds.map(Number), message: m, letterDate: date, state: delivery === 'email' ? 'queued' : 'to_print', actor: opts.actor ?? null,
      });
      if (!a) continue;
      rows.push(a);
      events.push({
        debtorId: debtor.id, event: ev('dunning_queued', { statement: true, emails: delivery === 'email' ? debtor.emails : null, count: m.items.length, totalCents: m.totalCents, currency: m.currency }),
        data: { runId: run!.id, actionId: a.id, stepKey: STATEMENT_STEP, channel: 'statement', itemIds: m.itemIds.map(Number), totalCents: m.totalCents, onRequest: true },
        actor: opts.actor ?? null,
      });
    }
    await addEvents(tx, admin.id, events);
    const actions = rows.map(actionOf);
    const message = delivery === 'email'
      ? `statement of ${debtor.number} queued for e-mail to ${debtor.emails.join(', ')}`
      : `${debtor.number} has no e-mail address: the statement is made as a letter (PDF) to print and post`;
    return { ...base, alreadySent: false, actions, message };
  });
}
