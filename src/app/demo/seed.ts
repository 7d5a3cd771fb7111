/**
 * `vorder serve --demo`: fill a demo administration with realistic generated data, once.
 * Later capabilities (bank statements, dunning, …) add their demo data here.
 */
import type { Db } from '../../store/db.ts';
import { findAdministrationByName, insertAdministration, type Administration } from '../../store/administrations.ts';
import { importDebtorsCsv, importInvoicesCsv } from '../imports.ts';
import { addDays } from '../../domain/dates.ts';
import { dutchIban, debtorsCsv, generateDebtors, generateInvoices, invoicesCsv, rng, type GenDebtor, type Rng } from './generate.ts';
import { writeCamt053 } from '../../formats/camt053-write.ts';
import type { BankEntry } from '../../domain/bank-statement.ts';

export const DEMO_ADMINISTRATION = 'Demo Installatietechniek B.V.';

export type DemoOptions = { debtors?: number; invoices?: number; asOf: string; seed?: number };

export async function seedDemo(db: Db, opts: DemoOptions): Promise<{ admin: Administration; created: boolean; statement: string | null }> {
  const existing = await findAdministrationByName(db, DEMO_ADMINISTRATION);
  if (existing) return { admin: existing, created: false, statement: null };
  const admin = await insertAdministration(db, {
    name: DEMO_ADMINISTRATION, legalName: DEMO_ADMINISTRATION, iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', addressLine: 'Industrieweg 12',
    postalCode: '3542 AD', city: 'Utrecht', country: 'NL', kvk: '30123456', vatNumber: 'NL001234567B01', email: 'debiteuren@demo-installatie.nl', language: 'nl',
  });
  const r = rng(opts.seed ?? 20261122);
  const debtors = generateDebtors(r, opts.debtors ?? 2000);
  // An open-items export holds what is still open: invoices the debtor paid well before today are history.
  const lateness = new Map(debtors.map((d) => [d.number, d.lateness]));
  const invoices = generateInvoices(r, debtors, opts.invoices ?? 9000, opts.asOf).filter((v) => (v.cents < 0 ? v.issueDate >= addDays(opts.asOf, -60) : addDays(v.dueDate, lateness.get(v.debtorNumber)!) >= addDays(opts.asOf, -3)));
  const enc = new TextEncoder();
  await importDebtorsCsv(db, admin, { filename: 'demo-debiteuren.csv', content: enc.encode(debtorsCsv(debtors)), actor: 'demo' });
  await importInvoicesCsv(db, admin, { filename: 'demo-facturen.csv', content: enc.encode(invoicesCsv(invoices)), actor: 'demo' });
  return { admin, created: true, statement: await demoStatement(db, admin, debtors, r, opts.asOf) };
}

/**
 * A bank statement for today with payments of open items as debtors really pay: with the
 * betalingskenmerk, with the invoice number in the text, by amount only, partly, several at
 * once, too much, plus lines that are not debtor payments. For the newcomer to import.
 */
async function demoStatement(db: Db, admin: Administration, debtors: readonly GenDebtor[], r: Rng, asOf: string): Promise<string> {
  const items = await db.query<{ number: string; debtor_number: string; open_cents: number; payment_reference: string }>(
    `SELECT i.number, d.number AS debtor_number, i.open_cents, i.payment_reference FROM items i JOIN debtors d ON d.id = i.debtor_id
      WHERE i.administration_id = $1 AND i.open_cents > 0 AND i.due_date <= $2 ORDER BY i.due_date, i.id LIMIT 400`,
    [admin.id, asOf],
  );
  const byNumber = new Map(debtors.map((d) => [d.number, d]));
  const entries: BankEntry[] = [];
  const entry = (over: Partial<BankEntry> & { cents: number }): BankEntry => ({
    entryRef: `DEMO-${asOf}-${entries.length + 1}`, txIndex: 0, txCount: 1, bookingDate: asOf, valueDate: asOf, currency: 'EUR', reversal: false, counterpartyName: null, counterpartyIban: null,
    counterpartyBic: null, structuredRef: null, endToEndId: null, mandateId: null, remittance: '', bankCode: null, returnReason: null, info: null, ...over,
  });
  for (const it of items.slice(0, 160)) {
    const d = byNumber.get(it.debtor_number)!;
    const payer = { counterpartyName: d.name.toUpperCase(), counterpartyIban: d.iban };
    const k = r.next();
    if (k < 0.45) entries.push(entry({ ...payer, cents: it.open_cents, structuredRef: { issuer: 'CUR', value: it.payment_reference } }));
    else if (k < 0.75) entries.push(entry({ ...payer, cents: it.open_cents, remittance: `${r.pick(['Factuur', 'fact.', 'inv', 'Betaling factuur'])} ${it.number}` }));
    else if (k < 0.85) entries.push(entry({ ...payer, cents: Math.round(it.open_cents / 2), remittance: `${it.number} eerste termijn` }));
    else if (k < 0.93) entries.push(entry({ ...payer, cents: it.open_cents + 1000, remittance: `${it.number}` }));
    else entries.push(entry({ ...payer, cents: it.open_cents, remittance: 'betaling' }));
  }
  // paid from an account Vorder does not know yet, without a reference: these wait for a person
  items.slice(160, 172).forEach((it, k) => {
    const d = byNumber.get(it.debtor_number)!;
    entries.push(entry({ cents: it.open_cents, counterpartyName: d.name.replace(/ B\.V\.$/, ''), counterpartyIban: dutchIban('BUNQ', String(2_000_000_000 + k * 7907)), remittance: k % 2 ? 'betaling' : '' }));
  });
  entries.push(entry({ cents: -245000, counterpartyName: 'Groothandel Installatiematerialen B.V.', counterpartyIban: 'NL69INGB0123456789', remittance: 'Factuur 2026-7781' }));
  entries.push(entry({ cents: -1250000, counterpartyName: 'Salarissen november', counterpartyIban: 'NL39RABO0300065264', remittance: 'Salaris november 2026' }));
  entries.push(entry({ cents: 1234, counterpartyName: 'ABN AMRO Bank N.V.', remittance: 'Rente 4e kwartaal' }));
  entries.push(entry({ cents: 50000, counterpartyName: 'Onbekende Betaler', counterpartyIban: 'NL20INGB0001234567', remittance: 'aanbetaling' }));
  const total = entries.reduce((s, e) => s + e.cents, 0);
  const opening = 4_250_000;
  return writeCamt053({ statementId: `DEMO-${asOf}`, accountIban: admin.iban, currency: 'EUR', openingBalance: { date: asOf, cents: opening, currency: 'EUR' }, closingBalance: { date: asOf, cents: opening + total, currency: 'EUR' }, entries });
}
