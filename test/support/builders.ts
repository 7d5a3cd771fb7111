/** Small builders for test data: anAdministration(db), aDebtor(db, admin, {...}), anInvoice(db, admin, debtor, {...}). */
import type { Db } from '../../src/store/db.ts';
import { insertAdministration, type Administration } from '../../src/store/administrations.ts';
import { createDebtor, createItem } from '../../src/app/ledger.ts';
import type { Debtor } from '../../src/store/debtors.ts';
import type { Item } from '../../src/store/items.ts';

let seq = 0;

export async function anAdministration(db: Db, over: Partial<Administration> & { name?: string } = {}): Promise<Administration> {
  return insertAdministration(db, { name: over.name ?? `Administratie ${++seq}`, iban: 'NL91ABNA0417164300', ...over });
}

export async function aDebtor(db: Db, admin: Administration, over: Partial<Debtor> = {}): Promise<Debtor> {
  const n = ++seq;
  return createDebtor(db, admin, { number: over.number ?? `D${n}`, name: over.name ?? `Debiteur ${n} B.V.`, type: over.type ?? 'business', ...over } as never);
}

/** `amount` as people write it: '121.00'. */
export async function anInvoice(db: Db, admin: Administration, debtor: Debtor, over: { number?: string; amount?: string; issueDate?: string; dueDate?: string; paymentReference?: string } = {}): Promise<Item> {
  const amount = over.amount ?? '121.00';
  const [w, f = ''] = amount.replace('-', '').split('.');
  const cents = (Number(w) * 100 + Number(f.padEnd(2, '0'))) * (amount.startsWith('-') ? -1 : 1);
  return createItem(db, admin, { debtorId: debtor.id, number: over.number ?? `F${++seq}`, issueDate: over.issueDate ?? '2026-10-01', dueDate: over.dueDate ?? '2026-10-31', amountCents: cents, paymentReference: over.paymentReference });
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
