/**
 * The one gate every request passes (installed in app.ts before any route):
 *  1. security headers on every response (CSP, frame-ancestors, nosniff, referrer, HSTS on TLS);
 *  2. rate limits: per IP on the login-type endpoints (in the database: every process shares them), per caller on the rest of the API;
 *  3. who is calling: the `vorder_session` cookie or `Authorization: Bearer vdr_…`;
 *  4. what they need (http/roles.ts) — 401 without a caller, 403 without the role; under a tenant
 *     route the administration is resolved, its role checked and the request run confined to it by
 *     http/tenant.ts (mounted on the route pattern, after this gate);
 *  5. CSRF: cookie-authenticated writes carry `x-csrf-token` equal to the session's token;
 *  6. body size limits (uploads: maxUpload; everything else: 1 MiB);
 *  7. the audit log: every write and every export/download, after the handler, with its status
 *     (under a tenant route inside the request's transaction: http/tenant.ts). Refusals before
 *     authentication are not logged one row each: they are counted per source, and a source that
 *     keeps being refused gets 429 (`refused_requests`, store/refusals.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../store/db.ts';
import { membershipsOf, resolveApiToken, resolveSession, roleOf, safeEqual, takeLoginRequest, type ApiToken, type Membership, type User } from '../app/auth.ts';
import { audit } from '../app/audit.ts';
import { countRefusal } from '../store/refusals.ts';
import type { Queryable } from '../store/db.ts';
import { AppError } from '../app/errors.ts';
import { errorResponse } from './errors.ts';
import { isRead, requirement } from './roles.ts';
import { resolvedTenantOf } from './tenant.ts';

export const SESSION_COOKIE = 'vorder_session';

export type Caller =
  | { kind: 'session'; user: User; sessionId: string; csrfToken: string }
  | { kind: 'token'; token: ApiToken };

export type AuthOptions = {
  db: Db;
  maxUpload: number;
  /** Largest JSON (non-upload) body; default 1 MiB. */
  maxJsonBytes?: number;
  /**
   * Requests per minute: per IP on login/setup/reset/invitation (default 30; counted in the
   * database, so shared by every server process), per caller on the API (default 600; in this
   * process's memory: a cheap brake on a runaway integration, not a security boundary).
   */
  loginPerMinute?: number;
  apiPerMinute?: number;
  /** Trust X-Forwarded-For / X-Forwarded-Proto (only behind a reverse proxy you run). Default: VORDER_TRUST_PROXY=1. */
  trustProxy?: boolean;
  /** Refusals before authentication per source (IP) and minute before the source gets 429 (default 60). */
  refusalsPerMinute?: number;
};

// ------------------------------------------------------------------ small helpers for routes

export const callerOf = (c: Context): Caller | undefined => c.get('caller' as never) as Caller | undefined;

/**
 * Who acts, as the dossier, the bookings and the run history record it: a logged-in user by name
 * (never what a header claims: a session cannot act as somebody else); with an API token the
 * `x-vorder-user` header (an integration names its own user), else the token's name.
 */
export function actorOf(c: Context): string | null {
  const caller = callerOf(c);
  if (caller?.kind === 'session') return (caller.user.name.trim() || caller.user.email).slice(0, 100);
  const named = c.req.header('x-vorder-user')?.trim().slice(0, 100);
  if (named) return named;
  return caller?.kind === 'token' ? `token ${caller.token.name}`.slice(0, 100) : null;
}

/** How a write was started, for the run history: by a person in the app, or by an integration. */
export const triggerOf = (c: Context): 'manual' | 'api' => (callerOf(c)?.kind === 'session' ? 'manual' : 'api');

/** The administrations the caller may see, each with its role. */
export async function visibleMemberships(c: Context, db: Db): Promise<Membership[]> {
  const caller = callerOf(c);
  if (!caller) return [];
  if (caller.kind === 'token') {
    const rows = await db.query<{ name: string }>('SELECT name FROM administrations WHERE id = $1', [caller.token.administrationId]);
    return rows.length ? [{ administrationId: caller.token.administrationId, administrationName: rows[0]!.name, role: caller.token.role }] : [];
  }
  return membershipsOf(db, caller.user);
}

