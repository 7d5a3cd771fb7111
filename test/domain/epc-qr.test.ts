import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EpcQrError, epcQrPayload, parseEpcQrPayload } from '../../src/domain/epc-qr.ts';

const SAMPLES = join(resolve(process.env.VORDER_SAMPLES ?? '../shared/samples'), 'epc-qr');
const sampleTexts = readdirSync(SAMPLES).filter((f) => f.endsWith('.txt')).sort();
const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('LEGAL.md 8 test vectors', () => {
  it('1: structured RF, v002, no BIC (86 bytes)', () => {
    const expected = 'BCD\n002\n1\nSCT\n\nVoorbeeld Incasso B.V.\nNL91ABNA0417164300\nEUR1234.50\n\nRF27INV2025001234';
    const p = epcQrPayload({ name: 'Voorbeeld Incasso B.V.', iban: 'NL91 ABNA 0417 1643 00', cents: 123_450, structuredRef: 'RF27INV2025001234' });
    expect(p).toBe(expected);
    expect(bytes(p)).toBe(86);
    expect(parseEpcQrPayload(p)).toEqual({
      version: '002', charset: 1, bic: null, name: 'Voorbeeld Incasso B.V.', iban: 'NL91ABNA0417164300', cents: 123_450,
      purpose: null, structuredRef: 'RF27INV2025001234', text: null, info: null,
    });
  });
  it('2: unstructured text (97 bytes)', () => {
    const expected = 'BCD\n002\n1\nSCT\n\nVoorbeeld Incasso B.V.\nNL91ABNA0417164300\nEUR49.95\n\n\nFactuur 2025-00123 klant 4711';
    const p = epcQrPayload({ name: 'Voorbeeld Incasso B.V.', iban: 'NL91ABNA0417164300', cents: 4_995, text: 'Factuur 2025-00123 klant 4711' });
    expect(p).toBe(expected);
    expect(bytes(p)).toBe(97);
    expect(parseEpcQrPayload(p).text).toBe('Factuur 2025-00123 klant 4711');
  });
  it('3: v001 with BIC and purpose (84 bytes)', () => {
    const expected = 'BCD\n001\n1\nSCT\nABNANL2A\nStichting Voorbeeld\nNL91ABNA0417164300\nEUR10.00\nCHAR\n\nDonatie';
    const p = epcQrPayload({ version: '001', bic: 'ABNANL2A', name: 'Stichting Voorbeeld', iban: 'NL91ABNA0417164300', cents: 1_000, purpose: 'CHAR', text: 'Donatie' });
    expect(p).toBe(expected);
    expect(bytes(p)).toBe(84);
    expect(parseEpcQrPayload(p)).toMatchObject({ version: '001', bic: 'ABNANL2A', purpose: 'CHAR', text: 'Donatie', cents: 1_000 });
  });
  it('4: public example (Wikipedia), charset 2, RF printed with spaces', () => {
    const d = parseEpcQrPayload('BCD\n002\n2\nSCT\nBFSWDE33BER\nWikimedia Foerdergesellschaft\nDE33100205000001194700\nEUR123.45\nCHAR\nRF18 5390 0754 7034');
    expect(d).toMatchObject({ charset: 2, bic: 'BFSWDE33BER', iban: 'DE33100205000001194700', cents: 12_345, purpose: 'CHAR', structuredRef: 'RF18 5390 0754 7034' });
  });
  it('negative: EUR0.00, EUR1000000000.00, both remittance lines, name of 71 chars, > 331 bytes', () => {
    const base = 'BCD\n002\n1\nSCT\n\nVoorbeeld Incasso B.V.\nNL91ABNA0417164300\n';
    expect(() => parseEpcQrPayload(`${base}EUR0.00`)).toThrow(/amount/);
    expect(() => parseEpcQrPayload(`${base}EUR1000000000.00`)).toThrow(/amount/);
    expect(() => parseEpcQrPayload(`${base}EUR1.00\n\nRF27INV2025001234\nFactuur`)).toThrow(/not both/);
    const ok = { name: 'Voorbeeld Incasso B.V.', iban: 'NL91ABNA0417164300', cents: 100 };
    expect(() => epcQrPayload({ ...ok, cents: 0 })).toThrow(EpcQrError);
    expect(() => epcQrPayload({ ...ok, cents: 100_000_000_000 })).toThrow(/amount/);
    expect(() => epcQrPayload({ ...ok, structuredRef: 'RF27INV2025001234', text: 'x' })).toThrow(/not both/);
    expect(() => epcQrPayload({ ...ok, name: 'x'.repeat(71) })).toThrow(/name: 71 characters/);
    expect(epcQrPayload({ ...ok, name: 'x'.repeat(70) })).toContain('x'.repeat(70));
    // 2-byte characters: 140 characters of text is within the limit, but the bytes are not
    expect(() => epcQrPayload({ ...ok, name: 'é'.repeat(70), text: 'é'.repeat(140) })).toThrow(/payload: \d+ bytes/);
    expect(() => parseEpcQrPayload(`${base}EUR1.00\n\n\n${'é'.repeat(140)}\n${'é'.repeat(70)}`)).toThrow(/bytes/);
  });
});

