/**
 * SEPA direct debit collections (first slice of issue 17): a batch of the open invoices due by the
 * collection date of debtors with an active mandate, written as pain.008 and recorded in one
 * transaction. Load → decide → commit: candidates and mandates are loaded, the pure writer decides
 * the file (refusing any field a bank would refuse), the batch and its items are stored and the
 * mandates marked used. The items of a pending batch are paused from dunning until the outcome is
 * known (store/care.ts loadChaseGates). Not yet: the return loop (settling by EndToEndId,
 * R-transactions), pre-notification, refunds.
 */
import type { Db, Queryable, Tx } from '../store/db.ts';
import { lockAdministration, type Administration } from '../store/administrations.ts';
import { addEvents } from '../store/events.ts';
import { ev } from '../domain/events.ts';
import { activeMandatesOf, batchOutcomes, candidatesByItemIds, debtorCollections, listReturns, type BatchOutcome, type CollectionHistoryRow, type ReturnRow, collectCandidates, countBatches, getBatchFile, insertBatch, listBatches, type BatchSummary, type CollectCandidate } from '../store/collections.ts';
import { listMandates, markMandatesUsed } from '../store/mandates.ts';
import type { Mandate } from '../store/mandates.ts';
import { PAIN008_VERSIONS, writePain008, type DirectDebit, type Pain008Version } from '../formats/pain008.ts';
import { addDays, isIsoDate } from '../domain/dates.ts';
import { formatCents } from '../domain/money.ts';
import { isValidBetalingskenmerk, isValidCreditorId, isValidIban, isValidRf, normalizeReference } from '../domain/references.ts';
import { identifierProblem } from '../domain/sepa/charset.ts';
import { mandateState, sequenceType } from '../domain/sepa/mandate.ts';
import { reasonText } from '../domain/sepa/returns.ts';
import { preNotificationDeadline, preNotificationMail } from '../domain/sepa/prenotification.ts';
import { sepaSettingsOf } from '../domain/sepa/settings.ts';
import { sendAdministrationMail } from './mail/config.ts';
import { collectionDateProblem, DEFAULT_LEAD_DAYS, earliestCollectionDate } from '../domain/sepa/target2.ts';
import { invalid, notFound, type Problem } from './errors.ts';

export type CollectInput = {
  /** The requested collection date (ReqdColltnDt). */
  date: string;
  /** The day the file is handed to the bank (today). */
  asOf: string;
  format?: Pain008Version;
  /** TARGET2 business days the bank needs (default 1: D-1). */
  leadDays?: number;
  /** `YYYY-MM-DDTHH:MM:SS` for the file header (the edge passes the clock). */
  createdAt: string;
  actor?: string | null;
};

export type CollectSkip = { debtorNumber: string; itemNumber: string; reason: 'no_active_mandate' | 'one_off_mandate_once' | 'b2b_consumer'; message: string };

export type CollectResult = {
  batchId: number;
  messageId: string;
  format: Pain008Version;
  collectionDate: string;
  count: number;
  totalCents: number;
  /** The control sum as written in the file. */
  controlSum: string;
  paymentInfos: { paymentInfoId: string; scheme: string; sequenceType: string; count: number; totalCents: number }[];
  skipped: CollectSkip[];
  xml: string;
};

const DATE_TEXT = {
  too_early: (d: string, x: string) => `the collection date ${d} is inside the bank's lead time: the earliest is ${x}`,
  not_business_day: (d: string, x: string) => `the collection date ${d} is not a TARGET2 business day: the next one is ${x}`,
  too_far_ahead: (d: string, x: string) => `the collection date ${d} is more than 14 days ahead: banks take the file from ${x} on`,
};

/** The structured reference when the item carries a valid one (betalingskenmerk → CUR, RF → ISO), else the invoice number as text. */
function remittanceOf(number: string, paymentReference: string | null): DirectDebit['remittance'] {
  const ref = paymentReference ? normalizeReference(paymentReference) : '';
  if (ref && isValidRf(ref)) return { kind: 'reference', issuer: 'ISO', reference: ref };
  if (ref && /^\d+$/.test(ref) && isValidBetalingskenmerk(ref)) return { kind: 'reference', issuer: 'CUR', reference: ref };
  return { kind: 'text', text: `Factuur ${number}` };
}

