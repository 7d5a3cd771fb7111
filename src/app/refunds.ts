/**
 * Refunds of credit balances (issue 17, *terugbetalen*): a debtor whose items add up to a credit
 * (an overpayment, a credit note larger than what is open) gets a refund proposal; a second person
 * approves it (four-eyes: in the app the proposer cannot approve; the `vorder` operator on the
 * data directory is trusted); approved refunds are written as one pain.001 (.09 by default, .03 on
 * request) — never when the writer refuses a field — and recorded; when the outgoing payment shows
 * on a bank statement (a debit with the refund's EndToEndId and amount) it is booked against the
 * credit balance automatically (`bookRefundPayments`, called by the statement import).
 */
import type { Db, Tx } from '../store/db.ts';
import { lockAdministration, type Administration } from '../store/administrations.ts';
import type { BankLineRow } from '../store/bank.ts';
import { setLineStatus } from '../store/bank.ts';
import { insertBooking } from '../store/bookings.ts';
import { addEvents, type NewEvent } from '../store/events.ts';
import {
  countRefundExports, countRefunds, creditBalances, getRefundExport, hasRefundsOnTheWay, insertRefund, insertRefundExport, listRefunds, refundsByEndToEnd, setRefundApproved, setRefundPaid,
  type CreditBalance, type Refund, type RefundStatus,
} from '../store/refunds.ts';
import { PAIN001_VERSIONS, writePain001, type Pain001Version } from '../formats/pain001.ts';
import { isIsoDate } from '../domain/dates.ts';
import { formatCents, formatMoney } from '../domain/money.ts';
import { isValidIban, normalizeIban } from '../domain/references.ts';
import { nextBusinessDayOnOrAfter } from '../domain/sepa/target2.ts';
import { AppError, invalid, notFound } from './errors.ts';
import { ev } from '../domain/events.ts';

export type { Refund, CreditBalance };

export async function refunds(db: Db, admin: Administration, f: { status?: RefundStatus[]; debtorId?: number } = {}): Promise<Refund[]> {
  return listRefunds(db, admin.id, f);
}

export async function refundCandidates(db: Db, admin: Administration): Promise<CreditBalance[]> {
  return creditBalances(db, admin.id);
}

export type ProposeInput = { debtorId?: number; iban?: string; bic?: string | null; actor: string };
export type ProposeResult = { proposed: Refund[]; skipped: { debtorNumber: string; reason: 'no_iban'; message: string }[] };

/**
 * Proposals for one debtor (optionally to an account the caller names) or for every debtor with a
 * credit balance and no refund in progress. One debtor without a credit balance, or an invalid or
 * missing account: refused naming the field, nothing written.
 */
export async function proposeRefunds(db: Db, admin: Administration, input: ProposeInput): Promise<ProposeResult> {
  const iban = input.iban ? normalizeIban(input.iban) : null;
  if (iban !== null && !isValidIban(iban)) throw invalid(`"${input.iban}" is not a valid IBAN`, [{ field: 'iban', code: 'invalid_iban', message: `"${input.iban}" is not a valid IBAN` }]);
  if (input.iban !== undefined && input.debtorId === undefined) throw invalid('an account can only be named for one debtor', [{ field: 'iban', code: 'debtor_required', message: 'name the debtor whose refund goes to this account' }]);
  return db.transaction(async (tx) => {
    await lockAdministration(tx, admin.id);
    const balances = await creditBalances(tx, admin.id, input.debtorId !== undefined ? [input.debtorId] : null);
    if (input.debtorId !== undefined && !balances.length) {
      const [d] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM debtors WHERE administration_id = $1 AND id = $2', [admin.id, input.debtorId]);
      if (!d!.n) throw notFound(`debtor ${input.debtorId}`);
      const open = await listRefunds(tx, admin.id, { debtorId: input.debtorId, status: ['proposed', 'approved', 'exported'] });
      throw invalid(open.length ? `debtor ${input.debtorId} has a refund in progress already (${open[0]!.endToEndId})` : `debtor ${input.debtorId} has no credit balance to pay back`, [
        { field: 'debtorId', code: open.length ? 'refund_in_progress' : 'no_credit_balance', message: open.length ? 'a refund for this debtor is in progress already' : 'this debtor has no credit balance' },
      ]);
    }
    let n = await countRefunds(tx, admin.id);
    const ids: number[] = [];
    const skipped: ProposeResult['skipped'] = [];
    const events: NewEvent[] = [];
    for (const b of balances) {
      const to = iban ?? b.ibans.find((x) => isValidIban(x)) ?? null;
      if (!to) {
        if (input.debtorId !== undefined) throw invalid(`debtor ${b.debtorNumber} has no known account to pay the refund to: name one`, [{ field: 'iban', code: 'required', message: 'no account is known for this debtor' }]);
        skipped.push({ debtorNumber: b.debtorNumber, reason: 'no_iban', message: `${b.debtorNumber}: no account known to pay ${formatMoney(b.creditCents)} back to` });
        continue;
      }
      const endToEndId = `VRD-TB-${admin.id}-${++n}`;
      ids.push(await insertRefund(tx, admin.id, { debtorId: b.debtorId, amountCents: b.creditCents, iban: to, bic: iban ? (input.bic ?? null) : null, endToEndId, proposedBy: input.actor }));
      events.push({ debtorId: b.debtorId, event: ev('refund_proposed', { amountCents: b.creditCents, iban: to }), data: { endToEndId, amountCents: b.creditCents, iban: to }, actor: input.actor });
    }
    await addEvents(tx, admin.id, events);
    return { proposed: ids.length ? await listRefunds(tx, admin.id, { ids }) : [], skipped };
  });
}

