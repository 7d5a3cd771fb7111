/**
 * The debtor portal in Chromium, at phone width (390 px) and desktop width: open the link from a
 * mail, switch the language, and walk every action — promise, dispute, already paid, payment plan,
 * message, new e-mail address — and pay through the local Mollie fake's checkout and back. No
 * script runs on the portal's pages; everything is plain forms and links, reached by label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { startMollieFake, type MollieFake } from '../support/mollie-fake.ts';
import { createApp } from '../../src/http/app.ts';
import { issuePortalLink } from '../../src/app/portal.ts';
import { changeAdministration } from '../../src/app/administrations.ts';
import { addDays, todayIn } from '../../src/domain/dates.ts';
import type { Administration } from '../../src/store/administrations.ts';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

describe('debtor portal in Chromium', () => {
  let db: TestDb;
  let fake: MollieFake;
  let browser: Browser;
  let url = '';
  let admin: Administration;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await testDb('pglite');
    fake = await startMollieFake();
    admin = await anAdministration(db, { name: 'Portaal Installatie B.V.', addressLine: 'Weg 1', postalCode: '1000 AA', city: 'Amsterdam' });
    admin = await changeAdministration(db, admin.id, { settings: { portal: { mollieTestKey: 'test_eeeeeeeeeeeeeeeeeeeeeeeeeeeeee' } } });
    let app: ReturnType<typeof createApp> | null = null;
    const server = await new Promise<ReturnType<typeof serve>>((ok) => { const s = serve({ fetch: (r) => app!.fetch(r), port: 0, hostname: '127.0.0.1' }, () => ok(s)); });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app = createApp({ db, publicUrl: url, mollieApiEndpoint: fake.apiEndpoint, rateLimits: { portalPerMinute: 100_000 } });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    close = async () => {
      await browser.close();
      await new Promise((ok) => server.close(ok));
      await fake.close();
      await db.drop();
    };
  });
  afterAll(async () => close?.());

  async function debtorPage(name: string, width: number, height: number, amounts: string[]): Promise<{ page: Page; token: string; itemIds: number[]; debtorId: number }> {
    const d = await aDebtor(db, admin, { number: name, name: `${name} B.V.`, emails: [`${name.toLowerCase()}@example.test`] } as never);
    const itemIds: number[] = [];
    for (const [k, amount] of amounts.entries()) itemIds.push((await anInvoice(db, admin, d, { number: `${name}-F${k + 1}`, amount })).id);
    const { token } = await issuePortalLink(db, admin, d.id, 'mail');
    const context = await browser.newContext({ viewport: { width, height }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return { page, token, itemIds, debtorId: d.id };
  }
  const openOf = async (id: number) => (await db.query<{ open_cents: number }>('SELECT open_cents FROM items WHERE id = $1', [id]))[0]!.open_cents;
  const eventKinds = async (debtorId: number) => (await db.query<{ kind: string }>('SELECT kind FROM events WHERE debtor_id = $1', [debtorId])).map((r) => r.kind);

  for (const vp of VIEWPORTS) {
    it(`walks every action at ${vp.name} width (${vp.width}px)`, async () => {
      const { page, token, itemIds, debtorId } = await debtorPage(`E${vp.name.toUpperCase()}`, vp.width, vp.height, ['121.00', '80.00', '60.00', '300.00']);
      await page.goto(`${url}/p/${token}`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Uw openstaande posten');
      expect(await page.getByRole('main').count()).toBe(1);
      // nothing wider than the screen
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(vp.width);
      // language switch and back
      await page.getByRole('link', { name: 'English' }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Your open items');
      await page.getByRole('link', { name: 'Nederlands' }).click();

      // promise to pay for the first invoice (keyboard: focus the field by its label and type)
      const first = page.getByRole('listitem', { name: `Factuur E${vp.name.toUpperCase()}-F1` });
      await first.getByRole('link', { name: 'Betaalbelofte' }).click();
      await page.getByLabel(/Ik betaal uiterlijk op/).fill(addDays(todayIn(), 10));
      await page.getByRole('button', { name: 'Versturen' }).press('Enter');
      await expect.poll(() => page.getByRole('status').textContent()).toContain('betaalbelofte');

      // dispute the second one
      const second = page.getByRole('listitem', { name: `Factuur E${vp.name.toUpperCase()}-F2` });
      await second.getByRole('link', { name: 'Betwisten' }).click();
      await page.getByLabel('Reden').selectOption({ index: 1 });
      await page.getByLabel('Uw toelichting').fill('De monteur is nooit geweest.');
      await page.getByRole('button', { name: 'Versturen' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('bezwaar');
      expect(await page.getByRole('listitem', { name: `Factuur E${vp.name.toUpperCase()}-F2` }).getByText('in geschil').count()).toBe(1);

      // already paid the third
      const third = page.getByRole('listitem', { name: `Factuur E${vp.name.toUpperCase()}-F3` });
      await third.getByRole('link', { name: 'Ik heb al betaald' }).click();
      await page.getByLabel('Datum van betaling').fill(todayIn());
      await page.getByLabel('Toelichting (optioneel)').fill('gisteren overgemaakt');
      await page.getByRole('button', { name: 'Versturen' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('controleren');

      // a payment plan for the fourth: 3 instalments, within the limits
      const fourth = page.getByRole('listitem', { name: `Factuur E${vp.name.toUpperCase()}-F4` });
      await fourth.getByRole('link', { name: 'Regeling voorstellen' }).click();
      await page.getByLabel(/Aantal maandelijkse termijnen/).fill('3');
      await page.getByRole('button', { name: 'Versturen' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('betalingsregeling');

      // a message and a new e-mail address
      await page.getByRole('link', { name: 'Bericht sturen' }).click();
      await page.getByLabel('Uw bericht').fill('Kunt u mij bellen?');
      await page.getByRole('button', { name: 'Versturen' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('bericht');
      await page.getByRole('link', { name: 'E-mailadres wijzigen' }).click();
      await page.getByLabel('Nieuw e-mailadres').fill(`nieuw-${vp.name}@example.test`);
      await page.getByRole('button', { name: 'Versturen' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('bevestigingslink');

      expect(await eventKinds(debtorId)).toEqual(expect.arrayContaining(['promise_created', 'dispute_opened', 'portal_paid_reported', 'payment_plan_created', 'portal_message', 'portal_email_requested']));

      // pay the first invoice through Mollie's (fake) checkout and come back
      await page.getByRole('listitem', { name: `Factuur E${vp.name.toUpperCase()}-F1` }).getByRole('link', { name: 'Betalen' }).click();
      await page.getByRole('button', { name: 'Naar betalen' }).click();
      await page.waitForURL(`${fake.base}/checkout/**`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Pay € 121.00');
      await page.getByRole('button', { name: 'paid' }).click();
      await page.waitForURL(/done=returned/);
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Dank u');
      expect(await openOf(itemIds[0]!)).toBe(0);
      expect(await page.getByRole('listitem', { name: `Factuur E${vp.name.toUpperCase()}-F1` }).count()).toBe(0);
      await page.context().close();
    });
  }

  it('shows the neutral page for a link that does not work, and a failed payment books nothing', async () => {
    const { page, token, itemIds } = await debtorPage('EFAIL', 390, 844, ['45.00']);
    await page.goto(`${url}/p/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Deze link werkt niet (meer)');
    await page.getByRole('button', { name: 'Stuur mij een nieuwe link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Als deze link bij ons bekend was');
    await page.goto(`${url}/p/${token}/pay`);
    await page.getByRole('button', { name: 'Naar betalen' }).click();
    await page.waitForURL(`${fake.base}/checkout/**`);
    await page.getByRole('button', { name: 'failed' }).click();
    await page.waitForURL(/done=returned/);
    expect(await openOf(itemIds[0]!)).toBe(4500);
    await page.context().close();
  });
});
