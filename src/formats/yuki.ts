/**
 * Yuki's SOAP web service (https://api.yukiworks.nl/ws/Accounting.asmx), pure: the request
 * envelopes and the reading of `OutstandingDebtorItems`. Per Yuki's documentation the method
 * `OutstandingDebtorItems(sessionID, administrationID, includeBankTransactions, sortOrder)` returns
 * `<OutstandingDebtorItems><Item ID=".."><Date/><Description/><Contact/><OpenAmount/>
 * <OriginalAmount/><Type ID=".."/><Reference/><DueDate/><ContactCode/><CoCNumber/><VATNumber/>
 * <AddressLine_1/>…<Postcode/><City/><Country/><ContactID/></Item>…`, and a session id comes from
 * `Authenticate(accessKey)`. A snapshot: no delta, no webhooks.
 */
import { parseXml, textAt, type XmlElement } from './xml.ts';
import { decimalToCents, toIsoDate, type ExternalDebtor, type ExternalItem } from '../domain/connectors/types.ts';

export const YUKI_NS = 'http://www.theyukicompany.com/';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function soapEnvelope(method: string, params: Record<string, string | boolean>): string {
  const body = Object.entries(params).map(([k, v]) => `<${k}>${esc(String(v))}</${k}>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><${method} xmlns="${YUKI_NS}">${body}</${method}></soap:Body></soap:Envelope>`;
}

export type SoapResult = { ok: true; root: XmlElement } | { ok: false; fault: string };

export function readSoap(xml: string): SoapResult {
  const p = parseXml(xml);
  if (!p.ok) return { ok: false, fault: `Yuki answered with invalid XML: ${p.error.message}` };
  const fault = textAt(p.doc.root, 'Body/Fault/faultstring');
  if (fault !== null) return { ok: false, fault };
  return { ok: true, root: p.doc.root };
}

/** The text result of a method (`<AuthenticateResult>` → the session id). */
export function soapResultText(root: XmlElement, method: string): string | null {
  return textAt(root, `Body/${method}Response/${method}Result`);
}

function find(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) c.name === name ? out.push(c) : walk(c);
  };
  walk(el);
  return out;
}

export function parseOutstandingDebtorItems(root: XmlElement): { items: ExternalItem[]; debtors: ExternalDebtor[] } {
  const items: ExternalItem[] = [];
  const debtors = new Map<string, ExternalDebtor>();
  for (const it of find(root, 'Item')) {
    const id = it.attrs.ID;
    if (!id) throw new Error('Yuki OutstandingDebtorItems: an Item without ID');
    const t = (p: string) => { const v = textAt(it, p); return v === null || v === '' ? null : v; };
    const contactId = t('ContactID') ?? t('ContactCode') ?? t('Contact') ?? '';
    if (!debtors.has(contactId))
      debtors.set(contactId, {
        externalId: contactId, number: t('ContactCode') ?? `YK${contactId.slice(0, 8)}`, name: t('Contact') ?? contactId, emails: [],
        kvk: t('CoCNumber'), vatNumber: t('VATNumber'), addressLine: t('AddressLine_1'), postalCode: t('Postcode'), city: t('City'), country: t('Country'), version: null,
      });
    const open = decimalToCents(t('OpenAmount') ?? '0', `Item ${id} OpenAmount`);
    const original = decimalToCents(t('OriginalAmount') ?? t('OpenAmount') ?? '0', `Item ${id} OriginalAmount`);
    const issueDate = toIsoDate(t('Date'), `Item ${id} Date`);
    items.push({
      externalId: id, debtorExternalId: contactId, number: t('Reference') ?? id, issueDate, dueDate: t('DueDate') ? toIsoDate(t('DueDate'), `Item ${id} DueDate`) : issueDate,
      amountCents: original, openCents: open, currency: 'EUR', description: t('Description'), paymentReference: null, status: open === 0 ? 'paid' : 'open', version: `${open}`,
    });
  }
  return { items, debtors: [...debtors.values()] };
}

