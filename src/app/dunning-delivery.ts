/**
 * Delivery of the dunning outbox, exactly once or visibly not:
 *
 *   queued ──claim──▶ sending ──SMTP accepted──▶ sent
 *                        │ └──temporary failure──▶ failed (retried with backoff) ──claim──▶ …
 *                        │ └──permanent failure──▶ failed (no retry; on the timeline)
 *                        └──process died (lease ran out)──▶ uncertain (e-mail: never resent blindly;
 *                                                            a task asks a person to check)
 *
 * Claiming is a committed UPDATE … FOR UPDATE SKIP LOCKED, so several processes never take the same
 * action. The letter PDF is rendered deterministically and stored before sending; the mail carries
 * a Message-ID derived from the action, so a receiver can tell duplicates apart.
 */
import type { Db } from '../store/db.ts';
import { getAdministration, type Administration } from '../store/administrations.ts';
import { storeDocument } from '../store/documents.ts';
import { addEvent } from '../store/events.ts';
import type { ActionRow } from '../store/dunning.ts';
import type { PlannedMessage } from '../domain/dunning/plan.ts';
import { addDays, isIsoDate } from '../domain/dates.ts';
import { formatCents } from '../domain/money.ts';
import { isValidBetalingskenmerk, isValidRf } from '../domain/references.ts';
import { letterSubject, letterText, renderLetterPdf, type LetterData } from './documents/letter.ts';
import type { LetterKind, LetterTemplate } from './documents/templates.ts';
import { createMailer, retryDelay, sendLetterMail, type Mailer, type MailerConfig } from './mail/mailer.ts';

type StoredMessage = PlannedMessage & {
  contact: { emails: string[]; addressLine: string | null; postalCode: string | null; city: string | null; country: string | null } | null;
  /** The letter's date when it is not the day the action was queued (a statement on request: the date it was shown and asked for). */
  letterDate?: string;
};

export function letterKindOf(m: Pick<PlannedMessage, 'stepKey' | 'stepIndex' | 'channel' | 'legal'>): LetterKind {
  if (m.channel === 'statement') return 'statement';
  if (m.legal.collectionAgency) return 'collection_handover';
  if (m.legal.fourteenDayLetter) return 'fourteen_day_letter';
  if (m.legal.noticeOfDefault) return 'notice_of_default';
  if (m.stepKey === 'reminder_1') return 'reminder';
  if (m.stepKey === 'reminder_2') return 'second_reminder';
  if (m.stepKey === 'demand') return 'demand';
  if (m.channel === 'email') return m.stepIndex === 0 ? 'reminder' : 'second_reminder';
  return 'demand';
}

