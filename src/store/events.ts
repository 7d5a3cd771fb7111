/** The debtor's timeline (dossier): append-only events. */
import type { Queryable } from './db.ts';

export type TimelineEvent = {
  id: number;
  debtorId: number | null;
  itemId: number | null;
  at: string;
  kind: string;
  summary: string;
  data: Record<string, unknown>;
  actor: string | null;
  documentId: number | null;
};

type EventRow = { id: number; debtor_id: number | null; item_id: number | null; at: Date | string; kind: string; summary: string; data: Record<string, unknown>; actor: string | null; document_id: number | null };

const toEvent = (r: EventRow): TimelineEvent => ({
  id: r.id, debtorId: r.debtor_id, itemId: r.item_id, at: r.at instanceof Date ? r.at.toISOString() : String(r.at),
  kind: r.kind, summary: r.summary, data: r.data ?? {}, actor: r.actor, documentId: r.document_id,
});

export type NewEvent = { debtorId: number | null; itemId?: number | null; kind: string; summary: string; data?: Record<string, unknown>; actor?: string | null; documentId?: number | null };

export async function addEvent(q: Queryable, administrationId: number, e: NewEvent): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO events (administration_id, debtor_id, item_id, kind, summary, data, actor, document_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [administrationId, e.debtorId, e.itemId ?? null, e.kind, e.summary, JSON.stringify(e.data ?? {}), e.actor ?? null, e.documentId ?? null],
  );
  return r!.id;
}

/** Many events at once (imports): one statement. */
export async function addEvents(q: Queryable, administrationId: number, events: readonly NewEvent[]): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < events.length; i += CHUNK) {
    const part = events.slice(i, i + CHUNK);
    await q.query(
      `INSERT INTO events (administration_id, debtor_id, item_id, kind, summary, data, actor)
       SELECT $1, d, i, k, s, dt::jsonb, a FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(d, i, k, s, dt, a)`,
      [administrationId, part.map((e) => e.debtorId), part.map((e) => e.itemId ?? null), part.map((e) => e.kind), part.map((e) => e.summary), part.map((e) => JSON.stringify(e.data ?? {})), part.map((e) => e.actor ?? null)],
    );
  }
}

export async function listEvents(q: Queryable, administrationId: number, debtorId: number, opts: { limit?: number; before?: number } = {}): Promise<TimelineEvent[]> {
  const rows = await q.query<EventRow>(
    `SELECT * FROM events WHERE administration_id = $1 AND debtor_id = $2 AND ($3::bigint IS NULL OR id < $3)
      ORDER BY at DESC, id DESC LIMIT $4`,
    [administrationId, debtorId, opts.before ?? null, Math.min(opts.limit ?? 100, 1000)],
  );
  return rows.map(toEvent);
}

export async function listItemEvents(q: Queryable, administrationId: number, itemId: number): Promise<TimelineEvent[]> {
  const rows = await q.query<EventRow>(`SELECT * FROM events WHERE administration_id = $1 AND item_id = $2 ORDER BY at DESC, id DESC LIMIT 500`, [administrationId, itemId]);
  return rows.map(toEvent);
}
