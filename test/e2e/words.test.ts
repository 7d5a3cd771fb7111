/**
 * One language at a time (issue #18 item 2) in a real browser: a debtor's dossier and the bank
 * review, first in Dutch, then after switching to English. The Dutch screens show no English
 * sentence and no internal code (debtor_on_hold, collection_agency, "resembles"), amounts and dates
 * as the Dutch read them; the English screens the reverse. Screenshots: 30-words-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startHarness, type Harness } from './support.ts';
import { getAdministration, type Administration } from '../../src/store/administrations.ts';
import { importStatement, listReview, undoMatch } from '../../src/app/bank.ts';
import { addNote, changeStatus, createPromise } from '../../src/app/care.ts';
import { setDebtorHold } from '../../src/app/ledger.ts';
import { todayIn, addDays } from '../../src/domain/dates.ts';

// what only the English app writes, and internal codes: never on a Dutch screen
const NOT_DUTCH = /resembles|counterparty|Promise to pay|Debtor put on hold|Status Normal|Note:|amount equals|debtor_on_hold|promise_to_pay|collection_agency|\b\d+\.\d\d EUR\b|\b\d{4}-\d{2}-\d{2}\b/;
// what only the Dutch app writes, and internal codes: never on an English screen
const NOT_ENGLISH = /lijkt op|naam van de betaler|bedrag is|Betalingsbelofte|on hold gezet|Notitie:|uiterlijk|aangemaakt|debtor_on_hold|collection_agency|\b\d{4}-\d{2}-\d{2}\b/;

describe('the dossier and the bank review in one language at a time (Chromium)', () => {
  let h: Harness;
  let admin: Administration;
  let debtorId: number;
  let lineId: number;

  beforeAll(async () => {
    h = await startHarness();
    admin = (await getAdministration(h.db, h.adminId))!;
    await importStatement(h.db, admin, { filename: 'demo-bankafschrift.xml', content: new TextEncoder().encode(h.statement) });
    const suggestedNow = async () => (await listReview(h.db, admin, { limit: 200 })).rows.filter((l) => l.status === 'suggested' && l.suggestions[0]?.debtorId && l.suggestions[0].reasons.length);
    let waiting = await suggestedNow();
    if (!waiting.length) {
      // the matcher booked them all: unbook one so it waits for review again
      const auto = (await listReview(h.db, admin, { status: ['auto'], limit: 50 })).rows.filter((l) => l.suggestions[0]?.debtorId);
      await undoMatch(h.db, admin, auto[0]!.id);
      waiting = await suggestedNow();
    }
    const line = waiting.find((l) => l.suggestions[0]!.reasons.some((r) => r.code === 'name_resembles')) ?? waiting[0]!;
    lineId = line.id;
    debtorId = line.suggestions[0]!.debtorId!;
    const today = todayIn();
    await addNote(h.db, admin, debtorId, 'Belt morgen terug', 'Anna');
    await createPromise(h.db, admin, { debtorId, amountCents: 2186668, promisedDate: addDays(today, 10) }, today, 'Anna').catch(async () => {
      // more than is open: promise what the policy allows (the point is a line with an amount and a date)
      await createPromise(h.db, admin, { debtorId, amountCents: 100, promisedDate: addDays(today, 10) }, today, 'Anna');
    });
    await setDebtorHold(h.db, admin, debtorId, true, 'curator');
    await changeStatus(h.db, admin, debtorId, 'collection_agency', null, 'Anna');
  }, 180_000);
  afterAll(async () => h?.close());

  const dossierText = async () => {
    await h.page.goto(`${h.url}/a/${h.adminId}/debtors/${debtorId}`);
    await h.page.waitForSelector('[data-testid="timeline"]');
    return (await h.page.textContent('[data-testid="timeline"]'))!;
  };
  const whyText = async () => {
    await h.page.goto(`${h.url}/a/${h.adminId}/bank?line=${lineId}`);
    await h.page.waitForSelector(`[data-testid="line-detail"][data-line-id="${lineId}"] [data-testid="bank-why"]`);
    return (await h.page.locator(`[data-testid="line-detail"][data-line-id="${lineId}"] [data-testid="bank-why"]`).first().textContent())!;
  };

  it('shows them in Dutch: Dutch sentences, Dutch amounts and dates, no codes', async () => {
    await h.page.goto(`${h.url}/a/${h.adminId}`);
    await h.page.click('[data-testid="lang-switch"] >> text=NL');
    const dossier = await dossierText();
    expect(dossier).toMatch(/Betalingsbelofte: €\s[\d.]+,\d\d uiterlijk \d\d-\d\d-\d{4}/);
    expect(dossier).toContain('Debiteur on hold gezet: curator');
    expect(dossier).toContain('Notitie: Belt morgen terug');
    expect(dossier).toMatch(/→ Incassobureau/);
    expect(dossier).not.toMatch(NOT_DUTCH);
    expect(await h.page.textContent('[data-testid="fact-status"]')).not.toMatch(/collection_agency/);
    await screenshot(h.page, '30-words-dossier-nl');
    const why = await whyText();
    expect(why).not.toMatch(NOT_DUTCH);
    expect(why).toMatch(/betaler|bedrag|omschrijving|kenmerk/);
    await screenshot(h.page, '30-words-bank-nl');
  });

  it('switches both to English: English sentences, English amounts and dates, no codes', async () => {
    await h.page.click('[data-testid="lang-switch"] >> text=EN');
    await expect.poll(() => h.page.textContent('[data-testid="nav-debtors"]')).toContain('Debtors');
    const dossier = await dossierText();
    expect(dossier).toMatch(/Promise to pay: €[\d,]+\.\d\d by \d\d\/\d\d\/\d{4}/);
    expect(dossier).toContain('Debtor put on hold: curator');
    expect(dossier).toContain('Note: Belt morgen terug');
    expect(dossier).toMatch(/→ Collection agency/);
    expect(dossier).not.toMatch(NOT_ENGLISH);
    await screenshot(h.page, '30-words-dossier-en');
    const why = await whyText();
    expect(why).not.toMatch(NOT_ENGLISH);
    expect(why).toMatch(/counterparty|amount|reference|text/);
    await screenshot(h.page, '30-words-bank-en');
    await h.page.click('[data-testid="lang-switch"] >> text=NL');
  });
});