describe('LEGAL.md 8 element rules', () => {
  const ok = { name: 'Voorbeeld Incasso B.V.', iban: 'NL91ABNA0417164300' };
  it('amount formats with two decimals; a parsed amount may have one (EUR12.3)', () => {
    expect(epcQrPayload({ ...ok, cents: 1 })).toMatch(/\nEUR0\.01$/);
    expect(epcQrPayload({ ...ok, cents: 99_999_999_999 })).toMatch(/\nEUR999999999\.99$/);
    expect(parseEpcQrPayload('BCD\n002\n1\nSCT\n\nX\nNL91ABNA0417164300\nEUR12.3').cents).toBe(1_230);
    expect(parseEpcQrPayload('BCD\n002\n1\nSCT\n\nX\nNL91ABNA0417164300\nEUR12').cents).toBe(1_200);
    expect(() => parseEpcQrPayload('BCD\n002\n1\nSCT\n\nX\nNL91ABNA0417164300\nEUR12,30')).toThrow(/amount/);
  });
  it('the amount is optional; trailing empty elements are omitted, middle ones kept', () => {
    expect(epcQrPayload(ok)).toBe('BCD\n002\n1\nSCT\n\nVoorbeeld Incasso B.V.\nNL91ABNA0417164300');
    expect(epcQrPayload({ ...ok, info: 'Dank u' })).toBe('BCD\n002\n1\nSCT\n\nVoorbeeld Incasso B.V.\nNL91ABNA0417164300\n\n\n\n\nDank u');
  });
  it('BIC: required in v001, 8 or 11 characters', () => {
    expect(() => epcQrPayload({ ...ok, version: '001' })).toThrow(/BIC: is required/);
    expect(() => epcQrPayload({ ...ok, bic: 'ABNANL2' })).toThrow(/BIC/);
    expect(epcQrPayload({ ...ok, bic: 'abnanl2axxx' })).toContain('\nABNANL2AXXX\n');
  });
  it('IBAN must be valid; purpose 4 characters; texts without line breaks and within limits', () => {
    expect(() => epcQrPayload({ ...ok, iban: 'NL91ABNA0417164301' })).toThrow(/IBAN/);
    expect(() => epcQrPayload({ ...ok, purpose: 'CHARITY' })).toThrow(/purpose/);
    expect(() => epcQrPayload({ ...ok, text: 'a\nb' })).toThrow(/line breaks/);
    expect(() => epcQrPayload({ ...ok, text: 'x'.repeat(141) })).toThrow(/text: 141/);
    expect(() => epcQrPayload({ ...ok, structuredRef: 'x'.repeat(36) })).toThrow(/structured reference: 36/);
    expect(() => epcQrPayload({ ...ok, structuredRef: 'RF17539007547034' })).toThrow(/RF/);
    expect(() => epcQrPayload({ ...ok, info: 'x'.repeat(71) })).toThrow(/information: 71/);
    expect(() => epcQrPayload({ ...ok, name: '' })).toThrow(/name/);
  });
  it('CR LF separators are tolerated when parsing', () => {
    expect(parseEpcQrPayload('BCD\r\n002\r\n1\r\nSCT\r\n\r\nX\r\nNL91ABNA0417164300\r\nEUR1.00').cents).toBe(100);
  });
  it('bad header lines are rejected', () => {
    expect(() => parseEpcQrPayload('BCC\n002\n1\nSCT\n\nX\nNL91ABNA0417164300')).toThrow(/service tag/);
    expect(() => parseEpcQrPayload('BCD\n003\n1\nSCT\n\nX\nNL91ABNA0417164300')).toThrow(/version/);
    expect(() => parseEpcQrPayload('BCD\n002\n9\nSCT\n\nX\nNL91ABNA0417164300')).toThrow(/character set/);
    expect(() => parseEpcQrPayload('BCD\n002\n1\nINST\n\nX\nNL91ABNA0417164300')).toThrow(/identification/);
    expect(() => parseEpcQrPayload('BCD\n002\n1\nSCT')).toThrow(/lines/);
  });
  it('property: build -> parse round-trips', () => {
    const text = fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' ').trim()).filter((s) => s.length > 0);
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 99_999_999_999 }), fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }), (name, cents, t, info) => {
        const p = epcQrPayload({ name, iban: 'NL91ABNA0417164300', cents, text: t, info });
        const d = parseEpcQrPayload(p);
        return d.name === name && d.cents === cents && d.text === (t ?? null) && d.info === (info ?? null) && !p.endsWith('\n');
      }),
    );
  });
});

describe('samples in shared/samples/epc-qr', () => {
  it('there are samples', () => expect(sampleTexts.length).toBeGreaterThan(0));
  it.each(sampleTexts)('%s parses and rebuilds to the same payload', (file) => {
    const raw = readFileSync(join(SAMPLES, file), 'utf8');
    const d = parseEpcQrPayload(raw);
    expect(d).toMatchObject({ name: 'Wikimedia Foerdergesellschaft', iban: 'DE33100205000001194700', cents: 12_345, text: 'Spende fuer Wikipedia', charset: 1 });
    const rebuilt = epcQrPayload({
      version: d.version, bic: d.bic ?? undefined, name: d.name, iban: d.iban, cents: d.cents ?? undefined,
      purpose: d.purpose ?? undefined, structuredRef: d.structuredRef ?? undefined, text: d.text ?? undefined, info: d.info ?? undefined,
    });
    expect(rebuilt).toBe(raw.replace(/\r?\n$/, ''));
  });
});
