/** Bank commands: import statement, match list|confirm|reject|undo|ignore, export allocations. */
import { todayIn } from '../../domain/dates.ts';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { writeCsv } from '../../formats/csv.ts';
import { parseBankCsvMap, type BankCsvMapping } from '../../formats/bank-csv.ts';
import { confirmMatch, exportAllocations, ignoreLine, importStatement, listReview, rejectMatch, undoMatch, type ReviewLine, type StatementImportResult } from '../../app/bank.ts';
import { AppError } from '../../app/errors.ts';
import { out, withAdmin, type GlobalOptions } from '../context.ts';
import { table } from '../output.ts';
import { readInputFile } from './ledger.ts';

function lineId(v: string): number {
  if (!/^\d+$/.test(v)) throw new AppError('bad_request', `a bank line id is a number, not "${v}"`);
  return Number(v);
}

function importText(r: StatementImportResult): string {
  if (r.alreadyImported) return `${r.filename}: imported before; nothing changed.\n`;
  const m = r.matching;
  let s = `${r.filename} (${r.format}, ${r.accounts.join(', ')}): ${r.entries} entries, ${r.newEntries} new, ${r.duplicateEntries} seen before.\n`;
  s += `matching: ${m.booked} booked automatically, ${m.suggested} to review, ${m.unmatched} unmatched, ${m.ignored} outgoing/ignored.\n`;
  const c = r.collections;
  if (c.settled || c.returned || c.unknown) s += `direct debits: ${c.settled} collected, ${c.returned} returned (${c.retried} collected again, ${c.mandatesEnded} mandate(s) ended)${c.unknown ? `, ${c.unknown} return(s) of an unknown EndToEndId to review` : ''}.\n`;
  for (const w of r.warnings) s += `  note: ${w.message}\n`;
  return s;
}

function reviewText(rows: readonly ReviewLine[]): string {
  return table(
    rows.map((r) => {
      const top = r.suggestions.find((s) => s.status === 'open') ?? r.suggestions[0];
      return {
        id: r.id, date: r.bookingDate, amount: r.amount, from: r.counterpartyName ?? r.counterpartyIban ?? '', text: r.reference ?? r.remittance, status: r.status,
        suggestion: top ? `${top.items.map((i) => i.number).join('+') || '-'} ${top.debtorName ?? ''} (${top.kind}, ${top.confidence}%)` : '',
      };
    }),
    [{ key: 'id', label: 'Id', align: 'right' }, { key: 'date', label: 'Datum' }, { key: 'amount', label: 'Bedrag', align: 'right' }, { key: 'from', label: 'Van' }, { key: 'text', label: 'Omschrijving' }, { key: 'status', label: 'Status' }, { key: 'suggestion', label: 'Voorstel' }],
  );
}

function lineText(r: ReviewLine): string {
  let s = `bank line ${r.id}: ${r.status}, ${r.amount} ${r.currency} on ${r.bookingDate} from ${r.counterpartyName ?? r.counterpartyIban ?? '?'}\n`;
  for (const sg of r.suggestions) s += `  ${sg.status.padEnd(9)} ${sg.kind} ${sg.confidence}%: ${sg.items.map((i) => `${i.number} ${i.amount}`).join(', ')}${sg.credit !== '0.00' ? ` + tegoed ${sg.credit}` : ''} — ${sg.signals.join('; ')}\n`;
  return s;
}

