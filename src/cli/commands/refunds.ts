/**
 * Refunds of credit balances: `vorder refunds list [--status S] [--candidates]`,
 * `vorder refunds propose [--debtor D1 [--iban IBAN] [--bic BIC]]`, `vorder refunds approve ID`,
 * `vorder refunds export --out FILE [--format pain.001.001.09|pain.001.001.03] [--id N …]`.
 * The operator of the `vorder` command is trusted: approving their own proposal is allowed here
 * (the app and the API require a second person). The file is written only after the export is
 * recorded, through a temporary file and a rename: a refused file never appears under FILE.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { approveRefund, exportRefunds, proposeRefunds, refundCandidates, refunds, type Refund } from '../../app/refunds.ts';
import { findDebtor } from '../../app/ledger.ts';
import { PAIN001_VERSIONS, type Pain001Version } from '../../formats/pain001.ts';
import { formatCents } from '../../domain/money.ts';
import { todayIn } from '../../domain/dates.ts';
import { AppError } from '../../app/errors.ts';
import { table } from '../output.ts';
import { out, withAdmin, type GlobalOptions } from '../context.ts';

function nowLocal(now: Date = new Date()): string {
  const t = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(now);
  return `${todayIn('Europe/Amsterdam', now)}T${t}`;
}

const operator = (user?: string) => user ?? process.env.VORDER_USER ?? process.env.USER ?? 'cli';

function refundTable(rows: readonly Refund[]): string {
  if (!rows.length) return 'no refunds\n';
  return table(rows.map((r) => ({ id: r.id, debtor: `${r.debtorNumber} ${r.debtorName}`, amount: formatCents(r.amountCents), iban: r.iban, status: r.status, reference: r.endToEndId, by: r.approvedBy ? `${r.proposedBy} / ${r.approvedBy}` : r.proposedBy })), [
    { key: 'id', label: 'id', align: 'right' }, { key: 'debtor', label: 'debtor' }, { key: 'amount', label: 'amount', align: 'right' }, { key: 'iban', label: 'iban' },
    { key: 'status', label: 'status' }, { key: 'reference', label: 'reference' }, { key: 'by', label: 'proposed / approved by' },
  ]);
}

function refundId(s: string): number {
  if (!/^[1-9]\d{0,14}$/.test(s)) throw new AppError('bad_request', `"${s}" is not a refund id`);
  return Number(s);
}

export function registerRefundCommands(program: Command, g: () => GlobalOptions): void {
  const cmd = program.command('refunds').description('pay credit balances back: list, propose, approve, export as pain.001');
  cmd
    .command('list')
    .description('the refunds (or, with --candidates, the debtors with a credit balance)')
    .option('--status <list>', 'proposed,approved,exported,paid,cancelled')
    .option('--candidates', 'debtors with a credit balance and no refund in progress')
    .action(async (o: { status?: string; candidates?: boolean }) => {
      const opts = g();
      await withAdmin(opts, 'refunds list', async ({ db }, admin) => {
        if (o.candidates) {
          const rows = await refundCandidates(db, admin);
          out(opts, rows, () => rows.length ? table(rows.map((b) => ({ debtor: `${b.debtorNumber} ${b.debtorName}`, credit: formatCents(b.creditCents), iban: b.ibans[0] ?? '(none known)' })), [
            { key: 'debtor', label: 'debtor' }, { key: 'credit', label: 'credit', align: 'right' }, { key: 'iban', label: 'pay to' },
          ]) : 'no credit balances to pay back\n');
          return;
        }
        const status = o.status ? (o.status.split(',') as Refund['status'][]) : undefined;
        const rows = await refunds(db, admin, { status });
        out(opts, rows, () => refundTable(rows));
      });
    });
  cmd
    .command('propose')
    .description('propose refunds of credit balances: one debtor (--debtor, optionally to --iban) or every debtor with a credit balance')
    .option('--debtor <number>', 'only this debtor')
    .option('--iban <iban>', "pay to this account (with --debtor); default: the active mandate's, else a known account")
    .option('--bic <bic>', 'the BIC of --iban')
    .option('--user <name>', 'who proposes')
    .action(async (o: { debtor?: string; iban?: string; bic?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'refunds propose', async ({ db }, admin) => {
        const debtorId = o.debtor ? (await findDebtor(db, admin, o.debtor)).id : undefined;
        const r = await proposeRefunds(db, admin, { debtorId, iban: o.iban, bic: o.bic ?? null, actor: operator(o.user) });
        out(opts, r, () => `${r.proposed.length} refund(s) proposed\n${r.proposed.length ? refundTable(r.proposed) : ''}${r.skipped.map((s) => `  not proposed: ${s.message}\n`).join('')}`);
      });
    });
  cmd
    .command('approve <id>')
    .description('approve a proposed refund (the operator of this command is trusted)')
    .option('--user <name>', 'who approves')
    .action(async (id: string, o: { user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'refunds approve', async ({ db }, admin) => {
        const r = await approveRefund(db, admin, refundId(id), { actor: operator(o.user), trusted: true });
        out(opts, r, () => `refund ${r.id} (${r.debtorNumber}, ${formatCents(r.amountCents)}) approved\n`);
      });
    });
  cmd
    .command('export')
    .description('write the approved refunds as one pain.001 file')
    .option('--out <file>', 'where to write the pain.001 file')
    .option('--format <format>', PAIN001_VERSIONS.join(' or '), 'pain.001.001.09')
    .option('--id <ids...>', 'only these approved refunds')
    .option('--user <name>', 'who exports')
    .action(async (o: { out?: string; format: string; id?: string[]; user?: string }) => {
      const opts = g();
      if (!o.out) throw new AppError('bad_request', 'vorder refunds export needs --out FILE');
      if (!(PAIN001_VERSIONS as readonly string[]).includes(o.format)) throw new AppError('bad_request', `--format must be ${PAIN001_VERSIONS.join(' or ')}, not "${o.format}"`);
      const ids = o.id?.map(refundId);
      const tmp = join(dirname(o.out), `.${basename(o.out)}.${process.pid}.tmp`);
      closeSync(openSync(tmp, 'w'));
      try {
        await withAdmin(opts, 'refunds export', async ({ db }, admin) => {
          const r = await exportRefunds(db, admin, { ids, format: o.format as Pain001Version, asOf: todayIn(), createdAt: nowLocal(), actor: operator(o.user) });
          writeFileSync(tmp, r.xml);
          renameSync(tmp, o.out!);
          const { xml: _xml, ...summary } = r;
          out(opts, { ...summary, file: o.out }, () => `${r.messageId}: ${r.count} refund(s), control sum ${r.controlSum} EUR, execution ${r.executionDate}, written to ${o.out} (${r.format})\n`);
        });
      } finally {
        try {
          unlinkSync(tmp);
        } catch {
          // renamed into place
        }
      }
    });
}
