/**
 * UBL 2.1 e-invoice reader (Invoice-2 and CreditNote-2): Peppol BIS Billing 3, SI-UBL 2.0 (NLCIUS),
 * EN 16931 and plain OASIS UBL 2.1. Pure: text/bytes in, a `UblDocument` out. Reading goes
 * through the safe XML reader (no DOCTYPE, bounded size) and is by local element name; only the
 * root namespace is checked.
 *
 * Sign convention: every amount in the result is signed as "what the buyer owes". A CreditNote
 * (and an Invoice whose InvoiceTypeCode is a credit-note code such as 381) has its amounts
 * negated, so a credit note of 227.00 gives `payableCents: -22700`. Amounts are kept exact as
 * integer cents; more than two non-zero decimals are rounded half away from zero, with a warning.
 *
 * This is a reader, not a validator: business rules (EN 16931 / Peppol / NLCIUS schematron) are
 * not checked. Only what we need is required: ID, IssueDate, PayableAmount, the buyer's name and a
 * currency.
 */
import { currencyProblem, normaliseCurrency } from '../domain/currency.ts';
import { parseXml, child, children, at, textAt, all, type XmlElement } from './xml.ts';
import { parseAmount, type Cents } from '../domain/money.ts';
import { isIsoDate, type IsoDate } from '../domain/dates.ts';
import type { FormatError } from '../domain/bank-statement.ts';

export const UBL_INVOICE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
export const UBL_CREDIT_NOTE_NS = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';

export type InvoiceAddress = {
  /** StreetName and AdditionalStreetName joined with ', ' (else AddressLine/Line). */
  readonly line: string | null;
  readonly postalCode: string | null;
  readonly city: string | null;
  /** ISO 3166-1 alpha-2 (Country/IdentificationCode). */
  readonly country: string | null;
};

export type InvoiceParty = {
  /** PartyName/Name, else PartyLegalEntity/RegistrationName. */
  readonly name: string | null;
  readonly endpointId: string | null;
  /** schemeID of the EndpointID (e.g. '0106' KvK, '0190' OIN, '0088' GLN). */
  readonly endpointScheme: string | null;
  /** KvK number: PartyLegalEntity/CompanyID, PartyIdentification/ID or EndpointID with schemeID 0106. */
  readonly kvk: string | null;
  /** PartyTaxScheme/CompanyID (the VAT one when several). */
  readonly vatNumber: string | null;
  readonly address: InvoiceAddress | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly contactName: string | null;
};

export type InvoiceLine = {
  readonly id: string | null;
  readonly name: string | null;
  /** InvoicedQuantity / CreditedQuantity exactly as written (a decimal string). */
  readonly quantity: string | null;
  readonly unitCode: string | null;
  /** Signed like the document (negated for credit notes). */
  readonly lineExtensionCents: Cents | null;
};

export type UblDocument = {
  /** The root element: Invoice → 'invoice', CreditNote → 'credit_note'. See `typeCode` for a 381 Invoice. */
  readonly kind: 'invoice' | 'credit_note';
  /** InvoiceTypeCode / CreditNoteTypeCode as written (UNCL 1001: 380, 381, 384, 389, …). */
  readonly typeCode: string | null;
  /** True when the amounts were negated (a CreditNote, or an Invoice with a credit-note type code). */
  readonly isCredit: boolean;
  readonly customization: string | null;
  readonly profile: string | null;
  readonly number: string;
  readonly issueDate: IsoDate;
  /** cbc:DueDate, else PaymentTerms/PaymentDueDate, else PaymentMeans/PaymentDueDate, else null. */
  readonly dueDate: IsoDate | null;
  readonly currency: string;
  /** LegalMonetaryTotal/PayableAmount, signed: negative for a credit note. */
  readonly payableCents: Cents;
  readonly taxExclusiveCents: Cents | null;
  readonly taxInclusiveCents: Cents | null;
  readonly prepaidCents: Cents | null;
  /** First PaymentMeans/PaymentID (the betalingskenmerk or free payment reference). */
  readonly paymentReference: string | null;
  /** First PaymentMeans/PayeeFinancialAccount/ID, spaces removed, upper case (not necessarily an IBAN). */
  readonly paymentIban: string | null;
  /** First non-empty PaymentTerms/Note, whitespace collapsed. */
  readonly paymentTerms: string | null;
  readonly buyerReference: string | null;
  readonly orderReference: string | null;
  /** BillingReference/InvoiceDocumentReference/ID: the invoice a credit note corrects. */
  readonly billingReference: string | null;
  /** First non-empty cbc:Note, else the first line's item name; whitespace collapsed. */
  readonly description: string | null;
  readonly seller: InvoiceParty;
  readonly buyer: InvoiceParty;
  readonly lines: readonly InvoiceLine[];
};

