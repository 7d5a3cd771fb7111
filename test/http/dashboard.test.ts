/** The dashboard summary endpoint on both engines: totals, DSO and trend, weeks, paused reasons. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { getAdministration } from '../../src/app/administrations.ts';
import { writeOff } from '../../src/app/ledger.ts';

describe.each(ENGINES)('dashboard API on %s', (engine) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let auth: Authed;
  let A = 0;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await auth.request(path, body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    db = await testDb(engine);
    app = createApp({ db, today: () => '2026-11-22' });
    auth = await authed(app, db);
    A = (await call('POST', '/api/administrations', { name: 'Dash BV' })).body.id;
    const d1 = (await call('POST', `/api/administrations/${A}/debtors`, { number: 'D1', name: 'Eerste BV' })).body.id;
    const d2 = (await call('POST', `/api/administrations/${A}/debtors`, { number: 'D2', name: 'Tweede BV' })).body.id;
    const item = (number: string, debtorId: number, issueDate: string, dueDate: string, amount: string) =>
      call('POST', `/api/administrations/${A}/items`, { debtorId, number, issueDate, dueDate, amount });
    await item('F1', d1, '2026-09-01', '2026-10-01', '1000.00'); // overdue 52 days
    await item('F2', d1, '2026-11-10', '2026-11-24', '500.00'); // due this week (Mon 23 Nov)
    await item('F3', d2, '2026-11-15', '2026-12-01', '250.00'); // due next week
    await item('C1', d2, '2026-11-16', '2026-11-16', '-50.00'); // credit note
    const f4 = await item('F4', d2, '2026-06-01', '2026-07-01', '300.00'); // written off: not open any more
    const admin = (await getAdministration(db, A))!;
    await writeOff(db, admin, f4.body.id, '2026-08-01', 'uncollectable');
    expect((await call('POST', `/api/administrations/${A}/debtors/${d2}/hold`, { reason: 'curator' })).status).toBe(200);
    const items = (await call('GET', `/api/administrations/${A}/items?search=F2`)).body.rows;
    expect((await call('POST', `/api/administrations/${A}/items/${items[0].id}/hold`, { reason: 'curator' })).status).toBe(200);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('sums what is open and overdue, per item and per debtor', async () => {
    const r = await call('GET', `/api/administrations/${A}/dashboard`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ asOf: '2026-11-22', open: '1700.00', overdue: '1000.00', openItems: 4, overdueItems: 1, debtorsOpen: 2, debtorsOverdue: 1 });
  });

  it('computes DSO from the last 90 days of invoicing, and its trend per month', async () => {
    const r = (await call('GET', `/api/administrations/${A}/dashboard?months=3`)).body;
    // invoiced 23 Aug – 22 Nov: F1, F2, F3 = 1750.00; open 1700.00 → 1700 / 1750 × 90 = 87.4 days
    expect(r.dso).toBeCloseTo(87.4, 1);
    // not yet due: F2, F3 = 750.00 → 750 / 1750 × 90 = 38.6 days (the credit note C1 is past its date)
    expect(r.bestPossibleDso).toBeCloseTo(38.6, 1);
    expect(r.dsoTrend.map((p: { month: string }) => p.month)).toEqual(['2026-08-22', '2026-09-22', '2026-10-22', '2026-11-22']);
    expect(r.dsoTrend[3].dso).toBe(r.dso);
    // 22 Sep: receivables F1 (1000; F4 was written off on 1 Aug) over invoiced F1 (1000) in the window → 90 days
    expect(r.dsoTrend[1]).toMatchObject({ receivables: '1000.00', invoiced: '1000.00', dso: 90 });
    // 22 Aug: F4 (issued 1 Jun) was written off on 1 Aug: invoiced 300.00 in the window, nothing open → 0 days
    expect(r.dsoTrend[0]).toMatchObject({ receivables: '0.00', invoiced: '300.00', dso: 0 });
  });

  it('lists what falls due per week from the week of today', async () => {
    const r = (await call('GET', `/api/administrations/${A}/dashboard?weeks=3`)).body;
    expect(r.expected).toEqual([
      { weekStart: '2026-11-16', due: '0.00', items: 0 },
      { weekStart: '2026-11-23', due: '500.00', items: 1 },
      { weekStart: '2026-11-30', due: '250.00', items: 1 },
    ]);
  });

  it('counts what is paused, by reason', async () => {
    const r = (await call('GET', `/api/administrations/${A}/dashboard`)).body;
    expect(r.paused).toEqual([{ reason: 'hold:curator', debtors: 1, items: 1 }]);
  });

  it('refuses an unknown administration and a bad date', async () => {
    expect((await call('GET', '/api/administrations/9999/dashboard')).status).toBe(404);
    expect((await call('GET', `/api/administrations/${A}/dashboard?asOf=22-11-2026`)).status).toBe(400);
  });
});
