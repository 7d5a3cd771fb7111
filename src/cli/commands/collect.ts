/**
 * `vorder collect --date YYYY-MM-DD --out FILE [--format pain.008.001.08|pain.008.001.02] [--json]`:
 * a SEPA direct debit batch of the open invoices due by the date of debtors with an active mandate.
 * The file is written only after the batch is recorded, through a temporary file in the same
 * directory (checked writable first) and a rename, so a half-written or refused file never
 * appears under FILE. `vorder collect batches` lists the batches.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { batches, collect, directDebitOverview, preNotify } from '../../app/collections.ts';
import { setDebtorCollectPolicy, setSegmentCollectPolicy } from '../../app/collection-policy.ts';
import { findDebtor } from '../../app/ledger.ts';
import { PAIN008_VERSIONS, type Pain008Version } from '../../formats/pain008.ts';
import { formatCents } from '../../domain/money.ts';
import { isIsoDate, todayIn } from '../../domain/dates.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { table } from '../output.ts';
import { out, withAdmin, type GlobalOptions } from '../context.ts';

/** Local wall-clock time in Amsterdam for the file header (CreDtTm): `2026-12-03T09:15:00`. */
function nowLocal(now: Date = new Date()): string {
  const t = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(now);
  return `${todayIn('Europe/Amsterdam', now)}T${t}`;
}

