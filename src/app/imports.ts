/**
 * Imports of debtors and invoices (CSV, UBL). Each file is one transaction: all or nothing.
 * The same bytes twice change nothing (recognised by sha256); a re-import that changes an item
 * records the change on the timeline, and never silently changes the amount of an item that
 * already has payments: that is a conflict, and the whole file is rejected.
 */
import { createHash } from 'node:crypto';
import type { Db, Tx } from '../store/db.ts';
import { lockAdministration, reserveReferenceCounters, type Administration } from '../store/administrations.ts';
import { toCopyCsv } from '../store/copy.ts';
import { refreshStatistics } from '../store/statistics.ts';
import { addEvents, type NewEvent } from '../store/events.ts';
import { ev } from '../domain/events.ts';
import { storeDocument } from '../store/documents.ts';
import { insertDebtor } from '../store/debtors.ts';
import { getItemByNumber, insertItem, hasAllocations } from '../store/items.ts';
import { parseDebtorsCsv, parseInvoicesCsv, type ColumnMapping, type DebtorRow, type InvoiceRow } from '../formats/ledger-csv.ts';
import { parseCii } from '../formats/cii.ts';
import { checkBusinessRules } from '../formats/einvoice-rules.ts';
import { parseUbl } from '../formats/ubl.ts';
import { generatePaymentReference, isValidIban, normalizeIban } from '../domain/references.ts';
import { formatCents } from '../domain/money.ts';
import { numberKey } from '../domain/matching/number-key.ts';
import { addDays } from '../domain/dates.ts';
import { AppError, type Problem } from './errors.ts';

export type ImportKind = 'debtors' | 'invoices' | 'ubl';

export type ImportResult = {
  kind: ImportKind;
  filename: string;
  importId: number | null;
  /** True when exactly this file was imported before: nothing was changed. */
  alreadyImported: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  debtorsCreated: number;
};

