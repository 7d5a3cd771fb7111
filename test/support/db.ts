/**
 * Test databases on both engines. Every storage test runs with `describe.each(ENGINES)`.
 * PGlite: a migrated template is made once (cached on disk by migrations hash) and each test
 * database is loaded from it (~1 s instead of 2–5 s for initdb).
 * PostgreSQL: a fresh database per call on TEST_DATABASE_URL (default: the local server).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';

export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDb = Db & { drop(): Promise<void> };

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const m of loadMigrations()) h.update(m.name).update(m.sql);
  return h.digest('hex').slice(0, 16);
}

let templateBlob: Blob | null = null;
async function pgliteTemplate(): Promise<Blob> {
  if (templateBlob) return templateBlob;
  const dir = '.vorder-test';
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/pglite-template-${migrationsHash()}.tar.gz`;
  if (existsSync(file)) {
    templateBlob = new Blob([readFileSync(file)]);
    return templateBlob;
  }
  const db = await openPglite(undefined);
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir('gzip');
  await db.close();
  const bytes = new Uint8Array(await dump.arrayBuffer());
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  templateBlob = new Blob([bytes]);
  return templateBlob;
}

export async function testDb(engine: Engine): Promise<TestDb> {
  if (engine === 'pglite') {
    const db = await openPglite(undefined, { loadDataDir: await pgliteTemplate() });
    return Object.assign(db, { drop: () => db.close() });
  }
  const name = `vorder_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect().catch((e: Error) => {
    throw new Error(`the PostgreSQL test server at ${TEST_PG_URL} does not answer (${e.message}); start it (see README) or set TEST_DATABASE_URL`);
  });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { max: 4 });
  await migrate(db);
  return Object.assign(db, {
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  });
}

/** The URL of a fresh, empty (unmigrated) PostgreSQL database, for process-level tests. */
export async function freshPgUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vorder_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
