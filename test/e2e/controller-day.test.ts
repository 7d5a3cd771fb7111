/**
 * A credit controller's day in Chromium. The work list: overdue, today and coming (a task in five
 * days), mine or everyone's, a task moved to tomorrow, the count in the menu, and the debtors in
 * arrears nobody is on. The debtor's agreements: a plan whose number of
 * instalments is out of bounds is refused with the limit (never clamped), the schedule is shown
 * before it is saved and then on the debtor page, where it can be ended; a promise above the
 * balance is refused with the maximum, then changed and withdrawn; a disputed invoice is marked in
 * the item list and the dispute resolved from its panel. In Dutch, and the panel in English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookie, startHarness, screenshot, timedGoto, type Harness } from './support.ts';

describe("a controller's day (Chromium)", () => {
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
    await page.waitForSelector('[data-testid="timeline"] >> text=/Betalingsbelofte gewijzigd: €\\s10,00 .* → €\\s20,00/');
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

  it('the work list: overdue, today and coming; mine or everyone\'s; a task moved to tomorrow; the count in the menu; the debtors nobody is on', async () => {
    const { page } = h;
    const today = new Date().toISOString().slice(0, 10);
    const plus = (n: number) => { const d = new Date(`${today}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
    const d = await debtorAt(9);
    const urgent = await call<{ id: number }>('POST', '/tasks', { debtorId: d.debtorId, title: 'Directeur terugbellen', dueDate: today, priority: 1 });
    await call('POST', '/tasks', { debtorId: d.debtorId, title: 'Afspraak controleren', dueDate: plus(5) });
    await call('POST', '/tasks', { debtorId: d.debtorId, title: 'Taak van Bert', dueDate: plus(-1), assignedTo: 'Bert' });
    await timedGoto(page, `${base}/work`, '[data-testid="work-today"]');
    const todays = page.locator('[data-testid="work-today"] [data-testid="work-entry"]', { hasText: 'Directeur terugbellen' });
    expect(await todays.textContent()).toContain('Hoog');
    await page.waitForSelector('[data-testid="work-coming"] >> text=Afspraak controleren');
    expect(await page.locator('text=Taak van Bert').count()).toBe(0); // not mine
    // the menu counts what is overdue or due today on my list
    const due = await page.locator('[data-testid="work-overdue"] [data-testid="work-entry"], [data-testid="work-today"] [data-testid="work-entry"]').count();
    await expect.poll(() => page.textContent('[data-testid="nav-count-work"]')).toBe(String(due));
    await page.waitForSelector('[data-testid="work-unattended"] >> text=/debiteuren met achterstand zonder taak/');
    await screenshot(page, 'work-01-list');
    await page.click('[data-testid="work-everyone"]');
    await page.waitForSelector('[data-testid="work-overdue"] >> text=Taak van Bert');
    await page.click('[data-testid="work-scope"] >> text=Mijn werk');
    // move the urgent task to tomorrow: it leaves today for what is coming
    await todays.locator('[data-testid="work-more"]').click();
    await page.click('[data-testid="work-tomorrow"]');
    await page.waitForSelector('[data-testid="work-coming"] >> text=Directeur terugbellen');
    const [line] = await call<{ summary: string }[]>('GET', `/debtors/${d.debtorId}/dossier?kind=task_changed`);
    expect(line!.summary).toMatch(/Taak "Directeur terugbellen": uiterlijk \d\d-\d\d-\d{4}/);
    expect(urgent.id).toBeGreaterThan(0);
    await page.evaluate("localStorage.setItem('vorder.lang', 'en')");
    await page.reload();
    await page.waitForSelector('[data-testid="work-coming"] >> text=Coming up (14 days)');
    await screenshot(page, 'work-02-list-en');
    await page.evaluate("localStorage.setItem('vorder.lang', 'nl')");
  });

  it('the bank review says what a rejection did, and a line undone in one tab is in the review list at once', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/bank`, '[data-testid="dropzone"]');
    await page.setInputFiles('[data-testid="statement-file"]', { name: 'demo-bankafschrift.xml', mimeType: 'application/xml', buffer: Buffer.from(h.statement) });
    await page.waitForSelector('[data-testid="upload-result"]', { timeout: 30_000 });
    // undo a booking in the "auto" tab: the review tab lists it when opened, and the count agrees
    await page.click('[data-testid="bank-tab-auto"]');
    await page.locator('[data-testid="bank-lines"] [data-status="auto"]').first().click();
    const id = await page.getAttribute('[data-testid="line-detail"]', 'data-line-id');
    await page.keyboard.press('u');
    await page.waitForSelector(`[data-testid="line-detail"][data-line-id="${id}"][data-status="suggested"]`);
    await page.waitForSelector('[data-testid="line-feedback"]');
    await page.click('[data-testid="bank-tab-review"]');
    await page.waitForSelector(`[data-testid="bank-lines"] [data-line="${id}"]`);
    // reject its suggestion: said in the detail, not only in a passing toast
    await page.click(`[data-line="${id}"]`);
    await page.waitForSelector(`[data-testid="line-detail"][data-line-id="${id}"] [data-testid="btn-reject"]`);
    await page.keyboard.press('r');
    await page.waitForSelector('[data-testid="line-feedback"] >> text=/Voorstel afgewezen: het wordt niet meer voorgesteld/');
    await screenshot(page, 'bank-01-rejected');
  });

  it('the audit log reads as words with a link to the subject, filtered by subject', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/settings?tab=audit`, '[data-testid="audit-table"]');
    await page.waitForSelector('[data-testid="audit-table"] >> text=Boeking van betaling ongedaan gemaakt'); // the undo of the bank test above
    expect(await page.locator('[data-testid="audit-table"] >> text=/POST \\/api/').count()).toBe(0);
    await page.click('[data-testid="audit-subject"]');
    await page.click('[role="option"] >> text=Bank en betalingen');
    await expect.poll(async () => (await page.locator('[data-testid="audit-table"] tbody tr').allTextContents()).every((r) => /Betaling|Bankafschrift|Voorstel/.test(r))).toBe(true);
    const link = page.locator('[data-testid="audit-subject-link"]').first();
    expect(await link.getAttribute('href')).toMatch(/\/bank\?line=\d+/);
    await screenshot(page, 'audit-01-words');
  });
});
