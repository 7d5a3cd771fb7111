/** Shared pieces of the care use cases: a Db view of a transaction, status bookkeeping, settings. */
import type { Db, Queryable, Tx } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { getDebtor, type Debtor } from '../../store/debtors.ts';
import { addEvent } from '../../store/events.ts';
import { ev } from '../../domain/events.ts';
import { listStatuses, openCareOf, setDebtorStatus, upsertStatuses, listDisputeReasons, upsertDisputeReasons } from '../../store/care.ts';
import { DEFAULT_DISPUTE_REASONS, DEFAULT_STATUSES, impliedStatus } from '../../domain/care/statuses.ts';
import { isIsoDate } from '../../domain/dates.ts';
import { careLimitsOf as careLimitsFromSettings, type CareLimits } from '../../domain/care/limits.ts';
import { invalid, notFound } from '../errors.ts';

export type Actor = string | null;

/**
 * The ledger's use cases (createItem, settleCredit) open their own transaction. Inside a care
 * use case they must join ours, so that a dispute resolved with a credit note is one change:
 * this Db runs `transaction(fn)` on the open transaction.
 */
export function txDb(db: Db, tx: Tx): Db {
  return { ...tx, engine: db.engine, transaction: <T>(fn: (t: Tx) => Promise<T>) => fn(tx), close: async () => undefined } as Db;
}

export async function requireDebtor(q: Queryable, admin: Administration, debtorId: number): Promise<Debtor> {
  const d = await getDebtor(q, admin.id, debtorId);
  if (!d) throw notFound(`debtor ${debtorId}`);
  return d;
}

export function requireDate(field: string, v: string): string {
  if (!isIsoDate(v)) throw invalid(`${field} must be a date YYYY-MM-DD`, [{ field, code: 'invalid', message: `"${v}" is not a date` }]);
  return v;
}

/** The status table, with the defaults inserted on first use. */
export async function ensureStatuses(q: Queryable, admin: Administration) {
  let rows = await listStatuses(q, admin.id);
  if (!rows.length) {
    await upsertStatuses(q, admin.id, DEFAULT_STATUSES);
    rows = await listStatuses(q, admin.id);
  }
  return rows;
}

export async function ensureDisputeReasons(q: Queryable, admin: Administration) {
  let rows = await listDisputeReasons(q, admin.id);
  if (!rows.length) {
    await upsertDisputeReasons(q, admin.id, DEFAULT_DISPUTE_REASONS);
    rows = await listDisputeReasons(q, admin.id);
  }
  return rows;
}

/**
 * After a promise, plan or dispute opens or closes: set the status those records imply (only while
 * the debtor is in an automatic status: normal, promise, payment plan, dispute), on the timeline.
 */
export async function syncStatus(tx: Queryable, admin: Administration, debtorId: number, actor: Actor): Promise<void> {
  const d = await getDebtor(tx, admin.id, debtorId);
  if (!d) return;
  const next = impliedStatus(d.status, await openCareOf(tx, debtorId));
  if (next === d.status) return;
  const table = await ensureStatuses(tx, admin);
  const label = (key: string) => { const s = table.find((x) => x.key === key); return { key, nl: s?.labelNl ?? key, en: s?.labelEn ?? key }; };
  await setDebtorStatus(tx, admin.id, debtorId, next);
  await addEvent(tx, admin.id, { debtorId, event: ev('status_changed', { from: label(d.status), to: label(next), automatic: true }), data: { from: d.status, to: next, automatic: true }, actor });
}

/** The administration's limits for promises and plans (settings under `care`, see domain/care/limits.ts). */
export function careLimitsOf(admin: Administration): CareLimits {
  return careLimitsFromSettings((admin.settings as { care?: Record<string, unknown> }).care);
}

type CareSettings = { promiseGraceDays: number; planGraceDays: number; disputeDays: number };

/** Administration settings under `care`: grace days of promises (3) and plans (5), days to handle a dispute (14). */
export function careSettingsOf(admin: Administration): CareSettings {
  const s = ((admin.settings as { care?: Record<string, unknown> }).care ?? {}) as Record<string, unknown>;
  const n = (v: unknown, d: number) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 90 ? (v as number) : d);
  return { promiseGraceDays: n(s.promiseGraceDays, 3), planGraceDays: n(s.planGraceDays, 5), disputeDays: n(s.disputeDays, 14) };
}
