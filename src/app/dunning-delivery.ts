/**
 * Delivery of the dunning outbox, exactly once or visibly not (the states and their moves:
 * domain/dunning/outbox.ts; the one writer: store/outbox.ts; what a person does: app/outbox.ts).
 *
 *   queued ──claim──▶ sending ──SMTP accepted (message-id and answer stored)──▶ sent  = step reached
 *                        │ ├──temporary failure──▶ queued again, with backoff
 *                        │ ├──permanent failure, no mail server──▶ failed   (task; next run plans anew)
 *                        │ ├──recipient refused──▶ bounced                   (task; next run plans anew)
 *                        │ ├──no e-mail address──▶ to_print (a letter on paper)
 *                        └──process died (lease ran out)──▶ uncertain (a person settles it; never resent blindly)
 *
 * Claiming is a committed UPDATE … FOR UPDATE SKIP LOCKED, so several processes never take the same
 * action. The letter PDF is rendered deterministically and stored before sending; the mail carries
 * a Message-ID derived from the action, so a receiver can tell duplicates apart.
 */
import type { Db, Queryable } from '../store/db.ts';
import { getAdministration, type Administration } from '../store/administrations.ts';
import { storeDocument } from '../store/documents.ts';
import { addEvent } from '../store/events.ts';
import { ev } from '../domain/events.ts';
import { claimDue, markStuckUncertain, parseMessage, setDocument, type ActionRow, type StoredMessage } from '../store/outbox.ts';
import type { PlannedMessage } from '../domain/dunning/plan.ts';
import { fourteenDayDates } from '../domain/legal/fourteen-day-letter.ts';
import { addDays, isIsoDate } from '../domain/dates.ts';
import { isValidBetalingskenmerk, isValidRf } from '../domain/references.ts';
import { letterHtml, letterSubject, letterText, renderLetterPdf, type LetterData } from './documents/letter.ts';
import { LETTER_KINDS, type LetterKind, type LetterTemplate } from './documents/templates.ts';
import { createMailer, retryDelay, sendLetterMail, type Mailer, type MailerConfig } from './mail/mailer.ts';
import { mailForAdministration } from './mail/config.ts';
import { logoOf } from './logo.ts';
import { issuePortalLink, portalSettingsOf } from './portal.ts';
import { resolvePublicUrl } from './links.ts';
import { moveMessage, moveMessage as moveMessageIn, reachedDay } from './outbox.ts';

/** What a letter is made from: the stored message (or a planned one with its contact). */
export type LetterSource = Pick<
  PlannedMessage,
  'debtorNumber' | 'debtorName' | 'stepIndex' | 'channel' | 'legal' | 'template' | 'language' | 'currency' | 'itemIds' | 'principalCents' | 'interestCents' | 'costsCents' | 'vatCents' | 'totalCents' | 'announcedCostsCents' | 'fourteenDayTerm'
> & {
  items: readonly { number: string; issueDate: string; dueDate: string; openCents: number; interestCents?: number }[];
  contact: StoredMessage['contact'] | null;
  credits?: StoredMessage['credits'];
  letterDate?: string;
};

/** Template names of the built-in policies, and every letter kind by its own name. */
const TEMPLATE_KINDS: Record<string, LetterKind> = {
  reminder_1: 'reminder', reminder_2: 'second_reminder', collection_agency: 'collection_handover',
  ...Object.fromEntries(LETTER_KINDS.map((k) => [k, k])),
};

/** `dunning/reminder_2.nl` → `reminder_2`. */
export function templateName(template: string): string | null {
  const m = /^(?:dunning\/)?([A-Za-z0-9_-]+?)(?:\.(?:nl|en))?$/.exec(template.trim());
  return m ? m[1]! : null;
}

/**
 * The letter a message gets: what the law requires first (the 14-dagenbrief, the notice of default
 * and the hand-over keep their statutory wording whatever the template is called), then the
 * step's template, so a step a user adds with template `dunning/second_reminder.nl` sends that letter.
 */
export function letterKindOf(m: Pick<PlannedMessage, 'stepIndex' | 'channel' | 'legal' | 'template'>): LetterKind {
  if (m.channel === 'statement') return 'statement';
  if (m.legal.fourteenDayLetter) return 'fourteen_day_letter';
  if (m.legal.collectionAgency) return 'collection_handover';
  if (m.legal.noticeOfDefault) return 'notice_of_default';
  const name = templateName(m.template ?? '');
  const kind = name ? TEMPLATE_KINDS[name] : undefined;
  if (kind && kind !== 'fourteen_day_letter' && kind !== 'notice_of_default' && kind !== 'collection_handover' && kind !== 'statement') return kind;
  if (m.channel === 'email') return m.stepIndex === 0 ? 'reminder' : 'second_reminder';
  return 'demand';
}

