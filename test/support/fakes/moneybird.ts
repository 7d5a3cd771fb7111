/**
 * A local Moneybird (API v2) written from developer.moneybird.com: Bearer token, administrations,
 * contacts and sales_invoices with their synchronization endpoints (GET ids + versions, POST up to
 * 100 ids), 150 requests per 5 minutes (429 with Retry-After beyond it), and switches for tests:
 * expired token, failures from the n-th request on, extra 429s.
 */
import { slidingWindow, startServer, type Req, type Res } from './common.ts';

export type MbContact = { id: string; customer_id: string; company_name: string; firstname: string; lastname: string; email: string; send_invoices_to_email: string; chamber_of_commerce: string; tax_number: string; address1: string; address2: string; zipcode: string; city: string; country: string; version: number };
export type MbInvoice = {
  id: string; administration_id: string; contact_id: string; contact?: MbContact; invoice_id: string | null; state: string; invoice_date: string; due_date: string; currency: string;
  total_price_incl_tax: string; total_unpaid: string; total_paid: string; reference: string; payment_reference: string; version: number;
};

export type MoneybirdFake = {
  url: string; token: string; administrationId: string;
  contacts: Map<string, MbContact>; invoices: Map<string, MbInvoice>;
  log: { method: string; path: string; ids?: string[]; status: number }[];
  rateLimited: number;
  /** answer 500 to every request whose number (1-based, counted from now) is in this set */
  failRequests: Set<number>;
  /** answer 429 (Retry-After: 2) to the next n requests */
  throttleNext: number;
  expired: boolean;
  requests: number;
  /** real milliseconds before each answer (the kill test needs time between pages) */
  delayMs: number;
  addContact(n: number): MbContact;
  addInvoice(contact: MbContact, n: number, opts?: Partial<MbInvoice>): MbInvoice;
  pay(id: string): void;
  touch(inv: MbInvoice, change: Partial<MbInvoice>): void;
  close(): Promise<void>;
};

let seq = 0;
const bigId = () => String(426664240000000000n + BigInt(++seq) * 1117n);

export async function startMoneybird(clock: { now(): number }, opts: { token?: string; administrationId?: string } = {}): Promise<MoneybirdFake> {
  const token = opts.token ?? 'mb-personal-token-0123456789abcdef';
  const administrationId = opts.administrationId ?? '123456789';
  const window = slidingWindow(clock, 150, 5 * 60_000);
  const fake = {
    token, administrationId, contacts: new Map(), invoices: new Map(), log: [], rateLimited: 0, failRequests: new Set<number>(), throttleNext: 0, expired: false, requests: 0, delayMs: 0,
  } as unknown as MoneybirdFake;
  const handle = (r: Req): Res => {
    fake.requests++;
    const over = window.hit();
    const rl = { 'RateLimit-Limit': '150', 'RateLimit-Remaining': String(window.remaining()) };
    if (r.headers.authorization !== `Bearer ${token}` || fake.expired) return { status: 401, body: { error: 'Token is invalid or expired', symbolic: { token: 'invalid' } } };
    if (over || fake.throttleNext > 0) {
      if (!over) fake.throttleNext--;
      fake.rateLimited++;
      return { status: 429, headers: { 'Retry-After': '2', ...rl }, body: { error: 'Too many requests' } };
    }
    if (fake.failRequests.has(fake.requests)) return { status: 500, body: { error: 'Internal server error' } };
    const base = `/api/v2/${administrationId}`;
    const ids = (): string[] => ((JSON.parse(r.body || '{}') as { ids?: unknown[] }).ids ?? []).map(String);
    if (r.method === 'GET' && r.path === '/api/v2/administrations.json') return { status: 200, body: [{ id: administrationId, name: 'Installatietechniek Jansen', language: 'nl', currency: 'EUR', country: 'NL', time_zone: 'Europe/Amsterdam' }] };
    if (r.path === `${base}/contacts/synchronization.json`) {
      if (r.method === 'GET') return { status: 200, body: [...fake.contacts.values()].map((c) => ({ id: c.id, version: c.version })) };
      const want = ids();
      if (want.length > 100) return { status: 400, body: { error: 'ids: at most 100' } };
      return { status: 200, body: want.map((id) => fake.contacts.get(id)).filter(Boolean) };
    }
    if (r.path === `${base}/sales_invoices/synchronization.json`) {
      if (r.method === 'GET') {
        const filter = r.query.get('filter') ?? '';
        const states = /state:([\w|]+)/.exec(filter)?.[1]?.split('|');
        return { status: 200, body: [...fake.invoices.values()].filter((i) => !states || states.includes(i.state)).map((i) => ({ id: i.id, version: i.version })) };
      }
      const want = ids();
      if (want.length > 100) return { status: 400, body: { error: 'ids: at most 100' } };
      return { status: 200, body: want.map((id) => fake.invoices.get(id)).filter(Boolean).map((i) => ({ ...i, contact: fake.contacts.get(i!.contact_id) })) };
    }
    return { status: 404, body: { error: 'Not found' } };
  };
  const server = await startServer(async (r) => {
    if (fake.delayMs) await new Promise((d) => setTimeout(d, fake.delayMs));
    const res = handle(r);
    let ids: string[] | undefined;
    try { ids = r.method === 'POST' ? (JSON.parse(r.body) as { ids: string[] }).ids : undefined; } catch { ids = undefined; }
    fake.log.push({ method: r.method, path: r.path, ids, status: res.status });
    return res;
  });
  Object.assign(fake, {
    url: server.url,
    close: server.close,
    addContact(n: number) {
      const c: MbContact = { id: bigId(), customer_id: String(1000 + n), company_name: `Klant ${n} B.V.`, firstname: '', lastname: '', email: `info@klant${n}.nl`, send_invoices_to_email: `facturen@klant${n}.nl`, chamber_of_commerce: String(10000000 + n), tax_number: '', address1: `Dorpsstraat ${n}`, address2: '', zipcode: '1234 AB', city: 'Utrecht', country: 'NL', version: 1700000000 + n };
      fake.contacts.set(c.id, c);
      return c;
    },
    addInvoice(contact: MbContact, n: number, o: Partial<MbInvoice> = {}) {
      const total = o.total_price_incl_tax ?? `${100 + n}.50`;
      const inv: MbInvoice = {
        id: bigId(), administration_id: administrationId, contact_id: contact.id, invoice_id: `2026-${String(n).padStart(4, '0')}`, state: 'open', invoice_date: '2026-10-01', due_date: '2026-10-31', currency: 'EUR',
        total_price_incl_tax: total, total_unpaid: total, total_paid: '0.0', reference: `Project ${n}`, payment_reference: '', version: 1700000000 + n, ...o,
      };
      fake.invoices.set(inv.id, inv);
      return inv;
    },
    pay(id: string) {
      const inv = fake.invoices.get(id)!;
      fake.touch(inv, { state: 'paid', total_unpaid: '0.0', total_paid: inv.total_price_incl_tax });
    },
    touch(inv: MbInvoice, change: Partial<MbInvoice>) {
      Object.assign(inv, change, { version: inv.version + 1000 });
    },
  });
  return fake;
}
