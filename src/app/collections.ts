/**
 * SEPA direct debit collections (first slice of issue 17): a batch of the open invoices due by the
 * collection date of debtors with an active mandate, written as pain.008 and recorded in one
 * transaction. Load → decide → commit: candidates and mandates are loaded, the pure writer decides
 * the file (refusing any field a bank would refuse), the batch and its items are stored and the
 * mandates marked used. The items of a pending batch are paused from dunning until the outcome is
 * known (store/care.ts loadChaseGates). Not yet: the return loop (settling by EndToEndId,
 * R-transactions), pre-notification, refunds.
 */
import type { Db } from '../store/db.ts';
import { lockAdministration, type Administration } from '../store/administrations.ts';
import { addEvents } from '../store/events.ts';
import { ev } from '../domain/events.ts';
import { activeMandatesOf, collectCandidates, countBatches, getBatchFile, insertBatch, listBatches, type BatchSummary } from '../store/collections.ts';
import { markMandatesUsed } from '../store/mandates.ts';
import type { Mandate } from '../store/mandates.ts';
import { PAIN008_VERSIONS, writePain008, type DirectDebit, type Pain008Version } from '../formats/pain008.ts';
import { isIsoDate } from '../domain/dates.ts';
import { formatCents } from '../domain/money.ts';
import { isValidBetalingskenmerk, isValidCreditorId, isValidIban, isValidRf, normalizeReference } from '../domain/references.ts';
import { identifierProblem } from '../domain/sepa/charset.ts';
import { mandateState, sequenceType } from '../domain/sepa/mandate.ts';
import { collectionDateProblem, DEFAULT_LEAD_DAYS } from '../domain/sepa/target2.ts';
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
    const messageId = `VRD-${admin.id}-DD-${n}`;
    const skipped: CollectSkip[] = [];
    const oneOffUsed = new Set<number>();
    const chosen: { c: (typeof candidates)[number]; m: Mandate; d: DirectDebit }[] = [];
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
      const readable = `${c.number}-B${n}`;
      const endToEndId = identifierProblem(readable) === null ? readable : `VRD-I${c.itemId}-B${n}`;
      chosen.push({
        c, m,
        d: {
          endToEndId, amountCents: c.openCents, collectionDate: input.date, scheme: m.scheme, sequenceType: sequenceType(m),
          creditorIban: admin.iban!, creditorBic: admin.bic, mandateId: m.mandateId, signatureDate: m.signatureDate,
          amendment: m.originalMandateId || m.originalIban ? { originalMandateId: m.originalMandateId, originalIban: m.originalIban } : null,
          debtorName: c.debtorName, debtorIban: m.iban, debtorBic: m.bic, remittance: remittanceOf(c.number, c.paymentReference),
        },
      });
    }
    if (!chosen.length)
      throw invalid(`nothing to collect on ${input.date}: no open invoice due by then of a debtor with an active mandate`, [{ field: 'date', code: 'nothing_to_collect', message: `no open invoice due by ${input.date} of a debtor with an active mandate` }]);
    const written = writePain008({ messageId, createdAt: input.createdAt, creditorName: admin.legalName ?? admin.name, creditorId: admin.creditorId!, debits: chosen.map((x) => x.d) }, format);
    if (!written.ok)
      throw invalid('the direct debit file was not written: some data would be refused by the bank', written.problems.map((p) => ({
        field: p.field, code: p.code, message: p.index !== null ? `${chosen[p.index]!.c.debtorNumber} ${chosen[p.index]!.c.number}: ${p.message}` : p.message,
      })));
    const pmtInfOf = new Map<number, string>();
    for (const pi of written.paymentInfos) for (const i of pi.debits) pmtInfOf.set(i, pi.paymentInfoId);
    const batchId = await insertBatch(tx, admin.id, { messageId, collectionDate: input.date, format, txCount: written.count, totalCents: written.totalCents, xml: written.xml, createdBy: input.actor ?? null },
      chosen.map((x, i) => ({ itemId: x.c.itemId, mandateId: x.m.id, endToEndId: x.d.endToEndId, paymentInfoId: pmtInfOf.get(i)!, sequenceType: x.d.sequenceType, amountCents: x.d.amountCents })));
    await markMandatesUsed(tx, admin.id, [...new Set(chosen.map((x) => x.m.id))], input.date);
    await addEvents(tx, admin.id, chosen.map((x) => ({
      debtorId: x.c.debtorId, itemId: x.c.itemId, event: ev('collection_added', { number: x.c.number, amountCents: x.d.amountCents, date: input.date, mandateId: x.m.mandateId, batch: messageId }),
      data: { batchId, messageId, endToEndId: x.d.endToEndId, mandateId: x.m.mandateId, collectionDate: input.date, amountCents: x.d.amountCents }, actor: input.actor ?? null,
    })));
    return {
      batchId, messageId, format, collectionDate: input.date, count: written.count, totalCents: written.totalCents, controlSum: formatCents(written.totalCents),
      paymentInfos: written.paymentInfos.map((p) => ({ paymentInfoId: p.paymentInfoId, scheme: p.scheme, sequenceType: p.sequenceType, count: p.count, totalCents: p.totalCents })),
      skipped, xml: written.xml,
    };
  });
}

export async function batches(db: Db, admin: Administration): Promise<BatchSummary[]> {
  return listBatches(db, admin.id);
}

export async function batchFile(db: Db, admin: Administration, id: number): Promise<{ filename: string; xml: string }> {
  const f = await getBatchFile(db, admin.id, id);
  if (!f) throw notFound(`collection batch ${id}`);
  return { filename: `${f.messageId}.${f.format}.xml`, xml: f.xml };
}
