/** Connections to an accounting package, what Vorder knows of their records, and their sync runs (migration 0027). */
import type { Queryable } from './db.ts';
import type { Vendor } from '../domain/connectors/types.ts';

export type ConnectionStatus = 'pending' | 'active' | 'paused' | 'error' | 'disconnected';

export type ConnectionRow = {
  id: number; administration_id: number; vendor: Vendor; label: string; base_url: string; external_admin: string | null; secret: string | null;
  status: ConnectionStatus; settings: Record<string, unknown>; phase: 'initial' | 'incremental'; cursor: Record<string, unknown>; progress: Record<string, unknown>;
  rate_state: Record<string, unknown>; review: Record<string, unknown> | null; last_sync_at: Date | string | null; last_success_at: Date | string | null;
  last_error: string | null; last_counts: Record<string, number> | null; created_at: Date | string; updated_at: Date | string;
};

export type SyncRow = { id: number; connection_id: number; trigger: string; status: string; counts: Record<string, number>; error: string | null; started_at: Date | string; finished_at: Date | string | null };

export async function insertConnection(q: Queryable, administrationId: number, c: { vendor: Vendor; label: string; baseUrl: string; externalAdmin: string | null; secret: string | null; status?: ConnectionStatus; settings?: Record<string, unknown> }): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO connections (administration_id, vendor, label, base_url, external_admin, secret, status, settings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [administrationId, c.vendor, c.label, c.baseUrl, c.externalAdmin, c.secret, c.status ?? 'active', JSON.stringify(c.settings ?? {})],
  );
  return r!.id;
}

export async function getConnection(q: Queryable, administrationId: number, id: number, opts: { forUpdate?: boolean } = {}): Promise<ConnectionRow | null> {
  const [r] = await q.query<ConnectionRow>(`SELECT * FROM connections WHERE administration_id = $1 AND id = $2${opts.forUpdate ? ' FOR UPDATE' : ''}`, [administrationId, id]);
  return r ?? null;
}

export async function listConnections(q: Queryable, administrationId: number): Promise<ConnectionRow[]> {
  return q.query<ConnectionRow>(`SELECT * FROM connections WHERE administration_id = $1 AND status <> 'disconnected' ORDER BY id`, [administrationId]);
}

/** Every connection that syncs by itself (for the scheduler), across administrations. */
export async function listActiveConnections(q: Queryable): Promise<{ id: number; administration_id: number; settings: Record<string, unknown>; last_sync_at: Date | string | null }[]> {
  return q.query(`SELECT id, administration_id, settings, last_sync_at FROM connections WHERE status = 'active' ORDER BY id`);
}

export async function updateConnection(q: Queryable, administrationId: number, id: number, set: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(set);
  if (!cols.length) return;
  const json = new Set(['settings', 'cursor', 'progress', 'rate_state', 'review', 'last_counts']);
  const vals = cols.map((c) => (json.has(c) && set[c] !== null ? JSON.stringify(set[c]) : set[c]));
  await q.query(`UPDATE connections SET ${cols.map((c, i) => `${c} = $${i + 3}`).join(', ')}, updated_at = now() WHERE administration_id = $1 AND id = $2`, [administrationId, id, ...vals]);
}

export type RecordRow = { kind: 'debtor' | 'item'; external_id: string; version: string | null; local_id: number | null; open: boolean; seen_sync: number | null; absent_since: Date | string | null; pending_close: string | null };

export async function getRecord(q: Queryable, connectionId: number, kind: 'debtor' | 'item', externalId: string): Promise<RecordRow | null> {
  const [r] = await q.query<RecordRow>('SELECT * FROM connection_records WHERE connection_id = $1 AND kind = $2 AND external_id = $3', [connectionId, kind, externalId]);
  return r ?? null;
}

export async function recordVersions(q: Queryable, connectionId: number, kind: 'debtor' | 'item', externalIds: readonly string[]): Promise<Map<string, string | null>> {
  const rows = await q.query<{ external_id: string; version: string | null }>('SELECT external_id, version FROM connection_records WHERE connection_id = $1 AND kind = $2 AND external_id = ANY($3::text[])', [connectionId, kind, externalIds]);
  return new Map(rows.map((r) => [r.external_id, r.version]));
}

export async function openItemRecords(q: Queryable, connectionId: number): Promise<string[]> {
  const rows = await q.query<{ external_id: string }>(`SELECT external_id FROM connection_records WHERE connection_id = $1 AND kind = 'item' AND open ORDER BY external_id`, [connectionId]);
  return rows.map((r) => r.external_id);
}

