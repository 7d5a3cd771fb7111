/**
 * Payments through Mollie (official client @mollie/api-client). "Pay" in the portal creates the
 * payment at that moment, for what is open at that moment (never a checkout URL in a mail:
 * iDEAL sessions expire). Mollie's webhook says only that a payment changed (`id=tr_…`): Vorder
 * fetches the payment and books what it says, exactly once:
 *
 *   target = paid ? amount − refunded − charged back : 0;   book target − booked so far
 *
 * under a row lock on the payment, so ten identical webhooks at once book once. A positive
 * difference is allocated to the payment's items up to what is still open of each (the debtor
 * may have paid by bank in the meantime, or a credit note came); the rest becomes a credit
 * (unapplied payment). A negative one (refund, chargeback) reopens what the payment paid, the
 * credit first. Bookings have kind `psp`; Mollie's payout on the bank statement is recognised as
 * settlement and never matched again (domain/matching/psp-settlement.ts, app/bank.ts).
 */
import { createMollieClient } from '@mollie/api-client';
import type { Db } from '../store/db.ts';
import { getAdministration, type Administration } from '../store/administrations.ts';
import { addEvent } from '../store/events.ts';
import { insertBooking } from '../store/bookings.ts';
import { insertTask } from '../store/care.ts';
import { addPortalActivity, findPspPayment, insertPspPayment, lockPspPayment, pspAllocations, setBookingPsp, updatePspPayment, type PspPayment } from '../store/portal.ts';
import { formatCents, formatMoney } from '../domain/money.ts';
import { mollieKeyOf, PORTAL_ACTOR, type PortalSession } from './portal.ts';
import { AppError, invalid } from './errors.ts';
import { ev } from '../domain/events.ts';

export type MollieOptions = { apiEndpoint?: string };

/** The Mollie API address: the option (tests: the local fake), else VORDER_MOLLIE_API_URL, else Mollie's own. */
const endpointOf = (o: MollieOptions) => o.apiEndpoint ?? process.env.VORDER_MOLLIE_API_URL ?? undefined;

export function mollieFor(admin: Administration, o: MollieOptions = {}) {
  const apiKey = mollieKeyOf(admin);
  if (!apiKey) return null;
  const apiEndpoint = endpointOf(o);
  return createMollieClient({ apiKey, ...(apiEndpoint ? { apiEndpoint } : {}), versionStrings: 'Vorder/0.1' });
}

