/**
 * What happened to a debtor, as data: every line of the dossier (the timeline) is one of these
 * typed events, a `kind` with its parameters. No layer below the edges builds a sentence: the app
 * stores `{ kind, params }`, and the reader's language is chosen when the line is read — the web
 * app (src/web/app/events.ts), the CLI and exports all render through `renderEvent` below.
 *
 * A new kind is added in three places of this one file: its params in `EventParams`, its Dutch and
 * English text in `TEXTS` (the type checker refuses a kind without both), and a sample in
 * `EVENT_SAMPLES` (the test renders every sample in both languages).
 *
 * Amounts are integer cents, dates calendar dates (YYYY-MM-DD): the renderer formats them for the
 * reader's locale. Texts a person typed (a note, a reason, a step's name, a mail server's answer)
 * are parameters and are shown as typed.
 */
import { formatMoney } from './money.ts';

export type Lang = 'nl' | 'en';
/** A label that exists in both languages (a debtor status, a dispute reason): stored with the event, so later renames do not rewrite history. */
export type Label = { key: string; nl: string; en: string };
/** How the renderer writes amounts and dates; the web passes its own (the browser's locale). */
export type EventFormat = { money(cents: number, currency?: string): string; date(iso: string): string };

export type OutboxStateName = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced' | 'uncertain' | 'cancelled' | 'to_print' | 'printed' | 'posted';
/** Why a move happened, when the system knows it (else `detail` holds what a person or a mail server said). */
export type MoveNote =
  | { code: 'no_email'; }
  | { code: 'retry'; error: string; at: string }
  | { code: 'resend' }
  | { code: 'confirmed_sent' }
  | { code: 'confirmed_not_sent' }
  | { code: 'bounce' }
  | { code: 'print_batch'; runId: number }
  | { code: 'posted_on'; date: string }
  | { code: 'no_mail_server' }
  | { code: 'email_failed_before' }
  | { code: 'text'; text: string };

type Source = { file?: string | null; source?: 'manual' | 'import' | 'einvoice' };
type Manual = { text: string; subject?: string | null; outcome?: string | null };
type OutboxMove = { move: OutboxStateName; step: string; totalCents: number | null; currency: string | null; to?: string[] | null; note?: MoveNote | null };
type RunQueued = { step: string; numbers: string[]; totalCents: number; currency: string; creditCents: number; note?: MoveNote | null };
type StatementQueued = { statement: true; emails: string[] | null; count: number; totalCents: number; currency: string };
/** A text in both languages, stored with the event (a bank's return reason, a return's kind). */
type Bilingual = { nl: string; en: string };
/** A mail read from the mailbox: who sent it, what it says (or its subject), and whether a person assigned it to this debtor. */
type InboundLine = { from: string | null; text: string; until?: string | null; assigned?: boolean };
/** An accounting package (Moneybird, Yuki …) a connector copies from: its name, as `from`. */
type Package = { from: string };

export type EventParams = {
  debtor_created: Source & { from?: string | null };
  debtor_updated: Source & { fields?: string[]; tags?: string[]; creditNotes?: string | null; from?: string | null };
  debtor_hold: { reason?: string | null };
  debtor_release: Record<string, never>;
  item_created: Source & { number: string; credit: boolean; amountCents: number; currency: string; from?: string | null };
  item_updated: Source & { number: string; fields?: string[]; from?: string | null };
  items_imported: { count: number; file: string };
  item_hold: { number: string; reason: string };
  item_release: { number: string };
  credit_settled: { number: string; invoices: number; amountCents: number; currency?: string };
  write_off: { number: string; amountCents: number; currency?: string; reason: string };
  task_created: { title: string; dueDate: string; assignedTo?: string | null };
  task_assigned: { title: string; to: string | null };
  task_changed: { title: string; dueDate?: string; priority?: 1 | 2 | 3 };
  task_done: { title: string; outcome?: string | null };
  task_cancelled: { title: string; outcome?: string | null };
  status_changed: { from: Label; to: Label; automatic?: boolean; pausesChase?: boolean; note?: string | null };
  dispute_opened: { reason: Label; numbers: string[]; description?: string | null; deadline: string };
  dispute_resolved: { id: number; resolution: string; creditCents: number; creditNumber?: string | null; continues: boolean; note?: string | null };
  note: Manual;
  call: Manual;
  mail_in: Manual;
  mail_out: Manual | { copyOf: string; to?: string | null; disputeId: number };
  letter: Manual;
  agreement: Manual;
  promise_created: { amountCents: number; date: string; numbers: string[]; note?: string | null };
  promise_changed: { from: { amountCents: number; date: string }; to: { amountCents: number; date: string }; note?: string | null };
  promise_kept: { paidCents: number; amountCents: number; date: string };
  promise_broken: { paidCents: number; amountCents: number; date: string };
  promise_cancelled: { amountCents: number; date: string };
  payment_plan_created: { id: number; totalCents: number; currency: string; count: number; eachCents: number | null; first: string; last: string; interest: 'suspended' | 'waived' | 'added'; extraCents: number };
  payment_plan_completed: { id: number; totalCents: number };
  payment_plan_broken: { id: number; seq: number; amountCents: number; dueDate: string; remainingCents: number; withInterest: boolean };
  payment_plan_cancelled: { id: number };
  payment_received: { amountCents: number; currency: string; date: string; how: 'auto' | 'confirmed'; matchKind: string };
  payment_returned: { amountCents: number; currency: string; date: string; how: 'auto' | 'confirmed'; matchKind: string };
  payment_undone: { bankLineId: number; amountCents: number; currency?: string };
  mandate_added: { mandateId: string; scheme: string; file?: string | null };
  mandate_revoked: { mandateId: string; date: string };
  mandate_amended: { mandateId: string; newMandateId?: string | null; newIban?: string | null };
  collection_added: { number: string; amountCents: number; date: string; mandateId: string; batch: string; retry?: boolean };
  einvoice_findings: { number: string; rules: string[] };
  dunning_task: RunQueued;
  dunning_queued: RunQueued | StatementQueued | OutboxMove;
  dunning_to_print: RunQueued | OutboxMove;
  dunning_sending: OutboxMove;
  dunning_sent: OutboxMove;
  dunning_failed: OutboxMove;
  dunning_bounced: OutboxMove;
  dunning_uncertain: OutboxMove | { step: string; interrupted: true };
  dunning_cancelled: OutboxMove;
  dunning_printed: OutboxMove;
  dunning_posted: OutboxMove;
  dunning_letter_ready: { statement: boolean };
  dunning_skipped: { step: string; reason: string; message: { nl: string; en: string } };
  // direct debit: the policy, the pre-notification, what the bank did with a collection
  collect_policy: { enabled: boolean };
  collection_prenotified: { totalCents: number; date: string; numbers: string[] };
  collection_settled: { number: string; amountCents: number; date: string; batch: string; alreadyPaidCents?: number };
  collection_returned: { number: string; amountCents: number; date: string; returned: Bilingual; reason: Bilingual; returnInfo?: string | null };
  collection_return_charges: { chargesCents: number; charged: boolean };
  mandate_ended: { mandateId: string; reason: Bilingual };
  // accounting package connectors
  item_closed_by_package: Package & { number: string; why: 'deleted' | 'gone'; amountCents: number; currency?: string };
  item_settled_by_package: Package & { number: string; status: 'credited' | 'paid' | 'partly_paid'; amountCents: number; currency?: string };
  item_reopened_by_package: Package & { number: string; amountCents: number; currency?: string };
  sync_problem: Package & { number: string; contact: string };
  sync_conflict: Package & { number: string; about: 'amount' | 'open'; packageCents: number; hereCents: number; currency?: string };
  // mail read from the mailbox
  email_undeliverable: { addresses: string[] };
  inbound_delay: { reason: string };
  inbound_reply: InboundLine;
  inbound_auto_reply: InboundLine;
  inbound_bounce: InboundLine;
  // the debtor portal and online payment
  portal_link_made: Record<string, never>;
  portal_links_revoked: { count: number };
  portal_paid_reported: { amountCents: number; date: string; numbers: string[]; proof: boolean; note?: string | null };
  portal_attachment: { disputeId: number; filename: string };
  portal_plan_proposed: { count: number; amountCents: number; numbers: string[]; why: string; note?: string | null };
  portal_message: { text: string };
  portal_email_requested: { email: string };
  portal_email_confirmed: { email: string };
  psp_payment_started: { amountCents: number; numbers: string[]; paymentId: string };
  psp_paid: { amountCents: number; paymentId: string; numbers: string[]; toCredit: boolean; creditCents: number };
  psp_reopened: { amountCents: number; paymentId: string; numbers: string[] };
  // refunds of a credit balance
  refund_proposed: { amountCents: number; iban: string };
  refund_approved: { endToEndId: string; amountCents: number };
  refund_exported: { endToEndId: string; amountCents: number; messageId: string };
  refund_paid: { endToEndId: string; amountCents: number; date: string };
};

