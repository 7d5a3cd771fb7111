/** Debtors and their known bank accounts. */
import type { Queryable } from './db.ts';
import { pausedReasons } from './care.ts';
import { DEFAULT_STATUSES } from '../domain/care/statuses.ts';
import { topByBound } from './top.ts';
import { debtorSearchSql } from './search.ts';

export type Debtor = {
  id: number;
  number: string;
  name: string;
  type: 'business' | 'consumer';
  kvk: string | null;
  vatNumber: string | null;
  emails: string[];
  phone: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  language: 'nl' | 'en';
  paymentTermDays: number | null;
  creditLimitCents: number | null;
  status: string;
  segment: string | null;
  onHold: boolean;
  holdReason: string | null;
  ibans: string[];
  createdAt: string;
  updatedAt: string;
};

/** pausedReason: why the dunning run leaves the debtor alone (or any of its items), for the list; null when nothing is paused. */
export type DebtorWithBalance = Debtor & { balanceCents: number; overdueCents: number; openItems: number; pausedReason?: string | null };

type DebtorRow = {
  id: number; number: string; name: string; type: 'business' | 'consumer'; kvk: string | null; vat_number: string | null; emails: string[];
  phone: string | null; address_line: string | null; postal_code: string | null; city: string | null; country: string | null;
  language: 'nl' | 'en'; payment_term_days: number | null; credit_limit_cents: number | null; status: string; segment: string | null;
  on_hold: boolean; hold_reason: string | null; ibans: string[] | null; created_at: Date | string; updated_at: Date | string;
  balance_cents?: number; overdue_cents?: number; open_items?: number;
};

const iso = (v: Date | string): string => (v instanceof Date ? v.toISOString() : String(v));

export function toDebtor(r: DebtorRow): Debtor {
  return {
    id: r.id, number: r.number, name: r.name, type: r.type, kvk: r.kvk, vatNumber: r.vat_number, emails: r.emails ?? [], phone: r.phone,
    addressLine: r.address_line, postalCode: r.postal_code, city: r.city, country: r.country, language: r.language,
    paymentTermDays: r.payment_term_days, creditLimitCents: r.credit_limit_cents, status: r.status, segment: r.segment,
    onHold: r.on_hold, holdReason: r.hold_reason, ibans: r.ibans ?? [], createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  };
}

/** Writable fields: API name → column. */
export const DEBTOR_FIELDS = {
  number: 'number', name: 'name', type: 'type', kvk: 'kvk', vatNumber: 'vat_number', emails: 'emails', phone: 'phone',
  addressLine: 'address_line', postalCode: 'postal_code', city: 'city', country: 'country', language: 'language',
  paymentTermDays: 'payment_term_days', creditLimitCents: 'credit_limit_cents', status: 'status', segment: 'segment',
  onHold: 'on_hold', holdReason: 'hold_reason',
} as const;

export type DebtorInput = Partial<Omit<Debtor, 'id' | 'createdAt' | 'updatedAt' | 'ibans'>> & { ibans?: string[] };

const SELECT_DEBTOR = `SELECT d.*, (SELECT array_agg(a.iban ORDER BY a.iban) FROM debtor_accounts a WHERE a.debtor_id = d.id) AS ibans FROM debtors d`;

export async function getDebtor(q: Queryable, administrationId: number, id: number): Promise<Debtor | null> {
  const [r] = await q.query<DebtorRow>(`${SELECT_DEBTOR} WHERE d.administration_id = $1 AND d.id = $2`, [administrationId, id]);
  return r ? toDebtor(r) : null;
}

/** Which of `ids` are debtors of the administration (the rest belong to another one, or to none). */
export async function existingDebtorIds(q: Queryable, administrationId: number, ids: readonly number[]): Promise<Set<number>> {
  const rows = await q.query<{ id: number }>('SELECT id FROM debtors WHERE administration_id = $1 AND id = ANY($2::bigint[])', [administrationId, ids]);
  return new Set(rows.map((r) => r.id));
}

export async function getDebtorByNumber(q: Queryable, administrationId: number, number: string): Promise<Debtor | null> {
  const [r] = await q.query<DebtorRow>(`${SELECT_DEBTOR} WHERE d.administration_id = $1 AND d.number = $2`, [administrationId, number]);
  return r ? toDebtor(r) : null;
}

