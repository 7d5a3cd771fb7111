/** The administration being worked in: from the URL (/a/:adminId/…), remembered for the next visit. */
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { get, type Administration } from '../api.ts';

export const administrationsQuery = { queryKey: ['administrations'], queryFn: () => get<Administration[]>('/administrations'), staleTime: 60_000 };

export function useAdministrations() {
  return useQuery(administrationsQuery);
}

/** The current administration's id (from the URL) and, once loaded, the administration. */
export function useAdmin(): { adminId: number; admin: Administration | undefined; base: string } {
  const { adminId } = useParams();
  const id = Number(adminId);
  const list = useAdministrations();
  return { adminId: id, admin: list.data?.find((a) => a.id === id), base: `/a/${id}` };
}

export function rememberAdmin(id: number): void {
  try { localStorage.setItem('vorder.admin', String(id)); } catch { /* private mode */ }
}
export function rememberedAdmin(): number | null {
  try { const v = Number(localStorage.getItem('vorder.admin')); return Number.isFinite(v) && v > 0 ? v : null; } catch { return null; }
}

/** Path of an administration-scoped API resource. */
export const apiPath = (adminId: number, p = '') => `/administrations/${adminId}${p}`;
