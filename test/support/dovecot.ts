/**
 * A real Dovecot IMAP server for the inbound-mail tests: /usr/sbin/dovecot (Debian's
 * dovecot-imapd; `.ci/run` installs it when missing) started in the foreground as the current user
 * with a throw-away configuration: 127.0.0.1 on a free port, no TLS, users in a passwd-file, maildir
 * in a temporary directory, its own base_dir. `append` puts a message in a folder with imapflow.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT = '/usr/sbin/dovecot';

export type Dovecot = {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  append(folder: string, raw: Uint8Array | string, date?: Date): Promise<void>;
  /** UIDs per folder, and the Subject of each message. */
  list(folder: string): Promise<{ uid: number; subject: string }[]>;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot stopped (exit ${child.exitCode}): ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, logger: false, auth: { user: 'x', pass: 'x' }, connectionTimeout: 1000, greetingTimeout: 1000 } as ConstructorParameters<typeof ImapFlow>[0]);
      c.on('error', () => undefined);
      c.connect().then(() => resolve(true), (e: { authenticationFailed?: boolean }) => resolve(!!e.authenticationFailed));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dovecot did not listen on ${port}: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
}

export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<Dovecot> {
  if (!existsSync(DOVECOT)) throw new Error(`${DOVECOT} is missing: install dovecot-imapd (.ci/run does)`);
  const dir = mkdtempSync(join(tmpdir(), 'vorder-dovecot-'));
  for (const d of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, d));
  // Dovecot runs its login and mail processes as no-root users: as root, those of the Debian package
  // (dovenull for logins, dovecot for the mail, which then owns the temporary directory)
  const me = userInfo();
  const root = me.uid === 0;
  const account = (name: string) => {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
    if (!line) throw new Error(`user ${name} is missing: install dovecot-imapd`);
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  };
  const mailUser = root ? { name: 'dovecot', ...account('dovecot') } : { name: me.username, uid: me.uid, gid: me.gid };
  const loginUser = root ? 'dovenull' : me.username;
  const user = opts.user ?? 'debiteuren';
  const password = opts.password ?? 'geheim-wachtwoord';
  const port = await freePort();
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${mailUser.name}
default_login_user = ${loginUser}
first_valid_uid = ${mailUser.uid}
first_valid_gid = ${mailUser.gid}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${dir}/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
  writeFileSync(join(dir, 'dovecot.conf'), conf);
  if (root) for (const d of ['', 'mail', 'home']) chownSync(join(dir, d), mailUser.uid, mailUser.gid);
  const child = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitForPort(port, child, join(dir, 'dovecot.log'));
  const connect = async () => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, logger: false, auth: { user, pass: password } } as ConstructorParameters<typeof ImapFlow>[0]);
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  return {
    host: '127.0.0.1', port, user, password, dir,
    async append(folder, raw, date) {
      const c = await connect();
      try {
        if (folder !== 'INBOX' && !(await c.list()).some((f) => f.path === folder)) await c.mailboxCreate(folder.split('/'));
        await c.append(folder, typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw), [], date ?? new Date('2026-12-03T12:00:00Z'));
      } finally {
        await c.logout();
      }
    },
    async list(folder) {
      const c = await connect();
      try {
        if (!(await c.list()).some((f) => f.path === folder)) return [];
        const lock = await c.getMailboxLock(folder);
        try {
          const out: { uid: number; subject: string }[] = [];
          for await (const m of c.fetch('1:*', { uid: true, envelope: true })) out.push({ uid: m.uid, subject: m.envelope?.subject ?? '' });
          return out;
        } finally {
          lock.release();
        }
      } finally {
        await c.logout();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
