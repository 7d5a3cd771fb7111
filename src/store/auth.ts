/** Users, memberships, sessions, API tokens, password resets, setup tokens: plain SQL. */
import type { Queryable } from './db.ts';

export type Role = 'owner' | 'controller' | 'viewer' | 'accountant';
export const ROLES: readonly Role[] = ['owner', 'controller', 'viewer', 'accountant'];

export type User = {
  id: number; email: string; name: string; isAdmin: boolean; disabled: boolean;
  failedLogins: number; lockedUntil: Date | null; createdAt: string; lastLoginAt: string | null;
};
export type UserWithHash = User & { passwordHash: string | null };

type UserRow = {
  id: number; email: string; name: string; password_hash: string | null; is_admin: boolean; disabled: boolean; failed_logins: number;
  locked_until: Date | string | null; created_at: Date | string; last_login_at: Date | string | null;
};
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toUser(r: UserRow): UserWithHash {
  return {
    id: r.id, email: r.email, name: r.name, isAdmin: r.is_admin, disabled: r.disabled, failedLogins: r.failed_logins,
    lockedUntil: r.locked_until === null ? null : new Date(r.locked_until), createdAt: iso(r.created_at)!, lastLoginAt: iso(r.last_login_at), passwordHash: r.password_hash,
  };
}
export const publicUser = ({ passwordHash: _h, ...u }: UserWithHash): User => u;

export async function countUsers(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n;
}

export async function insertUser(db: Queryable, u: { email: string; name: string; passwordHash: string | null; isAdmin: boolean }): Promise<UserWithHash> {
  const rows = await db.query<UserRow>('INSERT INTO users (email, name, password_hash, is_admin) VALUES ($1, $2, $3, $4) RETURNING *', [u.email, u.name, u.passwordHash, u.isAdmin]);
  return toUser(rows[0]!);
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserWithHash | null> {
  const rows = await db.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function getUser(db: Queryable, id: number): Promise<UserWithHash | null> {
  const rows = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function setPasswordHash(db: Queryable, userId: number, hash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1', [userId, hash]);
}

export async function recordLoginFailure(db: Queryable, userId: number, lockedUntil: Date | null): Promise<void> {
  await db.query('UPDATE users SET failed_logins = failed_logins + 1, locked_until = $2 WHERE id = $1', [userId, lockedUntil]);
}

export async function recordLoginSuccess(db: Queryable, userId: number): Promise<void> {
  await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1', [userId]);
}

// ------------------------------------------------------------------ memberships

export type Membership = { administrationId: number; administrationName: string; role: Role };

export async function userMemberships(db: Queryable, userId: number): Promise<Membership[]> {
  return db.query<Membership>(
    `SELECT m.administration_id AS "administrationId", a.name AS "administrationName", m.role
       FROM memberships m JOIN administrations a ON a.id = m.administration_id WHERE m.user_id = $1 ORDER BY a.name, a.id`,
    [userId],
  );
}

export async function allAdministrationsAs(db: Queryable, role: Role): Promise<Membership[]> {
  return db.query<Membership>(`SELECT id AS "administrationId", name AS "administrationName", $1::text AS role FROM administrations ORDER BY name, id`, [role]);
}

export async function membershipRole(db: Queryable, userId: number, administrationId: number): Promise<Role | null> {
  const rows = await db.query<{ role: Role }>('SELECT role FROM memberships WHERE user_id = $1 AND administration_id = $2', [userId, administrationId]);
  return rows[0]?.role ?? null;
}

export async function upsertMembership(db: Queryable, userId: number, administrationId: number, role: Role): Promise<void> {
  await db.query(
    `INSERT INTO memberships (user_id, administration_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, administration_id) DO UPDATE SET role = EXCLUDED.role`,
    [userId, administrationId, role],
  );
}

export async function deleteMembership(db: Queryable, userId: number, administrationId: number): Promise<boolean> {
  const rows = await db.query('DELETE FROM memberships WHERE user_id = $1 AND administration_id = $2 RETURNING user_id', [userId, administrationId]);
  return rows.length > 0;
}

export type Member = { userId: number; email: string; name: string; role: Role; lastLoginAt: string | null; createdAt: string };

export async function administrationMembers(db: Queryable, administrationId: number): Promise<Member[]> {
  const rows = await db.query<{ user_id: number; email: string; name: string; role: Role; last_login_at: Date | string | null; created_at: Date | string }>(
    `SELECT m.user_id, u.email, u.name, m.role, u.last_login_at, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.administration_id = $1 ORDER BY lower(u.email)`,
    [administrationId],
  );
  return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, role: r.role, lastLoginAt: iso(r.last_login_at), createdAt: iso(r.created_at)! }));
}