const amountValue = (cents: number) => formatCents(cents).replace(',', '.');
const centsOf = (a: { value: string } | undefined | null): number => {
  if (!a) return 0;
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(a.value);
  if (!m) throw new Error(`Mollie sent an amount that is not a decimal with two places: "${a.value}"`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
};

export type StartedPayment = { paymentId: string; checkoutUrl: string; amountCents: number; pspId: number };

/**
 * Create the payment for the named open invoices (none named: every open invoice not in dispute),
 * for what is open now. Returns Mollie's checkout URL, to redirect to at once.
 */
export async function startPayment(db: Db, s: PortalSession, itemIds: readonly number[], opts: MollieOptions & { baseUrl: string; token: string }): Promise<StartedPayment> {
  const client = mollieFor(s.admin, opts);
  if (!client) throw new AppError('not_configured', 'this administration takes no online payments (no Mollie key): pay by bank transfer');
  const open = await db.query<{ id: number; number: string; open_cents: number; currency: string }>(
    `SELECT i.id, i.number, i.open_cents, i.currency FROM items i WHERE i.administration_id = $1 AND i.debtor_id = $2 AND i.kind = 'invoice' AND i.open_cents > 0
        AND NOT EXISTS (SELECT 1 FROM dispute_items di JOIN disputes d ON d.id = di.dispute_id WHERE di.item_id = i.id AND d.status = 'open')
      ORDER BY i.due_date, i.id`,
    [s.admin.id, s.debtor.id],
  );
  const want = new Set(itemIds);
  const chosen = itemIds.length ? open.filter((i) => want.has(i.id)) : open;
  if (itemIds.length && chosen.length !== want.size) throw invalid('an item is not (any more) open for payment', [{ field: 'items', code: 'not_open', message: 'not open (or in dispute)' }]);
  if (!chosen.length) throw invalid('nothing is open to pay', [{ field: 'items', code: 'nothing_open', message: 'nothing is open' }]);
  if (chosen.some((i) => i.currency.trim() !== 'EUR')) throw invalid('online payment is in euros only', [{ field: 'items', code: 'currency', message: 'EUR only' }]);
  const cents = chosen.reduce((t, i) => t + i.open_cents, 0);
  const base = opts.baseUrl.replace(/\/+$/, '');
  const numbers = chosen.map((i) => i.number).join(' ');
  const payment = await client.payments.create({
    amount: { currency: 'EUR', value: amountValue(cents) },
    description: `${s.debtor.number} ${numbers}`.slice(0, 255),
    redirectUrl: `${base}/p/${opts.token}/returned`,
    webhookUrl: `${base}/hooks/mollie/${s.admin.id}`,
    locale: s.debtor.language === 'en' ? 'en_US' as never : 'nl_NL' as never,
    metadata: { administrationId: s.admin.id, debtorNumber: s.debtor.number, items: chosen.map((i) => i.number) },
  }).catch((e: Error) => {
    throw new AppError('conflict', `Mollie did not make the payment: ${e.message.slice(0, 200)}`);
  });
  const checkoutUrl = payment.getCheckoutUrl();
  if (!checkoutUrl) throw new Error(`Mollie gave no checkout URL for ${payment.id} (status ${payment.status})`);
  const rec = await db.transaction(async (tx) => {
    const r = await insertPspPayment(tx, s.admin.id, { paymentId: payment.id, debtorId: s.debtor.id, linkId: s.link.id, amountCents: cents, currency: 'EUR', items: chosen.map((i) => ({ itemId: i.id, cents: i.open_cents })), status: payment.status, mode: payment.mode });
    await addEvent(tx, s.admin.id, { debtorId: s.debtor.id, event: ev('psp_payment_started', { amountCents: cents, numbers: chosen.map((i) => i.number), paymentId: payment.id }), data: { paymentId: payment.id, cents }, actor: PORTAL_ACTOR });
    await addPortalActivity(tx, s.admin.id, { debtorId: s.debtor.id, linkId: s.link.id, kind: 'pay', summary: `Betalen gestart: ${formatMoney(cents)}` });
    return r;
  });
  return { paymentId: payment.id, checkoutUrl, amountCents: cents, pspId: rec.id };
}

export type SyncResult = { outcome: 'unknown' | 'unchanged' | 'booked' | 'reopened'; status?: string; bookedCents?: number };

/**
 * Mollie's webhook for one administration: `id` is a payment id. An id this administration never
 * made (unknown, or another administration's) books nothing and reveals nothing.
 */
export async function syncMolliePayment(db: Db, administrationId: number, paymentId: string, opts: MollieOptions & { today: string }): Promise<SyncResult> {
  if (typeof paymentId !== 'string' || !/^tr_[A-Za-z0-9]{4,40}$/.test(paymentId)) return { outcome: 'unknown' };
  const admin = await getAdministration(db, administrationId);
  if (!admin) return { outcome: 'unknown' };
  const known = await findPspPayment(db, admin.id, paymentId);
  if (!known) return { outcome: 'unknown' };
  const client = mollieFor(admin, opts);
  if (!client) return { outcome: 'unknown' };
  const p = await client.payments.get(paymentId);
  const paid = p.status === 'paid' || !!p.paidAt;
  const amount = centsOf(p.amount);
  const target = paid ? amount - centsOf(p.amountRefunded) - centsOf(p.amountChargedBack) : 0;
  return db.transaction(async (tx) => {
    const rec = (await lockPspPayment(tx, admin.id, paymentId))!;
    if (amount !== rec.amountCents) {
      // never book what Vorder did not ask for
      await updatePspPayment(tx, rec.id, { status: `mismatch:${p.status}`, bookedCents: rec.bookedCents });
      await insertTask(tx, admin.id, { debtorId: rec.debtorId, kind: 'psp_mismatch', title: `Mollie-betaling ${paymentId} heeft een ander bedrag (${formatMoney(amount)}) dan gevraagd (${formatMoney(rec.amountCents)}): niet geboekt`, dueDate: opts.today, sourceType: 'psp_payment', sourceId: rec.id });
      return { outcome: 'unchanged', status: p.status, bookedCents: rec.bookedCents };
    }
    const delta = target - rec.bookedCents;
    if (delta === 0) {
      if (rec.status !== p.status) await updatePspPayment(tx, rec.id, { status: p.status, bookedCents: rec.bookedCents });
      return { outcome: 'unchanged', status: p.status, bookedCents: rec.bookedCents };
    }
    // booked on the day Mollie says it was paid (never after today); a reopening on today
    const paidDay = p.paidAt ? p.paidAt.slice(0, 10) : opts.today;
    if (delta > 0) await bookPaid(tx, admin, rec, delta, paidDay <= opts.today ? paidDay : opts.today);
    else await reopen(tx, admin, rec, -delta, opts.today);
    await updatePspPayment(tx, rec.id, { status: p.status, bookedCents: target });
    return { outcome: delta > 0 ? 'booked' : 'reopened', status: p.status, bookedCents: target };
  });
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

async function bookPaid(tx: Tx, admin: Administration, rec: PspPayment, cents: number, date: string): Promise<void> {
  const items = await tx.query<{ id: number; number: string; open_cents: number }>('SELECT id, number, open_cents FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[]) FOR UPDATE', [admin.id, rec.items.map((i) => i.itemId)]);
  const openOf = new Map(items.map((i) => [i.id, i]));
  let left = cents;
  const allocs: { itemId: number; cents: number }[] = [];
  for (const it of rec.items) {
    const o = openOf.get(it.itemId);
    const take = Math.min(left, Math.max(0, o?.open_cents ?? 0));
    if (take > 0) allocs.push({ itemId: it.itemId, cents: take });
    left -= take;
  }
  if (left > 0) {
    // paid in the meantime (bank, credit note): the rest stays as the debtor's credit
    const [credit] = await tx.query<{ id: number }>(
      `INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents, currency, description, source)
       VALUES ($1, $2, 'unapplied_payment', $3, $4, $4, 0, 0, $5, $6, 'psp') RETURNING id`,
      [admin.id, rec.debtorId, `PSP-${rec.paymentId}`.slice(0, 60), date, rec.currency, `Tegoed uit online betaling ${rec.paymentId}`],
    );
    allocs.push({ itemId: credit!.id, cents: left });
  }
  const bookingId = await insertBooking(tx, admin.id, { kind: 'psp', date, note: `Mollie ${rec.paymentId}`, actor: 'mollie', allocations: allocs });
  await setBookingPsp(tx, bookingId, rec.id);
  const numbers = allocs.flatMap((a) => { const n = openOf.get(a.itemId)?.number; return n ? [n] : []; });
  const toCredit = allocs.some((a) => !openOf.get(a.itemId)?.number);
  await addEvent(tx, admin.id, { debtorId: rec.debtorId, event: ev('psp_paid', { amountCents: cents, paymentId: rec.paymentId, numbers, toCredit, creditCents: Math.max(0, left) }), data: { paymentId: rec.paymentId, cents, bookingId, creditCents: left }, actor: 'mollie' });
  await addPortalActivity(tx, admin.id, { debtorId: rec.debtorId, linkId: rec.linkId, kind: 'paid', summary: `Betaald: ${formatMoney(cents)}` });
}

/** A refund or chargeback: what the payment paid opens again, its credit first, then the items last paid. */
async function reopen(tx: Tx, admin: Administration, rec: PspPayment, cents: number, date: string): Promise<void> {
  const paid = await pspAllocations(tx, admin.id, rec.id);
  const kinds = new Map((await tx.query<{ id: number; kind: string; number: string }>('SELECT id, kind, number FROM items WHERE id = ANY($1::bigint[])', [paid.map((p) => p.itemId)])).map((r) => [r.id, r]));
  const order = [...paid].sort((a, b) => Number(kinds.get(b.itemId)?.kind === 'unapplied_payment') - Number(kinds.get(a.itemId)?.kind === 'unapplied_payment') || b.itemId - a.itemId);
  let left = cents;
  const allocs: { itemId: number; cents: number }[] = [];
  for (const p of order) {
    const take = Math.min(left, p.cents);
    if (take > 0) allocs.push({ itemId: p.itemId, cents: -take });
    left -= take;
  }
  const bookingId = await insertBooking(tx, admin.id, { kind: 'psp', date, note: `Mollie ${rec.paymentId}: terugbetaald of teruggeboekt`, actor: 'mollie', allocations: allocs });
  await setBookingPsp(tx, bookingId, rec.id);
  const numbers = allocs.map((a) => kinds.get(a.itemId)?.number ?? '?');
  await addEvent(tx, admin.id, { debtorId: rec.debtorId, event: ev('psp_reopened', { amountCents: cents, paymentId: rec.paymentId, numbers }), data: { paymentId: rec.paymentId, cents, bookingId }, actor: 'mollie' });
  await insertTask(tx, admin.id, { debtorId: rec.debtorId, itemIds: allocs.map((a) => a.itemId).filter((id) => kinds.get(id)?.kind === 'invoice'), kind: 'psp_reopened', title: `Online betaling ${rec.paymentId} teruggedraaid: ${formatMoney(cents)} staat weer open`, dueDate: date });
}