export async function collect(db: Db, admin: Administration, input: CollectInput): Promise<CollectResult> {
  const format = input.format ?? 'pain.008.001.08';
  const problems: Problem[] = [];
  if (!(PAIN008_VERSIONS as readonly string[]).includes(format)) problems.push({ field: 'format', code: 'invalid', message: `the format must be ${PAIN008_VERSIONS.join(' or ')}` });
  if (!isIsoDate(input.date)) problems.push({ field: 'date', code: 'invalid_date', message: `"${input.date}" is not a date (use YYYY-MM-DD)` });
  else if (!isIsoDate(input.asOf)) problems.push({ field: 'asOf', code: 'invalid_date', message: `"${input.asOf}" is not a date` });
  else {
    const p = collectionDateProblem(input.date, input.asOf, input.leadDays ?? DEFAULT_LEAD_DAYS);
    if (p) problems.push({ field: 'date', code: p.code, message: DATE_TEXT[p.code](input.date, p.code === 'too_early' ? p.earliest : p.code === 'not_business_day' ? p.next : p.latest) });
  }
  if (!admin.creditorId || !isValidCreditorId(admin.creditorId))
    problems.push({ field: 'creditorId', code: admin.creditorId ? 'invalid_creditor_id' : 'required', message: admin.creditorId ? `the creditor identifier "${admin.creditorId}" is not valid` : 'the administration has no creditor identifier (Incassant ID): set it in the settings' });
  if (!admin.iban || !isValidIban(admin.iban)) problems.push({ field: 'iban', code: 'invalid_iban', message: 'the administration has no valid IBAN to collect to' });
  if (problems.length) throw invalid(`nothing was collected: ${problems.map((p) => p.message).join('; ')}`, problems);

  return db.transaction(async (tx) => {
    await lockAdministration(tx, admin.id);
    const candidates = await collectCandidates(tx, admin.id, input.date);
    const mandates = await activeMandatesOf(tx, admin.id, [...new Set(candidates.map((c) => c.debtorId))], input.date);
    const mandateOf = new Map<number, Mandate>();
    for (const m of mandates) {
      if (m.signatureDate > input.date || mandateState(m, input.date).status !== 'active') continue;
      const prev = mandateOf.get(m.debtorId);
      if (!prev || m.signatureDate > prev.signatureDate || (m.signatureDate === prev.signatureDate && m.id > prev.id)) mandateOf.set(m.debtorId, m);
    }
    const n = (await countBatches(tx, admin.id)) + 1;
    const skipped: CollectSkip[] = [];
    const oneOffUsed = new Set<number>();
    const chosen: Chosen[] = [];
    for (const c of candidates) {
      const m = mandateOf.get(c.debtorId);
      if (!m) {
        skipped.push({ debtorNumber: c.debtorNumber, itemNumber: c.number, reason: 'no_active_mandate', message: `${c.debtorNumber}: no mandate active on ${input.date} (expired after 36 months unused, or signed later)` });
        continue;
      }
      if (m.scheme === 'B2B' && c.debtorType === 'consumer') {
        skipped.push({ debtorNumber: c.debtorNumber, itemNumber: c.number, reason: 'b2b_consumer', message: `${c.debtorNumber} is a consumer: mandate ${m.mandateId} is B2B` });
        continue;
      }
      if (!m.recurring) {
        if (oneOffUsed.has(m.id)) {
          skipped.push({ debtorNumber: c.debtorNumber, itemNumber: c.number, reason: 'one_off_mandate_once', message: `${c.debtorNumber}: one-off mandate ${m.mandateId} allows one collection` });
          continue;
        }
        oneOffUsed.add(m.id);
      }
      chosen.push({ c, m, d: directDebitOf(admin, c, m, input.date, n) });
    }
    if (!chosen.length)
      throw invalid(`nothing to collect on ${input.date}: no open invoice due by then of a debtor with an active mandate`, [{ field: 'date', code: 'nothing_to_collect', message: `no open invoice due by ${input.date} of a debtor with an active mandate` }]);
    const r = await recordBatch(tx, admin, chosen, { n, date: input.date, format, createdAt: input.createdAt, actor: input.actor ?? null });
    return { ...r, skipped };
  });
}

type Chosen = { c: CollectCandidate; m: Mandate; d: DirectDebit; retryOf?: number };

