/**
 * The reader of an administration's inbound mailbox (IMAP, imapflow). One reader at a time per
 * mailbox (a lease on the mailbox row; the job queue's singleton key keeps the polls apart). For
 * every message not remembered yet: read it, handle it in ONE transaction that also remembers its
 * (UIDVALIDITY, UID) (app/inbound.ts ingestMessage), commit, and only then MOVE it to the processed
 * folder ("Vorder/verwerkt", created when missing). Never deleted. A crash between the commit and
 * the move leaves a remembered message in the inbox: the next run only moves it. A crash before
 * the commit leaves nothing: the next run handles it. So nothing is lost and nothing done twice.
 *
 * A message larger than `maxMessageBytes` is not downloaded: its headers are kept, marked, and it is
 * moved on like any other; a message that cannot be handled at all is kept as a marked message with
 * its raw text. Neither holds up the messages after it.
 */
import { hostname } from 'node:os';
import { ImapFlow } from 'imapflow';
import type { Db } from '../store/db.ts';
import { getAdministration } from '../store/administrations.ts';
import { withAdministration } from '../store/tenant.ts';
import { getMailbox, insertInbound, knownUids, releaseReaderLease, takeReaderLease, type MailboxRow } from '../store/inbound.ts';
import { ingestMessage } from './inbound.ts';

export const MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

export type ReadHooks = {
  /** Called inside the message's transaction after its effects (a throw rolls them back). */
  beforeCommit?: (uid: number) => void | Promise<void>;
  /** Called after the commit and before the move (a throw stops the run there). */
  afterCommit?: (uid: number) => void | Promise<void>;
};

export type ReadResult = { handled: number; duplicates: number; moved: number; failed: number; skipped?: 'busy' | 'no mailbox' | 'disabled'; error?: string };

export type ConnectionTarget = Pick<MailboxRow, 'host' | 'port' | 'tls' | 'username' | 'password'>;

export function imapClient(m: ConnectionTarget): ImapFlow {
  return new ImapFlow({
    host: m.host, port: m.port, secure: m.tls, auth: { user: m.username, pass: m.password }, logger: false,
    // plain IMAP on a port without TLS: do not upgrade to STARTTLS unless the server offers it
    doSTARTTLS: m.tls ? undefined : false,
    connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 120_000,
  } as ConstructorParameters<typeof ImapFlow>[0]);
}

/** The words for a failed connection or login, for the settings screen. */
export function connectionError(m: Pick<MailboxRow, 'host' | 'port' | 'username'>, e: unknown): string {
  const err = e as { authenticationFailed?: boolean; responseText?: string; code?: string; message?: string };
  if (err.authenticationFailed) return `IMAP login refused for user "${m.username}" at ${m.host}:${m.port}: wrong user name or password${err.responseText ? ` (${err.responseText})` : ''}`;
  if (err.code === 'ECONNREFUSED') return `IMAP server ${m.host}:${m.port} refused the connection`;
  if (err.code === 'ENOTFOUND') return `IMAP host ${m.host} not found`;
  if (err.code === 'ETIMEDOUT' || err.code === 'CONNECT_TIMEOUT' || err.code === 'GREETING_TIMEOUT') return `IMAP server ${m.host}:${m.port} did not answer in time`;
  return `IMAP ${m.host}:${m.port}: ${err.responseText ?? err.message ?? String(e)}`;
}

