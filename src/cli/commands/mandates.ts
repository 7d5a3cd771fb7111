/**
 * SEPA direct debit mandates: `vorder mandates import FILE` (CSV with headers
 * debtor_number,mandate_id,signature_date,iban,bic,scheme; all or nothing), `vorder mandates list`,
 * `vorder mandates revoke ID`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { amendMandate, importMandatesCsv, listMandates, mandateForm, revokeMandate } from '../../app/mandates.ts';
import { findDebtor } from '../../app/ledger.ts';
import { formatIban } from '../../domain/references.ts';
import { isIsoDate, todayIn } from '../../domain/dates.ts';
import { AppError, invalid } from '../../app/errors.ts';
import { table } from '../output.ts';
import { out, withAdmin, type GlobalOptions } from '../context.ts';

const day = (name: string, v: string | undefined): string => {
  if (v === undefined) return todayIn();
  if (!isIsoDate(v)) throw invalid(`${name} must be a date YYYY-MM-DD, not "${v}"`);
  return v;
};
const userOf = (o: { user?: string }): string | null => o.user ?? process.env.VORDER_USER ?? process.env.USER ?? null;

export function registerMandateCommands(program: Command, g: () => GlobalOptions): void {
  const mandates = program.command('mandates').description('SEPA direct debit mandates');

  mandates
    .command('import <file>')
    .description('import mandates from CSV (debtor_number,mandate_id,signature_date,iban,bic,scheme; optional recurring yes/no); all or nothing')
    .option('--as-of <date>', 'the date the signatures are checked against (default today)')
    .option('--user <name>', 'who imports')
    .action(async (file: string, o: { asOf?: string; user?: string }) => {
      const opts = g();
      const content = new Uint8Array(readFileSync(file));
      await withAdmin(opts, 'mandates import', async ({ db }, admin) => {
        const r = await importMandatesCsv(db, admin, { filename: basename(file), content, actor: userOf(o) }, day('--as-of', o.asOf));
        out(opts, r, () => `${r.filename}: ${r.created} mandate(s) imported\n`);
      });
    });

  mandates
    .command('list')
    .description('the mandates with their status on a date (expired: 36 months unused)')
    .option('--debtor <number>', 'only this debtor')
    .option('--as-of <date>', 'status on this date (default today)')
    .action(async (o: { debtor?: string; asOf?: string }) => {
      const opts = g();
      await withAdmin(opts, 'mandates list', async ({ db }, admin) => {
        const debtorId = o.debtor ? (await findDebtor(db, admin, o.debtor)).id : undefined;
        const rows = await listMandates(db, admin, day('--as-of', o.asOf), debtorId !== undefined ? { debtorId } : {});
        out(opts, rows, () => rows.length === 0 ? 'no mandates\n' : table(rows.map((m) => ({
          id: m.id, debtor: m.debtorNumber, mandate: m.mandateId, signed: m.signatureDate, iban: formatIban(m.iban), scheme: m.scheme,
          type: m.recurring ? 'RCUR' : 'OOFF', status: m.state.status, lastUsed: m.lastUsedAt ?? '',
        })), [
          { key: 'id', label: 'id', align: 'right' }, { key: 'debtor', label: 'debtor' }, { key: 'mandate', label: 'mandate id' }, { key: 'signed', label: 'signed' },
          { key: 'iban', label: 'IBAN' }, { key: 'scheme', label: 'scheme' }, { key: 'type', label: 'type' }, { key: 'status', label: 'status' }, { key: 'lastUsed', label: 'last used' },
        ]));
      });
    });

  mandates
    .command('change <id>')
    .description('a new IBAN (and BIC) or mandate id; the next collection tells the bank (amendment)')
    .option('--iban <iban>')
    .option('--bic <bic>')
    .option('--mandate-id <id>')
    .option('--user <name>', 'who changes it')
    .action(async (id: string, o: { iban?: string; bic?: string; mandateId?: string; user?: string }) => {
      const opts = g();
      if (!/^[1-9]\d{0,14}$/.test(id)) throw new AppError('bad_request', `the mandate id must be a number from \`vorder mandates list\`, not "${id}"`);
      await withAdmin(opts, 'mandates change', async ({ db }, admin) => {
        const m = await amendMandate(db, admin, Number(id), { ...(o.iban ? { iban: o.iban } : {}), ...(o.bic ? { bic: o.bic } : {}), ...(o.mandateId ? { mandateId: o.mandateId } : {}) }, todayIn(), userOf(o));
        out(opts, m, () => `mandate ${m.mandateId}: IBAN ${formatIban(m.iban)}${m.originalMandateId || m.originalIban ? ' (the next collection carries the amendment)' : ''}\n`);
      });
    });

  mandates
    .command('form <id>')
    .description('the printable mandate form for signing (PDF, Dutch standard wording)')
    .option('--out <file>', 'where to write the PDF')
    .action(async (id: string, o: { out?: string }) => {
      const opts = g();
      if (!o.out) throw new AppError('bad_request', 'vorder mandates form needs --out FILE');
      if (!/^[1-9]\d{0,14}$/.test(id)) throw new AppError('bad_request', `"${id}" is not a mandate id (the number from vorder mandates list)`);
      await withAdmin(opts, 'mandates form', async ({ db }, admin) => {
        const f = await mandateForm(db, admin, Number(id), todayIn());
        writeFileSync(o.out!, f.pdf);
        out(opts, { file: o.out, bytes: f.pdf.length }, () => `mandate form written to ${o.out}\n`);
      });
    });

  mandates
    .command('revoke <id>')
    .description('revoke a mandate (no collection on or after the date)')
    .option('--date <date>', 'from this date (default today)')
    .option('--user <name>', 'who revokes')
    .action(async (id: string, o: { date?: string; user?: string }) => {
      const opts = g();
      if (!/^[1-9]\d{0,14}$/.test(id)) throw new AppError('bad_request', `the mandate id must be a number from \`vorder mandates list\`, not "${id}"`);
      await withAdmin(opts, 'mandates revoke', async ({ db }, admin) => {
        const m = await revokeMandate(db, admin, Number(id), day('--date', o.date), userOf(o));
        out(opts, m, () => `mandate ${m.mandateId} revoked from ${m.revokedAt}\n`);
      });
    });
}
