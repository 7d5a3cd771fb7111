/**
 * UN/CEFACT Cross Industry Invoice (CII D16B, EN 16931 / NLCIUS-CII) reader. Pure. Returns the
 * same `UblDocument` shape as the UBL reader, so the rest of Vorder need not care which syntax an
 * e-invoice came in. Read by local element name through the safe XML reader; the root must be
 * <CrossIndustryInvoice> in the CII:100 namespace.
 *
 * CII has one root for invoices and credit notes: `kind` and the sign follow the
 * ExchangedDocument/TypeCode (381 and the other credit-note codes → 'credit_note', amounts
 * negated, as in the UBL reader). Dates are DateTimeString format 102 (YYYYMMDD).
 *
 * Mapping (BT numbers of EN 16931): number BT-1 ExchangedDocument/ID; issueDate BT-2;
 * dueDate BT-9 SpecifiedTradePaymentTerms/DueDateDateTime; payable BT-115 DuePayableAmount;
 * taxExclusive BT-109 TaxBasisTotalAmount; taxInclusive BT-112 GrandTotalAmount; prepaid BT-113
 * TotalPrepaidAmount; paymentReference BT-83 PaymentReference; paymentIban BT-84 IBANID (else
 * ProprietaryID); billingReference BT-25 InvoiceReferencedDocument/IssuerAssignedID.
 */
import { currencyProblem, normaliseCurrency } from '../domain/currency.ts';
import { parseXml, child, children, at, textAt, all, type XmlElement } from './xml.ts';
import { clean, firstNonNull, readAmount, signed, type InvoiceAddress, type InvoiceLine, type InvoiceParty, type UblResult } from './ubl.ts';
import { isIsoDate, type IsoDate } from '../domain/dates.ts';
import type { Cents } from '../domain/money.ts';
import type { FormatError } from '../domain/bank-statement.ts';

export const CII_NS = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100';

export type CiiResult = UblResult;

const CREDIT_TYPE_CODES = new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']);

export function parseCii(input: string | Uint8Array): CiiResult {
  const xml = parseXml(input);
  if (!xml.ok) {
    const { code, message, line, column } = xml.error;
    return { ok: false, errors: [{ code, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) }] };
  }
  const { root, namespace } = xml.doc;
  if (root.name !== 'CrossIndustryInvoice' || namespace !== CII_NS) {
    return {
      ok: false,
      errors: [{
        code: 'cii_not_cii',
        field: root.name,
        message: `not a CII invoice: the root element is <${root.name}> in namespace ${namespace ? `"${namespace}"` : '(none)'}; expected <CrossIndustryInvoice> in "${CII_NS}"`,
      }],
    };
  }
  return new Reader(root).read();
}

class Reader {
  readonly errors: FormatError[] = [];
  readonly warnings: FormatError[] = [];
  private currency: string | null = null;

  constructor(private readonly root: XmlElement) {}

  private error(code: string, field: string, message: string): void {
    const f = `CrossIndustryInvoice/${field}`;
    this.errors.push({ code, field: f, message: `${f}: ${message}` });
  }

  private warn(code: string, field: string, message: string): void {
    const f = `CrossIndustryInvoice/${field}`;
    this.warnings.push({ code, field: f, message: `${f}: ${message}` });
  }

