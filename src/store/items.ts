/** Open items: invoices, credit notes and unapplied payments (credit balances). */
import type { Queryable } from './db.ts';
import { numberKey } from '../domain/matching/number-key.ts';
import { itemSearchSql } from './search.ts';

export type ItemKind = 'invoice' | 'credit_note' | 'unapplied_payment';

export type Item = {
  id: number;
  debtorId: number;
  debtorNumber: string;
  debtorName: string;
  kind: ItemKind;
  number: string;
  issueDate: string;
  dueDate: string;
  amountCents: number;
  openCents: number;
  currency: string;
  description: string | null;
  paymentReference: string | null;
  onHold: boolean;
  holdReason: string | null;
  documentId: number | null;
  source: string;
  createdAt: string;
  updatedAt: string;
};

type ItemRow = {
  id: number; debtor_id: number; debtor_number: string; debtor_name: string; kind: ItemKind; number: string; issue_date: string; due_date: string;
  amount_cents: number; open_cents: number; currency: string; description: string | null; payment_reference: string | null;
  on_hold: boolean; hold_reason: string | null; document_id: number | null; source: string; created_at: Date | string; updated_at: Date | string;
};

const iso = (v: Date | string): string => (v instanceof Date ? v.toISOString() : String(v));

export function toItem(r: ItemRow): Item {
  return {
    id: r.id, debtorId: r.debtor_id, debtorNumber: r.debtor_number, debtorName: r.debtor_name, kind: r.kind, number: r.number,
    issueDate: r.issue_date, dueDate: r.due_date, amountCents: r.amount_cents, openCents: r.open_cents, currency: r.currency.trim(),
    description: r.description, paymentReference: r.payment_reference, onHold: r.on_hold, holdReason: r.hold_reason,
    documentId: r.document_id, source: r.source, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  };
}

const SELECT_ITEM = `SELECT i.*, d.number AS debtor_number, d.name AS debtor_name FROM items i JOIN debtors d ON d.id = i.debtor_id`;

export async function getItem(q: Queryable, administrationId: number, id: number): Promise<Item | null> {
  const [r] = await q.query<ItemRow>(`${SELECT_ITEM} WHERE i.administration_id = $1 AND i.id = $2`, [administrationId, id]);
  return r ? toItem(r) : null;
}

export async function getItemByNumber(q: Queryable, administrationId: number, number: string): Promise<Item | null> {
  const [r] = await q.query<ItemRow>(`${SELECT_ITEM} WHERE i.administration_id = $1 AND i.number = $2`, [administrationId, number]);
  return r ? toItem(r) : null;
}

export type ItemFilter = {
  debtorId?: number;
  status?: 'open' | 'overdue' | 'paid' | 'all';
  kind?: ItemKind;
  onHold?: boolean;
  search?: string;
  dueFrom?: string;
  dueTo?: string;
  asOf: string;
  limit: number;
  offset: number;
  withTotal?: boolean;
  /** by due date (the default), number, issue date, amount or open amount */
  sort?: ItemSort;
  /** by default ascending for dates and numbers, descending for amounts */
  dir?: 'asc' | 'desc';
};

export const ITEM_SORTS = ['due', 'number', 'issue', 'amount', 'open'] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];

