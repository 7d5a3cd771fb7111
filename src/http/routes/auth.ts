/**
 * Accounts and access: first-run setup, login/logout, the current caller, password reset, the
 * users and API tokens of an administration, its audit log, and the cross-administration overview.
 * Who may call each route is decided in http/roles.ts (checked by http/auth.ts before the handler).
 */
import type { Context } from 'hono';
import { setCookie, deleteCookie, getCookie } from 'hono/cookie';
import {
  changeMemberRole, completeSetup, confirmPasswordReset, createApiToken, listMembers, login, logout, removeMember, requestPasswordReset,
  membershipsOf, setupNeeded, startSession, type NewSession, ROLES,
} from '../../app/auth.ts';
import { listApiTokens, revokeApiToken } from '../../store/auth.ts';
import { pendingInvitations, revokeInvitation } from '../../store/invitations.ts';
import { acceptInvitation, invitationInfo, inviteMember } from '../../app/invitations.ts';
import { auditCsv, listAudit } from '../../app/audit.ts';
import { AUDIT_SUBJECT_PATHS, describeAudit, type AuditSubjectFilter } from '../../app/audit-words.ts';
import { administrationOrder, administrationsOverview } from '../../store/overview.ts';
import { withAdministration } from '../../store/tenant.ts';
import { formatCents } from '../../domain/money.ts';
import { AppError, notFound } from '../../app/errors.ts';
import { requirePublicUrl, type Listen } from '../../app/links.ts';
import { Amount, IsoDateSchema } from '../schemas.ts';
import { callerOf, clientIp, isHttps, SESSION_COOKIE, visibleMemberships } from '../auth.ts';
import { AdminParam, body, createRoute, errors, json, loadAdmin, z, type Api, pathId, QueryId, type RouteDeps } from './common.ts';

const RoleSchema = z.enum(ROLES as unknown as ['owner', 'controller', 'viewer', 'accountant']);
const TokenRoleSchema = z.enum(['owner', 'controller', 'viewer']);
const Email = z.string().min(3).max(254);
const Password = z.string().min(1).max(256);
const UserSchema = z.object({ id: z.number().int(), email: z.string(), name: z.string(), isAdmin: z.boolean(), lastLoginAt: z.string().nullable() }).openapi('User');
const MembershipSchema = z.object({ administrationId: z.number().int(), administrationName: z.string(), role: z.string() }).openapi('Membership');
const MeSchema = z
  .object({
    user: UserSchema.nullable(),
    token: z.object({ id: z.number().int(), name: z.string(), role: z.string(), administrationId: z.number().int() }).nullable(),
    memberships: z.array(MembershipSchema),
    csrfToken: z.string().nullable().openapi({ description: 'Send as the x-csrf-token header with every write made with the session cookie' }),
  })
  .openapi('Me');