export type EventKind = keyof EventParams;
export type DomainEvent = { [K in EventKind]: { kind: K; params: EventParams[K] } }[EventKind];

/** Make an event (the kind checks its params). */
export const ev = <K extends EventKind>(kind: K, params: EventParams[K]): DomainEvent => ({ kind, params }) as DomainEvent;

const FIELD: Record<string, { nl: string; en: string }> = {
  number: { nl: 'nummer', en: 'number' }, name: { nl: 'naam', en: 'name' }, type: { nl: 'soort', en: 'type' }, email: { nl: 'e-mail', en: 'e-mail' },
  emails: { nl: 'e-mail', en: 'e-mail' }, phone: { nl: 'telefoon', en: 'phone' }, iban: { nl: 'IBAN', en: 'IBAN' }, ibans: { nl: 'IBAN', en: 'IBAN' },
  language: { nl: 'taal', en: 'language' }, address: { nl: 'adres', en: 'address' }, addressLine: { nl: 'adres', en: 'address' }, postalCode: { nl: 'postcode', en: 'postal code' },
  city: { nl: 'plaats', en: 'city' }, country: { nl: 'land', en: 'country' }, onHold: { nl: 'on hold', en: 'on hold' }, holdReason: { nl: 'reden on hold', en: 'hold reason' },
  issueDate: { nl: 'factuurdatum', en: 'issue date' }, issue_date: { nl: 'factuurdatum', en: 'issue date' }, dueDate: { nl: 'vervaldatum', en: 'due date' }, due_date: { nl: 'vervaldatum', en: 'due date' },
  amountCents: { nl: 'bedrag', en: 'amount' }, amount_cents: { nl: 'bedrag', en: 'amount' }, amount: { nl: 'bedrag', en: 'amount' }, currency: { nl: 'valuta', en: 'currency' },
  description: { nl: 'omschrijving', en: 'description' }, paymentReference: { nl: 'betalingskenmerk', en: 'payment reference' }, payment_reference: { nl: 'betalingskenmerk', en: 'payment reference' },
  segment: { nl: 'segment', en: 'segment' }, responsible: { nl: 'verantwoordelijke', en: 'responsible' }, kvk: { nl: 'KvK-nummer', en: 'Chamber of Commerce number' }, vatNumber: { nl: 'btw-nummer', en: 'VAT number' },
};
const fields = (fs: readonly string[] | undefined, l: Lang) => (fs ?? []).map((f) => FIELD[f]?.[l] ?? f).join(', ');
const list = (xs: readonly string[]) => xs.join(', ');
const paren = (s: string | null | undefined) => (s ? ` (${s})` : '');
const PRIORITY = { nl: { 1: 'hoog', 2: 'normaal', 3: 'laag' }, en: { 1: 'high', 2: 'normal', 3: 'low' } } as const;
const CALL_OUTCOME: Record<string, { nl: string; en: string }> = {
  reached: { nl: 'gesproken', en: 'spoke to them' }, no_answer: { nl: 'geen gehoor', en: 'no answer' }, voicemail: { nl: 'voicemail ingesproken', en: 'left a voicemail' },
  wrong_number: { nl: 'verkeerd nummer', en: 'wrong number' }, promise_made: { nl: 'belofte gedaan', en: 'promise made' }, dispute_raised: { nl: 'geschil gemeld', en: 'dispute raised' },
  callback_requested: { nl: 'terugbellen gevraagd', en: 'call back requested' }, other: { nl: 'anders', en: 'other' },
};
const MANUAL: Record<'note' | 'call' | 'mail_in' | 'mail_out' | 'letter' | 'agreement', { nl: string; en: string }> = {
  note: { nl: 'Notitie', en: 'Note' }, call: { nl: 'Telefoongesprek', en: 'Phone call' }, mail_in: { nl: 'Mail ontvangen', en: 'Mail received' },
  mail_out: { nl: 'Mail verstuurd', en: 'Mail sent' }, letter: { nl: 'Brief', en: 'Letter' }, agreement: { nl: 'Afspraak', en: 'Agreement' },
};
const RESOLUTION: Record<string, { nl: string; en: string }> = {
  credit_note: { nl: 'creditnota', en: 'credit note' }, partial_credit: { nl: 'gedeeltelijke creditnota', en: 'partial credit note' },
  rejected: { nl: 'afgewezen', en: 'rejected' }, withdrawn: { nl: 'ingetrokken', en: 'withdrawn' },
};
const MATCH_KIND: Record<string, { nl: string; en: string }> = {
  reference: { nl: 'betalingskenmerk', en: 'payment reference' }, 'end-to-end': { nl: 'end-to-end-id', en: 'end-to-end id' }, 'invoice-number': { nl: 'factuurnummer', en: 'invoice number' },
  combined: { nl: 'meerdere posten', en: 'several items' }, 'iban-amount': { nl: 'IBAN en bedrag', en: 'IBAN and amount' }, 'name-amount': { nl: 'naam en bedrag', en: 'name and amount' },
  partial: { nl: 'deelbetaling', en: 'partial payment' }, overpayment: { nl: 'te veel betaald', en: 'overpayment' }, 'invoice-minus-credit': { nl: 'factuur min creditnota', en: 'invoice minus credit note' },
  return: { nl: 'terugboeking', en: 'return' }, manual: { nl: 'met de hand', en: 'by hand' },
};
const word = (m: Record<string, { nl: string; en: string }>, k: string, l: Lang) => m[k]?.[l] ?? k;

function manual(kind: keyof typeof MANUAL, p: Manual, l: Lang): string {
  const head = kind === 'call' && p.outcome ? `${MANUAL.call[l]} (${word(CALL_OUTCOME, p.outcome, l)})` : MANUAL[kind][l];
  const body = [p.subject, p.text].filter((x) => x && x.trim()).join(': ');
  return (body ? `${head}: ${body}` : head).slice(0, 2000);
}

export function moveNote(n: MoveNote, l: Lang, f: EventFormat): string {
  switch (n.code) {
    case 'no_email': return l === 'nl' ? 'geen e-mailadres bekend: brief per post' : 'no e-mail address known: a letter by post';
    case 'retry': return l === 'nl' ? `${n.error} (wordt opnieuw geprobeerd na ${n.at} UTC)` : `${n.error} (retried after ${n.at} UTC)`;
    case 'resend': return l === 'nl' ? 'opnieuw versturen' : 'send again';
    case 'confirmed_sent': return l === 'nl' ? 'door een persoon bevestigd als verzonden' : 'confirmed as sent by a person';
    case 'confirmed_not_sent': return l === 'nl' ? 'door een persoon vastgesteld: niet verzonden' : 'a person established it was not sent';
    case 'bounce': return l === 'nl' ? 'bounce ontvangen' : 'bounce received';
    case 'print_batch': return l === 'nl' ? `printbatch run ${n.runId}` : `print batch of run ${n.runId}`;
    case 'posted_on': return l === 'nl' ? `gepost op ${f.date(n.date)}` : `posted on ${f.date(n.date)}`;
    case 'no_mail_server': return l === 'nl' ? 'geen mailserver ingesteld: als brief' : 'no mail server set up: as a letter';
    case 'email_failed_before': return l === 'nl' ? 'e-mail kwam eerder niet aan: nu als brief' : 'e-mail did not arrive before: now as a letter';
    case 'text': return n.text;
  }
}

