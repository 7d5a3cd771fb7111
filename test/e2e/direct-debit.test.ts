/**
 * The direct-debit screen in Chromium against the demo data plus a collection: the batch with its
 * outcome after a return (AM04: one retry batch), the returns by reason, and a refund proposed by
 * someone else that the logged-in user approves with the button (four-eyes kept by the server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startHarness, type Harness } from './support.ts';
import { getAdministration, updateAdministration } from '../../src/store/administrations.ts';
import { aDebtor, anInvoice, utf8 } from '../support/builders.ts';
import { createMandate } from '../../src/app/mandates.ts';
import { collect } from '../../src/app/collections.ts';
import { importStatement } from '../../src/app/bank.ts';
import { proposeRefunds, refunds } from '../../src/app/refunds.ts';
import { writeCamt053 } from '../../src/formats/camt053-write.ts';
import { addDays, todayIn } from '../../src/domain/dates.ts';
import { earliestCollectionDate } from '../../src/domain/sepa/target2.ts';

describe('the direct-debit screen (Chromium)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const today = todayIn();
    let admin = (await updateAdministration(h.db, h.adminId, { creditorId: 'NL06ZZZ503992920000' }))!;
    const d = await aDebtor(h.db, admin, { number: 'INC-1', name: 'Incasso Klant', type: 'consumer', ibans: ['NL44RABO0123456789'] } as never);
    await anInvoice(h.db, admin, d, { number: 'INC-F1', amount: '75.00', dueDate: addDays(today, -5) });
    await createMandate(h.db, admin, { debtorId: d.id, mandateId: 'INC-M1', signatureDate: addDays(today, -100), iban: 'NL44RABO0123456789', scheme: 'CORE' }, today);
    const date = earliestCollectionDate(today);
    await collect(h.db, admin, { date, asOf: today, createdAt: `${today}T10:00:00` });
    const xml = writeCamt053({ statementId: 'INC-R', accountIban: admin.iban, currency: 'EUR', openingBalance: null, closingBalance: null, entries: [
      { entryRef: 'INC-R1', txIndex: 0, txCount: 1, bookingDate: today, valueDate: null, cents: -7500, currency: 'EUR', reversal: false, counterpartyName: null, counterpartyIban: null, counterpartyBic: null, structuredRef: null, endToEndId: 'INC-F1-B1', mandateId: 'INC-M1', remittance: '', bankCode: 'PMNT/IDDT/UPDD', returnReason: 'AM04', info: null },
    ] });
    admin = (await getAdministration(h.db, h.adminId))!;
    const r = await importStatement(h.db, admin, { filename: 'storno.xml', content: utf8(xml), acceptUnbalanced: true, asOf: today });
    expect(r.collections).toMatchObject({ returned: 1, retried: 1 });
    await proposeRefunds(h.db, admin, { actor: 'anna' });
  }, 240_000);
  afterAll(async () => h?.close());

  it('shows the batches with their outcome, the returns by reason, and approves a refund', async () => {
    const page = h.page;
    await page.goto(`${h.url}/a/${h.adminId}/incasso`);
    await page.waitForSelector('[data-testid="dd-batches"] tbody tr');
    await expect.poll(() => page.textContent('[data-testid="dd-batches"]')).toContain('1 gestorneerd');
    await expect.poll(() => page.textContent('[data-testid="dd-batches"]')).toContain('herhaling (AM04)');
    await expect.poll(() => page.textContent('[data-testid="dd-returns"]')).toContain('AM04 onvoldoende saldo');
    const admin = (await getAdministration(h.db, h.adminId))!;
    const before = await refunds(h.db, admin, { status: ['proposed'] });
    expect(before.length).toBeGreaterThan(0);
    await page.locator('[data-testid="dd-refunds"] button', { hasText: 'Goedkeuren' }).first().click();
    await expect.poll(async () => (await refunds(h.db, admin, { status: ['approved'] })).length).toBe(1);
    await screenshot(page, 'direct-debit');
  }, 120_000);
});