function directDebitOf(admin: Administration, c: CollectCandidate, m: Mandate, date: string, n: number): DirectDebit {
  const readable = `${c.number}-B${n}`;
  const endToEndId = identifierProblem(readable) === null ? readable : `VRD-I${c.itemId}-B${n}`;
  return {
    endToEndId, amountCents: c.openCents, collectionDate: date, scheme: m.scheme, sequenceType: sequenceType(m),
    creditorIban: admin.iban!, creditorBic: admin.bic, mandateId: m.mandateId, signatureDate: m.signatureDate,
    amendment: m.originalMandateId || m.originalIban ? { originalMandateId: m.originalMandateId, originalIban: m.originalIban } : null,
    debtorName: c.debtorName, debtorIban: m.iban, debtorBic: m.bic, remittance: remittanceOf(c.number, c.paymentReference),
  };
}

/** Writes the pain.008 of the chosen debits (refusing what a bank would refuse) and records the batch, its items, the mandates' use and the timeline. */
async function recordBatch(tx: Tx, admin: Administration, chosen: readonly Chosen[], o: { n: number; date: string; format: Pain008Version; createdAt: string; actor: string | null; retry?: boolean }): Promise<Omit<CollectResult, 'skipped'>> {
  const messageId = `VRD-${admin.id}-DD-${o.n}`;
  const written = writePain008({ messageId, createdAt: o.createdAt, creditorName: admin.legalName ?? admin.name, creditorId: admin.creditorId!, debits: chosen.map((x) => x.d) }, o.format);
  if (!written.ok)
    throw invalid('the direct debit file was not written: some data would be refused by the bank', written.problems.map((p) => ({
      field: p.field, code: p.code, message: p.index !== null ? `${chosen[p.index]!.c.debtorNumber} ${chosen[p.index]!.c.number}: ${p.message}` : p.message,
    })));
  const pmtInfOf = new Map<number, string>();
  for (const pi of written.paymentInfos) for (const i of pi.debits) pmtInfOf.set(i, pi.paymentInfoId);
  const batchId = await insertBatch(tx, admin.id, { messageId, collectionDate: o.date, format: o.format, txCount: written.count, totalCents: written.totalCents, xml: written.xml, createdBy: o.actor },
    chosen.map((x, i) => ({ itemId: x.c.itemId, mandateId: x.m.id, endToEndId: x.d.endToEndId, paymentInfoId: pmtInfOf.get(i)!, sequenceType: x.d.sequenceType, amountCents: x.d.amountCents, retryOf: x.retryOf ?? null })));
  await markMandatesUsed(tx, admin.id, [...new Set(chosen.map((x) => x.m.id))], o.date);
  await addEvents(tx, admin.id, chosen.map((x) => ({
    debtorId: x.c.debtorId, itemId: x.c.itemId, event: ev('collection_added', { number: x.c.number, amountCents: x.d.amountCents, date: o.date, mandateId: x.m.mandateId, batch: messageId, ...(o.retry ? { retry: true } : {}) }),
    data: { batchId, messageId, endToEndId: x.d.endToEndId, mandateId: x.m.mandateId, collectionDate: o.date, amountCents: x.d.amountCents, retry: o.retry === true }, actor: o.actor,
  })));
  return {
    batchId, messageId, format: o.format, collectionDate: o.date, count: written.count, totalCents: written.totalCents, controlSum: formatCents(written.totalCents),
    paymentInfos: written.paymentInfos.map((p) => ({ paymentInfoId: p.paymentInfoId, scheme: p.scheme, sequenceType: p.sequenceType, count: p.count, totalCents: p.totalCents })),
    xml: written.xml,
  };
}

export type RetryRequest = { collectionItemId: number; itemId: number; mandateId: number };

/**
 * AM04 (insufficient funds): the returned items are collected once more, in a new batch on the
 * next possible date (TARGET2, the bank's lead time from `asOf`), in the format of the batch they
 * came back from. Items whose mandate is no longer active, or that are no longer open, are
 * returned in `notRetried` (the caller makes a task instead). Runs in the caller's transaction.
 */
