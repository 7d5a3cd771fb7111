/**
 * The jobs and the dunning gate: a connection syncs as a job (and once an hour by the scheduler);
 * a dunning run syncs first, so it never chases an item paid in the package since the last sync;
 * package data that never synced, is too old, or waits for a decision blocks the run.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../../support/db.ts';
import { startMoneybird, type MoneybirdFake } from '../../support/fakes/moneybird.ts';
import { insertAdministration, type Administration } from '../../../src/store/administrations.ts';
import { connect, pauseConnection } from '../../../src/app/connectors/connections.ts';
import { buildConnector } from '../../../src/connectors/registry.ts';
import { previewRun } from '../../../src/app/dunning.ts';
import { matchSettingsOf } from '../../../src/app/bank.ts';
import { claimJob, completeJob } from '../../../src/jobs/queue.ts';
import { DEFAULT_HANDLERS, scheduleDue } from '../../../src/jobs/worker.ts';
import { getItemByNumber } from '../../../src/store/items.ts';
import { withAdministration } from '../../../src/store/tenant.ts';

process.env.VORDER_SECRET_KEY ??= 'a'.repeat(64);
const AS_OF = '2026-12-04';

describe.each(ENGINES)('package data and the dunning run on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let mb: MoneybirdFake;
  let connId: number;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    mb = await startMoneybird({ now: () => Date.now() });
    const contact = mb.addContact(1);
    for (let i = 1; i <= 3; i++) mb.addInvoice(contact, i);
    admin = await insertAdministration(db, { name: `GATE ${Math.random()}`, iban: 'NL91ABNA0417164300', addressLine: 'Weg 1', postalCode: '1000 AA', city: 'Amsterdam', settings: { packageOwnsPayments: true } });
    connId = (await connect(db, admin, { vendor: 'moneybird', baseUrl: mb.url, externalAdmin: mb.administrationId, secret: { token: mb.token } }, buildConnector)).id;
  });
  afterEach(async () => {
    await db.query(`DELETE FROM jobs`);
    await mb.close();
  });

  const runJob = async (queue: string) => {
    const job = await claimJob(db, [queue], 'test');
    expect(job).not.toBeNull();
    const r = await DEFAULT_HANDLERS[queue]!(db, job!);
    await completeJob(db, job!.id, r);
    return r as Record<string, unknown>;
  };
  const preview = () => withAdministration(db, admin.id, (s) => previewRun(s, admin, { asOf: AS_OF }));

  it('blocks the run until the first load is done; the queued job loads it; the bank gate is off when the package owns payments', async () => {
    const before = await preview();
    expect(before.blocked?.reason).toBe('stale_package_data');
    expect(before.blocks.map((b) => b.reason)).toEqual(['stale_package_data']); // no bank statement, but the package matches the bank
    expect(matchSettingsOf(admin).autoBookThreshold).toBe(Number.POSITIVE_INFINITY);
    expect(await runJob('connector-sync')).toMatchObject({ status: 'done', counts: { itemsCreated: 3 } });
    const after = await preview();
    expect(after.blocked).toBeNull();
    expect(after.messages.flatMap((m) => m.items.map((i) => i.number)).sort()).toEqual(['2026-0001', '2026-0002', '2026-0003']);
  });

  it('a dunning run syncs first: an invoice paid in the package since the last sync is not chased', async () => {
    await runJob('connector-sync');
    mb.pay([...mb.invoices.values()][0]!.id);
    await db.query(`INSERT INTO jobs (queue, payload) VALUES ('dunning-run', $1)`, [JSON.stringify({ administrationId: admin.id, asOf: AS_OF, send: true })]);
    const r = await runJob('dunning-run');
    expect(r.blocked).toBeNull();
    expect(await withAdministration(db, admin.id, (s) => getItemByNumber(s, admin.id, '2026-0001'))).toMatchObject({ openCents: 0 });
    const actions = await withAdministration(db, admin.id, (s) => s.query<{ item_ids: number[] }>('SELECT item_ids FROM dunning_actions WHERE administration_id = $1', [admin.id]));
    const paid = (await withAdministration(db, admin.id, (s) => getItemByNumber(s, admin.id, '2026-0001')))!.id;
    expect(actions.flatMap((a) => a.item_ids.map(Number))).not.toContain(paid);
  });

  it('old package data or a refused snapshot blocks; a paused connection does not', async () => {
    await runJob('connector-sync');
    await withAdministration(db, admin.id, (s) => s.query(`UPDATE connections SET last_success_at = now() - interval '30 hours' WHERE id = $1`, [connId]));
    const old = await preview();
    expect(old.blocked?.message.en).toMatch(/from Moneybird is 30 hours old \(at most 24\)/);
    await withAdministration(db, admin.id, (s) => s.query(`UPDATE connections SET last_success_at = now(), review = '{"closing": 9}' WHERE id = $1`, [connId]));
    expect((await preview()).blocked?.message.en).toMatch(/waits for a decision/);
    await pauseConnection(db, admin, connId, true);
    expect((await preview()).blocked).toBeNull();
  });

  it('the scheduler queues one sync per connection and hour', async () => {
    await db.query(`DELETE FROM jobs`);
    const t = new Date('2026-12-04T10:05:00Z');
    await scheduleDue(db, t);
    await scheduleDue(db, new Date('2026-12-04T10:45:00Z'));
    await scheduleDue(db, new Date('2026-12-04T11:01:00Z'));
    const jobs = await db.query<{ singleton_key: string }>(`SELECT singleton_key FROM jobs WHERE queue = 'connector-sync' AND singleton_key LIKE $1 ORDER BY id`, [`connector-sync:${connId}:%`]);
    expect(jobs.map((j) => j.singleton_key)).toEqual([`connector-sync:${connId}:2026-12-04T10`, `connector-sync:${connId}:2026-12-04T11`]);
  });
});
