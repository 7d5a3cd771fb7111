/** Administrations (tenants): the creditor businesses whose receivables Vorder manages. */
import type { Queryable } from './db.ts';

export type Administration = {
  id: number;
  name: string;
  legalName: string | null;
  iban: string | null;
  bic: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  country: string;
  kvk: string | null;
  vatNumber: string | null;
  creditorId: string | null;
  email: string | null;
  language: 'nl' | 'en';
  referenceKind: 'cur' | 'rf';
  settings: Record<string, unknown>;
  createdAt: string;
};

type AdministrationRow = {
  id: number; name: string; legal_name: string | null; iban: string | null; bic: string | null; address_line: string | null;
  postal_code: string | null; city: string | null; country: string; kvk: string | null; vat_number: string | null;
  creditor_id: string | null; email: string | null; language: 'nl' | 'en'; reference_kind: 'cur' | 'rf';
  settings: Record<string, unknown>; created_at: Date | string;
};

export const ADMINISTRATION_FIELDS = {
  name: 'name', legalName: 'legal_name', iban: 'iban', bic: 'bic', addressLine: 'address_line', postalCode: 'postal_code',
  city: 'city', country: 'country', kvk: 'kvk', vatNumber: 'vat_number', creditorId: 'creditor_id', email: 'email',
  language: 'language', referenceKind: 'reference_kind', settings: 'settings',
} as const;

export type AdministrationInput = Partial<Omit<Administration, 'id' | 'createdAt'>>;

function toAdministration(r: AdministrationRow): Administration {
  return {
    id: r.id, name: r.name, legalName: r.legal_name, iban: r.iban, bic: r.bic, addressLine: r.address_line, postalCode: r.postal_code,
    city: r.city, country: r.country, kvk: r.kvk, vatNumber: r.vat_number, creditorId: r.creditor_id, email: r.email,
    language: r.language, referenceKind: r.reference_kind, settings: r.settings ?? {},
    createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
  };
}

export async function listAdministrations(q: Queryable): Promise<Administration[]> {
  return (await q.query<AdministrationRow>('SELECT * FROM administrations ORDER BY id')).map(toAdministration);
}

export async function getAdministration(q: Queryable, id: number): Promise<Administration | null> {
  const [r] = await q.query<AdministrationRow>('SELECT * FROM administrations WHERE id = $1', [id]);
  return r ? toAdministration(r) : null;
}

export async function findAdministrationByName(q: Queryable, name: string): Promise<Administration | null> {
  const [r] = await q.query<AdministrationRow>('SELECT * FROM administrations WHERE lower(name) = lower($1)', [name]);
  return r ? toAdministration(r) : null;
}

export async function insertAdministration(q: Queryable, input: AdministrationInput & { name: string }): Promise<Administration> {
  const cols: string[] = [];
  const vals: unknown[] = [];
  for (const [k, col] of Object.entries(ADMINISTRATION_FIELDS)) {
    const v = (input as Record<string, unknown>)[k];
    if (v !== undefined) {
      cols.push(col);
      vals.push(k === 'settings' ? JSON.stringify(v) : v);
    }
  }
  const [r] = await q.query<AdministrationRow>(
    `INSERT INTO administrations (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    vals,
  );
  return toAdministration(r!);
}

export async function updateAdministration(q: Queryable, id: number, input: AdministrationInput): Promise<Administration | null> {
  const sets: string[] = [];
  const vals: unknown[] = [id];
  for (const [k, col] of Object.entries(ADMINISTRATION_FIELDS)) {
    const v = (input as Record<string, unknown>)[k];
    if (v !== undefined) {
      vals.push(k === 'settings' ? JSON.stringify(v) : v);
      sets.push(`${col} = $${vals.length}`);
    }
  }
  if (!sets.length) return getAdministration(q, id);
  const [r] = await q.query<AdministrationRow>(`UPDATE administrations SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, vals);
  return r ? toAdministration(r) : null;
}

/** Lock the administration row for the rest of the transaction (serialises imports and runs). */
export async function lockAdministration(q: Queryable, id: number): Promise<void> {
  await q.query('SELECT id FROM administrations WHERE id = $1 FOR UPDATE', [id]);
}

/** Reserve `n` consecutive payment-reference counters; returns the first. Never reused. */
export async function reserveReferenceCounters(q: Queryable, id: number, n: number): Promise<number> {
  const [r] = await q.query<{ first: number }>(
    'UPDATE administrations SET reference_counter = reference_counter + $2 WHERE id = $1 RETURNING reference_counter - $2 + 1 AS first',
    [id, n],
  );
  return r!.first;
}
