/**
 * Accounts: users with argon2id passwords, sessions, API tokens, password reset by a mailed
 * one-time link, backoff and lockout after repeated failures, and the first-run setup token.
 * Secrets (session ids, API tokens, reset and setup tokens) are random 256-bit values; only their
 * sha256 is stored, so a copy of the database does not let anyone in.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Db, Queryable } from '../store/db.ts';
import {
  allAdministrationsAs, countUsers, deleteMembership, deleteSession, deleteUserSessions, findActiveApiToken, findUserByEmail, getSession, getUser,
  insertApiToken, insertPasswordReset, insertSession, insertUser, membershipRole, publicUser, recordLoginSuccess, replaceSetupToken,
  setPasswordHash, takeSetupToken, revokePasswordResets, touchSession, upsertMembership, usePasswordReset, administrationMembers, userMemberships,
  type ApiToken, type Membership, type Role, type User, ROLES,
} from '../store/auth.ts';
import { getAdministration } from '../store/administrations.ts';
import { clearThrottle, hitWindow, isLocked, peekWindow, recordFailure } from '../store/throttles.ts';
import { createMailer, parseMailbox, type MailerConfig } from './mail/mailer.ts';
import { AppError, invalid, notFound } from './errors.ts';
import { linkTo } from './links.ts';

export type { Role, User, Membership, ApiToken };
export { ROLES };

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000; // sliding: extended while in use
export const RESET_TTL_MS = 60 * 60 * 1000;
export const SETUP_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Failed logins of one address on one account before that address is locked out of it; each further failure doubles the lock (1 min … 1 h). */
export const FREE_FAILURES = 5;
export const MAX_LOCK_MS = 60 * 60 * 1000;
/** Failed logins per minute from one address (any accounts) before it gets 429 for the rest of the minute. */
export const SOURCE_FAILURES_PER_MINUTE = 10;

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const randomToken = (): string => randomBytes(32).toString('base64url');

// ------------------------------------------------------------------ passwords

export function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length < 10) throw invalid('the password must have at least 10 characters', [{ field: 'password', code: 'too_short', message: 'at least 10 characters' }]);
  if (password.length > 256) throw invalid('the password is too long (256 characters at most)', [{ field: 'password', code: 'too_long', message: 'at most 256 characters' }]);
}

/** argon2id with the library's defaults (m = 19 MiB, t = 2, p = 1: the OWASP baseline). */
export const hashPassword = (password: string): Promise<string> => argonHash(password);

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argonVerify(hash, password);
  } catch {
    return false;
  }
}
// spent on unknown e-mail addresses, so the answer takes as long as for a known one
let dummyHash: Promise<string> | null = null;

export function normalizeEmail(email: string): string {
  const e = String(email ?? '').trim();
  try {
    parseMailbox('email', e); // refuses control characters (mail header injection) and odd forms
  } catch {
    throw invalid(`not an e-mail address: "${e.slice(0, 100)}"`, [{ field: 'email', code: 'invalid', message: 'not an e-mail address' }]);
  }
  if (e.includes('<') || e.length > 254) throw invalid('not a plain e-mail address', [{ field: 'email', code: 'invalid', message: 'not an e-mail address' }]);
  return e.toLowerCase();
}

// ------------------------------------------------------------------ users

export async function createUser(db: Queryable, input: { email: string; name: string; password?: string | null; isAdmin?: boolean }): Promise<User> {
  const email = normalizeEmail(input.email);
  const name = String(input.name ?? '').trim() || email;
  if (name.length > 200) throw invalid('the name is too long');
  if (input.password != null) checkPassword(input.password);
  if (await findUserByEmail(db, email)) throw new AppError('conflict', `there is already a user ${email}`);
  const passwordHash = input.password != null ? await hashPassword(input.password) : null;
  return publicUser(await insertUser(db, { email, name, passwordHash, isAdmin: input.isAdmin ?? false }));
}

export async function setPassword(db: Queryable, userId: number, password: string): Promise<void> {
  checkPassword(password);
  await setPasswordHash(db, userId, await hashPassword(password));
}

