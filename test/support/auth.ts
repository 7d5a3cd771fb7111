/**
 * Credentials for in-process API tests: a user (by default an instance administrator, the owner
 * of every administration) with a live session; `request` is `app.request` with the session
 * cookie and the CSRF header added. `tokenFor` makes an API token scoped to one administration.
 */
import type { Queryable } from '../../src/store/db.ts';
import { createApiToken, createUser, grantRole, startSession, type Role, type TokenRole, type User } from '../../src/app/auth.ts';
import { SESSION_COOKIE } from '../../src/http/auth.ts';

type AppLike = { request(input: string, init?: RequestInit): Response | Promise<Response> };
export type Authed = { user: User; cookie: string; csrfToken: string; request(path: string, init?: RequestInit): Promise<Response> };

let n = 0;
export async function authed(app: AppLike, db: Queryable, opts: { role?: Role; adminIds?: readonly number[]; email?: string; name?: string; password?: string } = {}): Promise<Authed> {
  const email = opts.email ?? `user${process.pid}-${++n}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const user = await createUser(db, { email, name: opts.name ?? email.split('@')[0]!, password: opts.password ?? null, isAdmin: !opts.role });
  for (const id of opts.adminIds ?? []) await grantRole(db, user.id, id, opts.role ?? 'owner');
  const s = await startSession(db, user, { ip: null, userAgent: 'test' });
  const cookie = `${SESSION_COOKIE}=${s.token}`;
  return {
    user, cookie, csrfToken: s.csrfToken,
    request: async (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      headers.set('x-csrf-token', s.csrfToken);
      return app.request(path, { ...init, headers });
    },
  };
}

export async function tokenFor(db: Queryable, administrationId: number, role: TokenRole = 'owner'): Promise<string> {
  return (await createApiToken(db, { administrationId, name: `test ${role}`, role, createdBy: null })).token;
}