export async function retryCollections(tx: Tx, admin: Administration, reqs: readonly RetryRequest[], o: { asOf: string; createdAt: string; format: Pain008Version; leadDays?: number; actor: string | null }): Promise<{ batch: Omit<CollectResult, 'skipped'> | null; notRetried: RetryRequest[] }> {
  if (!reqs.length) return { batch: null, notRetried: [] };
  const date = earliestCollectionDate(o.asOf, o.leadDays ?? DEFAULT_LEAD_DAYS);
  const candidates = new Map((await candidatesByItemIds(tx, admin.id, reqs.map((r) => r.itemId))).map((c) => [c.itemId, c]));
  const mandates = new Map((await listMandates(tx, admin.id)).map((m) => [m.id, m]));
  const n = (await countBatches(tx, admin.id)) + 1;
  const chosen: Chosen[] = [];
  const notRetried: RetryRequest[] = [];
  for (const r of reqs) {
    const c = candidates.get(r.itemId);
    const m = mandates.get(r.mandateId);
    if (!c || !m || (m.revokedAt !== null && m.revokedAt <= date) || mandateState(m, date).status !== 'active' || !admin.creditorId || !admin.iban) {
      notRetried.push(r);
      continue;
    }
    chosen.push({ c, m, d: directDebitOf(admin, c, m, date, n), retryOf: r.collectionItemId });
  }
  if (!chosen.length) return { batch: null, notRetried };
  return { batch: await recordBatch(tx, admin, chosen, { n, date, format: o.format, createdAt: o.createdAt, actor: o.actor, retry: true }), notRetried };
}

export async function batches(db: Db, admin: Administration): Promise<BatchSummary[]> {
  return listBatches(db, admin.id);
}

export async function batchFile(db: Db, admin: Administration, id: number): Promise<{ filename: string; xml: string }> {
  const f = await getBatchFile(db, admin.id, id);
  if (!f) throw notFound(`collection batch ${id}`);
  return { filename: `${f.messageId}.${f.format}.xml`, xml: f.xml };
}

export type DirectDebitOverview = {
  batches: BatchOutcome[];
  returns: ReturnRow[];
  /** the returns counted per reason code, most frequent first */
  returnsByReason: { reason: string; nl: string; en: string; count: number; totalCents: number }[];
};

