/**
 * `vorder users add|list` and `vorder backup|restore`. The CLI works directly on the data
 * directory (or DATABASE_URL): whoever can run it there is trusted as the operator, so it does not
 * log in. Passwords come from VORDER_PASSWORD or stdin, never from the command line (argv is
 * visible to other users of the machine and lands in shell history).
 */
import type { Command } from 'commander';
import { existsSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireLock, defaultDataDir, readLock, DataDirLockedError } from '../../store/open.ts';
import { openPglite } from '../../store/db.ts';
import { migrate } from '../../store/migrate.ts';
import { addMember, createUser, membershipsOf, ROLES, type Role } from '../../app/auth.ts';
import { findUserByEmail, publicUser } from '../../store/auth.ts';
import { resolveAdministration } from '../../app/administrations.ts';
import { AppError } from '../../app/errors.ts';
import { out, withDb, type GlobalOptions } from '../context.ts';

async function readPassword(): Promise<string> {
  if (process.env.VORDER_PASSWORD) return process.env.VORDER_PASSWORD;
  if (process.stdin.isTTY) throw new AppError('bad_request', 'give the password in VORDER_PASSWORD or on stdin (never as an argument)');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerUserCommands(program: Command, g: () => GlobalOptions): void {
  const users = program.command('users').description('user accounts (the CLI itself needs no login: it works on the data directory)');
  users
    .command('add <email>')
    .description('add a user (password from VORDER_PASSWORD or stdin) with a role in the administration chosen by --admin')
    .option('--name <name>', 'display name')
    .option('--role <role>', `role in the administration: ${ROLES.join(', ')}`, 'owner')
    .option('--instance-admin', 'instance administrator: owner of every administration, may create administrations')
    .option('--no-password', 'no password now (the user asks for a reset link)')
    .action(async (email: string, o: { name?: string; role: string; instanceAdmin?: boolean; password: boolean }) => {
      const opts = g();
      if (!ROLES.includes(o.role as Role)) throw new AppError('validation', `unknown role "${o.role}" (${ROLES.join(', ')})`);
      const password = o.password ? await readPassword() : null;
      await withDb(opts, 'users add', async ({ db }) => {
        const admin = await resolveAdministration(db, opts.admin);
        let user = await findUserByEmail(db, email);
        if (!user) {
          const u = await createUser(db, { email, name: o.name ?? email, password, isAdmin: o.instanceAdmin ?? false });
          user = (await findUserByEmail(db, u.email))!;
        } else if (o.instanceAdmin) await db.query('UPDATE users SET is_admin = true WHERE id = $1', [user.id]);
        await addMember(db, admin.id, { email: user.email, role: o.role as Role });
        const u = publicUser((await findUserByEmail(db, user.email))!);
        out(opts, { user: u, administration: admin.name, role: o.role }, () => `user ${u.email} is ${o.role} of "${admin.name}"${u.isAdmin ? ' and an instance administrator' : ''}\n`);
      });
    });
  users
    .command('list')
    .description('users and their administrations')
    .action(async () => {
      const opts = g();
      await withDb(opts, 'users list', async ({ db }) => {
        const rows = await db.query<{ id: number }>('SELECT id FROM users ORDER BY lower(email)');
        const list: (ReturnType<typeof publicUser> & { memberships: Awaited<ReturnType<typeof membershipsOf>> })[] = [];
        for (const { id } of rows) {
          const email = (await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [id]))[0]!.email;
          const full = (await findUserByEmail(db, email))!;
          list.push({ ...publicUser(full), memberships: await membershipsOf(db, full) });
        }
        out(opts, list, () => list.map((u) => `${u.email}${u.isAdmin ? ' (instance admin)' : ''}: ${u.memberships.map((m) => `${m.administrationName}=${m.role}`).join(', ') || '-'}\n`).join(''));
      });
    });

  program
    .command('backup <file>')
    .description('write a consistent copy of the embedded database to FILE (gzip); for a PostgreSQL server use pg_dump')
    .action(async (file: string) => {
      const opts = g();
      if (process.env.DATABASE_URL) throw new AppError('bad_request', 'with DATABASE_URL the data is on a PostgreSQL server: back it up with pg_dump (see docs/security.md)');
      await withDb(opts, 'backup', async ({ db }) => {
        const dump = await db.pglite!.dumpDataDir('gzip');
        writeFileSync(resolve(file), new Uint8Array(await dump.arrayBuffer()), { mode: 0o600 });
        out(opts, { file: resolve(file), bytes: dump.size }, () => `backup written to ${resolve(file)} (${dump.size} bytes)\n`);
      });
    });
  program
    .command('restore <file>')
    .description('restore a backup into the data directory (which must be empty, or --force to replace it; never while Vorder runs on it)')
    .option('--force', 'replace the database in the data directory')
    .action(async (file: string, o: { force?: boolean }) => {
      const opts = g();
      if (process.env.DATABASE_URL) throw new AppError('bad_request', 'with DATABASE_URL restore with pg_restore/psql (see docs/security.md)');
      const dir = resolve(opts.data ?? defaultDataDir());
      const holder = readLock(dir);
      if (holder) throw new DataDirLockedError(dir, holder);
      const pgDir = join(dir, 'pg');
      if (existsSync(pgDir) && readdirSync(pgDir).length && !o.force) throw new AppError('conflict', `${dir} already holds a database; restore into an empty directory or pass --force to replace it`);
      const bytes = readFileSync(resolve(file));
      const lock = acquireLock(dir, { command: 'restore' });
      try {
        rmSync(pgDir, { recursive: true, force: true });
        const db = await openPglite(pgDir, { loadDataDir: new Blob([bytes]) });
        try {
          await migrate(db); // a backup from an older version gets the newer migrations
          const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM administrations');
          out(opts, { dataDir: dir, administrations: n[0]!.n }, () => `restored ${resolve(file)} into ${dir} (${n[0]!.n} administrations)\n`);
        } finally {
          await db.close();
        }
      } finally {
        lock.release();
      }
    });
}
