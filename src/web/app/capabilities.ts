/**
 * What the logged-in user may do in the administration of the URL (app/permissions.ts, a copy of
 * the server's role table, checked against it for every operation in test/web/permissions.test.ts):
 * a viewer is offered no writes. Nothing is fetched for it: the role comes with /api/auth/me, which
 * the page has before it renders anything.
 */
import { useParams } from 'react-router';
import { useRole } from './auth.tsx';
import { roleAllows } from './permissions.ts';

/** May the user make this change in the administration of the URL? e.g. useMayWrite('POST', '/statements'). */
export function useMayWrite(method: string, path: string): boolean {
  return roleAllows(useRole(Number(useParams().adminId)), method, path);
}
