/**
 * The queue is fair between administrations: a large backlog of one never makes another wait for
 * all of it (#19: no administration starved by a large one), on both engines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { claimJob, completeJob, enqueue, failJob } from '../../src/jobs/queue.ts';

describe.each(ENGINES)('fair job queue (%s)', (engine) => {
  let db: TestDb;
  afterEach(async () => db?.drop());

  const adminOf = (j: { payload: Record<string, unknown> } | null) => (j ? String(j.payload.administrationId ?? '-') : null);

  it('lets administrations take turns however many jobs one of them queued first', async () => {
    db = await testDb(engine);
    for (let i = 0; i < 20; i++) await enqueue(db, 'q', { administrationId: 1, i });
    await enqueue(db, 'q', { administrationId: 2, i: 0 });
    await enqueue(db, 'q', { administrationId: 2, i: 1 });
    await enqueue(db, 'q', { i: 'maintenance' });
    const order: string[] = [];
    for (;;) {
      const j = await claimJob(db, ['q'], 'w');
      if (!j) break;
      order.push(`${adminOf(j)}:${j.payload.i}`);
      await completeJob(db, j.id, null);
    }
    expect(order).toHaveLength(23);
    // each group's first job, in the order they were queued; then the second of each; then the rest of 1
    expect(order.slice(0, 5)).toEqual(['1:0', '2:0', '-:maintenance', '1:1', '2:1']);
    expect(order.slice(5)).toEqual(Array.from({ length: 18 }, (_, i) => `1:${i + 2}`));
  });

  it('gives a second worker another administration while the first is busy with one', async () => {
    db = await testDb(engine);
    for (let i = 0; i < 5; i++) await enqueue(db, 'q', { administrationId: 7, i });
    await enqueue(db, 'q', { administrationId: 8, i: 0 });
    await enqueue(db, 'q', { administrationId: 8, i: 1 });
    const first = await claimJob(db, ['q'], 'w1');
    expect(adminOf(first)).toBe('7');
    // administration 7 has a job running: its next job counts as its second turn
    const second = await claimJob(db, ['q'], 'w2');
    expect(adminOf(second)).toBe('8');
    const third = await claimJob(db, ['q'], 'w3');
    expect(adminOf(third)).toBe('7');
    expect(new Set([first!.id, second!.id, third!.id]).size).toBe(3);
  });

  it('never claims a job twice and takes back a failed one later, not at once', async () => {
    db = await testDb(engine);
    await enqueue(db, 'q', { administrationId: 1 }, { maxAttempts: 2 });
    const j = await claimJob(db, ['q'], 'w');
    expect(j).not.toBeNull();
    expect(await claimJob(db, ['q'], 'w2')).toBeNull();
    await failJob(db, j!, 'boom');
    // retried after a backoff (run_at in the future), so nothing is claimable now
    expect(await claimJob(db, ['q'], 'w2')).toBeNull();
    const [row] = await db.query<{ status: string; last_error: string }>('SELECT status, last_error FROM jobs WHERE id = $1', [j!.id]);
    expect(row).toEqual({ status: 'queued', last_error: 'boom' });
  });
});
