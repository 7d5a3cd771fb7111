import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { changeItem, setDebtorHold, setItemHold, settleCredit, undoBooking, writeOff, listDebtors, listItems } from '../../src/app/ledger.ts';
import { insertBooking } from '../../src/store/bookings.ts';
import { agingByDebtor, agingTotals } from '../../src/store/aging.ts';
import { ageItems } from '../../src/domain/aging.ts';
import { getItem } from '../../src/store/items.ts';
import { AppError } from '../../src/app/errors.ts';
import { expectTotalsMatchItems } from '../support/totals.ts';
import type { Administration } from '../../src/store/administrations.ts';

type Op =
  | { kind: 'pay'; item: number; cents: number }
  | { kind: 'payMany'; items: number[]; cents: number[] }
  | { kind: 'settle'; credit: number; invoice: number }
  | { kind: 'writeOff'; item: number }
  | { kind: 'reverse'; nth: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('pay' as const), item: fc.nat(5), cents: fc.integer({ min: -5000, max: 20000 }) }),
  fc.record({ kind: fc.constant('payMany' as const), items: fc.array(fc.nat(5), { minLength: 2, maxLength: 3 }), cents: fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 3, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('settle' as const), credit: fc.nat(1), invoice: fc.nat(3) }),
  fc.record({ kind: fc.constant('writeOff' as const), item: fc.nat(5) }),
  fc.record({ kind: fc.constant('reverse' as const), nth: fc.nat(20) }),
);

