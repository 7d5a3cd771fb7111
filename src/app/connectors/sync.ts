/**
 * The sync of one connection: pull a page from the package, apply it and checkpoint the cursor in
 * one transaction, repeat. A crash (even kill -9) loses at most the page in flight: the next run
 * resumes after the last page that was committed. Rules (docs/connectors.md):
 *  - the package is the source of truth for amounts and paid status: what it settled is settled
 *    here by a booking with `source` = the package; changes are recorded on the timeline;
 *  - never "missing means paid": see src/domain/connectors/guard.ts; a sync that would close
 *    more than the allowed share of open items closes nothing and waits for a person.
 */
import type { Db, Queryable } from '../../store/db.ts';
import { withAdministration } from '../../store/tenant.ts';
import { getAdministration, reserveReferenceCounters, type Administration } from '../../store/administrations.ts';
import { getDebtor, getDebtorByNumber, insertDebtor, updateDebtor, type DebtorInput } from '../../store/debtors.ts';
import { changeItemAmount, getItem, getItemByNumber, hasAllocations, insertItem, updateItemFields } from '../../store/items.ts';
import { insertBooking } from '../../store/bookings.ts';
import { addEvents, type NewEvent } from '../../store/events.ts';
import {
  clearPendingCloses, closeRecord, countOpenRecords, finishSync, getConnection, getRecord, insertSync, markGone, markMissed, openItemRecords,
  packageAllocated, pendingCloses, recordVersions, updateConnection, upsertRecord, type ConnectionRow,
} from '../../store/connections.ts';
import { AuthorisationFailed, RateLimitedUntil, VENDOR_NAMES, type Connector, type Cursor, type ExternalDebtor, type ExternalItem, type Page, type PullContext, type Vendor } from '../../domain/connectors/types.ts';
import { closeGuard, maxCloseShareOf } from '../../domain/connectors/guard.ts';
import { generatePaymentReference, isValidBetalingskenmerk, isValidRf } from '../../domain/references.ts';
import { normaliseCurrency } from '../../domain/currency.ts';
import { formatCents } from '../../domain/money.ts';
import { todayIn } from '../../domain/dates.ts';
import { AppError, notFound } from '../errors.ts';
import { ev } from '../../domain/events.ts';

export type SyncStatus = 'done' | 'refused' | 'failed' | 'deferred' | 'paused' | 'superseded';
export type SyncResult = { connectionId: number; syncId: number | null; status: SyncStatus; counts: Record<string, number>; error: string | null; deferredUntil: string | null };
export type SyncOptions = { trigger?: string; full?: boolean; actor?: string; onPage?: (pages: number) => void | Promise<void> };

type RunCursor = { run: number; full: boolean; counts: Record<string, number>; state: Cursor };