/**
 * The letter for one message: amounts exactly as planned, dated `date` (the run's date), the open
 * credits of the debtor listed and deducted, the 14-dagenbrief's last day by the statutory rule
 * (fourteenDayDates, Algemene termijnenwet included) from that same date. Used by delivery, the
 * previews, the print batch and the template editor: one code path.
 */
export async function letterFor(q: Queryable, admin: Administration, m: LetterSource, date: string): Promise<LetterData> {
  const refs = m.itemIds.length ? await q.query<{ payment_reference: string | null }>('SELECT payment_reference FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[])', [admin.id, m.itemIds.map(Number)]) : [];
  const single = refs.length === 1 ? refs[0]!.payment_reference : null;
  const reference = single && (isValidBetalingskenmerk(single) || isValidRf(single)) ? single : `${m.debtorNumber} ${m.items.map((i) => i.number).slice(0, 4).join(' ')}`.slice(0, 35);
  const kind = letterKindOf(m);
  const term = kind === 'fourteen_day_letter' ? (m.fourteenDayTerm && m.fourteenDayTerm.letterDate === date ? m.fourteenDayTerm : fourteenDayDates(date)) : null;
  const costs = kind === 'fourteen_day_letter' ? m.announcedCostsCents ?? 0 : m.costsCents;
  const custom = templateOverride(admin, kind, m.language);
  const credits = kind === 'statement' ? [] : (m.credits ?? []).map((c) => ({ number: c.number, kind: c.kind, date: c.date, openCents: c.openCents }));
  const logo = await logoOf(q, admin);
  return {
    language: m.language,
    kind,
    date,
    creditor: {
      name: admin.legalName ?? admin.name, addressLine: admin.addressLine ?? '', postalCode: admin.postalCode ?? '', city: admin.city ?? '', iban: admin.iban ?? '',
      ...(admin.bic ? { bic: admin.bic } : {}), ...(admin.kvk ? { kvk: admin.kvk } : {}), ...(admin.vatNumber ? { vatNumber: admin.vatNumber } : {}), ...(admin.email ? { email: admin.email } : {}),
      ...(logo ? { logoPng: logo.content } : {}),
    },
    debtor: { name: m.debtorName, number: m.debtorNumber, addressLine: m.contact?.addressLine ?? '', postalCode: m.contact?.postalCode ?? '', city: m.contact?.city ?? '', ...(m.contact?.country ? { country: m.contact.country } : {}) },
    items: m.items.map((i) => ({ number: i.number, issueDate: i.issueDate, dueDate: i.dueDate, openCents: i.openCents, ...(i.interestCents ? { interestCents: i.interestCents } : {}) })),
    principalCents: m.principalCents,
    interestCents: m.interestCents,
    costsCents: costs,
    vatCents: kind === 'fourteen_day_letter' ? 0 : m.vatCents,
    totalCents: m.totalCents,
    currency: m.currency,
    paymentReference: reference,
    payBy: term?.termEnd ?? addDays(date, kind === 'reminder' ? 7 : 14),
    ...(term ? { fourteenDay: { termEnd: term.termEnd } } : {}),
    ...(credits.length ? { credits } : {}),
    ...(custom ? { templateText: custom } : {}),
  };
}

/** The letter's date of a stored message: the run's date (older messages: the day it was queued). */
export function letterDateOf(a: Pick<ActionRow, 'letter_date' | 'created_at'>, m: Pick<StoredMessage, 'letterDate'>): string {
  if (m.letterDate && isIsoDate(m.letterDate)) return m.letterDate;
  if (a.letter_date) return a.letter_date;
  return (a.created_at instanceof Date ? a.created_at.toISOString() : String(a.created_at)).slice(0, 10);
}

/** The letter of an outbox message, exactly as it was (or will be) sent. */
export async function letterOfAction(q: Queryable, admin: Administration, a: ActionRow): Promise<LetterData> {
  const m = parseMessage(a.id, a.message);
  return letterFor(q, admin, m, letterDateOf(a, m));
}

/** The e-mail a message becomes: subject, plain text and HTML, the letter as PDF. */
export const LOGO_CID = 'logo@vorder';

