/**
 * Which role an operation under an administration needs, to decide what the web app offers. The
 * server decides (src/http/roles.ts: one table, enforced on every request); this mirrors it so a
 * viewer is not offered buttons that can only fail. test/web/permissions.test.ts checks that the
 * two agree on every operation of the API. No imports: the same rules in the browser and the tests.
 */
export type Role = 'owner' | 'controller' | 'viewer';

const RANK: Record<Role, number> = { viewer: 1, controller: 2, owner: 3 };

/** Operations that need an owner ([methods ('*' = all), path under /api/administrations/{adminId}]), as TENANT_RULES in src/http/roles.ts. */
const OWNER_ONLY: readonly [string, RegExp][] = [
  ['PATCH', /^$/],
  ['PUT,PATCH,POST,DELETE', /^\/settings(\/.*)?$/],
  ['DELETE', /^$/],
  ['*', /^\/users(\/.*)?$/],
  ['*', /^\/tokens(\/.*)?$/],
  ['*', /^\/audit(\/.*)?$/],
  ['PUT,DELETE', /^\/templates(\/.*)?$/],
  ['PUT,DELETE,POST', /^\/dunning\/policies(\/.*)?$/],
  ['PUT,DELETE', /^\/statuses(\/.*)?$/],
  ['PUT,DELETE', /^\/segments\/[^/]+$/],
  ['POST', /^\/connections$/],
  ['DELETE', /^\/connections\/[^/]+$/],
  ['PUT', /^\/package-settings$/],
];

export const isReadMethod = (method: string) => ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

/** The least role `method path` needs; `path` is under the administration, e.g. '/debtors/{id}/notes'. */
export function neededRole(method: string, path: string): Role {
  const m = method.toUpperCase();
  for (const [spec, re] of OWNER_ONLY) if ((spec === '*' || spec.split(',').includes(m)) && re.test(path)) return 'owner';
  return isReadMethod(m) ? 'viewer' : 'controller';
}

/** May this role call it? No role (not a member, or not known yet): nothing. */
export function roleAllows(role: Role | null, method: string, path: string): boolean {
  return role !== null && RANK[role] >= RANK[neededRole(method, path)];
}
