/**
 * The outbox in a real browser, against the demo data and a real SMTP server: one debtor's next
 * step previewed (e-mail text, HTML, PDF) and sent from the debtor page, the message in the outbox
 * with the server's answer; a run's paper letters printed as one batch and marked posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, screenshot, timedGoto, type Harness } from './support.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';
import { aDebtor, anInvoice } from '../support/builders.ts';
import { getAdministration, updateAdministration } from '../../src/store/administrations.ts';
import { sendRun } from '../../src/app/dunning.ts';
import { addDays, todayIn } from '../../src/domain/dates.ts';

describe('the outbox (Chromium)', () => {
  let h: Harness;
  let smtp: TestSmtp;
  let base = '';
  const today = todayIn();

  beforeAll(async () => {
    [h, smtp] = await Promise.all([startHarness(), startSmtp()]);
    base = `${h.url}/a/${h.adminId}`;
    const admin = (await getAdministration(h.db, h.adminId))!;
    await updateAdministration(h.db, admin.id, { settings: { ...admin.settings, smtp: { host: '127.0.0.1', port: smtp.port, from: 'Debiteuren <debiteuren@demo.nl>' } } });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('previews one debtor\'s next step and sends it now; the outbox shows it sent with the server\'s answer', async () => {
    const { page } = h;
    const admin = (await getAdministration(h.db, h.adminId))!;
    const d = await aDebtor(h.db, admin, { number: 'E2E-1', name: 'Proef Mail B.V.', type: 'business', emails: ['proef@example.nl'], addressLine: 'Proefweg 1', postalCode: '1234 AB', city: 'Utrecht' } as never);
    await anInvoice(h.db, admin, d, { number: 'E2E-F1', amount: '123.45', issueDate: addDays(today, -40), dueDate: addDays(today, -10) });
    await timedGoto(page, `${base}/debtors/${d.id}`, '[data-testid="next-step"]');
    await page.click('[data-testid="next-step"]');
    await page.waitForSelector('[data-testid="next-text"]');
    expect(await page.textContent('[data-testid="next-how"]')).toContain('proef@example.nl');
    expect(await page.textContent('[data-testid="next-text"]')).toContain('E2E-F1');
    expect(await page.getAttribute('[data-testid="next-pdf"]', 'href')).toContain('/dunning/next/letter');
    await screenshot(page, '60-next-step-preview');
    await page.click('[data-testid="next-send"]');
    await page.waitForSelector('[data-testid="next-result"]');
    expect(await page.textContent('[data-testid="next-result"]')).toMatch(/1 verzonden/);
    await expect.poll(() => smtp.received.length).toBe(1);
    expect(smtp.received[0]!.html).toBeTruthy();
    expect(smtp.received[0]!.text).toContain('E2E-F1');
    // the outbox: filtered on the debtor, sent, the server's answer in the message's history
    await timedGoto(page, `${base}/outbox?debtor=E2E-1`, '[data-testid="outbox-table"]');
    expect(await page.textContent('[data-testid="outbox-state"]')).toBe('Verzonden');
    await page.click('[data-testid^="outbox-row-"]');
    await page.waitForSelector('[data-testid="outbox-server"]');
    expect(await page.textContent('[data-testid="outbox-server"]')).toMatch(/250/);
    expect(await page.textContent('[data-testid="outbox-history"]')).toMatch(/Wordt verzonden → Verzonden/);
    await screenshot(page, '61-outbox-detail');
  });

  it('prints a run\'s paper letters as one PDF and marks them posted in one action', async () => {
    const { page } = h;
    const admin = (await getAdministration(h.db, h.adminId))!;
    const ids: number[] = [];
    for (const n of [1, 2]) {
      const d = await aDebtor(h.db, admin, { number: `E2E-P${n}`, name: `Papier ${n} B.V.`, type: 'business', addressLine: `Postlaan ${n}`, postalCode: '2345 BC', city: 'Leiden' } as never);
      await anInvoice(h.db, admin, d, { number: `E2E-PF${n}`, amount: '250.00', issueDate: addDays(today, -40), dueDate: addDays(today, -10) });
      ids.push(d.id);
    }
    const r = await sendRun(h.db, admin, { asOf: today, override: true, only: { debtorIds: ids } });
    expect(r.states).toEqual({ to_print: 2 });
    await timedGoto(page, `${base}/outbox?run=${r.runId}`, `[data-testid="batch-${r.runId}"]`);
    expect(await page.textContent(`[data-testid="batch-${r.runId}"]`)).toMatch(/2 brief/);
    const download = page.waitForEvent('download');
    await page.click(`[data-testid="print-${r.runId}"]`);
    const file = await download;
    expect(file.suggestedFilename()).toBe(`printbatch-run-${r.runId}.pdf`);
    await expect.poll(async () => (await h.db.query<{ status: string }>('SELECT DISTINCT status FROM dunning_actions WHERE run_id = $1', [r.runId])).map((x) => x.status)).toEqual(['printed']);
    await page.click(`[data-testid="posted-${r.runId}"]`);
    await expect.poll(async () => (await h.db.query<{ status: string }>('SELECT DISTINCT status FROM dunning_actions WHERE run_id = $1', [r.runId])).map((x) => x.status)).toEqual(['posted']);
    const hist = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM dunning_history h JOIN dunning_actions a ON a.id = h.action_id WHERE a.run_id = $1', [r.runId]);
    expect(hist[0]!.n).toBe(2);
    await page.waitForSelector(`[data-testid="batch-${r.runId}"]`, { state: 'detached' });
    await screenshot(page, '62-outbox-posted');
  });
});
