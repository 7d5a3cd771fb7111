/** Refunds of credit balances and their pain.001 exports: the one writer of `refunds` and `refund_exports`. */
import type { Queryable } from './db.ts';

export type RefundStatus = 'proposed' | 'approved' | 'exported' | 'paid' | 'cancelled';
export type Refund = {
  id: number; debtorId: number; debtorNumber: string; debtorName: string; amountCents: number; iban: string; bic: string | null; endToEndId: string; status: RefundStatus;
  proposedBy: string; proposedAt: string; approvedBy: string | null; approvedAt: string | null; exportId: number | null; paidOn: string | null;
};

type Row = {
  id: number; debtor_id: number; debtor_number: string; debtor_name: string; amount_cents: number; iban: string; bic: string | null; end_to_end_id: string; status: RefundStatus;
  proposed_by: string; proposed_at: Date | string; approved_by: string | null; approved_at: Date | string | null; export_id: number | null; paid_on: string | null;
};
const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : String(d));
const toRefund = (r: Row): Refund => ({
  id: r.id, debtorId: r.debtor_id, debtorNumber: r.debtor_number, debtorName: r.debtor_name, amountCents: r.amount_cents, iban: r.iban, bic: r.bic, endToEndId: r.end_to_end_id, status: r.status,
  proposedBy: r.proposed_by, proposedAt: iso(r.proposed_at)!, approvedBy: r.approved_by, approvedAt: iso(r.approved_at), exportId: r.export_id, paidOn: r.paid_on,
});
const SELECT = 'SELECT r.*, d.number AS debtor_number, d.name AS debtor_name FROM refunds r JOIN debtors d ON d.id = r.debtor_id';

export async function listRefunds(q: Queryable, administrationId: number, f: { status?: RefundStatus[]; debtorId?: number; ids?: number[]; lock?: boolean } = {}): Promise<Refund[]> {
  const rows = await q.query<Row>(
    `${SELECT} WHERE r.administration_id = $1 AND ($2::text[] IS NULL OR r.status = ANY($2::text[])) AND ($3::bigint IS NULL OR r.debtor_id = $3) AND ($4::bigint[] IS NULL OR r.id = ANY($4::bigint[]))
      ORDER BY r.id DESC${f.lock ? ' FOR UPDATE OF r' : ''}`,
    [administrationId, f.status ?? null, f.debtorId ?? null, f.ids ?? null],
  );
  return rows.map(toRefund);
}

export type CreditBalance = { debtorId: number; debtorNumber: string; debtorName: string; creditCents: number; ibans: string[] };

/**
 * Debtors whose euro items add up to a credit (the amount to pay back, positive cents) and that
 * have no refund in progress; with the accounts to pay it to: the IBANs of their active mandates
 * first, then the debtor's known accounts.
 */
export async function creditBalances(q: Queryable, administrationId: number, debtorIds: readonly number[] | null = null): Promise<CreditBalance[]> {
  const rows = await q.query<{ debtor_id: number; number: string; name: string; credit: number; ibans: string[] | null }>(
    `SELECT d.id AS debtor_id, d.number, d.name, -s.balance AS credit,
            array_cat(
              (SELECT array_agg(m.iban ORDER BY m.signature_date DESC, m.id DESC) FROM mandates m WHERE m.administration_id = d.administration_id AND m.debtor_id = d.id AND m.status = 'active'),
              (SELECT array_agg(a.iban ORDER BY a.iban) FROM debtor_accounts a WHERE a.debtor_id = d.id)) AS ibans
       FROM debtor_totals t JOIN debtors d ON d.id = t.debtor_id
       JOIN LATERAL (SELECT sum(i.open_cents)::bigint AS balance FROM items i WHERE i.administration_id = d.administration_id AND i.debtor_id = d.id AND i.currency = 'EUR' AND i.open_cents <> 0) s ON true
      WHERE t.administration_id = $1 AND t.open_cents < 0 AND s.balance < 0 AND ($2::bigint[] IS NULL OR d.id = ANY($2::bigint[]))
        AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.administration_id = d.administration_id AND r.debtor_id = d.id AND r.status IN ('proposed', 'approved', 'exported'))
      ORDER BY d.number`,
    [administrationId, debtorIds],
  );
  return rows.map((r) => ({ debtorId: r.debtor_id, debtorNumber: r.number, debtorName: r.name, creditCents: Number(r.credit), ibans: [...new Set((r.ibans ?? []).filter((x): x is string => !!x))] }));
}