const STATE: Record<OutboxStateName, { nl: string; en: string }> = {
  queued: { nl: 'in de wachtrij voor e-mail', en: 'waiting to be e-mailed' },
  sending: { nl: 'wordt verzonden', en: 'being sent' },
  sent: { nl: 'verstuurd', en: 'sent' },
  failed: { nl: 'niet verzonden (mislukt)', en: 'not sent (failed)' },
  bounced: { nl: 'onbestelbaar (bounce)', en: 'undeliverable (bounce)' },
  uncertain: { nl: 'onzeker of verzonden: controleer en beslis', en: 'unknown whether sent: check and decide' },
  cancelled: { nl: 'geannuleerd', en: 'cancelled' },
  to_print: { nl: 'klaar om te printen', en: 'ready to print' },
  printed: { nl: 'geprint', en: 'printed' },
  posted: { nl: 'gepost', en: 'posted' },
};

function outboxMove(p: OutboxMove, l: Lang, f: EventFormat): string {
  const what = p.totalCents !== null ? `${p.step} (${f.money(p.totalCents, p.currency ?? 'EUR')})` : p.step;
  const to = p.move === 'sent' && p.to?.length ? (l === 'nl' ? ` aan ${list(p.to)}` : ` to ${list(p.to)}`) : '';
  return `${what}: ${STATE[p.move][l]}${to}${p.note ? ` — ${moveNote(p.note, l, f)}` : ''}`;
}

function runQueued(kind: 'dunning_task' | 'dunning_queued' | 'dunning_to_print', p: RunQueued, l: Lang, f: EventFormat): string {
  const how = l === 'nl'
    ? { dunning_task: ': belopdracht aangemaakt', dunning_queued: ': in de wachtrij voor e-mail', dunning_to_print: ': brief klaar om te printen' }[kind]
    : { dunning_task: ': call task created', dunning_queued: ': waiting to be e-mailed', dunning_to_print: ': letter ready to print' }[kind];
  const why = p.note ? ` (${moveNote(p.note, l, f)})` : '';
  const credit = p.creditCents ? (l === 'nl' ? ` (na aftrek van ${f.money(-p.creditCents, p.currency)} tegoed)` : ` (after deducting ${f.money(-p.creditCents, p.currency)} credit)`) : '';
  return `${p.step}${how}${why} ${l === 'nl' ? 'voor' : 'for'} ${list(p.numbers)}: ${f.money(p.totalCents + p.creditCents, p.currency)}${credit}`;
}

function statementQueued(p: StatementQueued, l: Lang, f: EventFormat): string {
  if (l === 'nl') return `Rekeningoverzicht klaargezet ${p.emails ? `per e-mail aan ${list(p.emails)}` : 'als brief om te printen en te versturen (geen e-mailadres bekend)'}: ${p.count} openstaande post(en), saldo ${f.money(p.totalCents, p.currency)}`;
  return `Statement of account prepared ${p.emails ? `by e-mail to ${list(p.emails)}` : 'as a letter to print and post (no e-mail address known)'}: ${p.count} open item(s), balance ${f.money(p.totalCents, p.currency)}`;
}

const queuedAny = (kind: 'dunning_queued' | 'dunning_to_print', p: RunQueued | StatementQueued | OutboxMove, l: Lang, f: EventFormat) =>
  'move' in p ? outboxMove(p, l, f) : 'statement' in p ? statementQueued(p, l, f) : runQueued(kind, p, l, f);

function inbound(head: string, p: InboundLine, l: Lang, f: EventFormat): string {
  const from = p.from ?? (l === 'nl' ? 'onbekende afzender' : 'unknown sender');
  const until = p.until ? (l === 'nl' ? ` (afwezig t/m ${f.date(p.until)})` : ` (away until ${f.date(p.until)})`) : '';
  const assigned = p.assigned ? (l === 'nl' ? ' toegewezen' : ' assigned') : '';
  return `${head} ${l === 'nl' ? 'van' : 'from'} ${from}${until}${assigned}: ${p.text}`.slice(0, 500);
}

type Texts = { [K in EventKind]: { [L in Lang]: (p: EventParams[K], f: EventFormat) => string } };

