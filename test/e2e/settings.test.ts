/**
 * The settings screens and the overview in a real browser, against the demo data: each tab saves
 * something and the test sees it come back (workflow with the masked mail password, a dunning
 * step, a letter template with its preview and a refused placeholder, a status, an API token),
 * and the overview switches administration. Screenshots go to .vorder-test/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookie, startHarness, screenshot, timedGoto, type Harness } from './support.ts';

describe('settings and overview (Chromium)', () => {
  let h: Harness;
  let base = '';
  let csrf = '';
  const call = (path: string, init: RequestInit = {}) => fetch(`${h.url}/api${path}`, { ...init, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const api = async <T>(path: string): Promise<T> => (await (await call(`/administrations/${h.adminId}${path}`)).json()) as T;
  const pick = async (input: string, option: string) => {
    await h.page.click(input);
    await h.page.click(`[role="option"]:has-text("${option}")`);
  };

  beforeAll(async () => {
    h = await startHarness();
    base = `${h.url}/a/${h.adminId}`;
    csrf = ((await (await call('/auth/me')).json()) as { csrfToken: string }).csrfToken;
  });
  afterAll(async () => { await h?.close(); });

  it('Werkwijze: schedule, bank gate and mail server saved; the password stays ******** and is kept', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/settings?tab=workflow`, '[data-testid="workflow-form"]');
    await pick('[data-testid="wf-frequency"]', 'Wekelijks');
    await pick('[data-testid="wf-weekday"]', 'dinsdag');
    await page.fill('[data-testid="wf-time"]', '08:30');
    await page.fill('[data-testid="wf-stale"]', '5');
    await page.click('[data-testid="wf-smtp-on"]');
    await page.fill('[data-testid="wf-smtp-host"]', 'smtp.example.nl');
    await page.fill('[data-testid="wf-smtp-from"]', 'debiteuren@example.nl');
    await page.fill('[data-testid="wf-smtp-user"]', 'mailer');
    await page.fill('[data-testid="wf-smtp-pass"]', 'geheim-123');
    await page.click('[data-testid="wf-save"]');
    type W = { schedule: { frequency: string; weekday: number; time: string }; staleAfterDays: number; smtp: { host: string; pass?: string } | null };
    await expect.poll(async () => (await api<W>('/settings/workflow')).schedule).toMatchObject({ frequency: 'weekly', weekday: 2, time: '08:30' });
    const w = await api<W>('/settings/workflow');
    expect(w.staleAfterDays).toBe(5);
    expect(w.smtp).toMatchObject({ host: 'smtp.example.nl', pass: '********' });
    await page.reload();
    await page.waitForSelector('[data-testid="wf-smtp-pass"]');
    expect(await page.inputValue('[data-testid="wf-smtp-pass"]')).toBe('********');
    expect(await page.inputValue('[data-testid="wf-stale"]')).toBe('5');
    // change only the host: the stored password must stay
    await page.fill('[data-testid="wf-smtp-host"]', 'mail.example.nl');
    await page.click('[data-testid="wf-save"]');
    await expect.poll(async () => (await api<W>('/settings/workflow')).smtp?.host).toBe('mail.example.nl');
    const stored = await h.db.query<{ settings: { smtp?: { pass?: string } } }>('SELECT settings FROM administrations WHERE id = $1', [h.adminId]);
    expect(stored[0]!.settings.smtp?.pass).toBe('geheim-123');
    await screenshot(page, '20-settings-workflow');
  });

  it('Aanmaanbeleid: a step\'s delay changed and saved', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/settings?tab=policies`, '[data-testid="policy-default"]');
    const delay = '[data-testid="policy-default"] [data-testid="step-default-reminder_1"] [data-testid="step-delay"]';
    await page.fill(delay, '5');
    await page.click('[data-testid="policy-save-default"]');
    type P = { key: string; steps: { key: string; delayDays: number }[] };
    await expect.poll(async () => (await api<P[]>('/dunning/policies')).find((p) => p.key === 'default')?.steps.find((s) => s.key === 'reminder_1')?.delayDays).toBe(5);
    await screenshot(page, '21-settings-policies');
  });

  it('Brieven: own wording saved, preview refreshed; an unknown placeholder is refused with the reason', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/settings?tab=templates`, '[data-testid="template-form"]');
    expect(await page.textContent('[data-testid="template-source"]')).toContain('Standaardtekst');
    const before = await page.getAttribute('[data-testid="template-preview"]', 'src');
    await page.fill('[data-testid="tpl-subject"]', 'Vriendelijke herinnering ');
    await page.click('[data-testid="tpl-subject"]');
    await page.press('[data-testid="tpl-subject"]', 'End');
    await page.click('[data-testid="placeholder-invoiceNumbers"]');
    expect(await page.inputValue('[data-testid="tpl-subject"]')).toBe('Vriendelijke herinnering {{invoiceNumbers}}');
    await page.click('[data-testid="tpl-save"]');
    await expect.poll(() => page.textContent('[data-testid="template-source"]')).toContain('Eigen tekst');
    const own = await api<{ own: { reminder?: { nl?: { subject: string } } } }>('/templates');
    expect(own.own.reminder?.nl?.subject).toBe('Vriendelijke herinnering {{invoiceNumbers}}');
    const after = await page.getAttribute('[data-testid="template-preview"]', 'src');
    expect(after).not.toBe(before);
    const pdf = await fetch(`${h.url}${after!}`, { headers: { cookie } });
    expect(pdf.headers.get('content-type')).toContain('pdf');
    await page.mouse.wheel(0, -5000);
    await page.waitForTimeout(500); // let the PDF viewer draw
    await screenshot(page, '22-settings-templates');
    await page.fill('[data-testid="tpl-greeting"]', 'Beste {{klantnaam}},');
    await page.click('[data-testid="tpl-save"]');
    await page.waitForSelector('[data-testid="settings-problems"]');
    expect(await page.textContent('[data-testid="settings-problems"]')).toContain('{{klantnaam}}');
    await screenshot(page, '23-settings-templates-problem');
    await page.click('[data-testid="tpl-revert"]');
    await expect.poll(() => page.textContent('[data-testid="template-source"]')).toContain('Standaardtekst');
  });

  it('Statussen: a new status saved and shown', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/settings?tab=statuses`, '[data-testid="statuses"]');
    await page.click('[data-testid="status-add"]');
    const row = '[data-testid="status-new-9"]';
    await page.fill(`${row} [data-testid="status-key"]`, 'curator');
    await page.fill(`${row} [data-testid="status-label-nl"]`, 'Curator');
    await page.fill(`${row} [data-testid="status-label-en"]`, 'Receiver');
    await page.click(`${row} [data-testid="status-pauses"]`);
    await page.click('[data-testid="statuses-save"]');
    await page.waitForSelector('[data-testid="status-curator"] >> text=curator');
    const list = await api<{ key: string; labelEn: string; pausesChase: boolean }[]>('/statuses');
    expect(list.find((s) => s.key === 'curator')).toMatchObject({ labelEn: 'Receiver', pausesChase: true });
    await screenshot(page, '24-settings-statuses');
  });

  it('API-tokens: a new token is shown once and listed; segments and users open', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/settings?tab=tokens`, '[data-testid="token-new"]');
    await page.fill('[data-testid="token-name"]', 'Koppeling boekhouding');
    await page.click('[data-testid="token-create"]');
    const token = (await page.textContent('[data-testid="token-value"]'))!;
    expect(token.length).toBeGreaterThan(20);
    await page.waitForSelector('[data-testid="tokens-table"] >> text=Koppeling boekhouding');
    const me = await fetch(`${h.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    await screenshot(page, '25-settings-tokens');
    await page.click('[data-testid="settings-tab-segments"]');
    await page.waitForSelector('[data-testid="segments"]');
    await page.click('[data-testid="settings-tab-audit"]');
    await page.waitForSelector('[data-testid="audit-csv"]');
    await screenshot(page, '26-settings-audit');
  });

  it('Overzicht: every administration with its totals; a click switches', async () => {
    const { page } = h;
    const res = await call('/administrations', { method: 'POST', body: JSON.stringify({ name: 'Tweede Holding B.V.' }) });
    expect(res.status).toBe(201);
    const second = (await res.json()) as { id: number };
    await timedGoto(page, `${base}/overview`, `[data-testid="overview-row-${second.id}"]`);
    await page.waitForSelector('[data-testid="nav-overview"]');
    await screenshot(page, '27-overview');
    await page.click(`[data-testid="overview-row-${second.id}"]`);
    await page.waitForURL(new RegExp(`/a/${second.id}$`));
  });
});
