/**
 * The next dunning step for one debtor, now: a preview of exactly what would go out (the e-mail
 * as HTML and text, the letter as PDF; the same code path as a run and its delivery), and sending
 * it at once — a run for that debtor only, delivered right away. The outcome is told per state:
 * sent (the server accepted it), to print, refused (no mail server), or what went wrong.
 */
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { countByState, listOutbox, openCredits, undeliveredEmailSteps } from '../store/outbox.ts';
import type { PlannedMessage, SkippedEntry, RunBlock } from '../domain/dunning/plan.ts';
import type { StateCounts } from '../domain/dunning/outbox.ts';
import { previewRun, sendRun, type Refusal } from './dunning.ts';
import { deliverDue, letterFor, mailOf, type LetterSource } from './dunning-delivery.ts';
import { mailForAdministration, paperFallbackOf } from './mail/config.ts';
import { findDebtor } from './ledger.ts';
import { viewOf, type OutboxMessageView } from './outbox.ts';
import { notFound } from './errors.ts';

export type NextStepPreview = {
  debtorId: number;
  debtorNumber: string;
  asOf: string;
  blocked: RunBlock | null;
  /** The message the next step sends, or null (then `skipped` says why). */
  message: PlannedMessage | null;
  /** How it would go: by e-mail, as a letter on paper, a task (phone), or refused (no mail server). */
  delivery: 'email' | 'paper' | 'task' | 'refused' | null;
  recipients: string[];
  mail: { subject: string; text: string; html: string } | null;
  skipped: SkippedEntry[];
};

/** The letter source of a planned message: its contact and the debtor's open credits, as a run stores it. */
export async function letterSourceOf(q: Queryable, admin: Administration, m: PlannedMessage, letterDate: string): Promise<LetterSource> {
  const [c] = await q.query<{ emails: string[]; address_line: string | null; postal_code: string | null; city: string | null; country: string | null }>(
    'SELECT ARRAY(SELECT e FROM unnest(emails) e WHERE lower(e) <> ALL(undeliverable_emails)) AS emails, address_line, postal_code, city, country FROM debtors WHERE administration_id = $1 AND id = $2',
    [admin.id, Number(m.debtorId)],
  );
  const credits = m.channel === 'statement' ? [] : (await openCredits(q, admin.id, [Number(m.debtorId)])).filter((x) => x.currency === m.currency).map((x) => ({ itemId: String(x.id), kind: x.kind, number: x.number, date: x.issue_date, openCents: x.open_cents }));
  return { ...m, letterDate, credits, contact: c ? { emails: c.emails ?? [], addressLine: c.address_line, postalCode: c.postal_code, city: c.city, country: c.country } : null };
}

async function plannedFor(db: Queryable, admin: Administration, debtorId: number, asOf: string, override: boolean) {
  const plan = await previewRun(db, admin, { asOf, override, scope: { debtorIds: [debtorId] } });
  const list = plan.blocked ? plan.wouldSend : plan.messages;
  // a letter before a task: the preview shows what goes to the debtor
  const message = list.find((m) => m.channel !== 'phone') ?? list[0] ?? null;
  return { plan, message };
}

export async function previewNextStep(db: Queryable, admin: Administration, debtorRef: number | string, opts: { asOf: string; override?: boolean }): Promise<NextStepPreview> {
  const debtor = await findDebtor(db, admin, debtorRef);
  const { plan, message } = await plannedFor(db, admin, debtor.id, opts.asOf, opts.override ?? false);
  let delivery: NextStepPreview['delivery'] = null;
  let mail: NextStepPreview['mail'] = null;
  if (message) {
    const source = await letterSourceOf(db, admin, message, opts.asOf);
    const emails = source.contact?.emails ?? [];
    if (message.channel === 'phone') delivery = 'task';
    else if (message.channel === 'letter' || emails.length === 0) delivery = 'paper';
    else if (!mailForAdministration(admin)) delivery = paperFallbackOf(admin) ? 'paper' : 'refused';
    else delivery = paperFallbackOf(admin) && (await undeliveredEmailSteps(db, admin.id)).has(`${message.debtorId}:${message.stepKey}`) ? 'paper' : 'email';
    if (message.channel !== 'phone') {
      const m = await mailOf(await letterFor(db, admin, source, opts.asOf), message.stepName);
      mail = { subject: m.subject, text: m.text, html: m.html };
    }
  }
  return {
    debtorId: debtor.id, debtorNumber: debtor.number, asOf: opts.asOf, blocked: plan.blocked ? plan.blocks[0] ?? null : null, message, delivery,
    recipients: delivery === 'email' ? (await letterSourceOf(db, admin, message!, opts.asOf)).contact?.emails ?? [] : [],
    mail, skipped: plan.skipped.filter((s) => s.debtorId === String(debtor.id)),
  };
}

/** The next step's letter as PDF (the same bytes delivery would store). */
export async function previewNextStepPdf(db: Queryable, admin: Administration, debtorRef: number | string, opts: { asOf: string; override?: boolean }): Promise<{ content: Uint8Array; filename: string }> {
  const debtor = await findDebtor(db, admin, debtorRef);
  const { message } = await plannedFor(db, admin, debtor.id, opts.asOf, opts.override ?? false);
  if (!message || message.channel === 'phone') throw notFound(`a next letter for debtor ${debtor.number}`);
  const m = await mailOf(await letterFor(db, admin, await letterSourceOf(db, admin, message, opts.asOf), opts.asOf), message.stepName);
  return { content: m.pdf, filename: m.filename };
}

export type SendNextResult = {
  runId: number;
  blocked: RunBlock | null;
  refused: Refusal | null;
  /** The run's messages per state after delivery: sent, to_print, failed, bounced, queued (retrying). */
  states: StateCounts;
  messages: OutboxMessageView[];
};

/** Send the next step of one debtor now: plan it, put it in the outbox, deliver it at once. */
export async function sendNextStep(db: Db, admin: Administration, debtorRef: number | string, opts: { asOf: string; override?: boolean; actor?: string | null }): Promise<SendNextResult> {
  const debtor = await findDebtor(db, admin, debtorRef);
  const r = await sendRun(db, admin, { asOf: opts.asOf, override: opts.override, scope: { debtorIds: [debtor.id] }, only: { debtorIds: [debtor.id] }, actor: opts.actor ?? null, trigger: 'manual' });
  if (r.blocked) return { runId: r.runId, blocked: r.plan.blocks[0] ?? null, refused: null, states: {}, messages: [] };
  const ids = (await listOutbox(db, admin.id, { runId: r.runId, limit: 1000 })).rows.map((x) => x.id);
  if (ids.length) await deliverDue(db, { onlyIds: ids });
  const after = await listOutbox(db, admin.id, { runId: r.runId, limit: 1000 });
  return { runId: r.runId, blocked: null, refused: r.refused, states: await countByState(db, admin.id, { runId: r.runId }), messages: after.rows.map(viewOf) };
}