/** Approve a proposal. `trusted`: the operator of the `vorder` command; otherwise the proposer may not approve their own proposal. */
export async function approveRefund(db: Db, admin: Administration, id: number, o: { actor: string; trusted: boolean }): Promise<Refund> {
  return db.transaction(async (tx) => {
    const [r] = await listRefunds(tx, admin.id, { ids: [id], lock: true });
    if (!r) throw notFound(`refund ${id}`);
    if (r.status !== 'proposed') throw new AppError('conflict', `refund ${id} is ${r.status}, not a proposal waiting for approval`);
    if (!o.trusted && r.proposedBy === o.actor) throw new AppError('forbidden', `refund ${id} was proposed by you: a second person must approve it (four-eyes)`, [{ field: 'approvedBy', code: 'four_eyes', message: 'the proposer cannot approve their own refund' }]);
    await setRefundApproved(tx, admin.id, id, o.actor);
    await addEvents(tx, admin.id, [{ debtorId: r.debtorId, event: ev('refund_approved', { endToEndId: r.endToEndId, amountCents: r.amountCents }), data: { refundId: id }, actor: o.actor }]);
    return (await listRefunds(tx, admin.id, { ids: [id] }))[0]!;
  });
}

export type RefundExportResult = { exportId: number; messageId: string; format: Pain001Version; executionDate: string; count: number; totalCents: number; controlSum: string; refundIds: number[]; xml: string };

/**
 * The approved refunds (all, or those named) as one pain.001, recorded with the refunds marked
 * exported. The writer checks every field first: a file it refuses is never written, and nothing
 * changes.
 */
export async function exportRefunds(db: Db, admin: Administration, o: { ids?: number[]; format?: Pain001Version; asOf: string; createdAt: string; actor: string | null }): Promise<RefundExportResult> {
  const format = o.format ?? 'pain.001.001.09';
  if (!(PAIN001_VERSIONS as readonly string[]).includes(format)) throw invalid(`the format must be ${PAIN001_VERSIONS.join(' or ')}`, [{ field: 'format', code: 'invalid', message: `the format must be ${PAIN001_VERSIONS.join(' or ')}` }]);
  if (!isIsoDate(o.asOf)) throw invalid(`"${o.asOf}" is not a date`, [{ field: 'asOf', code: 'invalid_date', message: `"${o.asOf}" is not a date` }]);
  if (!admin.iban || !isValidIban(admin.iban)) throw invalid('the administration has no valid IBAN to pay from', [{ field: 'iban', code: 'invalid_iban', message: 'the administration has no valid IBAN to pay the refunds from' }]);
  return db.transaction(async (tx) => {
    await lockAdministration(tx, admin.id);
    const all = await listRefunds(tx, admin.id, { status: ['approved'], ids: o.ids, lock: true });
    if (o.ids) {
      const missing = o.ids.filter((id) => !all.some((r) => r.id === id));
      if (missing.length) throw invalid(`refund ${missing.join(', ')} is not approved (or does not exist)`, missing.map((id) => ({ field: 'ids', code: 'not_approved', message: `refund ${id} is not an approved refund` })));
    }
    if (!all.length) throw invalid('there is no approved refund to export', [{ field: 'ids', code: 'nothing_to_export', message: 'no approved refund' }]);
    const list = [...all].sort((a, b) => a.id - b.id);
    const executionDate = nextBusinessDayOnOrAfter(o.asOf);
    const messageId = `VRD-${admin.id}-TB-${(await countRefundExports(tx, admin.id)) + 1}`;
    const written = writePain001({
      messageId, createdAt: o.createdAt, debtorName: admin.legalName ?? admin.name,
      transfers: list.map((r) => ({
        endToEndId: r.endToEndId, amountCents: r.amountCents, executionDate, debtorIban: admin.iban!, debtorBic: admin.bic, creditorName: r.debtorName, creditorIban: r.iban, creditorBic: r.bic,
        remittance: { kind: 'text', text: `Terugbetaling tegoed ${r.debtorNumber}` },
      })),
    }, format);
    if (!written.ok)
      throw invalid('the refund file was not written: some data would be refused by the bank', written.problems.map((p) => ({ field: p.field, code: p.code, message: p.index !== null ? `${list[p.index]!.debtorNumber} (${list[p.index]!.endToEndId}): ${p.message}` : p.message })));
    const exportId = await insertRefundExport(tx, admin.id, { messageId, format, executionDate, txCount: written.count, totalCents: written.totalCents, xml: written.xml, createdBy: o.actor }, list.map((r) => r.id));
    await addEvents(tx, admin.id, list.map((r) => ({ debtorId: r.debtorId, event: ev('refund_exported', { endToEndId: r.endToEndId, amountCents: r.amountCents, messageId }), data: { refundId: r.id, exportId }, actor: o.actor })));
    return { exportId, messageId, format, executionDate, count: written.count, totalCents: written.totalCents, controlSum: formatCents(written.totalCents), refundIds: list.map((r) => r.id), xml: written.xml };
  });
}

