/**
 * One SQL dialect, two engines. `Db` is the only thing the rest of the code sees: PGlite
 * (Postgres in-process, the default) or a PostgreSQL server (when DATABASE_URL is set).
 * Both return the same JS types thanks to one parser table (STACK.md: the drivers differ).
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Row = Record<string, unknown>;

export type Queryable = {
  /** Run one parameterised statement and return its rows. */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Run several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /** Bulk-load CSV text into a table (COPY … FROM STDIN / PGlite's /dev/blob). */
  copyFrom(table: string, columns: readonly string[], csv: string): Promise<void>;
};

export type Db = Queryable & {
  readonly engine: 'pglite' | 'postgres';
  /** The raw PGlite handle (backups, templates); undefined on a server. */
  readonly pglite?: PGlite;
  /** Run `fn` in one transaction; the caller owns it. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type Tx = Queryable & { readonly inTransaction: true };

/** The one parser table: int8 → checked number, numeric → string, date → 'YYYY-MM-DD'. */
const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${text} is outside the safe integer range`);
  return n;
}
const parseDate = (text: string): string => text;
const parseNumeric = (text: string): string => text;

function pgliteParsers() {
  return {
    [OID.INT8]: parseInt8,
    [OID.DATE]: parseDate,
    [OID.NUMERIC]: parseNumeric,
  } as Record<number, (x: string, typeId: number) => unknown>;
}

let pgTypesInstalled = false;
function installPgTypes(): void {
  if (pgTypesInstalled) return;
  pg.types.setTypeParser(OID.INT8, parseInt8);
  pg.types.setTypeParser(OID.DATE, parseDate);
  pg.types.setTypeParser(OID.NUMERIC, parseNumeric);
  pgTypesInstalled = true;
}

function csvCopySql(table: string, columns: readonly string[], source: string): string {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  return `COPY ${table} (${cols}) FROM ${source} WITH (FORMAT csv)`;
}

// ---------------------------------------------------------------- PGlite

type PGliteLike = Pick<PGlite, 'query' | 'exec'>;

function pgliteQueryable(conn: PGliteLike): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const res = await conn.query<T>(sql, params as unknown[]);
      return res.rows;
    },
    async exec(sql: string) {
      await conn.exec(sql);
    },
    async copyFrom(table, columns, csv) {
      await conn.query(csvCopySql(table, columns, `'/dev/blob'`), [], { blob: new Blob([csv]) });
    },
  };
}

export async function openPglite(dataDir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Db> {
  const raw = await PGlite.create({
    dataDir,
    parsers: pgliteParsers(),
    postgresqlconf: ['max_wal_size=64MB', 'min_wal_size=32MB'],
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  } as ConstructorParameters<typeof PGlite>[0]);
  return pgliteDb(raw);
}

export function pgliteDb(raw: PGlite): Db {
  const base = pgliteQueryable(raw);
  return {
    engine: 'pglite',
    pglite: raw,
    ...base,
    // PGlite has one connection and serialises transactions itself.
    transaction: (fn) => raw.transaction((t) => fn({ ...pgliteQueryable(t as unknown as PGliteLike), inTransaction: true })),
    close: () => raw.close(),
  };
}

// ---------------------------------------------------------------- PostgreSQL server

function pgQueryable(client: pg.PoolClient | pg.Pool): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const res = await client.query(sql, params as unknown[]);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async copyFrom(table, columns, csv) {
      const { from } = await import('pg-copy-streams');
      const c = 'release' in client ? client : await (client as pg.Pool).connect();
      try {
        await new Promise<void>((resolve, reject) => {
          const stream = c.query(from(csvCopySql(table, columns, 'STDIN')));
          stream.on('finish', () => resolve());
          stream.on('error', reject);
          const CHUNK = 1 << 20;
          let i = 0;
          const pump = (): void => {
            while (i < csv.length) {
              const part = csv.slice(i, i + CHUNK);
              i += CHUNK;
              if (!stream.write(part)) {
                stream.once('drain', pump);
                return;
              }
            }
            stream.end();
          };
          pump();
        });
      } finally {
        if (c !== client) (c as pg.PoolClient).release();
      }
    },
  };
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  installPgTypes();
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle connection can be closed by the server (restart, failover, a dropped database): the pool
  // discards it and opens a new one when needed. Without this listener the process would crash.
  pool.on('error', (e) => {
    if ((e as { code?: string }).code !== '57P01') console.error(`PostgreSQL: an idle connection was lost (${e.message})`);
  });
  // Fail fast with a clear message when the server does not answer.
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`);
  }
  const base = pgQueryable(pool);
  return {
    engine: 'postgres',
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Tx = { ...pgQueryable(client), inTransaction: true };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

