/**
 * Seeded generator of realistic Dutch ledger data: debtors (companies and consumers, valid
 * IBANs), invoices and credit notes with Dutch terms and amounts. Pure and deterministic (same
 * seed, same data). Used by `vorder serve --demo`, the benchmarks and tests.
 */
import { addDays } from '../../domain/dates.ts';
import { createPrng, type Prng } from '../../domain/prng.ts';
import { formatCents } from '../../domain/money.ts';

/** The demo uses the domain's seeded PRNG (mulberry32): the same seed gives the same data. */
export type Rng = Prng;
export const rng = (seed: number): Rng => createPrng(seed);

const SURNAMES = ['de Vries', 'Jansen', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Heuvel', 'van der Veen', 'van den Broek', 'de Bruijn', 'de Bruin', 'van der Heijden', 'Schouten', 'van Beek', 'Willems', 'van Vliet', 'van de Ven', 'Hoekstra', 'Maas', 'Verhoeven', 'Koster', 'van Dam', 'van der Wal', 'Prins', 'Blom', 'Huisman', 'Peeters', 'de Jong', 'van Dijk', 'Yılmaz', 'El Amrani', 'Nguyen', 'Kowalski', 'Żółć'];
const FIRST = ['Daan', 'Sem', 'Lucas', 'Levi', 'Finn', 'Noah', 'Emma', 'Julia', 'Mila', 'Tess', 'Sophie', 'Zoë', 'Anna', 'Eva', 'Saar', 'Lotte', 'Jan', 'Piet', 'Kees', 'Henk', 'Ingrid', 'Marieke', 'Fatima', 'Mohammed', 'Łukasz', 'Sanne', 'Thijs', 'Bram', 'Femke', 'Joost'];
const TRADES = ['Bouwbedrijf', 'Installatiebedrijf', 'Bakkerij', 'Transport', 'Schildersbedrijf', 'Hoveniersbedrijf', 'Adviesbureau', 'Autobedrijf', 'Drukkerij', 'Groothandel', 'Architectenbureau', 'Tandartspraktijk', 'Kinderopvang', 'Loodgietersbedrijf', 'Elektrotechniek', 'Metaalbewerking', 'Timmerfabriek', 'Kwekerij', 'Catering', 'ICT Diensten'];
const FORMS = ['B.V.', 'B.V.', 'B.V.', 'V.O.F.', 'Holding B.V.', 'N.V.', ''];
const CITIES: readonly [string, string][] = [['Amsterdam', '1011'], ['Rotterdam', '3011'], ['Utrecht', '3511'], ['Den Haag', '2511'], ['Eindhoven', '5611'], ['Groningen', '9711'], ['Tilburg', '5038'], ['Almere', '1315'], ['Breda', '4811'], ['Nijmegen', '6511'], ['Zwolle', '8011'], ['Leeuwarden', '8911'], ['Maastricht', '6211'], ['Arnhem', '6811'], ['Haarlem', '2011'], ['Delft', '2611']];
const STREETS = ['Hoofdstraat', 'Kerkstraat', 'Dorpsstraat', 'Stationsweg', 'Industrieweg', 'Molenweg', 'Schoolstraat', 'Marktplein', 'Nieuwe Gracht', 'Havenkade'];
const BANKS = ['INGB', 'RABO', 'ABNA', 'TRIO', 'KNAB', 'SNSB', 'ASNB', 'BUNQ'];

/** A valid Dutch IBAN with the given bank code and 10-digit account. */
export function dutchIban(bank: string, account: string): string {
  const bban = bank + account.padStart(10, '0');
  const digits = (bban + 'NL00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98 - Number(BigInt(digits) % 97n);
  return `NL${String(check).padStart(2, '0')}${bban}`;
}

export type GenDebtor = {
  number: string;
  name: string;
  type: 'business' | 'consumer';
  email: string;
  iban: string;
  language: 'nl' | 'en';
  kvk: string | null;
  addressLine: string;
  postalCode: string;
  city: string;
  paymentTermDays: number;
  /** How late this debtor tends to pay (days after due), for generating payments. */
  lateness: number;
};

export type GenInvoice = {
  debtorNumber: string;
  number: string;
  issueDate: string;
  dueDate: string;
  cents: number;
  description: string;
};

export function generateDebtors(r: Rng, n: number): GenDebtor[] {
  const out: GenDebtor[] = [];
  const width = Math.max(5, String(n).length);
  for (let i = 0; i < n; i++) {
    const consumer = r.chance(0.25);
    const sur = r.pick(SURNAMES);
    const first = r.pick(FIRST);
    const name = consumer ? `${first} ${sur}` : r.chance(0.5) ? `${r.pick(TRADES)} ${capital(sur)} ${r.pick(FORMS)}`.trim() : `${capital(sur)} ${r.pick(TRADES)} ${r.pick(FORMS)}`.trim();
    const [city, pc] = r.pick(CITIES);
    const slug = name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '').slice(0, 20) || 'klant';
    out.push({
      number: `D${String(i + 1).padStart(width, '0')}`,
      name,
      type: consumer ? 'consumer' : 'business',
      email: consumer ? `${slug}${i}@voorbeeld.nl` : `administratie@${slug}${i}.nl`,
      iban: dutchIban(r.pick(BANKS), String(1_000_000_000 + i * 7919 + r.int(0, 7918))),
      language: r.chance(0.07) ? 'en' : 'nl',
      kvk: consumer ? null : String(10_000_000 + ((i * 104729) % 89_999_999)),
      addressLine: `${r.pick(STREETS)} ${r.int(1, 240)}`,
      postalCode: `${pc} ${String.fromCharCode(65 + r.int(0, 25))}${String.fromCharCode(65 + r.int(0, 25))}`,
      city,
      paymentTermDays: consumer ? 14 : r.pick([14, 30, 30, 30, 60]),
      lateness: r.chance(0.6) ? r.int(-5, 3) : r.chance(0.7) ? r.int(4, 30) : r.int(31, 120),
    });
  }
  return out;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const DESCRIPTIONS = ['Levering materialen', 'Werkzaamheden', 'Advies en begeleiding', 'Onderhoudscontract', 'Abonnement', 'Reparatie', 'Installatie', 'Consultancy', 'Huur', 'Transportkosten'];

/** Invoices spread over the `days` before `asOf`; about 1 in 25 is a credit note. */
export function generateInvoices(r: Rng, debtors: readonly GenDebtor[], n: number, asOf: string, days = 240, opts: { year?: number } = {}): GenInvoice[] {
  const out: GenInvoice[] = [];
  const year = opts.year ?? Number(asOf.slice(0, 4));
  const width = Math.max(6, String(n).length);
  for (let i = 0; i < n; i++) {
    const d = debtors[r.int(0, debtors.length - 1)]!;
    const issueDate = addDays(asOf, -r.int(0, days));
    const credit = r.chance(0.04);
    // Amounts: many small ones, some large, with VAT-like cents.
    const base = Math.round(Math.exp(r.next() * 7 + 3)) * 100 + r.int(0, 99);
    const cents = credit ? -Math.max(500, Math.round(base / 5)) : base;
    out.push({
      debtorNumber: d.number,
      number: `${credit ? 'C' : 'F'}${year}-${String(i + 1).padStart(width, '0')}`,
      issueDate,
      dueDate: addDays(issueDate, d.paymentTermDays),
      cents,
      description: credit ? 'Creditnota' : r.pick(DESCRIPTIONS),
    });
  }
  return out;
}

export function debtorsCsv(debtors: readonly GenDebtor[]): string {
  const lines = ['number,name,type,email,iban,language,kvk,address,postal_code,city,payment_term_days'];
  for (const d of debtors) lines.push([d.number, q(d.name), d.type, d.email, d.iban, d.language, d.kvk ?? '', q(d.addressLine), d.postalCode, q(d.city), d.paymentTermDays].join(','));
  return lines.join('\n') + '\n';
}

export function invoicesCsv(invoices: readonly GenInvoice[]): string {
  const parts: string[] = ['debtor_number,number,issue_date,due_date,amount,currency,payment_reference,description'];
  for (const v of invoices) parts.push(`${v.debtorNumber},${v.number},${v.issueDate},${v.dueDate},${formatCents(v.cents)},EUR,,${v.description}`);
  return parts.join('\n') + '\n';
}

function q(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
