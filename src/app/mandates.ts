/**
 * SEPA direct debit mandates: create, import (CSV, all or nothing), revoke, list with the status
 * on a date. Validation names the field (and the line in an import) and writes nothing when
 * anything is wrong: an invalid IBAN or BIC, a mandate id that breaks the SEPA rules or is used
 * already (in the administration or earlier in the file), a signature in the future, a B2B
 * mandate for a consumer (B2B is for businesses only: EPC SDD B2B rulebook, LEGAL.md 9.5).
 */
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { getDebtor, type Debtor } from '../store/debtors.ts';
import { debtorsByNumbers } from '../store/mandates.ts';
import { addEvent, addEvents } from '../store/events.ts';
import { ev } from '../domain/events.ts';
import { amendMandateRow, existingMandateIds, getMandate, insertMandates, listMandates as listMandateRows, revokeMandateRow, type Mandate, type NewMandate } from '../store/mandates.ts';
import { readCsv } from '../formats/csv.ts';
import { isIsoDate, parseDate } from '../domain/dates.ts';
import { isValidIban, normalizeIban } from '../domain/references.ts';
import { mandateIdProblem, mandateState, SCHEMES, type MandateState, type Scheme } from '../domain/sepa/mandate.ts';
import { AppError, invalid, notFound, type Problem } from './errors.ts';
import { mandateFormPdf } from './documents/mandate-form.ts';

export type MandateView = Mandate & { state: MandateState };

export type MandateInput = {
  debtorId: number;
  mandateId: string;
  signatureDate: string;
  iban: string;
  bic?: string | null;
  scheme: string;
  recurring?: boolean;
};

const MANDATE_ID_TEXT: Readonly<Record<string, string>> = {
  empty: 'the mandate id is empty',
  too_long: 'the mandate id is longer than 35 characters',
  charset: "the mandate id may only hold a-z A-Z 0-9 / - ? : ( ) . , ' + and space",
  space: 'the mandate id starts or ends with a space',
  slash: 'the mandate id may not start or end with "/" or contain "//"',
};

const BIC = /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/;

type Checked = { ok: true; row: NewMandate } | { ok: false };

/** Checks one mandate against the debtor and the date; pushes problems (with `line` for an import). */
function check(input: Omit<MandateInput, 'debtorId'>, debtor: Pick<Debtor, 'id' | 'number' | 'type'> | null, asOf: string, problems: Problem[], line?: number, fields: Readonly<Record<keyof typeof FIELDS_API, string>> = FIELDS_API): Checked {
  const at = (field: keyof typeof FIELDS_API, code: string, message: string, params?: Record<string, string>) =>
    problems.push({ ...(line !== undefined ? { line } : {}), field: fields[field], code, message, ...(params ? { params } : {}) });
  const before = problems.length;
  const mandateId = input.mandateId ?? '';
  const idProblem = mandateIdProblem(mandateId);
  if (idProblem) at('mandateId', `mandate_id_${idProblem}`, MANDATE_ID_TEXT[idProblem]!);
  let signatureDate = input.signatureDate ?? '';
  const d = parseDate(signatureDate);
  if (!d.ok) at('signatureDate', 'invalid_date', `"${signatureDate}" is not a date (use YYYY-MM-DD)`);
  else {
    signatureDate = d.date;
    if (signatureDate > asOf) at('signatureDate', 'in_future', `the signature date ${signatureDate} is after today (${asOf})`);
  }
  const iban = normalizeIban(input.iban ?? '');
  if (!isValidIban(iban)) at('iban', 'invalid_iban', `"${input.iban ?? ''}" is not a valid IBAN`);
  const bic = input.bic?.replace(/\s+/g, '').toUpperCase() || null;
  if (bic !== null && !BIC.test(bic)) at('bic', 'invalid_bic', `"${input.bic}" is not a valid BIC`);
  const scheme = (input.scheme ?? '').trim().toUpperCase();
  if (!(SCHEMES as readonly string[]).includes(scheme)) at('scheme', 'invalid_scheme', `the scheme must be CORE or B2B, not "${input.scheme ?? ''}"`, { allowed: 'CORE, B2B' });
  else if (scheme === 'B2B' && debtor?.type === 'consumer') at('scheme', 'b2b_consumer', `debtor ${debtor.number} is a consumer: a B2B mandate is for businesses only, use CORE`);
  if (!debtor || problems.length > before) return { ok: false };
  return { ok: true, row: { debtorId: debtor.id, mandateId, signatureDate, iban, bic, scheme: scheme as Scheme, recurring: input.recurring ?? true } };
}

