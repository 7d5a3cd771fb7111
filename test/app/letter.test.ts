/**
 * Dunning letters: every kind in nl and en is rendered, rasterised with pdftoppm (poppler-utils),
 * its EPC QR code decoded with jsQR and compared byte for byte with the expected payment; the text
 * is read back with pdftotext.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQRImport from 'jsqr';
import { PNG } from 'pngjs';
import { letterEpcPayload, letterText, renderLetterPdf, type LetterData } from '../../src/app/documents/letter.ts';
import { LETTER_KINDS, LETTER_TEMPLATES, TemplateError, fillTemplate, validateTemplate, type LetterKind } from '../../src/app/documents/templates.ts';
import { AppError } from '../../src/app/errors.ts';
import { makeBetalingskenmerk } from '../../src/domain/references.ts';

const run = promisify(execFile);
// jsqr's UMD bundle exports the function itself, while its types declare an ES default export.
const jsQR = ((jsQRImport as unknown as { default?: unknown }).default ?? jsQRImport) as unknown as (typeof jsQRImport)['default'];
let dir: string;
let seq = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vorder-letter-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function writePdf(pdf: Uint8Array): Promise<string> {
  const file = join(dir, `l${++seq}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** pdftoppm -r 150 page → PNG → jsQR; the decoded bytes as UTF-8, or null. */
async function decodeQr(pdf: Uint8Array, page = 1): Promise<string | null> {
  const file = await writePdf(pdf);
  const base = `${file.slice(dir.length + 1)}.p`;
  await run('pdftoppm', ['-r', '150', '-png', '-f', String(page), '-l', String(page), file, join(dir, base)]);
  const name = readdirSync(dir).find((f) => f.startsWith(base) && f.endsWith('.png'));
  if (!name) throw new Error('pdftoppm wrote no PNG');
  const png = PNG.sync.read(readFileSync(join(dir, name)));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height, { inversionAttempts: 'dontInvert' });
  return code ? Buffer.from(code.binaryData).toString('utf8') : null;
}

async function pdfText(pdf: Uint8Array): Promise<string> {
  const file = await writePdf(pdf);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  return stdout;
}
const flat = (s: string) => s.replace(/\s+/g, ' ');

async function pageCount(pdf: Uint8Array): Promise<number> {
  const file = await writePdf(pdf);
  const { stdout } = await run('pdfinfo', [file]);
  return Number(/Pages:\s+(\d+)/.exec(stdout)![1]);
}

const CREDITOR: LetterData['creditor'] = {
  name: 'Voorbeeld Incasso B.V.',
  addressLine: 'Keizersgracht 123',
  postalCode: '1015 CJ',
  city: 'Amsterdam',
  iban: 'NL91 ABNA 0417 1643 00',
  bic: 'ABNANL2A',
  kvk: '12345678',
  vatNumber: 'NL001234567B01',
  email: 'debiteuren@voorbeeld.nl',
};

/** A letter of the given kind whose amounts add up as the renderer requires. */
function aLetter(kind: LetterKind, language: 'nl' | 'en', over: Partial<LetterData> = {}): LetterData {
  const items = [
    { number: '2025-00123', issueDate: '2025-01-02', dueDate: '2025-01-16', openCents: 100_000, ...(kind === 'notice_of_default' ? { interestCents: 1_234 } : {}) },
    { number: '2025-00150', issueDate: '2025-01-20', dueDate: '2025-02-03', openCents: 23_456 },
  ];
  const principalCents = 123_456;
  const interestCents = kind === 'notice_of_default' ? 1_234 : 0;
  const costsCents = kind === 'notice_of_default' || kind === 'fourteen_day_letter' ? 18_518 : 0;
  const vatCents = kind === 'notice_of_default' ? 3_889 : 0;
  const fourteen = kind === 'fourteen_day_letter';
  const totalCents = principalCents + interestCents + (fourteen ? 0 : costsCents + vatCents);
  const plan = kind === 'payment_plan';
  return {
    language,
    kind,
    date: '2025-03-05',
    creditor: CREDITOR,
    debtor: { name: 'Łukasz Żółć', number: 'D-4711', addressLine: 'Dorpsstraat 1', postalCode: '3511 AB', city: 'Utrecht' },
    items: plan
      ? [
          { number: '1', issueDate: '2025-03-05', dueDate: '2025-04-01', openCents: 41_152 },
          { number: '2', issueDate: '2025-03-05', dueDate: '2025-05-01', openCents: 41_152 },
          { number: '3', issueDate: '2025-03-05', dueDate: '2025-06-01', openCents: 41_152 },
        ]
      : items,
    principalCents,
    interestCents,
    costsCents,
    vatCents,
    totalCents,
    currency: 'EUR',
    paymentReference: 'RF18 5390 0754 7034',
    payBy: '2025-03-19',
    ...(fourteen ? { fourteenDay: { termEnd: '2025-03-21' } } : {}),
    ...over,
  };
}