export async function upsertRecord(q: Queryable, administrationId: number, connectionId: number, r: { kind: 'debtor' | 'item'; externalId: string; version: string | null; localId: number | null; open: boolean; seenSync: number | null }): Promise<void> {
  await q.query(
    `INSERT INTO connection_records (administration_id, connection_id, kind, external_id, version, local_id, open, seen_sync, absent_since, pending_close)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)
     ON CONFLICT (connection_id, kind, external_id) DO UPDATE SET version = EXCLUDED.version, local_id = coalesce(EXCLUDED.local_id, connection_records.local_id),
       open = EXCLUDED.open, seen_sync = EXCLUDED.seen_sync, absent_since = NULL, pending_close = NULL`,
    [administrationId, connectionId, r.kind, r.externalId, r.version, r.localId, r.open, r.seenSync],
  );
}

/** Items the package reports gone (only the ones open here count): closed at the end of the sync, guarded. */
export async function markGone(q: Queryable, connectionId: number, externalIds: readonly string[], reason: string): Promise<number> {
  if (!externalIds.length) return 0;
  const r = await q.query(`UPDATE connection_records SET pending_close = $3 WHERE connection_id = $1 AND kind = 'item' AND open AND external_id = ANY($2::text[]) RETURNING external_id`, [connectionId, externalIds, reason]);
  return r.length;
}

/** After a complete snapshot: open items it lacked are missed (first time) or confirmed gone (second time). */
export async function markMissed(q: Queryable, connectionId: number, syncId: number): Promise<{ firstMiss: number; confirmed: number }> {
  const confirmed = await q.query(
    `UPDATE connection_records SET pending_close = 'absent' WHERE connection_id = $1 AND kind = 'item' AND open AND pending_close IS NULL
        AND (seen_sync IS DISTINCT FROM $2) AND absent_since IS NOT NULL RETURNING external_id`, [connectionId, syncId]);
  const first = await q.query(
    `UPDATE connection_records SET absent_since = now() WHERE connection_id = $1 AND kind = 'item' AND open AND pending_close IS NULL
        AND (seen_sync IS DISTINCT FROM $2) AND absent_since IS NULL RETURNING external_id`, [connectionId, syncId]);
  return { firstMiss: first.length, confirmed: confirmed.length };
}

export async function pendingCloses(q: Queryable, connectionId: number): Promise<{ external_id: string; local_id: number | null; pending_close: string }[]> {
  return q.query(`SELECT external_id, local_id, pending_close FROM connection_records WHERE connection_id = $1 AND kind = 'item' AND open AND pending_close IS NOT NULL ORDER BY external_id`, [connectionId]);
}

export async function countOpenRecords(q: Queryable, connectionId: number): Promise<number> {
  const [r] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM connection_records WHERE connection_id = $1 AND kind = 'item' AND open`, [connectionId]);
  return r?.n ?? 0;
}

export async function closeRecord(q: Queryable, connectionId: number, externalId: string): Promise<void> {
  await q.query(`UPDATE connection_records SET open = false, pending_close = NULL WHERE connection_id = $1 AND kind = 'item' AND external_id = $2`, [connectionId, externalId]);
}

export async function clearPendingCloses(q: Queryable, connectionId: number): Promise<void> {
  await q.query(`UPDATE connection_records SET pending_close = NULL, absent_since = NULL WHERE connection_id = $1 AND kind = 'item' AND pending_close IS NOT NULL`, [connectionId]);
}

export async function insertSync(q: Queryable, administrationId: number, connectionId: number, trigger: string): Promise<number> {
  const [r] = await q.query<{ id: number }>('INSERT INTO connection_syncs (administration_id, connection_id, trigger) VALUES ($1, $2, $3) RETURNING id', [administrationId, connectionId, trigger]);
  return r!.id;
}

export async function finishSync(q: Queryable, administrationId: number, syncId: number, status: string, counts: Record<string, number>, error: string | null): Promise<void> {
  await q.query(`UPDATE connection_syncs SET status = $3, counts = $4, error = $5, finished_at = now() WHERE administration_id = $1 AND id = $2`, [administrationId, syncId, status, JSON.stringify(counts), error]);
}

export async function listSyncs(q: Queryable, administrationId: number, connectionId: number, limit = 20): Promise<SyncRow[]> {
  return q.query<SyncRow>('SELECT id, connection_id, trigger, status, counts, error, started_at, finished_at FROM connection_syncs WHERE administration_id = $1 AND connection_id = $2 ORDER BY id DESC LIMIT $3', [administrationId, connectionId, limit]);
}

/** Sum of what the package itself settled on an item (bookings with a source), to take back when the package reopens it. */
export async function packageAllocated(q: Queryable, itemId: number, source: string): Promise<number> {
  const [r] = await q.query<{ c: number }>(`SELECT coalesce(sum(a.cents), 0)::bigint AS c FROM allocations a JOIN bookings b ON b.id = a.booking_id WHERE a.item_id = $1 AND b.source = $2`, [itemId, source]);
  return Number(r?.c ?? 0);
}
