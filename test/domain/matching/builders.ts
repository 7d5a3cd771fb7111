/** Small builders for matching tests: anItem({ number: 'F2026-00001', open: '121.00' }) and friends. */
import { parseAmount } from '../../../src/domain/money.ts';
import type { CandidateDebtor, CandidateItem, MatchContext, MatchLine, PriorBooking } from '../../../src/domain/matching/types.ts';

export function cents(s: string): number {
  const r = parseAmount(s, { decimal: '.' });
  if (!r.ok) throw new Error(r.error);
  return r.cents;
}

let nextId = 1000;

export function anItem(o: { id?: number; debtorId?: number; number?: string; open?: string; amount?: string; kind?: 'invoice' | 'credit_note'; currency?: string; due?: string; ref?: string | null }): CandidateItem {
  const id = o.id ?? nextId++;
  const open = cents(o.open ?? '121.00');
  return {
    id,
    debtorId: o.debtorId ?? 1,
    number: o.number ?? `F2026-${String(id).padStart(5, '0')}`,
    kind: o.kind ?? (open < 0 ? 'credit_note' : 'invoice'),
    openCents: open,
    amountCents: o.amount ? cents(o.amount) : open,
    currency: o.currency ?? 'EUR',
    issueDate: o.due ? o.due.replace(/-\d\d$/, '-01') : '2026-10-01',
    dueDate: o.due ?? '2026-10-31',
    paymentReference: o.ref ?? null,
  };
}

export function aDebtor(o: { id?: number; name?: string; ibans?: string[] } = {}): CandidateDebtor {
  const id = o.id ?? 1;
  return { id, number: `D${10000 + id}`, name: o.name ?? 'Bakkerij Jansen B.V.', ibans: o.ibans ?? [] };
}

export function aLine(o: Partial<MatchLine> & { amount?: string } = {}): MatchLine {
  const { amount, ...rest } = o;
  return {
    id: 1,
    cents: amount ? cents(amount) : 12100,
    currency: 'EUR',
    bookingDate: '2026-11-20',
    counterpartyName: null,
    counterpartyIban: null,
    structuredRef: null,
    endToEndId: null,
    mandateId: null,
    remittance: '',
    bankCode: 'PMNT/RCDT/ESCT',
    returnReason: null,
    reversal: false,
    info: null,
    ...rest,
  };
}

export function aContext(o: { items?: CandidateItem[]; debtors?: CandidateDebtor[]; rejected?: string[]; priorBookings?: PriorBooking[] } = {}): MatchContext {
  return { items: o.items ?? [], debtors: o.debtors ?? [aDebtor()], rejected: new Set(o.rejected ?? []), priorBookings: o.priorBookings ?? [] };
}

export const IBAN_JANSEN = 'NL91ABNA0417164300';
export const IBAN_OTHER = 'NL20INGB0001234567';
