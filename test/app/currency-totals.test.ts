/** Aging per currency: an invoice in USD is never added into the EUR total; a code that is no currency is refused. Both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { createItem } from '../../src/app/ledger.ts';
import { agingTotals } from '../../src/store/aging.ts';
import { dashboardSummary } from '../../src/store/dashboard.ts';

describe.each(ENGINES)('totals per currency on %s', (engine) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDb(engine);
  });
  afterAll(async () => db.drop());

  it('keeps USD out of the EUR aging and shows each currency on its own', async () => {
    const a = await anAdministration(db);
    const d = await aDebtor(db, a);
    await anInvoice(db, a, d, { amount: '121.00', dueDate: '2026-10-31' });
    await createItem(db, a, { debtorId: d.id, number: 'US-1', issueDate: '2026-10-01', dueDate: '2026-12-31', amountCents: 50000, currency: 'usd' });
    const t = await agingTotals(db, a.id, '2026-11-22');
    expect(t.total).toBe(12100);
    expect(t.byCurrency).toEqual({ EUR: { not_due: 0, d1_30: 12100, d31_60: 0, d61_90: 0, over_90: 0, credits: 0, total: 12100 }, USD: { not_due: 50000, d1_30: 0, d31_60: 0, d61_90: 0, over_90: 0, credits: 0, total: 50000 } });
    const one = await agingTotals(db, a.id, '2026-11-22', { debtorId: d.id });
    expect(one.byCurrency.USD!.total).toBe(50000);
    expect(one.total).toBe(12100);
    const dash = await dashboardSummary(db, a.id, '2026-11-22');
    expect(dash).toMatchObject({ openCents: 12100, overdueCents: 12100, openItems: 1, byCurrency: { EUR: { openCents: 12100, overdueCents: 12100 }, USD: { openCents: 50000, overdueCents: 0, openItems: 1 } } });
    for (const bad of ['XXX', 'ABC', 'EURO'])
      await expect(createItem(db, a, { debtorId: d.id, number: `X-${bad}`, issueDate: '2026-10-01', dueDate: '2026-12-31', amountCents: 100, currency: bad })).rejects.toMatchObject({ code: 'validation', problems: [expect.objectContaining({ field: 'currency' })] });
  });
});
