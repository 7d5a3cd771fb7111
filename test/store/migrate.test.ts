import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { ENGINES, testDb } from '../support/db.ts';
import { migrate } from '../../src/store/migrate.ts';

const SNAPSHOT = 'test/store/schema.snapshot.txt';

/** Tables and columns as the migrations build them; compared with a committed snapshot. */
async function describeSchema(db: Awaited<ReturnType<typeof testDb>>): Promise<string> {
  const cols = await db.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  return cols.map((c) => `${c.table_name}.${c.column_name} ${c.data_type}${c.is_nullable === 'NO' ? ' not null' : ''}`).join('\n') + '\n';
}

describe.each(ENGINES)('migrations on %s', (engine) => {
  it('rebuild the schema from nothing, match the committed snapshot, and are idempotent', async () => {
    const db = await testDb(engine);
    try {
      const schema = await describeSchema(db);
      if (!existsSync(SNAPSHOT) || process.env.UPDATE_SCHEMA_SNAPSHOT) writeFileSync(SNAPSHOT, schema);
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
});