/** JSON with sorted keys: jsonb does not keep the order of keys. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const add = (c: Record<string, number>, k: string, n = 1) => (c[k] = (c[k] ?? 0) + n);

function validReference(ref: string | null): string | null {
  const r = ref?.replace(/\s+/g, '') ?? '';
  if (!r) return null;
  if (/^RF/i.test(r)) return isValidRf(r) ? r : null;
  if (/^\d{16}$/.test(r)) return isValidBetalingskenmerk(r) ? r : null;
  return r.length <= 35 ? r : null;
}

export async function syncConnection(db: Db, administrationId: number, connectionId: number, connector: Connector, opts: SyncOptions = {}): Promise<SyncResult> {
  const vendor = connector.vendor;
  const name = VENDOR_NAMES[vendor];
  // 1. start a sync, or resume the one a crash interrupted
  const start = await withAdministration(db, administrationId, async (s) => {
    const conn = await getConnection(s, administrationId, connectionId, { forUpdate: true });
    if (!conn) throw notFound(`connection ${connectionId}`);
    if (conn.status !== 'active' && conn.status !== 'error') return null;
    const c = conn.cursor as Partial<RunCursor>;
    if (typeof c.run === 'number') return c as RunCursor;
    const run = await insertSync(s, administrationId, connectionId, opts.trigger ?? 'manual');
    const rc: RunCursor = { run, full: conn.phase === 'initial' || opts.full === true, counts: {}, state: (c.state as Cursor | undefined) ?? {} };
    await updateConnection(s, administrationId, connectionId, { cursor: rc, last_sync_at: new Date().toISOString(), progress: { stage: 'start', done: 0, total: null } });
    return rc;
  });
  if (!start) return { connectionId, syncId: null, status: 'paused', counts: {}, error: null, deferredUntil: null };
  let rc = start;
  const ctx: PullContext = {
    versions: (kind, ids) => withAdministration(db, administrationId, (s) => recordVersions(s, connectionId, kind, ids)),
    openItemIds: () => withAdministration(db, administrationId, (s) => openItemRecords(s, connectionId)),
  };
  let pages = 0;
  for (;;) {
    let page: Page;
    try {
      page = await connector.pull(rc.state, ctx, { full: rc.full });
    } catch (e) {
      return stopped(db, administrationId, connectionId, rc, e as Error, name);
    }
    const before = canonical(rc.state);
    const next = await withAdministration(db, administrationId, async (s) => {
      const conn = await getConnection(s, administrationId, connectionId, { forUpdate: true });
      const cur = conn?.cursor as Partial<RunCursor> | undefined;
      // another process moved this sync on meanwhile: its pages count, ours is dropped
      if (!conn || cur?.run !== rc.run || canonical(cur.state ?? {}) !== before) return null;
      const admin = (await getAdministration(s, administrationId))!;
      const counts = { ...rc.counts };
      await applyPage(s, admin, conn, rc.run, page, counts, opts.actor ?? `sync:${vendor}`);
      const nrc: RunCursor = { ...rc, counts, state: page.cursor };
      if (!page.done) {
        await updateConnection(s, administrationId, connectionId, { cursor: nrc, progress: page.progress ?? {} });
        return { rc: nrc, result: null };
      }
      return { rc: nrc, result: await finish(s, admin, conn, nrc, page, opts.actor ?? `sync:${vendor}`) };
    });
    if (!next) return { connectionId, syncId: rc.run, status: 'superseded', counts: rc.counts, error: null, deferredUntil: null };
    rc = next.rc;
    pages++;
    await opts.onPage?.(pages);
    if (next.result) return next.result;
  }
}

async function stopped(db: Db, administrationId: number, connectionId: number, rc: RunCursor, e: Error, name: string): Promise<SyncResult> {
  const deferred = e instanceof RateLimitedUntil ? e.until.toISOString() : null;
  const status: SyncStatus = deferred ? 'deferred' : 'failed';
  const message = e instanceof AppError || e instanceof AuthorisationFailed || e instanceof RateLimitedUntil ? e.message : `${name}: ${e.message}`;
  await withAdministration(db, administrationId, async (s) => {
    // the cursor stays: the next run resumes this sync where it stopped
    await finishSync(s, administrationId, rc.run, status, rc.counts, message);
    const run = await insertSync(s, administrationId, connectionId, 'resume');
    await updateConnection(s, administrationId, connectionId, {
      cursor: { ...rc, run }, last_error: message, last_counts: rc.counts,
      ...(e instanceof AuthorisationFailed ? { status: 'error' } : {}),
    });
  });
  return { connectionId, syncId: rc.run, status, counts: rc.counts, error: message, deferredUntil: deferred };
}

async function finish(s: Queryable, admin: Administration, conn: ConnectionRow, rc: RunCursor, page: Page, actor: string): Promise<SyncResult> {
  const counts = { ...rc.counts };
  if (page.snapshotComplete) {
    const m = await markMissed(s, conn.id, rc.run);
    if (m.firstMiss) add(counts, 'missedOnce', m.firstMiss);
  }
  const pending = await pendingCloses(s, conn.id);
  const open = await countOpenRecords(s, conn.id);
  const verdict = closeGuard(pending.length, open, maxCloseShareOf(conn.settings));
  let status: SyncStatus = 'done';
  let review: Record<string, unknown> | null = null;
  if (!verdict.allowed) {
    status = 'refused';
    const numbers = pending.length ? await s.query<{ id: number; number: string }>('SELECT id, number FROM items WHERE administration_id = $1 AND id = ANY($2::bigint[])', [admin.id, pending.map((p) => p.local_id).filter((x): x is number => x !== null)]) : [];
    const byId = new Map(numbers.map((n) => [n.id, n.number]));
    review = {
      syncId: rc.run, at: new Date().toISOString(), closing: verdict.closing, open: verdict.open, share: Math.round(verdict.share * 1000) / 1000, maxShare: maxCloseShareOf(conn.settings),
      items: pending.slice(0, 200).map((p) => ({ externalId: p.external_id, itemId: p.local_id, number: p.local_id ? byId.get(p.local_id) ?? null : null, reason: p.pending_close })),
    };
    add(counts, 'refusedCloses', pending.length);
  } else if (pending.length) {
    add(counts, 'closed', await closePending(s, admin, conn, actor));
  }
  const error = status === 'refused' ? `${VENDOR_NAMES[conn.vendor]} would close ${verdict.allowed ? 0 : verdict.closing} of ${open} open items: refused, a person must confirm` : null;
  await finishSync(s, admin.id, rc.run, status, counts, error);
  await updateConnection(s, admin.id, conn.id, {
    cursor: { state: rc.state }, phase: 'incremental', progress: { stage: 'done', done: 1, total: 1 }, last_counts: counts, last_error: error, review,
    ...(status === 'done' || status === 'refused' ? { last_success_at: new Date().toISOString() } : {}),
    ...(conn.status === 'error' ? { status: 'active' } : {}),
  });
  return { connectionId: conn.id, syncId: rc.run, status, counts, error, deferredUntil: null };
}

/** Close every item the package confirmed gone (deleted, or absent twice): a booking with the package as source. */
async function closePending(s: Queryable, admin: Administration, conn: ConnectionRow, actor: string): Promise<number> {
  const name = VENDOR_NAMES[conn.vendor];
  let n = 0;
  const events: NewEvent[] = [];
  for (const p of await pendingCloses(s, conn.id)) {
    const item = p.local_id ? await getItem(s, admin.id, p.local_id) : null;
    if (item && item.openCents !== 0) {
      const why = p.pending_close === 'deleted' ? `verwijderd in ${name}` : `twee keer niet meer openstaand in ${name}`;
      const closed = ev('item_closed_by_package', { from: name, number: item.number, why: p.pending_close === 'deleted' ? 'deleted' : 'gone', amountCents: item.openCents, currency: item.currency });
      const bookingId = await insertBooking(s, admin.id, { kind: 'manual', date: todayIn(), allocations: [{ itemId: item.id, cents: item.openCents }], actor, note: `${item.number}: ${why}`, source: conn.vendor });
      events.push({ debtorId: item.debtorId, itemId: item.id, event: closed, data: { bookingId, source: conn.vendor, reason: p.pending_close, externalId: p.external_id }, actor });
      n++;
    }
    await closeRecord(s, conn.id, p.external_id);
  }
  await addEvents(s, admin.id, events);
  return n;
}

