/** The debtor portal (migrations 0025, 0026): links, activity, e-mail changes, payments via a provider. Plain SQL. */
import type { Queryable } from './db.ts';

export type PortalLink = {
  id: number; administrationId: number; debtorId: number; csrfToken: string; purpose: string;
  createdAt: string; expiresAt: string; revokedAt: string | null; lastOpenedAt: string | null;
};
type LinkRow = {
  id: number; administration_id: number; debtor_id: number; csrf_token: string; purpose: string;
  created_at: Date | string; expires_at: Date | string; revoked_at: Date | string | null; last_opened_at: Date | string | null;
};
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const toLink = (r: LinkRow): PortalLink => ({
  id: r.id, administrationId: r.administration_id, debtorId: r.debtor_id, csrfToken: r.csrf_token, purpose: r.purpose,
  createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at)!, revokedAt: iso(r.revoked_at), lastOpenedAt: iso(r.last_opened_at),
});
const LINK_COLS = 'id, administration_id, debtor_id, csrf_token, purpose, created_at, expires_at, revoked_at, last_opened_at';

export async function insertPortalLink(q: Queryable, administrationId: number, l: { debtorId: number; tokenHash: string; csrfToken: string; purpose: string; expiresAt: Date }): Promise<PortalLink> {
  const rows = await q.query<LinkRow>(
    `INSERT INTO portal_links (administration_id, debtor_id, token_hash, csrf_token, purpose, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${LINK_COLS}`,
    [administrationId, l.debtorId, l.tokenHash, l.csrfToken, l.purpose, l.expiresAt],
  );
  return toLink(rows[0]!);
}

/** The usable link behind a token hash (not revoked, not expired), in any administration: the portal knows no administration before it. */
export async function findUsableLink(q: Queryable, tokenHash: string): Promise<PortalLink | null> {
  const rows = await q.query<LinkRow>(`SELECT ${LINK_COLS} FROM portal_links WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`, [tokenHash]);
  return rows[0] ? toLink(rows[0]) : null;
}

/** The link behind a token hash whatever its state (for offering a fresh one to the address on file). */
export async function findAnyLink(q: Queryable, tokenHash: string): Promise<PortalLink | null> {
  const rows = await q.query<LinkRow>(`SELECT ${LINK_COLS} FROM portal_links WHERE token_hash = $1`, [tokenHash]);
  return rows[0] ? toLink(rows[0]) : null;
}

export async function markLinkOpened(q: Queryable, id: number): Promise<void> {
  await q.query('UPDATE portal_links SET last_opened_at = now() WHERE id = $1', [id]);
}

/** Revoke every usable link of a debtor; returns how many. */
export async function revokeDebtorLinks(q: Queryable, administrationId: number, debtorId: number): Promise<number> {
  const rows = await q.query<{ id: number }>('UPDATE portal_links SET revoked_at = now() WHERE administration_id = $1 AND debtor_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id', [administrationId, debtorId]);
  return rows.length;
}

export type PortalOverview = { usableLinks: number; lastLinkAt: string | null; lastOpenedAt: string | null; activity: { kind: string; summary: string; at: string }[] };

export async function portalOverview(q: Queryable, administrationId: number, debtorId: number): Promise<PortalOverview> {
  const [l] = await q.query<{ usable: number; last_link: Date | string | null; last_opened: Date | string | null }>(
    `SELECT count(*) FILTER (WHERE revoked_at IS NULL AND expires_at > now())::int AS usable, max(created_at) AS last_link, max(last_opened_at) AS last_opened
       FROM portal_links WHERE administration_id = $1 AND debtor_id = $2`,
    [administrationId, debtorId],
  );
  const acts = await q.query<{ kind: string; summary: string; at: Date | string }>('SELECT kind, summary, at FROM portal_activity WHERE administration_id = $1 AND debtor_id = $2 ORDER BY id DESC LIMIT 20', [administrationId, debtorId]);
  return { usableLinks: l?.usable ?? 0, lastLinkAt: iso(l?.last_link ?? null), lastOpenedAt: iso(l?.last_opened ?? null), activity: acts.map((a) => ({ kind: a.kind, summary: a.summary, at: iso(a.at)! })) };
}

export async function addPortalActivity(q: Queryable, administrationId: number, a: { debtorId: number; linkId: number | null; kind: string; summary: string }): Promise<void> {
  await q.query('INSERT INTO portal_activity (administration_id, debtor_id, link_id, kind, summary) VALUES ($1, $2, $3, $4, $5)', [administrationId, a.debtorId, a.linkId, a.kind, a.summary.slice(0, 500)]);
}

