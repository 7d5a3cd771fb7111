/** Dunning commands: `dun` (preview / send), outbox, history, and the legal calculator. */
import type { Command } from 'commander';
import { formatCents, formatMoney, parseAmount } from '../../domain/money.ts';
import { isIsoDate, todayIn } from '../../domain/dates.ts';
import { collectionCosts } from '../../domain/legal/collection-costs.ts';
import { statutoryInterest } from '../../domain/legal/interest.ts';
import type { RunPlan } from '../../domain/dunning/plan.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { previewRun, runHistory, sendRun } from '../../app/dunning.ts';
import { deliverDue, letterOfAction, withPortalLink } from '../../app/dunning-delivery.ts';
import { listActions } from '../../store/dunning.ts';
import { countByState } from '../../store/outbox.ts';
import { cancelMessage, countsText, markBounced, markPosted, outboxList, outboxShow, printBatch, resendMessage, settleUncertain } from '../../app/outbox.ts';
import { previewNextStep, previewNextStepPdf, sendNextStep } from '../../app/dunning-next.ts';
import { OUTBOX_STATES, type StateCounts } from '../../domain/dunning/outbox.ts';
import { writeFileSync } from 'node:fs';
import { letterSubject } from '../../app/documents/letter.ts';
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

function idArg(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid(`not an id: "${v}"`);
  return n;
}

