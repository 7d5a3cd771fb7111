/**
 * Yuki against a local fake of Accounting.asmx: a snapshot of the open debtor items. An item
 * missing from one snapshot is only missed; missing again on the next, it is closed. A snapshot
 * that would close more than 20 % of the open items is refused and waits for a person.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../../support/db.ts';
import { startYuki, type YukiFake } from '../../support/fakes/yuki.ts';
import { virtualClock } from '../../support/fakes/common.ts';
import { insertAdministration, type Administration } from '../../../src/store/administrations.ts';
import { connect, decideReview, listConnectionViews, runSync } from '../../../src/app/connectors/connections.ts';
import { buildConnector } from '../../../src/connectors/registry.ts';
import { getItemByNumber } from '../../../src/store/items.ts';
import { withAdministration } from '../../../src/store/tenant.ts';

process.env.VORDER_SECRET_KEY ??= 'a'.repeat(64);

describe.each(ENGINES)('Yuki connector on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let yk: YukiFake;
  let connId: number;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    yk = await startYuki();
    admin = await insertAdministration(db, { name: `YK ${Math.random()}` });
    for (let i = 1; i <= 20; i++) yk.add(i);
    const v = await connect(db, admin, { vendor: 'yuki', baseUrl: yk.url, externalAdmin: yk.administrationId, secret: { accessKey: yk.accessKey } }, buildConnector);
    connId = v.id;
  });
  afterEach(async () => yk.close());

  const item = (n: string) => withAdministration(db, admin.id, (s) => getItemByNumber(s, admin.id, n));
  const sync = () => runSync(db, admin.id, connId, buildConnector, { clock: virtualClock() });
  const ids = () => [...yk.items.keys()];

  it('refuses a wrong access key when connecting', async () => {
    await expect(connect(db, admin, { vendor: 'yuki', baseUrl: yk.url, externalAdmin: yk.administrationId, secret: { accessKey: 'nope' } }, buildConnector)).rejects.toThrow(/invalid access key/);
  });

  it('loads the snapshot, follows part payments, and closes an item only when it is missing twice', async () => {
    const first = await sync();
    expect(first.counts).toEqual({ debtorsCreated: 4, itemsCreated: 20 });
    expect(await item('V26-00001')).toMatchObject({ amountCents: 8125, openCents: 8125, dueDate: '2026-10-15', debtorNumber: 'D301', source: 'yuki' });
    const [a, b] = ids();
    yk.items.get(a!)!.open = '40.00'; // part paid
    yk.items.delete(b!); // paid (or a broken answer: Yuki cannot tell)
    const second = await sync();
    expect(second.counts).toMatchObject({ partlyPaid: 1, missedOnce: 1 });
    expect(second.counts.closed).toBeUndefined();
    expect(await item('V26-00001')).toMatchObject({ openCents: 4000 });
    expect(await item('V26-00002')).toMatchObject({ openCents: 8225 }); // missed once: still open
    const third = await sync();
    expect(third.counts).toMatchObject({ closed: 1 });
    expect(await item('V26-00002')).toMatchObject({ openCents: 0 });
    const notes = await withAdministration(db, admin.id, (s) => s.query<{ note: string; source: string }>(`SELECT b.note, b.source FROM bookings b JOIN allocations a ON a.booking_id = b.id JOIN items i ON i.id = a.item_id WHERE i.number = 'V26-00002'`));
    expect(notes).toEqual([{ note: 'V26-00002: twee keer niet meer openstaand in Yuki', source: 'yuki' }]);
  });

  it('an item that comes back after one miss stays open', async () => {
    await sync();
    const gone = yk.items.get(ids()[3]!)!;
    yk.items.delete(gone.id);
    await sync();
    yk.items.set(gone.id, gone);
    await sync();
    yk.items.delete(gone.id);
    const r = await sync(); // missed once again, not twice in a row
    expect(r.counts.closed).toBeUndefined();
    expect(await item('V26-00004')).toMatchObject({ openCents: 8425 });
  });

  it('a snapshot that lacks half the items closes nothing and waits for a person', async () => {
    await sync();
    for (const id of ids().slice(0, 10)) yk.items.delete(id);
    await sync(); // first miss of ten
    const r = await sync();
    expect(r.status).toBe('refused');
    expect(await item('V26-00001')).toMatchObject({ openCents: 8125 });
    const [c] = await listConnectionViews(db, admin);
    expect(c!.review).toMatchObject({ closing: 10, open: 20, maxShare: 0.2 });
    await decideReview(db, admin, connId, false, 'piet'); // not paid: the answer was broken
    expect(await item('V26-00001')).toMatchObject({ openCents: 8125 });
    const again = await sync(); // missed afresh: a first miss again
    expect(again.status).toBe('done');
    expect(again.counts).toMatchObject({ missedOnce: 10 });
  });

  it('gets a new session when the old one ran out', async () => {
    await sync();
    yk.expireSessions();
    yk.add(21);
    const r = await sync();
    expect(r.status).toBe('done');
    expect(await item('V26-00021')).not.toBeNull();
    expect(yk.calls.filter((c) => c === 'Authenticate').length).toBeGreaterThanOrEqual(3);
  });
});
