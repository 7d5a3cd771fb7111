/**
 * The SEPA return loop (issue 17): what a bank statement says about collected items.
 *
 * Runs inside the statement import's transaction, on its new lines, before the matcher:
 * - a credit with the EndToEndId of a pending collected item settles it (the amount must be the
 *   item's); a credit for a whole payment information block (PmtInfId, the bank booking the batch
 *   as one line) settles every pending item of the block when the amounts add up — also when
 *   items of the block come back as rejects in the same file;
 * - an R-transaction (a debit with a return reason, or a reversal) with the EndToEndId of a
 *   collected item reopens exactly that item (the settlement's allocations reversed), records the
 *   reason on the dossier and acts by rule (domain/sepa/returns.ts): AM04 → one new collection on
 *   the next possible date; mandate reasons → the mandate is ended and a task made; others → a
 *   task. Then the item is no longer in a pending collection, so dunning resumes. The bank's
 *   charges are a cost on the debtor only where the administration's policy says so;
 * - an R-transaction naming an EndToEndId that is not one of this administration's collections
 *   is booked nowhere: the line waits for review and the import says so, naming the field.
 * The lines handled here are kept from the matcher. Load → decide → commit, in the caller's
 * transaction.
 */
import type { Tx } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import type { BankLineRow } from '../store/bank.ts';
import { setLineStatus } from '../store/bank.ts';
import { insertBooking } from '../store/bookings.ts';
import { addEvents, type NewEvent } from '../store/events.ts';
import { insertTask } from '../store/care.ts';
import { collectedByEndToEnd, endMandate, hasCollections, markReturned, markSettled, pendingByPaymentInfo, type CollectedItem } from '../store/collections.ts';
import { decideReturn, RETURN_KIND_TEXT } from '../domain/sepa/returns.ts';
import { sepaSettingsOf } from '../domain/sepa/settings.ts';
import { formatMoney } from '../domain/money.ts';
import { retryCollections, type RetryRequest } from './collections.ts';
import type { Pain008Version } from '../formats/pain008.ts';
import { ev } from '../domain/events.ts';

export type CollectionOutcomeSummary = { settled: number; returned: number; retried: number; mandatesEnded: number; unknown: number };
export type CollectionOutcome = {
  summary: CollectionOutcomeSummary;
  warnings: { code: string; message: string; params?: Record<string, string> }[];
  /** bank lines dealt with here: the matcher leaves them alone */
  handled: Set<number>;
  /** how many of them were booked (the others wait for review) */
  booked: number;
};

const EMPTY = (): CollectionOutcome => ({ summary: { settled: 0, returned: 0, retried: 0, mandatesEnded: 0, unknown: 0 }, warnings: [], handled: new Set(), booked: 0 });

/** A debit that says it is an R-transaction of a direct debit: a return reason, or a reversal of a direct-debit booking. */
function isReturnLine(l: BankLineRow): boolean {
  return l.cents < 0 && (l.return_reason !== null || l.reversal);
}

/** A return whose EndToEndId is unknown is ours to report when it looks like one of our direct debits (a DD bank code, a mandate id, or a return reason). */
function looksLikeDirectDebitReturn(l: BankLineRow): boolean {
  return l.cents < 0 && l.end_to_end_id !== null && (l.return_reason !== null || l.mandate_id !== null || /(^|\/)(IDDT|RDDT)(\/|$)|DD$/.test(l.bank_code ?? ''));
}

const fieldOf = (l: BankLineRow) => `bank line ${l.id}${l.entry_ref ? ` (${l.entry_ref})` : ''} EndToEndId`;