export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = c.req.header('x-forwarded-for');
    if (fwd) return fwd.split(',')[0]!.trim().slice(0, 100);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}

export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto') === 'https';
}

/** A token bucket per key: `perMinute` requests, refilled evenly. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(readonly perMinute: number) {}
  take(key: string, now = Date.now()): number {
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + ((now - b.at) * this.perMinute) / 60_000);
    b.at = now;
    if (this.buckets.size > 50_000) this.buckets.clear(); // bounded memory under a flood of addresses
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return Math.ceil(((1 - b.tokens) * 60_000) / this.perMinute / 1000); // seconds until the next one
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    return 0;
  }
}

const fail = (c: Context, code: 'unauthorized' | 'forbidden' | 'rate_limited' | 'too_large', message: string) => errorResponse(c, new AppError(code, message));

// ------------------------------------------------------------------ headers

const CSP_HTML = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const CSP_DOCS = CSP_HTML.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
// files (letter PDFs, e-invoice XML, CSV) may be shown in the web app's own frames, never run anything
const CSP_FILE = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'";

function securityHeaders(c: Context, https: boolean): void {
  const h = c.res.headers;
  const type = h.get('content-type') ?? '';
  const html = type.startsWith('text/html');
  h.set('content-security-policy', html ? (c.req.path === '/api/docs' ? CSP_DOCS : CSP_HTML) : type.includes('pdf') ? CSP_FILE : `${CSP_FILE}; sandbox`);
  h.set('x-frame-options', html ? 'DENY' : 'SAMEORIGIN');
  h.set('x-content-type-options', 'nosniff');
  h.set('referrer-policy', 'no-referrer');
  h.set('cross-origin-opener-policy', 'same-origin');
  h.set('cross-origin-resource-policy', 'same-origin');
  h.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (c.req.path.startsWith('/api/') && !h.has('cache-control')) h.set('cache-control', 'no-store');
  if (https) h.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

// ------------------------------------------------------------------ audit

const EXPORT = /\/(exports|documents|audit)(\/|$)|\/letter$|\/statement\.pdf$/;
export function needsAudit(method: string, path: string, url: URL): boolean {
  if (!path.startsWith('/api/')) return false;
  if (!isRead(method)) return true;
  return EXPORT.test(path) || url.searchParams.get('format') === 'csv';
}
/** '/api/administrations/3/debtors/17/notes' → '/api/administrations/:id/debtors/:id/notes' */
const actionOf = (method: string, path: string) => `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;

/** Write the audit row of this request (status as answered) for `administrationId`. */
export async function auditRequest(q: Queryable, c: Context, administrationId: number | null): Promise<void> {
  const caller = callerOf(c);
  const method = c.req.method.toUpperCase();
  // login and setup name the user in the response; everything else the caller
  const user = caller?.kind === 'session' ? caller.user : (c.get('auditUser' as never) as User | undefined);
  await audit(q, {
    userId: user?.id ?? null, userEmail: user?.email ?? null, tokenId: caller?.kind === 'token' ? caller.token.id : null,
    // a NUL cannot be stored in text: the path is logged as sent (%00)
    administrationId, action: actionOf(method, c.req.path).replaceAll('\0', '%00'), method, path: c.req.path.replaceAll('\0', '%00'), status: c.res.status, ip: (c.get('clientIp' as never) as string | undefined) ?? null,
  });
}
export const markAudited = (c: Context) => c.set('audited' as never, true as never);

// ------------------------------------------------------------------ the middleware

export function authMiddleware(opts: AuthOptions): MiddlewareHandler {
  const { db } = opts;
  const trustProxy = opts.trustProxy ?? process.env.VORDER_TRUST_PROXY === '1';
  const loginPerMinute = opts.loginPerMinute ?? 30;
  const apiLimit = new RateLimiter(opts.apiPerMinute ?? 600);
  const refusalsPerMinute = opts.refusalsPerMinute ?? 60;
  const jsonLimit = bodyLimit({ maxSize: opts.maxJsonBytes ?? 1024 * 1024, onError: (c) => fail(c, 'too_large', `the request body is larger than ${opts.maxJsonBytes ?? 1024 * 1024} bytes`) });
  const uploadLimit = bodyLimit({ maxSize: opts.maxUpload, onError: (c) => fail(c, 'too_large', `the upload is larger than ${opts.maxUpload} bytes`) });
  const UPLOAD = /^\/api\/administrations\/\d+\/(imports|statements)$/;

  return async (c, next) => {
    const https = isHttps(c, trustProxy);
    const method = c.req.method.toUpperCase();
    const path = c.req.path;
    const ip = clientIp(c, trustProxy);
    c.set('clientIp' as never, ip as never);
    let caller: Caller | undefined;

    const gate = async (): Promise<Response | void> => {
      if (!path.startsWith('/api/')) return next();
      if (/^\/api\/auth\/(login|setup|password-reset\/.+|invitation\/.+)$/.test(path) && method === 'POST') {
        const wait = await takeLoginRequest(db, ip, loginPerMinute);
        if (wait) {
          c.header('retry-after', String(wait));
          return fail(c, 'rate_limited', `too many attempts from this address; try again in ${wait} s`);
        }
      }
      const need = requirement(method, path);

      // who is calling
      const auth = c.req.header('authorization');
      if (auth && /^bearer\s/i.test(auth)) {
        const t = await resolveApiToken(db, auth.replace(/^bearer\s+/i, '').trim());
        if (!t) return fail(c, 'unauthorized', 'the API token is not valid (unknown or revoked)');
        caller = { kind: 'token', token: t };
      } else {
        const cookie = getCookie(c, SESSION_COOKIE);
        const s = cookie ? await resolveSession(db, cookie) : null;
        if (s) caller = { kind: 'session', ...s };
      }
      if (caller) c.set('caller' as never, caller as never);

      if (need.kind !== 'public') {
        if (!caller) return fail(c, 'unauthorized', 'log in first (or send an API token: Authorization: Bearer vdr_…)');
        const key = caller.kind === 'token' ? `t${caller.token.id}` : `u${caller.user.id}`;
        const wait = apiLimit.take(key);
        if (wait) {
          c.header('retry-after', String(wait));
          return fail(c, 'rate_limited', `too many requests; try again in ${wait} s`);
        }
      }
      // CSRF: a cookie is sent by the browser on its own; a write must prove it comes from our page
      if (caller?.kind === 'session' && !isRead(method)) {
        const sent = c.req.header('x-csrf-token') ?? '';
        if (!safeEqual(sent, caller.csrfToken)) return fail(c, 'forbidden', 'missing or wrong x-csrf-token header (read it from GET /api/auth/me)');
      }

      if (need.kind === 'session' && caller?.kind !== 'session') return fail(c, 'forbidden', 'only a logged-in user can do this, not an API token');
      if (need.kind === 'instance-admin' && !(caller?.kind === 'session' && caller.user.isAdmin)) return fail(c, 'forbidden', 'only an instance administrator can do this');
      // a tenant route's role is checked by http/tenant.ts, on the administration it resolves
      if (!isRead(method)) return (UPLOAD.test(path) ? uploadLimit : jsonLimit)(c, next);
      return next();
    };

    const early = await gate();
    if (early instanceof Response) c.res = early;
    if (!caller && c.res.status === 401 && path.startsWith('/api/') && !path.startsWith('/api/auth/')) {
      // refused before authentication: one counter per source and minute, not one audit row each
      try {
        const n = await countRefusal(db, ip);
        if (n > refusalsPerMinute) {
          c.header('retry-after', '60');
          c.res = fail(c, 'rate_limited', 'too many refused requests from this address; try again in a minute');
        }
      } catch (e) {
        console.error(`refusal count failed: ${(e as Error).message}`);
      }
    } else if (!c.get('audited' as never) && needsAudit(method, path, new URL(c.req.url))) {
      // a tenant write is audited inside its own transaction (http/tenant.ts); this is everything
      // else, and a tenant request that was refused or rolled back
      try {
        await auditRequest(db, c, resolvedTenantOf(c) ?? (caller?.kind === 'token' ? caller.token.administrationId : null));
      } catch (e) {
        console.error(`audit log write failed: ${(e as Error).message}`);
      }
    }
    securityHeaders(c, https);
  };
}
