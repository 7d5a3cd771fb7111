import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { previewRun, sendRun } from '../../src/app/dunning.ts';
import { changeCount, compactChangeMarks, computeProposal, proposal, proposalMessages, proposalSkipped, withOverride } from '../../src/app/dunning-proposal.ts';
import { setDebtorHold } from '../../src/app/ledger.ts';
import { DEFAULT_HANDLERS } from '../../src/jobs/worker.ts';
import { claimJob, completeJob } from '../../src/jobs/queue.ts';
import type { Administration } from '../../src/store/administrations.ts';

const AS_OF = '2026-11-22';

describe.each(ENGINES)('the dunning proposal on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { addressLine: 'Industrieweg 1', postalCode: '9711 AA', city: 'Groningen' });
    const held = await aDebtor(db, admin, { name: 'Curatele B.V.' } as never);
    await anInvoice(db, admin, held, { amount: '75.00', issueDate: '2026-09-01', dueDate: '2026-10-01' });
    await setDebtorHold(db, admin, held.id, true, 'curator');
    for (let k = 0; k < 6; k++) {
      const d = await aDebtor(db, admin, { emails: [`d${k}@example.nl`] } as never);
      await anInvoice(db, admin, d, { amount: `${100 + k * 10}.00`, issueDate: '2026-09-01', dueDate: k < 4 ? '2026-10-01' : '2026-11-15' });
    }
  });
  afterAll(async () => db.drop());

  it('is the preview of the run, stored: per step, skipped per reason, paged, letters by dedupe key', async () => {
    const plan = await previewRun(db, admin, { asOf: AS_OF });
    const v = await proposal(db, admin, AS_OF);
    expect(v).toMatchObject({ status: 'ready', stale: false });
    const p = v.proposal!;
    expect(p.blocked?.reason).toBe(plan.blocked?.reason); // no bank data: blocked, the list is what would go out
    const list = plan.blocked ? plan.wouldSend : plan.messages;
    expect(p.steps.reduce((a, s) => a + s.messages, 0)).toBe(list.length);
    expect(p.steps.reduce((a, s) => a + s.totalCents, 0)).toBe(list.reduce((a, m) => a + m.totalCents, 0));
    expect(p.skipped.reduce((a, s) => a + s.entries, 0)).toBe(plan.skipped.length);
    const page = await proposalMessages(db, admin, AS_OF, { step: p.steps[0]!.key, limit: 2 });
    expect(page.total).toBe(p.steps[0]!.messages);
    expect(page.rows).toHaveLength(2);
    expect(page.rows[0]!.totalCents).toBeGreaterThanOrEqual(page.rows[1]!.totalCents); // largest first
    const skipped = await proposalSkipped(db, admin, AS_OF, {});
    expect(skipped.total).toBe(plan.skipped.length);
    expect(skipped.rows.find((r) => r.reason === 'debtor_on_hold')?.debtorName).toBe('Curatele B.V.');
    const first = (await proposalMessages(db, admin, AS_OF, { limit: 1000 })).rows.find((m) => m.dedupeKey === list[0]!.dedupeKey)!;
    expect(first).toMatchObject({ debtorId: list[0]!.debtorId, totalCents: list[0]!.totalCents, itemNumbers: list[0]!.items.map((i) => i.number) });
    // one debtor planned alone gets the very same message as in the whole run (how a letter opens from the screen)
    const alone = await previewRun(db, admin, { asOf: AS_OF, scope: { debtorIds: [Number(list[0]!.debtorId)] } });
    expect([...alone.messages, ...alone.wouldSend]).toEqual([list[0]]);
    // overriding the bank-data gate lifts the block, not the list
    expect(withOverride(p, true)).toMatchObject({ blocked: null, overridden: true, steps: p.steps });
    // unchanged data: the same stored proposal
    expect((await proposal(db, admin, AS_OF)).proposal!.computedAt).toBe(p.computedAt);
  });

  it('is outdated by any change the run reads, and a large administration gets the new one from a background job', async () => {
    const before = await proposal(db, admin, AS_OF);
    const count = await changeCount(db, admin.id);
    const [d] = await db.query<{ id: number }>('SELECT id FROM debtors WHERE administration_id = $1 AND NOT on_hold ORDER BY id LIMIT 1', [admin.id]);
    await setDebtorHold(db, admin, d!.id, true, 'curator');
    expect(await changeCount(db, admin.id)).toBeGreaterThan(count);
    // as if the administration were large: not computed while the request waits
    const v = await proposal(db, admin, AS_OF, { inlineOpenItems: 0 });
    expect(v).toMatchObject({ status: 'computing', stale: true });
    expect(v.proposal!.computedAt).toBe(before.proposal!.computedAt);
    // asking again does not queue a second job for the same state
    await proposal(db, admin, AS_OF, { inlineOpenItems: 0 });
    const [jobs] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE queue = 'dunning-proposal' AND status = 'queued'`);
    expect(jobs!.n).toBe(1);
    const job = await claimJob(db, ['dunning-proposal'], 'test');
    await completeJob(db, job!.id, await DEFAULT_HANDLERS['dunning-proposal']!(db, job!));
    const after = await proposal(db, admin, AS_OF, { inlineOpenItems: 0 });
    expect(after).toMatchObject({ status: 'ready', stale: false });
    expect(after.proposal!.skipped.find((s) => s.reason === 'debtor_on_hold')?.entries).toBe(2);
    // compacting the change marks (also nightly) keeps the count, so the proposal stays valid
    const n = await changeCount(db, admin.id);
    await compactChangeMarks(db, admin.id);
    await compactChangeMarks(db, admin.id);
    expect(await changeCount(db, admin.id)).toBe(n);
    const [rows] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM change_marks WHERE administration_id = $1', [admin.id]);
    expect(rows!.n).toBe(1);
    expect((await proposal(db, admin, AS_OF, { inlineOpenItems: 0 })).status).toBe('ready');
  });

  it('is outdated by a send (the outbox is read by the run)', async () => {
    const p = (await computeProposal(db, admin, AS_OF));
    // without a mail server the e-mail steps would be refused (nothing written): send them as letters
    const withFallback = { ...admin, settings: { ...admin.settings, mailFallbackToPaper: true } };
    const r = await sendRun(db, withFallback, { asOf: AS_OF, override: true });
    expect(r.refused).toBeNull();
    const v = await proposal(db, admin, AS_OF);
    expect(v.proposal!.computedAt).not.toBe(p.computedAt);
    expect(v.proposal!.steps.reduce((a, s) => a + s.messages, 0)).toBe(0);
  });
});
