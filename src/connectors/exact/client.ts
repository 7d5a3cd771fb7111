/**
 * Exact Online REST API (https://start.exactonline.nl, other countries on their own host).
 * OAuth2 authorisation code: `/api/oauth2/auth` → Vorder's callback → `/api/oauth2/token`. An
 * access token lives 10 minutes; the refresh token is single-use (the new one is saved before
 * anything else happens) and no refresh is asked before 570 s have passed.
 * Data: the sync endpoints of the division, each followed by its `Timestamp` (`Timestamp gt nL`),
 * 1000 records a page with `__next` links:
 *   sync/CRM/Accounts (debtors), sync/Cashflow/PaymentTerms (open items: sales entries and sales
 *   credit notes, TransactionType 20 and 21), sync/Deleted (removed records).
 * Limits: 60 calls a minute and 5,000 a day per division (X-RateLimit-* headers); when the day's
 * calls are spent the sync stops until X-RateLimit-Reset.
 */
import { mapExactAccount, mapExactPaymentTerm, maxTimestamp, type ExactRecord } from '../../domain/connectors/exact.ts';
import { AuthorisationFailed, type ConnectionTest, type Connector, type Cursor, type Page, type PullContext } from '../../domain/connectors/types.ts';
import { expectOk, request, type HttpOptions } from '../http.ts';

export const EXACT_BASE_URL = 'https://start.exactonline.nl';
/** no refresh before 570 s (Exact's rule since July 2021) */
export const EXACT_MIN_REFRESH_MS = 570_000;
const ACCOUNT_FIELDS = 'ID,Code,Name,Email,ChamberOfCommerce,VATNumber,AddressLine1,Postcode,City,Country,Timestamp';
const TERM_FIELDS = 'ID,Account,InvoiceNumber,InvoiceDate,DueDate,AmountDC,Currency,Description,PaymentReference,Status,TransactionType,Timestamp';
/** Sales entry and sales credit note (Exact's TransactionType codes; see docs/connectors.md) */
const SALES_TYPES = new Set([20, 21]);

export type ExactSecret = { clientId: string; clientSecret: string; redirectUri: string; accessToken?: string; refreshToken?: string; obtainedAt?: number; expiresIn?: number; oauthState?: string };

export function exactAuthorizeUrl(baseUrl: string, s: { clientId: string; redirectUri: string; state: string }): string {
  const u = new URL('/api/oauth2/auth', baseUrl);
  u.searchParams.set('client_id', s.clientId);
  u.searchParams.set('redirect_uri', s.redirectUri);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('state', s.state);
  return u.toString();
}

export class ExactConnector implements Connector {
  readonly vendor = 'exact' as const;
  private secret: ExactSecret;
  constructor(
    private readonly cfg: { baseUrl: string; division: string },
    secret: Record<string, unknown>,
    private readonly saveSecret: (s: Record<string, unknown>) => Promise<void>,
    private readonly http: HttpOptions,
  ) {
    this.secret = secret as ExactSecret;
  }

  private base(): string {
    return this.cfg.baseUrl.replace(/\/+$/, '');
  }