/** The direct-debit screen's data: batches with their outcome, the returns and their reasons. */
export async function directDebitOverview(db: Queryable, admin: Administration): Promise<DirectDebitOverview> {
  const returns = await listReturns(db, admin.id);
  const by = new Map<string, { count: number; totalCents: number }>();
  for (const r of returns) {
    const x = by.get(r.reason) ?? { count: 0, totalCents: 0 };
    by.set(r.reason, { count: x.count + 1, totalCents: x.totalCents + r.amountCents });
  }
  return {
    batches: await batchOutcomes(db, admin.id),
    returns,
    returnsByReason: [...by].map(([reason, x]) => ({ reason, nl: reasonText(reason, 'nl'), en: reasonText(reason, 'en'), ...x })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

export async function collectionHistory(db: Queryable, admin: Administration, debtorId: number): Promise<CollectionHistoryRow[]> {
  return debtorCollections(db, admin.id, debtorId);
}

export type PreNotifyResult = {
  collectionDate: string;
  sent: { debtorNumber: string; to: string[]; totalCents: number; itemNumbers: string[] }[];
  skipped: { debtorNumber: string; reason: 'no_email' | 'already_notified' | 'send_failed'; message: string }[];
};

/**
 * The pre-notification (default 14 days before, `settings.sepa.preNotificationDays`): every debtor
 * whose open invoices would be collected on `date` (the same selection as `collect`) is told the
 * amount, the date, the mandate id and the creditor identifier by mail, through the
 * administration's mail server; each notice sent goes on the debtor's timeline, and a debtor told
 * once about a date is not told again. Too late (fewer days left than agreed): refused, naming the
 * first date that can still be announced. Debtors without an e-mail address are listed.
 */
export async function preNotify(db: Db, admin: Administration, input: { date: string; asOf: string; actor?: string | null }): Promise<PreNotifyResult> {
  const days = sepaSettingsOf(admin.settings).preNotificationDays;
  if (!isIsoDate(input.date)) throw invalid(`"${input.date}" is not a date (use YYYY-MM-DD)`, [{ field: 'date', code: 'invalid_date', message: `"${input.date}" is not a date` }]);
  if (preNotificationDeadline(input.date, days) < input.asOf)
    throw invalid(`a collection on ${input.date} can no longer be announced ${days} days ahead: the first date that can is ${addDays(input.asOf, days)}`, [{ field: 'date', code: 'too_late_for_prenotification', message: `announce at least ${days} days ahead: the first date is ${addDays(input.asOf, days)}`, params: { days, earliest: addDays(input.asOf, days) } }]);
  if (!admin.creditorId || !isValidCreditorId(admin.creditorId)) throw invalid('the administration has no valid creditor identifier (Incassant ID)', [{ field: 'creditorId', code: 'required', message: 'set the creditor identifier first' }]);
  const candidates = await collectCandidates(db, admin.id, input.date);
  const mandates = await activeMandatesOf(db, admin.id, [...new Set(candidates.map((c) => c.debtorId))], input.date);
  const mandateOf = new Map<number, Mandate>();
  for (const m of mandates) {
    if (m.signatureDate > input.date || mandateState(m, input.date).status !== 'active') continue;
    const prev = mandateOf.get(m.debtorId);
    if (!prev || m.signatureDate > prev.signatureDate || (m.signatureDate === prev.signatureDate && m.id > prev.id)) mandateOf.set(m.debtorId, m);
  }
  const byDebtor = new Map<number, CollectCandidate[]>();
  for (const c of candidates) {
    const m = mandateOf.get(c.debtorId);
    if (!m || (m.scheme === 'B2B' && c.debtorType === 'consumer')) continue;
    byDebtor.set(c.debtorId, [...(byDebtor.get(c.debtorId) ?? []), ...(m.recurring || !byDebtor.has(c.debtorId) ? [c] : [])]);
  }
  const contacts = new Map((await db.query<{ id: number; emails: string[] | null; language: 'nl' | 'en' }>('SELECT id, emails, language FROM debtors WHERE administration_id = $1 AND id = ANY($2::bigint[])', [admin.id, [...byDebtor.keys()]])).map((r) => [r.id, r]));
  const told = new Set((await db.query<{ debtor_id: number }>(`SELECT DISTINCT debtor_id FROM events WHERE administration_id = $1 AND kind = 'collection_prenotified' AND data->>'collectionDate' = $2 AND debtor_id = ANY($3::bigint[])`, [admin.id, input.date, [...byDebtor.keys()]])).map((r) => Number(r.debtor_id)));
  const out: PreNotifyResult = { collectionDate: input.date, sent: [], skipped: [] };
  const creditorName = admin.legalName ?? admin.name;
  for (const [debtorId, items] of byDebtor) {
    const first = items[0]!;
    if (told.has(debtorId)) { out.skipped.push({ debtorNumber: first.debtorNumber, reason: 'already_notified', message: `${first.debtorNumber} was told about ${input.date} already` }); continue; }
    const contact = contacts.get(debtorId);
    const to = (contact?.emails ?? []).filter((e) => e.includes('@'));
    if (!to.length) { out.skipped.push({ debtorNumber: first.debtorNumber, reason: 'no_email', message: `${first.debtorNumber} has no e-mail address: announce the collection on the invoice or by letter` }); continue; }
    const m = mandateOf.get(debtorId)!;
    const totalCents = items.reduce((s, i) => s + i.openCents, 0);
    const mail = preNotificationMail({ creditorName, creditorId: admin.creditorId, mandateId: m.mandateId, debtorName: first.debtorName, iban: m.iban, date: input.date, totalCents, items: items.map((i) => ({ number: i.number, amountCents: i.openCents })) }, contact?.language === 'en' ? 'en' : 'nl');
    const r = await sendAdministrationMail(admin, { to, subject: mail.subject, text: mail.text });
    if (!r.ok) { out.skipped.push({ debtorNumber: first.debtorNumber, reason: 'send_failed', message: `${first.debtorNumber}: ${r.message}` }); continue; }
    await addEvents(db, admin.id, [{
      debtorId, event: ev('collection_prenotified', { totalCents, date: input.date, numbers: items.map((i) => i.number) }),
      data: { collectionDate: input.date, totalCents, itemIds: items.map((i) => i.itemId), to, mandateId: m.mandateId }, actor: input.actor ?? null,
    }]);
    out.sent.push({ debtorNumber: first.debtorNumber, to, totalCents, itemNumbers: items.map((i) => i.number) });
  }
  return out;
}
