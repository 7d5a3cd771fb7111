/**
 * UBL 2.1 reader: every sample under ../shared/samples/invoices/ubl against a golden JSON
 * (test/formats/golden/ubl/<subfolder>__<file name without extension>.json; regenerate with
 * UPDATE_GOLDEN=1), plus a hand-checked table of the fields that matter for credit management.
 *
 * The si-ubl-2.0 test set names files SI-UBL-2.0_<rule>_<ok|warning|error>_<what>.xml; "error"
 * there means a business-rule (schematron) error, e.g. BR-NL-3 "no city", BR-NL-11 "no payment
 * means", UBL-SR-11 "two legal-entity CompanyIDs". Every one of them is structurally readable
 * UBL and parses ok; this reader is not a validator. The only ones that give a warning are
 * BR-NL-7_error_invoicetypecode_string (InvoiceTypeCode "wrong") and BR-NL-8_error_CN_not_381
 * (a CreditNote with CreditNoteTypeCode 380: still read as a credit note, amounts negated).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseUbl, decimalToCents } from '../../src/formats/ubl.ts';
import { sampleFiles, readSample } from '../support/samples.ts';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'ubl');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const files = sampleFiles('invoices/ubl').flatMap((dir) => sampleFiles(`invoices/ubl/${basename(dir)}`, (f) => /\.xml$/i.test(f)));

// Checked by hand against the XML: [sub/file, kind, number, issueDate, dueDate, payableCents, paymentReference, buyer name].
// Credit notes carry a negative payable amount.
const EXPECTED: [string, string, string, string, string | null, number, string | null, string][] = [
  ['en16931/guide-example1.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 25033, 'Deb. 10202 / Fact. 12115118', 'ODIN 59'],
  ['en16931/guide-example3.xml', 'invoice', 'TOSL108', '2013-04-10', '2013-05-10', 112500, 'Payref1', 'Buyercompany ltd'],
  ['en16931/sample-discount-price.xml', 'invoice', 'test decimal 1', '2018-02-05', '2018-02-28', 1515, null, 'HEP-OPERATOR DISTRIBUCIJSKOG SUSTAVA D.O.O. ZA DISTRIBUCIJU I OPSKRBU ELEKTRICNE ENERGIJE'],
  ['en16931/ubl-tc434-example10.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 25033, 'Deb. 10202 / Fact. 12115118', 'ODIN 59'],
  ['en16931/ubl-tc434-example2.xml', 'invoice', 'TOSL108', '2013-06-30', '2013-07-20', 80178, '0003434323213231', 'The Buyercompany'],
  ['en16931/ubl-tc434-example4.xml', 'invoice', 'TOSL110', '2013-04-10', '2013-05-10', 467500, 'Payref1', 'Buyercompany ltd'],
  ['en16931/ubl-tc434-example6.xml', 'invoice', 'TOSL110', '2013-04-10', '2013-05-10', 467500, null, 'Buyercompany ltd'],
  ['en16931/ubl-tc434-example8.xml', 'invoice', '1100512149', '2014-11-10', '2014-11-24', 109978, '1100512149', 'Klant'],
  ['nl-rijksoverheid/Peppol_BIS_3_voorbeeldbericht_Basisfactuur_Rijk.xml', 'invoice', 'P01', '2020-11-13', '2020-12-01', 392650, null, 'Min. van VVV'],
  ['oasis-ubl-2.1/UBL-CreditNote-2.1-Example.xml', 'credit_note', 'TOSL108', '2009-12-15', null, -72900, null, 'Buyercompany ltd'],
  ['peppol-bis3/Vat-category-S.xml', 'invoice', 'Snippet1', '2017-11-13', '2017-12-01', 855000, 'Snippet1', 'BuyerTradingName AS'],
  ['peppol-bis3/base-creditnote-correction.xml', 'credit_note', 'Snippet1', '2017-11-13', null, -165625, 'Snippet1', 'BuyerTradingName AS'],
  ['peppol-bis3/base-example.xml', 'invoice', 'Snippet1', '2017-11-13', '2017-12-01', 165625, 'Snippet1', 'BuyerTradingName AS'],
  ['peppol-bis3/national-GR__GR-base-example-correct.xml', 'invoice', '061828591|01/10/2020|0|1.1|0|1', '2020-10-01', '2020-12-01', 165625, 'Snippet1', 'BuyerTradingName AS'],
  ['peppol-bis3/vat-category-O.xml', 'invoice', 'Vat-O', '2018-08-30', null, 320000, null, 'The Buyercompany'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-10_error_customer_schemeid.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-10_ok_customer_not_nl.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-10_ok_supplier_not_nl.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-11_error_no_paymentmeans.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 12100, null, 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-11_ok_no_payment.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 0, null, 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-13_error_no_ordernumber.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-13_ok.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-1_error_wrong_scheme.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-1_ok_supplier_oin.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-20_warning_taxpointdate.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-24_warning_ref_issuedate.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-26_warning_legalform.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-27_warning_addressline_delivery.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-27_warning_addressline_seller.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-28_warning_countrysub_delivery.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-28_warning_countrysub_seller.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-30_warning_financialaccount.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-31_ok_notsepa.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-32_warning_reasoncode.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 10600, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-34_warning_reasoncode.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 34800, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-35_warning_taxexemptionreason.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22100, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-3_error_no_city.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-3_error_no_streetname.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-4_error_no_postal.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-4_ok_customer_not_nl.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-5_error_no_city.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-5_error_no_streetname.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-5_ok.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-5_ok_taxpart_not_nl.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-7_error_382.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-7_error_invoicetypecode_string.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 24200, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-7_ok_389.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-8_error_CN_not_381.xml', 'credit_note', '12115118', '2015-01-09', null, -22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-8_ok_381.xml', 'credit_note', '12115118', '2015-01-09', null, -22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-NL-9_error_no_reference.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_BR-S-08_error.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 46600, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_UBL-SR-11_error_multiple_legalentity_companyid.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_UBL-SR-17_error_multiple_legalentity_companyid.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_ok_additionaldocumentreference.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_ok_allowance_line.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 10600, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_ok_charge.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 34800, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_ok_full.xml', 'invoice', 'TOSL108', '2009-12-15', null, 72900, 'Payref1', 'Buyercompany ltd'],
  ['si-ubl-2.0/SI-UBL-2.0_ok_full_negative_zero.xml', 'invoice', 'TOSL108', '2009-12-15', null, 72900, 'Payref1', 'Buyercompany ltd'],
  ['si-ubl-2.0/SI-UBL-2.0_ok_minimal.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 24200, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_ok_quantities.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_ok_tax_category_O.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 20000, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['si-ubl-2.0/SI-UBL-2.0_warning_empty_elements.xml', 'invoice', '12115118', '2015-01-09', '2015-01-09', 22700, 'Deb. 10202 / Fact. 12115118', 'Ontvanger'],
  ['en16931/BIS3_Invoice_positive.XML', 'invoice', '12345', '2019-01-25', '2019-02-24', 78217943, '12345667890', 'Company B'],
];

const WARNINGS: Record<string, string[]> = {
  'si-ubl-2.0/SI-UBL-2.0_BR-NL-7_error_invoicetypecode_string.xml': ['ubl_type_code'],
  'si-ubl-2.0/SI-UBL-2.0_BR-NL-8_error_CN_not_381.xml': ['ubl_type_code'],
};

const rel = (p: string) => `${basename(dirname(p))}/${basename(p)}`;

describe('UBL samples', () => {
  it('finds every sample and has a hand-checked row for each', () => {
    expect(files.length).toBe(63);
    expect(files.map(rel).sort()).toEqual(EXPECTED.map((e) => e[0]).sort());
  });

  for (const path of files) {
    const name = rel(path);
    it(`${name} matches its golden file`, () => {
      const result = parseUbl(readSample(path));
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

  for (const [name, kind, number, issueDate, dueDate, payable, ref, buyer] of EXPECTED) {
    it(`${name}: hand-checked fields`, () => {
      const r = parseUbl(readSample(files.find((f) => rel(f) === name)!));
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const v = r.value;
      expect([v.kind, v.number, v.issueDate, v.dueDate, v.payableCents, v.paymentReference, v.buyer.name]).toEqual([kind, number, issueDate, dueDate, payable, ref, buyer]);
      expect(r.warnings.map((w) => w.code)).toEqual(WARNINGS[name] ?? []);
    });
  }

  it('reads the richer fields of the Peppol base example', () => {
    const r = parseUbl(readSample(files.find((f) => rel(f) === 'peppol-bis3/base-example.xml')!));
    if (!r.ok) throw new Error('not ok');
    const v = r.value;
    expect(v.customization).toBe('urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0');
    expect([v.currency, v.taxExclusiveCents, v.taxInclusiveCents, v.prepaidCents]).toEqual(['EUR', 132500, 165625, null]);
    expect(v.paymentIban).toBe('IBAN32423940');
    expect(v.paymentTerms).toBe('Payment within 10 days, 2% discount');
    expect(v.seller).toMatchObject({ name: 'SupplierTradingName Ltd.', endpointId: '9482348239847239874', endpointScheme: '0088', vatNumber: 'GB1232434', kvk: null });
    expect(v.seller.address).toEqual({ line: 'Main street 1, Postbox 123', postalCode: 'GB 123 EW', city: 'London', country: 'GB' });
    expect(v.buyer).toMatchObject({ name: 'BuyerTradingName AS', email: 'lj@buyer.se', phone: '23434234', contactName: 'Lisa Johnson' });
    expect(v.lines.map((l) => [l.id, l.quantity, l.lineExtensionCents])).toEqual([['1', '7', 280000], ['2', '-3', -150000]]);
  });

  it('reads the SI-UBL credit note: billing reference, KvK, negative lines', () => {
    const r = parseUbl(readSample(files.find((f) => rel(f) === 'si-ubl-2.0/SI-UBL-2.0_BR-NL-8_ok_381.xml')!));
    if (!r.ok) throw new Error('not ok');
    const v = r.value;
    expect([v.kind, v.typeCode, v.isCredit, v.billingReference, v.orderReference]).toEqual(['credit_note', '381', true, '46568', '47806']);
    expect(v.paymentIban).toBe('NL11BANK1111111111');
    // Line 3 is written as -1 × -100.00 on the credit note: negated it becomes +100.00 owed.
    expect(v.lines.map((l) => [l.quantity, l.lineExtensionCents])).toEqual([['4', -20000], ['1', -10000], ['-1', 10000]]);
    expect(v.buyer).toMatchObject({ name: 'Ontvanger', kvk: '11111111' });
  });
});

// ------------------------------------------------------------------------------------- unit

const NS = { Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2', CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2' };

function ubl(opts: { root?: 'Invoice' | 'CreditNote'; head?: string; body?: string; payable?: string | null; buyer?: string | null } = {}): string {
  const root = opts.root ?? 'Invoice';
  const payable = opts.payable === undefined ? '121.00' : opts.payable;
  const buyer = opts.buyer === undefined ? '<cac:PartyName><cbc:Name>Klant BV</cbc:Name></cac:PartyName>' : opts.buyer ?? '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="${NS[root]}"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  ${opts.head ?? '<cbc:ID>F2024-001</cbc:ID><cbc:IssueDate>2024-03-01</cbc:IssueDate>'}
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>Vorder BV</cbc:Name></cac:PartyName></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>${buyer}</cac:Party></cac:AccountingCustomerParty>
  ${opts.body ?? ''}
  <cac:LegalMonetaryTotal>${payable === null ? '' : `<cbc:PayableAmount currencyID="EUR">${payable}</cbc:PayableAmount>`}</cac:LegalMonetaryTotal>
</${root}>`;
}

function ok(xml: string | Uint8Array) {
  const r = parseUbl(xml);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}

describe('parseUbl', () => {
  it('reads a minimal invoice', () => {
    const { value, warnings } = ok(ubl());
    expect(value).toMatchObject({ kind: 'invoice', number: 'F2024-001', issueDate: '2024-03-01', dueDate: null, currency: 'EUR', payableCents: 12100, isCredit: false });
    expect(value.buyer.name).toBe('Klant BV');
    expect(warnings).toEqual([]);
  });

  it('gives a credit note a negative amount', () => {
    const { value } = ok(ubl({ root: 'CreditNote', head: '<cbc:ID>C1</cbc:ID><cbc:IssueDate>2024-03-02</cbc:IssueDate><cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>', body: '<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>F2024-001</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>' }));
    expect(value).toMatchObject({ kind: 'credit_note', typeCode: '381', isCredit: true, payableCents: -12100, billingReference: 'F2024-001' });
  });

  it('gives an Invoice with InvoiceTypeCode 381 a negative amount too', () => {
    const { value } = ok(ubl({ head: '<cbc:ID>C2</cbc:ID><cbc:IssueDate>2024-03-02</cbc:IssueDate><cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>' }));
    expect(value).toMatchObject({ kind: 'invoice', typeCode: '381', isCredit: true, payableCents: -12100 });
  });

  it('keeps a zero payable amount a plain 0 on a credit note (no -0)', () => {
    const { value } = ok(ubl({ root: 'CreditNote', payable: '-0.00' }));
    expect(Object.is(value.payableCents, 0)).toBe(true);
  });

  it('takes the due date from cbc:DueDate, else PaymentTerms, else PaymentMeans, else null', () => {
    const terms = '<cac:PaymentTerms><cbc:Note>30 dagen</cbc:Note><cbc:PaymentDueDate>2024-04-01</cbc:PaymentDueDate></cac:PaymentTerms>';
    const means = '<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2024-04-15</cbc:PaymentDueDate><cbc:PaymentID>1234 5678 9012 3456</cbc:PaymentID><cac:PayeeFinancialAccount><cbc:ID>nl91 abna 0417 1643 00</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>';
    const head = '<cbc:ID>F1</cbc:ID><cbc:IssueDate>2024-03-01</cbc:IssueDate>';
    expect(ok(ubl({ head: head + '<cbc:DueDate>2024-03-31</cbc:DueDate>', body: means + terms })).value.dueDate).toBe('2024-03-31');
    expect(ok(ubl({ head, body: means + terms })).value.dueDate).toBe('2024-04-01');
    const { value } = ok(ubl({ head, body: means }));
    expect(value.dueDate).toBe('2024-04-15');
    expect(value.paymentReference).toBe('1234 5678 9012 3456');
    expect(value.paymentIban).toBe('NL91ABNA0417164300');
    expect(ok(ubl({ head })).value.dueDate).toBeNull();
    expect(ok(ubl({ root: 'CreditNote', body: means })).value.dueDate).toBe('2024-04-15');
  });

  it('warns about and ignores a due date that is not a date', () => {
    const r = ok(ubl({ head: '<cbc:ID>F1</cbc:ID><cbc:IssueDate>2024-03-01</cbc:IssueDate><cbc:DueDate>31-03-2024</cbc:DueDate>' }));
    expect(r.value.dueDate).toBeNull();
    expect(r.warnings).toMatchObject([{ code: 'ubl_bad_date', field: 'Invoice/DueDate' }]);
  });

  it('reports malformed XML with its line', () => {
    const r = parseUbl(ubl().replace('</cbc:ID>', '</cbc:Id>'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ code: 'xml_malformed', line: 5 });
    expect(r.errors[0]!.message).toMatch(/line 5/);
  });

  it('refuses a DOCTYPE', () => {
    const xml = ubl().replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY x "boom">]>');
    const r = parseUbl(xml);
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'xml_doctype', line: 2 }] });
  });

  it('refuses a non-UBL root with a clear error', () => {
    const camt = '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>';
    const r = parseUbl(camt);
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'ubl_not_ubl', field: 'Document' }] });
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/root element is <Document> in namespace "urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.02".*expected <Invoice>/);
    // The right local name in the wrong (or no) namespace is not UBL either.
    expect(parseUbl('<Invoice><ID>1</ID></Invoice>')).toMatchObject({ ok: false, errors: [{ code: 'ubl_not_ubl' }] });
    expect(parseUbl(ubl().replace(`xmlns="${NS.Invoice}"`, `xmlns="${NS.CreditNote}"`))).toMatchObject({ ok: false, errors: [{ code: 'ubl_not_ubl' }] });
    const cii = '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"/>';
    expect(parseUbl(cii)).toMatchObject({ ok: false, errors: [{ code: 'ubl_not_ubl', field: 'CrossIndustryInvoice' }] });
  });

  it('names every missing required element by path', () => {
    const r = parseUbl(ubl({ head: '', payable: null, buyer: '<cac:PartyTaxScheme><cbc:CompanyID>NL1</cbc:CompanyID></cac:PartyTaxScheme>' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual([
      'Invoice/cbc:ID',
      'Invoice/cbc:IssueDate',
      'Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount',
      'Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name',
    ]);
    expect(r.errors.every((e) => e.message.startsWith(e.field!))).toBe(true);
  });

  it('takes the buyer name from RegistrationName when there is no PartyName', () => {
    const { value } = ok(ubl({ buyer: '<cac:PartyLegalEntity><cbc:RegistrationName>Klant Holding B.V.</cbc:RegistrationName><cbc:CompanyID schemeID="0106">12345678</cbc:CompanyID></cac:PartyLegalEntity>' }));
    expect(value.buyer).toMatchObject({ name: 'Klant Holding B.V.', kvk: '12345678' });
  });

  it('rounds an amount with three non-zero decimals half up, with a warning', () => {
    const r = ok(ubl({ payable: '100.005' }));
    expect(r.value.payableCents).toBe(10001);
    expect(r.warnings).toMatchObject([{ code: 'ubl_amount_rounded', field: 'Invoice/LegalMonetaryTotal/PayableAmount' }]);
    const z = ok(ubl({ payable: '100.0000' }));
    expect([z.value.payableCents, z.warnings]).toEqual([10000, []]);
    expect(ok(ubl({ payable: '100.004' })).value.payableCents).toBe(10000);
  });

  it('refuses an amount that is not an xsd:decimal', () => {
    for (const bad of ['1,50', '1.234,56', '1e3', 'EUR 5', '.']) {
      const r = parseUbl(ubl({ payable: bad }));
      expect(r, bad).toMatchObject({ ok: false, errors: [{ code: 'ubl_bad_amount', field: 'Invoice/LegalMonetaryTotal/PayableAmount' }] });
    }
  });

  it('decimalToCents is exact', () => {
    const cases: [string, number, boolean][] = [['1656.25', 165625, false], ['1300', 130000, false], ['-0.00', 0, false], ['.5', 50, false], ['+7.1', 710, false], ['0.275', 28, true], ['-0.396', -40, true], ['-2.345', -235, true], ['90071992547409.91', 9007199254740991, false]];
    for (const [s, cents, rounded] of cases) expect(decimalToCents(s), s).toEqual({ ok: true, cents, rounded });
  });

  it('accepts bytes with a BOM', () => {
    const bytes = new TextEncoder().encode('\ufeff' + ubl());
    expect(ok(bytes).value.number).toBe('F2024-001');
  });

  it('warns when an amount is in another currency than the document', () => {
    const r = ok(ubl().replace('currencyID="EUR"', 'currencyID="USD"'));
    expect(r.warnings).toMatchObject([{ code: 'ubl_currency_mismatch' }]);
  });
});
