/**
 * `vorder serve --demo`: fill a demo administration with realistic generated data, once.
 * Later capabilities (bank statements, dunning, …) add their demo data here.
 */
import type { Db } from '../../store/db.ts';
import { findAdministrationByName, insertAdministration, type Administration } from '../../store/administrations.ts';
import { importDebtorsCsv, importInvoicesCsv } from '../imports.ts';
import { addDays } from '../../domain/dates.ts';
import { debtorsCsv, generateDebtors, generateInvoices, invoicesCsv, rng } from './generate.ts';

export const DEMO_ADMINISTRATION = 'Demo Installatietechniek B.V.';

export type DemoOptions = { debtors?: number; invoices?: number; asOf: string; seed?: number };

export async function seedDemo(db: Db, opts: DemoOptions): Promise<{ admin: Administration; created: boolean }> {
  const existing = await findAdministrationByName(db, DEMO_ADMINISTRATION);
  if (existing) return { admin: existing, created: false };
  const admin = await insertAdministration(db, {
    name: DEMO_ADMINISTRATION, legalName: DEMO_ADMINISTRATION, iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', addressLine: 'Industrieweg 12',
    postalCode: '3542 AD', city: 'Utrecht', country: 'NL', kvk: '30123456', vatNumber: 'NL001234567B01', email: 'debiteuren@demo-installatie.nl', language: 'nl',
  });
  const r = rng(opts.seed ?? 20261122);
  const debtors = generateDebtors(r, opts.debtors ?? 2000);
  // An open-items export holds what is still open: invoices the debtor paid well before today are history.
  const lateness = new Map(debtors.map((d) => [d.number, d.lateness]));
  const invoices = generateInvoices(r, debtors, opts.invoices ?? 9000, opts.asOf).filter((v) => v.cents < 0 || addDays(v.dueDate, lateness.get(v.debtorNumber)!) >= addDays(opts.asOf, -3));
  const enc = new TextEncoder();
  await importDebtorsCsv(db, admin, { filename: 'demo-debiteuren.csv', content: enc.encode(debtorsCsv(debtors)), actor: 'demo' });
  await importInvoicesCsv(db, admin, { filename: 'demo-facturen.csv', content: enc.encode(invoicesCsv(invoices)), actor: 'demo' });
  return { admin, created: true };
}