const TEXTS: Texts = {
  debtor_created: {
    nl: (p) => p.from ? `Debiteur overgenomen uit ${p.from}` : p.source === 'einvoice' ? `Debiteur aangemaakt uit e-factuur ${p.file ?? ''}` : p.file ? `Debiteur aangemaakt door import van ${p.file}` : 'Debiteur aangemaakt',
    en: (p) => p.from ? `Debtor taken over from ${p.from}` : p.source === 'einvoice' ? `Debtor created from e-invoice ${p.file ?? ''}` : p.file ? `Debtor created by the import of ${p.file}` : 'Debtor created',
  },
  debtor_updated: {
    nl: (p) => p.from ? `Gewijzigd in ${p.from}: ${fields(p.fields, 'nl')}` : p.tags ? `Labels: ${list(p.tags) || '(geen)'}` : p.creditNotes !== undefined ? `Kredietvoorwaarden: ${p.creditNotes ?? '(leeg)'}` : p.file ? `Gewijzigd door import van ${p.file}: ${fields(p.fields, 'nl')}` : `Gewijzigd: ${fields(p.fields, 'nl')}`,
    en: (p) => p.from ? `Changed in ${p.from}: ${fields(p.fields, 'en')}` : p.tags ? `Tags: ${list(p.tags) || '(none)'}` : p.creditNotes !== undefined ? `Credit terms: ${p.creditNotes ?? '(empty)'}` : p.file ? `Changed by the import of ${p.file}: ${fields(p.fields, 'en')}` : `Changed: ${fields(p.fields, 'en')}`,
  },
  debtor_hold: { nl: (p) => `Debiteur on hold gezet${p.reason ? `: ${p.reason}` : ''}`, en: (p) => `Debtor put on hold${p.reason ? `: ${p.reason}` : ''}` },
  debtor_release: { nl: () => 'Debiteur vrijgegeven (niet meer on hold)', en: () => 'Debtor released (no longer on hold)' },
  item_created: {
    nl: (p, f) => `${p.credit ? 'Creditnota' : 'Factuur'} ${p.number} ${p.from ? `overgenomen uit ${p.from}` : p.source === 'einvoice' ? 'geïmporteerd uit e-factuur' : 'aangemaakt'} (${f.money(p.amountCents, p.currency)})`,
    en: (p, f) => `${p.credit ? 'Credit note' : 'Invoice'} ${p.number} ${p.from ? `taken over from ${p.from}` : p.source === 'einvoice' ? 'imported from an e-invoice' : 'created'} (${f.money(p.amountCents, p.currency)})`,
  },
  item_updated: {
    nl: (p) => p.from ? `${p.number} gewijzigd in ${p.from}: ${fields(p.fields, 'nl')}` : p.source === 'einvoice' ? `${p.number} bijgewerkt uit e-factuur ${p.file ?? ''}` : p.file ? `${p.number} gewijzigd door import van ${p.file}: ${fields(p.fields, 'nl')}` : `${p.number} gewijzigd: ${fields(p.fields, 'nl')}`,
    en: (p) => p.from ? `${p.number} changed in ${p.from}: ${fields(p.fields, 'en')}` : p.source === 'einvoice' ? `${p.number} updated from e-invoice ${p.file ?? ''}` : p.file ? `${p.number} changed by the import of ${p.file}: ${fields(p.fields, 'en')}` : `${p.number} changed: ${fields(p.fields, 'en')}`,
  },
  items_imported: { nl: (p) => `${p.count} post(en) geïmporteerd uit ${p.file}`, en: (p) => `${p.count} item(s) imported from ${p.file}` },
  item_hold: { nl: (p) => `${p.number} on hold: ${p.reason}`, en: (p) => `${p.number} on hold: ${p.reason}` },
  item_release: { nl: (p) => `${p.number} vrijgegeven`, en: (p) => `${p.number} released` },
  credit_settled: {
    nl: (p, f) => `${p.number} verrekend met ${p.invoices} factu(u)r(en): ${f.money(p.amountCents, p.currency)}`,
    en: (p, f) => `${p.number} set off against ${p.invoices} invoice(s): ${f.money(p.amountCents, p.currency)}`,
  },
  write_off: { nl: (p, f) => `${p.number} afgeboekt: ${f.money(p.amountCents, p.currency)} (${p.reason})`, en: (p, f) => `${p.number} written off: ${f.money(p.amountCents, p.currency)} (${p.reason})` },
  task_created: {
    nl: (p, f) => `Taak: ${p.title} (uiterlijk ${f.date(p.dueDate)}${p.assignedTo ? `, ${p.assignedTo}` : ''})`,
    en: (p, f) => `Task: ${p.title} (by ${f.date(p.dueDate)}${p.assignedTo ? `, ${p.assignedTo}` : ''})`,
  },
  task_assigned: { nl: (p) => `Taak "${p.title}" toegewezen aan ${p.to ?? '(niemand)'}`, en: (p) => `Task "${p.title}" assigned to ${p.to ?? '(nobody)'}` },
  task_changed: {
    nl: (p, f) => `Taak "${p.title}": ${[...(p.dueDate ? [`uiterlijk ${f.date(p.dueDate)}`] : []), ...(p.priority ? [`prioriteit ${PRIORITY.nl[p.priority]}`] : [])].join(', ')}`,
    en: (p, f) => `Task "${p.title}": ${[...(p.dueDate ? [`by ${f.date(p.dueDate)}`] : []), ...(p.priority ? [`priority ${PRIORITY.en[p.priority]}`] : [])].join(', ')}`,
  },
  task_done: { nl: (p) => `Taak afgerond: ${p.title}${p.outcome ? ` — ${p.outcome}` : ''}`, en: (p) => `Task done: ${p.title}${p.outcome ? ` — ${p.outcome}` : ''}` },
  task_cancelled: { nl: (p) => `Taak geannuleerd: ${p.title}${p.outcome ? ` — ${p.outcome}` : ''}`, en: (p) => `Task cancelled: ${p.title}${p.outcome ? ` — ${p.outcome}` : ''}` },
  status_changed: {
    nl: (p) => `Status ${p.from.nl} → ${p.to.nl}${p.automatic ? ' (automatisch)' : p.pausesChase ? ' (aanmanen gepauzeerd)' : ''}${p.note ? `: ${p.note}` : ''}`,
    en: (p) => `Status ${p.from.en} → ${p.to.en}${p.automatic ? ' (automatic)' : p.pausesChase ? ' (dunning paused)' : ''}${p.note ? `: ${p.note}` : ''}`,
  },
  dispute_opened: {
    nl: (p, f) => `Geschil geopend (${p.reason.nl}) over ${list(p.numbers)}${p.description ? `: ${p.description}` : ''}; termijn ${f.date(p.deadline)}`,
    en: (p, f) => `Dispute opened (${p.reason.en}) about ${list(p.numbers)}${p.description ? `: ${p.description}` : ''}; deadline ${f.date(p.deadline)}`,
  },
  dispute_resolved: {
    nl: (p, f) => `Geschil #${p.id} opgelost: ${word(RESOLUTION, p.resolution, 'nl')}${[...(p.creditCents > 0 ? [`; ${f.money(p.creditCents)} gecrediteerd${paren(p.creditNumber)}`] : []), ...(p.continues ? ['; de aanmaning gaat verder'] : [])].join('')}${paren(p.note)}`,
    en: (p, f) => `Dispute #${p.id} resolved: ${word(RESOLUTION, p.resolution, 'en')}${[...(p.creditCents > 0 ? [`; ${f.money(p.creditCents)} credited${paren(p.creditNumber)}`] : []), ...(p.continues ? ['; dunning continues'] : [])].join('')}${paren(p.note)}`,
  },
  note: { nl: (p) => manual('note', p, 'nl'), en: (p) => manual('note', p, 'en') },
  call: { nl: (p) => manual('call', p, 'nl'), en: (p) => manual('call', p, 'en') },
  mail_in: { nl: (p) => manual('mail_in', p, 'nl'), en: (p) => manual('mail_in', p, 'en') },
  mail_out: {
    nl: (p) => 'copyOf' in p ? `Factuurkopie ${p.copyOf} opnieuw verstuurd${p.to ? ` aan ${p.to}` : ''} (geschil #${p.disputeId})` : manual('mail_out', p, 'nl'),
    en: (p) => 'copyOf' in p ? `Copy of invoice ${p.copyOf} sent again${p.to ? ` to ${p.to}` : ''} (dispute #${p.disputeId})` : manual('mail_out', p, 'en'),
  },
  letter: { nl: (p) => manual('letter', p, 'nl'), en: (p) => manual('letter', p, 'en') },
  agreement: { nl: (p) => manual('agreement', p, 'nl'), en: (p) => manual('agreement', p, 'en') },
  promise_created: {
    nl: (p, f) => `Betalingsbelofte: ${f.money(p.amountCents)} uiterlijk ${f.date(p.date)}${p.numbers.length ? ` voor ${list(p.numbers)}` : ''}${paren(p.note)}`,
    en: (p, f) => `Promise to pay: ${f.money(p.amountCents)} by ${f.date(p.date)}${p.numbers.length ? ` for ${list(p.numbers)}` : ''}${paren(p.note)}`,
  },
  promise_changed: {
    nl: (p, f) => `Betalingsbelofte gewijzigd: ${f.money(p.from.amountCents)} uiterlijk ${f.date(p.from.date)} → ${f.money(p.to.amountCents)} uiterlijk ${f.date(p.to.date)}${paren(p.note)}`,
    en: (p, f) => `Promise to pay changed: ${f.money(p.from.amountCents)} by ${f.date(p.from.date)} → ${f.money(p.to.amountCents)} by ${f.date(p.to.date)}${paren(p.note)}`,
  },
  promise_kept: {
    nl: (p, f) => `Betalingsbelofte nagekomen: ${f.money(p.paidCents)} ontvangen (beloofd ${f.money(p.amountCents)} op ${f.date(p.date)})`,
    en: (p, f) => `Promise to pay kept: ${f.money(p.paidCents)} received (promised ${f.money(p.amountCents)} on ${f.date(p.date)})`,
  },
  promise_broken: {
    nl: (p, f) => `Betalingsbelofte niet nagekomen: ${f.money(p.amountCents)} op ${f.date(p.date)}, ${p.paidCents > 0 ? `${f.money(p.paidCents)} ontvangen` : 'niets ontvangen'}; de aanmaning gaat verder`,
    en: (p, f) => `Promise to pay broken: ${f.money(p.amountCents)} on ${f.date(p.date)}, ${p.paidCents > 0 ? `${f.money(p.paidCents)} received` : 'nothing received'}; dunning continues`,
  },
  promise_cancelled: {
    nl: (p, f) => `Betalingsbelofte van ${f.money(p.amountCents)} op ${f.date(p.date)} ingetrokken`,
    en: (p, f) => `Promise to pay of ${f.money(p.amountCents)} on ${f.date(p.date)} withdrawn`,
  },
  payment_plan_created: {
    nl: (p, f) => {
      const each = p.eachCents !== null ? `${p.count} × ${f.money(p.eachCents, p.currency)}` : `${p.count} termijnen`;
      const dates = p.count === 1 ? `op ${f.date(p.first)}` : `van ${f.date(p.first)} t/m ${f.date(p.last)}`;
      const interest = { suspended: 'rente en kosten opgeschort zolang de regeling loopt', waived: 'rente en kosten vervallen als de regeling wordt nagekomen', added: `rente en kosten ${f.money(p.extraCents, p.currency)} toegevoegd` }[p.interest];
      return `Betalingsregeling #${p.id}: ${f.money(p.totalCents, p.currency)} in ${each}, ${dates}; ${interest}`;
    },
    en: (p, f) => {
      const each = p.eachCents !== null ? `${p.count} × ${f.money(p.eachCents, p.currency)}` : `${p.count} instalments`;
      const dates = p.count === 1 ? `on ${f.date(p.first)}` : `from ${f.date(p.first)} to ${f.date(p.last)}`;
      const interest = { suspended: 'interest and costs suspended while the plan runs', waived: 'interest and costs waived if the plan is kept', added: `interest and costs of ${f.money(p.extraCents, p.currency)} added` }[p.interest];
      return `Payment plan #${p.id}: ${f.money(p.totalCents, p.currency)} in ${each}, ${dates}; ${interest}`;
    },
  },
  payment_plan_completed: { nl: (p, f) => `Betalingsregeling #${p.id} nagekomen: ${f.money(p.totalCents)} betaald`, en: (p, f) => `Payment plan #${p.id} kept: ${f.money(p.totalCents)} paid` },
  payment_plan_broken: {
    nl: (p, f) => `Betalingsregeling #${p.id} vervallen: termijn ${p.seq} van ${f.money(p.amountCents)} (vervaldatum ${f.date(p.dueDate)}) niet betaald; het resterende bedrag ${f.money(p.remainingCents)} wordt weer aangemaand${p.withInterest ? ', met rente en kosten' : ''}`,
    en: (p, f) => `Payment plan #${p.id} broken: instalment ${p.seq} of ${f.money(p.amountCents)} (due ${f.date(p.dueDate)}) not paid; the remaining ${f.money(p.remainingCents)} is chased again${p.withInterest ? ', with interest and costs' : ''}`,
  },
  payment_plan_cancelled: { nl: (p) => `Betalingsregeling #${p.id} beëindigd`, en: (p) => `Payment plan #${p.id} ended` },
  payment_received: {
    nl: (p, f) => `Betaling ${f.money(p.amountCents, p.currency)} van ${f.date(p.date)}${p.how === 'auto' ? ' automatisch geboekt' : ' bevestigd'} (${word(MATCH_KIND, p.matchKind, 'nl')})`,
    en: (p, f) => `Payment ${f.money(p.amountCents, p.currency)} of ${f.date(p.date)}${p.how === 'auto' ? ' booked automatically' : ' confirmed'} (${word(MATCH_KIND, p.matchKind, 'en')})`,
  },
  payment_returned: {
    nl: (p, f) => `Terugboeking ${f.money(p.amountCents, p.currency)} van ${f.date(p.date)}${p.how === 'auto' ? ' automatisch geboekt' : ' bevestigd'} (${word(MATCH_KIND, p.matchKind, 'nl')})`,
    en: (p, f) => `Return ${f.money(p.amountCents, p.currency)} of ${f.date(p.date)}${p.how === 'auto' ? ' booked automatically' : ' confirmed'} (${word(MATCH_KIND, p.matchKind, 'en')})`,
  },
  payment_undone: {
    nl: (p, f) => `Boeking van bankregel ${p.bankLineId} (${f.money(p.amountCents, p.currency)}) ongedaan gemaakt`,
    en: (p, f) => `Booking of bank line ${p.bankLineId} (${f.money(p.amountCents, p.currency)}) undone`,
  },
  mandate_added: {
    nl: (p) => `Incassomachtiging ${p.mandateId} (${p.scheme}) ${p.file ? `ingelezen uit ${p.file}` : 'vastgelegd'}`,
    en: (p) => `Direct debit mandate ${p.mandateId} (${p.scheme}) ${p.file ? `read from ${p.file}` : 'recorded'}`,
  },
  mandate_revoked: { nl: (p, f) => `Incassomachtiging ${p.mandateId} ingetrokken per ${f.date(p.date)}`, en: (p, f) => `Direct debit mandate ${p.mandateId} revoked as of ${f.date(p.date)}` },
  mandate_amended: {
    nl: (p) => `Incassomachtiging ${p.mandateId} gewijzigd${p.newMandateId ? ` in ${p.newMandateId}` : ''}${p.newIban ? `, nieuwe IBAN ${p.newIban}` : ''}`,
    en: (p) => `Direct debit mandate ${p.mandateId} changed${p.newMandateId ? ` to ${p.newMandateId}` : ''}${p.newIban ? `, new IBAN ${p.newIban}` : ''}`,
  },
  collection_added: {
    nl: (p, f) => `Factuur ${p.number} (${f.money(p.amountCents)}) wordt op ${f.date(p.date)}${p.retry ? ' opnieuw' : ''} geïncasseerd met machtiging ${p.mandateId} (batch ${p.batch})`,
    en: (p, f) => `Invoice ${p.number} (${f.money(p.amountCents)}) is collected${p.retry ? ' again' : ''} on ${f.date(p.date)} with mandate ${p.mandateId} (batch ${p.batch})`,
  },
  einvoice_findings: {
    nl: (p) => `E-factuur ${p.number} voldoet niet aan ${p.rules.length ? list(p.rules) : 'alle regels'}; vraag zo nodig een correcte factuur aan`,
    en: (p) => `E-invoice ${p.number} breaks ${p.rules.length ? list(p.rules) : 'some rules'}; ask for a correct invoice if needed`,
  },
  dunning_task: { nl: (p, f) => runQueued('dunning_task', p, 'nl', f), en: (p, f) => runQueued('dunning_task', p, 'en', f) },
  dunning_queued: { nl: (p, f) => queuedAny('dunning_queued', p, 'nl', f), en: (p, f) => queuedAny('dunning_queued', p, 'en', f) },
  dunning_to_print: { nl: (p, f) => queuedAny('dunning_to_print', p, 'nl', f), en: (p, f) => queuedAny('dunning_to_print', p, 'en', f) },
  dunning_sending: { nl: (p, f) => outboxMove(p, 'nl', f), en: (p, f) => outboxMove(p, 'en', f) },
  dunning_sent: { nl: (p, f) => outboxMove(p, 'nl', f), en: (p, f) => outboxMove(p, 'en', f) },
  dunning_failed: { nl: (p, f) => outboxMove(p, 'nl', f), en: (p, f) => outboxMove(p, 'en', f) },
  dunning_bounced: { nl: (p, f) => outboxMove(p, 'nl', f), en: (p, f) => outboxMove(p, 'en', f) },
  dunning_uncertain: {
    nl: (p, f) => 'interrupted' in p ? `Verzending van ${p.step} onderbroken: niet zeker of de mail is verstuurd. Controleer en markeer als verzonden of niet verzonden; er wordt niets vanzelf opnieuw verstuurd` : outboxMove(p, 'nl', f),
    en: (p, f) => 'interrupted' in p ? `Sending ${p.step} was interrupted: unknown whether the mail went out. Check and mark it sent or not sent; nothing is resent by itself` : outboxMove(p, 'en', f),
  },
  dunning_cancelled: { nl: (p, f) => outboxMove(p, 'nl', f), en: (p, f) => outboxMove(p, 'en', f) },
  dunning_printed: { nl: (p, f) => outboxMove(p, 'nl', f), en: (p, f) => outboxMove(p, 'en', f) },
  dunning_posted: { nl: (p, f) => outboxMove(p, 'nl', f), en: (p, f) => outboxMove(p, 'en', f) },
  dunning_letter_ready: {
    nl: (p) => `${p.statement ? 'Rekeningoverzicht' : 'Brief'} klaar om te printen en per post te versturen (telt pas als gepost)`,
    en: (p) => `${p.statement ? 'Statement of account' : 'Letter'} ready to print and post (counts only once posted)`,
  },
  dunning_skipped: { nl: (p) => `Overgeslagen (${p.step}): ${p.message.nl}`, en: (p) => `Skipped (${p.step}): ${p.message.en}` },
  collect_policy: {
    nl: (p) => `Incasseren in plaats van herinneren: ${p.enabled ? 'aan' : 'uit'}`,
    en: (p) => `Collect by direct debit instead of reminding: ${p.enabled ? 'on' : 'off'}`,
  },
  collection_prenotified: {
    nl: (p, f) => `Vooraankondiging verstuurd: ${f.money(p.totalCents)} wordt op ${f.date(p.date)} geïncasseerd (${list(p.numbers)})`,
    en: (p, f) => `Pre-notification sent: ${f.money(p.totalCents)} is collected on ${f.date(p.date)} (${list(p.numbers)})`,
  },
  collection_settled: {
    nl: (p, f) => `Incasso van factuur ${p.number} (${f.money(p.amountCents)}) ontvangen op ${f.date(p.date)} (batch ${p.batch})${p.alreadyPaidCents ? `; ${f.money(p.alreadyPaidCents)} al eerder betaald en staat als tegoed` : ''}`,
    en: (p, f) => `Direct debit of invoice ${p.number} (${f.money(p.amountCents)}) received on ${f.date(p.date)} (batch ${p.batch})${p.alreadyPaidCents ? `; ${f.money(p.alreadyPaidCents)} had already been paid and is kept as credit` : ''}`,
  },
  collection_returned: {
    nl: (p, f) => `Incasso van factuur ${p.number} (${f.money(p.amountCents)}) ${p.returned.nl} op ${f.date(p.date)}: ${p.reason.nl}${p.returnInfo ? ` ("${p.returnInfo}")` : ''}`,
    en: (p, f) => `Direct debit of invoice ${p.number} (${f.money(p.amountCents)}) ${p.returned.en} on ${f.date(p.date)}: ${p.reason.en}${p.returnInfo ? ` ("${p.returnInfo}")` : ''}`,
  },
  collection_return_charges: {
    nl: (p, f) => `Bankkosten van de storno (${f.money(p.chargesCents)}) ${p.charged ? 'in rekening gebracht' : 'blijven voor eigen rekening (beleid)'}`,
    en: (p, f) => `Bank charges of the return (${f.money(p.chargesCents)}) ${p.charged ? 'charged to the debtor' : 'borne by us (policy)'}`,
  },
  mandate_ended: {
    nl: (p) => `Machtiging ${p.mandateId} beëindigd na storno: ${p.reason.nl}`,
    en: (p) => `Mandate ${p.mandateId} ended after a return: ${p.reason.en}`,
  },
  item_closed_by_package: {
    nl: (p, f) => `${p.number} gesloten: ${p.why === 'deleted' ? `verwijderd in ${p.from}` : `twee keer niet meer openstaand in ${p.from}`} (${f.money(p.amountCents, p.currency)})`,
    en: (p, f) => `${p.number} closed: ${p.why === 'deleted' ? `deleted in ${p.from}` : `twice no longer open in ${p.from}`} (${f.money(p.amountCents, p.currency)})`,
  },
  item_settled_by_package: {
    nl: (p, f) => `${p.number} ${{ credited: 'gecrediteerd', paid: 'betaald', partly_paid: 'deels betaald' }[p.status]} in ${p.from}: ${f.money(p.amountCents, p.currency)}`,
    en: (p, f) => `${p.number} ${{ credited: 'credited', paid: 'paid', partly_paid: 'partly paid' }[p.status]} in ${p.from}: ${f.money(p.amountCents, p.currency)}`,
  },
  item_reopened_by_package: {
    nl: (p, f) => `${p.number} weer open in ${p.from}: ${f.money(p.amountCents, p.currency)}`,
    en: (p, f) => `${p.number} open again in ${p.from}: ${f.money(p.amountCents, p.currency)}`,
  },
  sync_problem: {
    nl: (p) => `${p.number} uit ${p.from} overgeslagen: onbekende relatie ${p.contact}`,
    en: (p) => `${p.number} from ${p.from} skipped: unknown contact ${p.contact}`,
  },
  sync_conflict: {
    nl: (p, f) => p.about === 'amount'
      ? `${p.number}: bedrag in ${p.from} is ${f.money(p.packageCents, p.currency)}, hier ${f.money(p.hereCents, p.currency)}; niet overgenomen (er zijn al betalingen of het soort stuk verschilt)`
      : `${p.number}: in ${p.from} staat ${f.money(p.packageCents, p.currency)} open, hier ${f.money(p.hereCents, p.currency)} (betaling hier geboekt die ${p.from} nog niet kent?)`,
    en: (p, f) => p.about === 'amount'
      ? `${p.number}: amount in ${p.from} is ${f.money(p.packageCents, p.currency)}, here ${f.money(p.hereCents, p.currency)}; not taken over (there are payments already or the document type differs)`
      : `${p.number}: ${f.money(p.packageCents, p.currency)} is open in ${p.from}, here ${f.money(p.hereCents, p.currency)} (a payment booked here that ${p.from} does not know yet?)`,
  },
  email_undeliverable: {
    nl: (p) => `E-mailadres ${list(p.addresses)} onbestelbaar: volgende stappen gaan per post`,
    en: (p) => `E-mail address ${list(p.addresses)} undeliverable: next steps go by post`,
  },
  inbound_delay: {
    nl: (p) => `Bezorging vertraagd (${p.reason}); de mailserver probeert het opnieuw`,
    en: (p) => `Delivery delayed (${p.reason}); the mail server tries again`,
  },
  inbound_reply: { nl: (p, f) => inbound('Antwoord', p, 'nl', f), en: (p, f) => inbound('Reply', p, 'en', f) },
  inbound_auto_reply: { nl: (p, f) => inbound('Automatisch antwoord', p, 'nl', f), en: (p, f) => inbound('Automatic reply', p, 'en', f) },
  inbound_bounce: { nl: (p, f) => inbound('Bounce', p, 'nl', f), en: (p, f) => inbound('Bounce', p, 'en', f) },
  portal_link_made: { nl: () => 'Portaallink gemaakt om door te geven', en: () => 'Portal link made to pass on' },
  portal_links_revoked: { nl: (p) => `Portaallinks ingetrokken (${p.count})`, en: (p) => `Portal links revoked (${p.count})` },
  portal_paid_reported: {
    nl: (p, f) => `Debiteur meldt via het portaal ${f.money(p.amountCents)} betaald te hebben op ${f.date(p.date)} (${list(p.numbers)})${p.proof ? '; bewijs bijgevoegd' : ''}${p.note ? `: ${p.note}` : ''}`,
    en: (p, f) => `Debtor reports through the portal having paid ${f.money(p.amountCents)} on ${f.date(p.date)} (${list(p.numbers)})${p.proof ? '; proof attached' : ''}${p.note ? `: ${p.note}` : ''}`,
  },
  portal_attachment: { nl: (p) => `Bijlage bij geschil #${p.disputeId}: ${p.filename}`, en: (p) => `Attachment to dispute #${p.disputeId}: ${p.filename}` },
  portal_plan_proposed: {
    nl: (p, f) => `Voorstel betalingsregeling via portaal: ${p.count} termijnen voor ${f.money(p.amountCents)} (${list(p.numbers)}); buiten de grenzen: ${p.why}${p.note ? `. Toelichting: ${p.note}` : ''}`,
    en: (p, f) => `Payment plan proposed through the portal: ${p.count} instalments for ${f.money(p.amountCents)} (${list(p.numbers)}); outside the limits: ${p.why}${p.note ? `. Explanation: ${p.note}` : ''}`,
  },
  portal_message: { nl: (p) => `Bericht via het portaal: ${p.text}`, en: (p) => `Message through the portal: ${p.text}` },
  portal_email_requested: {
    nl: (p) => `Debiteur vraagt via het portaal het e-mailadres ${p.email} te gebruiken (wacht op bevestiging)`,
    en: (p) => `Debtor asks through the portal to use the e-mail address ${p.email} (awaiting confirmation)`,
  },
  portal_email_confirmed: { nl: (p) => `E-mailadres ${p.email} bevestigd via het portaal`, en: (p) => `E-mail address ${p.email} confirmed through the portal` },
  psp_payment_started: {
    nl: (p, f) => `Betaling gestart via het portaal: ${f.money(p.amountCents)} voor ${list(p.numbers)} (Mollie ${p.paymentId})`,
    en: (p, f) => `Payment started through the portal: ${f.money(p.amountCents)} for ${list(p.numbers)} (Mollie ${p.paymentId})`,
  },
  psp_paid: {
    nl: (p, f) => `Online betaald via Mollie: ${f.money(p.amountCents)} (${p.paymentId}) geboekt op ${list([...p.numbers, ...(p.toCredit ? ['tegoed'] : [])])}${p.creditCents > 0 ? `; ${f.money(p.creditCents)} als tegoed (intussen al betaald)` : ''}`,
    en: (p, f) => `Paid online through Mollie: ${f.money(p.amountCents)} (${p.paymentId}) booked on ${list([...p.numbers, ...(p.toCredit ? ['credit'] : [])])}${p.creditCents > 0 ? `; ${f.money(p.creditCents)} as credit (already paid in the meantime)` : ''}`,
  },
  psp_reopened: {
    nl: (p, f) => `Mollie-betaling ${p.paymentId}: ${f.money(p.amountCents)} terugbetaald of teruggeboekt (chargeback); ${list(p.numbers)} staat weer open`,
    en: (p, f) => `Mollie payment ${p.paymentId}: ${f.money(p.amountCents)} refunded or charged back; ${list(p.numbers)} open again`,
  },
  refund_proposed: {
    nl: (p, f) => `Terugbetaling van het tegoed (${f.money(p.amountCents)}) voorgesteld naar ${p.iban}`,
    en: (p, f) => `Refund of the credit balance (${f.money(p.amountCents)}) proposed to ${p.iban}`,
  },
  refund_approved: { nl: (p, f) => `Terugbetaling ${p.endToEndId} (${f.money(p.amountCents)}) goedgekeurd`, en: (p, f) => `Refund ${p.endToEndId} (${f.money(p.amountCents)}) approved` },
  refund_exported: {
    nl: (p, f) => `Terugbetaling ${p.endToEndId} (${f.money(p.amountCents)}) klaargezet voor de bank (${p.messageId})`,
    en: (p, f) => `Refund ${p.endToEndId} (${f.money(p.amountCents)}) prepared for the bank (${p.messageId})`,
  },
  refund_paid: {
    nl: (p, f) => `Terugbetaling ${p.endToEndId} (${f.money(p.amountCents)}) afgeschreven op ${f.date(p.date)} en geboekt tegen het tegoed`,
    en: (p, f) => `Refund ${p.endToEndId} (${f.money(p.amountCents)}) debited on ${f.date(p.date)} and booked against the credit balance`,
  },
};

