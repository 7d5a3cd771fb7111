/**
 * Which parts of the API this server has, read once from /api/openapi.json: screens for
 * capabilities still being built (dunning, debtor care, login) appear as soon as their routes do.
 * And what the logged-in user may do in the administration of the URL (app/permissions.ts): a
 * viewer is offered no writes.
 */
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useRole } from './auth.tsx';
import { isReadMethod, roleAllows, type Role } from './permissions.ts';

export type Capabilities = { dunning: boolean; care: boolean; workToday: boolean; dashboard: boolean; paths: Set<string>; role: Role | null };

export function useCapabilities(): Capabilities {
  const q = useQuery({
    queryKey: ['openapi-paths'],
    staleTime: Infinity,
    queryFn: async () => {
      const res = await fetch('/api/openapi.json');
      if (!res.ok) return [] as string[];
      const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
      return Object.entries(doc.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    },
  });
  const role = useRole(Number(useParams().adminId));
  const paths = new Set(q.data ?? []);
  const has = (s: string) => paths.has(s);
  const A = '/api/administrations/{adminId}';
  return {
    paths,
    role,
    dashboard: has(`GET ${A}/dashboard`),
    dunning: has(`GET ${A}/dunning/preview`),
    care: has(`POST ${A}/debtors/{id}/notes`) || has(`POST ${A}/debtors/{id}/promises`),
    workToday: has(`GET ${A}/work-today`) || has(`GET ${A}/work`),
  };
}

/**
 * Does the server have this route, and may the user call it? e.g. hasRoute(caps, 'POST', '/debtors/{id}/promises')
 * under the administration. Writes need the role the server asks (a viewer gets none).
 */
export const hasRoute = (caps: Capabilities, method: string, path: string) =>
  caps.paths.has(`${method} /api/administrations/{adminId}${path}`) && (isReadMethod(method) || roleAllows(caps.role, method, path));

/** May the user make this change in the administration of the URL (whatever the server's routes)? e.g. useMayWrite('POST', '/statements'). */
export function useMayWrite(method: string, path: string): boolean {
  return roleAllows(useRole(Number(useParams().adminId)), method, path);
}
