/**
 * The debtor portal (docs/portal.md): a link per debtor and message — a random token of which only
 * the sha256 is stored, valid for the administration's number of days (60 by default) — that opens
 * a page where the debtor sees the open items and the statement of account and acts: pay,
 * "I have already paid", dispute, promise to pay, propose a payment plan, a message, a new e-mail
 * address. Each action goes through the same care use cases the credit controller uses (so it
 * pauses what they pause), lands on the debtor's timeline and gives a task on the work list.
 *
 * The page knows no administration before the token: the lookup runs outside any tenant request
 * (like invitations); everything after it is for that link's administration and debtor only.
 */
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../store/db.ts';
import { getAdministration, type Administration } from '../store/administrations.ts';
import { getDebtor, type Debtor } from '../store/debtors.ts';
import { addEvent } from '../store/events.ts';
import { storeDocument } from '../store/documents.ts';
import { insertTask, itemsByIds, itemsInOpenDisputes, listDisputeReasons, openInvoicesOf, type OpenItem } from '../store/care.ts';
import { addPortalActivity, claimEmailChange, findAnyLink, findUsableLink, insertEmailChange, insertPortalLink, markLinkOpened, portalOverview, revokeDebtorLinks, type PortalLink, type PortalOverview } from '../store/portal.ts';
import { addDays, formatDateNl, isIsoDate } from '../domain/dates.ts';
import { formatMoney } from '../domain/money.ts';
import { maxInstalmentsFor, type CareLimits } from '../domain/care/limits.ts';
import { createPromise } from './care/promises.ts';
import { openDispute } from './care/disputes.ts';
import { createPlan } from './care/plans.ts';
import { careLimitsOf, ensureDisputeReasons } from './care/common.ts';
import { normalizeEmail, safeEqual, sha256 } from './auth.ts';
import { mailerConfigOf } from './dunning-delivery.ts';
import { createMailer, type MailerConfig } from './mail/mailer.ts';
import { AppError, invalid, notFound } from './errors.ts';
import { ev } from '../domain/events.ts';

export const PORTAL_ACTOR = 'debiteur (portaal)';
const DAY_MS = 24 * 60 * 60 * 1000;

export type PortalSettings = {
  enabled: boolean;
  /** Days a link stays valid. */
  linkDays: number;
  /** Days the chase waits after "I have already paid". */
  paidPauseDays: number;
  /** Mollie: which key is used; the keys themselves never leave the server. */
  mollieMode: 'test' | 'live';
  hasMollieTestKey: boolean;
  hasMollieLiveKey: boolean;
  /** The administration's own words at the top of the portal. */
  introNl: string;
  introEn: string;
};

type StoredPortal = { enabled?: unknown; linkDays?: unknown; paidPauseDays?: unknown; mollieMode?: unknown; mollieTestKey?: unknown; mollieLiveKey?: unknown; introNl?: unknown; introEn?: unknown };
const stored = (admin: Pick<Administration, 'settings'>): StoredPortal => ((admin.settings as { portal?: StoredPortal }).portal ?? {});
const int = (v: unknown, d: number, min: number, max: number) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : d);

export function portalSettingsOf(admin: Pick<Administration, 'settings'>): PortalSettings {
  const s = stored(admin);
  return {
    enabled: s.enabled !== false,
    linkDays: int(s.linkDays, 60, 1, 366),
    paidPauseDays: int(s.paidPauseDays, 7, 0, 30),
    mollieMode: s.mollieMode === 'live' ? 'live' : 'test',
    hasMollieTestKey: typeof s.mollieTestKey === 'string' && s.mollieTestKey !== '',
    hasMollieLiveKey: typeof s.mollieLiveKey === 'string' && s.mollieLiveKey !== '',
    introNl: typeof s.introNl === 'string' ? s.introNl : '',
    introEn: typeof s.introEn === 'string' ? s.introEn : '',
  };
}

