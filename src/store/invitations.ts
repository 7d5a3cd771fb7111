/** Invitations to an administration (migration 0012): plain SQL. Only the token's sha256 is stored. */
import type { Queryable } from './db.ts';
import type { Role } from './auth.ts';

export type Invitation = {
  id: number; administrationId: number; email: string; role: Role; invitedBy: number | null;
  createdAt: string; expiresAt: string; acceptedAt: string | null; revokedAt: string | null;
};
type Row = {
  id: number; administration_id: number; email: string; role: Role; invited_by: number | null;
  created_at: Date | string; expires_at: Date | string; accepted_at: Date | string | null; revoked_at: Date | string | null;
};
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const toInvitation = (r: Row): Invitation => ({
  id: r.id, administrationId: r.administration_id, email: r.email, role: r.role, invitedBy: r.invited_by,
  createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at)!, acceptedAt: iso(r.accepted_at), revokedAt: iso(r.revoked_at),
});
const COLS = 'id, administration_id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at';

/** A new invitation; an earlier pending one for the same address here is revoked (its link stops working). */
export async function insertInvitation(db: Queryable, i: { administrationId: number; email: string; role: Role; tokenHash: string; invitedBy: number | null; expiresAt: Date }): Promise<Invitation> {
  await db.query('UPDATE invitations SET revoked_at = now() WHERE administration_id = $1 AND lower(email) = lower($2) AND accepted_at IS NULL AND revoked_at IS NULL', [i.administrationId, i.email]);
  const rows = await db.query<Row>(
    `INSERT INTO invitations (administration_id, email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLS}`,
    [i.administrationId, i.email, i.role, i.tokenHash, i.invitedBy, i.expiresAt],
  );
  return toInvitation(rows[0]!);
}

/** Pending (not accepted, not revoked) invitations of an administration, expired ones included (the screen says so). */
export async function pendingInvitations(db: Queryable, administrationId: number): Promise<Invitation[]> {
  return (await db.query<Row>(`SELECT ${COLS} FROM invitations WHERE administration_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY id DESC`, [administrationId])).map(toInvitation);
}

export async function revokeInvitation(db: Queryable, administrationId: number, id: number): Promise<Invitation | null> {
  const rows = await db.query<Row>(`UPDATE invitations SET revoked_at = coalesce(revoked_at, now()) WHERE administration_id = $1 AND id = $2 AND accepted_at IS NULL RETURNING ${COLS}`, [administrationId, id]);
  return rows[0] ? toInvitation(rows[0]) : null;
}

/** The usable invitation behind a token (pending, not expired), with its administration's name; locked for the accepting transaction. */
export async function findUsableInvitation(db: Queryable, tokenHash: string, forUpdate = false): Promise<(Invitation & { administrationName: string }) | null> {
  const rows = await db.query<Row & { administration_name: string }>(
    `SELECT ${COLS.split(', ').map((c) => `i.${c}`).join(', ')}, a.name AS administration_name FROM invitations i JOIN administrations a ON a.id = i.administration_id
      WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()${forUpdate ? ' FOR UPDATE OF i' : ''}`,
    [tokenHash],
  );
  return rows[0] ? { ...toInvitation(rows[0]), administrationName: rows[0].administration_name } : null;
}

export async function markInvitationAccepted(db: Queryable, id: number, userId: number): Promise<void> {
  await db.query('UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1', [id, userId]);
}
