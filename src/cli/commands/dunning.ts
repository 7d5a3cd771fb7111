/** Dunning commands: `dun` (preview / send), outbox, history, and the legal calculator. */
import type { Command } from 'commander';
import { formatCents, formatMoney, parseAmount } from '../../domain/money.ts';
import { isIsoDate, todayIn } from '../../domain/dates.ts';
import { collectionCosts } from '../../domain/legal/collection-costs.ts';
import { statutoryInterest } from '../../domain/legal/interest.ts';
import type { RunPlan } from '../../domain/dunning/plan.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { previewRun, runHistory, sendRun } from '../../app/dunning.ts';
import { deliverDue } from '../../app/dunning-delivery.ts';
import { listActions } from '../../store/dunning.ts';
import { out, withAdmin, type GlobalOptions } from '../context.ts';
import { table } from '../output.ts';

function asOfOption(v: string | undefined): string {
  const d = v ?? todayIn();
  if (!isIsoDate(d)) throw invalid(`--as-of must be a date YYYY-MM-DD, not "${d}"`);
  return d;
}

function amountArg(name: string, v: string): number {
  const a = parseAmount(v);
  if (!a.ok || a.cents < 0) throw invalid(`${name} must be an amount like 1234.56, not "${v}"`);
  return a.cents;
}

export function planText(plan: RunPlan, lang: 'nl' | 'en' = 'nl'): string {
  let s = '';
  if (plan.blocked) s += `GEBLOKKEERD: ${plan.blocked.message[lang]} (use --override to send anyway)\n\n`;
  const msgs = plan.blocked ? plan.wouldSend : plan.messages;
  const bySteps = new Map<string, typeof msgs>();
  for (const m of msgs) bySteps.set(m.stepName, [...(bySteps.get(m.stepName) ?? []), m]);
  for (const [step, list] of bySteps) {
    s += `${step} (${list.length}):\n`;
    s += table(list.map((m) => ({ debtor: `${m.debtorNumber} ${m.debtorName}`, channel: m.channel, items: m.items.map((i) => i.number).join(', '), principal: formatCents(m.principalCents), interest: formatCents(m.interestCents), costs: formatCents(m.costsCents + m.vatCents), total: formatMoney(m.totalCents, m.currency, lang) })), [
      { key: 'debtor', label: 'Debiteur' }, { key: 'channel', label: 'Kanaal' }, { key: 'items', label: 'Posten' }, { key: 'principal', label: 'Hoofdsom', align: 'right' },
      { key: 'interest', label: 'Rente', align: 'right' }, { key: 'costs', label: 'Kosten', align: 'right' }, { key: 'total', label: 'Totaal', align: 'right' },
    ]) + '\n';
  }
  if (!msgs.length) s += 'Niets te versturen.\n';
  const skipped = Object.entries(plan.totals.skipped);
  if (skipped.length) s += `Overgeslagen: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}\n`;
  s += `${plan.totals.messages} bericht(en), ${plan.totals.items} post(en); ${plan.totals.notDueYetItems} post(en) nog niet aan de beurt.\n`;
  return s;
}