export async function grantRole(db: Queryable, userId: number, administrationId: number, role: Role): Promise<void> {
  if (!ROLES.includes(role)) throw invalid(`unknown role "${role}"`);
  if (!(await getAdministration(db, administrationId))) throw notFound(`administration ${administrationId}`);
  await upsertMembership(db, userId, administrationId, role);
}

/** What a user may see: instance administrators are owners of every administration. */
export async function membershipsOf(db: Queryable, user: Pick<User, 'id' | 'isAdmin'>): Promise<Membership[]> {
  if (user.isAdmin) return allAdministrationsAs(db, 'owner');
  return userMemberships(db, user.id);
}

export async function roleOf(db: Queryable, user: Pick<User, 'id' | 'isAdmin'>, administrationId: number): Promise<Role | null> {
  if (user.isAdmin) return 'owner'; // of every administration (an unknown one is then a 404 from the route)
  return membershipRole(db, user.id, administrationId);
}

// ------------------------------------------------------------------ login, sessions

export type LoginContext = { ip: string | null; userAgent: string | null; now?: Date; failuresPerMinute?: number };
export type NewSession = { token: string; csrfToken: string; expiresAt: Date; user: User };

/** The lock after `failures` consecutive failures, or null while failures are still free. */
export function lockFor(failures: number): number | null {
  if (failures < FREE_FAILURES) return null;
  return Math.min(MAX_LOCK_MS, 60_000 * 2 ** (failures - FREE_FAILURES));
}

/**
 * Log in. Throttling lives in the database (store/throttles.ts), shared by every server process:
 *  - an address with too many failed logins this minute gets 429, whatever account it tries: the
 *    source is slowed down, and that answer says nothing about any account;
 *  - after FREE_FAILURES failures of one address on one account, that address is locked out of
 *    that account (1 min, doubling up to 1 h). A locked attempt is answered exactly like a wrong
 *    password: the same 401 and text, after the same password hashing, so it neither tells that
 *    the account exists nor lets anyone lock its owner out from another address.
 */
export async function login(db: Db, email: string, password: string, ctx: LoginContext): Promise<NewSession> {
  const wrong = () => new AppError('unauthorized', 'wrong e-mail address or password');
  const source = (ctx.ip ?? 'unknown').slice(0, 100);
  const perMinute = ctx.failuresPerMinute ?? SOURCE_FAILURES_PER_MINUTE;
  const busy = await peekWindow(db, 'source_failure', source, 60);
  if (busy.count >= perMinute) throw new AppError('rate_limited', `too many failed logins from this address; try again in ${busy.retryAfterSeconds} s`);
  const address = typeof email === 'string' && email.length <= 254 ? email.trim().toLowerCase() : '';
  const key = `${address} ${source}`;
  const user = address ? await findUserByEmail(db, address) : null;
  const locked = await isLocked(db, key);
  let ok: boolean;
  if (!user || user.disabled || !user.passwordHash) {
    dummyHash ??= hashPassword(randomToken());
    await verifyPassword(await dummyHash, String(password ?? ''));
    ok = false;
  } else {
    ok = await verifyPassword(user.passwordHash, String(password ?? ''));
  }
  if (!ok || locked || !user) {
    await hitWindow(db, 'source_failure', source, 60);
    await recordFailure(db, key, FREE_FAILURES, MAX_LOCK_MS / 1000);
    throw wrong();
  }
  await clearThrottle(db, 'account_source', key);
  await recordLoginSuccess(db, user.id);
  return startSession(db, publicUser(user), ctx);
}

/** Login-type requests (login, setup, reset, invitations) from one address this minute; the wait in seconds when over `perMinute`, else 0. */
export async function takeLoginRequest(db: Queryable, ip: string, perMinute: number): Promise<number> {
  const w = await hitWindow(db, 'source', ip.slice(0, 100), 60);
  return w.count > perMinute ? w.retryAfterSeconds : 0;
}

export async function startSession(db: Queryable, user: User, ctx: LoginContext): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date((ctx.now ?? new Date()).getTime() + SESSION_TTL_MS);
  await insertSession(db, { id: sha256(token), userId: user.id, csrfToken, expiresAt, ip: ctx.ip?.slice(0, 100) ?? null, userAgent: ctx.userAgent?.slice(0, 300) ?? null });
  return { token, csrfToken, expiresAt, user };
}