export async function countRefunds(q: Queryable, administrationId: number): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM refunds WHERE administration_id = $1', [administrationId]);
  return r!.n;
}

export async function insertRefund(q: Queryable, administrationId: number, r: { debtorId: number; amountCents: number; iban: string; bic: string | null; endToEndId: string; proposedBy: string }): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    'INSERT INTO refunds (administration_id, debtor_id, amount_cents, iban, bic, end_to_end_id, proposed_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [administrationId, r.debtorId, r.amountCents, r.iban, r.bic, r.endToEndId, r.proposedBy],
  );
  return row!.id;
}

export async function setRefundApproved(q: Queryable, administrationId: number, id: number, by: string): Promise<void> {
  await q.query(`UPDATE refunds SET status = 'approved', approved_by = $3, approved_at = now() WHERE administration_id = $1 AND id = $2`, [administrationId, id, by]);
}

export async function insertRefundExport(q: Queryable, administrationId: number, e: { messageId: string; format: string; executionDate: string; txCount: number; totalCents: number; xml: string; createdBy: string | null }, refundIds: readonly number[]): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    'INSERT INTO refund_exports (administration_id, message_id, format, execution_date, tx_count, total_cents, xml, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
    [administrationId, e.messageId, e.format, e.executionDate, e.txCount, e.totalCents, e.xml, e.createdBy],
  );
  await q.query(`UPDATE refunds SET status = 'exported', export_id = $3 WHERE administration_id = $1 AND id = ANY($2::bigint[])`, [administrationId, refundIds, row!.id]);
  return row!.id;
}

export async function countRefundExports(q: Queryable, administrationId: number): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM refund_exports WHERE administration_id = $1', [administrationId]);
  return r!.n;
}

/** Refunds on their way out (approved or exported) by EndToEndId, locked. */
export async function refundsByEndToEnd(q: Queryable, administrationId: number, ids: readonly string[]): Promise<Refund[]> {
  if (!ids.length) return [];
  const rows = await q.query<Row>(`${SELECT} WHERE r.administration_id = $1 AND r.end_to_end_id = ANY($2::text[]) ORDER BY r.id FOR UPDATE OF r`, [administrationId, ids]);
  return rows.map(toRefund);
}

export async function setRefundPaid(q: Queryable, administrationId: number, id: number, p: { lineId: number; bookingId: number; date: string }): Promise<void> {
  await q.query(`UPDATE refunds SET status = 'paid', paid_line_id = $3, paid_booking_id = $4, paid_on = $5 WHERE administration_id = $1 AND id = $2`, [administrationId, id, p.lineId, p.bookingId, p.date]);
}

export async function hasRefundsOnTheWay(q: Queryable, administrationId: number): Promise<boolean> {
  const [r] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM refunds WHERE administration_id = $1 AND status IN ('approved', 'exported') LIMIT 1) x`, [administrationId]);
  return r!.n > 0;
}

export async function getRefundExport(q: Queryable, administrationId: number, id: number): Promise<{ messageId: string; format: string; xml: string } | null> {
  const [r] = await q.query<{ message_id: string; format: string; xml: string }>('SELECT message_id, format, xml FROM refund_exports WHERE administration_id = $1 AND id = $2', [administrationId, id]);
  return r ? { messageId: r.message_id, format: r.format, xml: r.xml } : null;
}