/** Log in and open the folders: what the settings screen's "test connection" shows. */
export async function testConnection(m: ConnectionTarget & Pick<MailboxRow, 'folder'>): Promise<{ ok: true; messages: number } | { ok: false; error: string }> {
  const client = imapClient(m);
  client.on('error', () => undefined);
  try {
    await client.connect();
    const st = await client.status(m.folder, { messages: true });
    return { ok: true, messages: st ? st.messages ?? 0 : 0 };
  } catch (e) {
    return { ok: false, error: connectionError(m, e) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const list = await client.list();
  if (list.some((f) => f.path === path)) return;
  await client.mailboxCreate(path.split('/'));
}

/** Read the mailbox of one administration once (the job `inbound-fetch`). */
export async function readMailbox(db: Db, administrationId: number, opts: { reader?: string; maxMessages?: number; maxMessageBytes?: number; leaseSeconds?: number; hooks?: ReadHooks } = {}): Promise<ReadResult> {
  const reader = opts.reader ?? `${hostname()}:${process.pid}`;
  const lease = opts.leaseSeconds ?? 600;
  const start = await withAdministration(db, administrationId, async (s) => {
    const mailbox = await getMailbox(s, administrationId);
    if (!mailbox) return { skipped: 'no mailbox' as const };
    if (!mailbox.enabled) return { skipped: 'disabled' as const };
    if (!(await takeReaderLease(s, mailbox.id, reader, lease))) return { skipped: 'busy' as const };
    return { mailbox, admin: (await getAdministration(s, administrationId))! };
  });
  const result: ReadResult = { handled: 0, duplicates: 0, moved: 0, failed: 0 };
  if ('skipped' in start) return { ...result, skipped: start.skipped };
  const { mailbox, admin } = start;
  const client = imapClient(mailbox);
  let error: string | null = null;
  client.on('error', (e: Error) => {
    error = connectionError(mailbox, e);
  });
  try {
    try {
      await client.connect();
    } catch (e) {
      throw new Error(connectionError(mailbox, e));
    }
    await ensureFolder(client, mailbox.processed_folder);
    const lock = await client.getMailboxLock(mailbox.folder);
    try {
      const box = client.mailbox;
      if (!box) throw new Error(`IMAP folder "${mailbox.folder}" could not be opened`);
      const uidvalidity = Number(box.uidValidity);
      const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b).slice(0, opts.maxMessages ?? 500);
      const known = await withAdministration(db, administrationId, (s) => knownUids(s, mailbox.id, uidvalidity, uids));
      for (const uid of uids) {
        if (!known.has(uid)) {
          const outcome = await handleOne(db, client, administrationId, admin, mailbox, uidvalidity, uid, opts);
          if (outcome === 'failed') {
            result.failed++;
            continue; // left in the folder, tried again next time; the next message goes on
          }
          if (outcome === 'duplicate') result.duplicates++;
          else result.handled++;
          await opts.hooks?.afterCommit?.(uid);
        } else result.duplicates++;
        // remembered (now or before): move it out of the way, never delete
        const moved = await client.messageMove(String(uid), mailbox.processed_folder, { uid: true });
        if (moved) result.moved++;
        if ((result.handled + result.duplicates) % 20 === 0) await withAdministration(db, administrationId, (s) => takeReaderLease(s, mailbox.id, reader, lease));
      }
    } finally {
      lock.release();
    }
  } catch (e) {
    error = (e as Error).message;
    throw e;
  } finally {
    await client.logout().catch(() => client.close());
    await withAdministration(db, administrationId, (s) => releaseReaderLease(s, mailbox.id, reader, { error })).catch(() => undefined);
  }
  if (error) result.error = error;
  return result;
}

async function handleOne(db: Db, client: ImapFlow, administrationId: number, admin: Parameters<typeof ingestMessage>[1], mailbox: MailboxRow, uidvalidity: number, uid: number, opts: { maxMessageBytes?: number; hooks?: ReadHooks }): Promise<'handled' | 'duplicate' | 'failed'> {
  const max = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const meta = await client.fetchOne(String(uid), { uid: true, size: true, internalDate: true }, { uid: true });
  if (!meta) return 'failed';
  const receivedAt = meta.internalDate instanceof Date ? meta.internalDate : new Date();
  let bytes: Uint8Array;
  const problems: string[] = [];
  if ((meta.size ?? 0) > max) {
    const h = await client.fetchOne(String(uid), { uid: true, headers: true }, { uid: true });
    const headers = h && h.headers ? Buffer.from(h.headers).toString('latin1').trimEnd() : '';
    bytes = new Uint8Array(Buffer.from(`${headers}\r\n\r\n`, 'latin1'));
    problems.push(`message of ${Math.round((meta.size ?? 0) / 1048576)} MB is larger than ${Math.round(max / 1048576)} MB: only its headers were read; the whole message is in the folder ${mailbox.processed_folder}`);
  } else {
    const full = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!full || !full.source) return 'failed';
    bytes = new Uint8Array(full.source);
  }
  let crashed = false;
  try {
    const r = await withAdministration(db, administrationId, async (s) => {
      const x = await ingestMessage(s, admin, mailbox, { uidvalidity, uid, bytes, receivedAt, problems });
      try {
        await opts.hooks?.beforeCommit?.(uid);
      } catch (e) {
        crashed = true;
        throw e;
      }
      return x;
    });
    return r.id === null ? 'duplicate' : 'handled';
  } catch (e) {
    if (crashed) throw e; // a test's simulated crash: the transaction is rolled back, the run stops
    // the message cannot be handled: keep it, marked, with its raw text, so it holds up nothing
    const r = await withAdministration(db, administrationId, (s) =>
      insertInbound(s, administrationId, {
        mailboxId: mailbox.id, uidvalidity, uid, messageId: null, fromAddress: null, fromName: null, subject: '', receivedAt, kind: 'reply', debtorId: null, resolvedBy: null, status: 'unread',
        suggestions: [], text: Buffer.from(bytes.subarray(0, 200_000)).toString('latin1'), freshText: '', quotedText: '', problems: [...problems, `could not be handled: ${(e as Error).message}`.slice(0, 1000)], attachments: [], details: {}, dunningActionId: null,
      }),
    ).catch(() => undefined);
    return r === undefined ? 'failed' : r === null ? 'duplicate' : 'handled';
  }
}
