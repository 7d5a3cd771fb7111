/**
 * A local Yuki Accounting.asmx written from Yuki's web service documentation: SOAP 1.1,
 * Authenticate(accessKey) → a session id, OutstandingDebtorItems(sessionID, administrationID,
 * includeBankTransactions, sortOrder) → the open debtor items (Item ID, Date, Description, Contact,
 * OpenAmount, OriginalAmount, Type, Reference, DueDate, ContactCode, CoCNumber, VATNumber,
 * AddressLine_1, Postcode, City, Country, ContactID). Faults for a wrong key or an expired session.
 */
import { startServer, type Req, type Res } from './common.ts';

export type YukiItem = { id: string; date: string; description: string; contact: string; contactCode: string; contactId: string; open: string; original: string; reference: string; dueDate: string };

export type YukiFake = { url: string; accessKey: string; administrationId: string; items: Map<string, YukiItem>; calls: string[]; expireSessions(): void; add(n: number, o?: Partial<YukiItem>): YukiItem; close(): Promise<void> };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const envelope = (inner: string) => `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>${inner}</soap:Body></soap:Envelope>`;
const fault = (msg: string): Res => ({ status: 500, raw: envelope(`<soap:Fault><faultcode>soap:Server</faultcode><faultstring>${esc(msg)}</faultstring></soap:Fault>`) });

export async function startYuki(): Promise<YukiFake> {
  const sessions = new Set<string>();
  let n = 0;
  const f = { accessKey: 'f1e2d3c4-b5a6-4789-9abc-def012345678', administrationId: 'a1b2c3d4-0000-4000-8000-000000000001', items: new Map(), calls: [] } as unknown as YukiFake;
  const handle = (r: Req): Res => {
    const method = /"?http:\/\/www\.theyukicompany\.com\/(\w+)"?/.exec(String(r.headers.soapaction ?? ''))?.[1] ?? '';
    f.calls.push(method);
    const param = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(r.body)?.[1] ?? '';
    if (r.path !== '/ws/Accounting.asmx' || r.method !== 'POST') return { status: 404, raw: '<html>Not found</html>' };
    if (method === 'Authenticate') {
      if (param('accessKey') !== f.accessKey) return fault('Authentication failed: invalid access key');
      const id = `sess-${++n}`;
      sessions.add(id);
      return { status: 200, raw: envelope(`<AuthenticateResponse xmlns="http://www.theyukicompany.com/"><AuthenticateResult>${id}</AuthenticateResult></AuthenticateResponse>`) };
    }
    if (method === 'OutstandingDebtorItems') {
      if (!sessions.has(param('sessionID'))) return fault('The session is not valid or has expired');
      if (param('administrationID') !== f.administrationId) return fault('Administration not found');
      const items = [...f.items.values()].map((i) => `<Item ID="${i.id}"><Date>${i.date}</Date><Description>${esc(i.description)}</Description><Contact>${esc(i.contact)}</Contact><OpenAmount>${i.open}</OpenAmount><OriginalAmount>${i.original}</OriginalAmount><Type ID="1">Verkoopfactuur</Type><Reference>${i.reference}</Reference><DueDate>${i.dueDate}</DueDate><ContactCode>${i.contactCode}</ContactCode><CoCNumber></CoCNumber><VATNumber></VATNumber><AddressLine_1>Markt 1</AddressLine_1><AddressLine_2></AddressLine_2><Postcode>5611 AA</Postcode><City>Eindhoven</City><MailAddressLine_1></MailAddressLine_1><MailAddressLine_2></MailAddressLine_2><MailPostcode></MailPostcode><MailCity></MailCity><Country>NL</Country><ContactID>${i.contactId}</ContactID></Item>`).join('');
      return { status: 200, raw: envelope(`<OutstandingDebtorItemsResponse xmlns="http://www.theyukicompany.com/"><OutstandingDebtorItemsResult><OutstandingDebtorItems>${items}</OutstandingDebtorItems></OutstandingDebtorItemsResult></OutstandingDebtorItemsResponse>`) };
    }
    return fault(`Unknown method ${method}`);
  };
  const server = await startServer(handle);
  Object.assign(f, {
    url: server.url, close: server.close,
    expireSessions: () => sessions.clear(),
    add(i: number, o: Partial<YukiItem> = {}) {
      const c = i % 4;
      const it: YukiItem = { id: `9f000000-0000-4000-8000-${String(i).padStart(12, '0')}`, date: '2026-09-15', description: `Factuur ${i}`, contact: `Bakkerij ${c}`, contactCode: `D${300 + c}`, contactId: `c0000000-0000-4000-8000-${String(c).padStart(12, '0')}`, open: `${80 + i}.25`, original: `${80 + i}.25`, reference: `V26-${String(i).padStart(5, '0')}`, dueDate: '2026-10-15', ...o };
      f.items.set(it.id, it);
      return it;
    },
  });
  return f;
}
