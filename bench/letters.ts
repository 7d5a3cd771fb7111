/**
 * Letter rendering throughput: `benchLetters(n)` renders n dunning letters (a mix of kinds and
 * languages, two or three items each, EPC QR code, embedded DejaVu fonts) on the current thread and
 * returns the wall time and letters per second. A warm-up of one letter per kind and language
 * (reading and parsing the fonts, JIT) is not counted. Target from the issue: ≥ 50 letters per second per core.
 */
import { renderLetterPdf, type LetterData } from '../src/app/documents/letter.ts';
import { LETTER_KINDS } from '../src/app/documents/templates.ts';
import { makeRf } from '../src/domain/references.ts';

export function sampleLetter(i: number): LetterData {
  const kind = LETTER_KINDS[i % LETTER_KINDS.length]!;
  const language = i % 2 === 0 ? 'nl' : 'en';
  const items = Array.from({ length: 2 + (i % 2) }, (_, k) => ({
    number: `2025-${String(10000 + i * 3 + k)}`,
    issueDate: '2025-01-02',
    dueDate: '2025-01-16',
    openCents: 10_000 + ((i * 7919 + k * 104_729) % 250_000),
    ...(k === 0 && kind === 'notice_of_default' ? { interestCents: 1_234 } : {}),
  }));
  const principalCents = items.reduce((s, it) => s + it.openCents, 0);
  const interestCents = kind === 'notice_of_default' ? 1_234 : 0;
  const withCosts = kind === 'notice_of_default' || kind === 'fourteen_day_letter' || kind === 'collection_handover';
  const costsCents = withCosts ? Math.max(4_000, Math.round(principalCents * 0.15)) : 0;
  const vatCents = 0;
  const fourteen = kind === 'fourteen_day_letter';
  const totalCents = principalCents + interestCents + (fourteen ? 0 : costsCents + vatCents);
  const plan = kind === 'payment_plan';
  return {
    language,
    kind,
    date: '2025-03-05',
    creditor: { name: 'Voorbeeld Incasso B.V.', addressLine: 'Keizersgracht 123', postalCode: '1015 CJ', city: 'Amsterdam', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', kvk: '12345678', vatNumber: 'NL001234567B01', email: 'debiteuren@voorbeeld.nl' },
    debtor: { name: i % 3 === 0 ? 'Łukasz Żółć' : `Debiteur ${i} B.V.`, number: `D${1000 + i}`, addressLine: 'Dorpsstraat 1', postalCode: '3511 AB', city: 'Utrecht' },
    items: plan ? [{ number: '1', issueDate: '2025-03-05', dueDate: '2025-04-01', openCents: totalCents }] : items,
    principalCents,
    interestCents,
    costsCents,
    vatCents,
    totalCents,
    currency: 'EUR',
    paymentReference: makeRf(String(100000 + i)),
    payBy: '2025-03-19',
    ...(fourteen ? { fourteenDay: { termEnd: '2025-03-21' } } : {}),
  };
}

export async function benchLetters(n: number): Promise<{ seconds: number; perSecond: number }> {
  for (let i = 0; i < 2 * LETTER_KINDS.length; i++) await renderLetterPdf(sampleLetter(i)); // warm-up
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await renderLetterPdf(sampleLetter(i));
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  return { seconds, perSecond: n / seconds };
}