export type DebtorFilter = {
  search?: string;
  /** only these debtors (e.g. one debtor's page with its amounts) */
  ids?: number[];
  status?: string;
  segment?: string;
  type?: 'business' | 'consumer';
  onHold?: boolean;
  overdueOnly?: boolean;
  /** open balance at least / at most (cents) */
  minBalanceCents?: number;
  maxBalanceCents?: number;
  /** why the run leaves the debtor alone (store/care.ts pausedReasons): one reason, any, or none */
  paused?: PausedFilter;
  /** nobody is on it: no open task, and no dunning step in the last UNATTENDED_DAYS days */
  unattended?: boolean;
  /** an unread reply from the debtor waits (inbound mail) */
  replyWaiting?: boolean;
  asOf: string;
  limit: number;
  offset: number;
  sort?: DebtorSort;
  /** the direction; by default ascending for texts, descending for amounts and counts */
  dir?: 'asc' | 'desc';
};

/** A debtor with no dunning step for this many days and no open task is work nobody is doing. */
export const UNATTENDED_DAYS = 14;

export const DEBTOR_SORTS = ['number', 'name', 'city', 'status', 'openItems', 'balance', 'overdue'] as const;
export type DebtorSort = (typeof DEBTOR_SORTS)[number];
const DESC_FIRST: ReadonlySet<DebtorSort> = new Set(['openItems', 'balance', 'overdue']);

export const PAUSED_FILTERS = ['any', 'none', 'on_hold', 'status_paused', 'payment_plan', 'promise_to_pay', 'disputed'] as const;
export type PausedFilter = (typeof PAUSED_FILTERS)[number];

/**
 * The condition of one paused reason in SQL ($1 the administration, $2 the as-of date, `defaults`
 * the parameter with the statuses that pause by default): the same rules as pausedReasons, driven
 * by the (small) care tables rather than checked debtor by debtor.
 */
function pausedSql(code: Exclude<PausedFilter, 'any' | 'none'>, defaults: string): string {
  switch (code) {
    case 'on_hold': return 'd.on_hold';
    case 'status_paused': return `(d.status IN (SELECT s.key FROM debtor_statuses s WHERE s.administration_id = $1 AND s.pauses_chase)
      OR (d.status = ANY(${defaults}::text[]) AND NOT EXISTS (SELECT 1 FROM debtor_statuses x WHERE x.administration_id = $1)))`;
    case 'payment_plan': return `d.id IN (SELECT pp.debtor_id FROM payment_plans pp WHERE pp.administration_id = $1 AND pp.status = 'active')`;
    case 'promise_to_pay': return `d.id IN (SELECT p.debtor_id FROM promises p WHERE p.administration_id = $1 AND p.status = 'open' AND p.promised_date + p.grace_days >= $2::date)`;
    case 'disputed': return `d.id IN (SELECT ds.debtor_id FROM disputes ds JOIN dispute_items di ON di.dispute_id = ds.id WHERE ds.administration_id = $1 AND ds.status = 'open')`;
  }
}