/** The Mollie key in use (test or live, as the mode says), or null: then the portal offers a bank transfer. */
export function mollieKeyOf(admin: Pick<Administration, 'settings'>): string | null {
  const s = stored(admin);
  const key = portalSettingsOf(admin).mollieMode === 'live' ? s.mollieLiveKey : s.mollieTestKey;
  return typeof key === 'string' && key !== '' ? key : null;
}

export type PortalSettingsInput = { enabled?: boolean; linkDays?: number; paidPauseDays?: number; mollieMode?: 'test' | 'live'; mollieTestKey?: string | null; mollieLiveKey?: string | null; introNl?: string; introEn?: string };

/** The next `settings` of the administration with these portal settings; a key is checked for its prefix (test_/live_). */
export function nextPortalSettings(admin: Pick<Administration, 'settings'>, input: PortalSettingsInput): Record<string, unknown> {
  const cur = { ...stored(admin) } as Record<string, unknown>;
  const key = (field: 'mollieTestKey' | 'mollieLiveKey', prefix: string) => {
    const v = input[field];
    if (v === undefined) return;
    if (v === null || v === '') delete cur[field];
    else if (!new RegExp(`^${prefix}_[A-Za-z0-9]{20,60}$`).test(v)) throw invalid(`the Mollie ${prefix} key starts with ${prefix}_`, [{ field, code: 'invalid', message: `a Mollie API key like ${prefix}_…` }]);
    else cur[field] = v;
  };
  key('mollieTestKey', 'test');
  key('mollieLiveKey', 'live');
  for (const f of ['enabled', 'linkDays', 'paidPauseDays', 'mollieMode', 'introNl', 'introEn'] as const) if (input[f] !== undefined) cur[f] = typeof input[f] === 'string' ? (input[f] as string).slice(0, 2000) : input[f];
  return { ...admin.settings, portal: cur };
}

// ------------------------------------------------------------------ links

export const portalPath = (token: string) => `/p/${token}`;

/** A new link for a debtor: the token is returned once (for the message) and only its hash kept. */
export async function issuePortalLink(q: Queryable, admin: Administration, debtorId: number, purpose: string, now: Date = new Date()): Promise<{ token: string; link: PortalLink; path: string }> {
  const token = randomBytes(16).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + portalSettingsOf(admin).linkDays * DAY_MS);
  const link = await insertPortalLink(q, admin.id, { debtorId, tokenHash: sha256(token), csrfToken: csrf, purpose: purpose.slice(0, 40), expiresAt });
  return { token, link, path: portalPath(token) };
}

/** Revoke every link of a debtor (from the debtor page); on the timeline. */
export async function revokePortalLinks(db: Db, admin: Administration, debtorId: number, actor: string | null): Promise<{ revoked: number }> {
  return db.transaction(async (tx) => {
    const d = await getDebtor(tx, admin.id, debtorId);
    if (!d) throw notFound(`debtor ${debtorId}`);
    const n = await revokeDebtorLinks(tx, admin.id, debtorId);
    await addEvent(tx, admin.id, { debtorId, event: ev('portal_links_revoked', { count: n }), data: { revoked: n }, actor });
    return { revoked: n };
  });
}

/** What the debtor page shows: links, last opened, what the debtor did. */
export async function debtorPortal(q: Queryable, admin: Administration, debtorId: number): Promise<PortalOverview & { enabled: boolean }> {
  return { ...(await portalOverview(q, admin.id, debtorId)), enabled: portalSettingsOf(admin).enabled };
}

export type PortalSession = { link: PortalLink; admin: Administration; debtor: Debtor };

const tokenShape = (t: unknown): t is string => typeof t === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(t);

