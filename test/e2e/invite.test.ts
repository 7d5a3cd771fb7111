/**
 * An invitation in a real browser: the owner invites an address on the users screen (no mail
 * server here, so the screen hands over the link), the invited person opens it in a fresh browser,
 * chooses a name and password, and is logged in; the invitation is no longer pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support.ts';

describe('accepting an invitation (Chromium)', () => {
  let h: Harness;
  const saved = { url: process.env.VORDER_PUBLIC_URL, smtp: process.env.VORDER_SMTP_URL };
  beforeAll(async () => {
    delete process.env.VORDER_SMTP_URL;
    h = await startHarness();
    process.env.VORDER_PUBLIC_URL = h.url; // read per request: links point at this test server
  });
  afterAll(async () => {
    for (const [k, v] of [['VORDER_PUBLIC_URL', saved.url], ['VORDER_SMTP_URL', saved.smtp]] as const) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await h?.close();
  });

  it('the owner invites, the person accepts with a new account and is logged in', async () => {
    const { page } = h;
    await page.goto(`${h.url}/a/${h.adminId}/settings?tab=users`);
    await page.click('[data-testid="user-add"]');
    await page.fill('[data-testid="user-email"]', 'nieuw@example.test');
    await page.click('[data-testid="user-save"]');
    const link = (await page.textContent('[data-testid="invite-link-value"]'))!;
    expect(link).toMatch(new RegExp(`^${h.url}/invite\\?token=`));
    await page.waitForSelector('[data-testid="invitations-table"] >> text=nieuw@example.test');

    const context = await h.browser.newContext({ locale: 'nl-NL' }); // the invited person, not logged in
    const other = await context.newPage();
    other.setDefaultTimeout(20_000);
    try {
      await other.goto(link);
      await other.waitForSelector('[data-testid="invite-info"] >> text=nieuw@example.test');
      await other.fill('[data-testid="invite-name"]', 'Nieuwe Collega');
      await other.fill('[data-testid="invite-password"]', 'een lang wachtwoord');
      await other.click('[data-testid="invite-accept"]');
      await other.waitForURL(new RegExp(`/a/${h.adminId}`));
      await expect.poll(() => other.textContent('[data-testid="current-user"]')).toBe('Nieuwe Collega');
    } finally {
      await context.close();
    }
    const rows = await h.db.query<{ role: string }>(`SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'nieuw@example.test' AND m.administration_id = $1`, [h.adminId]);
    expect(rows).toEqual([{ role: 'controller' }]);
    await page.reload();
    await page.waitForSelector('[data-testid="users-table"] >> text=nieuw@example.test');
    expect(await page.locator('[data-testid="invitations-table"]').count()).toBe(0);
  }, 120_000);
});