export async function mailOf(letter: LetterData, stepName: string): Promise<{ subject: string; text: string; html: string; pdf: Uint8Array; filename: string }> {
  const pdf = await renderLetterPdf(letter);
  return {
    subject: letterSubject(letter).replace(/\s+/g, ' ').trim() || stepName,
    text: letterText(letter),
    // the logo of the letter also heads the HTML part (an inline image, no remote content)
    html: letterHtml(letter, letter.creditor.logoPng ? { logoCid: LOGO_CID } : {}),
    pdf,
    filename: `${letter.kind}-${letter.debtor.number}-${letter.date}.pdf`.replace(/[^\w.-]/g, '_'),
  };
}

/** The administration's own wording for a letter kind and language (settings.templates), if it has one. */
export function templateOverride(admin: Administration, kind: LetterKind, language: 'nl' | 'en'): LetterTemplate | null {
  const t = (admin.settings as { templates?: Record<string, Record<string, LetterTemplate>> }).templates?.[kind]?.[language];
  return t && typeof t.greeting === 'string' && Array.isArray(t.body) && typeof t.closing === 'string' ? t : null;
}

/** Copies of the invoices a message is about (the stored e-invoice or PDF), to attach. */
async function invoiceCopies(db: Db, admin: Administration, itemIds: readonly number[]): Promise<{ filename: string; content: Uint8Array; contentType: string }[]> {
  const rows = await db.query<{ filename: string; content_type: string; content: Uint8Array }>(
    `SELECT d.filename, d.content_type, d.content FROM items i JOIN documents d ON d.id = i.document_id WHERE i.administration_id = $1 AND i.id = ANY($2::bigint[]) ORDER BY i.due_date LIMIT 20`,
    [admin.id, itemIds],
  );
  return rows.map((r) => ({ filename: r.filename.replace(/[\r\n"]/g, '_'), content: new Uint8Array(r.content), contentType: /^[\w.+-]+\/[\w.+-]+$/.test(r.content_type) ? r.content_type : 'application/octet-stream' }));
}

/** @deprecated the one mail configuration is mailForAdministration (app/mail/config.ts). */
export function mailerConfigOf(admin: Administration): MailerConfig | null {
  return mailForAdministration(admin);
}

async function logoAttachment(q: Queryable, admin: Administration): Promise<{ filename: string; content: Uint8Array; contentType: string; cid: string }[]> {
  const l = await logoOf(q, admin);
  return l ? [{ filename: l.contentType === 'image/png' ? 'logo.png' : 'logo.jpg', content: l.content, contentType: l.contentType, cid: LOGO_CID }] : [];
}

/** Reply-to that ties an answer to the debtor: plus-addressing on the administration's address. */
export function replyToFor(admin: Administration, debtorNumber: string): string | undefined {
  const a = admin.email ?? (admin.settings as { smtp?: { replyTo?: string } }).smtp?.replyTo;
  if (!a || !/^[^@\s]+@[^@\s]+$/.test(a)) return undefined;
  const [local, domain] = a.split('@');
  return `${local}+${debtorNumber.replace(/[^A-Za-z0-9._-]/g, '')}@${domain}`;
}

export type DeliveryOptions = {
  /** How long a claim lasts before another process may treat the action as uncertain. */
  leaseSeconds?: number;
  limit?: number;
  workerId?: string;
  mailers?: Map<number, Mailer>;
  /** Deliver only these messages (sending one debtor's next step now). */
  onlyIds?: readonly number[];
  /** For tests: called after an action is claimed and its document stored, before sending. */
  onClaimed?: (a: ActionRow) => Promise<void> | void;
  /** The address portal links start with; default VORDER_PUBLIC_URL, else the instance setting (app/links.ts). */
  publicUrl?: string;
};

/**
 * A new portal link (app/portal.ts) in the letter: every mail and every paper letter carries its
 * own. Only when the portal is on and the installation has a public address; else the letter is as before.
 */
export async function withPortalLink(q: Queryable, admin: Administration, debtorId: number, letter: LetterData, purpose: 'mail' | 'letter', publicUrl?: string): Promise<LetterData> {
  if (!portalSettingsOf(admin).enabled) return letter;
  const base = (await resolvePublicUrl(q, publicUrl ? { configured: publicUrl } : {})).url;
  if (!base) return letter;
  const { path } = await issuePortalLink(q, admin, debtorId, purpose);
  return { ...letter, portalUrl: `${base}${path}` };
}

/** What one delivery round did: sent (accepted by the server), failed and bounced for good, retrying later, to print (no address), uncertain (found stuck). */
export type DeliveryResult = { claimed: number; sent: number; failed: number; bounced: number; retrying: number; toPrint: number; uncertain: number; prepared: number };

/** Messages whose sender died mid-send: uncertain, with a task; a person settles them (never resent blindly). */
export async function recoverStuck(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await markStuckUncertain(tx);
    const admins = new Map<number, Administration>();
    for (const r of rows) {
      let admin = admins.get(r.administration_id);
      if (!admin) admins.set(r.administration_id, (admin = (await getAdministration(tx, r.administration_id))!));
      await afterUncertain(tx, admin, r);
    }
    return rows.length;
  });
}

async function afterUncertain(db: Queryable, admin: Administration, r: ActionRow): Promise<void> {
  // the move itself was made by markStuckUncertain; the timeline line and the task follow here
  const m = (() => { try { return parseMessage(r.id, r.message); } catch { return null; } })();
  await addEvent(db, admin.id, {
    debtorId: r.debtor_id, event: ev('dunning_uncertain', { step: m?.stepName ?? r.step_key, interrupted: true }),
    data: { actionId: r.id, runId: r.run_id, stepKey: r.step_key, from: 'sending', to: 'uncertain' },
  });
  await db.query(
    `INSERT INTO tasks (administration_id, debtor_id, item_ids, kind, title, reason, due_date, source_type, source_id) VALUES ($1, $2, $3, 'check_delivery', 'Controleer verzending aanmaning', $4, CURRENT_DATE, 'dunning_uncertain', $5) ON CONFLICT DO NOTHING`,
    [admin.id, r.debtor_id, r.item_ids, `actie ${r.id} (${r.step_key})`, r.id],
  );
}

/** Deliver what is due in the outbox (all administrations). */
export async function deliverDue(db: Db, opts: DeliveryOptions = {}): Promise<DeliveryResult> {
  const lease = opts.leaseSeconds ?? 300;
  const result: DeliveryResult = { claimed: 0, sent: 0, failed: 0, bounced: 0, retrying: 0, toPrint: 0, uncertain: await recoverStuck(db), prepared: 0 };
  const mailers = opts.mailers ?? new Map<number, Mailer>();
  const owned = !opts.mailers;
  const admins = new Map<number, Administration>();
  try {
    while (result.claimed < (opts.limit ?? 10_000)) {
      const a = await claimDue(db, lease, opts.workerId ?? null, opts.onlyIds);
      if (!a) break;
      result.claimed++;
      let admin = admins.get(a.administration_id);
      if (!admin) {
        admin = (await getAdministration(db, a.administration_id))!;
        admins.set(admin.id, admin);
      }
      const outcome = await deliverOne(db, admin, a, mailers, opts);
      result[outcome]++;
    }
  } finally {
    if (owned) for (const m of mailers.values()) m.close();
  }
  result.prepared = await prepareLetters(db, admins, opts.limit ?? 10_000, opts.onlyIds);
  return result;
}

/**
 * Letters on paper get their PDF as soon as possible (stored as a document, linked from the
 * timeline and the outbox), so a person can print them one by one or in the run's print batch.
 * Their state does not change: a letter counts when a person marks it posted.
 */
async function prepareLetters(db: Db, admins: Map<number, Administration>, limit: number, onlyIds?: readonly number[]): Promise<number> {
  let n = 0;
  while (n < limit) {
    const done = await db.transaction(async (tx) => {
      const [a] = await tx.query<ActionRow>(`SELECT * FROM dunning_actions WHERE delivery = 'paper' AND status IN ('to_print', 'printed') AND document_id IS NULL AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[])) ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1`, [onlyIds ?? null]);
      if (!a) return false;
      let admin = admins.get(a.administration_id);
      if (!admin) admins.set(a.administration_id, (admin = (await getAdministration(tx, a.administration_id))!));
      try {
        const letter = await withPortalLink(tx, admin, a.debtor_id, await letterOfAction(tx, admin, a), 'letter');
        const pdf = await renderLetterPdf(letter);
        const id = await storeDocument(tx, admin.id, { filename: `${letter.kind}-${letter.debtor.number}-${letter.date}.pdf`.replace(/[^\w.-]/g, '_'), contentType: 'application/pdf', content: pdf });
        await setDocument(tx, a.id, id);
        await addEvent(tx, admin.id, {
          debtorId: a.debtor_id, documentId: id, event: ev('dunning_letter_ready', { statement: letter.kind === 'statement' }),
          data: { actionId: a.id, runId: a.run_id, stepKey: a.step_key },
        });
      } catch (e) {
        await moveMessage(tx, admin, a.id, 'failed', { cause: 'worker', actor: 'worker', lastError: `the letter could not be made: ${(e as Error).message}`, nextAttemptAt: 'infinity' });
      }
      return true;
    });
    if (!done) break;
    n++;
  }
  return n;
}

type Outcome = 'sent' | 'failed' | 'bounced' | 'retrying' | 'toPrint';

async function deliverOne(db: Db, admin: Administration, a: ActionRow, mailers: Map<number, Mailer>, opts: DeliveryOptions): Promise<Outcome> {
  const worker = opts.workerId ?? 'worker';
  // each move with its history, timeline line and task in one transaction: a kill leaves all or nothing
  const moveMessage = (_q: Db, ad: Administration, id: number, to: Parameters<typeof moveMessageIn>[3], how: Parameters<typeof moveMessageIn>[4]) => db.transaction((tx) => moveMessageIn(tx, ad, id, to, how));
  const failFor = async (message: string): Promise<Outcome> => {
    await moveMessage(db, admin, a.id, 'failed', { cause: 'worker', actor: worker, lastError: message, nextAttemptAt: 'infinity' });
    return 'failed';
  };
  let m: StoredMessage;
  let mail: Awaited<ReturnType<typeof mailOf>>;
  try {
    m = parseMessage(a.id, a.message);
    mail = await mailOf(await withPortalLink(db, admin, a.debtor_id, await letterFor(db, admin, m, letterDateOf(a, m)), 'mail', opts.publicUrl), m.stepName);
  } catch (e) {
    return failFor(`the letter could not be made: ${(e as Error).message}`);
  }
  const documentId = a.document_id ?? (await storeDocument(db, admin.id, { filename: mail.filename, contentType: 'application/pdf', content: mail.pdf }));
  if (!a.document_id) await setDocument(db, a.id, documentId);
  await opts.onClaimed?.(a);
  // the 14-dagenbrief states its last day counted from its date: sent on a later day, that term would be too short
  const today = reachedDay(a, new Date());
  if (m.legal.fourteenDayLetter && today > letterDateOf(a, m))
    return failFor(`this 14-dagenbrief is dated ${letterDateOf(a, m)}; sent on ${today} the term it states would be too short: the next run makes a new letter`);
  const emails = m.contact?.emails ?? [];
  if (emails.length === 0) {
    await moveMessage(db, admin, a.id, 'to_print', { cause: 'worker', actor: worker, delivery: 'paper', note: { code: 'no_email' }, documentId });
    return 'toPrint';
  }
  const config = mailForAdministration(admin);
  if (!config) return failFor('no mail server is configured for this administration (settings or VORDER_SMTP_URL): nothing was sent');
  let mailer = mailers.get(admin.id);
  if (!mailer) {
    try {
      mailer = createMailer(config);
    } catch (e) {
      return failFor(`the mail server settings cannot be used: ${(e as Error).message}`);
    }
    mailers.set(admin.id, mailer);
  }
  const messageId = `<dunning-${a.id}-${admin.id}@vorder.invalid>`;
  const sent = await sendLetterMail(mailer, {
    to: emails, subject: mail.subject, text: mail.text, html: mail.html, pdf: { filename: mail.filename, content: mail.pdf },
    attachments: [...(await invoiceCopies(db, admin, a.item_ids.map(Number))), ...(await logoAttachment(db, admin))],
    replyTo: replyToFor(admin, m.debtorNumber), messageId, headers: { 'X-Vorder-Action': String(a.id), 'X-Vorder-Debtor': m.debtorNumber },
  });
  if (!sent.ok) {
    const error = `${sent.code}: ${sent.message}`;
    if (sent.kind === 'temporary' && a.attempts < 8) {
      const next = new Date(Date.now() + retryDelay(a.attempts, { random: Math.random() }));
      await moveMessage(db, admin, a.id, 'queued', { cause: 'worker', actor: worker, lastError: error, nextAttemptAt: next, note: { code: 'retry', error, at: next.toISOString().slice(0, 16).replace('T', ' ') } });
      return 'retrying';
    }
    if (sent.recipientRejected) {
      await moveMessage(db, admin, a.id, 'bounced', { cause: 'worker', actor: worker, lastError: error, smtpResponse: sent.message, nextAttemptAt: 'infinity' });
      return 'bounced';
    }
    return failFor(error);
  }
  await moveMessage(db, admin, a.id, 'sent', {
    cause: 'worker', actor: worker, messageId: sent.messageId, smtpResponse: sent.response, lastError: null, reachedOn: reachedDay(a, new Date()),
    detail: sent.rejected.length ? `${sent.response}; geweigerd: ${sent.rejected.join(', ')}` : sent.response,
  });
  return 'sent';
}
