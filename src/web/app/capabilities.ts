/**
 * Which parts of the API this server has, read once from /api/openapi.json: screens for
 * capabilities still being built (dunning, debtor care, login) appear as soon as their routes do.
 */
import { useQuery } from '@tanstack/react-query';

export type Capabilities = { dunning: boolean; care: boolean; workToday: boolean; dashboard: boolean; paths: Set<string> };

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
  const paths = new Set(q.data ?? []);
  const has = (s: string) => paths.has(s);
  const A = '/api/administrations/{adminId}';
  return {
    paths,
    dashboard: has(`GET ${A}/dashboard`),
    dunning: has(`GET ${A}/dunning/preview`),
    care: has(`POST ${A}/debtors/{id}/notes`) || has(`POST ${A}/debtors/{id}/promises`),
    workToday: has(`GET ${A}/work-today`) || has(`GET ${A}/work`),
  };
}

/** Does the server have this route? e.g. has(caps, 'POST', '/debtors/{id}/promises') under the administration. */
export const hasRoute = (caps: Capabilities, method: string, path: string) => caps.paths.has(`${method} /api/administrations/{adminId}${path}`);
