/**
 * The second tenant wall, on both engines: row-level security on every table with
 * administration_id, applied to the role vorder_app that requests, jobs and the overview act as
 * (store/tenant.ts). On PGlite the connection is a superuser; `SET ROLE vorder_app` makes the
 * policies apply there too, which the first tests prove.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { Rollback, withAdministration } from '../../src/store/tenant.ts';
import { DEFAULT_HANDLERS } from '../../src/jobs/worker.ts';
import type { Job } from '../../src/store/jobs.ts';

describe.each(ENGINES)('row-level security on %s', (engine) => {
  let db: TestDb;
  let A: Administration;
  let B: Administration;

  beforeAll(async () => {
    db = await testDb(engine);
    A = await anAdministration(db, { name: 'Alfa' });
    B = await anAdministration(db, { name: 'Bravo' });
    const da = await aDebtor(db, A, { number: 'A1', name: 'Klant van Alfa' } as never);
    const db_ = await aDebtor(db, B, { number: 'B1', name: 'Klant van Bravo' } as never);
    await anInvoice(db, A, da, { number: 'FA-1' });
    await anInvoice(db, B, db_, { number: 'FB-1' });
    await anInvoice(db, B, db_, { number: 'FB-2' });
  }, 120_000);
  afterAll(() => db?.drop());

  it('a handler that forgot its filter still sees and changes only its own administration', async () => {
    const seen = await withAdministration(db, A.id, (s) => s.query<{ number: string; administration_id: number }>('SELECT number, administration_id FROM items ORDER BY number'));
    expect(seen.map((r) => r.number)).toEqual(['FA-1']);
    const debtors = await withAdministration(db, B.id, (s) => s.query<{ name: string }>('SELECT name FROM debtors JOIN debtor_totals USING (administration_id) ORDER BY name'));
    expect(new Set(debtors.map((r) => r.name))).toEqual(new Set(['Klant van Bravo']));
    // an unfiltered UPDATE and DELETE touch only A's rows
    const updated = await withAdministration(db, A.id, (s) => s.query<{ id: number }>(`UPDATE debtors SET phone = '000' RETURNING id`));
    expect(updated).toHaveLength(1);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM debtors WHERE phone = '000' AND administration_id = $1`, [B.id]))[0]!.n).toBe(0);
    const removed = await withAdministration(db, A.id, (s) => s.query(`DELETE FROM segments RETURNING key`));
    expect(removed).toEqual([]);
  });

  it("refuses to write a row into another administration (WITH CHECK)", async () => {
    await expect(withAdministration(db, A.id, (s) => s.query(`INSERT INTO segments (administration_id, key, name) VALUES ($1, 'sneaky', 'x')`, [B.id]))).rejects.toThrow(/row-level security/);
    await expect(withAdministration(db, A.id, (s) => s.query(`UPDATE debtors SET administration_id = $1`, [B.id]))).rejects.toThrow();
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM segments WHERE key = 'sneaky'`))[0]!.n).toBe(0);
  });

  it('as vorder_app without the setting a query sees no rows', async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.exec('SET LOCAL ROLE vorder_app');
      return tx.query('SELECT id FROM items');
    });
    expect(rows).toEqual([]);
    // and the connection is itself again afterwards: the owner sees everything
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]!.n).toBe(3);
  });

  it('vorder_app is neither superuser nor owner nor exempt from the policies', async () => {
    const [r] = await db.query<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(`SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'vorder_app'`);
    expect(r).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    const owned = await db.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = 'vorder_app'`);
    expect(owned).toEqual([]);
  });

  it('every table with administration_id has row-level security and a policy; vorder_app may use every table and sequence', async () => {
    const tables = await db.query<{ relname: string; relrowsecurity: boolean; policies: number }>(
      `SELECT c.relname, c.relrowsecurity, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'administration_id' AND NOT a.attisdropped)
        ORDER BY c.relname`,
    );
    expect(tables.length).toBeGreaterThan(25);
    const missing = tables.filter((t) => !t.relrowsecurity || t.policies === 0).map((t) => t.relname);
    expect(missing, 'tables with administration_id but no row-level security: call vorder_enable_tenant_rls(<table>) in their migration').toEqual([]);
    const noGrant = await db.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT has_table_privilege('vorder_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE')
           OR n.nspname = 'public' AND c.relkind = 'S' AND NOT has_sequence_privilege('vorder_app', c.oid, 'USAGE')`,
    );
    expect(noGrant).toEqual([]);
  });

  it('a table added later by the owner gets the grants, and vorder_enable_tenant_rls confines it', async () => {
    await db.exec(`CREATE TABLE rls_probe (id bigserial PRIMARY KEY, administration_id bigint NOT NULL, note text)`);
    try {
      await db.query(`INSERT INTO rls_probe (administration_id, note) VALUES ($1, 'a'), ($2, 'b')`, [A.id, B.id]);
      expect(await withAdministration(db, A.id, (s) => s.query('SELECT note FROM rls_probe ORDER BY note'))).toHaveLength(2); // not yet confined
      await db.query(`SELECT vorder_enable_tenant_rls('rls_probe')`);
      expect(await withAdministration(db, A.id, (s) => s.query('SELECT note FROM rls_probe'))).toEqual([{ note: 'a' }]);
      await withAdministration(db, B.id, (s) => s.query(`INSERT INTO rls_probe (administration_id, note) VALUES ($1, 'c')`, [B.id]));
    } finally {
      await db.exec('DROP TABLE rls_probe');
    }
  });

  it("a debtor of another administration cannot be named in a promise, dispute, plan, task or timeline entry (the key includes administration_id)", async () => {
    const [bDebtor] = await db.query<{ id: number }>('SELECT id FROM debtors WHERE administration_id = $1', [B.id]);
    const tries = [
      [`INSERT INTO promises (administration_id, debtor_id, amount_cents, promised_date) VALUES ($1, $2, 100, '2026-12-30')`],
      [`INSERT INTO disputes (administration_id, debtor_id, reason) VALUES ($1, $2, 'wrong_amount')`],
      [`INSERT INTO payment_plans (administration_id, debtor_id, total_cents) VALUES ($1, $2, 100)`],
      [`INSERT INTO tasks (administration_id, debtor_id, kind, title, due_date) VALUES ($1, $2, 'x', 'x', '2026-12-30')`],
      [`INSERT INTO events (administration_id, debtor_id, kind, summary) VALUES ($1, $2, 'note', 'x')`],
    ];
    for (const [sql] of tries) await expect(db.query(sql!, [A.id, bDebtor!.id]), sql).rejects.toThrow(/foreign key|violates/);
  });

  it("a job for an administration runs confined to it and leaves an audit row in that administration's log", async () => {
    const job = { id: 4242, queue: 'care-checks', payload: { administrationId: A.id, asOf: '2026-11-23' }, singleton_key: null, attempts: 1, max_attempts: 3 } as unknown as Job;
    await DEFAULT_HANDLERS['care-checks']!(db, job);
    const rows = await db.query<{ administration_id: number; action: string; target: string }>(`SELECT administration_id, action, target FROM audit_log WHERE target = 'job 4242'`);
    expect(rows).toEqual([{ administration_id: A.id, action: 'job care-checks', target: 'job 4242' }]);
    expect(await DEFAULT_HANDLERS['care-checks']!(db, { ...job, payload: { administrationId: 999_999 } } as unknown as Job)).toEqual({ skipped: 'administration gone' });
  });

  it('everything in withAdministration commits or rolls back together; a nested transaction is a savepoint', async () => {
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM segments'))[0]!.n;
    const r = await withAdministration(db, A.id, async (s) => {
      await s.query(`INSERT INTO segments (administration_id, key, name) VALUES ($1, 'kept', 'kept')`, [A.id]);
      await s.transaction(async (tx) => tx.query(`INSERT INTO segments (administration_id, key, name) VALUES ($1, 'inner', 'inner')`, [A.id]));
      await s.transaction(async (tx) => {
        await tx.query(`INSERT INTO segments (administration_id, key, name) VALUES ($1, 'undone', 'undone')`, [A.id]);
        throw new Error('undo this part');
      }).catch(() => undefined);
      throw new Rollback('all undone');
    });
    expect(r).toBe('all undone');
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM segments'))[0]!.n).toBe(before);
    await withAdministration(db, A.id, async (s) => {
      await s.transaction(async (tx) => tx.query(`INSERT INTO segments (administration_id, key, name) VALUES ($1, 'kept', 'kept')`, [A.id]));
    });
    expect((await db.query<{ key: string }>('SELECT key FROM segments WHERE administration_id = $1', [A.id])).map((x) => x.key)).toEqual(['kept']);
  });
});