export async function refundExportFile(db: Db, admin: Administration, id: number): Promise<{ filename: string; xml: string }> {
  const f = await getRefundExport(db, admin.id, id);
  if (!f) throw notFound(`refund export ${id}`);
  return { filename: `${f.messageId}.${f.format}.xml`, xml: f.xml };
}

/**
 * Outgoing payments of refunds on a statement: a debit with the EndToEndId of an approved or
 * exported refund and its amount is booked against the debtor's credit balance (the credit items
 * first, oldest first; what they do not cover of the refund was netted with open invoices at the
 * proposal and is taken from them now). Returns the lines booked. Runs in the import's transaction.
 */
export async function bookRefundPayments(tx: Tx, admin: Administration, lineIds: readonly number[], actor: string | null): Promise<{ booked: Set<number>; warnings: { code: string; message: string }[] }> {
  const out = { booked: new Set<number>(), warnings: [] as { code: string; message: string }[] };
  if (!lineIds.length || !(await hasRefundsOnTheWay(tx, admin.id))) return out;
  const lines = await tx.query<BankLineRow>('SELECT * FROM bank_lines WHERE administration_id = $1 AND id = ANY($2::bigint[]) AND cents < 0 AND end_to_end_id IS NOT NULL AND NOT reversal ORDER BY id', [admin.id, lineIds]);
  if (!lines.length) return out;
  const byE2e = new Map((await refundsByEndToEnd(tx, admin.id, lines.map((l) => l.end_to_end_id!))).map((r) => [r.endToEndId, r]));
  const events: NewEvent[] = [];
  for (const l of lines) {
    const r = byE2e.get(l.end_to_end_id!);
    if (!r) continue;
    if (r.status !== 'approved' && r.status !== 'exported') {
      out.warnings.push({ code: 'refund_not_on_its_way', message: `bank line ${l.id}: refund ${r.endToEndId} is ${r.status}; the payment waits for review` });
      continue;
    }
    if (-l.cents !== r.amountCents) {
      out.warnings.push({ code: 'refund_amount_differs', message: `bank line ${l.id}: refund ${r.endToEndId} was ${formatMoney(r.amountCents)}, the bank paid ${formatMoney(-l.cents)}; the payment waits for review` });
      continue;
    }
    const items = await tx.query<{ id: number; open_cents: number }>(
      `SELECT id, open_cents FROM items WHERE administration_id = $1 AND debtor_id = $2 AND currency = 'EUR' AND open_cents <> 0 ORDER BY due_date, id FOR UPDATE`,
      [admin.id, r.debtorId],
    );
    // allocations add up to the line (−refund): every credit item as far as needed, then invoices for what was netted
    let left = r.amountCents;
    const allocations: { itemId: number; cents: number }[] = [];
    const credits = items.filter((i) => i.open_cents < 0);
    const creditTotal = -credits.reduce((s, i) => s + i.open_cents, 0);
    if (creditTotal < r.amountCents) {
      out.warnings.push({ code: 'refund_credit_gone', message: `bank line ${l.id}: the credit balance of ${r.debtorNumber} is ${formatMoney(creditTotal)} now, less than refund ${r.endToEndId} (${formatMoney(r.amountCents)}); the payment waits for review` });
      continue;
    }
    let netted = creditTotal - r.amountCents;
    for (const i of items.filter((x) => x.open_cents > 0)) {
      if (netted <= 0) break;
      const take = Math.min(netted, i.open_cents);
      allocations.push({ itemId: i.id, cents: take });
      netted -= take;
    }
    left = creditTotal - netted; // what the credit items give: the refund plus what settles invoices
    for (const c of credits) {
      if (left <= 0) break;
      const take = Math.min(left, -c.open_cents);
      allocations.push({ itemId: c.id, cents: -take });
      left -= take;
    }
    const bookingId = await insertBooking(tx, admin.id, { kind: 'bank', date: l.booking_date, status: 'auto', bankLineId: l.id, actor, note: `terugbetaling ${r.endToEndId}`, allocations });
    await setLineStatus(tx, [l.id], 'auto', bookingId);
    await setRefundPaid(tx, admin.id, r.id, { lineId: l.id, bookingId, date: l.booking_date });
    events.push({ debtorId: r.debtorId, event: ev('refund_paid', { endToEndId: r.endToEndId, amountCents: r.amountCents, date: l.booking_date }), data: { refundId: r.id, bankLineId: l.id, bookingId }, actor });
    out.booked.add(l.id);
  }
  await addEvents(tx, admin.id, events);
  return out;
}
