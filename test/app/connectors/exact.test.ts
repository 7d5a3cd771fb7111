/**
 * Exact Online against a local fake: the OAuth2 code flow through Vorder's callback, paged sync
 * endpoints followed by Timestamp, sync/Deleted, single-use refresh tokens never refreshed before
 * 570 s, 60 calls a minute on a virtual clock, and the daily limit that defers the sync.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../../support/db.ts';
import { startExact, type ExactFake } from '../../support/fakes/exact.ts';
import { virtualClock, type VirtualClock } from '../../support/fakes/common.ts';
import { insertAdministration, type Administration } from '../../../src/store/administrations.ts';
import { finishAuthorisation, listConnectionViews, runSync, startAuthorisation } from '../../../src/app/connectors/connections.ts';
import { buildConnector } from '../../../src/connectors/registry.ts';
import { getItemByNumber } from '../../../src/store/items.ts';
import { withAdministration } from '../../../src/store/tenant.ts';

process.env.VORDER_SECRET_KEY ??= 'a'.repeat(64);

describe.each(ENGINES)('Exact Online connector on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let ex: ExactFake;
  let clock: VirtualClock;
  let connId: number;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    clock = virtualClock();
    admin = await insertAdministration(db, { name: `EX ${Math.random()}` });
  });
  afterEach(async () => ex.close());

  const item = (n: string) => withAdministration(db, admin.id, (s) => getItemByNumber(s, admin.id, n));
  const sync = () => runSync(db, admin.id, connId, buildConnector, { clock });
  const authorise = async () => {
    const { connection, authorizeUrl } = await startAuthorisation(db, admin, { vendor: 'exact', baseUrl: ex.url, externalAdmin: ex.division, clientId: ex.clientId, clientSecret: ex.clientSecret, redirectUri: 'https://vorder.example.nl/api/connectors/exact/callback' }, buildConnector);
    connId = connection.id;
    return { connection, authorizeUrl };
  };

  it('authorises through the callback: the state must match, the code gives tokens that are stored sealed', async () => {
    ex = await startExact(clock);
    const { connection, authorizeUrl } = await authorise();
    expect(connection.status).toBe('pending');
    const u = new URL(authorizeUrl);
    expect(u.pathname).toBe('/api/oauth2/auth');
    expect(u.searchParams.get('client_id')).toBe(ex.clientId);
    expect(u.searchParams.get('response_type')).toBe('code');
    const state = u.searchParams.get('state')!;
    await expect(finishAuthorisation(db, state.replace(/\.[^.]+$/, '.forged'), ex.issueCode(), buildConnector, { clock })).rejects.toThrow(/not started here/);
    const done = await finishAuthorisation(db, state, ex.issueCode(), buildConnector, { clock });
    expect(done.connection.status).toBe('active');
    await expect(finishAuthorisation(db, state, ex.issueCode(), buildConnector, { clock })).rejects.toThrow(/finished already/);
    const [row] = await withAdministration(db, admin.id, (s) => s.query<{ secret: string }>('SELECT secret FROM connections WHERE id = $1', [connId]));
    expect(row!.secret).not.toMatch(/eo-(access|refresh)|vorder-client-secret/);
    const [view] = await listConnectionViews(db, admin);
    expect(JSON.stringify(view)).not.toMatch(/eo-|client-secret/);
  });

  it('loads page by page, follows Timestamps and deletions, refreshes tokens only after 570 s and keeps 60 calls a minute', async () => {
    ex = await startExact(clock, { pageSize: 3 });
    const accounts = Array.from({ length: 12 }, (_, i) => ex.addAccount(i));
    for (let i = 0; i < 180; i++) ex.addTerm(accounts[i % 12]!, i);
    ex.addTerm(accounts[0]!, 900, { TransactionType: 30 }); // a purchase entry: not a receivable
    ex.addTerm(accounts[0]!, 901, { Status: 50 }); // settled before Vorder knew it
    ex.addTerm(accounts[1]!, 902, { AmountDC: -40.5, TransactionType: 21 }); // a credit note
    const { authorizeUrl } = await authorise();
    await finishAuthorisation(db, new URL(authorizeUrl).searchParams.get('state')!, ex.issueCode(), buildConnector, { clock });
    const first = await sync();
    expect(first.error ?? '').toBe('');
    expect(first.status).toBe('done');
    expect(first.counts).toMatchObject({ debtorsCreated: 12, itemsCreated: 181, skippedSettled: 1 });
    expect(await item('26000000')).toMatchObject({ amountCents: 25000, openCents: 25000, dueDate: '2026-10-31', source: 'exact', kind: 'invoice' });
    expect(await item('26000902')).toMatchObject({ amountCents: -4050, kind: 'credit_note' });
    expect(await item('26000900')).toBeNull();
    // more than 60 calls went out (4 pages of accounts, 62 of terms, 1 deleted + Me) without one 429, and the virtual minutes passed
    expect(ex.log.filter((l) => l.startsWith('GET /api/v1/')).length).toBeGreaterThan(60);
    expect(ex.rateLimited).toBe(0);
    expect(clock.slept).toBeGreaterThanOrEqual(60_000);
    // the access token (10 minutes) was refreshed as the sync went on, never early, never with a used refresh token
    expect(ex.earlyRefreshes).toBe(0);
    expect(ex.reusedRefreshTokens).toBe(0);
    expect(ex.expiredTokenCalls).toBe(0);

    const terms = [...ex.terms.values()];
    ex.change(terms[0]!, { Status: 50 }); // paid
    ex.change(terms[1]!, { DueDate: '2026-12-01' });
    ex.remove(terms[2]!);
    const calls = ex.log.length;
    clock.sleep(11 * 60_000);
    const second = await sync();
    expect(second.status).toBe('done');
    expect(second.counts).toMatchObject({ settled: 1, itemsUpdated: 1, gone: 1, closed: 1 });
    expect(ex.log.length - calls).toBeLessThan(8); // only what changed since the Timestamps
    expect(await item('26000000')).toMatchObject({ openCents: 0 });
    expect(await item('26000001')).toMatchObject({ dueDate: '2026-12-01' });
    expect(await item('26000002')).toMatchObject({ openCents: 0 });
    expect(ex.earlyRefreshes).toBe(0);
    expect(ex.reusedRefreshTokens).toBe(0);
  });

  it('stops at the daily limit until the reset, then resumes where it stopped', async () => {
    ex = await startExact(clock, { pageSize: 2, dailyLimit: 6 });
    const a = ex.addAccount(1);
    for (let i = 0; i < 12; i++) ex.addTerm(a, i);
    const { authorizeUrl } = await authorise();
    await finishAuthorisation(db, new URL(authorizeUrl).searchParams.get('state')!, ex.issueCode(), buildConnector, { clock });
    const r = await sync();
    expect(r.status).toBe('deferred');
    expect(r.deferredUntil).toBe(new Date(Date.UTC(2026, 11, 5)).toISOString());
    expect(ex.dailyRefusals).toBeLessThanOrEqual(1);
    const applied = ex.log.length;
    expect(await item('26000000')).not.toBeNull();
    ex.newDay();
    clock.sleep(15 * 3_600_000);
    const again = await sync();
    expect(again.status).toBe('done');
    const [n] = await withAdministration(db, admin.id, (s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE administration_id = $1', [admin.id]));
    expect(n!.n).toBe(12);
    expect(ex.log.length).toBeGreaterThan(applied);
  });
});
