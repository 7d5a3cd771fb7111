import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../support/db.ts';
import { anAdministration } from '../support/builders.ts';
import { claimJob, completeJob } from '../../src/jobs/queue.ts';
import { DEFAULT_HANDLERS, scheduleDue } from '../../src/jobs/worker.ts';

describe('nightly maintenance', () => {
  let lite: TestDb;
  let server: TestDb;
  beforeAll(async () => {
    lite = await testDb('pglite');
    server = await testDb('postgres');
    await anAdministration(lite);
  });
  afterAll(async () => {
    await lite.drop();
    await server.drop();
  });

  it('vacuums the embedded engine once a night (it has no autovacuum); a server vacuums itself', async () => {
    const night = new Date('2026-11-22T02:30:00Z'); // 03:30 in Amsterdam
    await scheduleDue(lite, night);
    await scheduleDue(lite, night);
    const jobs = await lite.query<{ singleton_key: string }>(`SELECT singleton_key FROM jobs WHERE queue = 'maintenance'`);
    expect(jobs).toEqual([{ singleton_key: 'maintenance:2026-11-22' }]);
    const job = await claimJob(lite, ['maintenance'], 'test');
    const result = await DEFAULT_HANDLERS.maintenance!(lite, job!);
    await completeJob(lite, job!.id, result);
    expect(result).toMatchObject({ vacuumed: expect.arrayContaining(['items', 'debtor_totals']) });
    expect(await DEFAULT_HANDLERS.maintenance!(server, job!)).toEqual({ skipped: 'the server vacuums itself' });
  });
});