export async function insertEmailChange(q: Queryable, administrationId: number, e: { debtorId: number; email: string; tokenHash: string; expiresAt: Date }): Promise<void> {
  await q.query('INSERT INTO portal_email_changes (administration_id, debtor_id, email, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)', [administrationId, e.debtorId, e.email, e.tokenHash, e.expiresAt]);
}

/** Confirm a pending change once: the row is claimed by this statement, a second use finds nothing. */
export async function claimEmailChange(q: Queryable, tokenHash: string): Promise<{ administrationId: number; debtorId: number; email: string } | null> {
  const rows = await q.query<{ administration_id: number; debtor_id: number; email: string }>(
    'UPDATE portal_email_changes SET confirmed_at = now() WHERE token_hash = $1 AND confirmed_at IS NULL AND expires_at > now() RETURNING administration_id, debtor_id, email',
    [tokenHash],
  );
  return rows[0] ? { administrationId: rows[0].administration_id, debtorId: rows[0].debtor_id, email: rows[0].email } : null;
}

// ------------------------------------------------------------------ payments through a provider

export type PspPayment = {
  id: number; administrationId: number; provider: string; paymentId: string; debtorId: number; linkId: number | null;
  amountCents: number; currency: string; items: { itemId: number; cents: number }[]; status: string; mode: string; bookedCents: number;
};
type PspRow = {
  id: number; administration_id: number; provider: string; payment_id: string; debtor_id: number; link_id: number | null;
  amount_cents: number; currency: string; items: { itemId: number; cents: number }[]; status: string; mode: string; booked_cents: number;
};
const toPsp = (r: PspRow): PspPayment => ({
  id: r.id, administrationId: r.administration_id, provider: r.provider, paymentId: r.payment_id, debtorId: r.debtor_id, linkId: r.link_id,
  amountCents: r.amount_cents, currency: r.currency.trim(), items: r.items, status: r.status, mode: r.mode, bookedCents: r.booked_cents,
});
const PSP_COLS = 'id, administration_id, provider, payment_id, debtor_id, link_id, amount_cents, currency, items, status, mode, booked_cents';

export async function insertPspPayment(q: Queryable, administrationId: number, p: { paymentId: string; debtorId: number; linkId: number | null; amountCents: number; currency: string; items: { itemId: number; cents: number }[]; status: string; mode: string }): Promise<PspPayment> {
  const rows = await q.query<PspRow>(
    `INSERT INTO psp_payments (administration_id, payment_id, debtor_id, link_id, amount_cents, currency, items, status, mode) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) RETURNING ${PSP_COLS}`,
    [administrationId, p.paymentId, p.debtorId, p.linkId, p.amountCents, p.currency, JSON.stringify(p.items), p.status, p.mode],
  );
  return toPsp(rows[0]!);
}

/** The payment of this administration with this provider id, locked for the booking transaction. */
export async function lockPspPayment(q: Queryable, administrationId: number, paymentId: string): Promise<PspPayment | null> {
  const rows = await q.query<PspRow>(`SELECT ${PSP_COLS} FROM psp_payments WHERE administration_id = $1 AND provider = 'mollie' AND payment_id = $2 FOR UPDATE`, [administrationId, paymentId]);
  return rows[0] ? toPsp(rows[0]) : null;
}

export async function findPspPayment(q: Queryable, administrationId: number, paymentId: string): Promise<PspPayment | null> {
  const rows = await q.query<PspRow>(`SELECT ${PSP_COLS} FROM psp_payments WHERE administration_id = $1 AND provider = 'mollie' AND payment_id = $2`, [administrationId, paymentId]);
  return rows[0] ? toPsp(rows[0]) : null;
}

export async function updatePspPayment(q: Queryable, id: number, f: { status: string; bookedCents: number }): Promise<void> {
  await q.query('UPDATE psp_payments SET status = $2, booked_cents = $3, updated_at = now() WHERE id = $1', [id, f.status, f.bookedCents]);
}

/** The psp bookings of a payment with what each allocated per item (newest last), for reopening on a refund. */
export async function pspAllocations(q: Queryable, administrationId: number, pspId: number): Promise<{ itemId: number; cents: number }[]> {
  return q.query<{ itemId: number; cents: number }>(
    `SELECT a.item_id AS "itemId", sum(a.cents)::bigint AS cents FROM allocations a JOIN bookings b ON b.id = a.booking_id
      WHERE b.administration_id = $1 AND b.psp_payment_id = $2 GROUP BY a.item_id ORDER BY a.item_id`,
    [administrationId, pspId],
  );
}

export async function setBookingPsp(q: Queryable, bookingId: number, pspId: number): Promise<void> {
  await q.query('UPDATE bookings SET psp_payment_id = $2 WHERE id = $1', [bookingId, pspId]);
}
