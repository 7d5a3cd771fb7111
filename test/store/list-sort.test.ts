/**
 * Sorting the debtor and item lists by any column, both directions, on both engines: every page
 * in the order a JavaScript sort of the same rows gives, ties broken by id, paging without gaps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';
import { listDebtors, listItems } from '../../src/app/ledger.ts';
import { DEBTOR_SORTS, type DebtorWithBalance } from '../../src/store/debtors.ts';
import { ITEM_SORTS, type Item } from '../../src/store/items.ts';
import { createPrng } from '../../src/domain/prng.ts';

const AS_OF = '2026-11-23';
const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

describe.each(ENGINES)('list sorting on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;

  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db);
    const rnd = createPrng(7);
    const cities = ['Almere', 'Zwolle', 'Breda', null, 'Delft'];
    for (let n = 1; n <= 24; n++) {
      const d = await aDebtor(db, admin, { number: `D${String(n).padStart(3, '0')}`, name: `${rnd.pick(['Bakker', 'Jansen', 'de Vries', 'Smit'])} ${n}`, city: rnd.pick(cities) } as never);
      const k = rnd.int(0, 3);
      for (let i = 0; i < k; i++) {
        const due = `2026-${String(rnd.int(9, 12)).padStart(2, '0')}-${String(rnd.int(10, 28)).padStart(2, '0')}`;
        await anInvoice(db, admin, d, { number: `F${n}-${i}`, amount: `${rnd.int(1, 30) * 10}.00`, issueDate: '2026-09-01', dueDate: due });
      }
    }
  });
  afterAll(async () => db?.drop());

  const debtorKey: Record<(typeof DEBTOR_SORTS)[number], (d: DebtorWithBalance) => string | number | null> = {
    number: (d) => d.number, name: (d) => d.name.toLowerCase(), city: (d) => d.city?.toLowerCase() ?? null, status: (d) => d.status,
    openItems: (d) => d.openItems, balance: (d) => d.balanceCents, overdue: (d) => d.overdueCents,
  };

  it('sorts debtors by every column in both directions, page after page', async () => {
    const all = (await listDebtors(db, admin.id, { asOf: AS_OF, limit: 100, offset: 0 })).rows;
    expect(all).toHaveLength(24);
    for (const sort of DEBTOR_SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const got: string[] = [];
        for (let offset = 0; offset < 24; offset += 7) got.push(...(await listDebtors(db, admin.id, { asOf: AS_OF, limit: 7, offset, sort, dir })).rows.map((d) => d.number));
        const k = debtorKey[sort];
        const expected = [...all].sort((a, b) => {
          const c = k(a) === null || k(b) === null ? cmp(k(a), k(b)) : cmp(k(a), k(b)) * (dir === 'asc' ? 1 : -1);
          return c || (a.id - b.id) * (dir === 'asc' || sort === 'overdue' ? 1 : -1);
        }).map((d) => d.number);
        expect(got, `${sort} ${dir}`).toEqual(expected);
      }
    }
  });

  const itemKey: Record<(typeof ITEM_SORTS)[number], (i: Item) => string | number> = {
    due: (i) => i.dueDate, number: (i) => i.number, issue: (i) => i.issueDate, amount: (i) => i.amountCents, open: (i) => i.openCents,
  };

  it('sorts items by every sortable column in both directions', async () => {
    const all = (await listItems(db, admin.id, { asOf: AS_OF, limit: 1000, offset: 0, status: 'all' })).rows;
    expect(all.length).toBeGreaterThan(10);
    for (const sort of ITEM_SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const got = (await listItems(db, admin.id, { asOf: AS_OF, limit: 1000, offset: 0, status: 'all', sort, dir })).rows.map((i) => i.number);
        const s = dir === 'asc' ? 1 : -1;
        const expected = [...all].sort((a, b) => (cmp(itemKey[sort](a), itemKey[sort](b)) || a.id - b.id) * s).map((i) => i.number);
        expect(got, `${sort} ${dir}`).toEqual(expected);
      }
    }
  });
});