  private async tokenRequest(form: Record<string, string>): Promise<void> {
    const res = await request(`${this.base()}/api/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: new URLSearchParams(form).toString() }, this.http);
    if (res.status === 400 || res.status === 401) {
      const body = await res.text();
      throw new AuthorisationFailed(`Exact Online refused the authorisation (HTTP ${res.status}${body ? `: ${body.slice(0, 120)}` : ''}): connect again`);
    }
    await expectOk(res, 'token', 'Exact Online');
    const t = (await res.json()) as { access_token: string; refresh_token: string; expires_in: string | number };
    this.secret = { ...this.secret, accessToken: t.access_token, refreshToken: t.refresh_token, expiresIn: Number(t.expires_in) || 600, obtainedAt: this.http.clock.now(), oauthState: undefined };
    // the refresh token is single-use: keep the new one before anything else can fail
    await this.saveSecret(this.secret);
  }

  authorizeUrl(state: string): string {
    return exactAuthorizeUrl(this.base(), { clientId: this.secret.clientId, redirectUri: this.secret.redirectUri, state });
  }

  /** Authorisation code → the first token pair (Vorder's callback route). */
  async exchangeCode(code: string): Promise<void> {
    await this.tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: this.secret.redirectUri, client_id: this.secret.clientId, client_secret: this.secret.clientSecret });
  }

  private async refresh(): Promise<void> {
    if (!this.secret.refreshToken) throw new AuthorisationFailed('Exact Online is not authorised yet: finish the connection in the browser');
    await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: this.secret.refreshToken, client_id: this.secret.clientId, client_secret: this.secret.clientSecret });
  }

  private age(): number {
    return this.http.clock.now() - (this.secret.obtainedAt ?? 0);
  }

  private async token(): Promise<string> {
    if (!this.secret.accessToken) await this.refresh();
    // refresh shortly before the 10 minutes run out, never before 570 s
    else if (this.age() >= Math.max(EXACT_MIN_REFRESH_MS, (this.secret.expiresIn ?? 600) * 1000 - 15_000)) await this.refresh();
    return this.secret.accessToken!;
  }

  private async get(url: string): Promise<{ results: ExactRecord[]; next: string | null }> {
    for (let attempt = 0; ; attempt++) {
      const res = await request(url, { headers: { Authorization: `Bearer ${await this.token()}`, Accept: 'application/json' } }, this.http);
      if (res.status === 401 && attempt === 0 && this.age() >= EXACT_MIN_REFRESH_MS) {
        await res.body?.cancel();
        await this.refresh();
        continue;
      }
      if (res.status === 401) {
        await res.body?.cancel();
        throw new AuthorisationFailed('Exact Online refused the access token: connect again');
      }
      await expectOk(res, new URL(url).pathname, 'Exact Online');
      const body = (await res.json()) as { d: { results?: ExactRecord[]; __next?: string } | ExactRecord[] };
      const d = body.d;
      return Array.isArray(d) ? { results: d, next: null } : { results: d.results ?? [], next: d.__next ?? null };
    }
  }

  async test(): Promise<ConnectionTest> {
    try {
      const me = await this.get(`${this.base()}/api/v1/current/Me?$select=CurrentDivision,FullName`);
      const r = me.results[0];
      return r ? { ok: true, name: `${String(r.FullName ?? '')} (divisie ${String(r.CurrentDivision ?? '')})` } : { ok: false, message: 'no user' };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }

  private first(path: string, fields: string | null, ts: number): string {
    const u = `${this.base()}/api/v1/${this.cfg.division}/${path}?$filter=${encodeURIComponent(`Timestamp gt ${ts}L`)}`;
    return fields ? `${u}&$select=${fields}` : u;
  }

  async pull(cursor: Cursor, _ctx: PullContext, opts: { full: boolean }): Promise<Page> {
    const starting = !cursor.stage || cursor.stage === 'idle';
    const ts = (k: string) => (opts.full && starting ? 1 : Number(cursor[k]) || 1);
    const stage = typeof cursor.stage === 'string' && cursor.stage !== 'idle' ? cursor.stage : 'accounts';
    const keep = { accountsTs: ts('accountsTs'), termsTs: ts('termsTs'), deletedTs: ts('deletedTs') };
    const page = (c: Cursor, p: Partial<Page> = {}): Page => ({ debtors: [], items: [], goneItemIds: [], cursor: c, done: false, ...p });
    const next = typeof cursor.next === 'string' ? cursor.next : null;
    if (stage === 'accounts') {
      const r = await this.get(next ?? this.first('sync/CRM/Accounts', ACCOUNT_FIELDS, keep.accountsTs));
      const accountsTs = maxTimestamp(r.results, keep.accountsTs);
      return page(r.next ? { ...keep, accountsTs, stage: 'accounts', next: r.next } : { ...keep, accountsTs, stage: 'terms' }, { debtors: r.results.map(mapExactAccount), progress: { stage: 'accounts', done: 0, total: null } });
    }
    if (stage === 'terms') {
      const r = await this.get(next ?? this.first('sync/Cashflow/PaymentTerms', TERM_FIELDS, keep.termsTs));
      const termsTs = maxTimestamp(r.results, keep.termsTs);
      const items = r.results.filter((t) => SALES_TYPES.has(Number(t.TransactionType))).map(mapExactPaymentTerm);
      return page(r.next ? { ...keep, termsTs, stage: 'terms', next: r.next } : { ...keep, termsTs, stage: 'deleted' }, { items, progress: { stage: 'invoices', done: 0, total: null } });
    }
    if (stage === 'deleted') {
      const r = await this.get(next ?? this.first('sync/Deleted', 'EntityKey,EntityType,Timestamp', keep.deletedTs));
      const deletedTs = maxTimestamp(r.results, keep.deletedTs);
      const gone = r.results.map((x) => String(x.EntityKey));
      return r.next ? page({ ...keep, deletedTs, stage: 'deleted', next: r.next }, { goneItemIds: gone }) : page({ ...keep, deletedTs, stage: 'idle' }, { goneItemIds: gone, done: true });
    }
    throw new Error(`Exact Online sync: unknown stage "${stage}"`);
  }
}
