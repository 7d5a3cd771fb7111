/**
 * The end-to-end harness: the web app built once (vite build, skipped when dist/web is newer than
 * src/web), the API and the app served in-process on a free port from a PGlite database filled
 * with the demo data, and Debian's Chromium driven by playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { seedDemo } from '../../src/app/demo/seed.ts';
import { todayIn } from '../../src/domain/dates.ts';
import { authed } from '../support/auth.ts';
import { createUser, grantRole } from '../../src/app/auth.ts';
import { buildWeb } from '../../scripts/build-web.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, '.vorder-test/screenshots');

/** The session cookie of the harness's user, for the tests' own API calls. */
export let cookie = '';

export type Harness = { url: string; db: TestDb; adminId: number; statement: string; browser: Browser; page: Page; close(): Promise<void> };

export async function startHarness(): Promise<Harness> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const [, db] = await Promise.all([buildWeb(), testDb('pglite')]);
  const seeded = await seedDemo(db, { asOf: todayIn() });
  const app = createApp({ db });
  const server = await new Promise<ReturnType<typeof serve>>((ok) => { const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s)); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  // a logged-in instance administrator: the session cookie in the browser (the login screen is tested by the accounts issue)
  const auth = await authed(app, db);
  const [name, value] = auth.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url }]);
  cookie = auth.cookie;
  const page = await context.newPage();
  page.setDefaultTimeout(20_000); // generous: CI runs the browser beside another test worker on 2 cores
  return {
    url, db, adminId: seeded.admin.id, statement: seeded.statement!, browser, page,
    close: async () => {
      await browser.close();
      await new Promise((ok) => server.close(ok));
      await db.drop();
    },
  };
}

/** A user with a role in the harness's administration and a browser of their own, not logged in yet. */
export async function visitor(h: Harness, user: { email: string; name: string; password: string; role: 'owner' | 'controller' | 'viewer' }, viewport = { width: 1440, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const u = await createUser(h.db, { email: user.email, name: user.name, password: user.password });
  await grantRole(h.db, u.id, h.adminId, user.role);
  const context = await h.browser.newContext({ viewport, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' }); // no session yet
  const page = await context.newPage();
  page.setDefaultTimeout(20_000); // generous: CI runs the browser beside another test worker on 2 cores
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/**
 * Navigate; returns the milliseconds from the start of the navigation until the screen shows its
 * content (`ready`, a CSS selector), timed inside the page as bench/web.ts does — reported, not
 * asserted. Then waits for a quiet network.
 */
export async function timedGoto(page: Page, url: string, ready: string, timeout?: number): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  // source text, not a function: the test transpiler would add helpers the page does not have
  const shown = page.evaluate(`new Promise((resolve) => {
    const frame = () => (document.querySelector(${JSON.stringify(ready)}) ? resolve(performance.now()) : requestAnimationFrame(frame));
    frame();
  })`) as Promise<number>;
  await page.waitForSelector(ready, timeout ? { timeout } : undefined);
  const ms = Math.round(await shown);
  await page.waitForLoadState('networkidle');
  return ms;
}
