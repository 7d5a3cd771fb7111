/**
 * Who may call what: the one table of (method, path) → the least role needed. The middleware in
 * http/auth.ts consults it for every request, so a route added later is covered without being
 * listed: under an administration, reads need `viewer` and writes `controller` unless a rule
 * below asks for more.
 *
 * Roles per administration, weakest first: viewer < controller (= accountant) < owner.
 * Instance administrators are owners of every administration.
 */
export type TenantRole = 'viewer' | 'controller' | 'owner';
export type Need =
  | { kind: 'public' } // anyone, no login
  | { kind: 'user' } // any logged-in caller (session or API token)
  | { kind: 'session' } // a logged-in person (not an API token)
  | { kind: 'instance-admin' }
  | { kind: 'tenant'; role: TenantRole }; // which administration: http/tenant.ts resolves it, never this table

export const RANK: Record<TenantRole, number> = { viewer: 1, controller: 2, owner: 3 };
/** An accountant does the daily work in each administration it holds. */
export const effectiveRole = (role: string): TenantRole | null =>
  role === 'owner' ? 'owner' : role === 'controller' || role === 'accountant' ? 'controller' : role === 'viewer' ? 'viewer' : null;

const READ = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isRead = (method: string) => READ.has(method.toUpperCase());

/** Rules under /api/administrations/{adminId}: [methods ('*' = all), pattern of the rest of the path, role]. */
export const TENANT_RULES: readonly [string, RegExp, TenantRole][] = [
  ['PATCH', /^$/, 'owner'], // the administration's settings
  ['PUT,PATCH,POST,DELETE', /^\/settings(\/.*)?$/, 'owner'],
  ['DELETE', /^$/, 'owner'],
  ['*', /^\/users(\/.*)?$/, 'owner'],
  ['*', /^\/tokens(\/.*)?$/, 'owner'],
  ['*', /^\/audit(\/.*)?$/, 'owner'],
  ['PUT,DELETE', /^\/templates(\/.*)?$/, 'owner'],
  ['PUT,DELETE,POST', /^\/dunning\/policies(\/.*)?$/, 'owner'],
  ['PUT,DELETE', /^\/statuses(\/.*)?$/, 'owner'],
  ['PUT,DELETE', /^\/segments\/[^/]+$/, 'owner'],
  // accounting packages: connecting (secrets), disconnecting and the package settings are the owner's
  ['POST', /^\/connections$/, 'owner'],
  ['DELETE', /^\/connections\/[^/]+$/, 'owner'],
  ['PUT', /^\/package-settings$/, 'owner'],
];

const PUBLIC: readonly [string, RegExp][] = [
  ['GET,HEAD', /^\/api\/health$/],
  ['GET,HEAD', /^\/api\/openapi\.json$/],
  ['GET,HEAD', /^\/api\/docs$/],
  ['GET,HEAD', /^\/api\/legal\/.+$/],
  ['GET', /^\/api\/auth\/status$/],
  ['POST', /^\/api\/auth\/(setup|login|logout|password-reset\/request|password-reset\/confirm|invitation\/info|invitation\/accept)$/],
];

// Any segment: the role needed depends only on the rest of the path. Whether the segment is a
// valid administration id is decided in one place, from the matched route (http/tenant.ts).
const TENANT = /^\/api\/administrations\/([^/]+)(\/.*)?$/;

const methodMatches = (spec: string, method: string) => spec === '*' || spec.split(',').includes(method);

/** The least a caller needs for `method path` (path without query string). */
export function requirement(method: string, path: string): Need {
  const m = method.toUpperCase();
  if (!path.startsWith('/api/') && path !== '/api') return { kind: 'public' }; // the web application's files
  for (const [spec, re] of PUBLIC) if (methodMatches(spec, m) && re.test(path)) return { kind: 'public' };
  if (path === '/api/administrations' && m === 'POST') return { kind: 'instance-admin' };
  if (/^\/api\/auth\/(me)$/.test(path)) return { kind: 'user' };
  const t = TENANT.exec(path);
  if (t) {
    const rest = t[2] ?? '';
    for (const [spec, re, role] of TENANT_RULES) if (methodMatches(spec, m) && re.test(rest)) return { kind: 'tenant', role };
    return { kind: 'tenant', role: isRead(m) ? 'viewer' : 'controller' };
  }
  return { kind: 'user' };
}

/** One line per operation of the OpenAPI document: who may call it (for the docs and the tests). */
export function endpointTable(doc: { paths?: Record<string, Record<string, unknown>> }): { method: string; path: string; who: string }[] {
  const out: { method: string; path: string; who: string }[] = [];
  for (const [p, ops] of Object.entries(doc.paths ?? {})) {
    for (const method of Object.keys(ops)) {
      const concrete = p.replace('{adminId}', '1').replace(/\{[^}]+\}/g, 'x');
      const need = requirement(method, concrete);
      const who =
        need.kind === 'public' ? 'anyone (no login)'
        : need.kind === 'user' ? (p === '/api/administrations' ? 'any logged-in user (sees only their administrations)' : 'any logged-in user or token')
        : need.kind === 'session' ? 'a logged-in user'
        : need.kind === 'instance-admin' ? 'instance administrator'
        : need.role === 'viewer' ? 'viewer, controller, accountant, owner'
        : need.role === 'controller' ? 'controller, accountant, owner'
        : 'owner';
      out.push({ method: method.toUpperCase(), path: p, who });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