export type UblResult = { ok: true; value: UblDocument; warnings: FormatError[] } | { ok: false; errors: FormatError[] };

/** UNCL 1001 codes that denote a credit note (the Peppol BIS 3 credit-note code list). */
const CREDIT_TYPE_CODES = new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']);

export function parseUbl(input: string | Uint8Array): UblResult {
  const xml = parseXml(input);
  if (!xml.ok) {
    const { code, message, line, column } = xml.error;
    return { ok: false, errors: [{ code, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) }] };
  }
  const { root, namespace } = xml.doc;
  const kind = root.name === 'Invoice' && namespace === UBL_INVOICE_NS ? 'invoice' : root.name === 'CreditNote' && namespace === UBL_CREDIT_NOTE_NS ? 'credit_note' : null;
  if (!kind) {
    return {
      ok: false,
      errors: [{
        code: 'ubl_not_ubl',
        field: root.name,
        message: `not a UBL invoice or credit note: the root element is <${root.name}> in namespace ${namespace ? `"${namespace}"` : '(none)'}; expected <Invoice> in "${UBL_INVOICE_NS}" or <CreditNote> in "${UBL_CREDIT_NOTE_NS}"`,
      }],
    };
  }
  return new Reader(root, kind).read();
}

class Reader {
  readonly errors: FormatError[] = [];
  readonly warnings: FormatError[] = [];
  private currency: string | null = null;

  constructor(private readonly root: XmlElement, private readonly kind: 'invoice' | 'credit_note') {}

  private path(p: string): string {
    return `${this.root.name}/${p}`;
  }

  private error(code: string, field: string, message: string): void {
    this.errors.push({ code, field: this.path(field), message: `${this.path(field)}: ${message}` });
  }

  private warn(code: string, field: string, message: string): void {
    this.warnings.push({ code, field: this.path(field), message: `${this.path(field)}: ${message}` });
  }

