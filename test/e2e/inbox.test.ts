/**
 * The inbox in a real browser, with a real Dovecot: a reply from an unknown sender waits in the
 * unassigned queue; a person assigns it to the debtor with one click, then turns its suggested
 * promise to pay into a promise with one more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, screenshot, timedGoto, type Harness } from './support.ts';
import { startDovecot, type Dovecot } from '../support/dovecot.ts';
import { aDebtor, anInvoice } from '../support/builders.ts';
import { getAdministration } from '../../src/store/administrations.ts';
import { saveMailbox } from '../../src/app/inbound.ts';
import { readMailbox } from '../../src/app/inbound-reader.ts';
import { addDays, todayIn } from '../../src/domain/dates.ts';

describe('the inbox (Chromium)', () => {
  let h: Harness;
  let imap: Dovecot;
  const today = todayIn();

  beforeAll(async () => {
    [h, imap] = await Promise.all([startHarness(), startDovecot()]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    await imap?.stop();
  });

  it('assigns an unassigned reply and turns its suggested promise into a promise', async () => {
    const { page } = h;
    const admin = (await getAdministration(h.db, h.adminId))!;
    const d = await aDebtor(h.db, admin, { number: 'INB-1', name: 'Antwoord B.V.', type: 'business', emails: ['boekhouding@antwoord.example'] } as never);
    await anInvoice(h.db, admin, d, { number: 'INB-F1', amount: '600.00', issueDate: addDays(today, -40), dueDate: addDays(today, -10) });
    const due = addDays(today, 7);
    const nl = `${due.slice(8, 10)}-${due.slice(5, 7)}-${due.slice(0, 4)}`;
    await saveMailbox(h.db, admin, { host: imap.host, port: imap.port, tls: false, username: imap.user, password: imap.password });
    await imap.append('INBOX', `From: Karin Prive <karin@prive.example>\r\nTo: debiteuren@demo.nl\r\nSubject: Uw herinnering\r\nMessage-ID: <karin-1@prive.example>\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGoedendag,\r\n\r\nWij zullen € 250,00 op ${nl} overmaken.\r\n\r\nKarin\r\n`, new Date());
    expect(await readMailbox(h.db, admin.id, { reader: 'e2e' })).toMatchObject({ handled: 1 });

    await timedGoto(page, `${h.url}/a/${h.adminId}/inbox`, '[data-testid="inbox-list"]');
    const card = page.locator('[data-testid^="inbox-message-"]', { hasText: 'Uw herinnering' });
    await expect.poll(() => card.locator('[data-testid="inbox-no-debtor"]').count()).toBe(1);
    expect(await card.locator('[data-testid="inbox-fresh"]').textContent()).toContain('250,00');
    // no debtor yet: the suggestion cannot be applied
    expect(await card.locator('[data-testid="apply-promise"]').count()).toBe(0);
    await screenshot(page, '70-inbox-unassigned');
    await card.locator('[data-testid="assign-number"]').fill('INB-1');
    await card.locator('[data-testid="assign"]').click();
    // assigned: it leaves the unassigned queue; one debtor's messages show it with its suggestion
    await timedGoto(page, `${h.url}/a/${h.adminId}/inbox?debtor=${d.id}`, '[data-testid="inbox-list"]');
    const mine = page.locator('[data-testid^="inbox-message-"]', { hasText: 'Uw herinnering' });
    expect(await mine.locator('[data-testid="inbox-debtor"]').textContent()).toContain('INB-1');
    expect(await h.db.query('SELECT id FROM promises WHERE debtor_id = $1', [d.id])).toEqual([]);
    expect(await mine.locator('[data-testid="suggestion-promise"]').textContent()).toMatch(/250,00/);
    await mine.locator('[data-testid="apply-promise"]').click();
    await expect.poll(async () => (await h.db.query<{ amount_cents: number; promised_date: string }>('SELECT amount_cents, promised_date FROM promises WHERE debtor_id = $1', [d.id]))).toEqual([{ amount_cents: 25000, promised_date: due }]);
    await expect.poll(() => mine.locator('[data-testid="suggestion-promise"]').textContent()).toMatch(/Overgenomen/);
    await screenshot(page, '71-inbox-promise-applied');
    // the sender is remembered; the reply is on the debtor's timeline
    expect(await h.db.query('SELECT debtor_id FROM inbound_senders WHERE address = $1', ['karin@prive.example'])).toEqual([{ debtor_id: d.id }]);
    expect((await h.db.query<{ kind: string }>(`SELECT kind FROM events WHERE debtor_id = $1 AND kind IN ('inbound_reply', 'promise_created') ORDER BY id`, [d.id])).map((e) => e.kind)).toEqual(['inbound_reply', 'promise_created']);
  }, 180_000);

  it('wrong IMAP credentials: the error is on the dashboard and on the settings screen', async () => {
    const { page } = h;
    const admin = (await getAdministration(h.db, h.adminId))!;
    await saveMailbox(h.db, admin, { host: imap.host, port: imap.port, tls: false, username: imap.user, password: 'verkeerd' });
    await expect(readMailbox(h.db, admin.id, { reader: 'e2e' })).rejects.toThrow(/login refused/);
    await timedGoto(page, `${h.url}/a/${h.adminId}`, '[data-testid="dash-inbox-error"]');
    expect(await page.textContent('[data-testid="dash-inbox-error"]')).toMatch(/wrong user name or password/);
    await timedGoto(page, `${h.url}/a/${h.adminId}/settings?tab=inbox`, '[data-testid="inbox-last-error"]');
    expect(await page.textContent('[data-testid="inbox-last-error"]')).toMatch(/login refused for user "debiteuren"/);
    expect(await page.inputValue('[data-testid="inbox-password"]')).toBe('');
    await screenshot(page, '72-inbox-settings-error');
  }, 180_000);
});
