/** SEPA direct debit mandates: the one writer of the `mandates` table. */
import type { Queryable } from './db.ts';
import type { Scheme } from '../domain/sepa/mandate.ts';
import type { Debtor } from './debtors.ts';

export type Mandate = {
  id: number;
  debtorId: number;
  debtorNumber: string;
  debtorName: string;
  mandateId: string;
  signatureDate: string;
  iban: string;
  bic: string | null;
  scheme: Scheme;
  recurring: boolean;
  status: 'active' | 'revoked';
  revokedAt: string | null;
  lastUsedAt: string | null;
  originalMandateId: string | null;
  originalIban: string | null;
  createdAt: string;
};

type MandateRow = {
  id: number; debtor_id: number; debtor_number: string; debtor_name: string; mandate_id: string; signature_date: string; iban: string;
  bic: string | null; scheme: Scheme; recurring: boolean; status: 'active' | 'revoked'; revoked_at: string | null; last_used_at: string | null;
  original_mandate_id: string | null; original_iban: string | null; created_at: Date | string;
};

const toMandate = (r: MandateRow): Mandate => ({
  id: r.id, debtorId: r.debtor_id, debtorNumber: r.debtor_number, debtorName: r.debtor_name, mandateId: r.mandate_id,
  signatureDate: r.signature_date, iban: r.iban, bic: r.bic, scheme: r.scheme, recurring: r.recurring, status: r.status,
  revokedAt: r.revoked_at, lastUsedAt: r.last_used_at, originalMandateId: r.original_mandate_id, originalIban: r.original_iban,
  createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
});

const SELECT = `SELECT m.*, d.number AS debtor_number, d.name AS debtor_name FROM mandates m JOIN debtors d ON d.administration_id = m.administration_id AND d.id = m.debtor_id`;

export type NewMandate = {
  debtorId: number; mandateId: string; signatureDate: string; iban: string; bic: string | null; scheme: Scheme; recurring: boolean;
};

export async function insertMandates(q: Queryable, administrationId: number, rows: readonly NewMandate[]): Promise<number[]> {
  if (!rows.length) return [];
  const r = await q.query<{ id: number }>(
    `INSERT INTO mandates (administration_id, debtor_id, mandate_id, signature_date, iban, bic, scheme, recurring)
     SELECT $1, t.debtor_id, t.mandate_id, t.signature_date, t.iban, t.bic, t.scheme, t.recurring
       FROM unnest($2::bigint[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::boolean[])
         WITH ORDINALITY AS t(debtor_id, mandate_id, signature_date, iban, bic, scheme, recurring, n)
      ORDER BY t.n
     RETURNING id`,
    [administrationId, rows.map((m) => m.debtorId), rows.map((m) => m.mandateId), rows.map((m) => m.signatureDate), rows.map((m) => m.iban),
      rows.map((m) => m.bic), rows.map((m) => m.scheme), rows.map((m) => m.recurring)],
  );
  return r.map((x) => x.id);
}

/** Which of these mandate ids the administration already has. */
export async function existingMandateIds(q: Queryable, administrationId: number, mandateIds: readonly string[]): Promise<Set<string>> {
  if (!mandateIds.length) return new Set();
  const r = await q.query<{ mandate_id: string }>('SELECT mandate_id FROM mandates WHERE administration_id = $1 AND mandate_id = ANY($2::text[])', [administrationId, mandateIds]);
  return new Set(r.map((x) => x.mandate_id));
}

export async function getMandate(q: Queryable, administrationId: number, id: number): Promise<Mandate | null> {
  const [r] = await q.query<MandateRow>(`${SELECT} WHERE m.administration_id = $1 AND m.id = $2`, [administrationId, id]);
  return r ? toMandate(r) : null;
}

export async function listMandates(q: Queryable, administrationId: number, f: { debtorId?: number } = {}): Promise<Mandate[]> {
  const params: unknown[] = [administrationId];
  let where = 'm.administration_id = $1';
  if (f.debtorId !== undefined) {
    params.push(f.debtorId);
    where += ` AND m.debtor_id = $${params.length}`;
  }
  const r = await q.query<MandateRow>(`${SELECT} WHERE ${where} ORDER BY d.number, m.signature_date, m.id`, params);
  return r.map(toMandate);
}

/** Revokes an active mandate; false when it was revoked already. */
export async function revokeMandateRow(q: Queryable, administrationId: number, id: number, revokedAt: string): Promise<boolean> {
  const r = await q.query<{ id: number }>(
    `UPDATE mandates SET status = 'revoked', revoked_at = $3 WHERE administration_id = $1 AND id = $2 AND status = 'active' RETURNING id`,
    [administrationId, id, revokedAt],
  );
  return r.length === 1;
}

/** The debtors (number, type) an import names, by number. */
export async function debtorsByNumbers(q: Queryable, administrationId: number, numbers: readonly string[]): Promise<Pick<Debtor, 'id' | 'number' | 'type'>[]> {
  return q.query<Pick<Debtor, 'id' | 'number' | 'type'>>('SELECT id, number, type FROM debtors WHERE administration_id = $1 AND number = ANY($2::text[])', [administrationId, numbers]);
}

/** A collection uses the mandate: last use moves to the collection date and a pending amendment has been sent. */
export async function markMandatesUsed(q: Queryable, administrationId: number, mandateIds: readonly number[], date: string): Promise<void> {
  await q.query(
    `UPDATE mandates SET last_used_at = greatest(coalesce(last_used_at, $3::date), $3::date), original_mandate_id = NULL, original_iban = NULL
      WHERE administration_id = $1 AND id = ANY($2::bigint[])`,
    [administrationId, mandateIds, date],
  );
}

/**
 * A new IBAN, BIC or mandate id. When the mandate has been collected before, the first original
 * is kept for the amendment the next collection carries (a second change before that collection
 * keeps what the bank knows).
 */
export async function amendMandateRow(q: Queryable, administrationId: number, id: number, c: { iban: string; bic: string | null; mandateId: string; keepOriginals: boolean }): Promise<void> {
  await q.query(
    `UPDATE mandates SET
        original_mandate_id = CASE WHEN $6 AND mandate_id <> $5 THEN coalesce(original_mandate_id, mandate_id) ELSE original_mandate_id END,
        original_iban = CASE WHEN $6 AND iban <> $3 THEN coalesce(original_iban, iban) ELSE original_iban END,
        iban = $3, bic = $4, mandate_id = $5
      WHERE administration_id = $1 AND id = $2`,
    [administrationId, id, c.iban, c.bic, c.mandateId, c.keepOriginals],
  );
}
