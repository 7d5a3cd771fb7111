/**
 * Moneybird API v2 (https://moneybird.com/api/v2/{administration_id}/…json), with a personal API
 * token (or an OAuth access token) as a Bearer token. The delta: `GET …/synchronization.json`
 * lists every id with its version; `POST …/synchronization.json` with `{ids: […]}` (at most 100)
 * returns those records in full. A sync:
 *   contacts-list → contacts-fetch (changed versions, 100 at a time)
 *   invoices-list (open states) → invoices-fetch (changed versions, plus every item open in Vorder
 *   that Moneybird no longer lists as open: fetched by id to learn that it was paid; an id that
 *   comes back empty is gone from Moneybird)
 * Each step is one page with its own checkpoint. Limit: 150 requests per 5 minutes.
 */
import { mapMoneybirdContact, mapMoneybirdInvoice, MONEYBIRD_OPEN_STATES, type MoneybirdContact, type MoneybirdInvoice } from '../../domain/connectors/moneybird.ts';
import { AuthorisationFailed, type ConnectionTest, type Connector, type Cursor, type ExternalItem, type Page, type PullContext } from '../../domain/connectors/types.ts';
import { expectOk, request, type HttpOptions } from '../http.ts';

export const MONEYBIRD_BASE_URL = 'https://moneybird.com';
const BATCH = 100;

export type MoneybirdConfig = { baseUrl: string; administrationId: string; token: string };

export class MoneybirdConnector implements Connector {
  readonly vendor = 'moneybird' as const;
  constructor(private readonly cfg: MoneybirdConfig, private readonly http: HttpOptions) {}

  private url(path: string): string {
    return `${this.cfg.baseUrl.replace(/\/+$/, '')}/api/v2/${path}`;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await request(this.url(path), {
      method,
      headers: { Authorization: `Bearer ${this.cfg.token}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }, this.http);
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new AuthorisationFailed(`Moneybird refused the token (HTTP ${res.status}): make a new one and connect again`);
    }
    await expectOk(res, `${method} ${path}`, 'Moneybird');
    return (await res.json()) as T;
  }

  async test(): Promise<ConnectionTest> {
    try {
      const admins = await this.call<{ id: string | number; name: string }[]>('GET', 'administrations.json');
      const a = admins.find((x) => String(x.id) === this.cfg.administrationId);
      return a ? { ok: true, name: a.name } : { ok: false, message: `the token has no access to administration ${this.cfg.administrationId}` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }

  async pull(cursor: Cursor, ctx: PullContext, opts: { full: boolean }): Promise<Page> {
    const stage = typeof cursor.stage === 'string' && cursor.stage !== 'idle' ? cursor.stage : 'contacts-list';
    const queue = Array.isArray(cursor.queue) ? (cursor.queue as string[]) : [];
    const total = Number(cursor.total) || 0;
    const base = (c: Cursor): Page => ({ debtors: [], items: [], goneItemIds: [], cursor: c, done: false });
    const admin = this.cfg.administrationId;
    if (stage === 'contacts-list') {
      const list = await this.call<{ id: string | number; version: number | string }[]>('GET', `${admin}/contacts/synchronization.json`);
      const known = await ctx.versions('debtor', list.map((l) => String(l.id)));
      const changed = list.filter((l) => opts.full || known.get(String(l.id)) !== String(l.version)).map((l) => String(l.id));
      return { ...base({ stage: 'contacts-fetch', queue: changed, total: changed.length }), progress: { stage: 'contacts', done: 0, total: changed.length } };
    }
    if (stage === 'contacts-fetch') {
      if (!queue.length) return this.pull({ stage: 'invoices-list' }, ctx, opts);
      const ids = queue.slice(0, BATCH);
      const contacts = await this.call<MoneybirdContact[]>('POST', `${admin}/contacts/synchronization.json`, { ids });
      const rest = queue.slice(BATCH);
      return {
        ...base(rest.length ? { stage: 'contacts-fetch', queue: rest, total } : { stage: 'invoices-list' }),
        debtors: contacts.map(mapMoneybirdContact),
        progress: { stage: 'contacts', done: total - rest.length, total },
      };
    }
    if (stage === 'invoices-list') {
      const filter = `state:${MONEYBIRD_OPEN_STATES.join('|')}`;
      const list = await this.call<{ id: string | number; version: number | string }[]>('GET', `${admin}/sales_invoices/synchronization.json?filter=${encodeURIComponent(filter)}`);
      const listed = new Set(list.map((l) => String(l.id)));
      const known = await ctx.versions('item', [...listed]);
      const changed = list.filter((l) => opts.full || known.get(String(l.id)) !== String(l.version)).map((l) => String(l.id));
      // open here but no longer open there: fetch by id to learn what happened (paid, credited, gone)
      const left = (await ctx.openItemIds()).filter((id) => !listed.has(id));
      const q = [...new Set([...changed, ...left])];
      return { ...base({ stage: 'invoices-fetch', queue: q, total: q.length }), progress: { stage: 'invoices', done: 0, total: q.length } };
    }
    if (stage === 'invoices-fetch') {
      if (!queue.length) return { ...base({ stage: 'idle' }), done: true };
      const ids = queue.slice(0, BATCH);
      const invoices = await this.call<MoneybirdInvoice[]>('POST', `${admin}/sales_invoices/synchronization.json`, { ids });
      const items: ExternalItem[] = [];
      const debtors = [];
      for (const inv of invoices) {
        const it = mapMoneybirdInvoice(inv);
        if (it) items.push(it);
        if (inv.contact && typeof inv.contact === 'object') debtors.push(mapMoneybirdContact(inv.contact as MoneybirdContact));
      }
      const returned = new Set(invoices.map((i) => String(i.id)));
      const rest = queue.slice(BATCH);
      return {
        ...base(rest.length ? { stage: 'invoices-fetch', queue: rest, total } : { stage: 'idle' }),
        debtors, items, goneItemIds: ids.filter((id) => !returned.has(id)), done: rest.length === 0,
        progress: { stage: 'invoices', done: total - rest.length, total },
      };
    }
    throw new Error(`Moneybird sync: unknown stage "${stage}"`);
  }
}