/** The session behind a token, or null (unknown, expired, revoked, portal off): the caller shows one neutral page for all. */
export async function resolvePortal(db: Queryable, token: string): Promise<PortalSession | null> {
  if (!tokenShape(token)) return null;
  const link = await findUsableLink(db, sha256(token));
  if (!link) return null;
  const admin = await getAdministration(db, link.administrationId);
  if (!admin || !portalSettingsOf(admin).enabled) return null;
  const debtor = await getDebtor(db, admin.id, link.debtorId);
  return debtor ? { link, admin, debtor } : null;
}

/** The CSRF check of every POST: the form's token must be the link's own. */
export function checkCsrf(s: PortalSession, sent: unknown): void {
  if (typeof sent !== 'string' || !safeEqual(sent, s.link.csrfToken)) throw new AppError('forbidden', 'the form is not from this page (missing or wrong csrf token): open the link again');
}

/** Opening the page: last opened, and one activity line per hour at most (mail scanners open links too). */
export async function recordOpened(db: Db, s: PortalSession): Promise<void> {
  const recent = s.link.lastOpenedAt && Date.now() - new Date(s.link.lastOpenedAt).getTime() < 60 * 60 * 1000;
  await db.transaction(async (tx) => {
    await markLinkOpened(tx, s.link.id);
    if (!recent) await addPortalActivity(tx, s.admin.id, { debtorId: s.debtor.id, linkId: s.link.id, kind: 'opened', summary: 'Portaal geopend' });
  });
}

/**
 * An unknown or expired link: a fresh one is mailed to the address on file — only when the token
 * was ever a link and the debtor has an address. The caller answers the same in every case.
 */
export async function mailFreshLink(db: Db, token: string, opts: { baseUrl: string | null; smtp?: MailerConfig | null }): Promise<'mailed' | 'nothing'> {
  if (!tokenShape(token) || !opts.baseUrl) return 'nothing';
  const old = await findAnyLink(db, sha256(token));
  if (!old) return 'nothing';
  const admin = await getAdministration(db, old.administrationId);
  if (!admin || !portalSettingsOf(admin).enabled) return 'nothing';
  // a revoked link was revoked on purpose: no fresh link from it
  if (old.revokedAt) return 'nothing';
  const debtor = await getDebtor(db, admin.id, old.debtorId);
  if (!debtor?.emails.length) return 'nothing';
  const smtp = opts.smtp === undefined ? mailerConfigOf(admin) : opts.smtp;
  if (!smtp) return 'nothing';
  const fresh = await db.transaction(async (tx) => {
    const f = await issuePortalLink(tx, admin, debtor.id, 'resend');
    await addPortalActivity(tx, admin.id, { debtorId: debtor.id, linkId: f.link.id, kind: 'link_resent', summary: 'Nieuwe portaallink gemaild (oude link verlopen)' });
    return f;
  });
  const url = `${opts.baseUrl.replace(/\/+$/, '')}${fresh.path}`;
  await sendPlainMail(smtp, debtor.emails, debtor.language === 'en' ? `Your link to ${admin.name}` : `Uw link naar ${admin.name}`,
    debtor.language === 'en' ? `You asked for a new link to see and settle your open invoices with ${admin.name}:\n\n${url}\n\nNot you? Ignore this message.\n` : `U vroeg om een nieuwe link om uw openstaande facturen bij ${admin.name} te bekijken en te regelen:\n\n${url}\n\nNiet aangevraagd? Negeer dit bericht.\n`);
  return 'mailed';
}

async function sendPlainMail(smtp: MailerConfig, to: string[], subject: string, text: string): Promise<void> {
  const mailer = createMailer(smtp);
  try {
    await mailer.transport.sendMail({ from: smtp.from, to, subject, text, disableFileAccess: true, disableUrlAccess: true });
  } finally {
    mailer.close();
  }
}

// ------------------------------------------------------------------ what the page shows

export type PortalItem = OpenItem & { disputed: boolean };
export type PortalView = {
  items: PortalItem[];
  credits: OpenItem[];
  openCents: number;
  creditCents: number;
  reasons: { key: string; label: string }[];
  limits: CareLimits;
  maxInstalments: number;
  latestPromise: string;
};