// ------------------------------------------------------------------ sessions

export type SessionRow = { id: string; userId: number; csrfToken: string; expiresAt: Date; lastSeenAt: Date };

export async function insertSession(db: Queryable, s: { id: string; userId: number; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void> {
  await db.query('INSERT INTO sessions (id, user_id, csrf_token, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)', [s.id, s.userId, s.csrfToken, s.expiresAt, s.ip, s.userAgent]);
}

export async function getSession(db: Queryable, id: string): Promise<SessionRow | null> {
  const rows = await db.query<{ id: string; user_id: number; csrf_token: string; expires_at: Date | string; last_seen_at: Date | string }>(
    'SELECT id, user_id, csrf_token, expires_at, last_seen_at FROM sessions WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, userId: r.user_id, csrfToken: r.csrf_token, expiresAt: new Date(r.expires_at), lastSeenAt: new Date(r.last_seen_at) } : null;
}

export async function touchSession(db: Queryable, id: string, expiresAt: Date): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = now(), expires_at = $2 WHERE id = $1', [id, expiresAt]);
}

export async function deleteSession(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id = $1', [id]);
}

export async function deleteUserSessions(db: Queryable, userId: number): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}

export async function deleteExpiredSessions(db: Queryable): Promise<void> {
  await db.query('DELETE FROM sessions WHERE expires_at < now()');
}

// ------------------------------------------------------------------ API tokens

export type ApiToken = {
  id: number; administrationId: number; name: string; role: Exclude<Role, 'accountant'>; prefix: string; createdBy: number | null;
  createdAt: string; lastUsedAt: string | null; revokedAt: string | null;
};
type TokenRow = {
  id: number; administration_id: number; name: string; role: ApiToken['role']; prefix: string; created_by: number | null;
  created_at: Date | string; last_used_at: Date | string | null; revoked_at: Date | string | null;
};
const toToken = (r: TokenRow): ApiToken => ({
  id: r.id, administrationId: r.administration_id, name: r.name, role: r.role, prefix: r.prefix, createdBy: r.created_by,
  createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at),
});
const TOKEN_COLS = 'id, administration_id, name, role, prefix, created_by, created_at, last_used_at, revoked_at';

export async function insertApiToken(db: Queryable, t: { administrationId: number; name: string; role: ApiToken['role']; tokenHash: string; prefix: string; createdBy: number | null }): Promise<ApiToken> {
  const rows = await db.query<TokenRow>(
    `INSERT INTO api_tokens (administration_id, name, role, token_hash, prefix, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TOKEN_COLS}`,
    [t.administrationId, t.name, t.role, t.tokenHash, t.prefix, t.createdBy],
  );
  return toToken(rows[0]!);
}

export async function findActiveApiToken(db: Queryable, tokenHash: string): Promise<ApiToken | null> {
  const rows = await db.query<TokenRow>(`UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING ${TOKEN_COLS}`, [tokenHash]);
  return rows[0] ? toToken(rows[0]) : null;
}

export async function listApiTokens(db: Queryable, administrationId: number): Promise<ApiToken[]> {
  return (await db.query<TokenRow>(`SELECT ${TOKEN_COLS} FROM api_tokens WHERE administration_id = $1 ORDER BY id`, [administrationId])).map(toToken);
}

export async function revokeApiToken(db: Queryable, administrationId: number, id: number): Promise<ApiToken | null> {
  const rows = await db.query<TokenRow>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE administration_id = $1 AND id = $2 RETURNING ${TOKEN_COLS}`,
    [administrationId, id],
  );
  return rows[0] ? toToken(rows[0]) : null;
}

// ------------------------------------------------------------------ one-time tokens

export async function insertPasswordReset(db: Queryable, tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, userId, expiresAt]);
}

/** Marks the reset used and returns its user, if it exists, is unused and has not expired. */
export async function usePasswordReset(db: Queryable, tokenHash: string): Promise<number | null> {
  const rows = await db.query<{ user_id: number }>(
    'UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id',
    [tokenHash],
  );
  return rows[0]?.user_id ?? null;
}

/** Every outstanding reset link of a user stops working (after a completed reset). */
export async function revokePasswordResets(db: Queryable, userId: number): Promise<number> {
  return (await db.query('UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL RETURNING token_hash', [userId])).length;
}

export async function replaceSetupToken(db: Queryable, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.query('DELETE FROM setup_tokens');
  await db.query('INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, $2)', [tokenHash, expiresAt]);
}

export async function takeSetupToken(db: Queryable, tokenHash: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM setup_tokens WHERE token_hash = $1 AND expires_at > now() RETURNING token_hash', [tokenHash]);
  return rows.length > 0;
}