/** A person confirms the refused closes (all of them), or rejects them (the items stay open and are missed afresh). */
export async function decideReview(db: Db, admin: Administration, connectionId: number, approve: boolean, actor: string | null): Promise<{ closed: number }> {
  return db.transaction(async (tx) => {
    const conn = await getConnection(tx, admin.id, connectionId, { forUpdate: true });
    if (!conn) throw notFound(`connection ${connectionId}`);
    if (!conn.review) throw new AppError('conflict', 'nothing waits for a decision on this connection');
    const closed = approve ? await closePending(tx, admin, conn, actor ?? 'user') : (await clearPendingCloses(tx, conn.id), 0);
    await updateConnection(tx, admin.id, conn.id, { review: null, last_error: null });
    return { closed };
  });
}

// ------------------------------------------------------------------ applying a page

async function applyPage(s: Queryable, admin: Administration, conn: ConnectionRow, syncId: number, page: Page, counts: Record<string, number>, actor: string): Promise<void> {
  const events: NewEvent[] = [];
  for (const d of page.debtors) await applyDebtor(s, admin, conn, syncId, d, counts, events, actor);
  for (const it of page.items) await applyItem(s, admin, conn, syncId, it, counts, events, actor);
  if (page.goneItemIds.length) {
    const n = await markGone(s, conn.id, page.goneItemIds, 'deleted');
    if (n) add(counts, 'gone', n);
  }
  await addEvents(s, admin.id, events);
}