export async function portalView(db: Queryable, s: PortalSession, asOf: string): Promise<PortalView> {
  const { admin, debtor } = s;
  const invoices = await openInvoicesOf(db, admin.id, debtor.id);
  const disputed = new Set(await itemsInOpenDisputes(db, invoices.map((i) => i.id)));
  const creditRows = await db.query<{ id: number }>(`SELECT id FROM items WHERE administration_id = $1 AND debtor_id = $2 AND open_cents < 0 ORDER BY due_date, id`, [admin.id, debtor.id]);
  const credits = await itemsByIds(db, admin.id, creditRows.map((r) => r.id));
  const reasons = (await listDisputeReasons(db, admin.id)).map((r) => ({ key: r.key, label: debtor.language === 'en' ? r.labelEn : r.labelNl }));
  const limits = careLimitsOf(admin);
  const openCents = invoices.reduce((t, i) => t + i.openCents, 0);
  return {
    items: invoices.map((i) => ({ ...i, disputed: disputed.has(i.id) })), credits, openCents, creditCents: credits.reduce((t, i) => t + i.openCents, 0),
    reasons, limits, maxInstalments: maxInstalmentsFor(openCents, limits), latestPromise: addDays(asOf, limits.promiseMaxDays),
  };
}

/** The dispute reasons (defaults inserted on first use), before the page is shown. */
export async function ensurePortalReasons(db: Db, s: PortalSession): Promise<void> {
  await db.transaction((tx) => ensureDisputeReasons(tx, s.admin));
}

// ------------------------------------------------------------------ actions

export type Attachment = { filename: string; contentType: string; content: Uint8Array };
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];

function checkAttachment(a: Attachment | null | undefined, field: string): Attachment | null {
  if (!a || a.content.byteLength === 0) return null;
  if (a.content.byteLength > MAX_ATTACHMENT_BYTES) throw invalid(`the file is larger than 5 MB`, [{ field, code: 'too_large', message: 'at most 5 MB' }]);
  if (!ATTACHMENT_TYPES.includes(a.contentType)) throw invalid('a PDF, PNG or JPEG file', [{ field, code: 'invalid', message: 'PDF, PNG or JPEG' }]);
  return { ...a, filename: a.filename.replace(/[^\w. -]/g, '_').slice(0, 120) || 'bijlage' };
}

/** The items the debtor named: every one an open invoice of this debtor; none named = all open invoices. */
async function chosenItems(q: Queryable, s: PortalSession, itemIds: readonly number[]): Promise<OpenItem[]> {
  const open = await openInvoicesOf(q, s.admin.id, s.debtor.id);
  if (!itemIds.length) return open;
  const ids = new Set(itemIds);
  const chosen = open.filter((i) => ids.has(i.id));
  if (chosen.length !== ids.size) throw invalid('an item is not (any more) open for you', [{ field: 'items', code: 'unknown_item', message: 'not an open item of yours' }]);
  return chosen;
}

const text = (v: unknown, field: string, max: number, required = false): string => {
  const t = typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '';
  if (required && !t) throw invalid(`${field} is required`, [{ field, code: 'required', message: 'required' }]);
  if (t.length > max) throw invalid(`${field} is longer than ${max} characters`, [{ field, code: 'too_long', message: `at most ${max} characters` }]);
  return t;
};

const numbers = (items: readonly OpenItem[]) => items.map((i) => i.number).join(', ');

async function taskAndActivity(tx: Queryable, s: PortalSession, kind: string, title: string, reason: string | null, asOf: string, itemIds: readonly number[]): Promise<void> {
  await insertTask(tx, s.admin.id, { debtorId: s.debtor.id, itemIds, kind, title: title.slice(0, 200), reason, dueDate: asOf });
  await addPortalActivity(tx, s.admin.id, { debtorId: s.debtor.id, linkId: s.link.id, kind, summary: title });
}

