/**
 * A local fake of the Mollie endpoints Vorder uses, written from Mollie's API reference
 * (docs.mollie.com, Payments API v2): POST /v2/payments, GET /v2/payments/{id}, POST/GET
 * /v2/payments/{id}/refunds, GET /v2/payments/{id}/chargebacks, and the webhook call Mollie makes
 * (POST webhookUrl, form body `id=tr_…`, nothing else). Responses are HAL JSON like Mollie's:
 * amounts as `{ currency, value: "10.00" }`, errors as `{ status, title, detail, field?, _links }`.
 * Payments belong to the account of the API key that made them: another key gets 404, as on
 * Mollie. A checkout page (/checkout/{id}) lets a browser test pay, fail, cancel or let expire.
 * Test controls: `settle(id, status)`, `chargeback(id, cents)`, `refund(id, cents)`, `webhook(id)`.
 *
 * The official client talks HTTPS only (its own https.Agent with its own CA bundle), so the API
 * is served over HTTPS with a self-signed certificate made here with openssl, and the test process
 * that uses the fake sets NODE_TLS_REJECT_UNAUTHORIZED=0 (`start()` does it: test processes only).
 * The checkout page for the browser is plain HTTP on a second port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

export type FakeStatus = 'open' | 'pending' | 'authorized' | 'paid' | 'canceled' | 'expired' | 'failed';
export type FakePayment = {
  id: string; account: string; mode: 'test' | 'live'; createdAt: string; amountCents: number; currency: string; description: string; redirectUrl: string; webhookUrl: string | null;
  metadata: unknown; locale: string | null; status: FakeStatus; paidAt: string | null; refundedCents: number; chargedBackCents: number; refunds: { id: string; cents: number; createdAt: string }[]; chargebacks: { id: string; cents: number; createdAt: string }[];
};
export type Delivery = (url: string, body: string) => Promise<number>;

const value = (cents: number) => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
const rid = (prefix: string) => `${prefix}_${randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10)}`;

export class MollieFake {
  readonly payments = new Map<string, FakePayment>();
  /** Every webhook call made: [payment id, HTTP status answered]. */
  readonly webhookCalls: [string, number][] = [];
  /** Every API request: "METHOD path". */
  readonly requests: string[] = [];
  /** How the webhook reaches Vorder (default: a real HTTP POST); tests may call the app in-process. */
  deliver: Delivery = async (url, body) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status;
  /** The next POST /v2/payments answers this error instead (failure injection). */
  failNextCreate: { status: number; title: string; detail: string } | null = null;
  private servers: Server[] = [];
  /** The checkout pages (plain HTTP, for the browser). */
  base = '';
  /** The API (HTTPS). */
  apiBase = '';

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res).catch((e) => this.send(res, 500, { status: 500, title: 'Internal Server Error', detail: String(e) }));
    const dir = '.vorder-test';
    mkdirSync(dir, { recursive: true });
    const key = `${dir}/mollie-fake-key.pem`, cert = `${dir}/mollie-fake-cert.pem`;
    if (!existsSync(cert)) execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-days', '3650', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const api = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, handler);
    const web = createServer(handler);
    for (const s of [api, web]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    this.servers = [api, web];
    this.apiBase = `https://127.0.0.1:${(api.address() as { port: number }).port}`;
    this.base = `http://127.0.0.1:${(web.address() as { port: number }).port}`;
    return this;
  }
  /** The apiEndpoint for @mollie/api-client. */
  get apiEndpoint(): string {
    return `${this.apiBase}/v2/`;
  }
  async close(): Promise<void> {
    for (const s of this.servers) await new Promise<void>((r) => s.close(() => r()));
  }

  private send(res: ServerResponse, status: number, body: unknown, type = 'application/hal+json'): void {
    res.writeHead(status, { 'content-type': type === 'text/html' ? 'text/html; charset=utf-8' : type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }
  private error(res: ServerResponse, status: number, title: string, detail: string, field?: string): void {
    this.send(res, status, { status, title, detail, ...(field ? { field } : {}), _links: { documentation: { href: 'https://docs.mollie.com/overview/handling-errors', type: 'text/html' } } });
  }

  json(p: FakePayment): Record<string, unknown> {
    const self = `${this.apiBase}/v2/payments/${p.id}`;
    const remaining = p.status === 'paid' ? p.amountCents - p.refundedCents - p.chargedBackCents : 0;
    return {
      resource: 'payment', id: p.id, mode: p.mode, createdAt: p.createdAt, amount: { currency: p.currency, value: value(p.amountCents) }, description: p.description,
      method: p.status === 'paid' ? 'ideal' : null, metadata: p.metadata, status: p.status, isCancelable: p.status === 'open',
      ...(p.status === 'open' ? { expiresAt: new Date(Date.parse(p.createdAt) + 15 * 60_000).toISOString() } : {}),
      ...(p.paidAt ? { paidAt: p.paidAt, amountRefunded: { currency: p.currency, value: value(p.refundedCents) }, amountRemaining: { currency: p.currency, value: value(remaining) }, settlementAmount: { currency: p.currency, value: value(p.amountCents) } } : {}),
      ...(p.chargedBackCents ? { amountChargedBack: { currency: p.currency, value: value(p.chargedBackCents) } } : {}),
      ...(p.status === 'expired' ? { expiredAt: new Date().toISOString() } : {}), ...(p.status === 'failed' ? { failedAt: new Date().toISOString() } : {}), ...(p.status === 'canceled' ? { canceledAt: new Date().toISOString() } : {}),
      profileId: 'pfl_fake12345', sequenceType: 'oneoff', redirectUrl: p.redirectUrl, webhookUrl: p.webhookUrl, locale: p.locale,
      _links: {
        self: { href: self, type: 'application/hal+json' },
        ...(p.status === 'open' ? { checkout: { href: `${this.base}/checkout/${p.id}`, type: 'text/html' } } : {}),
        dashboard: { href: `https://my.mollie.com/dashboard/payments/${p.id}`, type: 'text/html' },
        ...(p.refunds.length ? { refunds: { href: `${self}/refunds`, type: 'application/hal+json' } } : {}),
        ...(p.chargebacks.length ? { chargebacks: { href: `${self}/chargebacks`, type: 'application/hal+json' } } : {}),
        documentation: { href: 'https://docs.mollie.com/reference/get-payment', type: 'text/html' },
      },
    };
  }

  private async body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const method = req.method ?? 'GET';
    // the checkout page: what the payer sees at Mollie
    const co = /^\/checkout\/(tr_\w+)$/.exec(url.pathname);
    if (co) {
      const p = this.payments.get(co[1]!);
      if (!p) return this.send(res, 404, '<!doctype html><title>Not found</title><p>Unknown payment</p>', 'text/html');
      if (method === 'POST') {
        const status = new URLSearchParams(await this.body(req)).get('status') as FakeStatus;
        if (p.status === 'open') this.settle(p.id, ['paid', 'failed', 'canceled', 'expired'].includes(status) ? status : 'failed');
        await this.webhook(p.id);
        res.writeHead(303, { location: p.redirectUrl });
        return void res.end();
      }
      const buttons = (['paid', 'failed', 'canceled', 'expired'] as const).map((s) => `<button name="status" value="${s}">${s}</button>`).join(' ');
      return this.send(res, 200, `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width"><title>Mollie checkout (fake)</title></head><body><main><h1>Pay € ${value(p.amountCents)}</h1><p>${p.description.replace(/[<>&]/g, '')}</p><form method="post">${buttons}</form></main></body></html>`, 'text/html');
    }
    this.requests.push(`${method} ${url.pathname}`);
    const auth = req.headers.authorization ?? '';
    const key = /^Bearer ((test|live)_\w{20,})$/.exec(auth);
    if (!key) return this.error(res, 401, 'Unauthorized Request', 'Missing authentication, or failed to authenticate');
    const account = key[1]!;
    const mode = key[2] as 'test' | 'live';
    if (method === 'POST' && url.pathname === '/v2/payments') {
      if (this.failNextCreate) {
        const f = this.failNextCreate;
        this.failNextCreate = null;
        return this.error(res, f.status, f.title, f.detail);
      }
      let b: { amount?: { currency?: string; value?: string }; description?: string; redirectUrl?: string; webhookUrl?: string; metadata?: unknown; locale?: string };
      try {
        b = JSON.parse(await this.body(req));
      } catch {
        return this.error(res, 400, 'Bad Request', 'The JSON in the request body could not be parsed');
      }
      if (!b.amount || typeof b.amount.value !== 'string' || !/^\d+\.\d{2}$/.test(b.amount.value)) return this.error(res, 422, 'Unprocessable Entity', 'The amount is required and must be a string with two decimals', 'amount.value');
      if (b.amount.currency !== 'EUR') return this.error(res, 422, 'Unprocessable Entity', 'The currency is not supported', 'amount.currency');
      const cents = Math.round(Number(b.amount.value) * 100);
      if (cents < 1) return this.error(res, 422, 'Unprocessable Entity', 'The amount is lower than the minimum', 'amount.value');
      if (!b.description) return this.error(res, 422, 'Unprocessable Entity', 'The description is invalid', 'description');
      if (!b.redirectUrl) return this.error(res, 422, 'Unprocessable Entity', 'The redirect URL is required', 'redirectUrl');
      const p: FakePayment = {
        id: rid('tr'), account, mode, createdAt: new Date().toISOString(), amountCents: cents, currency: 'EUR', description: b.description, redirectUrl: b.redirectUrl, webhookUrl: b.webhookUrl ?? null,
        metadata: b.metadata ?? null, locale: b.locale ?? null, status: 'open', paidAt: null, refundedCents: 0, chargedBackCents: 0, refunds: [], chargebacks: [],
      };
      this.payments.set(p.id, p);
      return this.send(res, 201, this.json(p));
    }
    const m = /^\/v2\/payments\/([^/]+)(\/refunds|\/chargebacks)?$/.exec(url.pathname);
    if (m) {
      const p = this.payments.get(m[1]!);
      // a payment of another account does not exist for this key
      if (!p || p.account !== account) return this.error(res, 404, 'Not Found', `No payment exists with token ${m[1]}.`);
      if (!m[2] && method === 'GET') return this.send(res, 200, this.json(p));
      if (m[2] === '/refunds' && method === 'POST') {
        const b = JSON.parse((await this.body(req)) || '{}') as { amount?: { value?: string } };
        const cents = b.amount?.value ? Math.round(Number(b.amount.value) * 100) : p.amountCents - p.refundedCents;
        if (p.status !== 'paid') return this.error(res, 422, 'Unprocessable Entity', 'The payment cannot be refunded', 'amount');
        if (cents > p.amountCents - p.refundedCents - p.chargedBackCents) return this.error(res, 422, 'Unprocessable Entity', 'The amount is higher than the remaining amount', 'amount.value');
        const r = this.refund(p.id, cents);
        return this.send(res, 201, { resource: 'refund', id: r.id, amount: { currency: 'EUR', value: value(cents) }, status: 'pending', createdAt: r.createdAt, paymentId: p.id });
      }
      if (m[2] && method === 'GET') {
        const list = m[2] === '/refunds' ? p.refunds.map((r) => ({ resource: 'refund', id: r.id, amount: { currency: 'EUR', value: value(r.cents) }, status: 'refunded', createdAt: r.createdAt, paymentId: p.id }))
          : p.chargebacks.map((c) => ({ resource: 'chargeback', id: c.id, amount: { currency: 'EUR', value: value(c.cents) }, createdAt: c.createdAt, paymentId: p.id }));
        const name = m[2] === '/refunds' ? 'refunds' : 'chargebacks';
        return this.send(res, 200, { count: list.length, _embedded: { [name]: list }, _links: { self: { href: `${this.base}${url.pathname}`, type: 'application/hal+json' }, previous: null, next: null, documentation: { href: 'https://docs.mollie.com', type: 'text/html' } } });
      }
    }
    return this.error(res, 404, 'Not Found', `The resource ${url.pathname} does not exist`);
  }

  // ---- test controls (what the payer, the bank or Mollie does)

  settle(id: string, status: FakeStatus): void {
    const p = this.payments.get(id)!;
    p.status = status;
    if (status === 'paid') p.paidAt = new Date().toISOString();
  }
  refund(id: string, cents: number): { id: string; createdAt: string } {
    const p = this.payments.get(id)!;
    const r = { id: rid('re'), cents, createdAt: new Date().toISOString() };
    p.refunds.push(r);
    p.refundedCents += cents;
    return r;
  }
  chargeback(id: string, cents: number): void {
    const p = this.payments.get(id)!;
    p.chargebacks.push({ id: rid('chb'), cents, createdAt: new Date().toISOString() });
    p.chargedBackCents += cents;
  }
  /** Mollie calls the webhook: POST webhookUrl with `id=tr_…`. */
  async webhook(id: string): Promise<number> {
    const p = this.payments.get(id)!;
    if (!p.webhookUrl) return 0;
    const status = await this.deliver(p.webhookUrl, `id=${encodeURIComponent(id)}`);
    this.webhookCalls.push([id, status]);
    return status;
  }
  /** The last payment made. */
  last(): FakePayment {
    return [...this.payments.values()].at(-1)!;
  }
}

export async function startMollieFake(): Promise<MollieFake> {
  return new MollieFake().start();
}
