/**
 * `vorder statement` as a real process on a PGlite data directory, mailing through an SMTP server
 * in this test (VORDER_SMTP_URL): view the PDF (--out), send it once (--send; the same day again
 * sends nothing), a letter to post without e-mail, and the exit codes of what is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun, importLedgerCsv } from '../support/cli.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';


let dir = '';
let smtp: TestSmtp;
function vorder(...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, VORDER_USER: 'anna', VORDER_SMTP_URL: `smtp://127.0.0.1:${smtp.port}?from=debiteuren%40example.nl` };
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  return runCli(['--data', join(dir, 'data'), ...args], { env, cwd: dir });
}

describe('vorder statement', () => {
  beforeAll(async () => {
    smtp = await startSmtp();
    dir = mkdtempSync(join(tmpdir(), 'vorder-statement-cli-'));
    await importLedgerCsv(vorder, dir, 'number,name,type,email,address,postal_code,city\nD1,Klant Een B.V.,business,ap@een.nl,Dorpsstraat 1,3511 AB,Utrecht\nD2,Klant Twee,consumer,,Kerkstraat 2,2345 BC,Delft\nD3,Klant Drie B.V.,business,drie@example.nl,,,\n', 'debtor_number,number,issue_date,due_date,amount\nD1,F1,2026-10-01,2026-10-31,121.00\nD1,F2,2026-10-05,2026-11-04,300.00\nD2,F3,2026-10-05,2026-11-04,99.99\n');
  }, 240_000); // each CLI call starts a process: slow when CI is busy
  afterAll(async () => {
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs the letterhead first (exit 4), then writes the PDF without sending anything', async () => {
    const bare = await vorder('statement', 'D1', '--as-of', '2026-11-22');
    expect(bare.code).toBe(4);
    expect(bare.stderr).toMatch(/addressLine/);
    expect((await vorder('admin', 'set', '--iban', 'NL91ABNA0417164300', '--address', 'Weg 1', '--postal-code', '1000 AA', '--city', 'Amsterdam')).code).toBe(0);
    const shown = await vorder('--json', 'statement', 'D1', '--as-of', '2026-11-22');
    expect(shown.code).toBe(0);
    expect(shown.json).toMatchObject({ file: 'statement-D1-2026-11-22.pdf', currency: 'EUR', totalCents: 42100, items: [{ number: 'F1', openCents: 12100 }, { number: 'F2', openCents: 30000 }] });
    expect(readFileSync(join(dir, 'statement-D1-2026-11-22.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    const named = await vorder('statement', 'D1', '--as-of', '2026-11-22', '--out', 'overzicht.pdf');
    expect(named.stdout).toContain('overzicht.pdf: rekeningoverzicht D1 per 2026-11-22, 2 post(en)');
    expect(readFileSync(join(dir, 'overzicht.pdf')).equals(readFileSync(join(dir, 'statement-D1-2026-11-22.pdf')))).toBe(true);
    expect(smtp.received).toHaveLength(0);
  }, 240_000); // each CLI call starts a process: slow when CI is busy

  it('--send mails it once with the PDF; the same day again sends nothing and says so', async () => {
    const sent = await vorder('--json', 'statement', 'D1', '--send', '--as-of', '2026-11-22');
    expect(sent.code).toBe(0);
    expect(sent.json).toMatchObject({ alreadySent: false, delivery: 'email', emails: ['ap@een.nl'], actions: [{ status: 'sent', totalCents: 42100, itemCount: 2 }], delivered: { sent: 1 } });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.attachments.map((a) => a.filename)).toEqual(['statement-D1-2026-11-22.pdf']);
    expect(smtp.received[0]!.attachments[0]!.content.equals(readFileSync(join(dir, 'statement-D1-2026-11-22.pdf')))).toBe(true);
    const again = await vorder('statement', 'D1', '--send', '--as-of', '2026-11-22');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already made on 2026-11-22 .*not sent again/);
    expect(smtp.received).toHaveLength(1);
    const outbox = await vorder('--json', 'outbox', 'list');
    expect(outbox.json.rows.filter((a: any) => a.debtorNumber === 'D1')).toEqual([expect.objectContaining({ stepKey: 'statement_on_request', channel: 'statement', status: 'sent', smtpResponse: expect.stringMatching(/^250/) })]);
    const shown = await vorder('outbox', 'show', String(outbox.json.rows.find((a: any) => a.debtorNumber === 'D1').id));
    expect(shown.stdout).toMatch(/queued → sending|· → queued/);
    expect(shown.stdout).toMatch(/sending → sent/);
  }, 240_000); // each CLI call starts a process: slow when CI is busy

  it('without an e-mail address it becomes a letter to post; without open items or an unknown debtor it is refused', async () => {
    const post = await vorder('statement', 'D2', '--send', '--as-of', '2026-11-22');
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/no e-mail address: the statement is made as a letter \(PDF\) to print and post/);
    expect(post.stdout).toMatch(/to_print/); // a letter is not "sent" until a person marks it posted
    expect(smtp.received).toHaveLength(1);
    const none = await vorder('statement', 'D3', '--send');
    expect(none.code).toBe(5);
    expect(none.stderr).toMatch(/no open items/);
    expect((await vorder('statement', 'D9')).code).toBe(3);
    expect((await vorder('statement', 'D1', '--as-of', '22-11-2026')).code).toBe(4);
  }, 240_000); // each CLI call starts a process: slow when CI is busy
});