/** "I have already paid": a promise dated the day paid with a short grace (the chase waits), a task to check it, the proof stored. */
export async function reportPaid(db: Db, s: PortalSession, input: { itemIds: number[]; paidOn: string; note?: string; proof?: Attachment | null }, asOf: string): Promise<void> {
  if (!isIsoDate(input.paidOn) || input.paidOn > asOf) throw invalid('the date paid is a date, today or before', [{ field: 'paidOn', code: 'invalid', message: 'a date, today or earlier' }]);
  const note = text(input.note, 'note', 1000);
  const proof = checkAttachment(input.proof, 'proof');
  const items = await chosenItems(db, s, input.itemIds);
  if (!items.length) throw invalid('nothing is open', [{ field: 'items', code: 'nothing_open', message: 'nothing is open' }]);
  const cents = items.reduce((t, i) => t + i.openCents, 0);
  const pause = portalSettingsOf(s.admin).paidPauseDays;
  // the chase waits `pause` days from today; the promise's own check books it kept when the money is seen
  await createPromise(db, s.admin, { debtorId: s.debtor.id, amountCents: cents, promisedDate: asOf, itemIds: items.map((i) => i.id), graceDays: pause, note: `al betaald op ${formatDateNl(input.paidOn)} (portaal)${note ? `: ${note}` : ''}` }, asOf, PORTAL_ACTOR);
  await db.transaction(async (tx) => {
    const docId = proof ? await storeDocument(tx, s.admin.id, proof) : null;
    await addEvent(tx, s.admin.id, { debtorId: s.debtor.id, event: ev('portal_paid_reported', { amountCents: cents, date: input.paidOn, numbers: items.map((i) => i.number), proof: !!proof, note: note || null }), data: { itemIds: items.map((i) => i.id), paidOn: input.paidOn, cents }, actor: PORTAL_ACTOR, documentId: docId });
    await taskAndActivity(tx, s, 'portal_paid', `Betaling controleren: debiteur meldt ${formatMoney(cents)} betaald op ${formatDateNl(input.paidOn)}`, note || null, asOf, items.map((i) => i.id));
  });
}

/** A dispute on the named items only, with a reason from the administration's list. */
export async function portalDispute(db: Db, s: PortalSession, input: { itemIds: number[]; reason: string; text: string; attachment?: Attachment | null }, asOf: string): Promise<void> {
  if (!input.itemIds.length) throw invalid('choose the invoices you dispute', [{ field: 'items', code: 'required', message: 'choose one or more invoices' }]);
  const description = text(input.text, 'text', 2000, true);
  const file = checkAttachment(input.attachment, 'attachment');
  const items = await chosenItems(db, s, input.itemIds);
  const d = await openDispute(db, s.admin, { debtorId: s.debtor.id, itemIds: items.map((i) => i.id), reason: String(input.reason ?? ''), description: `${description} (via het portaal)` }, asOf, PORTAL_ACTOR);
  await db.transaction(async (tx) => {
    const docId = file ? await storeDocument(tx, s.admin.id, file) : null;
    if (docId) await addEvent(tx, s.admin.id, { debtorId: s.debtor.id, event: ev('portal_attachment', { disputeId: d.id, filename: file!.filename }), data: { disputeId: d.id }, actor: PORTAL_ACTOR, documentId: docId });
    await addPortalActivity(tx, s.admin.id, { debtorId: s.debtor.id, linkId: s.link.id, kind: 'dispute', summary: `Geschil over ${numbers(items)} (${d.reason})` });
  });
}

/** A promise to pay the named items (or all) by a date within the policy's limit. */
export async function portalPromise(db: Db, s: PortalSession, input: { itemIds: number[]; date: string }, asOf: string): Promise<void> {
  const items = await chosenItems(db, s, input.itemIds);
  const cents = items.reduce((t, i) => t + i.openCents, 0);
  await createPromise(db, s.admin, { debtorId: s.debtor.id, amountCents: cents, promisedDate: String(input.date ?? ''), itemIds: input.itemIds.length ? items.map((i) => i.id) : [] , note: 'via het portaal' }, asOf, PORTAL_ACTOR);
  await db.transaction((tx) => taskAndActivity(tx, s, 'portal_promise', `Belofte via portaal: ${formatMoney(cents)} uiterlijk ${formatDateNl(input.date)}`, null, asOf, items.map((i) => i.id)));
}