export type ImportInput = { filename: string; content: Uint8Array; mapping?: ColumnMapping; actor?: string | null; onProgress?: (phase: string, done: number, total: number) => void };

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function rejected(filename: string, problems: readonly Problem[]): AppError {
  const first = problems.slice(0, 3).map((p) => `${p.line ? `line ${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}`).join('; ');
  return new AppError('import_rejected', `${filename}: ${problems.length} problem(s), nothing was imported (${first}${problems.length > 3 ? '; …' : ''})`, problems);
}

async function alreadyImported(tx: Tx, adminId: number, kind: ImportKind, sha: string): Promise<{ id: number; summary: Record<string, number> } | null> {
  const [r] = await tx.query<{ id: number; summary: Record<string, number> }>('SELECT id, summary FROM imports WHERE administration_id = $1 AND kind = $2 AND sha256 = $3', [adminId, kind, sha]);
  return r ?? null;
}

async function recordImport(tx: Tx, adminId: number, kind: ImportKind, input: ImportInput, sha: string, summary: Record<string, number>): Promise<number> {
  const [r] = await tx.query<{ id: number }>(
    'INSERT INTO imports (administration_id, kind, filename, sha256, summary, actor) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [adminId, kind, input.filename, sha, JSON.stringify(summary), input.actor ?? null],
  );
  return r!.id;
}

function unchangedResult(kind: ImportKind, input: ImportInput, prior: { id: number; summary: Record<string, number> }): ImportResult {
  const rows = prior.summary.rows ?? 0;
  return { kind, filename: input.filename, importId: prior.id, alreadyImported: true, rows, created: 0, updated: 0, unchanged: rows, debtorsCreated: 0 };
}

// ------------------------------------------------------------------------------- debtors

const DEBTOR_STAGE_COLUMNS = ['line', 'number', 'name', 'type', 'emails', 'ibans', 'language', 'kvk', 'vat_number', 'phone', 'address_line', 'postal_code', 'city', 'country', 'payment_term_days', 'credit_limit_cents'] as const;
/** CSV field → debtors column it may update when present in the file. */
const DEBTOR_UPDATABLE: Record<string, string> = {
  name: 'name', type: 'type', email: 'emails', language: 'language', kvk: 'kvk', vat_number: 'vat_number', phone: 'phone',
  address: 'address_line', postal_code: 'postal_code', city: 'city', country: 'country', payment_term_days: 'payment_term_days', credit_limit: 'credit_limit_cents',
};

export async function importDebtorsCsv(db: Db, admin: Administration, input: ImportInput): Promise<ImportResult> {
  const parsed = parseDebtorsCsv(input.content, { mapping: input.mapping, isValidIban, normalizeIban });
  if (!parsed.ok) throw rejected(input.filename, parsed.problems);
  const rows = parsed.rows;
  const present = presentDebtorFields(input);
  const sha = sha256(input.content);
  return db.transaction(async (tx) => {
    await lockAdministration(tx, admin.id);
    const prior = await alreadyImported(tx, admin.id, 'debtors', sha);
    if (prior) return unchangedResult('debtors', input, prior);
    input.onProgress?.('stage', 0, rows.length);
    await tx.exec(`CREATE TEMP TABLE stage_debtors (line int, number text, name text, type text, emails text[], ibans text[], language text, kvk text, vat_number text, phone text, address_line text, postal_code text, city text, country text, payment_term_days int, credit_limit_cents bigint) ON COMMIT DROP`);
    await tx.copyFrom('stage_debtors', DEBTOR_STAGE_COLUMNS, toCopyCsv(rows.map(debtorStageRow)));
    input.onProgress?.('write', 0, rows.length);
    const created = await tx.query<{ id: number; number: string }>(
      `INSERT INTO debtors (administration_id, number, name, type, emails, language, kvk, vat_number, phone, address_line, postal_code, city, country, payment_term_days, credit_limit_cents)
       SELECT $1, s.number, s.name, s.type, s.emails, s.language, s.kvk, s.vat_number, s.phone, s.address_line, s.postal_code, s.city, s.country, s.payment_term_days, s.credit_limit_cents
         FROM stage_debtors s WHERE NOT EXISTS (SELECT 1 FROM debtors d WHERE d.administration_id = $1 AND d.number = s.number)
       ORDER BY s.line RETURNING id, number`,
      [admin.id],
    );
    const createdNumbers = new Set(created.map((c) => c.number));
    // Changes to existing debtors, only in the columns the file has.
    const cols = Object.entries(DEBTOR_UPDATABLE).filter(([field]) => present.has(field)).map(([, col]) => col);
    const events: NewEvent[] = created.map((c) => ({ debtorId: c.id, event: ev('debtor_created', { file: input.filename, source: 'import' }), data: { import: input.filename }, actor: input.actor ?? null }));
    let updated = 0;
    if (cols.length) {
      const diffs = await tx.query<{ id: number; number: string; old: Record<string, unknown>; new: Record<string, unknown> }>(
        `SELECT d.id, d.number, json_build_object(${cols.map((c) => `'${c}', d.${c}`).join(', ')}) AS old, json_build_object(${cols.map((c) => `'${c}', s.${c}`).join(', ')}) AS new
           FROM stage_debtors s JOIN debtors d ON d.administration_id = $1 AND d.number = s.number
          WHERE (${cols.map((c) => `d.${c}`).join(', ')}) IS DISTINCT FROM (${cols.map((c) => `s.${c}`).join(', ')})`,
        [admin.id],
      );
      const changed = diffs.filter((d) => !createdNumbers.has(d.number));
      if (changed.length) {
        await tx.query(
          `UPDATE debtors d SET ${cols.map((c) => `${c} = s.${c}`).join(', ')}, updated_at = now() FROM stage_debtors s
            WHERE d.administration_id = $1 AND d.number = s.number AND d.id = ANY($2::bigint[])`,
          [admin.id, changed.map((c) => c.id)],
        );
        for (const c of changed) {
          const fields = Object.keys(c.new).filter((k) => JSON.stringify(c.old[k]) !== JSON.stringify(c.new[k]));
          events.push({ debtorId: c.id, event: ev('debtor_updated', { fields, file: input.filename, source: 'import' }), data: { import: input.filename, changes: Object.fromEntries(fields.map((f) => [f, { from: c.old[f], to: c.new[f] }])) }, actor: input.actor ?? null });
        }
      }
      updated = changed.length;
    }
    // Known bank accounts: added, never removed by an import.
    await tx.query(
      `INSERT INTO debtor_accounts (administration_id, debtor_id, iban, source)
       SELECT $1, d.id, unnest(s.ibans), 'import' FROM stage_debtors s JOIN debtors d ON d.administration_id = $1 AND d.number = s.number
       ON CONFLICT DO NOTHING`,
      [admin.id],
    );
    await addEvents(tx, admin.id, events);
    const summary = { rows: rows.length, created: created.length, updated, unchanged: rows.length - created.length - updated };
    await refreshStatistics(tx, db.engine, ['debtors', 'debtor_accounts'], created.length + updated);
    const importId = await recordImport(tx, admin.id, 'debtors', input, sha, summary);
    input.onProgress?.('done', rows.length, rows.length);
    return { kind: 'debtors', filename: input.filename, importId, alreadyImported: false, ...summary, debtorsCreated: created.length };
  });
}

function presentDebtorFields(input: ImportInput): Set<string> {
  // Which canonical fields the file carries (header names, aliases or the mapping).
  const text = new TextDecoder().decode(input.content.slice(0, 4096)).replace(/^\uFEFF/, '');
  const head = text.split(/\r?\n/)[0] ?? '';
  const sep = [';', '\t', ','].find((s) => head.includes(s)) ?? ',';
  const names = head.split(sep).map((h) => h.replace(/"/g, '').trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const aliases: Record<string, string[]> = {
    name: ['naam', 'bedrijfsnaam', 'company'], type: ['soort', 'kind'], email: ['e_mail', 'emails', 'mail'], language: ['taal', 'lang'],
    kvk: ['kvk_number', 'coc', 'kvk_nummer'], vat_number: ['btw', 'btw_nummer', 'vat'], phone: ['telefoon', 'tel'], address: ['adres', 'address_line', 'street'],
    postal_code: ['postcode', 'zip'], city: ['plaats', 'woonplaats'], country: ['land'], payment_term_days: ['betalingstermijn', 'payment_term'], credit_limit: ['kredietlimiet'],
  };
  const out = new Set<string>();
  for (const field of Object.keys(DEBTOR_UPDATABLE)) {
    if (input.mapping?.[field] || names.includes(field) || (aliases[field] ?? []).some((a) => names.includes(a))) out.add(field);
  }
  return out;
}

function debtorStageRow(r: DebtorRow) {
  return [r.line, r.number, r.name, r.type, r.emails, r.ibans, r.language, r.kvk, r.vatNumber, r.phone, r.addressLine, r.postalCode, r.city, r.country, r.paymentTermDays, r.creditLimitCents] as const;
}

// ------------------------------------------------------------------------------- invoices

const ITEM_STAGE_COLUMNS = ['line', 'debtor_number', 'number', 'issue_date', 'due_date', 'amount_cents', 'currency', 'payment_reference', 'gen_reference', 'description', 'number_key'] as const;

export async function importInvoicesCsv(db: Db, admin: Administration, input: ImportInput): Promise<ImportResult> {
  input.onProgress?.('parse', 0, 1);
  const parsed = parseInvoicesCsv(input.content, { mapping: input.mapping });
  if (!parsed.ok) throw rejected(input.filename, parsed.problems);
  return importInvoiceRows(db, admin, input, parsed.rows, sha256(input.content), 'invoices');
}

/** The set-based core shared by CSV import (and the demo generator): stage with COPY, check, write. */
export async function importInvoiceRows(db: Db, admin: Administration, input: ImportInput, rows: readonly InvoiceRow[], sha: string, kind: ImportKind): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    await lockAdministration(tx, admin.id);
    const prior = await alreadyImported(tx, admin.id, kind, sha);
    if (prior) return unchangedResult(kind, input, prior);
    input.onProgress?.('stage', 0, rows.length);
    // Payment references for rows without one are reserved up front (gaps are harmless; they are never reused).
    const needRef = rows.reduce((n, r) => n + (r.paymentReference ? 0 : 1), 0);
    let counter = needRef ? await reserveReferenceCounters(tx, admin.id, needRef) : 0;
    const stage = rows.map((r) => [r.line, r.debtorNumber, r.number, r.issueDate, r.dueDate, r.cents, r.currency, r.paymentReference, r.paymentReference ? null : generatePaymentReference(admin.referenceKind, admin.id, counter++), r.description, numberKey(r.number)] as const);
    await tx.exec(`CREATE TEMP TABLE stage_items (line int, debtor_number text, number text, issue_date date, due_date date, amount_cents bigint, currency text, payment_reference text, gen_reference text, description text, number_key text) ON COMMIT DROP`);
    const CHUNK = 200_000;
    for (let i = 0; i < stage.length; i += CHUNK) {
      await tx.copyFrom('stage_items', ITEM_STAGE_COLUMNS, toCopyCsv(stage.slice(i, i + CHUNK)));
      input.onProgress?.('stage', Math.min(i + CHUNK, stage.length), stage.length);
    }
    await tx.exec('ANALYZE stage_items');
    const problems: Problem[] = [];
    const unknownDebtors = async () => {
      const unknown = await tx.query<{ line: number; debtor_number: string }>(
        `SELECT s.line, s.debtor_number FROM stage_items s WHERE NOT EXISTS (SELECT 1 FROM debtors d WHERE d.administration_id = $1 AND d.number = s.debtor_number) ORDER BY s.line LIMIT 1000`,
        [admin.id],
      );
      for (const u of unknown) problems.push({ line: u.line, field: 'debtor_number', code: 'unknown_debtor', message: `debtor ${u.debtor_number} does not exist (import the debtors first)` });
    };
    // The first import into an administration (the big one) has nothing to compare with: its
    // checks come after the insert, in the same transaction, and a problem still undoes it all.
    const [{ e: hasItems }] = (await tx.query<{ e: boolean }>('SELECT EXISTS (SELECT 1 FROM items WHERE administration_id = $1) AS e', [admin.id])) as [{ e: boolean }];
    if (hasItems) await unknownDebtors();
    // Existing items that the file changes.
    const diffs = !hasItems ? [] : await tx.query<{
      line: number; id: number; number: string; debtor_id: number; new_debtor_id: number | null; kind: string; amount_cents: number; s_amount: number; currency: string; s_currency: string;
      issue_date: string; s_issue: string; due_date: string; s_due: string; description: string | null; s_description: string | null; payment_reference: string | null; s_reference: string | null; has_allocations: boolean;
    }>(
      `SELECT s.line, i.id, i.number, i.debtor_id, d.id AS new_debtor_id, i.kind, i.amount_cents, s.amount_cents AS s_amount, trim(i.currency) AS currency, s.currency AS s_currency,
              i.issue_date, s.issue_date AS s_issue, i.due_date, s.due_date AS s_due, i.description, s.description AS s_description,
              i.payment_reference, s.payment_reference AS s_reference,
              EXISTS (SELECT 1 FROM allocations a WHERE a.item_id = i.id) AS has_allocations
         FROM stage_items s JOIN items i ON i.administration_id = $1 AND i.number = s.number
         LEFT JOIN debtors d ON d.administration_id = $1 AND d.number = s.debtor_number
        WHERE i.amount_cents <> s.amount_cents OR trim(i.currency) <> s.currency OR i.issue_date <> s.issue_date OR i.due_date <> s.due_date
           OR i.description IS DISTINCT FROM s.description OR (s.payment_reference IS NOT NULL AND i.payment_reference IS DISTINCT FROM s.payment_reference)
           OR d.id IS DISTINCT FROM i.debtor_id
        ORDER BY s.line`,
      [admin.id],
    );
    for (const d of diffs) {
      if (d.new_debtor_id !== null && d.new_debtor_id !== d.debtor_id)
        problems.push({ line: d.line, field: 'debtor_number', code: 'conflict', message: `invoice ${d.number} belongs to another debtor; moving an item between debtors is not done by import` });
      if (d.kind === 'unapplied_payment') problems.push({ line: d.line, field: 'number', code: 'conflict', message: `${d.number} is a payment on account, not an invoice` });
      if (d.has_allocations && (d.amount_cents !== d.s_amount || d.currency !== d.s_currency))
        problems.push({ line: d.line, field: 'amount', code: 'conflict', message: `invoice ${d.number} already has payments; its amount would change from ${formatCents(d.amount_cents)} to ${formatCents(d.s_amount)}: credit or correct it instead` });
      else if ((d.amount_cents < 0) !== (d.s_amount < 0) && d.s_amount !== 0 && d.amount_cents !== 0)
        problems.push({ line: d.line, field: 'amount', code: 'conflict', message: `invoice ${d.number} would turn from ${d.amount_cents < 0 ? 'credit note into invoice' : 'invoice into credit note'}` });
    }
    if (problems.length) throw rejected(input.filename, problems);
    input.onProgress?.('write', 0, rows.length);
    // New items and one timeline event per debtor that received some, in one statement.
    const inserted = await tx.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents, currency, description, payment_reference, source, number_key)
         SELECT $1, d.id, CASE WHEN s.amount_cents < 0 THEN 'credit_note' ELSE 'invoice' END, s.number, s.issue_date, s.due_date, s.amount_cents, s.amount_cents, s.currency,
                s.description, coalesce(s.payment_reference, s.gen_reference), $2, s.number_key
           FROM stage_items s JOIN debtors d ON d.administration_id = $1 AND d.number = s.debtor_number
          ${hasItems ? 'WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.administration_id = $1 AND i.number = s.number)' : ''}
          ORDER BY s.line
         RETURNING debtor_id, number),
       ev AS (
         INSERT INTO events (administration_id, debtor_id, kind, params, summary, data, actor)
         SELECT $1, debtor_id, 'items_imported', json_build_object('count', count(*), 'file', $3::text)::jsonb, count(*) || ' post(en) geïmporteerd uit ' || $3::text,
                json_build_object('import', $3::text, 'count', count(*), 'numbers', (array_agg(number ORDER BY number))[1:20])::jsonb, $4
           FROM ins GROUP BY debtor_id
         RETURNING 1)
       SELECT (SELECT count(*) FROM ins)::int AS n, (SELECT count(*) FROM ev)::int AS e`,
      [admin.id, kind === 'ubl' ? 'ubl' : 'csv', input.filename, input.actor ?? null],
    );
    const created = inserted[0]?.n ?? 0;
    if (!hasItems && created < rows.length) {
      await unknownDebtors();
      throw rejected(input.filename, problems);
    }
    const events: NewEvent[] = [];
    for (const d of diffs) {
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (d.amount_cents !== d.s_amount) changes.amount = { from: formatCents(d.amount_cents), to: formatCents(d.s_amount) };
      if (d.currency !== d.s_currency) changes.currency = { from: d.currency, to: d.s_currency };
      if (d.issue_date !== d.s_issue) changes.issueDate = { from: d.issue_date, to: d.s_issue };
      if (d.due_date !== d.s_due) changes.dueDate = { from: d.due_date, to: d.s_due };
      if (d.description !== d.s_description) changes.description = { from: d.description, to: d.s_description };
      if (d.s_reference !== null && d.payment_reference !== d.s_reference) changes.paymentReference = { from: d.payment_reference, to: d.s_reference };
      events.push({ debtorId: d.debtor_id, itemId: d.id, event: ev('item_updated', { number: d.number, fields: Object.keys(changes), file: input.filename, source: 'import' }), data: { import: input.filename, changes }, actor: input.actor ?? null });
    }
    if (diffs.length) {
      await tx.query(
        `UPDATE items i SET amount_cents = s.amount_cents, currency = s.currency,
                issue_date = s.issue_date, due_date = s.due_date, description = s.description,
                payment_reference = coalesce(s.payment_reference, i.payment_reference),
                kind = CASE WHEN s.amount_cents < 0 THEN 'credit_note' WHEN s.amount_cents > 0 THEN 'invoice' ELSE i.kind END, updated_at = now()
           FROM stage_items s WHERE i.administration_id = $1 AND i.number = s.number AND i.id = ANY($2::bigint[])`,
        [admin.id, diffs.map((d) => d.id)],
      );
      await addEvents(tx, admin.id, events);
    }
    const summary = { rows: rows.length, created, updated: diffs.length, unchanged: rows.length - created - diffs.length };
    await refreshStatistics(tx, db.engine, ['items', 'debtors'], created + diffs.length);
    const importId = await recordImport(tx, admin.id, kind, input, sha, summary);
    input.onProgress?.('done', rows.length, rows.length);
    return { kind, filename: input.filename, importId, alreadyImported: false, ...summary, debtorsCreated: 0 };
  });
}

