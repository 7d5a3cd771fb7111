/**
 * CII reader: every sample under ../shared/samples/invoices/cii against a golden JSON
 * (test/formats/golden/cii/<subfolder>__<file name without extension>.json; regenerate with
 * UPDATE_GOLDEN=1), a hand-checked table, and unit tests. All samples are invoices (TypeCode 380).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCii } from '../../src/formats/cii.ts';
import { parseUbl } from '../../src/formats/ubl.ts';
import { SAMPLES, sampleFiles, readSample } from '../support/samples.ts';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'cii');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const files = sampleFiles('invoices/cii').flatMap((dir) => sampleFiles(`invoices/cii/${basename(dir)}`, (f) => /\.xml$/i.test(f)));
const rel = (p: string) => `${basename(dirname(p))}/${basename(p)}`;

// Checked by hand against the XML: [sub/file, number, issueDate, dueDate, payableCents, paymentReference, buyer name, iban].
const EXPECTED: [string, string, string, string | null, number, string | null, string, string | null][] = [
  ['en16931/CII-BR-CO-10-RoundingIssue.xml', '0', '2021-03-26', '2021-03-26', 0, null, 'BuyerName', 'IBAN'],
  ['en16931/CII_business_example_Z.xml', '2016166', '2015-01-09', '2015-01-09', 1169387, '2016166', 'XXX AG', 'DE12500105170648489890'],
  ['en16931/CII_example2.xml', 'TOSL108', '2013-06-30', '2013-07-20', 80178, '0003434323213231', 'The Buyercompany', 'NO9386011117947'],
  ['en16931/CII_example4.xml', 'TOSL110', '2013-04-10', '2013-05-10', 467500, 'Payref1', 'Buyercompany ltd', 'DK1212341234123412'],
  ['en16931/CII_example6.xml', 'TOSL110', '2013-04-10', '2013-05-10', 467500, null, 'Buyercompany ltd', null],
  ['en16931/CII_example8.xml', '1100512149', '2014-11-10', '2014-11-24', 109978, '1100512149', 'Klant', 'NL28RBOS0420242228'],
  ['nlcius-cii/NLCIUS-CII_ok_example.xml', '1100512149', '2014-11-10', '2014-11-24', 109978, '1100512149', 'Klant', 'NL28RBOS0420242228'],
];

describe('CII samples', () => {
  it('finds every sample', () => {
    expect(files.map(rel).sort()).toEqual(EXPECTED.map((e) => e[0]).sort());
  });

  for (const path of files) {
    it(`${rel(path)} matches its golden file`, () => {
      const result = parseCii(readSample(path));
      const golden = join(GOLDEN, `${basename(dirname(path))}__${basename(path).replace(/\.xml$/i, '')}.json`);
      const json = JSON.stringify(result, null, 2) + '\n';
      if (UPDATE) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(golden, json);
      }
      expect(existsSync(golden), `golden file missing: ${golden} (run with UPDATE_GOLDEN=1)`).toBe(true);
      expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });
  }

  for (const [name, number, issueDate, dueDate, payable, ref, buyer, iban] of EXPECTED) {
    it(`${name}: hand-checked fields`, () => {
      const r = parseCii(readSample(files.find((f) => rel(f) === name)!));
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const v = r.value;
      expect([v.kind, v.number, v.issueDate, v.dueDate, v.payableCents, v.paymentReference, v.buyer.name, v.paymentIban]).toEqual(['invoice', number, issueDate, dueDate, payable, ref, buyer, iban]);
      expect(r.warnings).toEqual([]);
    });
  }

  it('reads the same Enexis-style invoice from CII as from UBL (tc434 example 8)', () => {
    const cii = parseCii(readSample(files.find((f) => rel(f) === 'en16931/CII_example8.xml')!));
    const ubl = parseUbl(readSample(join(SAMPLES, 'invoices', 'ubl', 'en16931', 'ubl-tc434-example8.xml')));
    if (!cii.ok || !ubl.ok) throw new Error('not ok');
    const pick = (v: typeof cii.value) => [v.number, v.issueDate, v.dueDate, v.currency, v.payableCents, v.taxExclusiveCents, v.taxInclusiveCents, v.paymentReference, v.paymentIban, v.buyer.name, v.lines.length, v.lines.map((l) => l.lineExtensionCents)];
    expect(pick(cii.value)).toEqual(pick(ubl.value));
  });

  it('reads the NLCIUS parties: KvK, VAT, address, e-mail', () => {
    const r = parseCii(readSample(files.find((f) => rel(f) === 'nlcius-cii/NLCIUS-CII_ok_example.xml')!));
    if (!r.ok) throw new Error('not ok');
    expect(r.value.customization).toBe('urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0');
    expect(r.value.seller).toMatchObject({ name: 'Energieleverancier B.V.', kvk: '17131139', vatNumber: 'NL809561074B01', email: 'klantenservice.zakelijk@energieleverancier.nl' });
    expect(r.value.buyer).toMatchObject({ name: 'Klant', kvk: '13524678', address: { line: 'Bedrijfslaan 4', postalCode: '9999 XX', city: 'ONDERNEMERSTAD', country: 'NL' } });
    expect(r.value.orderReference).toBe('PO4711');
  });
});

const cii = (o: { type?: string; issue?: string; payable?: string; buyer?: string } = {}) => `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument><ram:ID>C-7</ram:ID><ram:TypeCode>${o.type ?? '380'}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">${o.issue ?? '20240301'}</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:Name>Vorder BV</ram:Name></ram:SellerTradeParty>
      <ram:BuyerTradeParty>${o.buyer ?? '<ram:Name>Klant BV</ram:Name>'}</ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:InvoiceReferencedDocument><ram:IssuerAssignedID>F-1</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:DuePayableAmount>${o.payable ?? '60.50'}</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>`;

describe('parseCii', () => {
  it('reads a minimal invoice', () => {
    expect(parseCii(cii())).toMatchObject({ ok: true, warnings: [], value: { kind: 'invoice', number: 'C-7', issueDate: '2024-03-01', dueDate: null, payableCents: 6050 } });
  });

  it('gives a credit note (TypeCode 381) a negative amount', () => {
    expect(parseCii(cii({ type: '381' }))).toMatchObject({ ok: true, value: { kind: 'credit_note', isCredit: true, payableCents: -6050, billingReference: 'F-1' } });
  });

  it('rounds three decimals with a warning', () => {
    expect(parseCii(cii({ payable: '60.505' }))).toMatchObject({ ok: true, value: { payableCents: 6051 }, warnings: [{ code: 'cii_amount_rounded' }] });
  });

  it('refuses a date that is not format 102 and a missing buyer name, naming the paths', () => {
    const r = parseCii(cii({ issue: '2024-03-01', buyer: '' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.field])).toEqual([
      ['cii_bad_date', 'CrossIndustryInvoice/rsm:ExchangedDocument/ram:IssueDateTime'],
      ['cii_missing', 'CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:Name'],
    ]);
  });

  it('refuses UBL and other roots, and a DOCTYPE', () => {
    expect(parseCii('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')).toMatchObject({ ok: false, errors: [{ code: 'cii_not_cii', field: 'Invoice' }] });
    expect(parseCii('<!DOCTYPE x><x/>')).toMatchObject({ ok: false, errors: [{ code: 'xml_doctype' }] });
    expect(parseCii(cii().replace('</rsm:ExchangedDocument>', ''))).toMatchObject({ ok: false, errors: [{ code: 'xml_malformed' }] });
  });
});