  read(): CiiResult {
    const r = this.root;
    const doc = child(r, 'ExchangedDocument');
    const tx = child(r, 'SupplyChainTradeTransaction');
    const agreement = child(tx, 'ApplicableHeaderTradeAgreement');
    const settlement = child(tx, 'ApplicableHeaderTradeSettlement');
    const sums = child(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');

    const typeCode = textAt(doc, 'TypeCode');
    if (typeCode !== null && !/^\d{1,3}$/.test(typeCode)) this.warn('cii_type_code', 'ExchangedDocument/TypeCode', `"${typeCode}" is not a UNCL 1001 document type code`);
    const isCredit = typeCode !== null && CREDIT_TYPE_CODES.has(typeCode);
    const sign = isCredit ? -1 : 1;

    const number = textAt(doc, 'ID');
    if (number === null) this.error('cii_missing', 'rsm:ExchangedDocument/ram:ID', 'the invoice number is missing');
    const issueDate = this.date(at(doc, 'IssueDateTime'), 'rsm:ExchangedDocument/ram:IssueDateTime', true);
    const dueDate = firstNonNull(all(settlement, 'SpecifiedTradePaymentTerms').map((t, i) =>
      this.date(child(t, 'DueDateDateTime'), `SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradePaymentTerms[${i + 1}]/DueDateDateTime`, false)));

    const payableEl = child(sums, 'DuePayableAmount');
    this.currency = textAt(settlement, 'InvoiceCurrencyCode');
    if (this.currency === null) {
      const fromAmount = child(sums, 'TaxTotalAmount')?.attrs['currencyID'] ?? payableEl?.attrs['currencyID'] ?? null;
      if (fromAmount) {
        this.currency = fromAmount;
        this.warn('cii_missing_currency', 'SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/InvoiceCurrencyCode', `missing; using currencyID "${fromAmount}"`);
      } else this.error('cii_missing', 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode', 'the invoice currency is missing');
    }
    if (this.currency !== null) {
      const iso = normaliseCurrency(this.currency);
      if (!iso) this.error('cii_currency', 'SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/InvoiceCurrencyCode', currencyProblem(this.currency));
      else this.currency = iso;
    }
    const sumPath = 'SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementHeaderMonetarySummation';
    let payable: Cents | null = null;
    if (!payableEl || payableEl.text === '') this.error('cii_missing', `rsm:${sumPath.replace(/\//g, '/ram:')}/ram:DuePayableAmount`, 'the payable amount is missing');
    else payable = this.amount(payableEl, `${sumPath}/DuePayableAmount`);
    const taxExclusive = this.amount(child(sums, 'TaxBasisTotalAmount'), `${sumPath}/TaxBasisTotalAmount`);
    const taxInclusive = this.amount(child(sums, 'GrandTotalAmount'), `${sumPath}/GrandTotalAmount`);
    const prepaid = this.amount(child(sums, 'TotalPrepaidAmount'), `${sumPath}/TotalPrepaidAmount`);

    const sellerEl = child(agreement, 'SellerTradeParty');
    const buyerEl = child(agreement, 'BuyerTradeParty');
    const seller = party(sellerEl);
    const buyer = party(buyerEl);
    if (!sellerEl || seller.name === null) this.warn('cii_missing', 'SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement/SellerTradeParty/Name', 'the seller has no name');
    if (buyer.name === null) this.error('cii_missing', 'rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:Name', 'the buyer has no name');

    const accounts = all(settlement, 'SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount');
    const account = firstNonNull(accounts.map((a) => textAt(a, 'IBANID') ?? textAt(a, 'ProprietaryID')));

    const lines: InvoiceLine[] = children(tx, 'IncludedSupplyChainTradeLineItem').map((l, i) => {
      const qty = at(l, 'SpecifiedLineTradeDelivery/BilledQuantity');
      const ext = this.amount(at(l, 'SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount'), `SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem[${i + 1}]/SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount`);
      return {
        id: textAt(l, 'AssociatedDocumentLineDocument/LineID'),
        name: clean(textAt(l, 'SpecifiedTradeProduct/Name')),
        quantity: qty && qty.text !== '' ? qty.text : null,
        unitCode: qty?.attrs['unitCode'] || null,
        lineExtensionCents: signed(ext, sign),
      };
    });
    const description = firstNonNull(all(doc, 'IncludedNote/Content').map((n) => clean(n.text))) ?? firstNonNull(lines.map((l) => l.name));

    if (this.errors.length) return { ok: false, errors: this.errors };
    const ctx = child(r, 'ExchangedDocumentContext');
    return {
      ok: true,
      warnings: this.warnings,
      value: {
        kind: isCredit ? 'credit_note' : 'invoice',
        typeCode,
        isCredit,
        customization: textAt(ctx, 'GuidelineSpecifiedDocumentContextParameter/ID'),
        profile: textAt(ctx, 'BusinessProcessSpecifiedDocumentContextParameter/ID'),
        number: number!,
        issueDate: issueDate!,
        dueDate,
        currency: this.currency!,
        payableCents: signed(payable, sign)!,
        taxExclusiveCents: signed(taxExclusive, sign),
        taxInclusiveCents: signed(taxInclusive, sign),
        prepaidCents: signed(prepaid, sign),
        paymentReference: textAt(settlement, 'PaymentReference'),
        paymentIban: account === null ? null : account.replace(/\s+/g, '').toUpperCase(),
        paymentTerms: firstNonNull(all(settlement, 'SpecifiedTradePaymentTerms/Description').map((d) => clean(d.text))),
        buyerReference: textAt(agreement, 'BuyerReference'),
        orderReference: textAt(agreement, 'BuyerOrderReferencedDocument/IssuerAssignedID'),
        billingReference: textAt(settlement, 'InvoiceReferencedDocument/IssuerAssignedID'),
        description,
        seller,
        buyer,
        lines,
      },
    };
  }

  /** A CII date element (…DateTime holding udt:DateTimeString format="102"). */
  private date(el: XmlElement | undefined, field: string, required: boolean): IsoDate | null {
    const s = child(el, 'DateTimeString') ?? child(el, 'DateString');
    const t = s?.text ?? '';
    if (t === '') {
      if (required) this.error('cii_missing', field, 'the date is missing');
      return null;
    }
    const format = s?.attrs['format'] ?? '102';
    const iso = format === '102' && /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : null;
    if (iso && isIsoDate(iso)) return iso;
    if (required) this.error('cii_bad_date', field, `"${t}" (format ${format}) is not a date; expected format 102 YYYYMMDD`);
    else this.warn('cii_bad_date', field, `"${t}" (format ${format}) is not a date; ignored`);
    return null;
  }

  private amount(el: XmlElement | undefined, field: string): Cents | null {
    return readAmount(el, field, { prefix: 'cii', currency: this.currency, of: 'invoice', error: (c, f, m) => this.error(c, f, m), warn: (c, f, m) => this.warn(c, f, m) });
  }

}

function party(p: XmlElement | undefined): InvoiceParty {
  const endpoint = at(p, 'URIUniversalCommunication/URIID');
  const ids = [...children(child(p, 'SpecifiedLegalOrganization'), 'ID'), ...children(p, 'GlobalID'), ...children(p, 'ID')];
  const kvk = firstNonNull(ids.filter((i) => i.attrs['schemeID'] === '0106').map((i) => i.text || null)) ?? (endpoint?.attrs['schemeID'] === '0106' && endpoint.text ? endpoint.text : null);
  const taxIds = all(p, 'SpecifiedTaxRegistration/ID');
  const vat = taxIds.find((t) => t.attrs['schemeID'] === 'VA' && t.text) ?? null;
  const addr = child(p, 'PostalTradeAddress');
  const street = [textAt(addr, 'LineOne'), textAt(addr, 'LineTwo'), textAt(addr, 'LineThree')].filter((s): s is string => s !== null);
  const address: InvoiceAddress | null = addr
    ? { line: street.length ? street.join(', ') : null, postalCode: textAt(addr, 'PostcodeCode'), city: textAt(addr, 'CityName'), country: textAt(addr, 'CountryID') }
    : null;
  const contact = child(p, 'DefinedTradeContact');
  return {
    name: clean(textAt(p, 'Name')) ?? clean(textAt(p, 'SpecifiedLegalOrganization/TradingBusinessName')),
    endpointId: endpoint && endpoint.text ? endpoint.text : null,
    endpointScheme: endpoint?.attrs['schemeID'] || null,
    kvk,
    vatNumber: vat ? vat.text : null,
    address,
    email: textAt(contact, 'EmailURIUniversalCommunication/URIID'),
    phone: textAt(contact, 'TelephoneUniversalCommunication/CompleteNumber'),
    contactName: textAt(contact, 'PersonName'),
  };
}