/** The letter for one planned message: amounts exactly as planned, the payment reference of the item when there is one. */
export async function letterFor(db: Db, admin: Administration, m: StoredMessage, date: string): Promise<LetterData> {
  const refs = await db.query<{ payment_reference: string | null }>('SELECT payment_reference FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[])', [admin.id, m.itemIds.map(Number)]);
  const single = refs.length === 1 ? refs[0]!.payment_reference : null;
  const reference = single && (isValidBetalingskenmerk(single) || isValidRf(single)) ? single : `${m.debtorNumber} ${m.items.map((i) => i.number).slice(0, 4).join(' ')}`.slice(0, 35);
  const kind = letterKindOf(m);
  const fourteen = kind === 'fourteen_day_letter' && m.fourteenDayTerm ? { termEnd: m.fourteenDayTerm.termEnd } : undefined;
  const costs = kind === 'fourteen_day_letter' ? m.announcedCostsCents ?? 0 : m.costsCents;
  const custom = templateOverride(admin, kind, m.language);
  return {
    language: m.language,
    kind,
    date,
    creditor: {
      name: admin.legalName ?? admin.name, addressLine: admin.addressLine ?? '', postalCode: admin.postalCode ?? '', city: admin.city ?? '', iban: admin.iban ?? '',
      ...(admin.bic ? { bic: admin.bic } : {}), ...(admin.kvk ? { kvk: admin.kvk } : {}), ...(admin.vatNumber ? { vatNumber: admin.vatNumber } : {}), ...(admin.email ? { email: admin.email } : {}),
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
    payBy: fourteen?.termEnd ?? addDays(date, kind === 'reminder' ? 7 : 14),
    ...(fourteen ? { fourteenDay: fourteen } : {}),
    ...(custom ? { templateText: custom } : {}),
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

export function mailerConfigOf(admin: Administration): MailerConfig | null {
  const s = (admin.settings as { smtp?: Partial<MailerConfig> }).smtp;
  if (s?.host && s.port && s.from) return { host: s.host, port: Number(s.port), secure: s.secure, user: s.user, pass: s.pass, from: s.from, replyTo: s.replyTo, tlsRejectUnauthorized: s.tlsRejectUnauthorized };
  const env = process.env.VORDER_SMTP_URL;
  if (env) {
    const u = new URL(env);
    return { host: u.hostname, port: Number(u.port || 587), secure: u.protocol === 'smtps:', user: u.username ? decodeURIComponent(u.username) : undefined, pass: u.password ? decodeURIComponent(u.password) : undefined, from: u.searchParams.get('from') ?? admin.email ?? 'vorder@localhost' };
  }
  return null;
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
  /** For tests: called after an action is claimed and its document stored, before sending. */
  onClaimed?: (a: ActionRow) => Promise<void> | void;
};

export type DeliveryResult = { claimed: number; sent: number; failed: number; uncertain: number };

/** Claim one due action (committed), or null. */
async function claim(db: Db, leaseSeconds: number): Promise<ActionRow | null> {
  const [a] = await db.query<ActionRow>(
    `UPDATE dunning_actions SET status = 'sending', attempts = attempts + 1, locked_until = now() + ($1 || ' seconds')::interval
      WHERE id = (SELECT id FROM dunning_actions WHERE status IN ('queued', 'failed') AND next_attempt_at <= now() ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
      RETURNING *`,
    [String(leaseSeconds)],
  );
  return a ?? null;
}

/** Actions whose sender died mid-send: e-mail becomes 'uncertain' (a person checks), the rest is retried. */
export async function recoverStuck(db: Db): Promise<number> {
  const rows = await db.query<{ id: number; administration_id: number; debtor_id: number; channel: string; step_key: string }>(
    `UPDATE dunning_actions SET status = CASE WHEN channel IN ('email', 'statement') THEN 'uncertain' ELSE 'queued' END, locked_until = NULL
      WHERE status = 'sending' AND locked_until < now() RETURNING id, administration_id, debtor_id, channel, step_key`,
  );
  for (const r of rows) {
    if (r.channel !== 'email' && r.channel !== 'statement') continue;
    await addEvent(db, r.administration_id, { debtorId: r.debtor_id, kind: 'dunning_uncertain', summary: `Verzending van ${r.step_key} onderbroken: niet zeker of de mail is verstuurd; controleer en verstuur zo nodig opnieuw`, data: { actionId: r.id } });
    await db.query(
      `INSERT INTO tasks (administration_id, debtor_id, kind, title, reason, due_date, source_type, source_id) VALUES ($1, $2, 'check_delivery', 'Controleer verzending aanmaning', $3, CURRENT_DATE, 'dunning_uncertain', $4) ON CONFLICT DO NOTHING`,
      [r.administration_id, r.debtor_id, `actie ${r.id} (${r.step_key})`, r.id],
    );
  }
  return rows.length;
}

/** Deliver what is due in the outbox (all administrations). */
export async function deliverDue(db: Db, opts: DeliveryOptions = {}): Promise<DeliveryResult> {
  const lease = opts.leaseSeconds ?? 300;
  const result: DeliveryResult = { claimed: 0, sent: 0, failed: 0, uncertain: await recoverStuck(db) };
  const mailers = opts.mailers ?? new Map<number, Mailer>();
  const owned = !opts.mailers;
  const admins = new Map<number, Administration>();
  try {
    while (result.claimed < (opts.limit ?? 10_000)) {
      const a = await claim(db, lease);
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
  return result;
}

async function deliverOne(db: Db, admin: Administration, a: ActionRow, mailers: Map<number, Mailer>, opts: DeliveryOptions): Promise<'sent' | 'failed'> {
  const m = a.message as unknown as StoredMessage;
  const date = m.letterDate && isIsoDate(m.letterDate) ? m.letterDate : (a.created_at instanceof Date ? a.created_at.toISOString() : String(a.created_at)).slice(0, 10);
  const fail = async (kind: 'temporary' | 'permanent', message: string) => {
    const next = kind === 'temporary' && a.attempts < 8 ? new Date(Date.now() + retryDelay(a.attempts, { random: Math.random() })) : null;
    await db.query(`UPDATE dunning_actions SET status = 'failed', last_error = $2, next_attempt_at = $3, locked_until = NULL WHERE id = $1`, [a.id, message, next ? next.toISOString() : 'infinity']);
    await addEvent(db, admin.id, { debtorId: a.debtor_id, kind: 'dunning_failed', summary: `${m.stepName} niet verstuurd (${kind === 'temporary' && next ? 'wordt opnieuw geprobeerd' : 'definitief'}): ${message}`, data: { actionId: a.id, attempts: a.attempts, kind } });
    return 'failed' as const;
  };
  let letter: LetterData;
  let pdf: Uint8Array;
  try {
    letter = await letterFor(db, admin, m, date);
    pdf = await renderLetterPdf(letter);
  } catch (e) {
    return fail('permanent', `the letter could not be made: ${(e as Error).message}`);
  }
  const filename = `${letter.kind}-${m.debtorNumber}-${date}.pdf`.replace(/[^\w.-]/g, '_');
  const documentId = a.document_id ?? (await storeDocument(db, admin.id, { filename, contentType: 'application/pdf', content: pdf }));
  await db.query('UPDATE dunning_actions SET document_id = $2 WHERE id = $1', [a.id, documentId]);
  await opts.onClaimed?.(a);
  const emails = m.contact?.emails ?? [];
  const byMail = a.channel === 'email' || (a.channel === 'statement' && emails.length > 0);
  if (!byMail || emails.length === 0) {
    // A letter on paper: the PDF is the deliverable (printed and posted by the user).
    await db.query(`UPDATE dunning_actions SET status = 'sent', sent_at = now(), locked_until = NULL WHERE id = $1`, [a.id]);
    await addEvent(db, admin.id, { debtorId: a.debtor_id, kind: 'dunning_sent', summary: `${m.stepName}: brief klaar om te versturen per post${a.channel === 'email' ? ' (geen e-mailadres bekend)' : ''} (${formatCents(m.totalCents)} ${m.currency})`, data: { actionId: a.id, channel: 'letter' }, documentId });
    return 'sent';
  }
  const config = mailerConfigOf(admin);
  if (!config) return fail('temporary', 'no mail server is configured for this administration (settings.smtp or VORDER_SMTP_URL)');
  let mailer = mailers.get(admin.id);
  if (!mailer) {
    mailer = createMailer(config);
    mailers.set(admin.id, mailer);
  }
  const text = letterText(letter);
  const subject = letterSubject(letter).replace(/\s+/g, ' ').trim() || m.stepName;
  const messageId = `<dunning-${a.id}-${admin.id}@vorder.invalid>`;
  const sent = await sendLetterMail(mailer, {
    to: emails, subject, text, pdf: { filename, content: pdf }, attachments: await invoiceCopies(db, admin, a.item_ids.map(Number)), replyTo: replyToFor(admin, m.debtorNumber), messageId,
    headers: { 'X-Vorder-Action': String(a.id), 'X-Vorder-Debtor': m.debtorNumber },
  });
  if (!sent.ok) return fail(sent.kind, `${sent.code}: ${sent.message}`);
  await db.query(`UPDATE dunning_actions SET status = 'sent', sent_at = now(), message_id = $2, locked_until = NULL, last_error = NULL WHERE id = $1`, [a.id, sent.messageId]);
  await addEvent(db, admin.id, { debtorId: a.debtor_id, kind: 'dunning_sent', summary: `${m.stepName} verstuurd aan ${emails.join(', ')} (${formatCents(m.totalCents)} ${m.currency})`, data: { actionId: a.id, messageId: sent.messageId, channel: 'email' }, documentId });
  return 'sent';
}
