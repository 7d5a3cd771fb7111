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

  it('keeps allocations and events append-only', async () => {
    const db = await testDb(engine);
    try {
      await db.query(`INSERT INTO administrations (name) VALUES ('A')`);
      await db.query(`INSERT INTO events (administration_id, kind, summary) VALUES (1, 'note', 'x')`);
      await expect(db.query(`UPDATE events SET summary = 'y'`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM events`)).rejects.toThrow(/append-only/);
    } finally {
      await db.drop();
    }
  });
});
