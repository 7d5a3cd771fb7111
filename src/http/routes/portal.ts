/**
 * The debtor portal seen from inside: per debtor the links (a new one to hand over, revoke them
 * all), when the debtor last opened the portal and what they did there; the administration's
 * portal settings (on/off, link days, pause after "already paid", the Mollie keys — never sent
 * back — and the texts). The portal itself is http/portal.ts.
 */
import type { Context } from 'hono';
import { changeAdministration } from '../../app/administrations.ts';
import { debtorPortal, issuePortalLink, nextPortalSettings, portalSettingsOf, revokePortalLinks } from '../../app/portal.ts';
import { requirePublicUrl, type Listen } from '../../app/links.ts';
import { getDebtor } from '../../store/debtors.ts';
import { addEvent } from '../../store/events.ts';
import { notFound } from '../../app/errors.ts';
import { actorOf } from '../auth.ts';
import { AdminIdParam, AdminParam, body, createRoute, errors, json, loadAdmin, z, type Api, type RouteDeps } from './common.ts';
import { ev } from '../../domain/events.ts';

const OverviewSchema = z.object({
  enabled: z.boolean(),
  usableLinks: z.number().int(),
  lastLinkAt: z.string().nullable(),
  lastOpenedAt: z.string().nullable().openapi({ description: 'when the debtor last opened the portal' }),
  activity: z.array(z.object({ kind: z.string(), summary: z.string(), at: z.string() })).openapi({ description: 'what the debtor did in the portal, newest first (20)' }),
}).openapi('DebtorPortal');

const SettingsView = z.object({
  enabled: z.boolean(), linkDays: z.number().int(), paidPauseDays: z.number().int(), mollieMode: z.enum(['test', 'live']),
  hasMollieTestKey: z.boolean(), hasMollieLiveKey: z.boolean(), introNl: z.string(), introEn: z.string(),
}).openapi('PortalSettings');
const SettingsInput = z.object({
  enabled: z.boolean().optional(), linkDays: z.number().int().min(1).max(366).optional(), paidPauseDays: z.number().int().min(0).max(30).optional(),
  mollieMode: z.enum(['test', 'live']).optional(),
  mollieTestKey: z.string().max(100).nullable().optional().openapi({ description: 'test_…; null or "" removes it; never returned' }),
  mollieLiveKey: z.string().max(100).nullable().optional().openapi({ description: 'live_…; null or "" removes it; never returned' }),
  introNl: z.string().max(2000).optional(), introEn: z.string().max(2000).optional(),
}).openapi('PortalSettingsInput');

export function registerPortalRoutes(app: Api, { db }: RouteDeps, links: { publicUrl?: string; listen?: Listen }): void {
  const admin = (c: Context) => loadAdmin(db, c);
  const base = '/api/administrations/{adminId}/debtors/{id}/portal';
  app.openapi(
    createRoute({ method: 'get', path: base, tags: ['Portal'], summary: 'The debtor portal of one debtor: usable links, last opened, what the debtor did there', request: { params: AdminIdParam }, responses: { 200: json(OverviewSchema), ...errors } }),
    async (c) => {
      const a = await admin(c);
      const id = c.req.valid('param').id;
      if (!(await getDebtor(db, a.id, id))) throw notFound(`debtor ${id}`);
      return c.json(await debtorPortal(db, a, id), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/links`, tags: ['Portal'], summary: 'A new portal link for the debtor, to hand over (shown once; only its hash is kept)', request: { params: AdminIdParam }, responses: { 201: json(z.object({ url: z.string(), expiresAt: z.string() })), ...errors } }),
    async (c) => {
      const a = await admin(c);
      const id = c.req.valid('param').id;
      if (!(await getDebtor(db, a.id, id))) throw notFound(`debtor ${id}`);
      const url = await requirePublicUrl(db, { configured: links.publicUrl, listen: links.listen });
      const made = await db.transaction(async (tx) => {
        const l = await issuePortalLink(tx, a, id, 'manual');
        await addEvent(tx, a.id, { debtorId: id, event: ev('portal_link_made', {}), data: { linkId: l.link.id }, actor: actorOf(c) });
        return l;
      });
      return c.json({ url: `${url}${made.path}`, expiresAt: made.link.expiresAt }, 201);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/revoke`, tags: ['Portal'], summary: 'Revoke every portal link of the debtor (the next message carries a new one)', request: { params: AdminIdParam }, responses: { 200: json(z.object({ revoked: z.number().int() })), ...errors } }),
    async (c) => c.json(await revokePortalLinks(db, await admin(c), c.req.valid('param').id, actorOf(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/settings/portal', tags: ['Settings'], summary: 'Portal settings (the Mollie keys only as present or not)', request: { params: AdminParam }, responses: { 200: json(SettingsView), ...errors } }),
    async (c) => c.json(portalSettingsOf(await admin(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/administrations/{adminId}/settings/portal', tags: ['Settings'], summary: 'Change the portal settings (only the fields given)', request: { params: AdminParam, ...body(SettingsInput) }, responses: { 200: json(SettingsView), ...errors } }),
    async (c) => {
      const a = await admin(c);
      const saved = await changeAdministration(db, a.id, { settings: nextPortalSettings(a, c.req.valid('json')) });
      return c.json(portalSettingsOf(saved), 200);
    },
  );
}
