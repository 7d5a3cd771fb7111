/** Ledger commands: import, debtors, items, aging, administrations. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatCents, formatMoney, parseAmount } from '../../domain/money.ts';
import { PAUSED_FILTERS, type PausedFilter } from '../../store/debtors.ts';
import { isIsoDate, todayIn } from '../../domain/dates.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { importDebtorsCsv, importInvoicesCsv, importUbl, type ImportResult } from '../../app/imports.ts';
import { aging, listDebtors, listItems } from '../../app/ledger.ts';
import { exportDebtors, exportItems, type ExportFile } from '../../app/exports.ts';
import { changeAdministration, createAdministration, listAdministrations } from '../../app/administrations.ts';
import { debtorJson, itemJson, agingJson, administrationJson } from '../../http/schemas.ts';
import { table } from '../output.ts';
import { progress } from '../output.ts';
import { out, withAdmin, withDb, type GlobalOptions } from '../context.ts';

const MAX_FILE = 1024 * 1024 * 1024;

export function readInputFile(path: string): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new AppError('not_found', `file ${path} does not exist`);
  }
  if (size > MAX_FILE) throw new AppError('too_large', `${path} is larger than 1 GiB`);
  return new Uint8Array(readFileSync(path));
}

/** Option values checked before they reach SQL (`--limit abc` was an internal error naming a column "nan"). */
function count(name: string, v: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new AppError('bad_request', `${name} must be a whole number of at least ${min}, not "${v}"`);
  return Number(v);
}
function date(name: string, v: string | undefined): string {
  if (v === undefined) return todayIn();
  if (!isIsoDate(v)) throw invalid(`${name} must be a date YYYY-MM-DD, not "${v}"`);
  return v;
}

function importSummary(r: ImportResult): string {
  if (r.alreadyImported) return `${r.filename}: imported before (import #${r.importId}); nothing changed.\n`;
  return `${r.filename}: ${r.rows} row(s): ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged${r.debtorsCreated && r.kind === 'ubl' ? `, ${r.debtorsCreated} debtor(s) created` : ''}.\n`;
}