export const EVENT_KINDS = Object.keys(TEXTS) as EventKind[];
export const isEventKind = (k: string): k is EventKind => Object.hasOwn(TEXTS, k);

/** Calendar dates and amounts per language, without a browser (CLI, exports, the stored Dutch line). */
export function plainFormat(lang: Lang): EventFormat {
  return {
    money: (cents, currency = 'EUR') => formatMoney(cents, currency, lang),
    date: (d) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? (lang === 'nl' ? `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}` : `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`) : d),
  };
}

/** One event in one language. */
export function renderEvent(e: DomainEvent, lang: Lang, f: EventFormat = plainFormat(lang)): string {
  const t = TEXTS[e.kind][lang] as (p: unknown, f: EventFormat) => string;
  return t(e.params, f);
}

/**
 * A stored timeline row in one language: typed rows (params present, a known kind) are rendered,
 * rows from before typed events keep their stored text as it was written.
 */
export function renderStored(row: { kind: string; params?: unknown; summary: string }, lang: Lang, f: EventFormat = plainFormat(lang)): string {
  if (row.params === null || row.params === undefined || typeof row.params !== 'object' || !isEventKind(row.kind)) return row.summary;
  try {
    return renderEvent({ kind: row.kind, params: row.params } as DomainEvent, lang, f);
  } catch {
    return row.summary;
  }
}