const FIELDS_API = { mandateId: 'mandateId', signatureDate: 'signatureDate', iban: 'iban', bic: 'bic', scheme: 'scheme', debtor: 'debtorId' } as const;
const FIELDS_CSV = { mandateId: 'mandate_id', signatureDate: 'signature_date', iban: 'iban', bic: 'bic', scheme: 'scheme', debtor: 'debtor_number' } as const;

function view(m: Mandate, asOf: string): MandateView {
  return { ...m, state: mandateState(m, asOf) };
}

export async function createMandate(db: Db, admin: Administration, input: MandateInput, asOf: string, actor: string | null = null): Promise<MandateView> {
  if (!isIsoDate(asOf)) throw invalid(`asOf must be a date YYYY-MM-DD, not "${asOf}"`);
  return db.transaction(async (tx) => {
    const debtor = Number.isSafeInteger(input.debtorId) ? await getDebtor(tx, admin.id, input.debtorId) : null;
    const problems: Problem[] = [];
    if (!debtor) problems.push({ field: 'debtorId', code: 'unknown_debtor', message: `debtor ${input.debtorId} does not exist` });
    const c = check(input, debtor, asOf, problems);
    if (!mandateIdProblem(input.mandateId ?? '') && (await existingMandateIds(tx, admin.id, [input.mandateId])).size)
      problems.push({ field: 'mandateId', code: 'mandate_id_used', message: `mandate id "${input.mandateId}" is already used in this administration` });
    if (problems.length || !c.ok) throw invalid(`the mandate was not saved: ${problems.map((p) => p.message).join('; ')}`, problems);
    const [id] = await insertMandates(tx, admin.id, [c.row]);
    await addEvent(tx, admin.id, { debtorId: debtor!.id, event: ev('mandate_added', { mandateId: c.row.mandateId, scheme: c.row.scheme }), data: { mandateId: c.row.mandateId, scheme: c.row.scheme, iban: c.row.iban }, actor });
    return view((await getMandate(tx, admin.id, id!))!, asOf);
  });
}

export type MandateImportResult = { filename: string; rows: number; created: number };

const REQUIRED = ['debtor_number', 'mandate_id', 'signature_date', 'iban', 'scheme'] as const;