async function applyDebtor(s: Queryable, admin: Administration, conn: ConnectionRow, syncId: number, d: ExternalDebtor, counts: Record<string, number>, events: NewEvent[], actor: string): Promise<void> {
  const name = VENDOR_NAMES[conn.vendor];
  const rec = await getRecord(s, conn.id, 'debtor', d.externalId);
  const fields: DebtorInput = {
    name: d.name.slice(0, 200), emails: d.emails.filter((e) => EMAIL.test(e)), kvk: d.kvk, vatNumber: d.vatNumber, addressLine: d.addressLine, postalCode: d.postalCode, city: d.city, country: d.country,
  };
  let local = rec?.local_id ? await getDebtor(s, admin.id, rec.local_id) : null;
  if (!local) local = await getDebtorByNumber(s, admin.id, d.number);
  let id: number;
  if (!local) {
    id = await insertDebtor(s, admin.id, { ...fields, number: d.number, name: fields.name! });
    events.push({ debtorId: id, event: ev('debtor_created', { from: name }), data: { source: conn.vendor, externalId: d.externalId }, actor });
    add(counts, 'debtorsCreated');
  } else {
    id = local.id;
    const changes = await updateDebtor(s, admin.id, id, fields);
    if (changes && Object.keys(changes).length) {
      events.push({ debtorId: id, event: ev('debtor_updated', { from: name, fields: Object.keys(changes) }), data: { source: conn.vendor, changes }, actor });
      add(counts, 'debtorsUpdated');
    }
  }
  await upsertRecord(s, admin.id, conn.id, { kind: 'debtor', externalId: d.externalId, version: d.version, localId: id, open: true, seenSync: syncId });
}

async function debtorFor(s: Queryable, admin: Administration, conn: ConnectionRow, externalId: string): Promise<number | null> {
  const rec = await getRecord(s, conn.id, 'debtor', externalId);
  return rec?.local_id ?? null;
}

