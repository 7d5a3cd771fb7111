/**
 * The first tenant wall: the one place that resolves which administration a request is for.
 *
 * Every tenant route is declared under `/api/administrations/{adminId}`. The middleware below is
 * mounted on exactly that pattern, so the id comes from the matched route's declared parameter,
 * never from a regex over the path. Only one spelling is accepted: decimal digits, no sign, no
 * leading zero, 1 to 15 digits (`tenantOfSegment`); `1.0`, `+1`, `0x1`, `1e0`, `01`, `%31`,
 * `%201`, `1%00` and ids beyond 15 digits are 404 before any handler runs. The resolved id is put
 * on the context: the role check (http/auth.ts) and the handler (`tenantIdOf`, `loadAdmin`) read
 * that same value. The route's own `pathId` schema accepts the same form only.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { z } from '@hono/zod-openapi';
import type { Db } from '../store/db.ts';
import { Rollback, runScoped, withAdministration } from '../store/tenant.ts';
import { getAdministration } from '../app/administrations.ts';
import { roleOf } from '../app/auth.ts';
import { AppError, notFound } from '../app/errors.ts';
import { errorResponse } from './errors.ts';
import { effectiveRole, RANK, requirement } from './roles.ts';
import { auditRequest, callerOf, markAudited, needsAudit } from './auth.ts';

/** The canonical form of an id: what `String(n)` gives for 1 ≤ n < 10^15. */
export const CANONICAL_ID = /^[1-9][0-9]{0,14}$/;

/** The id a path segment or query value spells canonically, or null. */
export function canonicalId(raw: string | undefined | null): number | null {
  if (raw === undefined || raw === null || !CANONICAL_ID.test(raw)) return null;
  return Number(raw);
}

/**
 * The tenant of a raw request path (as the client sent it, still percent-encoded):
 * `none` outside /api/administrations/{x}, `invalid` for any non-canonical spelling of {x}.
 */
export function tenantOfPath(rawPath: string): { kind: 'none' } | { kind: 'invalid' } | { kind: 'tenant'; adminId: number; rest: string } {
  const m = /^\/api\/administrations\/([^/]*)(\/.*)?$/.exec(rawPath);
  if (!m) return { kind: 'none' };
  const id = canonicalId(m[1]);
  return id === null ? { kind: 'invalid' } : { kind: 'tenant', adminId: id, rest: m[2] ?? '' };
}

/** The path as the client sent it (not percent-decoded: `%31` is not `1`). */
export const rawPathOf = (c: Context): string => {
  const url = c.req.url;
  const start = url.indexOf('/', url.indexOf('://') + 3);
  const end = url.search(/[?#]/);
  return start < 0 ? '/' : url.slice(start, end < 0 ? undefined : end);
};

const KEY = 'tenantAdministrationId';

/**
 * Resolve the route's declared `adminId` (raw and decoded must both be the canonical spelling).
 * Returns the id, or null when the request must be answered 404.
 */
export function resolveTenant(c: Context): number | null {
  const declared = c.req.param('adminId');
  const raw = tenantOfPath(rawPathOf(c));
  if (raw.kind !== 'tenant' || declared !== String(raw.adminId)) return null;
  c.set(KEY as never, raw.adminId as never);
  return raw.adminId;
}

/** The resolved administration, or null outside a tenant route (or before it was resolved). */
export const resolvedTenantOf = (c: Context): number | null => (c.get(KEY as never) as number | undefined) ?? null;

/** The administration this request was resolved to (only under a tenant route). */
export function tenantIdOf(c: Context): number {
  const id = c.get(KEY as never) as number | undefined;
  if (id === undefined) throw new Error('tenantIdOf: not a tenant route (no resolved administration)');
  return id;
}

/** The administration of a tenant-scoped route, or 404. */
export async function loadAdmin(db: Db, c: Context) {
  const id = tenantIdOf(c);
  const a = await getAdministration(db, id);
  if (!a) throw notFound(`administration ${id}`);
  return a;
}

/** A path parameter that is an id: the canonical spelling only, else 404 (see app.ts defaultHook). */
export const pathId = (name: string, example = 1) =>
  z.string().regex(CANONICAL_ID, 'not an id (decimal digits, no sign or leading zero, at most 15 digits)').transform(Number)
    .openapi({ param: { name, in: 'path' }, example: String(example), description: 'an id: 1 to 15 decimal digits, no leading zero' });

/** An id in the query string: the canonical spelling only, else 400 naming the field. */
export const QueryId = z.string().regex(CANONICAL_ID, 'not an id (decimal digits, no sign or leading zero, at most 15 digits)').transform(Number)
  .openapi({ type: 'string', description: 'an id: 1 to 15 decimal digits, no leading zero' });

/**
 * Mounted on `/api/administrations/:adminId/*` after the gate (http/auth.ts), which has already
 * identified the caller. Resolves the administration (404 for any other spelling), checks the
 * caller's role in it, then runs the handler in one transaction confined to it
 * (store/tenant.ts: row-level security). A write's audit row is written in that transaction, so
 * the change and its audit row commit together; an answer ≥ 400 rolls the transaction back (the
 * gate then logs the refusal or failure on its own).
 */
export function tenantMiddleware(db: Db): MiddlewareHandler {
  return async (c, next) => {
    if (resolvedTenantOf(c) !== null) return next(); // mounted twice for the bare /api/administrations/:id
    const adminId = resolveTenant(c);
    if (adminId === null) return errorResponse(c, notFound(`no route ${c.req.method} ${c.req.path}`));
    const caller = callerOf(c);
    const method = c.req.method.toUpperCase();
    const need = requirement(method, c.req.path);
    // cannot happen (the pattern is a tenant path); if it ever did, fail closed
    if (need.kind !== 'tenant') return errorResponse(c, notFound(`no route ${c.req.method} ${c.req.path}`));
    if (!caller) return errorResponse(c, new AppError('unauthorized', 'log in first (or send an API token: Authorization: Bearer vdr_…)'));
    const raw = caller.kind === 'token' ? (caller.token.administrationId === adminId ? caller.token.role : null) : await roleOf(db, caller.user, adminId);
    const role = raw ? effectiveRole(raw) : null;
    if (!role) return errorResponse(c, new AppError('forbidden', `no access to administration ${adminId}`));
    if (RANK[role] < RANK[need.role]) return errorResponse(c, new AppError('forbidden', `this needs the role ${need.role} in administration ${adminId}; you are ${raw}`));

    const audited = needsAudit(method, c.req.path, new URL(c.req.url));
    const committed = await withAdministration(db, adminId, async (scoped) => {
      await runScoped(scoped, () => next());
      if (c.res.status >= 400) throw new Rollback(false);
      if (audited) await auditRequest(scoped, c, adminId);
      return true;
    });
    // only once the write and its row are committed; else the gate logs what was answered
    if (committed && audited) markAudited(c);
  };
}

/** An id in a JSON body: a whole number from 1 to 10^15 − 1, else 400 naming the field. */
export const BodyId = z.number().int().min(1).max(999_999_999_999_999);