  read(): UblResult {
    const r = this.root;
    const isCreditNote = this.kind === 'credit_note';
    const typeField = isCreditNote ? 'CreditNoteTypeCode' : 'InvoiceTypeCode';
    const typeCode = textAt(r, typeField);
    if (typeCode !== null && !/^\d{1,3}$/.test(typeCode)) this.warn('ubl_type_code', typeField, `"${typeCode}" is not a UNCL 1001 document type code`);
    const creditCode = typeCode !== null && CREDIT_TYPE_CODES.has(typeCode);
    if (isCreditNote && typeCode !== null && !creditCode && /^\d+$/.test(typeCode))
      this.warn('ubl_type_code', typeField, `type code ${typeCode} is not a credit-note code; the document is still read as a credit note (amounts negated)`);
    const isCredit = isCreditNote || creditCode;
    const sign = isCredit ? -1 : 1;

    const number = textAt(r, 'ID');
    if (number === null) this.error('ubl_missing', 'cbc:ID', 'the invoice number is missing');
    const issueDate = this.date('IssueDate', true);
    // Fallbacks are looked at only when needed, so an unused bad date gives no warning.
    let dueDate = this.date('DueDate', false);
    if (dueDate === null) dueDate = firstNonNull(all(r, 'PaymentTerms').map((t, i) => this.dateIn(t, 'PaymentDueDate', `PaymentTerms[${i + 1}]/PaymentDueDate`)));
    if (dueDate === null) dueDate = firstNonNull(all(r, 'PaymentMeans').map((m, i) => this.dateIn(m, 'PaymentDueDate', `PaymentMeans[${i + 1}]/PaymentDueDate`)));

    const totals = child(r, 'LegalMonetaryTotal');
    const payableEl = child(totals, 'PayableAmount');
    this.currency = textAt(r, 'DocumentCurrencyCode');
    if (this.currency === null) {
      const fromAmount = payableEl?.attrs['currencyID'] ?? null;
      if (fromAmount) {
        this.currency = fromAmount;
        this.warn('ubl_missing_currency', 'DocumentCurrencyCode', `missing; using the currencyID "${fromAmount}" of the PayableAmount`);
      } else this.error('ubl_missing', 'DocumentCurrencyCode', 'the document currency is missing');
    }
    if (this.currency !== null) {
      const iso = normaliseCurrency(this.currency);
      if (!iso) this.error('ubl_currency', 'DocumentCurrencyCode', currencyProblem(this.currency));
      else this.currency = iso;
    }

    let payable: Cents | null = null;
    if (!payableEl || payableEl.text === '') this.error('ubl_missing', 'cac:LegalMonetaryTotal/cbc:PayableAmount', 'the payable amount is missing');
    else payable = this.amount(payableEl, 'LegalMonetaryTotal/PayableAmount');
    const taxExclusive = this.amount(child(totals, 'TaxExclusiveAmount'), 'LegalMonetaryTotal/TaxExclusiveAmount');
    const taxInclusive = this.amount(child(totals, 'TaxInclusiveAmount'), 'LegalMonetaryTotal/TaxInclusiveAmount');
    const prepaid = this.amount(child(totals, 'PrepaidAmount'), 'LegalMonetaryTotal/PrepaidAmount');

    const sellerEl = at(r, 'AccountingSupplierParty/Party');
    const buyerEl = at(r, 'AccountingCustomerParty/Party');
    if (!sellerEl) this.warn('ubl_missing', 'AccountingSupplierParty/Party', 'the seller is missing');
    const seller = party(sellerEl);
    const buyer = party(buyerEl);
    if (!buyerEl) this.error('ubl_missing', 'cac:AccountingCustomerParty/cac:Party', 'the buyer is missing');
    else if (buyer.name === null)
      this.error('ubl_missing', 'cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name', 'the buyer has no name (neither PartyName/Name nor PartyLegalEntity/RegistrationName)');
    if (sellerEl && seller.name === null) this.warn('ubl_missing', 'AccountingSupplierParty/Party/PartyName/Name', 'the seller has no name');

    const means = all(r, 'PaymentMeans');
    const paymentReference = firstNonNull(means.map((m) => textAt(m, 'PaymentID')));
    const account = firstNonNull(means.map((m) => textAt(m, 'PayeeFinancialAccount/ID')));
    const paymentTerms = firstNonNull(all(r, 'PaymentTerms/Note').map((n) => clean(n.text)));

    const lineName = isCreditNote ? 'CreditNoteLine' : 'InvoiceLine';
    const qtyName = isCreditNote ? 'CreditedQuantity' : 'InvoicedQuantity';
    const lines: InvoiceLine[] = children(r, lineName).map((l, i) => {
      const qty = child(l, qtyName);
      const ext = this.amount(child(l, 'LineExtensionAmount'), `${lineName}[${i + 1}]/LineExtensionAmount`);
      return {
        id: textAt(l, 'ID'),
        name: clean(textAt(l, 'Item/Name')),
        quantity: qty && qty.text !== '' ? qty.text : null,
        unitCode: qty?.attrs['unitCode'] || null,
        lineExtensionCents: signed(ext, sign),
      };
    });
    const description = firstNonNull(children(r, 'Note').map((n) => clean(n.text))) ?? firstNonNull(lines.map((l) => l.name));

    if (this.errors.length) return { ok: false, errors: this.errors };
    return {
      ok: true,
      warnings: this.warnings,
      value: {
        kind: this.kind,
        typeCode,
        isCredit,
        customization: textAt(r, 'CustomizationID'),
        profile: textAt(r, 'ProfileID'),
        number: number!,
        issueDate: issueDate!,
        dueDate,
        currency: this.currency!,
        payableCents: signed(payable, sign)!,
        taxExclusiveCents: signed(taxExclusive, sign),
        taxInclusiveCents: signed(taxInclusive, sign),
        prepaidCents: signed(prepaid, sign),
        paymentReference,
        paymentIban: account === null ? null : account.replace(/\s+/g, '').toUpperCase(),
        paymentTerms,
        buyerReference: textAt(r, 'BuyerReference'),
        orderReference: textAt(r, 'OrderReference/ID'),
        billingReference: textAt(r, 'BillingReference/InvoiceDocumentReference/ID'),
        description,
        seller,
        buyer,
        lines,
      },
    };
  }

  private date(name: string, required: boolean): IsoDate | null {
    const t = textAt(this.root, name);
    if (t === null) {
      if (required) this.error('ubl_missing', `cbc:${name}`, 'the date is missing');
      return null;
    }
    if (isIsoDate(t)) return t;
    if (required) this.error('ubl_bad_date', `cbc:${name}`, `"${t}" is not a date (YYYY-MM-DD)`);
    else this.warn('ubl_bad_date', name, `"${t}" is not a date (YYYY-MM-DD); ignored`);
    return null;
  }

  private dateIn(el: XmlElement, name: string, field: string): IsoDate | null {
    const t = textAt(el, name);
    if (t === null) return null;
    if (isIsoDate(t)) return t;
    this.warn('ubl_bad_date', field, `"${t}" is not a date (YYYY-MM-DD); ignored`);
    return null;
  }

  /** An amount element as unsigned-by-document cents (the sign as written), or null when absent. */
  private amount(el: XmlElement | undefined, field: string): Cents | null {
    return readAmount(el, field, { prefix: 'ubl', currency: this.currency, of: 'document', error: (c, f, m) => this.error(c, f, m), warn: (c, f, m) => this.warn(c, f, m) });
  }

}

/**
 * An xsd:decimal (`1656.25`, `-0.00`, `1300`, `.5`) as integer cents. More than two decimals that
 * are not all zero are rounded half away from zero (`0.275` → 28, `-0.396` → -40), with `rounded`.
 */