export function registerBankCommands(program: Command, g: () => GlobalOptions): void {
  const imp = program.commands.find((c) => c.name() === 'import')!;
  imp
    .command('statement <file>')
    .description('a bank statement (CAMT.053, MT940, CODA or bank CSV; detected): entries booked once, payments matched')
    .option('--accept-unbalanced', 'import a statement whose opening balance + entries is not its closing balance, or that has no closing balance (refused otherwise)')
    .option('--map <pairs>', 'column mapping for a CSV layout that is not recognised, e.g. "date=Datum,amount=Bedrag,name=Naam,iban=Tegenrekening,description=Omschrijving,decimal=comma"')
    .action(async (file: string, o: { acceptUnbalanced?: boolean; map?: string }) => {
      const opts = g();
      let csvMapping: BankCsvMapping | undefined;
      if (o.map) {
        const m = parseBankCsvMap(o.map);
        if (!m.ok) throw new AppError('bad_request', `--map: ${m.error.message}`);
        csvMapping = m.mapping;
      }
      const content = readInputFile(file);
      await withAdmin(opts, 'import statement', async ({ db }, admin) => {
        const r = await importStatement(db, admin, { filename: basename(file), content, actor: 'cli', acceptUnbalanced: o.acceptUnbalanced === true, csvMapping, asOf: todayIn() });
        out(opts, r, () => importText(r));
      });
    });

  const match = program.command('match').description('review what the matcher proposed');
  match
    .command('list')
    .description('bank lines waiting for review (suggestions and unmatched payments)')
    .option('--all', 'also booked and ignored lines')
    .option('--limit <n>', 'rows', '50')
    .action(async (o: { all?: boolean; limit: string }) => {
      const opts = g();
      await withAdmin(opts, 'match list', async ({ db }, admin) => {
        const r = await listReview(db, admin, { status: o.all ? ['suggested', 'unmatched', 'auto', 'confirmed', 'ignored'] : undefined, limit: Number(o.limit) || 50 });
        out(opts, r, () => reviewText(r.rows) + `${r.rows.length} of ${r.total} line(s)\n`);
      });
    });
  match
    .command('confirm <id>')
    .description('book the top suggestion of a bank line, or the items you name')
    .option('--item <number...>', 'book to these items instead (oldest first; the rest becomes credit)')
    .option('--suggestion <id>', 'confirm this suggestion instead of the top one')
    .option('--learn-iban', "with --item: remember the payer's account for this debtor")
    .action(async (id: string, o: { item?: string[]; suggestion?: string; learnIban?: boolean }) => {
      const opts = g();
      await withAdmin(opts, 'match confirm', async ({ db }, admin) => {
        const r = await confirmMatch(db, admin, lineId(id), { itemNumbers: o.item, suggestionId: o.suggestion ? Number(o.suggestion) : undefined, learnIban: o.learnIban, actor: 'cli' });
        out(opts, r, () => lineText(r));
      });
    });
  for (const [name, desc, fn] of [
    ['reject', 'reject the top suggestion of a bank line (remembered: never proposed again)', rejectMatch],
    ['undo', 'unbook a bank line: everything back as it was', undoMatch],
    ['ignore', 'mark a bank line as not a debtor payment', ignoreLine],
  ] as const) {
    match.command(`${name} <id>`).description(desc).action(async (id: string) => {
      const opts = g();
      await withAdmin(opts, `match ${name}`, async ({ db }, admin) => {
        const r = await fn(db, admin, lineId(id), { actor: 'cli' } as never);
        out(opts, r, () => lineText(r));
      });
    });
  }

  const exp = program.command('export').description('export data');
  exp
    .command('allocations')
    .description('what each bank entry paid: entryRef, invoice, amount, status (auto|confirmed|suggested), date')
    .option('--format <format>', 'json or csv', 'json')
    .action(async (o: { format: string }) => {
      const opts = g();
      if (!['json', 'csv'].includes(o.format)) throw new AppError('bad_request', `--format must be json or csv, not "${o.format}"`);
      await withAdmin(opts, 'export allocations', async ({ db }, admin) => {
        if (o.format === 'json') {
          // the agreed five fields, and beside them why: reason codes with params and the same in words (the administration's language)
          const rows = await exportAllocations(db, admin, { reasons: true, lang: admin.language === 'nl' ? 'nl' : 'en' });
          process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
          return;
        }
        const rows = await exportAllocations(db, admin);
        process.stdout.write(writeCsv(['entryRef', 'invoice', 'amount', 'status', 'date'], rows.map((r) => [r.entryRef, r.invoice, r.amount, r.status, r.date])));
      });
    });
}
