/**
 * The care commands as real processes on a PGlite data directory: note, call, dossier, edit,
 * tasks, today, promise, dispute, plan, status, segments, debtor show, care-check; exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun, importLedgerCsv } from '../support/cli.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, todayIn } from '../../src/domain/dates.ts';

// dates within the policy's limits (a promise at most 60 days ahead, a plan within 24 months)
const soon = (days: number) => addDays(todayIn(), days);


let dir = '';
function vorder(...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, VORDER_USER: 'anna' };
  delete env.DATABASE_URL;
  delete env.VORDER_DATA;
  return runCli(['--data', join(dir, 'data'), ...args], { env });
}

describe('vorder care commands', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vorder-care-cli-'));
    await importLedgerCsv(vorder, dir, 'number,name,type\nD1,Klant Een B.V.,business\nD2,Klant Twee,consumer\n', 'debtor_number,number,issue_date,due_date,amount\nD1,F1,2026-10-01,2026-10-31,121.00\nD1,F2,2026-10-05,2026-11-04,300.00\nD2,F3,2026-10-05,2026-11-04,99.99\n');
  }, 240_000); // each CLI call starts a process: slow when CI is busy
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds notes and calls, edits keep the old version, tasks and today', async () => {
    const note = await vorder('--json', 'note', 'D1', 'Belt terug');
    expect(note.code).toBe(0);
    expect(note.json).toMatchObject({ kind: 'note', actor: 'anna' });
    expect((await vorder('call', 'D1', '--outcome', 'no_answer', '--callback', '2026-12-01')).stdout).toContain('terugbellen op 2026-12-01');
    expect((await vorder('call', 'D1', '--outcome', 'bogus')).code).toBe(4);
    const edit = await vorder('--json', 'edit', String(note.json.id), 'Belt morgen terug');
    expect(edit.json.data.replaces).toBe(note.json.id);
    const all = await vorder('--json', 'dossier', 'D1', '--all');
    expect(all.json.find((e: any) => e.id === note.json.id).replacedBy).toBe(edit.json.id);
    const add = await vorder('--json', 'tasks', 'add', 'Afspraak nakijken', '--due', '2026-11-20', '--debtor', 'D1', '--kind', 'check_agreement', '--assign', 'anna');
    expect(add.code).toBe(0);
    const today = await vorder('--json', 'today', '--as-of', '2026-12-02');
    expect(today.json.map((w: any) => w.taskKind)).toEqual(expect.arrayContaining(['check_agreement', 'call_back']));
    const done = await vorder('--json', 'tasks', 'done', String(add.json.id), '--outcome', 'klopt');
    expect(done.json.status).toBe('done');
    expect((await vorder('tasks', 'done', String(add.json.id))).code).toBe(5);
    expect((await vorder('--json', 'tasks', 'list', '--mine', 'anna')).json.map((t: any) => t.kind)).toEqual(['call_back']);
  }, 240_000); // each CLI call starts a process: slow when CI is busy

  it('promises, disputes, plans, status, segments, debtor show, care-check', async () => {
    const p = await vorder('--json', 'promise', 'add', 'D1', '121,00', soon(10), '--item', 'F1');
    expect(p.json).toMatchObject({ amount: '121.00', promisedDate: soon(10), status: 'open' });
    expect((await vorder('promise', 'add', 'D9', '1.00', soon(5))).code).toBe(3);
    expect((await vorder('--json', 'promise', 'check')).json).toMatchObject({ kept: 0, broken: 0 });
    const d = await vorder('--json', 'dispute', 'open', 'D1', '--item', 'F2', '--reason', 'quality', '--owner', 'anna');
    expect(d.json).toMatchObject({ status: 'open', reason: 'quality' });
    expect((await vorder('--json', 'dispute', 'list')).json).toHaveLength(1);
    const r = await vorder('--json', 'dispute', 'resolve', String(d.json.id), 'partial_credit', '--amount', '100.00');
    expect(r.json).toMatchObject({ credit: '100.00', dispute: { status: 'resolved' } });
    const plan = await vorder('--json', 'plan', 'create', 'D2', '--schedule', `${soon(30)}=50.00,${soon(61)}=49.99`);
    expect(plan.code).toBe(0);
    expect(plan.json.instalments.map((i: any) => i.amountCents)).toEqual([5000, 4999]);
    expect((await vorder('plan', 'create', 'D2', '--instalments', '2')).code).toBe(5); // already in a plan
    expect((await vorder('--json', 'plan', 'check')).json).toMatchObject({ broken: 0 });
    expect((await vorder('--json', 'status', 'set', 'D2', 'legal')).json.status).toBe('legal');
    expect((await vorder('status', 'set', 'D2', 'nope')).code).toBe(4);
    expect((await vorder('--json', 'segments', 'evaluate')).json).toEqual({ evaluated: 0, changed: 0 });
    expect((await vorder('--json', 'segments', 'list')).json).toEqual([]);
    const show = await vorder('debtor', 'show', 'D1');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Aanmanen: gepauzeerd — betalingsbelofte tot ${soon(13)}`);
    expect(show.stdout).toContain('Saldo € 321,00');
    const showJson = await vorder('--json', 'debtor', 'show', 'D2');
    expect(showJson.json.paused.map((x: any) => x.code)).toEqual(['status_paused', 'payment_plan']);
    expect((await vorder('--json', 'care-check')).json).toEqual({ promisesKept: 0, promisesBroken: 0, instalmentsMissed: 0, plansBroken: 0, segmentsChanged: 0 });
    const list = await vorder('--json', 'debtors', 'list');
    expect(list.json.rows.find((x: any) => x.number === 'D2').pausedReason).toBe('status Juridisch; betalingsregeling loopt');
  }, 240_000); // each CLI call starts a process: slow when CI is busy

  it('debtors list filters on why a debtor is paused and on its balance', async () => {
    expect((await vorder('--json', 'debtors', 'list', '--paused', 'payment_plan')).json.rows.map((x: any) => x.number)).toEqual(['D2']);
    expect((await vorder('--json', 'debtors', 'list', '--min-balance', '300,00', '--paused', 'promise_to_pay')).json.rows.map((x: any) => x.number)).toEqual(['D1']);
    const bad = await vorder('debtors', 'list', '--paused', 'holiday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--paused must be one of any, none, on_hold');
  }, 180_000);
});
