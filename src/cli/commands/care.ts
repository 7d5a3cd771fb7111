/**
 * Debtor-care commands: note, call, dossier, edit; tasks, today; promise; dispute; plan; status;
 * segments; debtor show; statement of account; care check. DEBTOR is a debtor number, items are invoice numbers. The
 * acting user is --user, or VORDER_USER, or the login name.
 */
import { renderStored } from '../../domain/events.ts';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  addCall, addDisputeReason, addEntry, addNote, assignTask, cancelPlan, cancelPromise, changePromise, checkPlans, checkPromises, completeTask, createPlan, createPromise, createTask, debtorShow, disputeReasons, disputes, dossier,
  editEntry, evaluateSegments, openDispute, planLetterDocument, plans, previewPlan, promises, resendInvoice, resolveDispute, runCareChecks, changeStatus, segments, statuses, tasks, workToday, setTags,
} from '../../app/care.ts';
import { findDebtor, findItem } from '../../app/ledger.ts';
import { sendStatement, statementPdf } from '../../app/statements.ts';
import { deliverDue } from '../../app/dunning-delivery.ts';
import { getAction } from '../../store/dunning.ts';
import type { Administration } from '../../store/administrations.ts';
import type { Queryable } from '../../store/db.ts';
import { CALL_OUTCOMES, DISPUTE_RESOLUTIONS, MANUAL_ENTRY_KINDS, type CallOutcome, type DisputeResolution, type ManualEntryKind } from '../../domain/care/statuses.ts';
import { formatCents, formatMoney, parseAmount } from '../../domain/money.ts';
import { addDays, isIsoDate, todayIn } from '../../domain/dates.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { table } from '../output.ts';

/** A dossier line in the administration's language (typed events rendered; older lines as written). */
const said = (e: { kind: string; params?: unknown; summary: string }, admin: { language: string }) => renderStored(e, admin.language === 'en' ? 'en' : 'nl');
import { out, withAdmin, type GlobalOptions } from '../context.ts';

const userOf = (o: { user?: string }): string | null => o.user ?? process.env.VORDER_USER ?? process.env.USER ?? null;
const day = (name: string, v: string | undefined): string => {
  if (v === undefined) return todayIn();
  if (!isIsoDate(v)) throw invalid(`${name} must be a date YYYY-MM-DD, not "${v}"`);
  return v;
};
const amount = (v: string): number => {
  const r = parseAmount(v);
  if (!r.ok) throw invalid(`"${v}" is not an amount: ${r.error}`);
  return r.cents;
};
const int = (name: string, v: string): number => {
  if (!/^\d+$/.test(v)) throw new AppError('bad_request', `${name} must be a whole number, not "${v}"`);
  return Number(v);
};
const collect = (v: string, prev: string[] = []) => [...prev, v];
const PRIORITIES = { high: 1, normal: 2, low: 3 } as const;
const priority = (v: string): 1 | 2 | 3 => {
  if (!Object.hasOwn(PRIORITIES, v)) throw new AppError('bad_request', `--priority must be high, normal or low, not "${v}"`);
  return PRIORITIES[v as keyof typeof PRIORITIES];
};
const itemIds = async (db: Queryable, admin: Administration, numbers: readonly string[] | undefined) => Promise.all((numbers ?? []).map(async (n) => (await findItem(db, admin, n)).id));

