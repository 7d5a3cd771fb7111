/**
 * The audit log: who did what, when, from where, for every change and every export. Rows are
 * only ever added (a trigger refuses UPDATE, DELETE and TRUNCATE). Never holds secrets: no
 * request bodies, no tokens, no passwords; only method, path, status and the caller.
 */
import type { Db, Queryable } from '../store/db.ts';
import { withAdministration } from '../store/tenant.ts';
import { csvField } from '../formats/csv.ts';
import { AUDIT_SUBJECT_PATHS, describeAudit, type AuditLang, type AuditSubjectFilter } from './audit-words.ts';

export type AuditEntry = {
  userId?: number | null; userEmail?: string | null; tokenId?: number | null; administrationId?: number | null;
  action: string; method?: string | null; path?: string | null; target?: string | null; status?: number | null; ip?: string | null;
  detail?: Record<string, unknown>;
};

export type AuditRow = Required<Omit<AuditEntry, 'detail'>> & { id: number; at: string; detail: Record<string, unknown> };

export async function audit(db: Queryable, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (user_id, user_email, token_id, administration_id, action, method, path, target, status, ip, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [e.userId ?? null, e.userEmail ?? null, e.tokenId ?? null, e.administrationId ?? null, e.action.slice(0, 200), e.method ?? null, e.path?.slice(0, 1000) ?? null, e.target?.slice(0, 300) ?? null, e.status ?? null, e.ip?.slice(0, 100) ?? null, JSON.stringify(e.detail ?? {})],
  );
}

export type AuditFilter = { limit?: number; before?: number; user?: string; subject?: AuditSubjectFilter; from?: string; to?: string };

/** Newest first; filtered by person (part of the e-mail address), subject and dates (from/to inclusive, UTC). */
export async function listAudit(db: Queryable, administrationId: number, opts: AuditFilter = {}): Promise<AuditRow[]> {
  const rows = await db.query<{
    id: number; at: Date | string; user_id: number | null; user_email: string | null; token_id: number | null; administration_id: number | null;
    action: string; method: string | null; path: string | null; target: string | null; status: number | null; ip: string | null; detail: Record<string, unknown>;
  }>(
    `SELECT * FROM audit_log WHERE administration_id = $1 AND ($2::bigint IS NULL OR id < $2)
        AND ($4::text IS NULL OR user_email ILIKE '%' || replace(replace(replace($4, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')
        AND ($5::text IS NULL OR path ~ $5) AND ($6::date IS NULL OR at >= $6::date) AND ($7::date IS NULL OR at < $7::date + 1)
      ORDER BY id DESC LIMIT $3`,
    [administrationId, opts.before ?? null, Math.min(opts.limit ?? 200, 100_000), opts.user?.trim() || null, opts.subject ? AUDIT_SUBJECT_PATHS[opts.subject] : null, opts.from ?? null, opts.to ?? null],
  );
  return rows.map((r) => ({
    id: r.id, at: new Date(r.at).toISOString(), userId: r.user_id, userEmail: r.user_email, tokenId: r.token_id, administrationId: r.administration_id,
    action: r.action, method: r.method, path: r.path, target: r.target, status: r.status, ip: r.ip, detail: r.detail,
  }));
}

/** CSV of the log, what was done in words (lang) beside the request; every field through csvField (formula injection: =, +, -, @ are neutralised). */
export function auditCsv(rows: readonly AuditRow[], lang: AuditLang = 'nl'): string {
  const header = ['id', 'at', 'user_id', 'user_email', 'token_id', 'administration_id', 'what', 'subject', 'subject_id', 'action', 'method', 'path', 'status', 'ip'];
  const lines = [header.join(',')];
  for (const r of rows) {
    const w = describeAudit(r, lang);
    lines.push([r.id, r.at, r.userId, r.userEmail, r.tokenId, r.administrationId, w.what, w.subject?.kind ?? null, w.subject?.id ?? null, r.action, r.method, r.path, r.status, r.ip].map((v) => csvField(v)).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * The explicit way for work that no request carries (the worker's jobs) to act for one
 * administration: confined to it by row-level security (store/tenant.ts), with an audit row in
 * the same transaction naming who acted and why.
 */
export async function actFor<T>(db: Db, administrationId: number, why: { action: string; actor: string; target?: string }, fn: (db: Db) => Promise<T>): Promise<T> {
  return withAdministration(db, administrationId, async (scoped) => {
    const r = await fn(scoped);
    await audit(scoped, { administrationId, action: why.action, target: why.target ?? null, detail: { actor: why.actor } });
    return r;
  });
}
