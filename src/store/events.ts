/** The debtor's timeline (dossier): append-only events. */
import type { Queryable } from './db.ts';
import { renderEvent, type DomainEvent } from '../domain/events.ts';

export type TimelineEvent = {
  id: number;
  debtorId: number | null;
  itemId: number | null;
  at: string;
  kind: string;
  /** the typed event's parameters (src/domain/events.ts); null on rows written before typed events */
  params: Record<string, unknown> | null;
  /** the Dutch text as written at the time (rows without params are shown with it as is) */
  summary: string;
  data: Record<string, unknown>;
  actor: string | null;
  documentId: number | null;
};

type EventRow = { id: number; debtor_id: number | null; item_id: number | null; at: Date | string; kind: string; params: Record<string, unknown> | null; summary: string; data: Record<string, unknown>; actor: string | null; document_id: number | null };

const toEvent = (r: EventRow): TimelineEvent => ({
  id: r.id, debtorId: r.debtor_id, itemId: r.item_id, at: r.at instanceof Date ? r.at.toISOString() : String(r.at),
  kind: r.kind, params: r.params ?? null, summary: r.summary, data: r.data ?? {}, actor: r.actor, documentId: r.document_id,
});

/** A new timeline line: a typed event (its kind and params), plus machine data for queries. The stored summary is its Dutch rendering. */
type EventBase = { debtorId: number | null; itemId?: number | null; data?: Record<string, unknown>; actor?: string | null; documentId?: number | null };
/** A typed event (`event`), rendered in the reader's language when read. */
export type NewEvent = EventBase & { event: DomainEvent };

const kindOf = (e: NewEvent): string => e.event.kind;
const paramsOf = (e: NewEvent): string => JSON.stringify(e.event.params);
const summaryOf = (e: NewEvent): string => renderEvent(e.event, 'nl');

export async function addEvent(q: Queryable, administrationId: number, e: NewEvent): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO events (administration_id, debtor_id, item_id, kind, params, summary, data, actor, document_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [administrationId, e.debtorId, e.itemId ?? null, kindOf(e), paramsOf(e), summaryOf(e), JSON.stringify(e.data ?? {}), e.actor ?? null, e.documentId ?? null],
  );
  return r!.id;
}

/** Many events at once (imports): one statement. */
export async function addEvents(q: Queryable, administrationId: number, events: readonly NewEvent[]): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < events.length; i += CHUNK) {
    const part = events.slice(i, i + CHUNK);
    await q.query(
      `INSERT INTO events (administration_id, debtor_id, item_id, kind, params, summary, data, actor, document_id)
       SELECT $1, d, i, k, p::jsonb, s, dt::jsonb, a, doc FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[]) AS u(d, i, k, p, s, dt, a, doc)`,
      [administrationId, part.map((e) => e.debtorId), part.map((e) => e.itemId ?? null), part.map(kindOf), part.map(paramsOf), part.map(summaryOf), part.map((e) => JSON.stringify(e.data ?? {})), part.map((e) => e.actor ?? null), part.map((e) => e.documentId ?? null)],
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
