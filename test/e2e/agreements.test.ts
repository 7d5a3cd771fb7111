/**
 * The debtor's agreements in Chromium, as a credit controller works them: a plan whose number of
 * instalments is out of bounds is refused with the limit (never clamped), the schedule is shown
 * before it is saved and then on the debtor page, where it can be ended; a promise above the
 * balance is refused with the maximum, then changed and withdrawn; a disputed invoice is marked in
 * the item list and the dispute resolved from its panel. In Dutch, and the panel in English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookie, startHarness, screenshot, timedGoto, type Harness } from './support.ts';

describe('agreements on the debtor page (Chromium)', () => {
  let h: Harness;
  let base = '';
  let csrf = '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(path.startsWith('/auth') ? `${h.url}/api${path}` : `${h.url}/api/administrations/${h.adminId}${path}`, { method, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await res.json()) as T;
  };
  const debtorAt = async (n: number) => (await call<{ debtors: { debtorId: number; debtorName: string }[] }>('GET', `/aging?debtors=true&limit=${n + 1}`)).debtors[n]!;

  beforeAll(async () => {
    h = await startHarness();
    base = `${h.url}/a/${h.adminId}`;
    csrf = (await call<{ csrfToken: string }>('GET', '/auth/me')).csrfToken;
  });
  afterAll(async () => h?.close());

  it('a plan: 500 instalments refused with the limit, the schedule previewed, saved, shown, ended', async () => {
    const { page } = h;
    const d = await debtorAt(6);
    await timedGoto(page, `${base}/debtors/${d.debtorId}`, '[data-testid="debtor-facts"]');
    await page.click('[data-testid="action-more"]');
    await page.click('[data-testid="action-plan"]');
    const count = page.locator('[data-testid="plan-count"]');
    await count.fill('500');
    await page.locator('[data-testid="plan-count"]').blur();
    await page.waitForSelector('[data-testid="plan-preview-error"] >> text=Te veel termijnen: ten hoogste 24.');
    expect(await count.inputValue()).toBe('500'); // not turned into another number
    expect(await page.isDisabled('[data-testid="action-submit"]')).toBe(true);
    await count.fill('6');
    await page.waitForSelector('[data-testid="plan-preview"] >> text=6 termijnen');
    expect(await page.locator('[data-testid="plan-preview"] tbody tr').count()).toBe(6);
    await screenshot(page, 'agreements-01-plan-preview');
    await page.click('[data-testid="action-submit"]');
    const plan = page.locator('[data-testid="agreements"] [data-testid^="plan-"]').first();
    await plan.waitFor();
    expect(await plan.locator('[data-testid="plan-schedule"] tr').count()).toBe(6);
    expect(await plan.textContent()).toMatch(/Betalingsregeling #\d+: €\s[\d.]+,\d\d in 6 termijnen/);
    await page.waitForSelector('[data-testid="timeline"] >> text=/Betalingsregeling #\\d+: .* in 6 (×|termijnen)/');
    await screenshot(page, 'agreements-02-plan-panel');
    await plan.locator('[data-testid="plan-end"]').click();
    await page.click('[data-testid="plan-end-confirm"]');
    await page.waitForSelector('[data-testid="timeline"] >> text=/Betalingsregeling #\\d+ beëindigd/');
    expect(await page.locator('[data-testid="agreements"] [data-testid^="plan-"]').count()).toBe(0);
  });

  it('a promise: above the balance refused with the maximum, then changed and withdrawn', async () => {
    const { page } = h;
    const d = await debtorAt(7);
    await timedGoto(page, `${base}/debtors/${d.debtorId}`, '[data-testid="debtor-facts"]');
    await page.click('[data-testid="action-promise"]');
    await page.waitForSelector('[data-testid="promise-limits"] >> text=/Ten hoogste €\\s.* uiterlijk \\d\\d-\\d\\d-\\d{4}/');
    await page.fill('[data-testid="promise-amount"]', '99.999.999,00');
    await page.click('[data-testid="action-submit"]');
    await page.waitForSelector('[role="alert"] >> text=/Het bedrag is hoger dan wat openstaat: ten hoogste €\\s/');
    await page.fill('[data-testid="promise-amount"]', '10,00');
    await page.click('[data-testid="action-submit"]');
    const promise = page.locator('[data-testid="agreements"] [data-testid^="promise-"]').first();
    await promise.waitFor();
    expect(await promise.textContent()).toMatch(/Betalingsbelofte: €\s10,00 uiterlijk/);
    await promise.locator('[data-testid="promise-change"]').click();
    await page.fill('[data-testid="promise-change-amount"]', '20,00');
    await page.click('[data-testid="promise-change-save"]');
    await expect.poll(() => promise.textContent()).toMatch(/€\s20,00/);
    await page.waitForSelector('[data-testid="timeline"] >> text=/Betalingsbelofte gewijzigd: € 10,00 .* → € 20,00/');
    await screenshot(page, 'agreements-03-promise');
    // the same panel in English
    await page.evaluate("localStorage.setItem('vorder.lang', 'en')");
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="agreements"]').textContent()).toMatch(/Current agreements.*Promise to pay: €20\.00 by/);
    await screenshot(page, 'agreements-04-promise-en');
    await page.evaluate("localStorage.setItem('vorder.lang', 'nl')");
    await page.reload();
    await promise.locator('[data-testid="promise-withdraw"]').click();
    await page.click('[data-testid="promise-withdraw-confirm"]');
    await page.waitForSelector('[data-testid="timeline"] >> text=/ingetrokken/');
    expect(await page.locator('[data-testid="agreements"]').count()).toBe(0);
  });

  it('a dispute: the invoice is marked in the list, the panel says only it is paused, resolved from the panel', async () => {
    const { page } = h;
    const d = await debtorAt(8);
    const items = await call<{ rows: { id: number; number: string }[] }>('GET', `/items?debtorId=${d.debtorId}&status=open&limit=5`);
    const item = items.rows[0]!;
    const opened = await call<{ id: number }>('POST', '/disputes', { debtorId: d.debtorId, itemIds: [item.id], reason: 'wrong_amount', description: 'Prijs klopt niet' });
    expect(opened.id).toBeGreaterThan(0);
    await timedGoto(page, `${base}/debtors/${d.debtorId}`, '[data-testid="debtor-facts"]');
    const row = page.locator('[data-testid="debtor-items"] tr', { hasText: item.number });
    await row.locator('[data-testid="item-disputed"]').waitFor();
    expect(await page.locator('[data-testid="item-disputed"]').count()).toBe(1);
    const panel = page.locator('[data-testid="agreements"] [data-testid^="dispute-"]').first();
    expect(await panel.textContent()).toContain('Alleen deze posten zijn gepauzeerd; de andere posten worden verder aangemaand.');
    await screenshot(page, 'agreements-05-dispute');
    await panel.locator('[data-testid="dispute-resolve"]').click();
    await page.click('[data-testid="dispute-resolve-save"]'); // rejected: the chase resumes
    await page.waitForSelector('[data-testid="timeline"] >> text=/Geschil #\\d+ opgelost/');
    await expect.poll(() => page.locator('[data-testid="item-disputed"]').count()).toBe(0);
  });
});