const MemberSchema = z.object({ userId: z.number().int(), email: z.string(), name: z.string(), role: z.string(), lastLoginAt: z.string().nullable(), createdAt: z.string() }).openapi('Member');
const TokenSchema = z
  .object({ id: z.number().int(), administrationId: z.number().int(), name: z.string(), role: z.string(), prefix: z.string(), createdBy: z.number().int().nullable(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .openapi('ApiToken');
const AuditSchema = z
  .object({ id: z.number().int(), at: z.string(), userId: z.number().int().nullable(), userEmail: z.string().nullable(), tokenId: z.number().int().nullable(), administrationId: z.number().int().nullable(), action: z.string(), method: z.string().nullable(), path: z.string().nullable(), target: z.string().nullable(), status: z.number().int().nullable(), ip: z.string().nullable(),
    what: z.string().openapi({ description: 'what was done, in words, in the language asked for (?lang=)' }), subject: z.object({ kind: z.string(), id: z.string().nullable() }).nullable() })
  .openapi('AuditEntry');
const Ok = z.object({ ok: z.boolean() });
const InvitationSchema = z
  .object({ id: z.number().int(), administrationId: z.number().int(), email: z.string(), role: z.string(), invitedBy: z.number().int().nullable(), createdAt: z.string(), expiresAt: z.string(), acceptedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .openapi('Invitation');
const InviteResultSchema = z
  .object({
    invitation: InvitationSchema,
    mailed: z.boolean(),
    reason: z.enum(['no_mail_server', 'send_failed']).nullable().openapi({ description: 'Why the link is handed over instead of mailed' }),
    link: z.string().nullable().openapi({ description: 'Only when no mail could be sent: the link to pass on to the person' }),
    notice: z.string().nullable(),
  })
  .openapi('InviteResult');
const UserIdParam = AdminParam.extend({ userId: pathId('userId', 2) });
const TokenIdParam = AdminParam.extend({ id: pathId('id', 1) });
const e401 = { 401: { description: 'Not logged in', content: { 'application/json': { schema: errors[400].content['application/json'].schema } } } };

const userJson = (u: { id: number; email: string; name: string; isAdmin: boolean; lastLoginAt: string | null }) => ({ id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin, lastLoginAt: u.lastLoginAt });

/**
 * People, tokens and roles are made by people: an API token cannot add users, change roles or
 * make tokens, so nothing an integration made outlives the revocation of its token.
 */
function requirePerson(c: Context, what: string): void {
  if (callerOf(c)?.kind !== 'session') throw new AppError('forbidden', `an API token cannot ${what}: only a logged-in person can (people, roles and tokens are made by people)`);
}

export function registerAuthRoutes(app: Api, { db, today }: RouteDeps, links: { publicUrl?: string; listen?: Listen; trustProxy?: boolean; loginFailuresPerMinute?: number } = {}): void {
  const trustProxy = links.trustProxy ?? process.env.VORDER_TRUST_PROXY === '1';
  const ctx = (c: Context) => ({ ip: clientIp(c, trustProxy), userAgent: c.req.header('user-agent') ?? null, failuresPerMinute: links.loginFailuresPerMinute });
  // links in mail come from the configured public URL only, never from the request (app/links.ts)
  const baseUrl = () => requirePublicUrl(db, { configured: links.publicUrl, listen: links.listen });

  async function signedIn(c: Context, s: NewSession) {
    setCookie(c, SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'Lax', secure: isHttps(c, trustProxy), path: '/' });
    c.set('auditUser' as never, s.user as never);
    return { user: userJson(s.user), token: null, memberships: await membershipsOf(db, s.user), csrfToken: s.csrfToken };
  }

  // ------------------------------------------------------------ first run, login
  app.openapi(createRoute({ method: 'get', path: '/api/auth/status', tags: ['Accounts'], summary: 'Whether the first administrator still has to be created (first run)', responses: { 200: json(z.object({ setupNeeded: z.boolean() })) } }), async (c) =>
    c.json({ setupNeeded: await setupNeeded(db) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/auth/setup', tags: ['Accounts'], summary: 'First run: create the first administrator with the one-time token printed by `vorder serve`; logs in', request: body(z.object({ token: z.string().min(1).max(200), email: Email, name: z.string().min(1).max(200), password: Password })), responses: { 201: json(MeSchema, 'Created and logged in'), ...errors, 403: errors[400], 429: errors[400] } }),
    async (c) => {
      const b = c.req.valid('json');
      const user = await completeSetup(db, b);
      return c.json(await signedIn(c, await startSession(db, user, ctx(c))), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/auth/login', tags: ['Accounts'], summary: 'Log in: sets the httpOnly session cookie; answers the user, memberships and the CSRF token', request: body(z.object({ email: Email, password: Password })), responses: { 200: json(MeSchema), ...errors, ...e401, 429: errors[400] } }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await signedIn(c, await login(db, b.email, b.password, ctx(c))), 200);
    },
  );
  app.openapi(createRoute({ method: 'post', path: '/api/auth/logout', tags: ['Accounts'], summary: 'Log out (ends the session)', responses: { 200: json(Ok) } }), async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await logout(db, token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true }, 200);
  });
  app.openapi(createRoute({ method: 'get', path: '/api/auth/me', tags: ['Accounts'], summary: 'Who is calling: the user (or API token), the administrations with roles, and the CSRF token', responses: { 200: json(MeSchema), ...e401 } }), async (c) => {
    const caller = callerOf(c)!;
    const memberships = await visibleMemberships(c, db);
    if (caller.kind === 'token') return c.json({ user: null, token: { id: caller.token.id, name: caller.token.name, role: caller.token.role, administrationId: caller.token.administrationId }, memberships, csrfToken: null }, 200);
    return c.json({ user: userJson(caller.user), token: null, memberships, csrfToken: caller.csrfToken }, 200);
  });
  app.openapi(
    createRoute({ method: 'post', path: '/api/auth/password-reset/request', tags: ['Accounts'], summary: 'Mail a one-time link to choose a new password (the answer is the same whether the address is known or not)', request: body(z.object({ email: Email })), responses: { 202: json(Ok, 'Accepted'), ...errors, 429: errors[400] } }),
    async (c) => {
      await requestPasswordReset(db, c.req.valid('json').email, { baseUrl: await baseUrl() });
      return c.json({ ok: true }, 202);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/auth/password-reset/confirm', tags: ['Accounts'], summary: 'Choose a new password with the mailed token (once; ends every session of the user)', request: body(z.object({ token: z.string().min(1).max(200), password: Password })), responses: { 200: json(Ok), ...errors, 429: errors[400] } }),
    async (c) => {
      const b = c.req.valid('json');
      await confirmPasswordReset(db, b.token, b.password);
      return c.json({ ok: true }, 200);
    },
  );

  // ------------------------------------------------------------ users of an administration (owner)
  const A = '/api/administrations/{adminId}';
  app.openapi(createRoute({ method: 'get', path: `${A}/users`, tags: ['Accounts'], summary: 'Users with access to this administration and their roles', request: { params: AdminParam }, responses: { 200: json(z.array(MemberSchema)), ...errors } }), async (c) => {
    const a = await loadAdmin(db, c);
    return c.json(await listMembers(db, a.id), 200);
  });
  app.openapi(
    createRoute({
      method: 'post', path: `${A}/users`, tags: ['Accounts'],
      summary: 'Invite a person by e-mail to a role here: a one-time link (7 days) they accept on /invite. The answer is the same whether or not the address has an account; nobody is added before accepting. A logged-in person only (not an API token).',
      request: { params: AdminParam, ...body(z.object({ email: Email, role: RoleSchema })) },
      responses: { 202: json(InviteResultSchema, 'Invitation made (mailed, or the link to pass on when no mail could be sent)'), ...errors, 403: errors[400], 503: errors[400] },
    }),
    async (c) => {
      requirePerson(c, 'add users');
      const a = await loadAdmin(db, c);
      const b = c.req.valid('json');
      const caller = callerOf(c);
      const r = await inviteMember(db, a, { email: b.email, role: b.role, invitedBy: caller?.kind === 'session' ? caller.user.id : null }, { baseUrl: await baseUrl() });
      return c.json(r, 202);
    },
  );
  app.openapi(createRoute({ method: 'get', path: `${A}/users/invitations`, tags: ['Accounts'], summary: 'Invitations not yet accepted (expired ones included)', request: { params: AdminParam }, responses: { 200: json(z.array(InvitationSchema)), ...errors } }), async (c) => {
    const a = await loadAdmin(db, c);
    return c.json(await pendingInvitations(db, a.id), 200);
  });
  app.openapi(createRoute({ method: 'delete', path: `${A}/users/invitations/{id}`, tags: ['Accounts'], summary: 'Revoke an invitation (its link stops working)', request: { params: TokenIdParam }, responses: { 200: json(InvitationSchema), ...errors } }), async (c) => {
    const p = c.req.valid('param');
    const inv = await revokeInvitation(db, (await loadAdmin(db, c)).id, p.id);
    if (!inv) throw notFound(`invitation ${p.id}`);
    return c.json(inv, 200);
  });
  app.openapi(
    createRoute({ method: 'post', path: '/api/auth/invitation/info', tags: ['Accounts'], summary: 'What an invitation link is for (administration, address, role), before accepting it', request: body(z.object({ token: z.string().min(1).max(200) })), responses: { 200: json(z.object({ administrationName: z.string(), email: z.string(), role: z.string(), expiresAt: z.string() })), ...errors, 429: errors[400] } }),
    async (c) => c.json(await invitationInfo(db, c.req.valid('json').token), 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/api/auth/invitation/accept', tags: ['Accounts'],
      summary: 'Accept an invitation: logged in, your account gets the role; otherwise give a name and password for a new account for the invited address (then logged in)',
      request: body(z.object({ token: z.string().min(1).max(200), name: z.string().max(200).optional(), password: Password.optional() })),
      responses: { 200: json(MeSchema), ...errors, 429: errors[400] },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const caller = callerOf(c);
      const r = await acceptInvitation(db, b.token, { user: caller?.kind === 'session' ? caller.user : null, name: b.name, password: b.password });
      if (caller?.kind === 'session') return c.json({ user: userJson(caller.user), token: null, memberships: await membershipsOf(db, caller.user), csrfToken: caller.csrfToken }, 200);
      return c.json(await signedIn(c, await startSession(db, r.user, ctx(c))), 200);
    },
  );
  app.openapi(createRoute({ method: 'patch', path: `${A}/users/{userId}`, tags: ['Accounts'], summary: "Change a user's role here", request: { params: UserIdParam, ...body(z.object({ role: RoleSchema })) }, responses: { 200: json(Ok), ...errors } }), async (c) => {
    requirePerson(c, 'change roles');
    const p = c.req.valid('param');
    await changeMemberRole(db, (await loadAdmin(db, c)).id, p.userId, c.req.valid('json').role);
    return c.json({ ok: true }, 200);
  });
  app.openapi(createRoute({ method: 'delete', path: `${A}/users/{userId}`, tags: ['Accounts'], summary: 'Take away a user\'s access to this administration', request: { params: UserIdParam }, responses: { 200: json(Ok), ...errors } }), async (c) => {
    requirePerson(c, 'take away access');
    const p = c.req.valid('param');
    await removeMember(db, (await loadAdmin(db, c)).id, p.userId);
    return c.json({ ok: true }, 200);
  });

  // ------------------------------------------------------------ API tokens (owner)
  app.openapi(createRoute({ method: 'get', path: `${A}/tokens`, tags: ['Accounts'], summary: 'API tokens of this administration (prefix, role, last used; never the token)', request: { params: AdminParam }, responses: { 200: json(z.array(TokenSchema)), ...errors } }), async (c) => {
    const a = await loadAdmin(db, c);
    return c.json(await listApiTokens(db, a.id), 200);
  });
  app.openapi(
    createRoute({ method: 'post', path: `${A}/tokens`, tags: ['Accounts'], summary: 'Create an API token for an integration: shown once, stored hashed; send as Authorization: Bearer', request: { params: AdminParam, ...body(z.object({ name: z.string().min(1).max(100), role: TokenRoleSchema })) }, responses: { 201: json(TokenSchema.extend({ token: z.string() }), 'Created (the token is in this answer only)'), ...errors } }),
    async (c) => {
      requirePerson(c, 'create API tokens');
      const a = await loadAdmin(db, c);
      const caller = callerOf(c);
      const b = c.req.valid('json');
      const r = await createApiToken(db, { administrationId: a.id, name: b.name, role: b.role, createdBy: caller?.kind === 'session' ? caller.user.id : null });
      return c.json({ ...r.info, token: r.token }, 201);
    },
  );
  app.openapi(createRoute({ method: 'delete', path: `${A}/tokens/{id}`, tags: ['Accounts'], summary: 'Revoke an API token (it stops working at once)', request: { params: TokenIdParam }, responses: { 200: json(TokenSchema), ...errors } }), async (c) => {
    const p = c.req.valid('param');
    const t = await revokeApiToken(db, (await loadAdmin(db, c)).id, p.id);
    if (!t) throw notFound(`token ${p.id}`);
    return c.json(t, 200);
  });

  // ------------------------------------------------------------ audit log (owner)
  app.openapi(
    createRoute({ method: 'get', path: `${A}/audit`, tags: ['Accounts'], summary: 'The audit log, newest first: who did what to which subject, when, from where, in words (?lang=nl|en); filter by person (?user= part of the e-mail address), subject and dates; ?format=csv to export', request: { params: AdminParam, query: z.object({ limit: z.coerce.number().int().min(1).max(100000).default(200), before: QueryId.optional(), format: z.enum(['json', 'csv']).default('json'), lang: z.enum(['nl', 'en']).default('nl'), user: z.string().max(200).optional(), subject: z.enum(Object.keys(AUDIT_SUBJECT_PATHS) as [AuditSubjectFilter, ...AuditSubjectFilter[]]).optional(), from: IsoDateSchema.optional(), to: IsoDateSchema.optional() }) }, responses: { 200: json(z.array(AuditSchema)), ...errors } }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      const rows = await listAudit(db, a.id, { limit: q.limit, before: q.before, user: q.user, subject: q.subject, from: q.from, to: q.to });
      if (q.format === 'csv') return c.body(auditCsv(rows, q.lang), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="audit.csv"' }) as never;
      return c.json(rows.map(({ detail: _d, ...r }) => ({ ...r, ...describeAudit(r, q.lang) })), 200);
    },
  );

  // ------------------------------------------------------------ overview across administrations
  app.openapi(
    createRoute({ method: 'get', path: '/api/overview', tags: ['Insight'], summary: 'Every administration the caller can see: open, overdue, bank lines to review, tasks and disputes (the accountant\'s view)', request: { query: z.object({ asOf: IsoDateSchema.optional() }) }, responses: { 200: json(z.object({ asOf: IsoDateSchema, administrations: z.array(z.object({ administrationId: z.number().int(), name: z.string(), role: z.string(), open: Amount, overdue: Amount, openItems: z.number().int(), overdueItems: z.number().int(), bankLinesToReview: z.number().int(), openTasks: z.number().int(), tasksDue: z.number().int(), openDisputes: z.number().int() })) })), ...e401 } }),
    async (c) => {
      const asOf = c.req.valid('query').asOf ?? today();
      const ms = await visibleMemberships(c, db);
      const role = new Map(ms.map((m) => [m.administrationId, m.role]));
      // each administration read confined to itself (row-level security), one after the other
      const rows = [];
      for (const id of await administrationOrder(db, ms.map((m) => m.administrationId))) rows.push(...(await withAdministration(db, id, (scoped) => administrationsOverview(scoped, [id], asOf))));
      return c.json({ asOf, administrations: rows.map(({ openCents, overdueCents, ...r }) => ({ ...r, role: role.get(r.administrationId)!, open: formatCents(openCents), overdue: formatCents(overdueCents) })) }, 200);
    },
  );
}
