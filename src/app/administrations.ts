/** Choosing and managing administrations (tenants). */
import type { Db, Queryable } from '../store/db.ts';
import { findAdministrationByName, getAdministration, insertAdministration, listAdministrations, updateAdministration, type Administration, type AdministrationInput } from '../store/administrations.ts';
import { isValidCreditorId, isValidIban, normalizeIban } from '../domain/references.ts';
import { AppError, invalid, notFound, type Problem } from './errors.ts';

export const DEFAULT_ADMINISTRATION_NAME = 'Mijn administratie';

/** A new data directory starts with one administration, so a first import needs no setup. */
export async function ensureDefaultAdministration(db: Queryable): Promise<Administration> {
  const all = await listAdministrations(db);
  if (all.length) return all[0]!;
  return insertAdministration(db, { name: DEFAULT_ADMINISTRATION_NAME });
}

/** `--admin NAME|ID`: required only when there are several administrations. */
export async function resolveAdministration(db: Queryable, nameOrId?: string | number | null): Promise<Administration> {
  if (nameOrId !== undefined && nameOrId !== null && nameOrId !== '') {
    const byId = typeof nameOrId === 'number' || /^\d+$/.test(nameOrId) ? await getAdministration(db, Number(nameOrId)) : null;
    const found = byId ?? (await findAdministrationByName(db, String(nameOrId)));
    if (!found) throw notFound(`administration "${nameOrId}"`);
    return found;
  }
  const all = await listAdministrations(db);
  if (all.length === 1) return all[0]!;
  if (all.length === 0) return ensureDefaultAdministration(db);
  throw new AppError('administration_required', `there are ${all.length} administrations; choose one with --admin (${all.map((a) => a.name).join(', ')})`);
}

function validateAdministration(input: AdministrationInput): AdministrationInput {
  const problems: Problem[] = [];
  const out: AdministrationInput = { ...input };
  if (input.name !== undefined && !input.name.trim()) problems.push({ field: 'name', code: 'required', message: 'name is empty' });
  if (input.iban) {
    out.iban = normalizeIban(input.iban);
    if (!isValidIban(out.iban)) problems.push({ field: 'iban', code: 'invalid_iban', message: `"${input.iban}" is not a valid IBAN`, params: { value: String(input.iban) } });
  }
  if (input.creditorId && !isValidCreditorId(input.creditorId)) problems.push({ field: 'creditorId', code: 'invalid', message: `"${input.creditorId}" is not a valid SEPA creditor identifier` });
  if (problems.length) throw invalid('the administration has invalid fields', problems);
  return out;
}

export async function createAdministration(db: Db, input: AdministrationInput & { name: string }): Promise<Administration> {
  const v = validateAdministration(input);
  if (await findAdministrationByName(db, input.name)) throw new AppError('conflict', `an administration named "${input.name}" exists already`);
  return insertAdministration(db, { ...v, name: input.name.trim() });
}

export async function changeAdministration(db: Db, id: number, input: AdministrationInput): Promise<Administration> {
  const v = validateAdministration(input);
  const a = await updateAdministration(db, id, v);
  if (!a) throw notFound(`administration ${id}`);
  return a;
}

export { listAdministrations, getAdministration };