/**
 * A payment plan proposed by the debtor: within the administration's limits it is made at once;
 * outside them (or when it cannot be made) a person decides: a task with the proposal.
 */
export async function portalPlan(db: Db, s: PortalSession, input: { itemIds: number[]; count: number; note?: string }, asOf: string): Promise<{ accepted: boolean }> {
  const note = text(input.note, 'note', 1000);
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > 120) throw invalid('the number of instalments is 1 to 120', [{ field: 'count', code: 'invalid', message: '1 to 120' }]);
  const items = await chosenItems(db, s, input.itemIds);
  if (!items.length) throw invalid('nothing is open', [{ field: 'items', code: 'nothing_open', message: 'nothing is open' }]);
  const cents = items.reduce((t, i) => t + i.openCents, 0);
  try {
    await createPlan(db, s.admin, { debtorId: s.debtor.id, itemIds: items.map((i) => i.id), count: input.count, note: `voorgesteld via het portaal${note ? `: ${note}` : ''}` }, asOf, PORTAL_ACTOR);
    await db.transaction((tx) => taskAndActivity(tx, s, 'portal_plan', `Betalingsregeling via portaal: ${input.count} termijnen voor ${formatMoney(cents)} (binnen de grenzen, direct gemaakt)`, note || null, asOf, items.map((i) => i.id)));
    return { accepted: true };
  } catch (e) {
    if (!(e instanceof AppError) || !['validation', 'conflict'].includes(e.code)) throw e;
    const why = e.problems.length ? e.problems.map((p) => p.message).join('; ') : e.message;
    await db.transaction(async (tx) => {
      await addEvent(tx, s.admin.id, { debtorId: s.debtor.id, event: ev('portal_plan_proposed', { count: input.count, amountCents: cents, numbers: items.map((i) => i.number), why, note: note || null }), data: { count: input.count, cents, itemIds: items.map((i) => i.id) }, actor: PORTAL_ACTOR });
      await taskAndActivity(tx, s, 'portal_plan_review', `Voorstel betalingsregeling beoordelen: ${input.count} termijnen voor ${formatMoney(cents)}`, `${why}${note ? `; ${note}` : ''}`.slice(0, 1000), asOf, items.map((i) => i.id));
    });
    return { accepted: false };
  }
}

/** A message to the credit controller: on the timeline and as a task. */
export async function portalMessage(db: Db, s: PortalSession, input: { text: string; attachment?: Attachment | null }, asOf: string): Promise<void> {
  const body = text(input.text, 'text', 4000, true);
  const file = checkAttachment(input.attachment, 'attachment');
  await db.transaction(async (tx) => {
    const docId = file ? await storeDocument(tx, s.admin.id, file) : null;
    await addEvent(tx, s.admin.id, { debtorId: s.debtor.id, event: ev('portal_message', { text: body }), data: { text: body }, actor: PORTAL_ACTOR, documentId: docId });
    await taskAndActivity(tx, s, 'portal_message', `Bericht van debiteur beantwoorden: ${body.slice(0, 80)}`, body.slice(0, 1000), asOf, []);
  });
}

