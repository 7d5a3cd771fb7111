/**
 * The debtor page's direct-debit card in Chromium: a debtor with a mandate and a collected batch
 * (one invoice collected, one returned for insufficient funds) shows the mandate with its form link
 * and the collection history with the outcome and the reason, in Dutch and in English; a debtor
 * without a mandate or a collection shows no card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startHarness, type Harness } from './support.ts';
import { getAdministration, updateAdministration } from '../../src/store/administrations.ts';
import { aDebtor, anInvoice, utf8 } from '../support/builders.ts';
import { createMandate } from '../../src/app/mandates.ts';
import { collect, collectionHistory } from '../../src/app/collections.ts';
import { importStatement } from '../../src/app/bank.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { addDays, todayIn } from '../../src/domain/dates.ts';
import { earliestCollectionDate } from '../../src/domain/sepa/target2.ts';

describe("the debtor page's direct-debit card (Chromium)", () => {
  let h: Harness;
  let debtorId = 0;
  let mandateRowId = 0;
  let plainDebtorId = 0;
  let messageId = '';
  let rows = 0;
  beforeAll(async () => {
    h = await startHarness();
    const today = todayIn();
    let admin = (await updateAdministration(h.db, h.adminId, { creditorId: 'NL06ZZZ503992920000' }))!;
    const d = await aDebtor(h.db, admin, { number: 'DDD-1', name: 'Machtiging Klant', type: 'consumer', ibans: ['NL44RABO0123456789'] } as never);
    const plain = await aDebtor(h.db, admin, { number: 'DDD-2', name: 'Gewone Klant', type: 'consumer' } as never);
    debtorId = d.id;
    plainDebtorId = plain.id;
    await anInvoice(h.db, admin, d, { number: 'DDD-F1', amount: '75.00', dueDate: addDays(today, -5) });
    await anInvoice(h.db, admin, d, { number: 'DDD-F2', amount: '120.50', dueDate: addDays(today, -3) });
    const m = await createMandate(h.db, admin, { debtorId: d.id, mandateId: 'DDD-M1', signatureDate: '2026-01-15', iban: 'NL44RABO0123456789', scheme: 'CORE' }, today);
    mandateRowId = m.id;
    const batch = await collect(h.db, admin, { date: earliestCollectionDate(today), asOf: today, createdAt: `${today}T10:00:00` });
    messageId = batch.messageId;
    expect(batch.count).toBe(2);
    const f1 = (await collectionHistory(h.db, admin, d.id)).find((c) => c.itemNumber === 'DDD-F1')!;
    const xml = writeCamt053({ statementId: 'DDD-R', accountIban: admin.iban, currency: 'EUR', openingBalance: null, closingBalance: null, entries: [
      { entryRef: 'DDD-R1', txIndex: 0, txCount: 1, bookingDate: today, valueDate: null, cents: -7500, currency: 'EUR', reversal: false, counterpartyName: null, counterpartyIban: null, counterpartyBic: null, structuredRef: null, endToEndId: f1.endToEndId, mandateId: 'DDD-M1', remittance: '', bankCode: 'PMNT/IDDT/UPDD', returnReason: 'AM04', info: null },
    ] });
    admin = (await getAdministration(h.db, h.adminId))!;
    const r = await importStatement(h.db, admin, { filename: 'storno.xml', content: utf8(xml), acceptUnbalanced: true, asOf: today });
    expect(r.collections).toMatchObject({ returned: 1 });
    rows = (await collectionHistory(h.db, admin, d.id)).length; // with the AM04 retry of DDD-F1
  }, 240_000);
  afterAll(async () => h?.close());

  it('shows the mandate and the collection history in Dutch and English', async () => {
    const page = h.page;
    const card = '[data-testid="debtor-direct-debit"]';
    await page.goto(`${h.url}/a/${h.adminId}/debtors/${debtorId}`);
    await page.waitForSelector(`${card} [data-testid="ddd-collections"] tbody tr`);
    const mandates = () => page.textContent(`${card} [data-testid="ddd-mandates"]`);
    const history = () => page.textContent(`${card} [data-testid="ddd-collections"]`);
    await expect.poll(() => page.textContent(card)).toContain('Automatische incasso');
    await expect.poll(mandates).toContain('DDD-M1');
    expect(await mandates()).toContain('NL44RABO0123456789');
    expect(await mandates()).toContain('CORE · doorlopend');
    expect(await mandates()).toContain('actief');
    expect(await mandates()).toContain('15-01-2026');
    expect(await page.getAttribute(`${card} [data-testid="ddd-form"]`, 'href')).toBe(`/api/administrations/${h.adminId}/mandates/${mandateRowId}/form`);
    expect(await page.locator(`${card} [data-testid="ddd-collections"] tbody tr`).count()).toBe(rows);
    const nl = (await history())!;
    expect(nl).toContain(messageId);
    expect(nl).toContain('DDD-F1');
    expect(nl).toContain('DDD-F2');
    expect(nl).toContain('gestorneerd');
    expect(nl).toContain('AM04 onvoldoende saldo');
    expect(nl).toContain('lopend');
    expect(nl).toMatch(/€\s?75,00/);
    expect(nl).toMatch(/€\s?120,50/);
    await screenshot(page, 'debtor-direct-debit');

    await page.evaluate("localStorage.setItem('vorder.lang', 'en')");
    try {
      await page.reload();
      await page.waitForSelector(`${card} [data-testid="ddd-collections"] tbody tr`);
      await expect.poll(() => page.textContent(card)).toContain('Direct debit');
      await expect.poll(mandates).toContain('CORE · recurring');
      expect(await mandates()).toContain('active');
      expect(await mandates()).toContain('Form (PDF)');
      const en = (await history())!;
      expect(en).toContain('returned');
      expect(en).toContain('AM04 insufficient funds');
      expect(en).toContain('pending');
      expect(en).toContain('Collection date');
    } finally {
      await page.evaluate("localStorage.setItem('vorder.lang', 'nl')");
    }

    // a debtor without a mandate and without collections: no card
    await page.goto(`${h.url}/a/${h.adminId}/debtors/${plainDebtorId}`);
    await page.waitForSelector('[data-testid="debtor-items"]');
    await page.waitForLoadState('networkidle');
    expect(await page.locator(card).count()).toBe(0);
  }, 120_000);
});
