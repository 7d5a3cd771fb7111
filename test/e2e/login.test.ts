/**
 * Logging in through the form in a real browser: a fresh browser is sent to /login, the form logs
 * in, the dashboard shows with the user's name, writes carry the CSRF token, and logout ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startHarness, visitor, type Harness } from './support.ts';

describe('login through the web form (Chromium)', () => {
  let h: Harness;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    ({ context, page } = await visitor(h, { email: 'anna@example.test', name: 'Anna de Vries', password: 'een lang wachtwoord', role: 'controller' }, { width: 1280, height: 800 }));
  });
  afterAll(async () => {
    await context?.close();
    await h?.close();
  });

  it('sends a visitor without a session to /login, logs in with the form, shows the user, logs out', async () => {
    await page.goto(`${h.url}/a/${h.adminId}/debtors`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('[data-testid="login-email"]', 'anna@example.test');
    await page.fill('[data-testid="login-password"]', 'verkeerd wachtwoord');
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="login-error"]');
    await page.fill('[data-testid="login-password"]', 'een lang wachtwoord');
    await page.click('[data-testid="login-submit"]');
    await page.waitForURL(new RegExp(`/a/${h.adminId}/debtors$`));
    await expect.poll(() => page.textContent('[data-testid="current-user"]')).toBe('Anna de Vries');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'vorder_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    // a write from the page carries the CSRF token: a task created through the API client
    const status = await page.evaluate(async (adminId) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const ok = await fetch(`/api/administrations/${adminId}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ title: 'Bellen', dueDate: '2026-12-01' }) });
      const forged = await fetch(`/api/administrations/${adminId}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Vals', dueDate: '2026-12-01' }) });
      return [ok.status, forged.status];
    }, h.adminId);
    expect(status).toEqual([201, 403]);
    await page.click('[data-testid="logout"]');
    await page.waitForURL(/\/login/);
    await page.goto(`${h.url}/a/${h.adminId}`);
    await page.waitForURL(/\/login\?next=/);
  });
});