export function decimalToCents(text: string): { ok: true; cents: Cents; rounded: boolean } | { ok: false; error: string } {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return { ok: false, error: `"${text}" is not a decimal amount` };
  const sign = m[1] ?? '';
  const int = m[2] === '' ? '0' : m[2]!;
  let frac = m[3] ?? '';
  let roundUp = false;
  let rounded = false;
  if (frac.length > 2 && !/^0*$/.test(frac.slice(2))) {
    rounded = true;
    roundUp = frac.charCodeAt(2) >= 53; /* '5' */
    frac = frac.slice(0, 2);
  }
  const p = parseAmount(`${sign}${int}${frac ? `.${frac}` : ''}`, { decimal: '.' });
  if (!p.ok) return { ok: false, error: p.error };
  let cents = p.cents;
  if (roundUp) cents += sign === '-' ? -1 : 1;
  return { ok: true, cents, rounded };
}

function party(p: XmlElement | undefined): InvoiceParty {
  const endpoint = child(p, 'EndpointID');
  const kvk =
    firstNonNull(children(p, 'PartyLegalEntity').flatMap((e) => children(e, 'CompanyID')).filter((c) => c.attrs['schemeID'] === '0106').map((c) => c.text || null)) ??
    firstNonNull(all(p, 'PartyIdentification/ID').filter((c) => c.attrs['schemeID'] === '0106').map((c) => c.text || null)) ??
    (endpoint && endpoint.attrs['schemeID'] === '0106' && endpoint.text ? endpoint.text : null);
  const taxSchemes = children(p, 'PartyTaxScheme');
  const vatScheme = taxSchemes.find((t) => textAt(t, 'TaxScheme/ID') === 'VAT' && textAt(t, 'CompanyID')) ?? taxSchemes.find((t) => textAt(t, 'CompanyID'));
  const addr = child(p, 'PostalAddress');
  const street = [textAt(addr, 'StreetName'), textAt(addr, 'AdditionalStreetName')].filter((s): s is string => s !== null);
  const addressLine = street.length ? street.join(', ') : firstNonNull(all(addr, 'AddressLine/Line').map((l) => l.text || null));
  const address: InvoiceAddress | null = addr
    ? { line: addressLine, postalCode: textAt(addr, 'PostalZone'), city: textAt(addr, 'CityName'), country: textAt(addr, 'Country/IdentificationCode') }
    : null;
  return {
    name: clean(firstNonNull(all(p, 'PartyName/Name').map((n) => n.text || null))) ?? clean(firstNonNull(all(p, 'PartyLegalEntity/RegistrationName').map((n) => n.text || null))),
    endpointId: endpoint && endpoint.text ? endpoint.text : null,
    endpointScheme: endpoint?.attrs['schemeID'] || null,
    kvk,
    vatNumber: vatScheme ? textAt(vatScheme, 'CompanyID') : null,
    address,
    email: textAt(p, 'Contact/ElectronicMail'),
    phone: textAt(p, 'Contact/Telephone'),
    contactName: textAt(p, 'Contact/Name'),
  };
}

/**
 * An amount element in cents (shared with cii.ts): a bad decimal is an error, more than two
 * decimals are rounded with a warning, a currencyID other than the document's is warned about.
 */
export function readAmount(
  el: XmlElement | undefined,
  field: string,
  ctx: { prefix: 'ubl' | 'cii'; currency: string | null; of: string; error(code: string, field: string, message: string): void; warn(code: string, field: string, message: string): void },
): Cents | null {
  if (!el || el.text === '') return null;
  const r = decimalToCents(el.text);
  if (!r.ok) {
    ctx.error(`${ctx.prefix}_bad_amount`, field, r.error);
    return null;
  }
  if (r.rounded) ctx.warn(`${ctx.prefix}_amount_rounded`, field, `"${el.text}" has more than two decimals; rounded to ${r.cents} cents`);
  const cur = el.attrs['currencyID'];
  if (cur && ctx.currency && cur !== ctx.currency) ctx.warn(`${ctx.prefix}_currency_mismatch`, field, `currencyID "${cur}" differs from the ${ctx.of} currency "${ctx.currency}"`);
  return r.cents;
}

/** Shared with cii.ts: a credit document's amounts are negated (never -0). */
export function signed(cents: Cents | null, sign: 1 | -1): Cents | null {
  if (cents === null) return null;
  return cents === 0 ? 0 : cents * sign;
}

/** Whitespace collapsed; empty becomes null. */
export function clean(s: string | null): string | null {
  if (s === null) return null;
  const t = s.replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

export function firstNonNull<T>(xs: readonly (T | null)[]): T | null {
  for (const x of xs) if (x !== null) return x;
  return null;
}
