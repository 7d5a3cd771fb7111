/**
 * Login: every page except /login, /setup, /reset and /invite needs a session. The session is an httpOnly
 * cookie the page cannot read; GET /api/auth/me says who is logged in and gives the CSRF token
 * that api.ts sends with every write. A 401 from any call leads to /login?next=….
 */
import { useEffect, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, post, setCsrfToken, setUnauthorizedHandler } from '../api.ts';
import { Loading } from '../components/ui.tsx';

export type Me = {
  user: { id: number; email: string; name: string; isAdmin: boolean } | null;
  memberships: { administrationId: number; administrationName: string; role: string }[];
  csrfToken: string | null;
};

const OPEN = ['/login', '/setup', '/reset', '/invite'];
export const meQuery = {
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    const res = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.status === 401) return null;
    if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, res.statusText);
    const me = (await res.json()) as Me;
    setCsrfToken(me.csrfToken);
    return me;
  },
  staleTime: 5 * 60_000,
};

export function useMe() {
  return useQuery(meQuery);
}

export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    try { await post('/auth/logout'); } catch { /* logged out anyway */ }
    setCsrfToken(null);
    qc.clear();
    navigate('/login', { replace: true });
  };
}

export function AuthGate({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const location = useLocation();
  const open = OPEN.includes(location.pathname);
  const me = useQuery({ ...meQuery, enabled: !open });
  useEffect(() => {
    setUnauthorizedHandler(() => {
      const here = window.location.pathname + window.location.search;
      if (!OPEN.includes(window.location.pathname)) navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
    });
  }, [navigate]);
  const loggedOut = !open && me.isSuccess && me.data === null;
  useEffect(() => {
    if (loggedOut) navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
  }, [loggedOut, navigate, location.pathname, location.search]);
  if (open) return <>{children}</>;
  if (me.isPending || loggedOut) return <Loading h={400} />;
  return <>{children}</>;
}

export type Role = 'owner' | 'controller' | 'viewer';
/** The caller's role in an administration (instance administrators are owners everywhere; an accountant works as a controller). */
export function useRole(adminId: number): Role | null {
  const me = useMe();
  if (me.data?.user?.isAdmin) return 'owner';
  const r = me.data?.memberships.find((m) => m.administrationId === adminId)?.role;
  return r === 'owner' ? 'owner' : r === 'controller' || r === 'accountant' ? 'controller' : r === 'viewer' ? 'viewer' : null;
}
