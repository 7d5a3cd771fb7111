/** Bank accounts, statements, lines, suggestions and rejections: data access only. */
import type { MatchReason } from '../domain/matching/reasons.ts';
import type { Queryable } from './db.ts';
import type { MatchLine, CandidateItem, CandidateDebtor, PriorBooking, MatchProposal } from '../domain/matching/types.ts';
import { toCopyCsv } from './copy.ts';

export type BankAccount = { id: number; iban: string | null; accountId: string | null; currency: string | null; lastClosingDate: string | null; lastClosingCents: number | null; lastImportAt: string | null };

type AccountRow = { id: number; iban: string | null; account_id: string | null; currency: string | null; last_closing_date: string | null; last_closing_cents: number | null; last_import_at: Date | string | null };
const toAccount = (r: AccountRow): BankAccount => ({
  id: r.id, iban: r.iban, accountId: r.account_id, currency: r.currency, lastClosingDate: r.last_closing_date, lastClosingCents: r.last_closing_cents,
  lastImportAt: r.last_import_at instanceof Date ? r.last_import_at.toISOString() : r.last_import_at,
});

export async function listBankAccounts(q: Queryable, administrationId: number): Promise<BankAccount[]> {
  return (await q.query<AccountRow>('SELECT * FROM bank_accounts WHERE administration_id = $1 ORDER BY id', [administrationId])).map(toAccount);
}

/** Which administrations already have this account (an IBAN belongs to one creditor). */
export async function administrationsOfIban(q: Queryable, iban: string): Promise<number[]> {
  return (await q.query<{ administration_id: number }>('SELECT administration_id FROM bank_accounts WHERE iban = $1', [iban])).map((r) => r.administration_id);
}

export async function insertBankAccount(q: Queryable, administrationId: number, a: { iban: string | null; accountId: string | null; currency: string | null }): Promise<BankAccount> {
  const [r] = await q.query<AccountRow>('INSERT INTO bank_accounts (administration_id, iban, account_id, currency) VALUES ($1, $2, $3, $4) RETURNING *', [administrationId, a.iban, a.accountId, a.currency]);
  return toAccount(r!);
}

export async function updateAccountAfterImport(q: Queryable, accountId: number, closing: { date: string; cents: number } | null): Promise<void> {
  await q.query(
    `UPDATE bank_accounts SET last_import_at = now(),
       last_closing_date = CASE WHEN $2::date IS NOT NULL AND (last_closing_date IS NULL OR $2::date >= last_closing_date) THEN $2::date ELSE last_closing_date END,
       last_closing_cents = CASE WHEN $2::date IS NOT NULL AND (last_closing_date IS NULL OR $2::date >= last_closing_date) THEN $3::bigint ELSE last_closing_cents END
     WHERE id = $1`,
    [accountId, closing?.date ?? null, closing?.cents ?? null],
  );
}

export type NewBankLine = {
  entryKey: string;
  entryRef: string | null;
  txIndex: number;
  txCount: number;
  bookingDate: string;
  valueDate: string | null;
  cents: number;
  currency: string;
  reversal: boolean;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  counterpartyBic: string | null;
  structuredRef: string | null;
  structuredRefIssuer: string | null;
  endToEndId: string | null;
  mandateId: string | null;
  remittance: string;
  bankCode: string | null;
  returnReason: string | null;
  info: string | null;
  /** SEPA return loop: the batch's PmtInfId, the bank's words with a return, the charges (positive cents). */
  paymentInfoId?: string | null;
  returnInfo?: string | null;
  chargesCents?: number | null;
};

const LINE_COLUMNS = ['entry_key', 'entry_ref', 'tx_index', 'tx_count', 'booking_date', 'value_date', 'cents', 'currency', 'reversal', 'counterparty_name', 'counterparty_iban', 'counterparty_bic', 'structured_ref', 'structured_ref_issuer', 'end_to_end_id', 'mandate_id', 'remittance', 'bank_code', 'return_reason', 'info', 'payment_info_id', 'return_info', 'charges_cents'] as const;

