/**
 * The portal seen from inside, in Chromium against the demo data: on the debtor page a new link is
 * made, the debtor opens it (the page then says when), the links are revoked with the button (the
 * link then shows the neutral page); the Portaal settings tab stores a Mollie key and shows only
 * that one is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookie, startHarness, timedGoto, type Harness } from './support.ts';
import { setPublicUrl } from '../../src/app/links.ts';

describe('portal in the web app (Chromium)', () => {
  let h: Harness;
  let base = '';
  let debtorId = 0;

  beforeAll(async () => {
    h = await startHarness();
    base = `${h.url}/a/${h.adminId}`;
    await setPublicUrl(h.db, h.url);
    debtorId = (await h.db.query<{ id: number }>(`SELECT d.id FROM debtors d WHERE d.administration_id = $1 AND EXISTS (SELECT 1 FROM items i WHERE i.debtor_id = d.id AND i.open_cents > 0) ORDER BY d.number LIMIT 1`, [h.adminId]))[0]!.id;
  });
  afterAll(async () => { await h?.close(); });

  it('makes a link, sees the debtor open it, and revokes it from the debtor page', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/debtors/${debtorId}`, '[data-testid="debtor-portal"]');
    await expect.poll(() => page.textContent('[data-testid="portal-last-opened"]')).toBe('Nog nooit geopend');
    await page.click('[data-testid="portal-make-link"]');
    const link = (await page.waitForSelector('[data-testid="portal-new-link"]')).textContent();
    const url = (await link)!.trim();
    expect(url).toMatch(new RegExp(`^${h.url}/p/[A-Za-z0-9_-]{22}$`));
    const debtorView = await page.context().newPage();
    await debtorView.goto(url);
    expect(await debtorView.textContent('h1')).toBe('Uw openstaande posten');
    await page.reload();
    await expect.poll(() => page.textContent('[data-testid="portal-last-opened"]')).toContain('Laatst geopend');
    await page.click('[data-testid="portal-revoke"]');
    await expect.poll(async () => (await fetch(url)).status).toBe(404);
    await debtorView.reload();
    expect(await debtorView.textContent('h1')).toBe('Deze link werkt niet (meer)');
    await debtorView.close();
  });

  it('stores a Mollie key in the Portaal tab and never shows it again', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/settings?tab=portal`, '[data-testid="portal-form"]');
    await page.fill('[data-testid="portal-key-test"]', 'test_cccccccccccccccccccccccccccccc');
    await page.click('[data-testid="portal-save"]');
    await expect.poll(async () => {
      const r = await fetch(`${h.url}/api/administrations/${h.adminId}/settings/portal`, { headers: { cookie } });
      return (await r.json()) as Record<string, unknown>;
    }).toMatchObject({ hasMollieTestKey: true });
    await page.reload();
    await page.waitForSelector('[data-testid="portal-form"]');
    expect(await page.inputValue('[data-testid="portal-key-test"]')).toBe('');
    expect(await page.textContent('[data-testid="portal-form"]')).toContain('Opgeslagen (leeg laten om te houden)');
  });
});