/** A new e-mail address: a confirmation link to that address; it counts once confirmed. */
export async function portalChangeEmail(db: Db, s: PortalSession, input: { email: string }, opts: { baseUrl: string | null; smtp?: MailerConfig | null }): Promise<{ mailed: boolean }> {
  let email: string;
  try {
    email = normalizeEmail(String(input.email ?? ''));
  } catch {
    throw invalid('not an e-mail address', [{ field: 'email', code: 'invalid', message: 'an e-mail address like naam@bedrijf.nl' }]);
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 200) throw invalid('not an e-mail address', [{ field: 'email', code: 'invalid', message: 'an e-mail address like naam@bedrijf.nl' }]);
  const token = randomBytes(16).toString('base64url');
  await db.transaction(async (tx) => {
    await insertEmailChange(tx, s.admin.id, { debtorId: s.debtor.id, email, tokenHash: sha256(token), expiresAt: new Date(Date.now() + 7 * DAY_MS) });
    await addEvent(tx, s.admin.id, { debtorId: s.debtor.id, event: ev('portal_email_requested', { email }), data: { email }, actor: PORTAL_ACTOR });
    await addPortalActivity(tx, s.admin.id, { debtorId: s.debtor.id, linkId: s.link.id, kind: 'email_requested', summary: `Nieuw e-mailadres ${email} (wacht op bevestiging)` });
  });
  const smtp = opts.smtp === undefined ? mailerConfigOf(s.admin) : opts.smtp;
  if (!smtp || !opts.baseUrl) return { mailed: false };
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/p/confirm-email/${token}`;
  await sendPlainMail(smtp, [email], s.debtor.language === 'en' ? `Confirm your e-mail address for ${s.admin.name}` : `Bevestig uw e-mailadres voor ${s.admin.name}`,
    s.debtor.language === 'en' ? `Confirm that ${s.admin.name} may send its messages to this address:\n\n${url}\n\nNot asked for? Ignore this message.\n` : `Bevestig dat ${s.admin.name} haar berichten naar dit adres mag sturen:\n\n${url}\n\nNiet aangevraagd? Negeer dit bericht.\n`);
  return { mailed: true };
}

/** The confirmation link of a new address: once; the address becomes the debtor's first. */
export async function confirmEmailChange(db: Db, token: string): Promise<boolean> {
  if (!tokenShape(token)) return false;
  return db.transaction(async (tx) => {
    const c = await claimEmailChange(tx, sha256(token));
    if (!c) return false;
    const [d] = await tx.query<{ emails: string[] }>('SELECT emails FROM debtors WHERE administration_id = $1 AND id = $2 FOR UPDATE', [c.administrationId, c.debtorId]);
    if (!d) return false;
    const emails = [c.email, ...(d.emails ?? []).filter((e) => e.toLowerCase() !== c.email.toLowerCase())];
    await tx.query('UPDATE debtors SET emails = $3, updated_at = now() WHERE administration_id = $1 AND id = $2', [c.administrationId, c.debtorId, emails]);
    await addEvent(tx, c.administrationId, { debtorId: c.debtorId, event: ev('portal_email_confirmed', { email: c.email }), data: { email: c.email, from: d.emails }, actor: PORTAL_ACTOR });
    await addPortalActivity(tx, c.administrationId, { debtorId: c.debtorId, linkId: null, kind: 'email_confirmed', summary: `E-mailadres ${c.email} bevestigd` });
    return true;
  });
}

/** A working portal link for one demo debtor with open invoices (printed by `vorder serve --demo`). */
export async function demoPortalLink(db: Db, admin: Administration, baseUrl: string): Promise<{ url: string; debtorNumber: string } | null> {
  const [d] = await db.query<{ id: number; number: string }>(
    `SELECT d.id, d.number FROM debtors d WHERE d.administration_id = $1 AND d.language = 'nl'
        AND EXISTS (SELECT 1 FROM items i WHERE i.debtor_id = d.id AND i.kind = 'invoice' AND i.open_cents > 0) ORDER BY d.number LIMIT 1`,
    [admin.id],
  );
  if (!d) return null;
  const { path } = await db.transaction((tx) => issuePortalLink(tx, admin, d.id, 'demo'));
  return { url: `${baseUrl.replace(/\/+$/, '')}${path}`, debtorNumber: d.number };
}