const move = (m: OutboxStateName): OutboxMove => ({ move: m, step: 'Herinnering', totalCents: 12100, currency: 'EUR', to: ['ap@klant.nl'], note: null });
const run: RunQueued = { step: 'Aanmaning', numbers: ['F2026-001', 'F2026-002'], totalCents: 24200, currency: 'EUR', creditCents: -5000, note: { code: 'no_email' } };
const statusLabel = (key: string, nl: string, en: string): Label => ({ key, nl, en });

/** One example of every kind (the renderer test renders each in both languages). */
export const EVENT_SAMPLES: { [K in EventKind]: EventParams[K][] } = {
  debtor_created: [{}, { file: 'debiteuren.csv', source: 'import' }, { file: 'f.xml', source: 'einvoice' }, { from: 'Moneybird' }],
  debtor_updated: [{ fields: ['email', 'phone'] }, { fields: ['name'], file: 'd.csv', source: 'import' }, { tags: ['bouw'] }, { creditNotes: null }, { fields: ['email', 'dueDate'], from: 'Yuki' }],
  debtor_hold: [{ reason: 'curator' }, {}],
  debtor_release: [{}],
  item_created: [{ number: 'F1', credit: false, amountCents: 2186668, currency: 'EUR' }, { number: 'C1', credit: true, amountCents: -500, currency: 'EUR', source: 'einvoice', file: 'c.xml' }, { number: 'F1', credit: false, amountCents: 12100, currency: 'EUR', from: 'Moneybird' }],
  item_updated: [{ number: 'F1', fields: ['dueDate', 'amountCents'] }, { number: 'F1', source: 'einvoice', file: 'f.xml' }, { number: 'F1', fields: ['description'], file: 'f.csv', source: 'import' }, { number: 'F1', fields: ['amount', 'dueDate'], from: 'Yuki' }],
  items_imported: [{ count: 3, file: 'facturen.csv' }],
  item_hold: [{ number: 'F1', reason: 'klacht' }],
  item_release: [{ number: 'F1' }],
  credit_settled: [{ number: 'C1', invoices: 2, amountCents: 5000 }],
  write_off: [{ number: 'F1', amountCents: 1234, reason: 'klein saldo' }],
  task_created: [{ title: 'Bellen', dueDate: '2026-12-04', assignedTo: 'Anna' }],
  task_assigned: [{ title: 'Bellen', to: 'Anna' }, { title: 'Bellen', to: null }],
  task_changed: [{ title: 'Bellen', dueDate: '2026-12-05', priority: 1 }],
  task_done: [{ title: 'Bellen', outcome: 'Gesproken' }],
  task_cancelled: [{ title: 'Bellen' }],
  status_changed: [{ from: statusLabel('normal', 'Normaal', 'Normal'), to: statusLabel('collection_agency', 'Incassobureau', 'Collection agency'), pausesChase: true, note: 'x' }, { from: statusLabel('normal', 'Normaal', 'Normal'), to: statusLabel('promise', 'Betalingsbelofte', 'Promise to pay'), automatic: true }],
  dispute_opened: [{ reason: { key: 'quality', nl: 'Kwaliteit', en: 'Quality' }, numbers: ['F1'], description: 'kapot', deadline: '2026-12-18' }],
  dispute_resolved: [{ id: 3, resolution: 'credit_note', creditCents: 5000, creditNumber: 'CR-G3', continues: true, note: null }],
  note: [{ text: 'OK' }],
  call: [{ text: '', outcome: 'no_answer' }],
  mail_in: [{ text: 'OK', subject: 'Re: F1' }],
  mail_out: [{ text: 'OK' }, { copyOf: 'F1', to: 'ap@klant.nl', disputeId: 3 }],
  letter: [{ text: 'OK' }],
  agreement: [{ text: 'OK' }],
  promise_created: [{ amountCents: 50000, date: '2026-12-20', numbers: ['F1'], note: null }],
  promise_changed: [{ from: { amountCents: 50000, date: '2026-12-20' }, to: { amountCents: 40000, date: '2026-12-22' } }],
  promise_kept: [{ paidCents: 50000, amountCents: 50000, date: '2026-12-20' }],
  promise_broken: [{ paidCents: 0, amountCents: 50000, date: '2026-12-20' }, { paidCents: 100, amountCents: 50000, date: '2026-12-20' }],
  promise_cancelled: [{ amountCents: 50000, date: '2026-12-20' }],
  payment_plan_created: [{ id: 1, totalCents: 60000, currency: 'EUR', count: 6, eachCents: 10000, first: '2027-01-01', last: '2027-06-01', interest: 'suspended', extraCents: 0 }, { id: 2, totalCents: 60000, currency: 'EUR', count: 1, eachCents: null, first: '2027-01-01', last: '2027-01-01', interest: 'added', extraCents: 500 }],
  payment_plan_completed: [{ id: 1, totalCents: 60000 }],
  payment_plan_broken: [{ id: 1, seq: 2, amountCents: 10000, dueDate: '2027-02-01', remainingCents: 50000, withInterest: true }],
  payment_plan_cancelled: [{ id: 1 }],
  payment_received: [{ amountCents: 2186668, currency: 'EUR', date: '2026-11-22', how: 'auto', matchKind: 'reference' }],
  payment_returned: [{ amountCents: 12100, currency: 'EUR', date: '2026-11-22', how: 'confirmed', matchKind: 'return' }],
  payment_undone: [{ bankLineId: 7, amountCents: 12100 }],
  mandate_added: [{ mandateId: 'M1', scheme: 'CORE' }, { mandateId: 'M1', scheme: 'B2B', file: 'm.csv' }],
  mandate_revoked: [{ mandateId: 'M1', date: '2026-12-01' }],
  mandate_amended: [{ mandateId: 'M1', newMandateId: 'M2', newIban: 'NL91ABNA0417164300' }],
  collection_added: [{ number: 'F1', amountCents: 12100, date: '2026-12-08', mandateId: 'M1', batch: 'B1' }, { number: 'F1', amountCents: 12100, date: '2026-12-08', mandateId: 'M1', batch: 'B1', retry: true }],
  einvoice_findings: [{ number: 'F1', rules: ['BR-NL-1'] }, { number: 'F1', rules: [] }],
  dunning_task: [run],
  dunning_queued: [{ ...run, note: null, creditCents: 0 }, { statement: true, emails: ['ap@klant.nl'], count: 2, totalCents: 24200, currency: 'EUR' }, { statement: true, emails: null, count: 2, totalCents: 24200, currency: 'EUR' }, { ...move('queued'), note: { code: 'retry', error: '421 busy', at: '2026-12-03 10:00' } }],
  dunning_to_print: [run, move('to_print')],
  dunning_sending: [move('sending')],
  dunning_sent: [move('sent')],
  dunning_failed: [{ ...move('failed'), note: { code: 'text', text: '550 5.1.1' } }],
  dunning_bounced: [{ ...move('bounced'), note: { code: 'bounce' } }],
  dunning_uncertain: [{ step: 'Herinnering', interrupted: true }, { ...move('uncertain'), note: { code: 'confirmed_not_sent' } }],
  dunning_cancelled: [move('cancelled')],
  dunning_printed: [{ ...move('printed'), note: { code: 'print_batch', runId: 4 } }],
  dunning_posted: [{ ...move('posted'), note: { code: 'posted_on', date: '2026-12-03' } }],
  dunning_letter_ready: [{ statement: true }, { statement: false }],
  dunning_skipped: [{ step: 'reminder', reason: 'debtor_on_hold', message: { nl: 'Debiteur staat on hold', en: 'The debtor is on hold' } }],
  collect_policy: [{ enabled: true }, { enabled: false }],
  collection_prenotified: [{ totalCents: 24200, date: '2026-12-08', numbers: ['F1', 'F2'] }],
  collection_settled: [{ number: 'F1', amountCents: 12100, date: '2026-12-08', batch: 'B1' }, { number: 'F1', amountCents: 12100, date: '2026-12-08', batch: 'B1', alreadyPaidCents: 2100 }],
  collection_returned: [{ number: 'F1', amountCents: 12100, date: '2026-12-10', returned: { nl: 'gestorneerd', en: 'returned' }, reason: { nl: 'AM04 onvoldoende saldo', en: 'AM04 insufficient funds' }, returnInfo: 'AM04' }],
  collection_return_charges: [{ chargesCents: 350, charged: true }, { chargesCents: 350, charged: false }],
  mandate_ended: [{ mandateId: 'M1', reason: { nl: 'MD01 geen machtiging', en: 'MD01 no mandate' } }],
  item_closed_by_package: [{ from: 'Moneybird', number: 'F1', why: 'deleted', amountCents: 12100 }, { from: 'Yuki', number: 'F1', why: 'gone', amountCents: 12100, currency: 'EUR' }],
  item_settled_by_package: [{ from: 'Moneybird', number: 'F1', status: 'paid', amountCents: 12100 }, { from: 'Yuki', number: 'F1', status: 'partly_paid', amountCents: 100 }, { from: 'Yuki', number: 'F1', status: 'credited', amountCents: 100 }],
  item_reopened_by_package: [{ from: 'Moneybird', number: 'F1', amountCents: 12100 }],
  sync_problem: [{ from: 'Moneybird', number: 'F1', contact: '4711' }],
  sync_conflict: [{ from: 'Moneybird', number: 'F1', about: 'amount', packageCents: 12100, hereCents: 10000 }, { from: 'Yuki', number: 'F1', about: 'open', packageCents: 12100, hereCents: 2100 }],
  email_undeliverable: [{ addresses: ['ap@klant.nl'] }],
  inbound_delay: [{ reason: '4.4.1 timeout' }],
  inbound_reply: [{ from: 'Jan Jansen', text: 'Graag bellen' }, { from: null, text: 'Re: F1', assigned: true }],
  inbound_auto_reply: [{ from: 'ap@klant.nl', text: 'Re: F1', until: '2026-12-14' }],
  inbound_bounce: [{ from: 'mailer-daemon@klant.nl', text: '550 5.1.1', assigned: true }],
  portal_link_made: [{}],
  portal_links_revoked: [{ count: 2 }],
  portal_paid_reported: [{ amountCents: 12100, date: '2026-12-01', numbers: ['F1'], proof: true, note: 'ING' }, { amountCents: 12100, date: '2026-12-01', numbers: ['F1'], proof: false }],
  portal_attachment: [{ disputeId: 3, filename: 'foto.jpg' }],
  portal_plan_proposed: [{ count: 12, amountCents: 60000, numbers: ['F1'], why: '12 > 6', note: 'ING' }],
  portal_message: [{ text: 'Graag bellen' }],
  portal_email_requested: [{ email: 'ap@klant.nl' }],
  portal_email_confirmed: [{ email: 'ap@klant.nl' }],
  psp_payment_started: [{ amountCents: 12100, numbers: ['F1', 'F2'], paymentId: 'tr_7UhSN1zuXS' }],
  psp_paid: [{ amountCents: 12100, paymentId: 'tr_7UhSN1zuXS', numbers: ['F1'], toCredit: false, creditCents: 0 }, { amountCents: 12100, paymentId: 'tr_7UhSN1zuXS', numbers: ['F1'], toCredit: true, creditCents: 2100 }],
  psp_reopened: [{ amountCents: 12100, paymentId: 'tr_7UhSN1zuXS', numbers: ['F1'] }],
  refund_proposed: [{ amountCents: 2100, iban: 'NL91ABNA0417164300' }],
  refund_approved: [{ endToEndId: 'VRD-TB-1-1', amountCents: 2100 }],
  refund_exported: [{ endToEndId: 'VRD-TB-1-1', amountCents: 2100, messageId: 'VRD-TB-20261201' }],
  refund_paid: [{ endToEndId: 'VRD-TB-1-1', amountCents: 2100, date: '2026-12-02' }],
};