async function applyItem(s: Queryable, admin: Administration, conn: ConnectionRow, syncId: number, ext: ExternalItem, counts: Record<string, number>, events: NewEvent[], actor: string): Promise<void> {
  const name = VENDOR_NAMES[conn.vendor];
  const source: Vendor = conn.vendor;
  const rec = await getRecord(s, conn.id, 'item', ext.externalId);
  let item = rec?.local_id ? await getItem(s, admin.id, rec.local_id) : null;
  if (!item) item = await getItemByNumber(s, admin.id, ext.number);
  const target = ext.status === 'open' ? ext.openCents : 0;
  const today = todayIn();
  const save = (localId: number | null, open: boolean) => upsertRecord(s, admin.id, conn.id, { kind: 'item', externalId: ext.externalId, version: ext.version, localId, open, seenSync: syncId });
  if (!item) {
    // history that is settled already is not copied; only what is open
    if (target === 0 || ext.amountCents === 0) {
      add(counts, 'skippedSettled');
      return save(null, false);
    }
    const debtorId = await debtorFor(s, admin, conn, ext.debtorExternalId);
    if (!debtorId) {
      add(counts, 'errors');
      events.push({ debtorId: null, event: ev('sync_problem', { from: name, number: ext.number, contact: ext.debtorExternalId }), data: { source, externalId: ext.externalId }, actor });
      return;
    }
    const currency = normaliseCurrency(ext.currency) ?? 'EUR';
    const reference = validReference(ext.paymentReference) ?? generatePaymentReference(admin.referenceKind, admin.id, await reserveReferenceCounters(s, admin.id, 1));
    const id = await insertItem(s, admin.id, {
      debtorId, kind: ext.amountCents < 0 ? 'credit_note' : 'invoice', number: ext.number, issueDate: ext.issueDate, dueDate: ext.dueDate < ext.issueDate ? ext.issueDate : ext.dueDate,
      amountCents: ext.amountCents, currency, description: ext.description, paymentReference: reference, source,
    });
    events.push({ debtorId, itemId: id, event: ev('item_created', { number: ext.number, credit: ext.amountCents < 0, amountCents: ext.amountCents, currency, from: name }), data: { source, externalId: ext.externalId }, actor });
    add(counts, 'itemsCreated');
    if (target !== ext.amountCents) {
      // partly paid in the package already
      await insertBooking(s, admin.id, { kind: 'manual', date: today, allocations: [{ itemId: id, cents: ext.amountCents - target }], actor, note: `${ext.number}: deels betaald in ${name}`, source });
    }
    return save(id, target !== 0);
  }
  // an existing item: the package decides amount, dates and what is open
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (ext.amountCents !== item.amountCents) {
    const signOk = item.kind === 'invoice' ? ext.amountCents >= 0 : item.kind === 'credit_note' ? ext.amountCents <= 0 : false;
    if (!signOk || (await hasAllocations(s, item.id))) {
      add(counts, 'conflicts');
      events.push({ debtorId: item.debtorId, itemId: item.id, event: ev('sync_conflict', { from: name, number: item.number, about: 'amount', packageCents: ext.amountCents, hereCents: item.amountCents, currency: item.currency }), data: { source, from: item.amountCents, to: ext.amountCents }, actor });
    } else {
      await changeItemAmount(s, admin.id, item.id, ext.amountCents);
      changes.amount = { from: formatCents(item.amountCents), to: formatCents(ext.amountCents) };
      item = (await getItem(s, admin.id, item.id))!;
    }
  }
  const fields: Record<string, unknown> = {};
  if (ext.dueDate !== item.dueDate && ext.dueDate >= item.issueDate) (fields.dueDate = ext.dueDate), (changes.dueDate = { from: item.dueDate, to: ext.dueDate });
  if (ext.description !== null && ext.description !== item.description) (fields.description = ext.description), (changes.description = { from: item.description, to: ext.description });
  if (Object.keys(fields).length) await updateItemFields(s, admin.id, item.id, fields);
  if (Object.keys(changes).length) {
    events.push({ debtorId: item.debtorId, itemId: item.id, event: ev('item_updated', { number: item.number, fields: Object.keys(changes), from: name }), data: { source, changes }, actor });
    add(counts, 'itemsUpdated');
  }
  const diff = item.openCents - target; // > 0: the package has settled more than Vorder knows
  if (diff > 0) {
    const what = ext.status === 'credited' ? 'gecrediteerd' : ext.status === 'paid' ? 'betaald' : 'deels betaald';
    const bookingId = await insertBooking(s, admin.id, { kind: 'manual', date: today, allocations: [{ itemId: item.id, cents: diff }], actor, note: `${item.number}: ${what} in ${name}`, source });
    events.push({ debtorId: item.debtorId, itemId: item.id, event: ev('item_settled_by_package', { from: name, number: item.number, status: ext.status === 'credited' ? 'credited' : ext.status === 'paid' ? 'paid' : 'partly_paid', amountCents: diff, currency: item.currency }), data: { bookingId, source, status: ext.status }, actor });
    add(counts, ext.status === 'open' ? 'partlyPaid' : 'settled');
  } else if (diff < 0) {
    // the package has it open for more: take back what the package itself settled earlier (never Vorder's own bookings)
    const back = Math.min(-diff, await packageAllocated(s, item.id, source));
    if (back > 0) {
      const bookingId = await insertBooking(s, admin.id, { kind: 'manual', date: today, allocations: [{ itemId: item.id, cents: -back }], actor, note: `${item.number}: weer open in ${name}`, source });
      events.push({ debtorId: item.debtorId, itemId: item.id, event: ev('item_reopened_by_package', { from: name, number: item.number, amountCents: back, currency: item.currency }), data: { bookingId, source }, actor });
      add(counts, 'reopened');
    }
    if (back < -diff) {
      events.push({ debtorId: item.debtorId, itemId: item.id, event: ev('sync_conflict', { from: name, number: item.number, about: 'open', packageCents: target, hereCents: item.openCents, currency: item.currency }), data: { source, packageOpen: target, vorderOpen: item.openCents }, actor });
      add(counts, 'conflicts');
    }
  }
  const after = (await getItem(s, admin.id, item.id))!;
  await save(item.id, after.openCents !== 0);
}