export function registerCareCommands(program: Command, g: () => GlobalOptions): void {
  // ------------------------------------------------------------ dossier
  program
    .command('note <debtor> <text>')
    .description("add a note to the debtor's dossier")
    .option('--item <number>', 'about this invoice')
    .option('--user <name>', 'who writes it')
    .action(async (debtor: string, text: string, o: { item?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'note', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const e = o.item ? await addEntry(db, admin, d.id, { kind: 'note', text, itemId: (await findItem(db, admin, o.item)).id }, userOf(o)) : await addNote(db, admin, d.id, text, userOf(o));
        out(opts, e, () => `#${e.id} ${said(e, admin)}\n`);
      });
    });
  program
    .command('call <debtor>')
    .description(`log a phone call with its outcome (${CALL_OUTCOMES.join(', ')})`)
    .requiredOption('--outcome <outcome>', 'what came of it')
    .option('--text <text>', 'what was said')
    .option('--callback <date>', 'a call-back task on this date')
    .option('--assign <user>', 'the call-back for this user')
    .option('--user <name>')
    .action(async (debtor: string, o: { outcome: string; text?: string; callback?: string; assign?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'call', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const e = await addCall(db, admin, d.id, { outcome: o.outcome as CallOutcome, text: o.text, callbackDate: o.callback ? day('--callback', o.callback) : null, assignTo: o.assign ?? null }, userOf(o));
        out(opts, e, () => `#${e.id} ${said(e, admin)}${o.callback ? `\nterugbellen op ${o.callback}` : ''}\n`);
      });
    });
  program
    .command('entry <debtor> <kind> <text>')
    .description(`add a dossier entry: ${MANUAL_ENTRY_KINDS.join(', ')}`)
    .option('--subject <text>')
    .option('--user <name>')
    .action(async (debtor: string, kind: string, text: string, o: { subject?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'entry', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const e = await addEntry(db, admin, d.id, { kind: kind as ManualEntryKind, text, subject: o.subject ?? null }, userOf(o));
        out(opts, e, () => `#${e.id} ${said(e, admin)}\n`);
      });
    });
  program
    .command('edit <entry> <text>')
    .description('edit a dossier entry: a new version; the old one stays')
    .option('--user <name>')
    .action(async (entry: string, text: string, o: { user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'edit', async ({ db }, admin) => {
        const e = await editEntry(db, admin, int('entry', entry), { text }, userOf(o));
        out(opts, e, () => `#${e.id} ${said(e, admin)} (vervangt #${entry})\n`);
      });
    });
  program
    .command('dossier <debtor>')
    .description("the debtor's dossier, newest first")
    .option('--all', 'also earlier versions of edited entries')
    .option('--kind <kind>')
    .option('--limit <n>', 'entries', '50')
    .action(async (debtor: string, o: { all?: boolean; kind?: string; limit: string }) => {
      const opts = g();
      await withAdmin(opts, 'dossier', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const rows = await dossier(db, admin, d.id, { current: !o.all, kind: o.kind, limit: int('--limit', o.limit) });
        out(opts, rows, () => table(rows.map((e) => ({ ...e, summary: said(e, admin), at: e.at.slice(0, 16).replace('T', ' '), v: e.replacedBy ? `→ #${e.replacedBy}` : e.replaces ? `bewerkt (#${e.replaces})` : '' })), [
          { key: 'id', label: '#', align: 'right' }, { key: 'at', label: 'Tijd' }, { key: 'kind', label: 'Soort' }, { key: 'summary', label: 'Omschrijving' }, { key: 'actor', label: 'Door' }, { key: 'v', label: '' },
        ]));
      });
    });

  // ------------------------------------------------------------ tasks, today
  const t = program.command('tasks').description('tasks for people');
  t.command('list')
    .description('open tasks')
    .option('--mine <user>', "this user's (and unassigned) tasks")
    .option('--today', 'due today or earlier')
    .option('--all', 'also done and cancelled')
    .action(async (o: { mine?: string; today?: boolean; all?: boolean }) => {
      const opts = g();
      await withAdmin(opts, 'tasks list', async ({ db }, admin) => {
        const rows = await tasks(db, admin, { status: o.all ? 'all' : 'open', ...(o.mine ? { assignedTo: o.mine, includeUnassigned: true } : {}), ...(o.today ? { dueBy: todayIn() } : {}) });
        out(opts, rows, () => table(rows, [{ key: 'id', label: '#', align: 'right' }, { key: 'dueDate', label: 'Uiterlijk' }, { key: 'kind', label: 'Soort' }, { key: 'debtorNumber', label: 'Debiteur' }, { key: 'title', label: 'Taak' }, { key: 'assignedTo', label: 'Voor' }, { key: 'status', label: 'Status' }]) + `${rows.length} task(s)\n`);
      });
    });
  t.command('add <title>')
    .description('add a task')
    .requiredOption('--due <date>', 'due date')
    .option('--debtor <number>')
    .option('--kind <kind>', 'call_back, check_agreement, review_dispute, follow_up, …', 'follow_up')
    .option('--assign <user>')
    .option('--priority <p>', 'high | normal | low', 'normal')
    .action(async (title: string, o: { due: string; debtor?: string; kind: string; assign?: string; priority: string }) => {
      const opts = g();
      await withAdmin(opts, 'tasks add', async ({ db }, admin) => {
        const debtorId = o.debtor ? (await findDebtor(db, admin, o.debtor)).id : null;
        const r = await createTask(db, admin, { debtorId, kind: o.kind, title, dueDate: day('--due', o.due), assignedTo: o.assign ?? null, priority: priority(o.priority) }, userOf({}));
        out(opts, r, () => `task #${r.id}: ${r.title} (uiterlijk ${r.dueDate})\n`);
      });
    });
  t.command('done <id>')
    .description('complete a task (the outcome goes on the timeline)')
    .option('--outcome <text>')
    .option('--cancel', 'cancel instead')
    .option('--user <name>')
    .action(async (id: string, o: { outcome?: string; cancel?: boolean; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'tasks done', async ({ db }, admin) => {
        const r = await completeTask(db, admin, int('id', id), { outcome: o.outcome ?? null, cancel: o.cancel }, userOf(o));
        out(opts, r, () => `task #${r.id} ${r.status}\n`);
      });
    });
  t.command('assign <id> <user>')
    .description('assign a task')
    .action(async (id: string, user: string) => {
      const opts = g();
      await withAdmin(opts, 'tasks assign', async ({ db }, admin) => {
        const r = await assignTask(db, admin, int('id', id), user, userOf({}));
        out(opts, r, () => `task #${r.id} → ${r.assignedTo}\n`);
      });
    });
  program
    .command('today')
    .description('my work today: tasks due (phone steps included), broken promises, missed instalments, disputes past their deadline')
    .option('--user <name>', 'whose work (default: you)')
    .option('--everyone', "everyone's work")
    .option('--as-of <date>')
    .option('--days <n>', 'also what is coming in the next N days', '0')
    .action(async (o: { user?: string; everyone?: boolean; asOf?: string; days: string }) => {
      const opts = g();
      await withAdmin(opts, 'today', async ({ db }, admin) => {
        const asOf = day('--as-of', o.asOf);
        const rows = await workToday(db, admin, o.everyone ? null : userOf(o), asOf, { until: addDays(asOf, int('--days', o.days)) });
        out(opts, rows, () => table(rows.map((w) => ({ ...w, what: w.taskKind ?? w.kind, late: w.overdue ? '!' : w.priority === 1 ? '↑' : '' })), [
          { key: 'late', label: '' }, { key: 'dueDate', label: 'Datum' }, { key: 'what', label: 'Soort' }, { key: 'debtorNumber', label: 'Debiteur' }, { key: 'debtorName', label: 'Naam' }, { key: 'title', label: 'Wat' }, { key: 'taskId', label: 'Taak', align: 'right' },
        ]) + `${rows.length} item(s)\n`);
      });
    });

  // ------------------------------------------------------------ promises
  const p = program.command('promise').description('promises to pay');
  p.command('add <debtor> <amount> <date>')
    .description('record a promise (pauses the chase of its items until the date + grace)')
    .option('--item <number>', 'for this invoice (repeat); default: all open items', collect)
    .option('--grace <days>', 'grace days')
    .option('--note <text>')
    .option('--user <name>')
    .action(async (debtor: string, amt: string, date: string, o: { item?: string[]; grace?: string; note?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'promise add', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const r = await createPromise(db, admin, { debtorId: d.id, amountCents: amount(amt), promisedDate: day('date', date), itemIds: await itemIds(db, admin, o.item), ...(o.grace ? { graceDays: int('--grace', o.grace) } : {}), note: o.note ?? null }, todayIn(), userOf(o));
        out(opts, { ...r, amount: formatCents(r.amountCents) }, () => `promise #${r.id}: ${formatMoney(r.amountCents)} uiterlijk ${r.promisedDate} (+${r.graceDays} dagen)\n`);
      });
    });
  p.command('change <id>')
    .description('change an open promise: a new amount or date agreed with the debtor (checked like a new one)')
    .option('--amount <amount>')
    .option('--date <date>')
    .option('--note <text>')
    .option('--user <name>')
    .action(async (id: string, o: { amount?: string; date?: string; note?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'promise change', async ({ db }, admin) => {
        const r = await changePromise(db, admin, int('id', id), { ...(o.amount ? { amountCents: amount(o.amount) } : {}), ...(o.date ? { promisedDate: day('--date', o.date) } : {}), ...(o.note !== undefined ? { note: o.note } : {}) }, todayIn(), userOf(o));
        out(opts, { ...r, amount: formatCents(r.amountCents) }, () => `promise #${r.id}: ${formatMoney(r.amountCents)} uiterlijk ${r.promisedDate}\n`);
      });
    });
  p.command('cancel <id>')
    .description('withdraw an open promise (the chase resumes)')
    .option('--user <name>')
    .action(async (id: string, o: { user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'promise cancel', async ({ db }, admin) => {
        const r = await cancelPromise(db, admin, int('id', id), userOf(o));
        out(opts, { ...r, amount: formatCents(r.amountCents) }, () => `promise #${r.id} ingetrokken\n`);
      });
    });
  p.command('check')
    .description('check open promises: kept, or broken (task, timeline, the chase resumes)')
    .option('--as-of <date>')
    .action(async (o: { asOf?: string }) => {
      const opts = g();
      await withAdmin(opts, 'promise check', async ({ db }, admin) => {
        const r = await checkPromises(db, admin, day('--as-of', o.asOf), userOf({}));
        out(opts, r, () => `${r.kept} kept, ${r.broken} broken, ${r.results.length - r.kept - r.broken} still open\n`);
      });
    });
  p.command('list')
    .description('promises')
    .option('--status <status>', 'open | kept | broken | cancelled')
    .action(async (o: { status?: string }) => {
      const opts = g();
      await withAdmin(opts, 'promise list', async ({ db }, admin) => {
        const rows = await promises(db, admin, { status: o.status });
        out(opts, rows, () => table(rows.map((x) => ({ ...x, amount: formatCents(x.amountCents), items: x.itemIds.length ? x.itemIds.join(',') : 'alle' })), [
          { key: 'id', label: '#', align: 'right' }, { key: 'debtorId', label: 'Debiteur' }, { key: 'amount', label: 'Bedrag', align: 'right' }, { key: 'promisedDate', label: 'Datum' }, { key: 'items', label: 'Posten' }, { key: 'status', label: 'Status' },
        ]));
      });
    });

  // ------------------------------------------------------------ disputes
  const dsp = program.command('dispute').description('disputes');
  dsp.command('open <debtor>')
    .description('open a dispute on invoices (only those are paused)')
    .requiredOption('--item <number>', 'disputed invoice (repeat)', collect)
    .requiredOption('--reason <key>', 'wrong_amount, not_delivered, quality, invoice_not_received, other, or your own')
    .option('--description <text>')
    .option('--owner <user>')
    .option('--deadline <date>')
    .option('--user <name>')
    .action(async (debtor: string, o: { item: string[]; reason: string; description?: string; owner?: string; deadline?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'dispute open', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const r = await openDispute(db, admin, { debtorId: d.id, itemIds: await itemIds(db, admin, o.item), reason: o.reason, description: o.description ?? null, owner: o.owner ?? null, deadline: o.deadline ? day('--deadline', o.deadline) : null }, todayIn(), userOf(o));
        out(opts, r, () => `dispute #${r.id} (${r.reason}), termijn ${r.deadline}\n`);
      });
    });
  dsp.command('resolve <id> <resolution>')
    .description(`resolve: ${DISPUTE_RESOLUTIONS.join(', ')}`)
    .option('--amount <amount>', 'for partial_credit')
    .option('--note <text>')
    .option('--user <name>')
    .action(async (id: string, resolution: string, o: { amount?: string; note?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'dispute resolve', async ({ db }, admin) => {
        const r = await resolveDispute(db, admin, int('id', id), { resolution: resolution as DisputeResolution, ...(o.amount ? { amountCents: amount(o.amount) } : {}), note: o.note ?? null }, todayIn(), userOf(o));
        out(opts, { ...r, credit: formatCents(r.creditCents) }, () => `dispute #${r.dispute.id} resolved: ${resolution}${r.creditCents ? `, ${formatMoney(r.creditCents)} credited` : ''}\n`);
      });
    });
  dsp.command('list')
    .description('open disputes (--all: also resolved)')
    .option('--all')
    .action(async (o: { all?: boolean }) => {
      const opts = g();
      await withAdmin(opts, 'dispute list', async ({ db }, admin) => {
        const rows = await disputes(db, admin, o.all ? {} : { status: 'open' });
        out(opts, rows, () => table(rows.map((x) => ({ ...x, items: x.itemIds.join(',') })), [
          { key: 'id', label: '#', align: 'right' }, { key: 'debtorId', label: 'Debiteur' }, { key: 'reason', label: 'Reden' }, { key: 'items', label: 'Posten' }, { key: 'owner', label: 'Eigenaar' }, { key: 'deadline', label: 'Termijn' }, { key: 'status', label: 'Status' }, { key: 'resolution', label: 'Uitkomst' },
        ]));
      });
    });
  dsp.command('reasons')
    .description('the dispute reasons; --add KEY --nl LABEL --en LABEL adds one')
    .option('--add <key>')
    .option('--nl <label>')
    .option('--en <label>')
    .action(async (o: { add?: string; nl?: string; en?: string }) => {
      const opts = g();
      await withAdmin(opts, 'dispute reasons', async ({ db }, admin) => {
        const rows = o.add ? await addDisputeReason(db, admin, { key: o.add, labelNl: o.nl ?? o.add, labelEn: o.en ?? o.nl ?? o.add }) : await disputeReasons(db, admin);
        out(opts, rows, () => table(rows, [{ key: 'key', label: 'Sleutel' }, { key: 'labelNl', label: 'Nederlands' }, { key: 'labelEn', label: 'English' }]));
      });
    });
  dsp.command('resend <id>')
    .description('re-send the invoice copy from a dispute (logged as a mail out); --out writes the document')
    .option('--item <number>')
    .option('--to <address>')
    .option('--out <file>')
    .action(async (id: string, o: { item?: string; to?: string; out?: string }) => {
      const opts = g();
      await withAdmin(opts, 'dispute resend', async ({ db }, admin) => {
        const r = await resendInvoice(db, admin, int('id', id), { ...(o.item ? { itemId: (await findItem(db, admin, o.item)).id } : {}), to: o.to ?? null }, userOf({}));
        if (o.out) writeFileSync(o.out, r[0]!.content);
        out(opts, r.map(({ content: _c, ...x }) => x), () => r.map((x) => `${x.number}: ${x.filename}${o.out ? ` → ${o.out}` : ''}\n`).join(''));
      });
    });

  // ------------------------------------------------------------ plans
  const pl = program.command('plan').description('payment plans');
  pl.command('create <debtor>')
    .description('split open items into instalments: --instalments N (monthly) or --schedule 2026-12-01=100.00,2027-01-01=100.00')
    .option('--instalments <n>')
    .option('--first <date>', 'first instalment (default: a month from today)')
    .option('--schedule <list>')
    .option('--item <number>', 'only these invoices (repeat)', collect)
    .option('--grace <days>')
    .option('--interest <policy>', 'suspended | waived | added', 'suspended')
    .option('--extra <amount>', 'interest and costs added (with --interest added)')
    .option('--letter <file>', 'write the confirmation letter (PDF) here')
    .option('--preview', 'show the schedule, save nothing')
    .option('--user <name>')
    .action(async (debtor: string, o: { instalments?: string; first?: string; schedule?: string; item?: string[]; grace?: string; interest: string; extra?: string; letter?: string; preview?: boolean; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'plan create', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const schedule = o.schedule?.split(',').map((part) => {
          const [date, amt] = part.split('=');
          if (!date || !amt) throw invalid(`--schedule: "${part}" is not DATE=AMOUNT`);
          return { dueDate: day('--schedule', date.trim()), amountCents: amount(amt.trim()) };
        });
        const input = {
          debtorId: d.id, itemIds: o.item ? await itemIds(db, admin, o.item) : undefined, ...(o.instalments ? { count: int('--instalments', o.instalments) } : {}), ...(o.first ? { firstDate: day('--first', o.first) } : {}),
          ...(schedule ? { schedule } : {}), ...(o.grace ? { graceDays: int('--grace', o.grace) } : {}), interestPolicy: o.interest as never, ...(o.extra ? { extraCents: amount(o.extra) } : {}),
        };
        if (o.preview) {
          const p = await previewPlan(db, admin, input, todayIn());
          const rows = p.schedule.map((i) => ({ ...i, amount: formatMoney(i.amountCents, p.currency) }));
          return out(opts, { total: formatCents(p.totalCents), currency: p.currency, instalments: p.schedule.map((i) => ({ seq: i.seq, dueDate: i.dueDate, amount: formatCents(i.amountCents) })) },
            () => `voorstel (niet opgeslagen): ${formatMoney(p.totalCents, p.currency)} in ${p.schedule.length} termijn(en)\n` + table(rows, [{ key: 'seq', label: '#', align: 'right' }, { key: 'dueDate', label: 'Vervaldatum' }, { key: 'amount', label: 'Bedrag', align: 'right' }]));
        }
        const r = await createPlan(db, admin, input, todayIn(), userOf(o));
        if (o.letter && r.documentId) writeFileSync(o.letter, (await planLetterDocument(db, admin, r.id)).content);
        out(opts, r, () => `plan #${r.id}: ${formatMoney(r.totalCents)} in ${r.instalments.length} termijn(en)\n` + table(r.instalments.map((i) => ({ ...i, amount: formatMoney(i.amountCents) })), [{ key: 'seq', label: '#', align: 'right' }, { key: 'dueDate', label: 'Vervaldatum' }, { key: 'amount', label: 'Bedrag', align: 'right' }]) + (r.letterWarning ? `${r.letterWarning}\n` : ''));
      });
    });
  pl.command('cancel <id>')
    .description('end an active plan (the chase resumes)')
    .option('--user <name>')
    .action(async (id: string, o: { user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'plan cancel', async ({ db }, admin) => {
        const r = await cancelPlan(db, admin, int('id', id), userOf(o));
        out(opts, r, () => `plan #${r.id} beëindigd\n`);
      });
    });
  pl.command('check')
    .description('check active plans: instalments paid in order; a missed one past grace breaks the plan')
    .option('--as-of <date>')
    .action(async (o: { asOf?: string }) => {
      const opts = g();
      await withAdmin(opts, 'plan check', async ({ db }, admin) => {
        const r = await checkPlans(db, admin, day('--as-of', o.asOf), userOf({}));
        out(opts, r, () => `${r.results.length} plan(s): ${r.broken} broken, ${r.completed} completed, ${r.instalmentsMissed} instalment(s) missed\n`);
      });
    });
  pl.command('list')
    .description('payment plans')
    .option('--status <status>', 'active | completed | broken | cancelled')
    .action(async (o: { status?: string }) => {
      const opts = g();
      await withAdmin(opts, 'plan list', async ({ db }, admin) => {
        const rows = await plans(db, admin, { status: o.status });
        out(opts, rows, () => table(rows.map((x) => ({ ...x, total: formatCents(x.totalCents), paid: `${x.instalments.filter((i) => i.status === 'paid').length}/${x.instalments.length}` })), [
          { key: 'id', label: '#', align: 'right' }, { key: 'debtorId', label: 'Debiteur' }, { key: 'total', label: 'Totaal', align: 'right' }, { key: 'paid', label: 'Betaald' }, { key: 'status', label: 'Status' },
        ]));
      });
    });

  // ------------------------------------------------------------ statuses, segments
  const st = program.command('status').description('debtor statuses');
  st.command('set <debtor> <key>')
    .description("change a debtor's status (on the timeline)")
    .option('--note <text>')
    .option('--user <name>')
    .action(async (debtor: string, key: string, o: { note?: string; user?: string }) => {
      const opts = g();
      await withAdmin(opts, 'status set', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const r = await changeStatus(db, admin, d.id, key, o.note ?? null, userOf(o));
        out(opts, r, () => `${r.number}: ${r.status}\n`);
      });
    });
  st.command('list').description('the status table').action(async () => {
    const opts = g();
    await withAdmin(opts, 'status list', async ({ db }, admin) => {
      const rows = await statuses(db, admin);
      out(opts, rows, () => table(rows.map((s) => ({ ...s, pauses: s.pausesChase ? 'pauzeert' : '' })), [{ key: 'key', label: 'Sleutel' }, { key: 'labelNl', label: 'Status' }, { key: 'pauses', label: 'Aanmanen' }]));
    });
  });
  const sg = program.command('segments').description('segments by rules');
  sg.command('evaluate')
    .description('evaluate the rules for every debtor now')
    .option('--as-of <date>')
    .action(async (o: { asOf?: string }) => {
      const opts = g();
      await withAdmin(opts, 'segments evaluate', async ({ db }, admin) => {
        const r = await evaluateSegments(db, admin, day('--as-of', o.asOf));
        out(opts, r, () => `${r.evaluated} debtor(s) evaluated, ${r.changed} changed segment\n`);
      });
    });
  sg.command('list').description('segments and their rules').action(async () => {
    const opts = g();
    await withAdmin(opts, 'segments list', async ({ db }, admin) => {
      const rows = await segments(db, admin);
      out(opts, rows, () => table(rows.map((s) => ({ ...s, rules: JSON.stringify(s.rules) })), [{ key: 'priority', label: 'Prio', align: 'right' }, { key: 'key', label: 'Sleutel' }, { key: 'name', label: 'Naam' }, { key: 'rules', label: 'Regels' }, { key: 'policyKey', label: 'Beleid' }]));
    });
  });
  sg.command('tag <debtor> [tags...]')
    .description("set a debtor's tags (none: clear)")
    .action(async (debtor: string, tags: string[]) => {
      const opts = g();
      await withAdmin(opts, 'segments tag', async ({ db }, admin) => {
        const d = await findDebtor(db, admin, debtor);
        const r = await setTags(db, admin, d.id, tags ?? [], userOf({}));
        out(opts, r, () => `${d.number}: ${r.join(', ') || '(geen labels)'}\n`);
      });
    });

  // ------------------------------------------------------------ debtor show, checks
  const dt = program.command('debtor').description('one debtor');
  dt.command('show <debtor>')
    .description('header facts: balance, status, segment and why, paused and why, credit limit, payment behaviour, open promises, disputes, plans, tasks')
    .option('--as-of <date>')
    .action(async (debtor: string, o: { asOf?: string }) => {
      const opts = g();
      await withAdmin(opts, 'debtor show', async ({ db }, admin) => {
        const s = await debtorShow(db, admin, debtor, day('--as-of', o.asOf));
        out(opts, s, () => {
          const b = s.behaviour;
          const lines = [
            `${s.debtor.number}  ${s.debtor.name}  (${s.debtor.type === 'business' ? 'zakelijk' : 'consument'}${s.debtor.kvk ? `, KvK ${s.debtor.kvk}` : ''})`,
            `Saldo ${formatMoney(s.credit.balanceCents)}, vervallen ${formatMoney(s.credit.overdueCents)}${s.credit.creditLimitCents !== null ? `, kredietlimiet ${formatMoney(s.credit.creditLimitCents)}` : ''}${s.debtor.paymentTermDays !== null ? `, betaaltermijn ${s.debtor.paymentTermDays} dagen` : ''}`,
            ...(s.credit.warning ? [`! ${s.credit.warning.message}`] : []),
            ...(s.credit.creditNotes ? [`Voorwaarden: ${s.credit.creditNotes}`] : []),
            `Status: ${s.status.labelNl}${s.status.pausesChase ? ' (aanmanen gepauzeerd)' : ''}`,
            `Segment: ${s.segment ?? '–'}${s.segmentReason ? ` — ${s.segmentReason}` : ''}${s.tags.length ? `; labels ${s.tags.join(', ')}` : ''}`,
            `Aanmanen: ${s.paused.length ? `gepauzeerd — ${s.paused.map((x) => x.detail).join('; ')}` : 'loopt'}`,
            `Betaalgedrag: gemiddeld ${b.avgDaysLate12m ?? '–'} dagen te laat (12 mnd, ${b.paidCount12m} facturen), trend ${b.trend}; beloften ${b.promisesKept} nagekomen, ${b.promisesBroken} gebroken`,
            ...(b.warning ? [`! ${b.warning.message}`] : []),
            `Open: ${s.promises.length} belofte(n), ${s.disputes.length} geschil(len), ${s.plans.length} regeling(en), ${s.tasks.length} taak/taken`,
            '',
            ...s.timeline.map((e) => `${e.at.slice(0, 10)}  ${said(e, admin)}`),
          ];
          return lines.join('\n') + '\n';
        });
      });
    });
  program
    .command('statement <debtor>')
    .description("statement of account (rekeningoverzicht): every open item with the balance as a PDF; --send mails it to the debtor's addresses (none: a letter to post), once per day")
    .option('--send', 'send it (through the outbox; delivered now unless --no-deliver)')
    .option('--out <file>', 'write the PDF here (without --send: default statement-DEBTOR-DATE.pdf)')
    .option('--as-of <date>', 'the statement date (default today)')
    .option('--currency <code>', 'with open items in several currencies: this one (viewing)')
    .option('--no-deliver', 'queue only; the server delivers the outbox')
    .option('--user <name>')
    .action(async (debtor: string, o: { send?: boolean; out?: string; asOf?: string; currency?: string; deliver: boolean; user?: string }) => {
      const opts = g();
      const date = day('--as-of', o.asOf);
      await withAdmin(opts, o.send ? 'statement --send' : 'statement', async ({ db }, admin) => {
        if (!o.send) {
          const pdf = await statementPdf(db, admin, debtor, { date, currency: o.currency });
          const file = o.out ?? pdf.filename;
          writeFileSync(file, pdf.content);
          const l = pdf.letter;
          const others = pdf.currencies.filter((c) => c !== l.currency);
          out(opts, { debtor, date, file, currency: l.currency, totalCents: l.totalCents, items: l.items.map((i) => ({ number: i.number, dueDate: i.dueDate, openCents: i.openCents })), otherCurrencies: others },
            () => `${file}: rekeningoverzicht ${debtor} per ${date}, ${l.items.length} post(en), saldo ${formatMoney(l.totalCents, l.currency)}\n${others.length ? `ook open in ${others.join(', ')} (--currency)\n` : ''}`);
          return;
        }
        const r = await sendStatement(db, admin, debtor, { date, actor: userOf(o) });
        const written = o.out ?? null;
        if (written) writeFileSync(written, (await statementPdf(db, admin, debtor, { date, currency: o.currency })).content);
        const delivered = o.deliver && !r.alreadySent ? await deliverDue(db, {}) : null;
        const actions = await Promise.all(r.actions.map(async (a) => {
          const now = await getAction(db, admin.id, a.id);
          return { ...a, status: now?.status ?? a.status, lastError: now?.last_error ?? a.lastError, documentId: now?.document_id ?? a.documentId };
        }));
        out(opts, { ...r, actions, delivered, file: written }, () => {
          const lines = [`${r.message}.`];
          for (const a of actions) lines.push(`  actie #${a.id}: ${formatMoney(a.totalCents, a.currency)}, ${a.itemCount} post(en), ${a.status}${a.lastError ? ` — ${a.lastError}${a.status === 'queued' ? ' (wordt opnieuw geprobeerd)' : ''}` : ''}${a.status === 'to_print' ? ' (printen en posten: vorder outbox print / posted)' : ''}`);
          if (written) lines.push(`PDF: ${written}`);
          return lines.join('\n') + '\n';
        });
      });
    });
  program
    .command('care-check')
    .description('run the care checks now (as the nightly job does): promises, payment plans, segments')
    .option('--as-of <date>')
    .action(async (o: { asOf?: string }) => {
      const opts = g();
      await withAdmin(opts, 'care-check', async ({ db }, admin) => {
        const r = await runCareChecks(db, admin, day('--as-of', o.asOf));
        out(opts, r, () => `promises: ${r.promisesKept} kept, ${r.promisesBroken} broken; plans: ${r.plansBroken} broken, ${r.instalmentsMissed} instalment(s) missed; segments: ${r.segmentsChanged} changed\n`);
      });
    });
}
