/**
 * A viewer (a user who may read an administration, not change it) in a real browser against the
 * demo data: logs in through the form, reads the dashboard, the debtors, a debtor, an item, the
 * bank review, the dunning run, work today and the settings — and is offered none of the write
 * actions (note, call, promise, send statement, hold, statement upload, booking, completing a task,
 * saving settings), only the statement as a PDF. The server refuses the writes anyway. Screenshots
 * go to .vorder-test/screenshots/viewer-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { cookie as adminCookie, screenshot, startHarness, visitor, type Harness } from './support.ts';
import { importStatement } from '../../src/app/bank.ts';
import { createTask } from '../../src/app/care.ts';
import { getAdministration } from '../../src/store/administrations.ts';
import { todayIn } from '../../src/domain/dates.ts';

describe('a viewer reads and is offered no changes (Chromium)', () => {
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  let base = '';
  /** The API as the harness's administrator sees it (to know what the pages should show). */
  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${h.url}/api/administrations/${h.adminId}${path}`, { headers: { cookie: adminCookie } })).json()) as T;
  const none = async (...testIds: string[]) => {
    for (const id of testIds) expect(await page.locator(`[data-testid="${id}"]`).count(), id).toBe(0);
  };

  beforeAll(async () => {
    h = await startHarness();
    base = `${h.url}/a/${h.adminId}`;
    const admin = (await getAdministration(h.db, h.adminId))!;
    // something to read: the demo bank statement imported (lines booked and waiting), a task due today
    await importStatement(h.db, admin, { filename: 'demo-bankafschrift.xml', content: new TextEncoder().encode(h.statement) });
    await createTask(h.db, admin, { title: 'Terugbellen over factuur', dueDate: todayIn() }, 'anna');
    ({ context, page } = await visitor(h, { email: 'vera@example.test', name: 'Vera Viewer', password: 'alleen maar kijken', role: 'viewer' }));
  });
  afterAll(async () => {
    await context?.close();
    await h?.close();
  });

  it('logs in through the form and reads the dashboard', async () => {
    await page.goto(`${base}`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('[data-testid="login-email"]', 'vera@example.test');
    await page.fill('[data-testid="login-password"]', 'alleen maar kijken');
    await page.click('[data-testid="login-submit"]');
    await page.waitForURL(new RegExp(`/a/${h.adminId}$`));
    await expect.poll(() => page.textContent('[data-testid="current-user"]')).toBe('Vera Viewer');
    // a fresh load with the session cookie (the screenshot waits for a quiet network since the last load)
    await page.goto(`${base}`);
    const dash = await api<{ open: string }>('/dashboard');
    const expected = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(Number(dash.open));
    await expect.poll(() => page.textContent('[data-testid="stat-open"]')).toContain(expected);
    await screenshot(page, 'viewer-01-dashboard');
  });

  it('reads the debtors and a debtor: no note, call, promise, statement sending or hold; the statement as a PDF', async () => {
    await page.goto(`${base}/debtors`);
    await page.waitForSelector('[data-testid="debtor-table"] [data-index="0"]');
    await screenshot(page, 'viewer-02-debtors');
    const top = await api<{ debtors: { debtorId: number; debtorName: string }[] }>('/aging?debtors=true&limit=1');
    const d = top.debtors[0]!;
    await page.click(`[data-testid="debtor-table"] [data-index="0"]`);
    await page.waitForURL(/\/debtors\/\d+$/);
    await page.goto(`${base}/debtors/${d.debtorId}`);
    await expect.poll(() => page.textContent('h1')).toContain(d.debtorName);
    await page.waitForSelector('[data-testid="fact-balance"] >> text=/€/');
    await page.waitForSelector('[data-testid="debtor-items"] tbody tr');
    await page.waitForSelector('[data-testid="timeline"]');
    // the statement PDF is offered once the server's routes and the role are known; nothing that writes is
    const pdfLink = page.locator('[data-testid="action-statement-pdf"]');
    await pdfLink.waitFor();
    await none('action-note', 'action-call', 'action-promise', 'action-more', 'action-statement', 'hold', 'release');
    const href = await pdfLink.getAttribute('href');
    expect(href).toBe(`/api/administrations/${h.adminId}/debtors/${d.debtorId}/statement.pdf`);
    const session = (await context.cookies()).find((c) => c.name === 'vorder_session')!;
    const pdf = await fetch(`${h.url}${href}`, { headers: { cookie: `${session.name}=${session.value}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    await screenshot(page, 'viewer-03-debtor');
    // and the server refuses what the page does not offer
    const status = await page.evaluate(async ({ adminId, debtorId }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const post = (path: string, body: unknown) => fetch(`/api/administrations/${adminId}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify(body) });
      return [(await post(`/debtors/${debtorId}/statement`, {})).status, (await post(`/debtors/${debtorId}/notes`, { text: 'x' })).status];
    }, { adminId: h.adminId, debtorId: d.debtorId });
    expect(status).toEqual([403, 403]);
  });

  it('reads an item with its history: no hold', async () => {
    await page.click('[data-testid="debtor-items"] tbody tr >> nth=0');
    await page.waitForSelector('[data-testid="item-facts"]');
    await page.waitForSelector('[data-testid="item-payments"]');
    await none('hold', 'release');
    await screenshot(page, 'viewer-04-item');
  });

  it('reads the bank lines and the suggestions with their reasons: no upload, no booking', async () => {
    await page.goto(`${base}/bank?tab=auto`);
    await page.waitForSelector('[data-testid="bank-read-only"]');
    await none('dropzone', 'statement-file');
    await page.locator('[data-testid="bank-lines"] [data-status="auto"]').first().click();
    const detail = page.locator('[data-testid="line-detail"][data-status="auto"]');
    await detail.waitFor();
    const id = await detail.getAttribute('data-line-id');
    await page.waitForSelector('[data-testid="suggestion"] >> text=/Waarom/i');
    await none('btn-confirm', 'btn-reject', 'btn-ignore', 'btn-undo');
    expect(await page.locator('[data-testid="line-detail"] button:has-text("Bevestigen")').count()).toBe(0);
    expect(await page.textContent('[data-testid="bank-keys"]')).not.toMatch(/bevestigen|ongedaan/i);
    await screenshot(page, 'viewer-05-bank');
    // the undo key does nothing for a viewer: the line stays booked
    await page.keyboard.press('u');
    await page.goto(`${base}/bank?tab=review`);
    await page.waitForSelector('[data-testid="bank-read-only"]');
    expect((await api<{ status: string }>(`/bank-lines/${id}`)).status).toBe('auto');
  });

  it('reads the dunning run and its history', async () => {
    await page.goto(`${base}/dunning`);
    // the proposal may still be computed in the background (the page asks again until it is there)
    await page.locator('[data-testid="dunning-steps"], [data-testid="dunning-blocked"]').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="dunning-computing"]').waitFor({ state: 'detached', timeout: 60_000 });
    await expect.poll(() => page.textContent('[data-testid="dunning-debtors"]')).toMatch(/\d/);
    await page.waitForSelector('[data-testid="dunning-message"] [data-testid="letter-link"]');
    await none('send-all', 'send-selected', 'dunning-override');
    expect(await page.locator('[data-testid="dunning-message"] input[type="checkbox"]').count()).toBe(0);
    await screenshot(page, 'viewer-06-dunning');
    await page.click('text=Eerdere runs');
    await page.waitForSelector('[role="tab"][aria-selected="true"]:has-text("Eerdere runs")');
    await page.locator('[data-testid="dunning-runs"]').or(page.getByText('Nog geen runs')).first().waitFor();
  });

  it('work today shows the task without completing it; the settings can be read, not saved', async () => {
    await page.goto(`${base}/work`);
    await page.waitForSelector('text=Terugbellen over factuur');
    expect(await page.locator('button:has-text("Afronden")').count()).toBe(0);
    await screenshot(page, 'viewer-07-work-today');
    await page.goto(`${base}/settings`);
    await page.waitForSelector('[data-testid="settings-form"]');
    expect(await page.inputValue('[data-testid="settings-iban"]')).toBe('NL91ABNA0417164300');
    expect(await page.getAttribute('[data-testid="settings-iban"]', 'readonly')).not.toBeNull();
    await none('settings-save', 'settings-tab-users', 'settings-tab-tokens', 'settings-tab-audit');
    await page.waitForSelector('text=alleen een eigenaar kan ze wijzigen');
    await screenshot(page, 'viewer-08-settings');
  });
});
