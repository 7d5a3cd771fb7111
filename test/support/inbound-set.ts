/**
 * The inbound message set (test/fixtures/inbound/*.eml) with what each message is: its kind, the
 * debtor it belongs to (and by which rule), the suggestions a person should see, and a phrase of the
 * new part and one that must be left to the quoted part. Used by the domain test (recognition rates)
 * and, through its debtor directory, by the storage tests.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'inbound');

export type Expected = {
  kind: 'bounce' | 'auto_reply' | 'reply';
  permanent?: boolean;
  originalMessageId?: string;
  debtor: string | null;
  by?: 'plus_address' | 'thread' | 'sender' | 'reference';
  suggestions: Record<string, Record<string, unknown>>;
  fresh?: string;
  notFresh?: string;
  problems?: RegExp;
  attachments?: number;
};

export const EXPECTED: Record<string, Expected> = {
  'outlook-nl-paid.eml': { kind: 'reply', debtor: 'D00042', by: 'plus_address', suggestions: { paid: { date: '2026-11-28' } }, fresh: 'al betaald', notFresh: 'Volgens onze administratie', attachments: 1 },
  'outlook-en-promise.eml': { kind: 'reply', debtor: 'D00044', by: 'thread', suggestions: { promise: { date: '2026-12-15', amountCents: 125000 } }, fresh: 'We will pay', notFresh: 'According to our records' },
  'gmail-nl-promise.eml': { kind: 'reply', debtor: 'D00043', by: 'plus_address', suggestions: { promise: { date: '2026-12-11', amountCents: 48050 } }, fresh: 'uiterlijk vrijdag', notFresh: 'Volgens onze administratie' },
  'gmail-en-dispute.eml': { kind: 'reply', debtor: 'D00060', by: 'sender', suggestions: { dispute: { itemNumbers: ['F2026-0117'] } }, fresh: 'never delivered', notFresh: 'According to our records' },
  'apple-nl-copy.eml': { kind: 'reply', debtor: 'D00062', by: 'reference', suggestions: { copy_request: {} }, fresh: 'kopie van factuur', notFresh: 'is vervallen' },
  'apple-en-plan.eml': { kind: 'reply', debtor: 'D00045', by: 'plus_address', suggestions: { payment_plan: {} }, fresh: 'payment plan', notFresh: 'are overdue' },
  'outlook-nl-address-cp1252.eml': { kind: 'reply', debtor: 'D00043', by: 'thread', suggestions: { address_change: { email: 'administratie@garagesmit.nl' }, promise: { date: null, amountCents: 48050 } }, fresh: 'Renée Smit', notFresh: 'Onderwerp: Herinnering' },
  'mutt-nl-paid-latin1.eml': { kind: 'reply', debtor: 'D00046', by: 'plus_address', suggestions: { paid: { date: '2026-12-01' } }, fresh: 'Renée Müller', notFresh: 'staat nog open' },
  'gmail-nl-html-attachments.eml': { kind: 'reply', debtor: 'D00047', by: 'plus_address', suggestions: { dispute: { itemNumbers: ['F2026-0333'] } }, fresh: 'beschadigd', attachments: 2 },
  'postfix-dsn.eml': { kind: 'bounce', permanent: true, originalMessageId: '<dunning-31-1@vorder.invalid>', debtor: null, suggestions: {} },
  'exchange-dsn.eml': { kind: 'bounce', permanent: true, originalMessageId: '<dunning-33-1@vorder.invalid>', debtor: null, suggestions: {} },
  'postfix-delayed-dsn.eml': { kind: 'bounce', permanent: false, originalMessageId: '<dunning-35-1@vorder.invalid>', debtor: null, suggestions: {} },
  'autoreply-outlook-nl.eml': { kind: 'auto_reply', debtor: 'D00042', by: 'plus_address', suggestions: { out_of_office: { until: '2026-12-14' } } },
  'autoreply-gmail-en.eml': { kind: 'auto_reply', debtor: 'D00048', by: 'plus_address', suggestions: { out_of_office: { until: '2026-12-07' } } },
  'autoreply-subject-only.eml': { kind: 'auto_reply', debtor: 'D00049', by: 'plus_address', suggestions: { out_of_office: { until: '2026-12-06' } } },
  'autoreply-ticket-x-autorespond.eml': { kind: 'auto_reply', debtor: 'D00053', by: 'plus_address', suggestions: {} },
  'outlook-suppress-not-auto.eml': { kind: 'reply', debtor: 'D00054', by: 'plus_address', suggestions: { promise: { date: null } }, fresh: 'volgende week betalen' },
  'malformed-no-headers.eml': { kind: 'reply', debtor: 'D00042', by: 'reference', suggestions: {}, problems: /malformed|unreadable/ },
  'unknown-charset.eml': { kind: 'reply', debtor: 'D00055', by: 'plus_address', suggestions: { paid: { date: '2026-12-02' } }, problems: /unknown charset x-vorder-unknown-42/ },
  'many-recipients.eml': { kind: 'reply', debtor: null, suggestions: {}, problems: /1002 recipients/ },
  'gmail-en-paid-rf.eml': { kind: 'reply', debtor: 'D00063', by: 'reference', suggestions: { paid: { date: '2026-12-02' } }, fresh: 'We paid this yesterday' },
  'outlook-en-original-copy.eml': { kind: 'reply', debtor: null, suggestions: { copy_request: {} }, fresh: 'send us a copy', notFresh: 'Dear Sir or Madam' },
  'plain-nl-tomorrow.eml': { kind: 'reply', debtor: 'D00056', by: 'plus_address', suggestions: { promise: { date: '2026-12-04' } }, fresh: 'morgen betaald' },
  'gmail-nl-plan-forwarded.eml': { kind: 'reply', debtor: 'D00057', by: 'plus_address', suggestions: { payment_plan: {} }, fresh: 'betalingsregeling', notFresh: 'Geachte mevrouw De Boer' },
};

/** The debtors of the set: number → contacts, invoices / payment references, and the Message-IDs sent to them. */
export const DIRECTORY: { number: string; emails: string[]; invoices: string[]; references?: string[]; sent: string[] }[] = [
  { number: 'D00042', emails: ['jan@bakkerijdevries.nl'], invoices: ['F2026-0042'], sent: ['<dunning-17-1@vorder.invalid>'] },
  { number: 'D00043', emails: ['garagesmit@gmail.com', 'info@garagesmit.nl'], invoices: ['F2026-0099'], sent: ['<dunning-19-1@vorder.invalid>'] },
  { number: 'D00044', emails: ['a.pieters@smitlogistics.com'], invoices: ['F2026-0300'], sent: ['<dunning-21-1@vorder.invalid>'] },
  { number: 'D00045', emails: ['peter@willemsbouw.nl'], invoices: ['F2026-0150', 'F2026-0151'], sent: ['<dunning-23-1@vorder.invalid>'] },
  { number: 'D00046', emails: [], invoices: ['F2026-0400'], sent: [] },
  { number: 'D00047', emails: [], invoices: ['F2026-0333'], sent: ['<dunning-25-1@vorder.invalid>'] },
  { number: 'D00048', emails: [], invoices: [], sent: ['<dunning-27-1@vorder.invalid>'] },
  { number: 'D00049', emails: [], invoices: [], sent: [] },
  { number: 'D00053', emails: [], invoices: [], sent: [] },
  { number: 'D00054', emails: [], invoices: [], sent: [] },
  { number: 'D00055', emails: [], invoices: [], sent: [] },
  { number: 'D00056', emails: [], invoices: [], sent: [] },
  { number: 'D00057', emails: [], invoices: [], sent: [] },
  { number: 'D00060', emails: ['tom@bakerandsons.co.uk'], invoices: ['F2026-0117'], sent: [] },
  // info@garagesmit.nl is a contact of two debtors: the sender alone decides nothing
  { number: 'D00061', emails: ['info@garagesmit.nl'], invoices: [], sent: [] },
  { number: 'D00062', emails: ['marieke@jansen.example'], invoices: ['F2026-0201'], sent: [] },
  { number: 'D00063', emails: [], invoices: ['F2026-0500'], references: ['RF18539007547034'], sent: [] },
];

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).sort();
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}