export type SessionCaller = { user: User; sessionId: string; csrfToken: string };

export async function resolveSession(db: Queryable, token: string, now = new Date()): Promise<SessionCaller | null> {
  if (!token || token.length > 200) return null;
  const s = await getSession(db, sha256(token));
  if (!s) return null;
  if (s.expiresAt <= now) {
    await deleteSession(db, s.id);
    return null;
  }
  const user = await getUser(db, s.userId);
  if (!user || user.disabled) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000) await touchSession(db, s.id, new Date(now.getTime() + SESSION_TTL_MS));
  return { user: publicUser(user), sessionId: s.id, csrfToken: s.csrfToken };
}

export async function logout(db: Queryable, token: string): Promise<void> {
  if (token) await deleteSession(db, sha256(token));
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// ------------------------------------------------------------------ API tokens

export const TOKEN_PREFIX = 'vdr_';
export type TokenRole = ApiToken['role'];

export async function createApiToken(db: Queryable, input: { administrationId: number; name: string; role: TokenRole; createdBy: number | null }): Promise<{ token: string; info: ApiToken }> {
  if (!['owner', 'controller', 'viewer'].includes(input.role)) throw invalid(`a token's role is owner, controller or viewer, not "${input.role}"`);
  const name = String(input.name ?? '').trim();
  if (!name || name.length > 100) throw invalid('a token needs a name (at most 100 characters)');
  const token = `${TOKEN_PREFIX}${randomToken()}`;
  const info = await insertApiToken(db, { administrationId: input.administrationId, name, role: input.role, tokenHash: sha256(token), prefix: token.slice(0, 12), createdBy: input.createdBy });
  return { token, info };
}

/** The token behind a bearer value, if it exists and is not revoked; records the time of use. */
export async function resolveApiToken(db: Queryable, token: string): Promise<ApiToken | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  return findActiveApiToken(db, sha256(token));
}

// ------------------------------------------------------------------ password reset

export function smtpConfigFromEnv(env: string | undefined = process.env.VORDER_SMTP_URL): MailerConfig | null {
  if (!env) return null;
  const u = new URL(env);
  return {
    host: u.hostname, port: Number(u.port || 587), secure: u.protocol === 'smtps:',
    user: u.username ? decodeURIComponent(u.username) : undefined, pass: u.password ? decodeURIComponent(u.password) : undefined,
    from: u.searchParams.get('from') ?? 'vorder@localhost',
  };
}

/**
 * Mails a one-time link (valid one hour) when the address belongs to a user. The caller answers
 * the same either way; the mail goes out in the background so the timing tells nothing either.
 * `baseUrl` is the configured public URL (app/links.ts), never the request's own address.
 * Returns the promise of the background work (tests wait for it).
 */
