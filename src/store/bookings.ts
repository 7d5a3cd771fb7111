/**
 * Bookings: what paid what. A booking groups allocations; the trigger on `allocations` keeps
 * every item's open amount equal to amount − sum(allocations). Undo = a reversing booking.
 */
import type { Queryable } from './db.ts';

export type BookingKind = 'bank' | 'credit_note' | 'write_off' | 'manual' | 'reversal' | 'psp';
export type NewBooking = {
  kind: BookingKind;
  date: string;
  status?: 'auto' | 'confirmed';
  bankLineId?: number | null;
  note?: string | null;
  actor?: string | null;
  /** the accounting package that settled it (issue 20); null for Vorder's own bookings */
  source?: string | null;
  allocations: readonly { itemId: number; cents: number }[];
};

export async function insertBooking(q: Queryable, administrationId: number, b: NewBooking): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO bookings (administration_id, kind, date, status, bank_line_id, note, actor, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [administrationId, b.kind, b.date, b.status ?? 'confirmed', b.bankLineId ?? null, b.note ?? null, b.actor ?? null, b.source ?? null],
  );
  const id = r!.id;
  const allocs = b.allocations.filter((a) => a.cents !== 0);
  if (allocs.length) {
    await q.query(
      `INSERT INTO allocations (administration_id, booking_id, item_id, cents, date)
       SELECT $1, $2, item, cents, $3 FROM unnest($4::bigint[], $5::bigint[]) AS u(item, cents)`,
      [administrationId, id, b.date, allocs.map((a) => a.itemId), allocs.map((a) => a.cents)],
    );
  }
  return id;
}

/** Reverse a booking: a new booking with every allocation negated. Returns null if already reversed. */
export async function reverseBooking(q: Queryable, administrationId: number, bookingId: number, opts: { date: string; actor?: string | null; note?: string | null }): Promise<number | null> {
  const [b] = await q.query<{ id: number; status: string }>('SELECT id, status FROM bookings WHERE administration_id = $1 AND id = $2 FOR UPDATE', [administrationId, bookingId]);
  if (!b || b.status === 'reversed' || b.status === 'reversal') return null;
  const allocs = await q.query<{ item_id: number; cents: number }>('SELECT item_id, cents FROM allocations WHERE booking_id = $1', [bookingId]);
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO bookings (administration_id, kind, date, status, reverses_id, note, actor) VALUES ($1, 'reversal', $2, 'reversal', $3, $4, $5) RETURNING id`,
    [administrationId, opts.date, bookingId, opts.note ?? null, opts.actor ?? null],
  );
  if (allocs.length)
    await q.query(
      `INSERT INTO allocations (administration_id, booking_id, item_id, cents, date) SELECT $1, $2, item, -cents, $3 FROM unnest($4::bigint[], $5::bigint[]) AS u(item, cents)`,
      [administrationId, r!.id, opts.date, allocs.map((a) => a.item_id), allocs.map((a) => a.cents)],
    );
  await q.query(`UPDATE bookings SET status = 'reversed' WHERE id = $1`, [bookingId]);
  return r!.id;
}
