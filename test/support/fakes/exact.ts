/**
 * A local Exact Online written from its REST documentation: OAuth2 (authorisation code, 10-minute
 * access tokens, single-use refresh tokens, no refresh before 570 s), the sync endpoints with
 * Timestamp filters and `__next` pages, sync/Deleted, 60 calls a minute and a daily limit per
 * division with X-RateLimit-* headers (429 beyond them). Runs on the test's virtual clock.
 */
import { slidingWindow, startServer, type Req, type Res } from './common.ts';

export type ExactAccount = { ID: string; Code: string; Name: string; Email: string; ChamberOfCommerce: string; VATNumber: string; AddressLine1: string; Postcode: string; City: string; Country: string; Timestamp: number };
export type ExactTerm = { ID: string; Account: string; InvoiceNumber: number; InvoiceDate: string; DueDate: string; AmountDC: number; Currency: string; Description: string; PaymentReference: string; Status: number; TransactionType: number; Timestamp: number };

export type ExactFake = {
  url: string; division: string; clientId: string; clientSecret: string;
  accounts: Map<string, ExactAccount>; terms: Map<string, ExactTerm>; deleted: { EntityKey: string; EntityType: number; Timestamp: number }[];
  pageSize: number; dailyLimit: number; usedToday: number; rateLimited: number; dailyRefusals: number;
  refreshes: number; earlyRefreshes: number; reusedRefreshTokens: number; expiredTokenCalls: number; log: string[];
  addAccount(n: number): ExactAccount; addTerm(a: ExactAccount, n: number, o?: Partial<ExactTerm>): ExactTerm;
  change(t: ExactTerm, o: Partial<ExactTerm>): void; remove(t: ExactTerm): void; newDay(): void; issueCode(): string;
  close(): Promise<void>;
};