/** CSV with headers debtor_number,mandate_id,signature_date,iban,bic,scheme (bic optional, `recurring` yes/no optional). All or nothing. */
export async function importMandatesCsv(db: Db, admin: Administration, input: { filename: string; content: Uint8Array; actor?: string | null }, asOf: string): Promise<MandateImportResult> {
  if (!isIsoDate(asOf)) throw invalid(`asOf must be a date YYYY-MM-DD, not "${asOf}"`);
  const rejected = (problems: Problem[]) => {
    const first = problems.slice(0, 3).map((p) => `${p.line ? `line ${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}`).join('; ');
    return new AppError('import_rejected', `${input.filename}: ${problems.length} problem(s), nothing was imported (${first}${problems.length > 3 ? '; …' : ''})`, problems);
  };
  const csv = readCsv(input.content);
  if (!csv.ok) throw rejected([{ line: csv.error.line, code: csv.error.code, message: csv.error.message }]);
  const header = csv.table.header.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((h) => !header.includes(h));
  if (missing.length) throw rejected(missing.map((h) => ({ line: 1, field: h, code: 'missing_column', message: `the column ${h} is missing (headers: debtor_number,mandate_id,signature_date,iban,bic,scheme)` })));
  const col = (name: string) => header.indexOf(name);
  const get = (fields: string[], name: string) => (col(name) >= 0 ? (fields[col(name)] ?? '').trim() : '');
  const records = csv.table.records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (!records.length) throw rejected([{ line: 2, code: 'empty', message: 'the file has no mandates' }]);
  return db.transaction(async (tx) => {
    const numbers = [...new Set(records.map((r) => get(r.fields, 'debtor_number')))];
    const debtors = new Map<string, Pick<Debtor, 'id' | 'number' | 'type'>>();
    if (numbers.length) {
      for (const d of await debtorsByNumbers(tx, admin.id, numbers)) debtors.set(d.number, d);
    }
    const used = await existingMandateIds(tx, admin.id, records.map((r) => get(r.fields, 'mandate_id')));
    const inFile = new Map<string, number>();
    const problems: Problem[] = [];
    const rows: NewMandate[] = [];
    for (const r of records) {
      const number = get(r.fields, 'debtor_number');
      const debtor = debtors.get(number) ?? null;
      if (!debtor) problems.push({ line: r.line, field: 'debtor_number', code: 'unknown_debtor', message: number ? `no debtor with number "${number}"` : 'the debtor number is empty' });
      const rec = get(r.fields, 'recurring').toLowerCase();
      let recurring = true;
      if (rec !== '') {
        if (['yes', 'ja', 'true', '1', 'y', 'j'].includes(rec)) recurring = true;
        else if (['no', 'nee', 'false', '0', 'n'].includes(rec)) recurring = false;
        else problems.push({ line: r.line, field: 'recurring', code: 'invalid', message: `recurring must be yes or no, not "${rec}"` });
      }
      const c = check({ mandateId: get(r.fields, 'mandate_id'), signatureDate: get(r.fields, 'signature_date'), iban: get(r.fields, 'iban'), bic: get(r.fields, 'bic'), scheme: get(r.fields, 'scheme'), recurring }, debtor, asOf, problems, r.line, FIELDS_CSV);
      const id = get(r.fields, 'mandate_id');
      if (used.has(id)) problems.push({ line: r.line, field: 'mandate_id', code: 'mandate_id_used', message: `mandate id "${id}" is already used in this administration` });
      else if (id && inFile.has(id)) problems.push({ line: r.line, field: 'mandate_id', code: 'mandate_id_used', message: `mandate id "${id}" occurs on line ${inFile.get(id)} already` });
      else if (id) inFile.set(id, r.line);
      if (c.ok) rows.push(c.row);
    }
    if (problems.length) throw rejected(problems);
    await insertMandates(tx, admin.id, rows);
    await addEvents(tx, admin.id, rows.map((m) => ({ debtorId: m.debtorId, event: ev('mandate_added', { mandateId: m.mandateId, scheme: m.scheme, file: input.filename }), data: { mandateId: m.mandateId, scheme: m.scheme, iban: m.iban }, actor: input.actor ?? null })));
    return { filename: input.filename, rows: records.length, created: rows.length };
  });
}

export async function revokeMandate(db: Db, admin: Administration, id: number, date: string, actor: string | null = null): Promise<MandateView> {
  if (!isIsoDate(date)) throw invalid(`the revocation date must be YYYY-MM-DD, not "${date}"`, [{ field: 'date', code: 'invalid_date', message: `"${date}" is not a date` }]);
  return db.transaction(async (tx) => {
    const m = await getMandate(tx, admin.id, id);
    if (!m) throw notFound(`mandate ${id}`);
    if (!(await revokeMandateRow(tx, admin.id, id, date))) throw new AppError('conflict', `mandate ${m.mandateId} is revoked already (${m.revokedAt})`);
    await addEvent(tx, admin.id, { debtorId: m.debtorId, event: ev('mandate_revoked', { mandateId: m.mandateId, date }), data: { mandateId: m.mandateId, date }, actor });
    return view((await getMandate(tx, admin.id, id))!, date);
  });
}

export async function listMandates(db: Queryable, admin: Administration, asOf: string, f: { debtorId?: number } = {}): Promise<MandateView[]> {
  return (await listMandateRows(db, admin.id, f)).map((m) => view(m, asOf));
}

export async function findMandate(db: Queryable, admin: Administration, id: number, asOf: string): Promise<MandateView> {
  const m = await getMandate(db, admin.id, id);
  if (!m) throw notFound(`mandate ${id}`);
  return view(m, asOf);
}

export type MandateChange = { iban?: string; bic?: string | null; mandateId?: string };

/**
 * A new IBAN (and BIC) or mandate id for an active mandate. If it was collected before, the next
 * collection tells the bank with the amendment indicator and the original data (LEGAL.md 9.3).
 */
export async function amendMandate(db: Db, admin: Administration, id: number, change: MandateChange, asOf: string, actor: string | null = null): Promise<MandateView> {
  if (!isIsoDate(asOf)) throw invalid(`asOf must be a date YYYY-MM-DD, not "${asOf}"`);
  return db.transaction(async (tx) => {
    const m = await getMandate(tx, admin.id, id);
    if (!m) throw notFound(`mandate ${id}`);
    if (m.status === 'revoked') throw new AppError('conflict', `mandate ${m.mandateId} is revoked: record a new mandate instead`);
    const problems: Problem[] = [];
    const iban = change.iban !== undefined ? normalizeIban(change.iban) : m.iban;
    if (change.iban !== undefined && !isValidIban(iban)) problems.push({ field: 'iban', code: 'invalid_iban', message: `"${change.iban}" is not a valid IBAN` });
    const bic = change.bic !== undefined ? change.bic?.replace(/\s+/g, '').toUpperCase() || null : change.iban !== undefined && iban !== m.iban ? null : m.bic;
    if (bic !== null && !BIC.test(bic)) problems.push({ field: 'bic', code: 'invalid_bic', message: `"${change.bic}" is not a valid BIC` });
    const mandateId = change.mandateId ?? m.mandateId;
    const idProblem = mandateIdProblem(mandateId);
    if (idProblem) problems.push({ field: 'mandateId', code: `mandate_id_${idProblem}`, message: MANDATE_ID_TEXT[idProblem]! });
    else if (mandateId !== m.mandateId && (await existingMandateIds(tx, admin.id, [mandateId])).size)
      problems.push({ field: 'mandateId', code: 'mandate_id_used', message: `mandate id "${mandateId}" is already used in this administration` });
    if (!problems.length && iban === m.iban && bic === m.bic && mandateId === m.mandateId) problems.push({ field: 'iban', code: 'unchanged', message: 'nothing changes: give a new IBAN, BIC or mandate id' });
    if (problems.length) throw invalid(`the mandate was not changed: ${problems.map((p) => p.message).join('; ')}`, problems);
    await amendMandateRow(tx, admin.id, id, { iban, bic, mandateId, keepOriginals: m.lastUsedAt !== null });
    await addEvent(tx, admin.id, {
      debtorId: m.debtorId, event: ev('mandate_amended', { mandateId: m.mandateId, newMandateId: mandateId !== m.mandateId ? mandateId : null, newIban: iban !== m.iban ? iban : null }),
      data: { from: { mandateId: m.mandateId, iban: m.iban, bic: m.bic }, to: { mandateId, iban, bic } }, actor,
    });
    return view((await getMandate(tx, admin.id, id))!, asOf);
  });
}

/** The printable form of a mandate, for signing (documents/mandate-form.ts): PDF bytes and a file name. */
export async function mandateForm(db: Queryable, admin: Administration, id: number, date: string): Promise<{ filename: string; pdf: Buffer }> {
  const m = await getMandate(db, admin.id, id);
  if (!m) throw notFound(`mandate ${id}`);
  const d = await getDebtor(db, admin.id, m.debtorId);
  if (!d) throw notFound(`debtor ${m.debtorId}`);
  const pdf = await mandateFormPdf({ admin, mandate: m, debtor: d, date });
  return { filename: `machtiging-${m.mandateId.replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf`, pdf };
}
