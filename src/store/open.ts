/**
 * Opening the database the way the user asked: a PostgreSQL server when DATABASE_URL is set,
 * otherwise PGlite in a data directory. PGlite has no lock between processes (STACK.md: two
 * processes on one directory silently lost writes), so Vorder holds an exclusive lock file in
 * the data directory for as long as it has the database open.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openPglite, openPostgres, redactUrl, type Db } from './db.ts';
import { migrate } from './migrate.ts';

export type LockInfo = { pid: number; command: string; url?: string; startedAt: string };

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockInfo) {
    super(
      `the data directory ${dataDir} is in use by another Vorder process (pid ${holder.pid}, "${holder.command}"${holder.url ? `, serving ${holder.url}` : ''}). ` +
        (holder.url ? `Use its API or web app, or stop it first.` : `Wait for it to finish or stop it first.`),
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockInfo | null {
  const file = join(dataDir, 'vorder.lock');
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    return alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Take the exclusive lock (O_EXCL create). A lock left by a dead process is taken over. */
export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): { release(): void; update(extra: Partial<LockInfo>): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'vorder.lock');
  const content = (extra: Partial<LockInfo> = {}) => JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), ...info, ...extra });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, content());
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const cur = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
          if (cur.pid === process.pid) rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return {
        release,
        update(extra) {
          const fd2 = openSync(file, 'w');
          writeSync(fd2, content(extra));
          closeSync(fd2);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(dataDir);
      if (holder && holder.pid !== process.pid) throw new DataDirLockedError(dataDir, holder);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

export type OpenOptions = { dataDir?: string; databaseUrl?: string; command: string; migrate?: boolean };
export type Opened = { db: Db; description: string; lock: ReturnType<typeof acquireLock> | null; close(): Promise<void> };

export function defaultDataDir(): string {
  return resolve(process.env.VORDER_DATA ?? './data');
}

export async function openDatabase(opts: OpenOptions): Promise<Opened> {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  let db: Db;
  let lock: Opened['lock'] = null;
  let description: string;
  if (url) {
    db = await openPostgres(url);
    description = `PostgreSQL ${redactUrl(url)}`;
  } else {
    const dir = resolve(opts.dataDir ?? defaultDataDir());
    lock = acquireLock(dir, { command: opts.command });
    try {
      db = await openPglite(join(dir, 'pg'));
    } catch (e) {
      lock.release();
      throw e;
    }
    description = `embedded database in ${dir}`;
  }
  if (opts.migrate !== false) await migrate(db);
  return {
    db,
    description,
    lock,
    async close() {
      await db.close();
      lock?.release();
    },
  };
}