/** What a run did, per state: never "queued" when it was sent, never "sent" when it was not. */
export function runReport(runId: number, states: StateCounts, tasks: number, duplicates: number, refused: string | null, lang: 'nl' | 'en'): string {
  const nl = lang === 'nl';
  return `run #${runId}: ${countsText(states, lang)}${tasks ? `; ${tasks} ${nl ? 'beltaak/-taken' : 'phone task(s)'}` : ''}${duplicates ? `; ${duplicates} ${nl ? 'al eerder verstuurd' : 'already sent before'}` : ''}.\n` +
    (refused ? `${refused}\n` : '') +
    ((states.to_print ?? 0) > 0 ? (nl ? `Brieven printen: vorder outbox print ${runId} --out brieven.pdf; daarna: vorder outbox posted ${runId}\n` : `Print the letters: vorder outbox print ${runId} --out letters.pdf; then: vorder outbox posted ${runId}\n`) : '') +
    ((states.queued ?? 0) > 0 ? (nl ? 'Nog in de wachtrij: de server verstuurt ze (of: vorder outbox deliver).\n' : 'Still queued: the server sends them (or: vorder outbox deliver).\n') : '');
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
        const ids = o.deliver ? (await listActions(db, admin.id, { runId: r.runId, limit: 100_000 })).map((x) => x.id) : [];
        const delivered = o.deliver && ids.length ? await deliverDue(db, { onlyIds: ids }) : null;
        const states = delivered ? await countByState(db, admin.id, { runId: r.runId }) : r.states;
        const lang = admin.language === 'en' ? 'en' : 'nl';
        out(opts, { runId: r.runId, queued: r.queued, email: r.email, paper: r.paper, tasks: r.tasks, duplicates: r.duplicates, refused: r.refused, states, delivered }, () =>
          runReport(r.runId, states, r.tasks, r.duplicates, r.refused?.message[lang] ?? null, lang),
        );
      });
    });

  program
    .command('next <debtor>')
    .description('the next dunning step of one debtor: --preview shows the e-mail (text; --html for HTML) and writes the letter with --pdf FILE; without --preview it goes out now')
    .option('--as-of <date>', 'as of this date (YYYY-MM-DD)')
    .option('--override', 'send although the bank data is stale or payments wait for review')
    .option('--preview', 'show what would go out; nothing is sent')
    .option('--html', 'with --preview: print the HTML part instead of the text')
    .option('--pdf <file>', 'with --preview: write the letter as PDF to this file')
    .action(async (debtor: string, o: { asOf?: string; override?: boolean; preview?: boolean; html?: boolean; pdf?: string }) => {
      const opts = g();
      const asOf = asOfOption(o.asOf);
      await withAdmin(opts, o.preview ? 'next --preview' : 'next', async ({ db }, admin) => {
        const lang = admin.language === 'en' ? 'en' : 'nl';
        if (o.preview) {
          const p = await previewNextStep(db, admin, debtor, { asOf, override: o.override });
          if (o.pdf && p.message && p.message.channel !== 'phone') writeFileSync(o.pdf, (await previewNextStepPdf(db, admin, debtor, { asOf, override: o.override })).content);
          out(opts, p, () => {
            if (!p.message) return `${p.debtorNumber}: ${lang === 'nl' ? 'geen stap aan de beurt' : 'no step is due'}${p.skipped.length ? ` (${p.skipped.map((s) => s.message[lang]).join('; ')})` : ''}\n`;
            const how = { email: `e-mail → ${p.recipients.join(', ')}`, paper: lang === 'nl' ? 'brief per post' : 'letter by post', task: lang === 'nl' ? 'taak (bellen)' : 'task (phone call)', refused: lang === 'nl' ? 'GEWEIGERD: geen mailserver ingesteld' : 'REFUSED: no mail server configured' }[p.delivery!];
            return `${p.message.stepName} (${p.message.stepKey}) · ${how}${p.blocked ? ` · ${p.blocked.message[lang]}` : ''}\n` +
              (p.mail ? `Subject: ${p.mail.subject}\n\n${o.html ? p.mail.html : p.mail.text}\n` : '') + (o.pdf ? `PDF: ${o.pdf}\n` : '');
          });
          return;
        }
        const r = await sendNextStep(db, admin, debtor, { asOf, override: o.override, actor: 'cli' });
        if (r.blocked) throw new AppError('stale_bank_data', r.blocked.message.en);
        out(opts, r, () => runReport(r.runId, r.states, 0, 0, r.refused?.message[lang] ?? null, lang) + r.messages.map((m) => `  #${m.id} ${m.stepName}: ${m.status}${m.smtpResponse ? ` (${m.smtpResponse})` : ''}${m.lastError ? ` — ${m.lastError}` : ''}\n`).join(''));
      });
    });

  const outbox = program.command('outbox').description('the dunning outbox: every message with its state; what a person does');
  outbox
    .command('list')
    .description('messages, newest first, with counts per state')
    .option('--status <status...>', OUTBOX_STATES.join(', '))
    .option('--step <key>', 'one step')
    .option('--run <id>', 'one run')
    .option('--debtor <number>', 'one debtor')
    .option('--limit <n>', 'at most n rows', '200')
    .action(async (o: { status?: string[]; step?: string; run?: string; debtor?: string; limit: string }) => {
      const opts = g();
      await withAdmin(opts, 'outbox list', async ({ db }, admin) => {
        const r = await outboxList(db, admin, { status: o.status, stepKey: o.step, runId: o.run ? Number(o.run) : undefined, debtorNumber: o.debtor, limit: Number(o.limit) });
        const view = r.rows.map((a) => ({ id: a.id, run: a.runId, debtor: a.debtorNumber, step: a.stepKey, delivery: a.delivery, status: a.status, to: a.recipient ?? '', total: a.total ?? '', attempts: a.attempts, answer: a.lastError ?? a.smtpResponse ?? '' }));
        const lang = admin.language === 'en' ? 'en' : 'nl';
        out(opts, r, () =>
          table(view, [{ key: 'id', label: 'Id' }, { key: 'run', label: 'Run' }, { key: 'debtor', label: 'Debiteur' }, { key: 'step', label: 'Stap' }, { key: 'delivery', label: 'Via' }, { key: 'status', label: 'Status' }, { key: 'to', label: 'Aan' }, { key: 'total', label: 'Bedrag', align: 'right' }, { key: 'attempts', label: 'Pogingen', align: 'right' }, { key: 'answer', label: 'Antwoord server' }]) +
          `${r.total} ${lang === 'nl' ? 'bericht(en)' : 'message(s)'}: ${countsText(r.counts, lang)}\n`,
        );
      });
    });
  outbox
    .command('show <id>')
    .description('one message: recipient, subject, items, credits, attachments, every state with the server\'s answer')
    .action(async (id: string) => {
      const opts = g();
      await withAdmin(opts, 'outbox show', async ({ db }, admin) => {
        const d = await outboxShow(db, admin, idArg(id), async (row) => letterSubject(await letterOfAction(db, admin, row)));
        out(opts, d, () =>
          `#${d.id} ${d.stepName ?? d.stepKey} · ${d.debtorNumber} ${d.debtorName} · ${d.delivery} · ${d.status}\n` +
          `aan/to: ${d.recipient ?? '-'}\nonderwerp/subject: ${d.subject ?? '-'}\nbriefdatum/letter date: ${d.letterDate ?? '-'}${d.reachedOn ? ` · bereikt/reached: ${d.reachedOn}` : ''}\n` +
          `posten/items: ${d.itemsDetail.map((i) => `${i.number} ${formatCents(i.openCents)}`).join(', ')}\n` +
          (d.credits.length ? `tegoed/credits: ${d.credits.map((c) => `${c.number} ${formatCents(c.openCents)}`).join(', ')}\n` : '') +
          `totaal/total: ${d.total} ${d.currency}\nbijlagen/attachments: ${d.attachments.map((a) => a.filename).join(', ') || '-'}\n` +
          (d.messageId ? `message-id: ${d.messageId}\n` : '') + (d.smtpResponse ? `server: ${d.smtpResponse}\n` : '') + (d.lastError ? `fout/error: ${d.lastError}\n` : '') +
          `\n` + table(d.history.map((h) => ({ at: h.at.slice(0, 19).replace('T', ' '), move: `${h.from ?? '·'} → ${h.to}`, actor: h.actor ?? '', detail: h.detail ?? '' })), [{ key: 'at', label: 'Tijd' }, { key: 'move', label: 'Status' }, { key: 'actor', label: 'Door' }, { key: 'detail', label: 'Toelichting' }]) +
          (d.actions.length ? `mogelijk/possible: ${d.actions.join(', ')}\n` : ''),
        );
      });
    });
  outbox
    .command('resend <id>')
    .description('send a failed or bounced e-mail again (an uncertain one: settle it first with mark-sent)')
    .action(async (id: string) => {
      const opts = g();
      await withAdmin(opts, 'outbox resend', async ({ db }, admin) => {
        const v = await resendMessage(db, admin, idArg(id), 'cli');
        out(opts, v, () => `#${v.id}: ${v.status} (${admin.language === 'en' ? 'goes out with the next delivery: vorder outbox deliver' : 'gaat mee met de volgende verzending: vorder outbox deliver'})\n`);
      });
    });
  outbox
    .command('cancel <id>')
    .option('--reason <text>')
    .action(async (id: string, o: { reason?: string }) => {
      const opts = g();
      await withAdmin(opts, 'outbox cancel', async ({ db }, admin) => {
        const v = await cancelMessage(db, admin, idArg(id), 'cli', o.reason);
        out(opts, v, () => `#${v.id}: ${v.status}\n`);
      });
    });
  outbox
    .command('mark-sent <id>')
    .description('settle an uncertain message after checking with the recipient: sent (the step counts) or --not-sent (failed: resend or the next run)')
    .option('--not-sent', 'it did not go out')
    .option('--note <text>')
    .action(async (id: string, o: { notSent?: boolean; note?: string }) => {
      const opts = g();
      await withAdmin(opts, 'outbox mark-sent', async ({ db }, admin) => {
        const v = await settleUncertain(db, admin, idArg(id), !o.notSent, 'cli', o.note);
        out(opts, v, () => `#${v.id}: ${v.status}\n`);
      });
    });
  outbox
    .command('bounced <id>')
    .description('a bounce came back for a sent e-mail: the step no longer counts; the next run plans it again')
    .option('--note <text>')
    .action(async (id: string, o: { note?: string }) => {
      const opts = g();
      await withAdmin(opts, 'outbox bounced', async ({ db }, admin) => {
        const v = await markBounced(db, admin, idArg(id), 'cli', o.note);
        out(opts, v, () => `#${v.id}: ${v.status}\n`);
      });
    });
  outbox.command('deliver').description('deliver what is due now').action(async () => {
    const opts = g();
    await withAdmin(opts, 'outbox deliver', async ({ db }, admin) => {
      const r = await deliverDue(db, {});
      const lang = admin.language === 'en' ? 'en' : 'nl';
      out(opts, r, () => `${countsText({ sent: r.sent, failed: r.failed, bounced: r.bounced, uncertain: r.uncertain, queued: r.retrying, to_print: r.toPrint }, lang)}${r.prepared ? ` · ${r.prepared} ${lang === 'nl' ? 'brief/brieven klaar om te printen' : 'letter(s) ready to print'}` : ''}\n`);
    });
  });
  outbox
    .command('print <run>')
    .description('all paper letters of a run as one PDF (an address page for a window envelope before each); they become "printed"')
    .requiredOption('--out <file>', 'where to write the PDF')
    .action(async (run: string, o: { out: string }) => {
      const opts = g();
      await withAdmin(opts, 'outbox print', async ({ db }, admin) => {
        const b = await printBatch(db, admin, idArg(run), 'cli', async (row) => withPortalLink(db, admin, row.debtor_id, await letterOfAction(db, admin, row), 'letter'));
        writeFileSync(o.out, b.content);
        out(opts, { letters: b.letters, ids: b.ids, file: o.out }, () => `${b.letters} ${admin.language === 'en' ? 'letter(s) in' : 'brief/brieven in'} ${o.out}\n`);
      });
    });
  outbox
    .command('posted <run>')
    .description('mark the paper letters of a run posted: each step counts from that day')
    .option('--on <date>', 'the day they were posted (YYYY-MM-DD, default today)')
    .action(async (run: string, o: { on?: string }) => {
      const opts = g();
      await withAdmin(opts, 'outbox posted', async ({ db }, admin) => {
        const r = await markPosted(db, admin, { runId: idArg(run) }, { postedOn: o.on ?? todayIn(), actor: 'cli' });
        out(opts, r, () => `${r.posted} ${admin.language === 'en' ? 'letter(s) posted' : 'brief/brieven gepost'}\n`);
      });
    });
  program.command('runs').description('history of dunning runs').action(async () => {
    const opts = g();
    await withAdmin(opts, 'runs', async ({ db }, admin) => {
      const rows = await runHistory(db, admin);
      const lang = admin.language === 'en' ? 'en' : 'nl';
      out(opts, rows, () => table(rows.map((r) => ({ ...r, messages: countsText(r.states, lang), tasks: (r.summary as { tasks?: number }).tasks ?? '' })), [{ key: 'id', label: 'Run' }, { key: 'asOf', label: 'Per' }, { key: 'status', label: 'Status' }, { key: 'trigger', label: 'Door' }, { key: 'messages', label: 'Berichten per status' }, { key: 'tasks', label: 'Taken' }, { key: 'createdAt', label: 'Tijd' }]));
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