export function registerCollectCommands(program: Command, g: () => GlobalOptions): void {
  const cmd = program
    .command('collect')
    .description('SEPA direct debit: write a pain.008 batch of the open invoices due by --date of debtors with an active mandate')
    .option('--date <date>', 'the collection date (a TARGET2 business day after the bank\'s lead time)')
    .option('--out <file>', 'where to write the pain.008 file')
    .option('--format <format>', `${PAIN008_VERSIONS.join(' or ')}`, 'pain.008.001.08')
    .option('--lead-days <n>', 'TARGET2 business days the bank needs before the date (default 1: D-1)')
    .option('--as-of <date>', 'the day the file goes to the bank (default today)')
    .option('--user <name>', 'who collects')
    .action(async (o: { date?: string; out?: string; format: string; leadDays?: string; asOf?: string; user?: string }) => {
      const opts = g();
      if (!o.date || !o.out) throw new AppError('bad_request', 'vorder collect needs --date YYYY-MM-DD and --out FILE');
      if (!(PAIN008_VERSIONS as readonly string[]).includes(o.format)) throw new AppError('bad_request', `--format must be ${PAIN008_VERSIONS.join(' or ')}, not "${o.format}"`);
      if (o.leadDays !== undefined && !/^\d{1,2}$/.test(o.leadDays)) throw new AppError('bad_request', `--lead-days must be a whole number, not "${o.leadDays}"`);
      if (o.asOf !== undefined && !isIsoDate(o.asOf)) throw invalid(`--as-of must be a date YYYY-MM-DD, not "${o.asOf}"`);
      const tmp = join(dirname(o.out), `.${basename(o.out)}.${process.pid}.tmp`);
      closeSync(openSync(tmp, 'w')); // the directory is writable before anything is recorded
      try {
        await withAdmin(opts, 'collect', async ({ db }, admin) => {
          const r = await collect(db, admin, {
            date: o.date!, asOf: o.asOf ?? todayIn(), format: o.format as Pain008Version, createdAt: nowLocal(),
            ...(o.leadDays !== undefined ? { leadDays: Number(o.leadDays) } : {}), actor: o.user ?? process.env.VORDER_USER ?? process.env.USER ?? null,
          });
          writeFileSync(tmp, r.xml);
          renameSync(tmp, o.out!);
          const { xml: _xml, ...summary } = r;
          out(opts, { ...summary, file: o.out }, () =>
            `batch ${r.messageId}: ${r.count} collection(s), control sum ${r.controlSum} EUR on ${r.collectionDate}, written to ${o.out} (${r.format})\n` +
            r.paymentInfos.map((p) => `  ${p.paymentInfoId}  ${p.scheme} ${p.sequenceType}  ${p.count} × → ${formatCents(p.totalCents)}\n`).join('') +
            r.skipped.map((s) => `  not collected: ${s.itemNumber} (${s.message})\n`).join(''));
        });
      } finally {
        try {
          unlinkSync(tmp);
        } catch {
          // renamed into place
        }
      }
    });

  cmd
    .command('batches')
    .description('the direct debit batches written so far')
    .action(async () => {
      const opts = g();
      await withAdmin(opts, 'collect batches', async ({ db }, admin) => {
        const rows = await batches(db, admin);
        out(opts, rows, () => rows.length === 0 ? 'no batches\n' : table(rows.map((b) => ({ id: b.id, batch: b.messageId, date: b.collectionDate, format: b.format, count: b.txCount, total: formatCents(b.totalCents) })), [
          { key: 'id', label: 'id', align: 'right' }, { key: 'batch', label: 'batch' }, { key: 'date', label: 'date' }, { key: 'format', label: 'format' },
          { key: 'count', label: 'count', align: 'right' }, { key: 'total', label: 'total', align: 'right' },
        ]));
      });
    });

  cmd
    .command('outcomes')
    .description('the batches with their outcome (pending, settled, returned) and the returns per reason')
    .action(async () => {
      const opts = g();
      await withAdmin(opts, 'collect outcomes', async ({ db }, admin) => {
        const o = await directDebitOverview(db, admin);
        out(opts, o, () =>
          (o.batches.length ? table(o.batches.map((b) => ({ batch: b.messageId, date: b.collectionDate, count: b.txCount, total: formatCents(b.totalCents), pending: b.pending, settled: b.settled, returned: b.returned, retry: b.retry ? 'AM04 retry' : '' })), [
            { key: 'batch', label: 'batch' }, { key: 'date', label: 'date' }, { key: 'count', label: 'count', align: 'right' }, { key: 'total', label: 'total', align: 'right' },
            { key: 'pending', label: 'pending', align: 'right' }, { key: 'settled', label: 'settled', align: 'right' }, { key: 'returned', label: 'returned', align: 'right' }, { key: 'retry', label: '' },
          ]) : 'no batches\n') +
          o.returnsByReason.map((r) => `  ${r.count} × ${r.en} (${formatCents(r.totalCents)})\n`).join('') +
          o.returns.map((r) => `  ${r.returnedOn} ${r.debtorNumber} ${r.itemNumber} ${formatCents(r.amountCents)} ${r.reason} → ${r.action}\n`).join(''));
      });
    });

  cmd
    .command('policy')
    .description('collect instead of remind: for a debtor (--debtor) or a segment (--segment), --on or --off')
    .option('--debtor <number>', 'the debtor')
    .option('--segment <key>', 'the segment')
    .option('--on', 'collect instead of remind')
    .option('--off', 'remind as usual')
    .action(async (o: { debtor?: string; segment?: string; on?: boolean; off?: boolean }) => {
      const opts = g();
      if (!!o.debtor === !!o.segment) throw new AppError('bad_request', 'name one --debtor or one --segment');
      if (!!o.on === !!o.off) throw new AppError('bad_request', 'say --on or --off');
      await withAdmin(opts, 'collect policy', async ({ db }, admin) => {
        const r = o.debtor
          ? await setDebtorCollectPolicy(db, admin, (await findDebtor(db, admin, o.debtor)).id, o.on === true, process.env.VORDER_USER ?? process.env.USER ?? 'cli')
          : await setSegmentCollectPolicy(db, admin, o.segment!, o.on === true);
        out(opts, r, () => `${o.debtor ? `debtor ${o.debtor}` : `segment ${o.segment}`}: ${o.on ? 'collected instead of reminded (while a mandate is active)' : 'reminded as usual'}\n`);
      });
    });

  cmd
    .command('notify')
    .description('pre-notification: mail each debtor what will be collected on --date (at least the agreed days ahead, default 14)')
    .option('--date <date>', 'the collection date to announce')
    .option('--as-of <date>', 'today (default: the real date)')
    .action(async (o: { date?: string; asOf?: string }) => {
      const opts = g();
      if (!o.date) throw new AppError('bad_request', 'vorder collect notify needs --date YYYY-MM-DD');
      if (o.asOf !== undefined && !isIsoDate(o.asOf)) throw invalid(`--as-of must be a date YYYY-MM-DD, not "${o.asOf}"`);
      await withAdmin(opts, 'collect notify', async ({ db }, admin) => {
        const r = await preNotify(db, admin, { date: o.date!, asOf: o.asOf ?? todayIn(), actor: process.env.VORDER_USER ?? process.env.USER ?? 'cli' });
        out(opts, r, () => `${r.sent.length} debtor(s) told about the collection on ${r.collectionDate}\n` + r.sent.map((s) => `  ${s.debtorNumber} ${formatCents(s.totalCents)} → ${s.to.join(', ')}\n`).join('') + r.skipped.map((s) => `  not told: ${s.message}\n`).join(''));
      });
    });
}
