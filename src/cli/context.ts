/** What every CLI command needs: the database (embedded or server) and the chosen administration. */
import { useDataDirForSecrets } from '../app/connectors/secrets.ts';
import { openDatabase, type Opened } from '../store/open.ts';
import { ensureDefaultAdministration, resolveAdministration } from '../app/administrations.ts';
import type { Administration } from '../store/administrations.ts';

export type GlobalOptions = { data?: string; admin?: string; json?: boolean };

export async function withDb<T>(opts: GlobalOptions, command: string, fn: (o: Opened) => Promise<T>): Promise<T> {
  if (opts.data) useDataDirForSecrets(opts.data);
  const opened = await openDatabase({ dataDir: opts.data, command });
  try {
    await ensureDefaultAdministration(opened.db);
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

export async function withAdmin<T>(opts: GlobalOptions, command: string, fn: (o: Opened, admin: Administration) => Promise<T>): Promise<T> {
  return withDb(opts, command, async (o) => fn(o, await resolveAdministration(o.db, opts.admin)));
}

export function out(opts: GlobalOptions, value: unknown, human: () => string): void {
  process.stdout.write(opts.json ? JSON.stringify(value, null, 2) + '\n' : human());
}