const guid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export async function startExact(clock: { now(): number }, opts: { dailyLimit?: number; pageSize?: number } = {}): Promise<ExactFake> {
  let ts = 1000;
  let n = 0;
  const minute = slidingWindow(clock, 60, 60_000);
  const codes = new Set<string>();
  const access = new Map<string, number>(); // token → issued at
  const refresh = new Map<string, { issuedAt: number; used: boolean }>();
  let lastIssue = -Infinity;
  const f = {
    division: '1234567', clientId: 'vorder-client-id', clientSecret: 'vorder-client-secret', accounts: new Map(), terms: new Map(), deleted: [],
    pageSize: opts.pageSize ?? 1000, dailyLimit: opts.dailyLimit ?? 5000, usedToday: 0, rateLimited: 0, dailyRefusals: 0, refreshes: 0, earlyRefreshes: 0, reusedRefreshTokens: 0, expiredTokenCalls: 0, log: [],
  } as unknown as ExactFake;
  const issue = () => {
    const a = `eo-access-${++n}`, r = `eo-refresh-${n}`;
    access.set(a, clock.now());
    refresh.set(r, { issuedAt: clock.now(), used: false });
    lastIssue = clock.now();
    return { status: 200, body: { access_token: a, token_type: 'bearer', expires_in: '600', refresh_token: r } } as Res;
  };
  const nextMidnight = () => { const d = new Date(clock.now()); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1); };
  const handle = (r: Req): Res => {
    f.log.push(`${r.method} ${r.path}`);
    if (r.path === '/api/oauth2/token' && r.method === 'POST') {
      const form = new URLSearchParams(r.body);
      if (form.get('client_id') !== f.clientId || form.get('client_secret') !== f.clientSecret) return { status: 400, body: { error: 'invalid_client' } };
      if (form.get('grant_type') === 'authorization_code') {
        const code = form.get('code') ?? '';
        if (!codes.delete(code)) return { status: 400, body: { error: 'invalid_grant' } };
        return issue();
      }
      if (form.get('grant_type') === 'refresh_token') {
        const t = refresh.get(form.get('refresh_token') ?? '');
        if (!t) return { status: 400, body: { error: 'invalid_grant' } };
        if (t.used) { f.reusedRefreshTokens++; return { status: 400, body: { error: 'invalid_grant', error_description: 'refresh token already used' } }; }
        if (clock.now() - lastIssue < 570_000) { f.earlyRefreshes++; return { status: 400, body: { error: 'invalid_request', error_description: 'access token not expired yet' } }; }
        t.used = true;
        f.refreshes++;
        return issue();
      }
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const tok = /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1];
    const issued = tok ? access.get(tok) : undefined;
    if (issued === undefined) return { status: 401, body: { error: { message: { value: 'Unauthorized' } } } };
    if (clock.now() - issued >= 600_000) { f.expiredTokenCalls++; return { status: 401, body: { error: { message: { value: 'Access token expired' } } } }; }
    const overMinute = minute.hit();
    f.usedToday++;
    const headers = {
      'X-RateLimit-Limit': String(f.dailyLimit), 'X-RateLimit-Remaining': String(Math.max(0, f.dailyLimit - f.usedToday)), 'X-RateLimit-Reset': String(nextMidnight()),
      'X-RateLimit-Minutely-Limit': '60', 'X-RateLimit-Minutely-Remaining': String(minute.remaining()),
    };
    if (f.usedToday > f.dailyLimit) { f.dailyRefusals++; return { status: 429, headers, body: { error: { message: { value: 'API daily limit exceeded' } } } }; }
    if (overMinute) { f.rateLimited++; return { status: 429, headers: { ...headers, 'X-RateLimit-Minutely-Reset': String(clock.now() + 60_000) }, body: { error: { message: { value: 'API minutely limit exceeded' } } } }; }
    if (r.path === '/api/v1/current/Me') return { status: 200, headers, body: { d: { results: [{ CurrentDivision: Number(f.division), FullName: 'J. de Boer' }] } } };
    const m = new RegExp(`^/api/v1/${f.division}/sync/(CRM/Accounts|Cashflow/PaymentTerms|Deleted)$`).exec(r.path);
    if (!m) return { status: 404, headers, body: { error: { message: { value: 'Not found' } } } };
    const filter = r.query.get('$filter') ?? '';
    const gt = /^Timestamp gt (\d+)L$/.exec(filter);
    if (!gt) return { status: 400, headers, body: { error: { message: { value: 'Mandatory filter on Timestamp' } } } };
    const from = Number(gt[1]);
    const all = (m[1] === 'CRM/Accounts' ? [...f.accounts.values()] : m[1] === 'Deleted' ? f.deleted : [...f.terms.values()]) as { Timestamp: number }[];
    const rows = all.filter((x) => x.Timestamp > from).sort((a, b) => a.Timestamp - b.Timestamp);
    const pageRows = rows.slice(0, f.pageSize);
    const select = r.query.get('$select');
    const next = rows.length > f.pageSize ? `${f.url}${r.path}?$filter=${encodeURIComponent(`Timestamp gt ${pageRows.at(-1)!.Timestamp}L`)}${select ? `&$select=${select}` : ''}` : undefined;
    const shaped = pageRows.map((x) => ({ ...x, ...('InvoiceDate' in x ? { InvoiceDate: `/Date(${Date.parse(String((x as ExactTerm).InvoiceDate))})/`, DueDate: `/Date(${Date.parse(String((x as ExactTerm).DueDate))})/` } : {}) }));
    return { status: 200, headers, body: { d: { results: shaped, ...(next ? { __next: next } : {}) } } };
  };
  const server = await startServer(handle);
  Object.assign(f, {
    url: server.url, close: server.close,
    addAccount(i: number) {
      const a: ExactAccount = { ID: guid(100000 + i), Code: String(20000 + i).padStart(18, ' '), Name: `Relatie ${i} B.V.`, Email: `admin@relatie${i}.nl`, ChamberOfCommerce: String(30000000 + i), VATNumber: '', AddressLine1: `Kade ${i}`, Postcode: '3011 AA', City: 'Rotterdam', Country: 'NL', Timestamp: ++ts };
      f.accounts.set(a.ID, a);
      return a;
    },
    addTerm(a: ExactAccount, i: number, o: Partial<ExactTerm> = {}) {
      const t: ExactTerm = { ID: guid(500000 + i), Account: a.ID, InvoiceNumber: 26000000 + i, InvoiceDate: '2026-10-01', DueDate: '2026-10-31', AmountDC: 250 + i / 100, Currency: 'EUR', Description: `Onderhoud ${i}`, PaymentReference: '', Status: 20, TransactionType: 20, Timestamp: ++ts, ...o };
      f.terms.set(t.ID, t);
      return t;
    },
    change(t: ExactTerm, o: Partial<ExactTerm>) { Object.assign(t, o, { Timestamp: ++ts }); },
    remove(t: ExactTerm) { f.terms.delete(t.ID); f.deleted.push({ EntityKey: t.ID, EntityType: 1, Timestamp: ++ts }); },
    newDay() { f.usedToday = 0; },
    issueCode() { const c = `code-${++n}`; codes.add(c); return c; },
  });
  return f;
}
