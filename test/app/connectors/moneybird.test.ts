/**
 * Moneybird end to end against a local fake: connect, first full load, incremental syncs (paid,
 * changed, new, deleted), the 20 % guard, 429s, the 150-per-5-minutes bucket on a virtual clock,
 * an expired token, and a failure half-way that the next run resumes.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../../support/db.ts';
import { startMoneybird, type MoneybirdFake } from '../../support/fakes/moneybird.ts';
import { virtualClock, type VirtualClock } from '../../support/fakes/common.ts';
import { insertAdministration, type Administration } from '../../../src/store/administrations.ts';
import { connect, decideReview, runSync, listConnectionViews } from '../../../src/app/connectors/connections.ts';
import { buildConnector } from '../../../src/connectors/registry.ts';
import { getItemByNumber } from '../../../src/store/items.ts';
import { withAdministration } from '../../../src/store/tenant.ts';

process.env.VORDER_SECRET_KEY ??= 'a'.repeat(64);

describe.each(ENGINES)('Moneybird connector on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let mb: MoneybirdFake;
  let clock: VirtualClock;
  let connId: number;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    clock = virtualClock();
    mb = await startMoneybird(clock);
    admin = await insertAdministration(db, { name: `MB ${Math.random()}` });
  });
  afterEach(async () => mb.close());

  const item = (n: string) => withAdministration(db, admin.id, (s) => getItemByNumber(s, admin.id, n));
  const sync = () => runSync(db, admin.id, connId, buildConnector, { clock });
  const seed = (contacts: number, perContact: number) => {
    let n = 0;
    for (let c = 0; c < contacts; c++) {
      const contact = mb.addContact(c);
      for (let i = 0; i < perContact; i++) mb.addInvoice(contact, ++n);
    }
  };
  const connectIt = async (opts: { maxCloseShare?: number } = {}) => {
    const v = await connect(db, admin, { vendor: 'moneybird', baseUrl: mb.url, externalAdmin: mb.administrationId, secret: { token: mb.token }, ...opts }, buildConnector);
    connId = v.id;
    return v;
  };

  it('connects after testing the token, stores it sealed and never shows it', async () => {
    const v = await connectIt();
    expect(v).toMatchObject({ vendor: 'moneybird', status: 'active', phase: 'initial', hasSecret: true });
    expect(JSON.stringify(v)).not.toContain(mb.token);
    const [row] = await withAdministration(db, admin.id, (s) => s.query<{ secret: string }>('SELECT secret FROM connections WHERE id = $1', [connId]));
    expect(row!.secret.startsWith('v1:')).toBe(true);
    expect(row!.secret).not.toContain(mb.token);
    await expect(connect(db, admin, { vendor: 'moneybird', baseUrl: mb.url, externalAdmin: mb.administrationId, secret: { token: 'wrong' } }, buildConnector)).rejects.toThrow(/refused/);
    await expect(connect(db, admin, { vendor: 'moneybird', baseUrl: mb.url, externalAdmin: '999', secret: { token: mb.token } }, buildConnector)).rejects.toThrow(/no access to administration 999/);
  });

  it('loads everything open first, then follows payments, changes, new and deleted invoices', async () => {
    seed(30, 5); // 150 invoices: two POST batches
    const contact = [...mb.contacts.values()][0]!;
    mb.addInvoice(contact, 900, { state: 'draft', invoice_id: null });
    mb.addInvoice(contact, 901, { state: 'paid', total_unpaid: '0.0' });
    mb.addInvoice(contact, 902, { total_price_incl_tax: '200.00', total_unpaid: '50.00', state: 'late' });
    await connectIt();
    const first = await sync();
    expect(first.status).toBe('done');
    expect(first.counts).toEqual({ debtorsCreated: 30, itemsCreated: 151 }); // the paid one and the draft are never fetched
    expect(await item('2026-0001')).toMatchObject({ amountCents: 10150, openCents: 10150, source: 'moneybird', debtorNumber: '1000', dueDate: '2026-10-31' });
    expect(await item('2026-0902')).toMatchObject({ amountCents: 20000, openCents: 5000 });
    expect(await item('2026-0901')).toBeNull();
    const [c] = await listConnectionViews(db, admin);
    expect(c).toMatchObject({ phase: 'incremental', lastError: null });

    // incremental: one paid, one changed, one new, one deleted
    const invs = [...mb.invoices.values()];
    mb.pay(invs[0]!.id);
    mb.touch(invs[1]!, { due_date: '2026-11-15', total_price_incl_tax: '999.99', total_unpaid: '999.99' });
    mb.addInvoice(contact, 903);
    mb.invoices.delete(invs[2]!.id);
    const before = mb.log.length;
    const second = await sync();
    expect(second.status).toBe('done');
    expect(second.counts).toMatchObject({ settled: 1, itemsUpdated: 1, itemsCreated: 1, gone: 1, closed: 1 });
    // the delta fetched only what changed or left the open list, not all 150 again
    const posted = mb.log.slice(before).filter((l) => l.method === 'POST' && l.path.includes('sales_invoices')).flatMap((l) => l.ids ?? []);
    expect(posted.sort()).toEqual([invs[0]!.id, invs[1]!.id, invs[2]!.id, [...mb.invoices.values()].at(-1)!.id].sort());
    expect(await item('2026-0001')).toMatchObject({ openCents: 0 });
    expect(await item('2026-0002')).toMatchObject({ amountCents: 99999, openCents: 99999, dueDate: '2026-11-15' });
    expect(await item('2026-0903')).toMatchObject({ openCents: 100350 });
    expect(await item('2026-0003')).toMatchObject({ openCents: 0 });
    const rows = await withAdministration(db, admin.id, (s) => s.query<{ source: string; note: string }>(`SELECT b.source, b.note FROM bookings b JOIN allocations a ON a.booking_id = b.id JOIN items i ON i.id = a.item_id WHERE i.number = '2026-0001'`));
    expect(rows).toEqual([{ source: 'moneybird', note: '2026-0001: betaald in Moneybird' }]);
    const events = await withAdministration(db, admin.id, (s) => s.query<{ kind: string }>(`SELECT e.kind FROM events e JOIN items i ON i.id = e.item_id WHERE i.number IN ('2026-0001', '2026-0002', '2026-0003') ORDER BY e.id`));
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['item_settled_by_package', 'item_updated', 'item_closed_by_package']));
    // a third sync with nothing new fetches nothing
    const third = await sync();
    expect(third.counts).toEqual({});
  });

  it('refuses a sync that would close more than 20 % of the open items, until a person decides', async () => {
    seed(5, 4);
    await connectIt();
    await sync();
    for (const inv of [...mb.invoices.values()].slice(0, 6)) mb.invoices.delete(inv.id); // 6 of 20 = 30 %
    const r = await sync();
    expect(r.status).toBe('refused');
    expect(r.counts.refusedCloses).toBe(6);
    expect(await item('2026-0001')).toMatchObject({ openCents: 10150 });
    const [c] = await listConnectionViews(db, admin);
    expect(c!.review).toMatchObject({ closing: 6, open: 20 });
    expect(c!.lastError).toMatch(/would close 6 of 20/);
    const d = await decideReview(db, admin, connId, true, 'piet');
    expect(d.closed).toBe(6);
    expect(await item('2026-0001')).toMatchObject({ openCents: 0 });
    const [after] = await listConnectionViews(db, admin);
    expect(after!.review).toBeNull();
  });

  it('keeps to 150 requests per 5 minutes and waits out a 429', async () => {
    seed(3, 2);
    await connectIt();
    // 148 of the 150 calls of the last 5 minutes are used already: the client must wait instead of being refused
    await withAdministration(db, admin.id, (s) => s.query(`UPDATE connections SET rate_state = $2 WHERE id = $1`, [connId, JSON.stringify({ recent: Array.from({ length: 148 }, (_, i) => clock.now() - 290_000 + i * 2000), day: null, usedToday: 0 })]));
    mb.throttleNext = 1;
    const r = await sync();
    expect(r.status).toBe('done');
    expect(mb.rateLimited).toBe(1); // only the forced one: the bucket itself never ran into the limit
    expect(clock.slept).toBeGreaterThanOrEqual(2 * 2000); // the window frees a call every 2 s, plus the Retry-After
  });

  it('an expired token stops the sync and marks the connection for a new token', async () => {
    seed(1, 1);
    await connectIt();
    mb.expired = true;
    const r = await sync();
    expect(r.status).toBe('failed');
    const [c] = await listConnectionViews(db, admin);
    expect(c).toMatchObject({ status: 'error' });
    expect(c!.lastError).toMatch(/refused the token/);
  });

  it('a failure half-way keeps what was applied and the next run resumes after the last page', async () => {
    seed(10, 25); // 250 invoices: three POST batches
    await connectIt();
    // requests: 1 contacts list, 1 contacts fetch, 1 invoices list, 3 invoice batches: the 2nd batch fails (and its 5 retries)
    for (let i = 5; i <= 10; i++) mb.failRequests.add(mb.requests + i);
    const r = await sync();
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/HTTP 500/);
    expect(await item('2026-0001')).not.toBeNull(); // first batch applied
    expect(await item('2026-0250')).toBeNull();
    const firstBatch = mb.log.find((l) => l.method === 'POST' && l.path.includes('sales_invoices'))!.ids!;
    const before = mb.log.length;
    const again = await sync();
    expect(again.status).toBe('done');
    const refetched = mb.log.slice(before).filter((l) => l.method === 'POST').flatMap((l) => l.ids ?? []);
    expect(refetched.some((id) => firstBatch.includes(id))).toBe(false);
    expect(mb.log.slice(before).some((l) => l.method === 'GET')).toBe(false); // resumed, not restarted
    const [n] = await withAdministration(db, admin.id, (s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE administration_id = $1', [admin.id]));
    expect(n!.n).toBe(250);
  });
});
