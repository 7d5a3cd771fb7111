import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { ENGINES, testDb } from '../support/db.ts';
import { migrate } from '../../src/store/migrate.ts';

const SNAPSHOT = 'test/store/schema.snapshot.txt';

/**
 * The schema as the migrations build it: tables and columns, indexes, triggers, row-level security
 * and its policies, functions. Compared with a committed snapshot; a missing snapshot fails (write it
 * with `UPDATE_SCHEMA_SNAPSHOT=1 npx vitest run test/store/migrate.test.ts`, then read the diff).
 */
async function describeSchema(db: Awaited<ReturnType<typeof testDb>>): Promise<string> {
  const cols = await db.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const indexes = await db.query<{ indexdef: string }>(
    `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`,
  );
  const triggers = await db.query<{ def: string }>(
    `SELECT c.relname || ' ' || t.tgname || ': ' || pg_get_triggerdef(t.oid) AS def
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY c.relname, t.tgname`,
  );
  const rls = await db.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
    `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND (c.relrowsecurity OR c.relforcerowsecurity) ORDER BY c.relname`,
  );
  const policies = await db.query<{ tablename: string; policyname: string; cmd: string; roles: string[] | string }>(
    `SELECT tablename, policyname, cmd, roles::text[] AS roles FROM pg_policies WHERE schemaname = 'public' ORDER BY tablename, policyname`,
  );
  const functions = await db.query<{ sig: string }>(
    `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' || CASE WHEN p.prosecdef THEN ' security definer' ELSE '' END AS sig
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1`,
  );
  const section = (title: string, lines: string[]) => `-- ${title}\n${lines.join('\n')}\n`;
  return [
    section('columns', cols.map((c) => `${c.table_name}.${c.column_name} ${c.data_type}${c.is_nullable === 'NO' ? ' not null' : ''}`)),
    section('indexes', indexes.map((i) => i.indexdef)),
    section('triggers', triggers.map((t) => t.def)),
    section('row-level security', rls.map((r) => `${r.relname}${r.relrowsecurity ? ' enabled' : ''}${r.relforcerowsecurity ? ' forced' : ''}`)),
    section('policies', policies.map((p) => `${p.tablename}.${p.policyname} ${p.cmd} ${Array.isArray(p.roles) ? p.roles.join(',') : p.roles}`)),
    section('functions', functions.map((f) => f.sig)),
  ].join('\n');
}

describe.each(ENGINES)('migrations on %s', (engine) => {
  it('rebuild the schema from nothing, match the committed snapshot, and are idempotent', async () => {
    const db = await testDb(engine);
    try {
      const schema = await describeSchema(db);
      if (process.env.UPDATE_SCHEMA_SNAPSHOT) writeFileSync(SNAPSHOT, schema);
      expect(existsSync(SNAPSHOT), `${SNAPSHOT} is missing: write it with UPDATE_SCHEMA_SNAPSHOT=1`).toBe(true);
      expect(schema).toBe(readFileSync(SNAPSHOT, 'utf8'));
      expect(await migrate(db)).toEqual([]);
      const applied = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(applied.length).toBeGreaterThan(0);
    } finally {
      await db.drop();
    }
  });

  it('keeps open amounts right under multi-row allocations, and allocations and events append-only', async () => {
    const db = await testDb(engine);
    try {
      await db.query(`INSERT INTO administrations (name) VALUES ('A')`);
      await db.query(`INSERT INTO events (administration_id, kind, summary) VALUES (1, 'note', 'x')`);
      await expect(db.query(`UPDATE events SET summary = 'y'`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM events`)).rejects.toThrow(/append-only/);
      await db.query(`INSERT INTO debtors (administration_id, number, name) VALUES (1, 'D', 'D')`);
      await db.query(`INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents) VALUES (1, 1, 'invoice', 'F', '2026-01-01', '2026-01-31', 1000, 1000)`);
      await db.query(`INSERT INTO bookings (administration_id, kind, date) VALUES (1, 'manual', '2026-01-02')`);
      await db.query(`INSERT INTO allocations (administration_id, booking_id, item_id, cents, date) VALUES (1, 1, 1, 300, '2026-01-02'), (1, 1, 1, 200, '2026-01-02')`);
      expect(await db.query(`SELECT open_cents FROM items`)).toEqual([{ open_cents: 500 }]);
      await expect(db.query(`UPDATE allocations SET cents = 1`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM allocations`)).rejects.toThrow(/append-only/);
    } finally {
      await db.drop();
    }
  });

  it('own the open amount: a new item is open for its amount, an amount change moves it by the difference', async () => {
    const db = await testDb(engine);
    try {
      await db.query(`INSERT INTO administrations (name) VALUES ('A')`);
      await db.query(`INSERT INTO debtors (administration_id, number, name) VALUES (1, 'D', 'D')`);
      // whatever an INSERT says (or omits), nothing is allocated yet
      await db.query(`INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents, open_cents) VALUES (1, 1, 'invoice', 'F1', '2026-01-01', '2026-01-31', 1000, 7)`);
      await db.query(`INSERT INTO items (administration_id, debtor_id, kind, number, issue_date, due_date, amount_cents) VALUES (1, 1, 'invoice', 'F2', '2026-01-01', '2026-01-31', 2000)`);
      await db.query(`INSERT INTO bookings (administration_id, kind, date) VALUES (1, 'manual', '2026-01-02')`);
      await db.query(`INSERT INTO allocations (administration_id, booking_id, item_id, cents, date) VALUES (1, 1, 1, 300, '2026-01-02')`);
      await db.query(`UPDATE items SET amount_cents = 1500 WHERE number = 'F1'`);
      // an UPDATE that also writes open_cents cannot break the rule
      await db.query(`UPDATE items SET amount_cents = 2500, open_cents = 1 WHERE number = 'F2'`);
      await db.query(`UPDATE items SET description = 'x'`);
      expect(await db.query(`SELECT number, amount_cents, open_cents FROM items ORDER BY number`)).toEqual([
        { number: 'F1', amount_cents: 1500, open_cents: 1200 },
        { number: 'F2', amount_cents: 2500, open_cents: 2500 },
      ]);
    } finally {
      await db.drop();
    }
  });
});