describe.each(ENGINES)('ledger on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db);
  });
  afterAll(async () => db.drop());

  it('keeps every open amount = amount − allocations and every balance = sum of open amounts, under random payments, credit notes, write-offs and reversals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        const debtor = await aDebtor(db, admin);
        const invoices = [await anInvoice(db, admin, debtor, { amount: '121.00' }), await anInvoice(db, admin, debtor, { amount: '50.50' }), await anInvoice(db, admin, debtor, { amount: '999.99' }), await anInvoice(db, admin, debtor, { amount: '0.01' })];
        const credits = [await anInvoice(db, admin, debtor, { amount: '-30.00' }), await anInvoice(db, admin, debtor, { amount: '-200.00' })];
        const all = [...invoices, ...credits];
        // The model: what each item's open amount must be.
        const open = new Map(all.map((i) => [i.id, i.amountCents]));
        const bookings: { id: number; allocs: { itemId: number; cents: number }[]; reversed: boolean }[] = [];
        for (const op of ops) {
          if (op.kind === 'pay' || op.kind === 'payMany') {
            const allocs = op.kind === 'pay' ? [{ itemId: all[op.item]!.id, cents: op.cents }] : op.items.map((k, j) => ({ itemId: invoices[k % 4]!.id, cents: op.cents[j]! }));
            const id = await insertBooking(db, admin.id, { kind: 'bank', date: '2026-11-01', allocations: allocs });
            for (const a of allocs) open.set(a.itemId, open.get(a.itemId)! - a.cents);
            bookings.push({ id, allocs: allocs.filter((a) => a.cents !== 0), reversed: false });
          } else if (op.kind === 'settle') {
            const credit = credits[op.credit]!;
            const inv = invoices[op.invoice]!;
            const avail = -open.get(credit.id)!;
            const take = Math.min(avail, Math.max(0, open.get(inv.id)!));
            if (avail <= 0 || take <= 0) {
              await expect(settleCredit(db, admin, credit.id, [inv.id], '2026-11-01')).rejects.toBeInstanceOf(AppError);
              continue;
            }
            const r = await settleCredit(db, admin, credit.id, [inv.id], '2026-11-01');
            expect(r.settledCents).toBe(take);
            open.set(inv.id, open.get(inv.id)! - take);
            open.set(credit.id, open.get(credit.id)! + take);
            bookings.push({ id: r.bookingId, allocs: [{ itemId: inv.id, cents: take }, { itemId: credit.id, cents: -take }], reversed: false });
          } else if (op.kind === 'writeOff') {
            const it = all[op.item]!;
            const o = open.get(it.id)!;
            if (o === 0) {
              await expect(writeOff(db, admin, it.id, '2026-11-01', 'x')).rejects.toBeInstanceOf(AppError);
              continue;
            }
            const r = await writeOff(db, admin, it.id, '2026-11-01', 'oninbaar');
            open.set(it.id, 0);
            bookings.push({ id: r.bookingId, allocs: [{ itemId: it.id, cents: o }], reversed: false });
          } else {
            const live = bookings.filter((b) => !b.reversed);
            if (!live.length) continue;
            const b = live[op.nth % live.length]!;
            await undoBooking(db, admin, b.id, '2026-11-02');
            b.reversed = true;
            for (const a of b.allocs) open.set(a.itemId, open.get(a.itemId)! + a.cents);
            await expect(undoBooking(db, admin, b.id, '2026-11-02')).rejects.toBeInstanceOf(AppError);
          }
        }
        const rows = await db.query<{ id: number; amount_cents: number; open_cents: number; allocated: number }>(
          `SELECT i.id, i.amount_cents, i.open_cents, coalesce((SELECT sum(cents) FROM allocations a WHERE a.item_id = i.id), 0)::bigint AS allocated FROM items i WHERE i.debtor_id = $1`,
          [debtor.id],
        );
        for (const r of rows) {
          expect(r.open_cents).toBe(r.amount_cents - r.allocated);
          expect(r.open_cents).toBe(open.get(r.id));
        }
        const listed = await listDebtors(db, admin.id, { search: debtor.number, asOf: '2026-11-22', limit: 5, offset: 0 });
        expect(listed.rows[0]!.balanceCents).toBe([...open.values()].reduce((a, b) => a + b, 0));
        await expectTotalsMatchItems(db, admin.id);
      }),
      { numRuns: engine === 'pglite' ? 25 : 40 },
    );
  });

  it('computes aging in SQL exactly as the pure reference does', async () => {
    const a2 = await anAdministration(db);
    const d1 = await aDebtor(db, a2);
    const d2 = await aDebtor(db, a2);
    const specs: [typeof d1, string, string][] = [
      [d1, '100.00', '2026-12-15'], [d1, '200.00', '2026-11-22'], [d1, '300.00', '2026-11-21'], [d1, '400.00', '2026-10-23'], [d2, '500.00', '2026-10-22'],
      [d2, '600.00', '2026-09-23'], [d2, '700.00', '2026-09-22'], [d2, '800.00', '2026-08-24'], [d2, '900.00', '2026-08-23'], [d2, '-50.00', '2026-11-01'],
    ];
    const items = [];
    for (const [d, amount, due] of specs) items.push(await anInvoice(db, a2, d, { amount, issueDate: '2026-01-01', dueDate: due }));
    await writeOff(db, a2, items[0]!.id, '2026-11-01', 'test'); // paid: out of the aging
    const fresh = await Promise.all(items.map((i) => getItem(db, a2.id, i.id)));
    const expected = ageItems(fresh.map((i) => ({ dueDate: i!.dueDate, openCents: i!.openCents })), '2026-11-22');
    expect(await agingTotals(db, a2.id, '2026-11-22')).toEqual({ ...expected, byCurrency: { EUR: expected } });
    expect(expected).toEqual({ not_due: 20000, d1_30: 70000, d31_60: 110000, d61_90: 150000, over_90: 90000, credits: -5000, total: 435000 });
    const per = await agingByDebtor(db, a2.id, '2026-11-22');
    expect(per.map((p) => [p.debtorNumber, p.total])).toEqual([[d2.number, 345000], [d1.number, 90000]]);
  });

  it('puts items and debtors on hold with a reason, on the timeline', async () => {
    const d = await aDebtor(db, admin);
    const inv = await anInvoice(db, admin, d);
    await expect(setItemHold(db, admin, inv.id, true, '')).rejects.toMatchObject({ code: 'validation' });
    expect(await setItemHold(db, admin, inv.id, true, 'klant belt terug')).toMatchObject({ onHold: true, holdReason: 'klant belt terug' });
    expect(await setItemHold(db, admin, inv.id, false, null)).toMatchObject({ onHold: false, holdReason: null });
    expect(await setDebtorHold(db, admin, d.id, true, 'faillissement aangevraagd')).toMatchObject({ onHold: true });
    const ev = await db.query<{ kind: string }>('SELECT kind FROM events WHERE debtor_id = $1 ORDER BY id', [d.id]);
    expect(ev.map((e) => e.kind)).toEqual(['debtor_created', 'item_created', 'item_hold', 'item_release', 'debtor_hold']);
    const held = await listDebtors(db, admin.id, { onHold: true, asOf: '2026-11-22', limit: 10, offset: 0 });
    expect(held.rows.map((r) => r.id)).toContain(d.id);
  });

  it('refuses to change the amount of an item that has payments', async () => {
    const d = await aDebtor(db, admin);
    const inv = await anInvoice(db, admin, d, { amount: '100.00' });
    expect((await changeItem(db, admin, inv.id, { amountCents: 11000 })).openCents).toBe(11000);
    await insertBooking(db, admin.id, { kind: 'bank', date: '2026-11-01', allocations: [{ itemId: inv.id, cents: 1000 }] });
    await expect(changeItem(db, admin, inv.id, { amountCents: 12000 })).rejects.toMatchObject({ code: 'conflict' });
    const overdue = await listItems(db, admin.id, { debtorId: d.id, status: 'overdue', asOf: '2026-11-22', limit: 10, offset: 0 });
    expect(overdue.rows.map((r) => r.openCents)).toEqual([10000]);
  });
});