export function registerLedgerCommands(program: Command, g: () => GlobalOptions): void {
  const imp = program.command('import').description('import a file (all or nothing; the same file twice changes nothing)');
  for (const [kind, desc] of [['debtors', 'debtors from CSV (number,name,type,email,iban,language)'], ['invoices', 'invoices and credit notes from CSV (debtor_number,number,issue_date,due_date,amount,currency,payment_reference)'], ['ubl', 'a UBL 2.1 e-invoice or credit note (Peppol BIS 3 / SI-UBL 2.0)']] as const) {
    imp
      .command(`${kind} <file>`)
      .description(desc)
      .option('--map <pairs>', 'column mapping for other CSVs, e.g. "number=Klantnr,name=Naam"')
      .action(async (file: string, o: { map?: string }) => {
        const opts = g();
        const content = readInputFile(file);
        const mapping = o.map ? Object.fromEntries(o.map.split(',').map((p) => p.split('=').map((s) => s.trim()) as [string, string])) : undefined;
        await withAdmin(opts, `import ${kind}`, async ({ db }, admin) => {
          const input = { filename: basename(file), content, mapping, actor: 'cli', onProgress: opts.json ? undefined : progress(basename(file)) };
          const r = kind === 'debtors' ? await importDebtorsCsv(db, admin, input) : kind === 'invoices' ? await importInvoicesCsv(db, admin, input) : await importUbl(db, admin, input);
          out(opts, r, () => importSummary(r));
        });
      });
  }

  const debtors = program.command('debtors').description('debtors');
  debtors
    .command('list')
    .description('list debtors with balance and overdue amount')
    .option('--search <text>', 'words matching name, number, e-mail, phone, IBAN or part of an invoice number (case and accents ignored)')
    .option('--status <status>')
    .option('--overdue', 'only debtors with overdue items')
    .option('--paused <reason>', `why the run leaves them alone: ${PAUSED_FILTERS.join(' | ')}`)
    .option('--min-balance <amount>', 'open balance at least (e.g. 1000 or 1.000,00)')
    .option('--sort <key>', 'number | name | balance | overdue', 'number')
    .option('--limit <n>', 'rows', '50')
    .option('--offset <n>', 'skip rows', '0')
    .action(async (o: { search?: string; status?: string; overdue?: boolean; paused?: string; minBalance?: string; sort: 'number' | 'name' | 'balance' | 'overdue'; limit: string; offset: string }) => {
      const opts = g();
      await withAdmin(opts, 'debtors list', async ({ db }, admin) => {
        if (!['number', 'name', 'balance', 'overdue'].includes(o.sort)) throw new AppError('bad_request', `--sort must be number, name, balance or overdue, not "${o.sort}"`);
        if (o.paused !== undefined && !(PAUSED_FILTERS as readonly string[]).includes(o.paused)) throw new AppError('bad_request', `--paused must be one of ${PAUSED_FILTERS.join(', ')}, not "${o.paused}"`);
        const min = o.minBalance === undefined ? undefined : parseAmount(o.minBalance);
        if (min && !min.ok) throw new AppError('bad_request', `--min-balance: ${min.error}`);
        const r = await listDebtors(db, admin.id, { search: o.search, status: o.status, overdueOnly: o.overdue, paused: o.paused as PausedFilter | undefined, minBalanceCents: min?.ok ? min.cents : undefined, sort: o.sort, asOf: todayIn(), limit: count('--limit', o.limit, 1), offset: count('--offset', o.offset, 0) });
        out(opts, { rows: r.rows.map(debtorJson), total: r.total }, () =>
          table(r.rows.map((d) => ({ ...d, balance: formatMoney(d.balanceCents), overdue: formatMoney(d.overdueCents), hold: d.pausedReason ?? '' })), [
            { key: 'number', label: 'Nummer' }, { key: 'name', label: 'Naam' }, { key: 'type', label: 'Soort' }, { key: 'openItems', label: 'Posten', align: 'right' },
            { key: 'balance', label: 'Saldo', align: 'right' }, { key: 'overdue', label: 'Vervallen', align: 'right' }, { key: 'status', label: 'Status' }, { key: 'hold', label: '' },
          ]) + `${r.rows.length} of ${r.total} debtor(s)\n`,
        );
      });
    });

  const exportFile = async (opts: ReturnType<typeof g>, f: ExportFile, outFile: string) => {
    writeFileSync(outFile, f.body);
    out(opts, { file: outFile, rows: f.rows, contentType: f.contentType }, () => `${f.rows} row(s) written to ${outFile}\n`);
  };
  const exportFormat = (format: string, lang: string) => {
    if (format !== 'csv' && format !== 'xlsx') throw new AppError('bad_request', `--format must be csv or xlsx, not "${format}"`);
    if (lang !== 'nl' && lang !== 'en') throw new AppError('bad_request', `--lang must be nl or en, not "${lang}"`);
    return { format, lang } as const;
  };
  debtors
    .command('export')
    .description('write the debtor list (with the same filters as list) to a CSV or XLSX file')
    .requiredOption('--out <file>', 'file to write')
    .option('--format <format>', 'csv | xlsx', 'xlsx')
    .option('--lang <lang>', 'column headers and CSV notation: nl | en', 'nl')
    .option('--search <text>', 'as for list')
    .option('--status <status>')
    .option('--overdue', 'only debtors with overdue items')
    .option('--paused <reason>', `${PAUSED_FILTERS.join(' | ')}`)
    .option('--sort <key>', 'number | name | balance | overdue', 'number')
    .action(async (o: { out: string; format: string; lang: string; search?: string; status?: string; overdue?: boolean; paused?: string; sort: 'number' | 'name' | 'balance' | 'overdue' }) => {
      const opts = g();
      await withAdmin(opts, 'debtors export', async ({ db }, admin) => {
        const { format, lang } = exportFormat(o.format, o.lang);
        if (!['number', 'name', 'balance', 'overdue'].includes(o.sort)) throw new AppError('bad_request', `--sort must be number, name, balance or overdue, not "${o.sort}"`);
        if (o.paused !== undefined && !(PAUSED_FILTERS as readonly string[]).includes(o.paused)) throw new AppError('bad_request', `--paused must be one of ${PAUSED_FILTERS.join(', ')}, not "${o.paused}"`);
        await exportFile(opts, await exportDebtors(db, admin, { search: o.search, status: o.status, overdueOnly: o.overdue, paused: o.paused as PausedFilter | undefined, sort: o.sort, asOf: todayIn() }, format, lang), o.out);
      });
    });

  const items = program.command('items').description('open items (invoices, credit notes)');
  items
    .command('list')
    .description('list open items')
    .option('--overdue', 'only overdue items')
    .option('--debtor <number>', 'one debtor (number)')
    .option('--all', 'include paid items')
    .option('--as-of <date>', 'date for "overdue" (YYYY-MM-DD)')
    .option('--limit <n>', 'rows', '50')
    .option('--offset <n>', 'skip rows', '0')
    .action(async (o: { overdue?: boolean; debtor?: string; all?: boolean; asOf?: string; limit: string; offset: string }) => {
      const opts = g();
      await withAdmin(opts, 'items list', async ({ db }, admin) => {
        let debtorId: number | undefined;
        if (o.debtor) {
          const [d] = await db.query<{ id: number }>('SELECT id FROM debtors WHERE administration_id = $1 AND number = $2', [admin.id, o.debtor]);
          if (!d) throw new AppError('not_found', `debtor ${o.debtor} not found`);
          debtorId = d.id;
        }
        const r = await listItems(db, admin.id, { debtorId, status: o.overdue ? 'overdue' : o.all ? 'all' : 'open', asOf: date('--as-of', o.asOf), limit: count('--limit', o.limit, 1), offset: count('--offset', o.offset, 0) });
        out(opts, { rows: r.rows.map(itemJson), total: r.total }, () =>
          table(r.rows.map((i) => ({ ...i, amount: formatCents(i.amountCents), open: formatCents(i.openCents), hold: i.onHold ? 'on hold' : '' })), [
            { key: 'number', label: 'Nummer' }, { key: 'debtorNumber', label: 'Debiteur' }, { key: 'debtorName', label: 'Naam' }, { key: 'issueDate', label: 'Datum' },
            { key: 'dueDate', label: 'Vervalt' }, { key: 'amount', label: 'Bedrag', align: 'right' }, { key: 'open', label: 'Open', align: 'right' }, { key: 'paymentReference', label: 'Kenmerk' }, { key: 'hold', label: '' },
          ]) + `${r.rows.length} of ${r.total} item(s)\n`,
        );
      });
    });

  items
    .command('export')
    .description('write the item list to a CSV or XLSX file')
    .requiredOption('--out <file>', 'file to write')
    .option('--format <format>', 'csv | xlsx', 'xlsx')
    .option('--lang <lang>', 'column headers and CSV notation: nl | en', 'nl')
    .option('--overdue', 'only overdue items')
    .option('--all', 'include paid items')
    .option('--search <text>', 'part of the invoice number or payment reference')
    .option('--as-of <date>', 'date for "overdue" (YYYY-MM-DD)')
    .action(async (o: { out: string; format: string; lang: string; overdue?: boolean; all?: boolean; search?: string; asOf?: string }) => {
      const opts = g();
      await withAdmin(opts, 'items export', async ({ db }, admin) => {
        const { format, lang } = exportFormat(o.format, o.lang);
        await exportFile(opts, await exportItems(db, admin, { status: o.overdue ? 'overdue' : o.all ? 'all' : 'open', search: o.search, asOf: date('--as-of', o.asOf) }, format, lang), o.out);
      });
    });

  program
    .command('aging')
    .description('aging of open items: not due, 1-30, 31-60, 61-90, >90 days overdue')
    .option('--as-of <date>', 'as of this date (YYYY-MM-DD)')
    .option('--debtors', 'per debtor too')
    .option('--limit <n>', 'debtor rows', '25')
    .action(async (o: { asOf?: string; debtors?: boolean; limit: string }) => {
      const opts = g();
      await withAdmin(opts, 'aging', async ({ db }, admin) => {
        const r = await aging(db, admin, o.asOf ?? todayIn(), { debtors: o.debtors, limit: count('--limit', o.limit, 1) });
        const cols = [{ key: 'not_due', label: 'Niet vervallen' }, { key: 'd1_30', label: '1-30' }, { key: 'd31_60', label: '31-60' }, { key: 'd61_90', label: '61-90' }, { key: 'over_90', label: '>90' }, { key: 'credits', label: 'Tegoed' }, { key: 'total', label: 'Totaal' }].map((c) => ({ ...c, align: 'right' as const }));
        out(opts, { asOf: r.asOf, totals: agingJson(r.totals), ...(r.debtors ? { debtors: r.debtors.map(agingJson) } : {}) }, () => {
          let s = `Ouderdom per ${r.asOf} (${admin.name})\n` + table([agingJson(r.totals)], cols);
          if (r.debtors) s += '\n' + table(r.debtors.map(agingJson), [{ key: 'debtorNumber', label: 'Debiteur' }, { key: 'debtorName', label: 'Naam' }, ...cols]);
          return s;
        });
      });
    });

  const admins = program.command('admin').description('administrations (the businesses whose receivables Vorder manages)');
  admins.command('list').description('list administrations').action(async () => {
    const opts = g();
    await withDb(opts, 'admin list', async ({ db }) => {
      const all = await listAdministrations(db);
      out(opts, all.map(administrationJson), () => table(all, [{ key: 'id', label: 'Id' }, { key: 'name', label: 'Naam' }, { key: 'iban', label: 'IBAN' }, { key: 'language', label: 'Taal' }]));
    });
  });
  admins
    .command('set')
    .description('change the administration (name, IBAN, address and the like: letters need them)')
    .option('--name <name>')
    .option('--legal-name <name>')
    .option('--iban <iban>')
    .option('--bic <bic>')
    .option('--address <line>')
    .option('--postal-code <code>')
    .option('--city <city>')
    .option('--email <email>')
    .option('--kvk <kvk>')
    .option('--vat-number <nr>')
    .option('--creditor-id <id>')
    .option('--language <nl|en>')
    .option('--reference <cur|rf>', 'kind of generated payment references')
    .option('--auto-book <threshold>', 'matching: book automatically from this confidence (50-100)')
    .option('--stale-after <days>', 'dunning: bank data older than this blocks a run')
    .option('--vat-deductible <yes|no>', 'dunning: can the administration deduct VAT (no: VAT is added to collection costs)')
    .option('--schedule <when>', 'dunning run: daily@07:00, weekly@07:00 (Mondays), or off')
    .option('--auto-send <yes|no>', 'the scheduled run sends by itself (no: it only previews)')
    .option('--smtp <url>', 'mail server: smtp://user:pass@host:587?from=debiteuren@example.nl (smtps:// for TLS)')
    .action(async (o: Record<string, string | undefined>) => {
      const opts = g();
      await withAdmin(opts, 'admin set', async ({ db }, admin) => {
        const settings = { ...admin.settings };
        if (o.autoBook !== undefined) settings.autoBookThreshold = count('--auto-book', o.autoBook, 50);
        if (o.staleAfter !== undefined) settings.staleAfterDays = count('--stale-after', o.staleAfter, 0);
        if (o.vatDeductible !== undefined) settings.vatDeductible = !['no', 'false', 'nee'].includes(o.vatDeductible.toLowerCase());
        if (o.schedule !== undefined || o.autoSend !== undefined) {
          const prev = (settings.dunningSchedule ?? {}) as Record<string, unknown>;
          const m = o.schedule === undefined ? null : /^(daily|weekly|off)(?:@(\d{2}:\d{2}))?$/.exec(o.schedule);
          if (o.schedule !== undefined && !m) throw new AppError('bad_request', `--schedule must be daily@HH:MM, weekly@HH:MM or off, not "${o.schedule}"`);
          settings.dunningSchedule = { ...prev, ...(m ? { frequency: m[1], time: m[2] ?? prev.time ?? '07:00' } : {}), ...(o.autoSend !== undefined ? { autoSend: ['yes', 'true', 'ja'].includes(o.autoSend.toLowerCase()) } : {}) };
        }
        if (o.smtp !== undefined) {
          let u: URL;
          try {
            u = new URL(o.smtp);
          } catch {
            throw new AppError('bad_request', '--smtp must be a URL like smtp://user:pass@host:587?from=debiteuren@example.nl');
          }
          if (!['smtp:', 'smtps:'].includes(u.protocol) || !u.searchParams.get('from')) throw new AppError('bad_request', '--smtp needs smtp:// or smtps:// and ?from=address');
          settings.smtp = { host: u.hostname, port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)), secure: u.protocol === 'smtps:', user: u.username ? decodeURIComponent(u.username) : undefined, pass: u.password ? decodeURIComponent(u.password) : undefined, from: u.searchParams.get('from')! };
        }
        const a = await changeAdministration(db, admin.id, {
          name: o.name, legalName: o.legalName, iban: o.iban, bic: o.bic, addressLine: o.address, postalCode: o.postalCode, city: o.city, email: o.email, kvk: o.kvk,
          vatNumber: o.vatNumber, creditorId: o.creditorId, language: o.language as 'nl' | 'en' | undefined, referenceKind: o.reference as 'cur' | 'rf' | undefined, settings,
        });
        out(opts, administrationJson(a), () => `administration #${a.id} ${a.name} changed\n`);
      });
    });
  admins
    .command('create <name>')
    .description('create an administration')
    .option('--iban <iban>')
    .option('--kvk <kvk>')
    .option('--language <nl|en>', 'language', 'nl')
    .action(async (name: string, o: { iban?: string; kvk?: string; language: 'nl' | 'en' }) => {
      const opts = g();
      await withDb(opts, 'admin create', async ({ db }) => {
        const a = await createAdministration(db, { name, iban: o.iban, kvk: o.kvk, language: o.language });
        out(opts, administrationJson(a), () => `created administration #${a.id} ${a.name}\n`);
      });
    });
}