// ------------------------------------------------------------------------------- UBL

/**
 * One UBL 2.1 invoice or credit note (Peppol BIS 3 / SI-UBL 2.0). The buyer becomes a debtor when
 * unknown (found by KvK, VAT number, endpoint id or exact name); the original XML is kept as the
 * item's document.
 */
export async function importUbl(db: Db, admin: Administration, input: ImportInput): Promise<ImportResult> {
  // UN/CEFACT CII is read into the same document as UBL and imported alike.
  const cii = /<([\w-]+:)?CrossIndustryInvoice[\s>]/.test(new TextDecoder().decode(input.content.subarray(0, 4096)));
  const parsed = cii ? parseCii(input.content) : parseUbl(input.content);
  if (!parsed.ok) throw rejected(input.filename, parsed.errors.map((e) => ({ line: e.line, field: e.field, code: e.code, message: e.message })));
  const doc = parsed.value;
  // EN 16931 business rules: unsound amounts refuse the invoice; other findings mark it (timeline).
  const findings = checkBusinessRules(doc);
  const fatal = findings.filter((f) => f.severity === 'fatal');
  if (fatal.length) throw rejected(input.filename, fatal.map((f) => ({ field: f.field, code: f.rule, message: f.message })));
  const sha = sha256(input.content);
  const buyerName = doc.buyer.name;
  if (!buyerName) throw rejected(input.filename, [{ field: 'AccountingCustomerParty', code: 'required', message: 'the buyer has no name' }]);
  return db.transaction(async (tx) => {
    await lockAdministration(tx, admin.id);
    const prior = await alreadyImported(tx, admin.id, 'ubl', sha);
    if (prior) return unchangedResult('ubl', input, prior);
    let debtorsCreated = 0;
    const b = doc.buyer;
    const [match] = await tx.query<{ id: number; number: string }>(
      `SELECT id, number FROM debtors WHERE administration_id = $1 AND (
         ($2::text IS NOT NULL AND kvk = $2) OR ($3::text IS NOT NULL AND upper(replace(vat_number, ' ', '')) = $3) OR number = $4 OR lower(name) = lower($5))
       ORDER BY (kvk = $2) DESC NULLS LAST, (number = $4) DESC LIMIT 1`,
      [admin.id, b.kvk, b.vatNumber?.replace(/\s+/g, '').toUpperCase() ?? null, debtorNumberFor(b), buyerName],
    );
    let debtorId: number;
    if (match) debtorId = match.id;
    else {
      debtorId = await insertDebtor(tx, admin.id, {
        number: debtorNumberFor(b), name: buyerName, type: 'business', kvk: b.kvk, vatNumber: b.vatNumber, emails: b.email ? [b.email] : [],
        phone: b.phone, addressLine: b.address?.line ?? null, postalCode: b.address?.postalCode ?? null, city: b.address?.city ?? null, country: b.address?.country ?? null,
      });
      debtorsCreated = 1;
      await addEvents(tx, admin.id, [{ debtorId, event: ev('debtor_created', { file: input.filename, source: 'einvoice' }), data: { import: input.filename }, actor: input.actor ?? null }]);
    }
    const documentId = await storeDocument(tx, admin.id, { filename: input.filename, contentType: 'application/xml', content: input.content });
    const existing = await getItemByNumber(tx, admin.id, doc.number);
    const dueDate = doc.dueDate ?? addDays(doc.issueDate, 30);
    let created = 0, updated = 0;
    if (existing) {
      if (existing.amountCents !== doc.payableCents) {
        if (await hasAllocations(tx, existing.id))
          throw rejected(input.filename, [{ field: 'PayableAmount', code: 'conflict', message: `invoice ${doc.number} already has payments; its amount would change from ${formatCents(existing.amountCents)} to ${formatCents(doc.payableCents)}` }]);
      }
      await tx.query(
        `UPDATE items SET amount_cents = $3, issue_date = $4, due_date = $5, document_id = $6, description = coalesce($7, description), updated_at = now()
          WHERE administration_id = $1 AND id = $2`,
        [admin.id, existing.id, doc.payableCents, doc.issueDate, dueDate, documentId, doc.description],
      );
      updated = 1;
      await addEvents(tx, admin.id, [{ debtorId: existing.debtorId, itemId: existing.id, event: ev('item_updated', { number: doc.number, file: input.filename, source: 'einvoice' }), data: { import: input.filename }, actor: input.actor ?? null }]);
    } else {
      let reference = doc.paymentReference?.replace(/\s+/g, '') || null;
      if (!reference) reference = generatePaymentReference(admin.referenceKind, admin.id, await reserveReferenceCounters(tx, admin.id, 1));
      const itemId = await insertItem(tx, admin.id, {
        debtorId, kind: doc.payableCents < 0 ? 'credit_note' : 'invoice', number: doc.number, issueDate: doc.issueDate, dueDate, amountCents: doc.payableCents,
        currency: doc.currency, description: doc.description, paymentReference: reference, documentId, source: 'ubl',
      });
      created = 1;
      await addEvents(tx, admin.id, [{ debtorId, itemId, event: ev('item_created', { number: doc.number, credit: doc.isCredit, amountCents: doc.payableCents, currency: doc.currency, source: 'einvoice', file: input.filename }), data: { import: input.filename, customization: doc.customization, format: cii ? 'cii' : 'ubl' }, actor: input.actor ?? null, documentId }]);
      if (findings.length || parsed.warnings.length)
        await addEvents(tx, admin.id, [{
          debtorId, itemId, event: ev('einvoice_findings', { number: doc.number, rules: findings.map((f) => f.rule) }),
          data: { import: input.filename, findings, warnings: parsed.warnings.map((w) => ({ code: w.code, field: w.field ?? null, message: w.message })) }, actor: input.actor ?? null, documentId,
        }]);
    }
    const summary = { rows: 1, created, updated, unchanged: 0 };
    const importId = await recordImport(tx, admin.id, 'ubl', input, sha, summary);
    return { kind: 'ubl', filename: input.filename, importId, alreadyImported: false, ...summary, debtorsCreated };
  });
}

function debtorNumberFor(b: { kvk: string | null; vatNumber: string | null; endpointId: string | null; name: string | null }): string {
  if (b.kvk) return `KVK${b.kvk}`;
  if (b.vatNumber) return b.vatNumber.replace(/\s+/g, '').toUpperCase();
  if (b.endpointId) return `EP${b.endpointId}`;
  return (b.name ?? 'ONBEKEND').toUpperCase().replace(/[^A-Z0-9]+/g, '-').slice(0, 30);
}

/** Which importer a file needs, from its name and first bytes. */
export function detectLedgerImport(filename: string, content: Uint8Array): ImportKind | null {
  const head = new TextDecoder().decode(content.slice(0, 2048));
  if (/\.xml$/i.test(filename) || head.trimStart().startsWith('<')) return /<([\w-]+:)?(Invoice|CreditNote|CrossIndustryInvoice)[\s>]/.test(head) ? 'ubl' : null;
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/)[0]?.toLowerCase() ?? '';
  if (/debtor_number|debiteurnummer/.test(first) && /due_date|vervaldatum/.test(first)) return 'invoices';
  if (/\bname\b|naam/.test(first)) return 'debtors';
  return null;
}