export function registerDunningCommands(program: Command, g: () => GlobalOptions): void {
  program
    .command('dun')
    .description('the dunning run: --dry-run shows exactly what would go out; without it, it goes out (once)')
    .option('--dry-run', 'preview only: nothing is written or sent')
    .option('--as-of <date>', 'run as of this date (YYYY-MM-DD)')
    .option('--override', 'send although the bank data is stale or payments wait for review')
    .option('--no-deliver', 'queue only; the server delivers the outbox')
    .option('--debtor <number...>', 'only these debtors')
    .action(async (o: { dryRun?: boolean; asOf?: string; override?: boolean; deliver: boolean; debtor?: string[] }) => {
      const opts = g();
      const asOf = asOfOption(o.asOf);
      await withAdmin(opts, o.dryRun ? 'dun --dry-run' : 'dun', async ({ db }, admin) => {
        let only: { debtorIds: number[] } | undefined;
        if (o.debtor) {
          const rows = await db.query<{ id: number; number: string }>('SELECT id, number FROM debtors WHERE administration_id = $1 AND number = ANY($2::text[])', [admin.id, o.debtor]);
          const missing = o.debtor.filter((n) => !rows.some((r) => r.number === n));
          if (missing.length) throw new AppError('not_found', `debtor ${missing.join(', ')} not found`);
          only = { debtorIds: rows.map((r) => r.id) };
        }
        if (o.dryRun) {
          const plan = await previewRun(db, admin, { asOf, override: o.override, only });
          out(opts, plan, () => planText(plan, admin.language));
          return;
        }
        const r = await sendRun(db, admin, { asOf, override: o.override, actor: 'cli', only });
        if (r.blocked) {
          out(opts, { runId: r.runId, blocked: r.blocked }, () => planText(r.plan, admin.language));
          throw new AppError('stale_bank_data', r.blocked.message.en);
        }
        const delivered = o.deliver ? await deliverDue(db, {}) : null;
        out(opts, { runId: r.runId, queued: r.queued, tasks: r.tasks, duplicates: r.duplicates, delivered }, () =>
          `run #${r.runId}: ${r.queued} message(s) queued, ${r.tasks} phone task(s)${r.duplicates ? `, ${r.duplicates} already sent before` : ''}.\n` +
          (delivered ? `delivered: ${delivered.sent} sent, ${delivered.failed} failed${delivered.uncertain ? `, ${delivered.uncertain} uncertain` : ''}.\n` : ''),
        );
      });
    });

  const outbox = program.command('outbox').description('the dunning outbox');
  outbox
    .command('list')
    .option('--status <status...>', 'queued, sending, sent, failed, uncertain')
    .action(async (o: { status?: string[] }) => {
      const opts = g();
      await withAdmin(opts, 'outbox list', async ({ db }, admin) => {
        const rows = await listActions(db, admin.id, { status: o.status, limit: 500 });
        const view = rows.map((a) => ({ id: a.id, run: a.run_id, debtor: (a.message as { debtorNumber?: string }).debtorNumber, step: a.step_key, channel: a.channel, status: a.status, attempts: a.attempts, error: a.last_error ?? '' }));
        out(opts, view, () => table(view, [{ key: 'id', label: 'Id' }, { key: 'run', label: 'Run' }, { key: 'debtor', label: 'Debiteur' }, { key: 'step', label: 'Stap' }, { key: 'channel', label: 'Kanaal' }, { key: 'status', label: 'Status' }, { key: 'attempts', label: 'Pogingen' }, { key: 'error', label: 'Fout' }]));
      });
    });
  outbox.command('deliver').description('deliver what is due now').action(async () => {
    const opts = g();
    await withAdmin(opts, 'outbox deliver', async ({ db }) => {
      const r = await deliverDue(db, {});
      out(opts, r, () => `${r.sent} sent, ${r.failed} failed, ${r.uncertain} uncertain\n`);
    });
  });
  program.command('runs').description('history of dunning runs').action(async () => {
    const opts = g();
    await withAdmin(opts, 'runs', async ({ db }, admin) => {
      const rows = await runHistory(db, admin);
      out(opts, rows, () => table(rows.map((r) => ({ ...r, queued: (r.summary as { queued?: number }).queued ?? '', tasks: (r.summary as { tasks?: number }).tasks ?? '' })), [{ key: 'id', label: 'Run' }, { key: 'asOf', label: 'Per' }, { key: 'status', label: 'Status' }, { key: 'trigger', label: 'Door' }, { key: 'queued', label: 'Berichten' }, { key: 'tasks', label: 'Taken' }, { key: 'createdAt', label: 'Tijd' }]));
    });
  });

  const legal = program.command('legal').description('Dutch statutory calculations (no database needed)');
  legal
    .command('costs <amount>')
    .description('extrajudicial collection costs (BIK scale) on a principal; --vat when the creditor cannot deduct VAT')
    .option('--vat', 'add 21% VAT (creditor cannot deduct VAT; stated in the letter)')
    .action((amount: string, o: { vat?: boolean }) => {
      const opts = g();
      const r = collectionCosts({ principalCents: amountArg('AMOUNT', amount), ...(o.vat ? { vat: { creditorCanDeductVat: false, collectionServiceChargesVat: true, statedInLetter: true } } : {}) });
      const json = { principal: formatCents(r.baseCents), costs: formatCents(r.costsCents), vat: formatCents(r.vatCents), total: formatCents(r.totalCents), minimumApplied: r.minimumApplied, maximumApplied: r.maximumApplied, brackets: r.brackets.filter((b) => b.baseCents > 0).map((b) => ({ from: formatCents(b.fromCents), to: b.toCents === null ? null : formatCents(b.toCents), rate: b.ratePercent, base: formatCents(b.baseCents), amount: formatCents(b.amountCents) })) };
      out(opts, json, () =>
        table(json.brackets, [{ key: 'from', label: 'Van' }, { key: 'to', label: 'Tot' }, { key: 'rate', label: '%', align: 'right' }, { key: 'base', label: 'Over', align: 'right' }, { key: 'amount', label: 'Bedrag', align: 'right' }]) +
        `incassokosten ${json.costs}${r.minimumApplied ? ' (minimum 40,00)' : ''}${r.maximumApplied ? ' (maximum 6.775,00)' : ''}${r.vatCents ? ` + btw ${json.vat}` : ''} = ${json.total}\n`,
      );
    });
  legal
    .command('interest')
    .description('statutory interest (consumer, art. 6:119) or commercial interest (art. 6:119a) with yearly compounding')
    .requiredOption('--principal <amount>', 'principal')
    .requiredOption('--from <date>', 'first day interest runs (inclusive)')
    .requiredOption('--to <date>', 'day the payment is credited (inclusive)')
    .requiredOption('--kind <kind>', 'consumer | commercial')
    .option('--day-count <dc>', 'actual/365 (default) or actual/actual', 'actual/365')
    .action((o: { principal: string; from: string; to: string; kind: string; dayCount: string }) => {
      const opts = g();
      if (!['consumer', 'commercial'].includes(o.kind)) throw invalid(`--kind must be consumer or commercial, not "${o.kind}"`);
      if (!isIsoDate(o.from) || !isIsoDate(o.to)) throw invalid('--from and --to must be dates YYYY-MM-DD');
      if (o.to < o.from) throw invalid('--to is before --from');
      if (!['actual/365', 'actual/actual'].includes(o.dayCount)) throw invalid('--day-count must be actual/365 or actual/actual');
      let r;
      try {
        r = statutoryInterest({ principalCents: amountArg('--principal', o.principal), from: o.from, to: o.to, kind: o.kind as 'consumer' | 'commercial', dayCount: o.dayCount as 'actual/365' });
      } catch (e) {
        throw invalid((e as Error).message);
      }
      const json = {
        principal: formatCents(amountArg('--principal', o.principal)), from: o.from, to: o.to, kind: o.kind, interest: formatCents(r.interestCents),
        periods: r.periods.map((p) => ({ from: p.from, to: p.to, days: p.days, rate: p.rate, base: formatCents(p.baseCents), interest: formatCents(p.interestCents) })),
        capitalisations: r.capitalisations.map((c) => ({ date: c.date, added: formatCents(c.addedCents) })), finalBase: formatCents(r.finalBaseCents),
      };
      out(opts, json, () =>
        table(json.periods, [{ key: 'from', label: 'Van' }, { key: 'to', label: 'Tot en met' }, { key: 'days', label: 'Dagen', align: 'right' }, { key: 'rate', label: 'Rente %', align: 'right' }, { key: 'base', label: 'Over', align: 'right' }, { key: 'interest', label: 'Rente', align: 'right' }]) +
        json.capitalisations.map((c) => `gekapitaliseerd op ${c.date}: ${c.added}\n`).join('') + `${o.kind === 'consumer' ? 'wettelijke rente' : 'wettelijke handelsrente'}: ${json.interest}\n`,
      );
    });
}