export async function listDebtors(q: Queryable, administrationId: number, f: DebtorFilter): Promise<{ rows: DebtorWithBalance[]; total: number }> {
  const where = ['d.administration_id = $1'];
  const params: unknown[] = [administrationId, f.asOf];
  const searched = f.search ? debtorSearchSql(f.search, params) : null;
  if (searched) where.push(searched);
  if (f.ids) { params.push(f.ids); where.push(`d.id = ANY($${params.length}::bigint[])`); }
  if (f.status) { params.push(f.status); where.push(`d.status = $${params.length}`); }
  if (f.segment) { params.push(f.segment); where.push(`d.segment = $${params.length}`); }
  if (f.type) { params.push(f.type); where.push(`d.type = $${params.length}`); }
  if (f.onHold !== undefined) { params.push(f.onHold); where.push(`d.on_hold = $${params.length}`); }
  if (f.minBalanceCents !== undefined) { params.push(f.minBalanceCents); where.push(`t.open_cents >= $${params.length}`); }
  if (f.maxBalanceCents !== undefined) { params.push(f.maxBalanceCents); where.push(`t.open_cents <= $${params.length}`); }
  if (f.paused) {
    // the statuses that pause by default, as a parameter only where the condition uses it
    let defaults = '';
    if (f.paused === 'any' || f.paused === 'none' || f.paused === 'status_paused') {
      params.push(DEFAULT_STATUSES.filter((x) => x.pausesChase).map((x) => x.key));
      defaults = `$${params.length}`;
    }
    const any = `(${(['on_hold', 'status_paused', 'payment_plan', 'promise_to_pay', 'disputed'] as const).map((c) => pausedSql(c, defaults)).join(' OR ')})`;
    where.push(f.paused === 'any' ? any : f.paused === 'none' ? `NOT ${any}` : pausedSql(f.paused, defaults));
  }
  // Balances come from the derived debtor totals (migration 0006, kept by triggers); the overdue
  // amount depends on the as-of date, so it is summed from the items of the page's debtors only.
  // "Overdue only" is the oldest open due date before the as-of date.
  if (f.overdueOnly) where.push('t.oldest_due < $2::date');
  if (f.unattended) {
    where.push(`NOT EXISTS (SELECT 1 FROM tasks tk WHERE tk.debtor_id = d.id AND tk.status = 'open')`);
    where.push(`NOT EXISTS (SELECT 1 FROM dunning_actions da WHERE da.debtor_id = d.id AND da.created_at >= ($2::date - ${UNATTENDED_DAYS}))`);
  }
  if (f.replyWaiting) where.push(`d.id IN (SELECT im.debtor_id FROM inbound_messages im WHERE im.administration_id = $1 AND im.status = 'unread' AND im.kind = 'reply' AND im.debtor_id IS NOT NULL)`);
  const whereSql = where.join(' AND ');
  const from = `FROM debtors d JOIN debtor_totals t ON t.debtor_id = d.id`;
  const overdueOfPage = `LEFT JOIN LATERAL (
      SELECT coalesce(sum(i.open_cents), 0)::bigint AS overdue_cents FROM items i
       WHERE i.debtor_id = d.id AND t.oldest_due < $2::date AND i.due_date < $2::date AND i.open_cents > 0) o ON true`;
  const limit = Math.min(f.limit, 1000);
  const offset = Math.max(0, f.offset);
  // the page's ids first (from the index that gives the order), then their rows and amounts
  const page = (extraWhere: string, order: string, lim: number, off: number, extraParams: unknown[] = []) => q.query<DebtorRow>(
    `SELECT d.*, t.open_cents AS balance_cents, t.open_items, o.overdue_cents, (SELECT array_agg(a.iban ORDER BY a.iban) FROM debtor_accounts a WHERE a.debtor_id = d.id) AS ibans
       FROM (SELECT d.id ${/\bt\./.test(whereSql + extraWhere + order) ? `${from} WHERE t.administration_id = $1 AND` : 'FROM debtors d WHERE'} ${whereSql}${extraWhere} ORDER BY ${order} LIMIT ${lim} OFFSET ${off}) p
       JOIN debtors d ON d.id = p.id JOIN debtor_totals t ON t.debtor_id = d.id ${overdueOfPage} ORDER BY ${order}`,
    [...params, ...extraParams],
  );
  let rows: DebtorRow[] | null = null;
  const sort = f.sort ?? 'number';
  const dir = f.dir ?? (DESC_FIRST.has(sort) ? 'desc' : 'asc');
  if (sort === 'overdue' && dir === 'desc') {
    // most overdue first: exact, from candidates in order of their positive open amount (store/top.ts)
    const byOverdue = (a: DebtorRow, b: DebtorRow) => Number(b.overdue_cents) - Number(a.overdue_cents) || a.id - b.id;
    if (offset + limit <= 1000) {
      const top = await topByBound<DebtorRow>({
        want: offset + limit,
        positiveOnly: f.overdueOnly,
        candidates: async (off, n) => (await q.query<{ id: number; bound: number }>(
          `SELECT d.id, t.positive_cents AS bound ${from} WHERE ${whereSql} AND t.oldest_due < $2::date ORDER BY t.positive_cents DESC, d.id LIMIT ${n} OFFSET ${off}`, params)).map((r) => ({ id: Number(r.id), bound: Number(r.bound) })),
        exact: (ids) => page(` AND d.id = ANY($${params.length + 1}::bigint[])`, 'd.id', ids.length, 0, [ids]),
        value: (r) => Number(r.overdue_cents),
        compare: byOverdue,
      });
      rows = top?.slice(offset) ?? null;
    }
    if (!rows) {
      // the plain way: every debtor's overdue amount
      rows = await q.query<DebtorRow>(
        `SELECT d.*, t.open_cents AS balance_cents, t.open_items, o.overdue_cents, (SELECT array_agg(a.iban ORDER BY a.iban) FROM debtor_accounts a WHERE a.debtor_id = d.id) AS ibans
           ${from} ${overdueOfPage} WHERE ${whereSql} ORDER BY o.overdue_cents DESC, d.id LIMIT ${limit} OFFSET ${offset}`,
        params,
      );
    }
  } else if (sort === 'overdue') {
    // least overdue first: every debtor's overdue amount
    rows = await q.query<DebtorRow>(
      `SELECT d.*, t.open_cents AS balance_cents, t.open_items, o.overdue_cents, (SELECT array_agg(a.iban ORDER BY a.iban) FROM debtor_accounts a WHERE a.debtor_id = d.id) AS ibans
         ${from} ${overdueOfPage} WHERE ${whereSql} ORDER BY o.overdue_cents, d.id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
  } else {
    const d = dir === 'desc' ? 'DESC' : 'ASC';
    const order = {
      number: `d.number ${d}`, name: `lower(d.name) ${d}, d.id ${d}`, city: `lower(d.city) ${d} NULLS LAST, d.id ${d}`, status: `d.status ${d}, d.id ${d}`,
      openItems: `t.open_items ${d}, t.debtor_id ${d}`, balance: `t.open_cents ${d}, t.debtor_id ${d}`,
    }[sort];
    rows = await page('', order, limit, offset);
  }
  // $2 (the as-of date) is always referenced so both engines can type it.
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n ${/\bt\./.test(whereSql) ? from : 'FROM debtors d'} WHERE ${whereSql} AND $2::date IS NOT NULL`, params);
  // One extra query for the page's debtors: who is paused and why (care records, status, hold).
  const paused = await pausedReasons(q, administrationId, rows.map((r) => r.id), f.asOf);
  return {
    rows: rows.map((r) => ({ ...toDebtor(r), balanceCents: r.balance_cents ?? 0, overdueCents: r.overdue_cents ?? 0, openItems: r.open_items ?? 0, pausedReason: paused.get(r.id)?.map((p) => p.detail).join('; ') || null })),
    total: c?.n ?? 0,
  };
}

export async function insertDebtor(q: Queryable, administrationId: number, input: DebtorInput & { number: string; name: string }): Promise<number> {
  const cols = ['administration_id'];
  const vals: unknown[] = [administrationId];
  for (const [k, col] of Object.entries(DEBTOR_FIELDS)) {
    const v = (input as Record<string, unknown>)[k];
    if (v !== undefined) { cols.push(col); vals.push(v); }
  }
  const [r] = await q.query<{ id: number }>(`INSERT INTO debtors (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, vals);
  if (input.ibans?.length) await addDebtorAccounts(q, administrationId, r!.id, input.ibans, 'manual');
  return r!.id;
}

/** Update the given fields; returns the changed fields with old and new values. */
export async function updateDebtor(q: Queryable, administrationId: number, id: number, input: DebtorInput): Promise<Record<string, { from: unknown; to: unknown }> | null> {
  const before = await getDebtor(q, administrationId, id);
  if (!before) return null;
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const sets: string[] = [];
  const vals: unknown[] = [administrationId, id];
  for (const [k, col] of Object.entries(DEBTOR_FIELDS)) {
    const v = (input as Record<string, unknown>)[k];
    if (v === undefined) continue;
    const old = (before as Record<string, unknown>)[k];
    if (JSON.stringify(old) === JSON.stringify(v)) continue;
    changes[k] = { from: old, to: v };
    vals.push(v);
    sets.push(`${col} = $${vals.length}`);
  }
  if (sets.length) await q.query(`UPDATE debtors SET ${sets.join(', ')}, updated_at = now() WHERE administration_id = $1 AND id = $2`, vals);
  if (input.ibans) {
    const added = input.ibans.filter((i) => !before.ibans.includes(i));
    if (added.length) {
      await addDebtorAccounts(q, administrationId, id, added, 'manual');
      changes.ibans = { from: before.ibans, to: [...before.ibans, ...added].sort() };
    }
  }
  return changes;
}

export async function addDebtorAccounts(q: Queryable, administrationId: number, debtorId: number, ibans: readonly string[], source: 'import' | 'manual' | 'learned'): Promise<void> {
  if (!ibans.length) return;
  await q.query(
    `INSERT INTO debtor_accounts (administration_id, debtor_id, iban, source) SELECT $1, $2, unnest($3::text[]), $4 ON CONFLICT DO NOTHING`,
    [administrationId, debtorId, ibans, source],
  );
}