export async function requestPasswordReset(db: Queryable, emailInput: string, opts: { baseUrl: string; smtp?: MailerConfig | null; now?: Date }): Promise<{ sent: Promise<void> }> {
  let email: string;
  try {
    email = normalizeEmail(emailInput);
  } catch {
    return { sent: Promise.resolve() };
  }
  const user = await findUserByEmail(db, email);
  const smtp = opts.smtp === undefined ? smtpConfigFromEnv() : opts.smtp;
  if (!user || user.disabled) return { sent: Promise.resolve() };
  const token = randomToken();
  await insertPasswordReset(db, sha256(token), user.id, new Date((opts.now ?? new Date()).getTime() + RESET_TTL_MS));
  const link = linkTo(opts.baseUrl.replace(/\/+$/, ''), 'reset', token);
  if (!smtp) {
    console.warn(`password reset requested for user ${user.id}, but no mail server is configured (VORDER_SMTP_URL)`);
    return { sent: Promise.resolve() };
  }
  const sent = (async () => {
    const mailer = createMailer(smtp);
    try {
      await mailer.transport.sendMail({
        from: smtp.from,
        to: user.email,
        subject: 'Vorder: nieuw wachtwoord / new password',
        text:
          `Iemand (hopelijk u) vroeg een nieuw wachtwoord aan voor ${user.email}.\nKies een nieuw wachtwoord via deze link (één uur geldig, één keer te gebruiken):\n\n${link}\n\n` +
          `Someone (hopefully you) asked for a new password for ${user.email}.\nChoose a new password with this link (valid for one hour, once):\n\n${link}\n\n` +
          `Niet aangevraagd? Negeer dit bericht. / Not you? Ignore this message.\n`,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
    } catch (e) {
      console.error(`password reset mail for user ${user.id} failed: ${(e as Error).message}`);
    } finally {
      mailer.close();
    }
  })();
  return { sent };
}

export async function confirmPasswordReset(db: Db, token: string, password: string): Promise<void> {
  checkPassword(password);
  const hash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const userId = typeof token === 'string' && token.length <= 200 ? await usePasswordReset(tx, sha256(token)) : null;
    if (!userId) throw new AppError('bad_request', 'this link is not valid (any more): ask for a new one');
    await setPasswordHash(tx, userId, hash);
    await revokePasswordResets(tx, userId); // any other link mailed earlier stops working too
    await deleteUserSessions(tx, userId); // everywhere logged out
  });
}

// ------------------------------------------------------------------ first run

export const setupNeeded = async (db: Queryable): Promise<boolean> => (await countUsers(db)) === 0;

/** While no user exists: a new one-time setup token (the previous one stops working). */
export async function createSetupToken(db: Queryable, now = new Date()): Promise<string | null> {
  if (!(await setupNeeded(db))) return null;
  const token = randomToken();
  await replaceSetupToken(db, sha256(token), new Date(now.getTime() + SETUP_TTL_MS));
  return token;
}

/** The first administrator: an instance administrator (owner of every administration). */
export async function completeSetup(db: Db, input: { token: string; email: string; name: string; password: string }): Promise<User> {
  checkPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE users IN EXCLUSIVE MODE');
    if (!(await setupNeeded(tx))) throw new AppError('conflict', 'Vorder is already set up: log in instead');
    if (typeof input.token !== 'string' || !(await takeSetupToken(tx, sha256(input.token)))) throw new AppError('forbidden', 'the setup link is not valid (any more): restart `vorder serve` for a new one, or use `vorder users add`');
    return createUser(tx, { email: input.email, name: input.name, password: input.password, isAdmin: true });
  });
}

// ------------------------------------------------------------------ members of an administration

export const listMembers = administrationMembers;

export async function addMember(db: Db, administrationId: number, input: { email: string; name?: string; role: Role; password?: string | null }): Promise<{ user: User; created: boolean }> {
  return db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, normalizeEmail(input.email));
    const user = existing ? publicUser(existing) : await createUser(tx, { email: input.email, name: input.name ?? input.email, password: input.password ?? null });
    await grantRole(tx, user.id, administrationId, input.role);
    return { user, created: !existing };
  });
}

export async function changeMemberRole(db: Db, administrationId: number, userId: number, role: Role): Promise<void> {
  await db.transaction(async (tx) => {
    const cur = await membershipRole(tx, userId, administrationId);
    if (!cur) throw notFound(`user ${userId} in this administration`);
    if (cur === 'owner' && role !== 'owner') await keepAnOwner(tx, administrationId, userId);
    await grantRole(tx, userId, administrationId, role);
  });
}

export async function removeMember(db: Db, administrationId: number, userId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const cur = await membershipRole(tx, userId, administrationId);
    if (!cur) throw notFound(`user ${userId} in this administration`);
    if (cur === 'owner') await keepAnOwner(tx, administrationId, userId);
    await deleteMembership(tx, userId, administrationId);
  });
}

async function keepAnOwner(db: Queryable, administrationId: number, leaving: number): Promise<void> {
  const owners = (await administrationMembers(db, administrationId)).filter((m) => m.role === 'owner' && m.userId !== leaving);
  const admins = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE is_admin AND NOT disabled AND id <> $1', [leaving]);
  if (!owners.length && !admins[0]!.n) throw new AppError('conflict', 'an administration keeps at least one owner');
}
