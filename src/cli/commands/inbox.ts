/**
 * Inbound mail from the command line: `vorder inbox fetch` (read the mailbox once now),
 * `vorder inbox list [--unassigned] [--debtor NUMBER]`, `vorder inbox assign ID DEBTOR_NUMBER`,
 * `vorder inbox mailbox --host H --port P --user U` (the password from VORDER_IMAP_PASSWORD, never an argument).
 */
import type { Command } from 'commander';
import { assignInbound, inboundList, saveMailbox } from '../../app/inbound.ts';
import { readMailbox } from '../../app/inbound-reader.ts';
import { findDebtor } from '../../app/ledger.ts';
import { invalid } from '../../app/errors.ts';
import { table } from '../output.ts';
import { out, withAdmin, type GlobalOptions } from '../context.ts';

export function registerInboxCommands(program: Command, g: () => GlobalOptions): void {
  const inbox = program.command('inbox').description('replies, automatic replies and bounces read from the inbound mailbox');

  inbox
    .command('mailbox')
    .description('set the inbound mailbox (IMAP); the password comes from the environment variable VORDER_IMAP_PASSWORD (kept when unset)')
    .requiredOption('--host <host>', 'IMAP server')
    .requiredOption('--port <port>', 'IMAP port (993 with TLS)')
    .requiredOption('--user <name>', 'IMAP user name')
    .option('--no-tls', 'plain IMAP (a server on this machine only)')
    .option('--folder <name>', 'the folder to read (default INBOX)')
    .action(async (o: { host: string; port: string; user: string; tls: boolean; folder?: string }) => {
      const opts = g();
      await withAdmin(opts, 'inbox mailbox', async ({ db }, admin) => {
        const v = await saveMailbox(db, admin, { host: o.host, port: Number(o.port), tls: o.tls, username: o.user, ...(process.env.VORDER_IMAP_PASSWORD ? { password: process.env.VORDER_IMAP_PASSWORD } : {}), ...(o.folder ? { folder: o.folder } : {}) });
        out(opts, v, () => `mailbox ${v.username}@${v.host}:${v.port} (${v.tls ? 'TLS' : 'no TLS'}), folder ${v.folder}, handled messages to ${v.processedFolder}\n`);
      });
    });

  inbox
    .command('fetch')
    .description('read the mailbox once now: each new message handled once and moved to Vorder/verwerkt')
    .action(async () => {
      const opts = g();
      await withAdmin(opts, 'inbox fetch', async ({ db }, admin) => {
        const r = await readMailbox(db, admin.id, { reader: `cli:${process.pid}` });
        out(opts, r, () => r.skipped ? `mailbox not read: ${r.skipped}\n` : `${r.handled} new, ${r.duplicates} handled before, ${r.moved} moved, ${r.failed} failed\n`);
      });
    });

  inbox
    .command('list')
    .description('messages, newest first')
    .option('--unassigned', 'only those that belong to no debtor yet')
    .option('--unread', 'only unread ones')
    .option('--debtor <number>', 'only this debtor')
    .option('--limit <n>', 'at most this many (default 50)')
    .action(async (o: { unassigned?: boolean; unread?: boolean; debtor?: string; limit?: string }) => {
      const opts = g();
      await withAdmin(opts, 'inbox list', async ({ db }, admin) => {
        const debtorId = o.debtor ? (await findDebtor(db, admin, o.debtor)).id : undefined;
        const r = await inboundList(db, admin, { unassigned: o.unassigned, ...(o.unread ? { status: 'unread' as const } : {}), ...(debtorId ? { debtorId } : {}), limit: o.limit ? Number(o.limit) : 50 });
        out(opts, r, () => (r.rows.length === 0 ? 'no messages\n' : table(r.rows.map((m) => ({
          id: m.id, received: m.receivedAt.slice(0, 16).replace('T', ' '), kind: m.kind, status: m.status, debtor: m.debtorNumber ?? '-', from: m.from ?? '', subject: m.subject.slice(0, 40),
          suggestions: m.suggestions.map((s) => s.kind).join(','),
        })), [
          { key: 'id', label: 'id', align: 'right' }, { key: 'received', label: 'received' }, { key: 'kind', label: 'kind' }, { key: 'status', label: 'status' }, { key: 'debtor', label: 'debtor' },
          { key: 'from', label: 'from' }, { key: 'subject', label: 'subject' }, { key: 'suggestions', label: 'suggestions' },
        ])) + `${r.counts.unreadReplies} unread repl${r.counts.unreadReplies === 1 ? 'y' : 'ies'}, ${r.counts.unassigned} unassigned\n`);
      });
    });

  inbox
    .command('assign <id> <debtor>')
    .description('put a message on a debtor (by number); the sender is remembered for the next message')
    .action(async (id: string, debtor: string) => {
      const opts = g();
      if (!/^[1-9]\d{0,14}$/.test(id)) throw invalid(`message id must be a number, not "${id}"`, [{ field: 'id', code: 'invalid', message: id }]);
      await withAdmin(opts, 'inbox assign', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const m = await assignInbound(db, admin, Number(id), d.id, process.env.VORDER_USER ?? process.env.USER ?? null);
        out(opts, m, () => `message ${m.id} assigned to ${m.debtorNumber} ${m.debtorName ?? ''}; the sender ${m.from ?? ''} is remembered\n`);
      });
    });
}