export async function applyCollectionOutcomes(tx: Tx, admin: Administration, lineIds: readonly number[], o: { asOf: string; createdAt: string; actor: string | null }): Promise<CollectionOutcome> {
  const out = EMPTY();
  if (!lineIds.length || !(await hasCollections(tx, admin.id))) return out;
  const lines = await tx.query<BankLineRow>(
    `SELECT * FROM bank_lines WHERE administration_id = $1 AND id = ANY($2::bigint[]) AND (end_to_end_id IS NOT NULL OR payment_info_id IS NOT NULL) ORDER BY id`,
    [admin.id, lineIds],
  );
  if (!lines.length) return out;
  const byE2e = new Map((await collectedByEndToEnd(tx, admin.id, [...new Set(lines.map((l) => l.end_to_end_id).filter((x): x is string => !!x))])).map((c) => [c.endToEndId, c]));
  const byPmtInf = new Map<string, CollectedItem[]>();
  for (const c of await pendingByPaymentInfo(tx, admin.id, [...new Set(lines.map((l) => l.payment_info_id).filter((x): x is string => !!x))])) {
    const list = byPmtInf.get(c.paymentInfoId) ?? [];
    list.push(c);
    byPmtInf.set(c.paymentInfoId, list);
  }

  // Decide which line is what.
  const returns: { line: BankLineRow; ci: CollectedItem }[] = [];
  const singles: { line: BankLineRow; ci: CollectedItem }[] = [];
  const blocks: { line: BankLineRow; items: CollectedItem[] }[] = [];
  for (const l of lines) {
    const ci = l.end_to_end_id ? byE2e.get(l.end_to_end_id) : undefined;
    if (isReturnLine(l)) {
      if (ci) returns.push({ line: l, ci });
      else if (looksLikeDirectDebitReturn(l)) {
        out.summary.unknown++;
        out.handled.add(l.id);
        out.warnings.push({
          code: 'sepa_unknown_end_to_end_id',
          message: `${fieldOf(l)}: the bank returns a direct debit "${l.end_to_end_id}" (${l.return_reason ?? 'reversal'}) that is not one of this administration's collections; nothing was booked, the line waits for review`,
          params: { line: String(l.id), endToEndId: l.end_to_end_id!, reason: l.return_reason ?? '' },
        });
      }
    } else if (l.cents > 0 && ci && ci.status === 'pending') singles.push({ line: l, ci });
    else if (l.cents > 0 && !ci && l.payment_info_id && byPmtInf.has(l.payment_info_id)) blocks.push({ line: l, items: byPmtInf.get(l.payment_info_id)! });
  }
  // Items rejected in this very file before settlement: not part of the block's credit.
  const rejectedHere = new Set(returns.filter((r) => r.ci.status === 'pending').map((r) => r.ci.id));

  // Settle: one booking per credit line.
  const settled = new Map<number, { settledCents: number; creditItemId: number | null }>();
  const toSettle: { line: BankLineRow; items: CollectedItem[] }[] = [];
  for (const s of singles) {
    if (s.line.cents !== s.ci.amountCents) {
      out.warnings.push({ code: 'sepa_amount_differs', message: `bank line ${s.line.id}: the credit for ${s.ci.endToEndId} is ${formatMoney(s.line.cents)}, the collection was ${formatMoney(s.ci.amountCents)}; not settled, the line goes to matching`, params: { line: String(s.line.id), endToEndId: s.ci.endToEndId } });
      continue;
    }
    toSettle.push({ line: s.line, items: [s.ci] });
  }
  const claimed = new Set<number>(toSettle.flatMap((x) => x.items.map((i) => i.id)));
  for (const b of blocks) {
    const open = b.items.filter((i) => !claimed.has(i.id));
    const sum = (xs: CollectedItem[]) => xs.reduce((n, i) => n + i.amountCents, 0);
    const net = open.filter((i) => !rejectedHere.has(i.id));
    const items = sum(open) === b.line.cents ? open : sum(net) === b.line.cents ? net : null;
    if (!items || !items.length) {
      out.warnings.push({ code: 'sepa_batch_amount_differs', message: `bank line ${b.line.id}: the credit for payment information ${b.line.payment_info_id} is ${formatMoney(b.line.cents)}, its pending collections add up to ${formatMoney(sum(open))}; not settled, the line goes to matching`, params: { line: String(b.line.id), paymentInfoId: b.line.payment_info_id! } });
      continue;
    }
    for (const i of items) claimed.add(i.id);
    toSettle.push({ line: b.line, items });
  }
  if (toSettle.length) {
    const ids = [...new Set(toSettle.flatMap((x) => x.items.map((i) => i.itemId)))];
    const openOf = new Map((await tx.query<{ id: number; open_cents: number }>('SELECT id, open_cents FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE', [admin.id, ids])).map((r) => [r.id, r.open_cents]));
    const marks: { id: number; lineId: number; bookingId: number; settledCents: number; creditItemId: number | null }[] = [];
    const events: NewEvent[] = [];
    for (const s of toSettle) {
      const allocations: { itemId: number; cents: number }[] = [];
      const perItem: { ci: CollectedItem; toItem: number; creditItemId: number | null }[] = [];
      for (const ci of s.items) {
        const open = Math.max(0, openOf.get(ci.itemId) ?? 0);
        const toItem = Math.min(open, ci.amountCents);
        openOf.set(ci.itemId, open - toItem);
        let creditItemId: number | null = null;
        if (toItem > 0) allocations.push({ itemId: ci.itemId, cents: toItem });
        if (ci.amountCents > toItem) {
          // paid meanwhile in another way: the rest is the debtor's credit balance (a refund to propose)
          const [u] = await tx.query<{ id: number }>(
            `INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents, currency, description, source)
             VALUES ($1, $2, 'unapplied_payment', $3, $4, $4, 0, 0, 'EUR', $5, 'bank') RETURNING id`,
            [admin.id, ci.debtorId, `INC-${ci.endToEndId}`, s.line.booking_date, `Tegoed uit incasso ${ci.endToEndId} (factuur ${ci.itemNumber} was al betaald)`],
          );
          creditItemId = u!.id;
          allocations.push({ itemId: creditItemId, cents: ci.amountCents - toItem });
        }
        perItem.push({ ci, toItem, creditItemId });
      }
      const bookingId = await insertBooking(tx, admin.id, { kind: 'bank', date: s.line.booking_date, status: 'auto', bankLineId: s.line.id, actor: o.actor, note: `SEPA-incasso ${s.items[0]!.messageId}`, allocations });
      await setLineStatus(tx, [s.line.id], 'auto', bookingId);
      out.handled.add(s.line.id);
      out.booked++;
      for (const p of perItem) {
        marks.push({ id: p.ci.id, lineId: s.line.id, bookingId, settledCents: p.toItem, creditItemId: p.creditItemId });
        settled.set(p.ci.id, { settledCents: p.toItem, creditItemId: p.creditItemId });
        events.push({
          debtorId: p.ci.debtorId, itemId: p.ci.itemId, event: ev('collection_settled', { number: p.ci.itemNumber, amountCents: p.ci.amountCents, date: s.line.booking_date, batch: p.ci.messageId, ...(p.creditItemId ? { alreadyPaidCents: p.ci.amountCents - p.toItem } : {}) }),
          data: { collectionItemId: p.ci.id, endToEndId: p.ci.endToEndId, bankLineId: s.line.id, bookingId, settledCents: p.toItem }, actor: o.actor,
        });
      }
      out.summary.settled += s.items.length;
    }
    await markSettled(tx, admin.id, marks);
    await addEvents(tx, admin.id, events);
  }

  // Returns: reopen exactly the item, say why, act by rule.
  const policy = sepaSettingsOf(admin.settings);
  const retries: (RetryRequest & { line: BankLineRow; ci: CollectedItem })[] = [];
  const events: NewEvent[] = [];
  const taskFor = async (ci: CollectedItem, line: BankLineRow, title: string, reason: string) => {
    await insertTask(tx, admin.id, { debtorId: ci.debtorId, itemIds: [ci.itemId], kind: 'collection_returned', title, reason, dueDate: o.asOf, sourceType: 'collection_return', sourceId: line.id, priority: 1 });
  };
  const seenReturn = new Set<number>();
  for (const { line, ci } of returns) {
    out.handled.add(line.id);
    if (ci.status === 'returned' || seenReturn.has(ci.id)) {
      out.warnings.push({ code: 'sepa_returned_twice', message: `${fieldOf(line)}: the collection ${ci.endToEndId} was returned already; nothing was booked, the line waits for review`, params: { line: String(line.id), endToEndId: ci.endToEndId } });
      continue;
    }
    seenReturn.add(ci.id);
    const s = settled.get(ci.id) ?? (ci.status === 'settled' ? { settledCents: ci.settledCents ?? ci.amountCents, creditItemId: ci.creditItemId } : null);
    const d = decideReturn({ code: line.return_reason, reversal: line.reversal, collectionDate: ci.collectionDate, bookingDate: line.booking_date, isRetry: ci.retryOf !== null, settled: s !== null });
    const allocations: { itemId: number; cents: number }[] = [];
    if (s) {
      if (s.settledCents > 0) allocations.push({ itemId: ci.itemId, cents: -s.settledCents });
      if (s.creditItemId && ci.amountCents > s.settledCents) allocations.push({ itemId: s.creditItemId, cents: -(ci.amountCents - s.settledCents) });
    }
    const bookingId = await insertBooking(tx, admin.id, { kind: 'bank', date: line.booking_date, status: 'auto', bankLineId: line.id, actor: o.actor, note: `SEPA-storno ${ci.endToEndId} ${d.code}`, allocations });
    await setLineStatus(tx, [line.id], 'auto', bookingId);
    out.booked++;
    await markReturned(tx, admin.id, { id: ci.id, lineId: line.id, reason: d.code, kind: d.kind, action: d.action, date: line.booking_date });
    out.summary.returned++;
    events.push({
      debtorId: ci.debtorId, itemId: ci.itemId, event: ev('collection_returned', { number: ci.itemNumber, amountCents: ci.amountCents, date: line.booking_date, returned: RETURN_KIND_TEXT[d.kind], reason: { nl: d.nl, en: d.en }, returnInfo: line.return_info ?? null }),
      data: { collectionItemId: ci.id, endToEndId: ci.endToEndId, reason: d.code, kind: d.kind, action: d.action, bankLineId: line.id, returnInfo: line.return_info, reasonEn: d.en }, actor: o.actor,
    });
    if (line.charges_cents && line.charges_cents > 0) {
      if (policy.returnChargesToDebtor) {
        const [c] = await tx.query<{ id: number }>(
          `INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents, currency, description, source)
           VALUES ($1, $2, 'invoice', $3, $4, $4, $5, $5, 'EUR', $6, 'bank') RETURNING id`,
          [admin.id, ci.debtorId, `STORNO-${ci.endToEndId}`, line.booking_date, line.charges_cents, `Bankkosten storno incasso factuur ${ci.itemNumber} (${d.code})`],
        );
        events.push({ debtorId: ci.debtorId, itemId: c!.id, event: ev('collection_return_charges', { chargesCents: line.charges_cents, charged: true }), data: { collectionItemId: ci.id, chargesCents: line.charges_cents }, actor: o.actor });
      } else {
        events.push({ debtorId: ci.debtorId, itemId: ci.itemId, event: ev('collection_return_charges', { chargesCents: line.charges_cents, charged: false }), data: { collectionItemId: ci.id, chargesCents: line.charges_cents, charged: false }, actor: o.actor });
      }
    }
    if (d.action === 'retry') retries.push({ collectionItemId: ci.id, itemId: ci.itemId, mandateId: ci.mandateId, line, ci });
    else if (d.action === 'mandate_ended') {
      if (await endMandate(tx, admin.id, ci.mandateId, line.booking_date, d.code)) {
        out.summary.mandatesEnded++;
        events.push({ debtorId: ci.debtorId, event: ev('mandate_ended', { mandateId: ci.mandateCode, reason: { nl: d.nl, en: d.en } }), data: { mandateId: ci.mandateId, reason: d.code }, actor: o.actor });
      }
      await taskFor(ci, line, `Incasso gestorneerd, machtiging beëindigd: factuur ${ci.itemNumber} (${d.nl})`, `De machtiging ${ci.mandateCode} is niet meer bruikbaar (${d.nl}). Vraag een nieuwe machtiging of laat de aanmaning lopen.`);
    } else {
      await taskFor(ci, line, `Incasso gestorneerd: factuur ${ci.itemNumber} (${d.nl})`, `${RETURN_KIND_TEXT[d.kind].nl}; de aanmaningen lopen weer.`);
    }
  }
  await addEvents(tx, admin.id, events);

  // AM04: one new collection on the next possible date, per format of the batch it came from.
  const byFormat = new Map<string, typeof retries>();
  for (const r of retries) byFormat.set(r.ci.format, [...(byFormat.get(r.ci.format) ?? []), r]);
  for (const [format, list] of byFormat) {
    const { batch, notRetried } = await retryCollections(tx, admin, list, { asOf: o.asOf, createdAt: o.createdAt, format: format as Pain008Version, leadDays: policy.leadDays, actor: o.actor });
    if (batch) {
      out.summary.retried += batch.count;
      out.warnings.push({ code: 'sepa_retry_batch', message: `${batch.count} collection(s) returned for insufficient funds are collected again on ${batch.collectionDate} in batch ${batch.messageId}: hand its file to the bank`, params: { messageId: batch.messageId, date: batch.collectionDate, count: String(batch.count) } });
    }
    for (const n of notRetried) {
      const r = list.find((x) => x.collectionItemId === n.collectionItemId)!;
      await taskFor(r.ci, r.line, `Incasso gestorneerd: factuur ${r.ci.itemNumber} (AM04 onvoldoende saldo), niet opnieuw te incasseren`, 'De machtiging is niet meer actief of de factuur staat niet meer open; de aanmaningen lopen weer.');
    }
  }
  return out;
}