/** The EPC payload written out by hand (LEGAL.md 8), independent of src/domain/epc-qr.ts. */
const expectedEpc = (cents: number, ref = 'RF18539007547034') =>
  ['BCD', '002', '1', 'SCT', 'ABNANL2A', 'Voorbeeld Incasso B.V.', 'NL91ABNA0417164300', `EUR${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`, '', ref].join('\n');

describe('renderLetterPdf: every kind in nl and en', () => {
  const cases = LETTER_KINDS.flatMap((kind) => (['nl', 'en'] as const).map((lang) => [kind, lang] as const));
  it.each(cases)('%s (%s): QR pays the total, text has debtor, items and total', async (kind, lang) => {
    const letter = aLetter(kind, lang);
    const pdf = await renderLetterPdf(letter);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const [qr, text, pages] = await Promise.all([decodeQr(pdf), pdfText(pdf), pageCount(pdf)]);
    expect(pages).toBe(1);
    expect(qr).toBe(expectedEpc(letter.totalCents));
    expect(qr).toBe(letterEpcPayload(letter));
    const t = flat(text);
    expect(t).toContain('Łukasz Żółć');
    for (const it of letter.items) expect(t).toContain(it.number);
    expect(t).toContain(lang === 'nl' ? '€ 1.234,56' : '€1,234.56'); // principal, or total where it is the only amount
    const total = letter.totalCents;
    const nlTotal = `€ ${Math.floor(total / 100).toLocaleString('de-DE')},${String(total % 100).padStart(2, '0')}`;
    const enTotal = `€${Math.floor(total / 100).toLocaleString('en-GB')}.${String(total % 100).padStart(2, '0')}`;
    expect(t).toContain(lang === 'nl' ? nlTotal : enTotal);
    expect(t).toContain(lang === 'nl' ? 'Scan en betaal' : 'Scan to pay');
    expect(t).toContain('NL91 ABNA 0417 1643 00');
    expect(t).toContain('RF18 5390 0754 7034');
    expect(t).not.toMatch(/undefined|NaN|\{\{|\}\}/);
    expect(t).toContain(fillTemplate(LETTER_TEMPLATES[kind][lang].subject, { date: lang === 'nl' ? '5 maart 2025' : '5 March 2025' }));
  });

  it('nl reminder: the total as Dutch money and the plain-text version', async () => {
    const letter = aLetter('reminder', 'nl');
    const t = flat(await pdfText(await renderLetterPdf(letter)));
    expect(t).toContain('Totaal te betalen € 1.234,56');
    expect(t).toContain('uiterlijk 19 maart 2025');
    expect(t).toContain('3511 AB UTRECHT');
    const plain = letterText(letter);
    expect(plain).toContain('Geachte Łukasz Żółć,');
    expect(plain).toContain('Totaal te betalen: € 1.234,56');
    expect(plain).toContain('Factuur 2025-00123');
    expect(plain).toContain('Betalingskenmerk: RF18 5390 0754 7034');
    expect(plain).not.toMatch(/undefined|\{\{/);
  });

  it('notice of default: interest, costs and VAT lines, the total in the QR code', async () => {
    const letter = aLetter('notice_of_default', 'nl');
    const pdf = await renderLetterPdf(letter);
    const t = flat(await pdfText(pdf));
    expect(t).toContain('verzuim');
    expect(t).toContain('wettelijke handelsrente');
    expect(t).toMatch(/Rente € 12,34/);
    expect(t).toMatch(/Buitengerechtelijke incassokosten € 185,18/);
    expect(t).toMatch(/Btw over incassokosten € 38,89/);
    expect(t).toMatch(/Totaal te betalen € 1\.470,97/);
    expect(await decodeQr(pdf)).toBe(expectedEpc(147_097));
  });
});

describe('14-dagenbrief', () => {
  it.each(['nl', 'en'] as const)('%s: states the exact costs and the statutory term; the QR code does not charge the costs', async (lang) => {
    const letter = aLetter('fourteen_day_letter', lang, { vatCents: 3_889 });
    const pdf = await renderLetterPdf(letter);
    const t = flat(await pdfText(pdf));
    if (lang === 'nl') {
      expect(t).toContain('binnen veertien dagen na de dag van ontvangst van deze brief');
      expect(t).toContain('incassokosten verschuldigd van € 224,07 (inclusief € 38,89 btw)');
      expect(t).toContain('21 maart 2025');
    } else {
      expect(t).toContain('within fourteen days from the day after this letter was delivered to you');
      expect(t).toContain('collection costs of €224.07 (including €38.89 VAT)');
      expect(t).toContain('21 March 2025');
    }
    // What is due now: principal + interest; the costs only if the term passes unused.
    expect(await decodeQr(pdf)).toBe(expectedEpc(123_456));
    expect(letterText(letter)).toContain(lang === 'nl' ? '€ 224,07' : '€224.07');
  });

  it('without VAT the letter says so', async () => {
    const t = flat(await pdfText(await renderLetterPdf(aLetter('fourteen_day_letter', 'nl'))));
    expect(t).toContain('incassokosten verschuldigd van € 185,18 (hierover is geen btw verschuldigd)');
  });

  it('refuses a total that includes the announced costs, a too-early term end, and a letter without costs', async () => {
    const base = aLetter('fourteen_day_letter', 'nl');
    await expect(renderLetterPdf({ ...base, totalCents: base.totalCents + base.costsCents })).rejects.toThrow(/only announces the collection costs/);
    await expect(renderLetterPdf({ ...base, fourteenDay: { termEnd: '2025-03-19' } })).rejects.toThrow(/too early/);
    await expect(renderLetterPdf({ ...base, fourteenDay: undefined })).rejects.toThrow(/termEnd/);
    await expect(renderLetterPdf({ ...base, costsCents: 0 })).rejects.toThrow(/costs/);
  });

  it('refuses an edited template that drops the statutory wording', async () => {
    const tpl = LETTER_TEMPLATES.fourteen_day_letter.nl;
    const letter = aLetter('fourteen_day_letter', 'nl', { templateText: { ...tpl, body: ['Betaal binnen 14 dagen na dagtekening {{total}}. Kosten: {{costsInclVat}}.'] } });
    await expect(renderLetterPdf(letter)).rejects.toThrow(/veertien dagen na de dag van ontvangst/);
  });
});

describe('payment references in the QR code', () => {
  it('a betalingskenmerk is a structured reference, printed in groups of four', async () => {
    const kenmerk = makeBetalingskenmerk('000056789012345');
    const letter = aLetter('reminder', 'nl', { paymentReference: kenmerk });
    const pdf = await renderLetterPdf(letter);
    expect(await decodeQr(pdf)).toBe(expectedEpc(123_456, kenmerk));
    expect(flat(await pdfText(pdf))).toContain(kenmerk.replace(/(\d{4})(?=\d)/g, '$1 '));
  });

  it('any other reference goes into the unstructured text; no BIC gives an empty BIC line', async () => {
    const letter = aLetter('reminder', 'en', { paymentReference: 'Invoice 2025-00123', creditor: { ...CREDITOR, bic: undefined } });
    const pdf = await renderLetterPdf(letter);
    expect(await decodeQr(pdf)).toBe('BCD\n002\n1\nSCT\n\nVoorbeeld Incasso B.V.\nNL91ABNA0417164300\nEUR1234.56\n\n\nInvoice 2025-00123');
    expect(flat(await pdfText(pdf))).toContain('quoting the description Invoice 2025-00123');
  });

  it('no QR code for other currencies or nothing to pay', async () => {
    expect(letterEpcPayload(aLetter('reminder', 'nl', { currency: 'USD' }))).toBeNull();
    const credit = aLetter('statement', 'nl', { items: [{ number: 'C1', issueDate: '2025-01-02', dueDate: '2025-01-02', openCents: -500 }], principalCents: -500, totalCents: -500 });
    const pdf = await renderLetterPdf(credit);
    expect(await decodeQr(pdf)).toBeNull();
    expect(flat(await pdfText(pdf))).toContain('-€ 5,00');
  });
});

describe('layout', () => {
  it('many items flow onto further pages with the table header repeated and page numbers', async () => {
    const items = Array.from({ length: 45 }, (_, i) => ({ number: `F-${1000 + i}`, issueDate: '2025-01-02', dueDate: '2025-01-16', openCents: 1_000 + i }));
    const principalCents = items.reduce((s, i) => s + i.openCents, 0);
    const letter = aLetter('statement', 'nl', { items, principalCents, totalCents: principalCents });
    const pdf = await renderLetterPdf(letter);
    const pages = await pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const t = flat(await pdfText(pdf));
    for (const it of items) expect(t).toContain(it.number);
    expect(t).toContain(`Pagina 1/${pages}`);
    expect(t.split('Factuurdatum').length - 1).toBe(pages); // the header on every page
    expect(await decodeQr(pdf, pages)).toBe(letterEpcPayload(letter));
  });

  it('is deterministic and accepts a logo', async () => {
    const letter = aLetter('reminder', 'nl');
    expect(Buffer.from(await renderLetterPdf(letter)).equals(Buffer.from(await renderLetterPdf(letter)))).toBe(true);
    // 2×1 red PNG
    const logo = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAM/AL+6yYvSwAAAABJRU5ErkJggg==', 'base64');
    const withLogo = await renderLetterPdf({ ...letter, creditor: { ...CREDITOR, logoPng: new Uint8Array(logo) } });
    expect(await decodeQr(withLogo)).toBe(expectedEpc(123_456));
  });

  it('refuses amounts that do not add up and a template placeholder without a value', async () => {
    const letter = aLetter('reminder', 'nl');
    await expect(renderLetterPdf({ ...letter, totalCents: 1 })).rejects.toBeInstanceOf(AppError);
    await expect(renderLetterPdf({ ...letter, principalCents: 1, totalCents: 1 })).rejects.toThrow(/sum of the open item amounts/);
    await expect(renderLetterPdf({ ...letter, payBy: undefined })).rejects.toThrow(/payBy/);
    await expect(renderLetterPdf({ ...letter, creditor: { ...CREDITOR, iban: 'NL00ABNA0417164300' } })).rejects.toThrow(/IBAN/);
  });
});

describe('fillTemplate', () => {
  it('fills known placeholders once, never expanding a value', () => {
    expect(fillTemplate('Geachte {{ debtorName }}, betaal {{total}}.', { debtorName: 'A {{total}}', total: '€ 1,00' })).toBe('Geachte A {{total}}, betaal € 1,00.');
  });
  it('throws on unknown placeholders, missing values and malformed braces', () => {
    expect(() => fillTemplate('{{nope}}', {})).toThrow(TemplateError);
    expect(() => fillTemplate('{{payBy}}', {})).toThrow(/no value/);
    expect(() => fillTemplate('{{payBy}', { payBy: 'x' })).toThrow(/malformed/);
    expect(() => fillTemplate('{{ total }} }}', { total: 'x' })).toThrow(/malformed/);
  });
  it('flattens line breaks in values and escapes for HTML on request', () => {
    expect(fillTemplate('{{debtorName}}', { debtorName: 'A\r\nB' })).toBe('A B');
    expect(fillTemplate('<b>{{debtorName}}</b>', { debtorName: '<script>&"' }, { escape: 'html' })).toBe('<b>&lt;script&gt;&amp;&quot;</b>');
  });
  it('all built-in templates use known placeholders only', () => {
    for (const kind of LETTER_KINDS) for (const lang of ['nl', 'en'] as const) expect(validateTemplate(LETTER_TEMPLATES[kind][lang])).toEqual([]);
    expect(validateTemplate({ subject: 'x', greeting: '{{foo}}', body: ['{{'], closing: '' })).toHaveLength(2);
  });
});

describe('long texts are wrapped, not cut off', () => {
  it('the payment box and the references carry the whole reference; the header the whole name', async () => {
    const longRef = 'D00019 F2026-004478 F2026-004479 F2026-004480 F2026-004481';
    const longName = 'Installatie- en Onderhoudsbedrijf Van der Heijden-Oosterhuis B.V.';
    const pdf = await renderLetterPdf(aLetter('reminder', 'nl', { paymentReference: longRef, creditor: { ...CREDITOR, name: longName } }));
    const text = flat(await pdfText(pdf));
    expect(text).not.toContain('…');
    // the reference is in the references column and in the payment box, every part of it
    for (const part of longRef.split(' ')) expect(text.split(part).length - 1).toBeGreaterThanOrEqual(2);
    for (const word of longName.split(' ')) expect(text).toContain(word);
  });
});
