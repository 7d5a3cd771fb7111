/**
 * The web app's mirror of the role table (src/web/app/permissions.ts) agrees with the server's
 * (src/http/roles.ts) on every operation of the API: a viewer is offered exactly what it may do.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { requirement } from '../../src/http/roles.ts';
import { neededRole, roleAllows } from '../../src/web/app/permissions.ts';

describe('the web app offers what the role may do', () => {
  it('agrees with the server on every operation under an administration', async () => {
    const app = createApp({ db: { query: async () => [], engine: 'pglite' } as never });
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const A = '/api/administrations/{adminId}';
    let n = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith(A)) continue;
      const rest = path.slice(A.length);
      for (const method of Object.keys(ops)) {
        const server = requirement(method, `/api/administrations/7${rest.replace(/\{[^}]+\}/g, 'x')}`);
        expect(server.kind, `${method} ${path}`).toBe('tenant');
        expect(neededRole(method, rest), `${method.toUpperCase()} ${path}`).toBe((server as { role: string }).role);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  it('a viewer reads, a controller does the daily work, an owner the settings; no role nothing', () => {
    expect(roleAllows('viewer', 'GET', '/debtors/{id}/statement.pdf')).toBe(true);
    expect(roleAllows('viewer', 'POST', '/debtors/{id}/statement')).toBe(false);
    expect(roleAllows('viewer', 'POST', '/statements')).toBe(false);
    expect(roleAllows('controller', 'POST', '/debtors/{id}/statement')).toBe(true);
    expect(roleAllows('controller', 'PATCH', '')).toBe(false);
    expect(roleAllows('owner', 'PATCH', '')).toBe(true);
    expect(roleAllows(null, 'GET', '/debtors')).toBe(false);
  });
});