export async function listItems(q: Queryable, administrationId: number, f: ItemFilter): Promise<{ rows: Item[]; total: number | null }> {
  const where = ['i.administration_id = $1'];
  const params: unknown[] = [administrationId];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
  if (f.debtorId !== undefined) add('i.debtor_id = ?', f.debtorId);
  const status = f.status ?? 'open';
  if (status === 'open') where.push('i.open_cents <> 0');
  else if (status === 'paid') where.push('i.open_cents = 0');
  else if (status === 'overdue') { where.push('i.open_cents > 0'); add('i.due_date < ?::date', f.asOf); }
  if (f.kind) add('i.kind = ?', f.kind);
  if (f.onHold !== undefined) add('i.on_hold = ?', f.onHold);
  const searched = f.search ? itemSearchSql(f.search, params) : null;
  if (searched) where.push(searched);
  if (f.dueFrom) add('i.due_date >= ?::date', f.dueFrom);
  if (f.dueTo) add('i.due_date <= ?::date', f.dueTo);
  const whereSql = where.join(' AND ');
  const sort = f.sort ?? 'due';
  const d = (f.dir ?? (sort === 'amount' || sort === 'open' ? 'desc' : 'asc')) === 'desc' ? 'DESC' : 'ASC';
  const order = { due: `i.due_date ${d}, i.id ${d}`, number: `i.number ${d}, i.id ${d}`, issue: `i.issue_date ${d}, i.id ${d}`, amount: `i.amount_cents ${d}, i.id ${d}`, open: `i.open_cents ${d}, i.id ${d}` }[sort];
  // the page is chosen from the items alone, then joined to its debtors (not a million joined rows sorted)
  const rows = await q.query<ItemRow>(
    `SELECT i.*, d.number AS debtor_number, d.name AS debtor_name
       FROM (SELECT i.* FROM items i WHERE ${whereSql} ORDER BY ${order} LIMIT ${Math.min(Math.max(1, f.limit), 1000)} OFFSET ${Math.max(0, f.offset)}) i
       JOIN debtors d ON d.id = i.debtor_id ORDER BY ${order}`,
    params,
  );
  let total: number | null = null;
  // open or overdue, at most a due-date range: counted from the open amounts per due date (migration 0006)
  const onlyDue = f.debtorId === undefined && !f.kind && f.onHold === undefined && !f.search && (status === 'open' || status === 'overdue');
  if (f.withTotal !== false && onlyDue) {
    const [c] = await q.query<{ n: number }>(
      `SELECT coalesce(sum(${status === 'open' ? 'open_items' : 'positive_items'}), 0)::int AS n FROM open_by_due_date
        WHERE administration_id = $1 AND ($2::date IS NULL OR due_date < $2::date) AND ($3::date IS NULL OR due_date >= $3::date) AND ($4::date IS NULL OR due_date <= $4::date)`,
      [administrationId, status === 'overdue' ? f.asOf : null, f.dueFrom ?? null, f.dueTo ?? null],
    );
    total = c?.n ?? 0;
  } else if (f.withTotal !== false) {
    const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM items i WHERE ${whereSql}`, params);
    total = c?.n ?? 0;
  }
  return { rows: rows.map(toItem), total };
}

export const ITEM_FIELDS = {
  number: 'number', issueDate: 'issue_date', dueDate: 'due_date', description: 'description', paymentReference: 'payment_reference',
  onHold: 'on_hold', holdReason: 'hold_reason', documentId: 'document_id',
} as const;

export type NewItem = {
  debtorId: number;
  kind: ItemKind;
  number: string;
  issueDate: string;
  dueDate: string;
  amountCents: number;
  currency: string;
  description?: string | null;
  paymentReference?: string | null;
  documentId?: number | null;
  source: string;
};

export async function insertItem(q: Queryable, administrationId: number, it: NewItem): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, currency, description, payment_reference, document_id, source, number_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [administrationId, it.debtorId, it.kind, it.number, it.issueDate, it.dueDate, it.amountCents, it.currency, it.description ?? null, it.paymentReference ?? null, it.documentId ?? null, it.source, numberKey(it.number)],
  );
  return r!.id;
}

/** Change an item's amount; the database moves the open amount by the same difference (migration 20261202_0008). */
export async function changeItemAmount(q: Queryable, administrationId: number, id: number, amountCents: number): Promise<void> {
  await q.query(
    `UPDATE items SET amount_cents = $3, updated_at = now() WHERE administration_id = $1 AND id = $2`,
    [administrationId, id, amountCents],
  );
}

export async function updateItemFields(q: Queryable, administrationId: number, id: number, input: Partial<Record<keyof typeof ITEM_FIELDS, unknown>>): Promise<void> {
  const sets: string[] = [];
  const vals: unknown[] = [administrationId, id];
  for (const [k, col] of Object.entries(ITEM_FIELDS)) {
    const v = (input as Record<string, unknown>)[k];
    if (v === undefined) continue;
    vals.push(v);
    sets.push(`${col} = $${vals.length}`);
  }
  if (sets.length) await q.query(`UPDATE items SET ${sets.join(', ')}, updated_at = now() WHERE administration_id = $1 AND id = $2`, vals);
}

export async function hasAllocations(q: Queryable, itemId: number): Promise<boolean> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM allocations WHERE item_id = $1', [itemId]);
  return (r?.n ?? 0) > 0;
}

export type ItemPayment = { bookingId: number; kind: string; status: string; date: string; cents: number; bankLineId: number | null; note: string | null };

export async function listItemAllocations(q: Queryable, administrationId: number, itemId: number): Promise<ItemPayment[]> {
  const rows = await q.query<{ booking_id: number; kind: string; status: string; date: string; cents: number; bank_line_id: number | null; note: string | null }>(
    `SELECT a.booking_id, b.kind, b.status, a.date, a.cents, b.bank_line_id, b.note FROM allocations a JOIN bookings b ON b.id = a.booking_id
      WHERE a.administration_id = $1 AND a.item_id = $2 ORDER BY a.id`,
    [administrationId, itemId],
  );
  return rows.map((r) => ({ bookingId: r.booking_id, kind: r.kind, status: r.status, date: r.date, cents: r.cents, bankLineId: r.bank_line_id, note: r.note }));
}
