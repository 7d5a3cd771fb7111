/**
 * Yuki's SOAP web service `Accounting.asmx` (https://api.yukiworks.nl/ws/Accounting.asmx): an
 * access key gives a session id (`Authenticate`), and `OutstandingDebtorItems(sessionID,
 * administrationID, includeBankTransactions, sortOrder)` returns every open debtor item: a
 * snapshot, with no delta and no webhooks. One sync is one page with `snapshotComplete`: items
 * missing from it are missed once and only closed when they are missing again on the next sync.
 */
import { parseOutstandingDebtorItems, readSoap, soapEnvelope, soapResultText, YUKI_NS } from '../../formats/yuki.ts';
import { AuthorisationFailed, type ConnectionTest, type Connector, type Cursor, type Page, type PullContext } from '../../domain/connectors/types.ts';
import { expectOk, request, type HttpOptions } from '../http.ts';
import type { XmlElement } from '../../formats/xml.ts';

export const YUKI_BASE_URL = 'https://api.yukiworks.nl';

export class YukiConnector implements Connector {
  readonly vendor = 'yuki' as const;
  private session: string | null = null;
  constructor(private readonly cfg: { baseUrl: string; administrationId: string; accessKey: string }, private readonly http: HttpOptions) {}

  private async call(method: string, params: Record<string, string | boolean>): Promise<XmlElement> {
    const res = await request(`${this.cfg.baseUrl.replace(/\/+$/, '')}/ws/Accounting.asmx`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${YUKI_NS}${method}"` },
      body: soapEnvelope(method, params),
    }, this.http);
    const text = await res.text();
    const soap = readSoap(text);
    if (!soap.ok) {
      if (/session|authenticat|access ?key/i.test(soap.fault)) throw new AuthorisationFailed(`Yuki: ${soap.fault}`);
      throw new Error(`Yuki ${method}: ${soap.fault}`);
    }
    await expectOk(new Response(null, { status: res.status }), method, 'Yuki');
    return soap.root;
  }

  private async authenticate(): Promise<string> {
    const root = await this.call('Authenticate', { accessKey: this.cfg.accessKey });
    const id = soapResultText(root, 'Authenticate');
    if (!id) throw new AuthorisationFailed('Yuki gave no session for this access key: check the key (Yuki: Instellingen → Webservices)');
    this.session = id;
    return id;
  }

  async test(): Promise<ConnectionTest> {
    try {
      await this.authenticate();
      return { ok: true, name: `Yuki-administratie ${this.cfg.administrationId}` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }

  private async outstanding(): Promise<XmlElement> {
    const params = (sessionID: string) => ({ sessionID, administrationID: this.cfg.administrationId, includeBankTransactions: false, sortOrder: 'DueDate' });
    try {
      return await this.call('OutstandingDebtorItems', params(this.session ?? (await this.authenticate())));
    } catch (e) {
      if (!(e instanceof AuthorisationFailed) || this.session === null) throw e;
      // the session ran out: one new session, then the same question again
      return this.call('OutstandingDebtorItems', params(await this.authenticate()));
    }
  }

  async pull(_cursor: Cursor, _ctx: PullContext): Promise<Page> {
    const { items, debtors } = parseOutstandingDebtorItems(await this.outstanding());
    return { debtors, items, goneItemIds: [], cursor: { stage: 'idle' }, done: true, snapshotComplete: true, progress: { stage: 'invoices', done: items.length, total: items.length } };
  }
}