/** Insert lines that are new for this account; lines seen before (same entry key) are left alone. Returns the new ids. */
export async function insertNewBankLines(q: Queryable, administrationId: number, accountId: number, statementId: number, lines: readonly NewBankLine[]): Promise<number[]> {
  if (!lines.length) return [];
  await q.exec(`CREATE TEMP TABLE IF NOT EXISTS stage_bank_lines (entry_key text, entry_ref text, tx_index int, tx_count int, booking_date date, value_date date, cents bigint, currency text, reversal boolean,
    counterparty_name text, counterparty_iban text, counterparty_bic text, structured_ref text, structured_ref_issuer text, end_to_end_id text, mandate_id text, remittance text, bank_code text, return_reason text, info text, payment_info_id text, return_info text, charges_cents bigint) ON COMMIT DROP`);
  await q.exec('TRUNCATE stage_bank_lines');
  await q.copyFrom('stage_bank_lines', LINE_COLUMNS, toCopyCsv(lines.map((l) => [l.entryKey, l.entryRef, l.txIndex, l.txCount, l.bookingDate, l.valueDate, l.cents, l.currency, l.reversal, l.counterpartyName, l.counterpartyIban, l.counterpartyBic, l.structuredRef, l.structuredRefIssuer, l.endToEndId, l.mandateId, l.remittance, l.bankCode, l.returnReason, l.info, l.paymentInfoId ?? null, l.returnInfo ?? null, l.chargesCents ?? null])));
  const rows = await q.query<{ id: number }>(
    `INSERT INTO bank_lines (administration_id, bank_account_id, statement_id, ${LINE_COLUMNS.join(', ')})
     SELECT $1, $2, $3, ${LINE_COLUMNS.map((c) => `s.${c}`).join(', ')} FROM stage_bank_lines s
     ON CONFLICT (bank_account_id, entry_key) DO NOTHING RETURNING id`,
    [administrationId, accountId, statementId],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export type BankLineRow = {
  id: number; bank_account_id: number; statement_id: number; entry_key: string; entry_ref: string | null; tx_index: number; booking_date: string; value_date: string | null; cents: number; currency: string; reversal: boolean;
  counterparty_name: string | null; counterparty_iban: string | null; counterparty_bic: string | null; structured_ref: string | null; structured_ref_issuer: string | null;
  end_to_end_id: string | null; mandate_id: string | null; remittance: string; bank_code: string | null; return_reason: string | null; info: string | null;
  payment_info_id: string | null; return_info: string | null; charges_cents: number | null;
  status: 'unmatched' | 'suggested' | 'auto' | 'confirmed' | 'ignored'; booking_id: number | null;
};

export function toMatchLine(r: BankLineRow): MatchLine {
  return {
    id: r.id, cents: r.cents, currency: r.currency, bookingDate: r.booking_date, counterpartyName: r.counterparty_name, counterpartyIban: r.counterparty_iban,
    structuredRef: r.structured_ref ? { issuer: (r.structured_ref_issuer as 'CUR' | 'ISO' | null) ?? null, value: r.structured_ref } : null,
    endToEndId: r.end_to_end_id, mandateId: r.mandate_id, remittance: r.remittance, bankCode: r.bank_code, returnReason: r.return_reason, reversal: r.reversal, info: r.info,
  };
}

export async function getBankLines(q: Queryable, administrationId: number, ids: readonly number[]): Promise<BankLineRow[]> {
  if (!ids.length) return [];
  return q.query<BankLineRow>('SELECT * FROM bank_lines WHERE administration_id = $1 AND id = ANY($2::bigint[]) ORDER BY id', [administrationId, ids]);
}

export async function getBankLine(q: Queryable, administrationId: number, id: number, lock = false): Promise<BankLineRow | null> {
  const [r] = await q.query<BankLineRow>(`SELECT * FROM bank_lines WHERE administration_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [administrationId, id]);
  return r ?? null;
}

export async function setLineStatus(q: Queryable, ids: readonly number[], status: BankLineRow['status'], bookingId: number | null = null): Promise<void> {
  if (!ids.length) return;
  await q.query('UPDATE bank_lines SET status = $2, booking_id = $3 WHERE id = ANY($1::bigint[])', [ids, status, bookingId]);
}

// ------------------------------------------------------------------ candidate retrieval (capped, indexed)

type ItemCandRow = { id: number; debtor_id: number; number: string; kind: 'invoice' | 'credit_note' | 'unapplied_payment'; open_cents: number; amount_cents: number; currency: string; issue_date: string; due_date: string; payment_reference: string | null };
const toCandidate = (r: ItemCandRow): CandidateItem => ({
  id: r.id, debtorId: r.debtor_id, number: r.number, kind: r.kind === 'invoice' ? 'invoice' : 'credit_note', openCents: r.open_cents, amountCents: r.amount_cents,
  currency: r.currency.trim(), issueDate: r.issue_date, dueDate: r.due_date, paymentReference: r.payment_reference,
});
const ITEM_COLS = 'i.id, i.debtor_id, i.number, i.kind, i.open_cents, i.amount_cents, i.currency, i.issue_date, i.due_date, i.payment_reference';

export async function openItemsByReference(q: Queryable, administrationId: number, refs: readonly string[]): Promise<CandidateItem[]> {
  if (!refs.length) return [];
  return (await q.query<ItemCandRow>(`SELECT ${ITEM_COLS} FROM items i WHERE i.administration_id = $1 AND i.payment_reference = ANY($2::text[]) AND i.open_cents <> 0 LIMIT 5000`, [administrationId, refs])).map(toCandidate);
}

export async function openItemsByNumberKey(q: Queryable, administrationId: number, keys: readonly string[]): Promise<CandidateItem[]> {
  if (!keys.length) return [];
  return (await q.query<ItemCandRow>(`SELECT ${ITEM_COLS} FROM items i WHERE i.administration_id = $1 AND i.number_key = ANY($2::text[]) AND i.open_cents <> 0 LIMIT 20000`, [administrationId, keys])).map(toCandidate);
}

/** Open items of these debtors, oldest first, at most `perDebtor` each (subset sums stay bounded). */
export async function openItemsOfDebtors(q: Queryable, administrationId: number, debtorIds: readonly number[], perDebtor = 60): Promise<CandidateItem[]> {
  if (!debtorIds.length) return [];
  return (
    await q.query<ItemCandRow>(
      `SELECT ${ITEM_COLS} FROM unnest($2::bigint[]) AS d(id)
         CROSS JOIN LATERAL (SELECT * FROM items i WHERE i.debtor_id = d.id AND i.administration_id = $1 AND i.open_cents <> 0 AND i.kind <> 'unapplied_payment' ORDER BY i.due_date, i.id LIMIT $3) i`,
      [administrationId, debtorIds, perDebtor],
    )
  ).map(toCandidate);
}

/** Open items of these debtors whose open amount is one of these amounts (payer known only by name). */
export async function openItemsOfDebtorsWithAmounts(q: Queryable, administrationId: number, debtorIds: readonly number[], amounts: readonly number[]): Promise<CandidateItem[]> {
  if (!debtorIds.length || !amounts.length) return [];
  return (
    await q.query<ItemCandRow>(
      `SELECT ${ITEM_COLS} FROM items i WHERE i.administration_id = $1 AND i.debtor_id = ANY($2::bigint[]) AND i.open_cents = ANY($3::bigint[]) LIMIT 20000`,
      [administrationId, debtorIds, amounts],
    )
  ).map(toCandidate);
}

export async function debtorIdsByIban(q: Queryable, administrationId: number, ibans: readonly string[]): Promise<{ iban: string; debtorId: number }[]> {
  if (!ibans.length) return [];
  return (await q.query<{ iban: string; debtor_id: number }>('SELECT iban, debtor_id FROM debtor_accounts WHERE administration_id = $1 AND iban = ANY($2::text[])', [administrationId, ibans])).map((r) => ({ iban: r.iban, debtorId: r.debtor_id }));
}

export async function candidateDebtors(q: Queryable, administrationId: number, ids: readonly number[]): Promise<CandidateDebtor[]> {
  if (!ids.length) return [];
  const rows = await q.query<{ id: number; number: string; name: string; ibans: string[] | null }>(
    `SELECT d.id, d.number, d.name, (SELECT array_agg(a.iban) FROM debtor_accounts a WHERE a.debtor_id = d.id) AS ibans FROM debtors d WHERE d.administration_id = $1 AND d.id = ANY($2::bigint[])`,
    [administrationId, ids],
  );
  return rows.map((r) => ({ id: r.id, number: r.number, name: r.name, ibans: r.ibans ?? [] }));
}

export async function allDebtorNames(q: Queryable, administrationId: number): Promise<{ id: number; name: string }[]> {
  return q.query<{ id: number; name: string }>('SELECT id, name FROM debtors WHERE administration_id = $1', [administrationId]);
}

/** Earlier bank bookings that a return/reversal may undo: by end-to-end id, or same payer and amount. */
export async function priorBookingsFor(q: Queryable, administrationId: number, e2es: readonly string[], ibanAmounts: readonly { iban: string; cents: number }[]): Promise<PriorBooking[]> {
  if (!e2es.length && !ibanAmounts.length) return [];
  const rows = await q.query<{ booking_id: number; end_to_end_id: string | null; cents: number; item_id: number; alloc_cents: number }>(
    `SELECT b.id AS booking_id, l.end_to_end_id, l.cents, a.item_id, a.cents AS alloc_cents
       FROM bank_lines l JOIN bookings b ON b.id = l.booking_id AND b.status IN ('auto', 'confirmed')
       JOIN allocations a ON a.booking_id = b.id
      WHERE l.administration_id = $1 AND l.cents > 0
        AND (upper(l.end_to_end_id) = ANY($2::text[])
             OR (l.counterparty_iban, l.cents) IN (SELECT * FROM unnest($3::text[], $4::bigint[])))
      ORDER BY b.id`,
    [administrationId, e2es.map((e) => e.toUpperCase()), ibanAmounts.map((x) => x.iban), ibanAmounts.map((x) => x.cents)],
  );
  const byBooking = new Map<number, { bookingId: number; endToEndId: string | null; cents: number; allocations: { itemId: number; cents: number }[] }>();
  for (const r of rows) {
    let b = byBooking.get(r.booking_id);
    if (!b) byBooking.set(r.booking_id, (b = { bookingId: r.booking_id, endToEndId: r.end_to_end_id, cents: r.cents, allocations: [] }));
    b.allocations.push({ itemId: r.item_id, cents: r.alloc_cents });
  }
  return [...byBooking.values()];
}

export async function rejectedPairs(q: Queryable, administrationId: number, patterns: readonly string[]): Promise<Set<string>> {
  if (!patterns.length) return new Set();
  const rows = await q.query<{ pattern: string; item_id: number }>('SELECT pattern, item_id FROM match_rejections WHERE administration_id = $1 AND pattern = ANY($2::text[])', [administrationId, patterns]);
  return new Set(rows.map((r) => `${r.pattern}|${r.item_id}`));
}

export async function insertSuggestions(q: Queryable, administrationId: number, rows: readonly { lineId: number; rank: number; p: MatchProposal; status: 'open' | 'accepted' }[]): Promise<void> {
  if (!rows.length) return;
  const CHUNK = 5000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await q.query(
      `INSERT INTO match_suggestions (administration_id, bank_line_id, rank, kind, confidence, debtor_id, allocations, credit_cents, reverses_booking_id, signals, status, reasons)
       SELECT $1, l, r, k, c, d, al::jsonb, cr, rv, sg::jsonb, st, rs::jsonb FROM unnest($2::bigint[], $3::int[], $4::text[], $5::int[], $6::bigint[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[]) AS u(l, r, k, c, d, al, cr, rv, sg, st, rs)`,
      [
        administrationId, part.map((x) => x.lineId), part.map((x) => x.rank), part.map((x) => x.p.kind), part.map((x) => Math.round(x.p.confidence)), part.map((x) => x.p.debtorId),
        part.map((x) => JSON.stringify(x.p.allocations)), part.map((x) => x.p.creditCents), part.map((x) => x.p.reversesBookingId ?? null), part.map((x) => JSON.stringify(x.p.signals)), part.map((x) => x.status), part.map((x) => JSON.stringify(x.p.reasons)),
      ],
    );
  }
}

export type SuggestionRow = { id: number; bank_line_id: number; rank: number; kind: string; confidence: number; debtor_id: number | null; allocations: { itemId: number; cents: number }[]; credit_cents: number; reverses_booking_id: number | null; signals: string[]; reasons: MatchReason[]; status: string };

export async function suggestionsOf(q: Queryable, administrationId: number, lineIds: readonly number[], statuses: readonly string[] = ['open']): Promise<SuggestionRow[]> {
  if (!lineIds.length) return [];
  return q.query<SuggestionRow>('SELECT * FROM match_suggestions WHERE administration_id = $1 AND bank_line_id = ANY($2::bigint[]) AND status = ANY($3::text[]) ORDER BY bank_line_id, rank', [administrationId, lineIds, statuses]);
}
