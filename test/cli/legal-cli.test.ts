import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const vorder = async (args: string[], env: Record<string, string> = {}) => {
  const r = await runCli(args, { env: { ...process.env, DATABASE_URL: '', ...env } });
  return { ...r, status: r.code };
};

describe('vorder legal and dun from the command line', () => {
  it('prints collection costs with their breakdown, as JSON too', async () => {
    const r = await vorder(['legal', 'costs', '6000', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.total).toBe('675.00'); // 375 + 250 + 50
    expect(j.brackets.map((b: { amount: string }) => b.amount)).toEqual(['375.00', '250.00', '50.00']);
    const vat = JSON.parse((await vorder(['legal', 'costs', '100', '--vat', '--json'])).stdout);
    expect(vat).toMatchObject({ costs: '40.00', vat: '8.40', total: '48.40', minimumApplied: true });
    expect((await vorder(['legal', 'costs', 'veel'])).status).toBe(4);
  });

  it('prints statutory interest per period with the capitalisations', async () => {
    const r = await vorder(['legal', 'interest', '--principal', '10000', '--from', '2023-01-01', '--to', '2025-06-30', '--kind', 'commercial', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.interest).toBe('3197.60');
    expect(j.capitalisations).toEqual([{ date: '2024-01-01', added: '1125.62' }, { date: '2025-01-01', added: '1380.49' }]);
    const human = await vorder(['legal', 'interest', '--principal', '10000', '--from', '2023-01-01', '--to', '2025-06-30', '--kind', 'commercial']);
    expect(human.stdout).toContain('wettelijke handelsrente: 3197.60');
    expect((await vorder(['legal', 'interest', '--principal', '1', '--from', '2023-01-01', '--to', '2025-06-30', '--kind', 'nope'])).status).toBe(4);
  });

  it('previews and sends a dunning run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vorder-dun-'));
    try {
      writeFileSync(join(dir, 'd.csv'), 'number,name,type,email,iban,language\nD1,Klant B.V.,business,,,nl\n');
      writeFileSync(join(dir, 'i.csv'), 'debtor_number,number,issue_date,due_date,amount,currency,payment_reference\nD1,F1,2026-10-01,2026-10-31,121.00,EUR,\n');
      expect((await vorder(['--data', dir, 'import', 'debtors', join(dir, 'd.csv')])).status).toBe(0);
      expect((await vorder(['--data', dir, 'import', 'invoices', join(dir, 'i.csv')])).status).toBe(0);
      expect((await vorder(['--data', dir, 'dun', '--as-of', '2026-11-22', '--override'])).status).toBe(4); // no letterhead yet
      expect((await vorder(['--data', dir, 'admin', 'set', '--name', 'Mijn Bedrijf B.V.', '--iban', 'NL91ABNA0417164300', '--address', 'Weg 1', '--postal-code', '1000 AA', '--city', 'Amsterdam'])).status).toBe(0);
      const dry = await vorder(['--data', dir, 'dun', '--dry-run', '--as-of', '2026-11-22', '--json']);
      expect(dry.status).toBe(0);
      const plan = JSON.parse(dry.stdout);
      expect(plan.blocked.reason).toBe('stale_bank_data');
      expect(plan.wouldSend).toHaveLength(1);
      const refused = await vorder(['--data', dir, 'dun', '--as-of', '2026-11-22']);
      expect(refused.status).toBe(7);
      const sent = await vorder(['--data', dir, 'dun', '--as-of', '2026-11-22', '--override', '--json']);
      expect(sent.status).toBe(0);
      // no e-mail address: a letter to print and post; nothing counts as sent until a person marks it posted
      const result = JSON.parse(sent.stdout);
      expect(result).toMatchObject({ queued: 1, paper: 1, delivered: { sent: 0 } });
      expect(result.states).toEqual({ to_print: 1 });
      expect(JSON.parse((await vorder(['--data', dir, 'dun', '--as-of', '2026-11-22', '--override', '--json'])).stdout)).toMatchObject({ queued: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000); // eight CLI processes, each opening the embedded database
});
