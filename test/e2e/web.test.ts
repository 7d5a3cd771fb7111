/**
 * The web application in a real browser (Debian's Chromium through playwright-core), against the
 * demo data: dashboard totals, language switch, debtor search, importing the demo bank statement
 * and confirming a suggestion, the dunning preview and sending, recording a promise, sending a
 * statement of account. Screenshots
 * of every main screen go to .vorder-test/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookie, startHarness, screenshot, timedGoto, type Harness } from './support.ts';

describe('web application (Chromium)', () => {
  let h: Harness;
  let base = '';
  const loads: Record<string, number> = {};
  const get = (url: string) => fetch(url, { headers: { cookie } });
  const api = async <T>(path: string): Promise<T> => (await (await get(`${h.url}/api/administrations/${h.adminId}${path}`)).json()) as T;

  beforeAll(async () => {
    h = await startHarness();
    base = `${h.url}/a/${h.adminId}`;
  });
  afterAll(async () => {
    if (Object.keys(loads).length) console.log(`page loads (ms, demo data): ${JSON.stringify(loads)}`);
    await h?.close();
  });

  it('opens on the dashboard with the totals in Dutch notation', async () => {
    const { page } = h;
    loads.dashboard = await timedGoto(page, h.url, '[data-testid="stat-open"]');
    await page.waitForURL(/\/a\/\d+$/);
    const dash = await api<{ open: string; overdue: string }>('/dashboard');
    const expected = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(Number(dash.open));
    await expect.poll(() => page.textContent('[data-testid="stat-open"]')).toContain(expected);
    expect(expected).toMatch(/^€\s[\d.]+,\d\d$/);
    await page.waitForSelector('[data-testid="chart-aging"] .recharts-bar-rectangle');
    await screenshot(page, '01-dashboard');
    // a bar opens the item list holding exactly its bucket (status and due dates), and back
    await page.locator('[data-testid="chart-aging"] .recharts-bar-rectangle').last().click();
    await page.waitForURL(/\/items\?status=(open|overdue)&due(From|To)=\d{4}-\d\d-\d\d/);
    await page.goBack();
    await page.waitForSelector('[data-testid="stat-open"]');
  });

  it('switches the language: texts and number format follow', async () => {
    const { page } = h;
    await page.click('[data-testid="lang-switch"] >> text=EN');
    await expect.poll(() => page.textContent('[data-testid="nav-debtors"]')).toContain('Debtors');
    const open = (await page.textContent('[data-testid="stat-open"]'))!;
    expect(open).toContain('Outstanding');
    expect(open).toMatch(/€[\d,]+\.\d\d/);
    await screenshot(page, '02-dashboard-en');
    await page.click('[data-testid="lang-switch"] >> text=NL');
    await expect.poll(() => page.textContent('[data-testid="nav-debtors"]')).toContain('Debiteuren');
  });

  it('searches a debtor and opens its page', async () => {
    const { page } = h;
    loads.debtors = await timedGoto(page, `${base}/debtors`, '[data-testid="debtor-table"] [data-index="0"]');
    await screenshot(page, '03-debtors');
    const top = await api<{ debtors: { debtorId: number; debtorName: string }[] }>('/aging?debtors=true&limit=1');
    const target = top.debtors[0]!;
    await page.fill('[data-testid="debtor-search"]', target.debtorName.slice(0, 14));
    await page.waitForSelector(`[data-testid="debtor-table"] [role="row"]:has-text("${target.debtorName}")`);
    await page.click(`[data-testid="debtor-table"] [role="row"]:has-text("${target.debtorName}")`);
    await page.waitForURL(new RegExp(`/debtors/${target.debtorId}$`));
    await expect.poll(() => page.textContent('h1')).toContain(target.debtorName);
    await page.waitForSelector('[data-testid="fact-balance"] >> text=/€/');
    await page.waitForSelector('[data-testid="debtor-items"] tbody tr');
    await screenshot(page, '04-debtor');
  });

  it('finds "Żółć" by typing "zolc" and exports exactly that list to Excel and CSV', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/debtors`, '[data-testid="debtor-table"] [data-index="0"]');
    const expected = await api<{ total: number }>(`/debtors?search=${encodeURIComponent('Żółć')}&limit=1`);
    expect(expected.total).toBeGreaterThan(0);
    await page.fill('[data-testid="debtor-search"]', 'zolc');
    await expect.poll(() => page.textContent('[data-testid="debtor-table"] [data-index="0"]')).toContain('Żółć');
    await page.click('[data-testid="export-menu"]');
    const href = (await page.getAttribute('[data-testid="export-xlsx"]', 'href'))!;
    expect(href).toContain('search=zolc');
    expect(href).toContain('format=xlsx');
    const xlsx = await get(`${h.url}${href}`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(xlsx.headers.get('x-vorder-rows')).toBe(String(expected.total));
    const csv = await get(`${h.url}${(await page.getAttribute('[data-testid="export-csv"]', 'href'))!}`);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^Nummer;Naam;/);
    expect(lines).toHaveLength(expected.total + 1);
    for (const l of lines.slice(1)) expect(l).toContain('Żółć');
    await page.keyboard.press('Escape');
    await page.fill('[data-testid="debtor-search"]', '');
  });

  it('sorts the debtors by clicking a column header, both ways', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/debtors`, '[data-testid="debtor-table"] [data-index="0"]');
    const firstRow = () => page.textContent('[data-testid="debtor-table"] [data-index="0"]');
    const top = async (sort: string, dir: string) => (await api<{ rows: { name: string }[] }>(`/debtors?sort=${sort}&dir=${dir}&limit=1`)).rows[0]!.name;
    await page.click('[data-testid="sort-balance"]');
    await expect.poll(() => page.url()).toContain('dir=desc');
    await expect.poll(firstRow).toContain(await top('balance', 'desc'));
    expect(await page.getAttribute('[role="columnheader"][aria-sort]', 'aria-sort')).toBe('descending');
    await page.click('[data-testid="sort-balance"]');
    await expect.poll(firstRow).toContain(await top('balance', 'asc'));
    await page.click('[data-testid="sort-name"]');
    await expect.poll(firstRow).toContain(await top('name', 'asc'));
    await screenshot(page, '03b-debtors-sorted');
  });

  it('pauses two selected debtors at once with a reason, and resumes them', async () => {
    const { page } = h;
    await timedGoto(page, `${base}/debtors`, '[data-testid="debtor-table"] [data-index="0"]');
    const rows = (await api<{ rows: { id: number; number: string; onHold: boolean }[] }>('/debtors?limit=2')).rows;
    expect(rows.every((r) => !r.onHold)).toBe(true);
    for (const r of rows) await page.click(`[data-testid="select-${r.number}"]`);
    await expect.poll(() => page.textContent('[data-testid="bulk-bar"]')).toContain('2 geselecteerd');
    expect(page.url()).toMatch(/\/debtors(\?|$)/); // ticking a box does not open the debtor
    await page.click('[data-testid="bulk-hold"]');
    await page.fill('[data-testid="bulk-hold-reason"]', 'klacht over levering');
    await page.click('button[type="submit"]:has-text("Pauzeren")');
    await expect.poll(async () => (await api<{ rows: { onHold: boolean; holdReason: string | null }[] }>('/debtors?limit=2')).rows.map((r) => r.holdReason)).toEqual(['klacht over levering', 'klacht over levering']);
    await expect.poll(() => page.locator('[data-testid="bulk-bar"]').count()).toBe(0);
    await screenshot(page, '03c-debtors-paused');
    for (const r of rows) await page.click(`[data-testid="select-${r.number}"]`);
    await page.click('[data-testid="bulk-release"]');
    await expect.poll(async () => (await api<{ rows: { onHold: boolean }[] }>('/debtors?limit=2')).rows.some((r) => r.onHold)).toBe(false);
  });

  it('lists items and shows one with its payments and history', async () => {
    const { page } = h;
    loads.items = await timedGoto(page, `${base}/items?status=overdue`, '[data-testid="item-table"] [data-index="0"]');
    await screenshot(page, '05-items');
    await page.click('[data-testid="item-table"] [data-index="0"]');
    await page.waitForSelector('[data-testid="item-facts"]');
    await screenshot(page, '06-item');
  });

  it('imports the demo bank statement through the upload and confirms a suggestion by key, undoes and confirms by click', async () => {
    const { page } = h;
    loads.bank = await timedGoto(page, `${base}/bank`, '[data-testid="dropzone"]');
    await page.setInputFiles('[data-testid="statement-file"]', { name: 'demo-bankafschrift.xml', mimeType: 'application/xml', buffer: Buffer.from(h.statement) });
    await page.waitForSelector('[data-testid="upload-result"]', { timeout: 30_000 });
    await screenshot(page, '07-bank-imported');
    const booked = Number((await page.textContent('[data-testid="result-booked"]'))!.replace(/\D/g, ''));
    expect(booked).toBeGreaterThan(0);
    // a line with a suggestion waiting for review; when the matcher booked them all, unbook one (u) so it waits again
    let id: string | null;
    const waiting = page.locator('[data-testid="bank-lines"] [data-status="suggested"]');
    if (await waiting.count()) {
      await waiting.first().click();
      id = await page.getAttribute('[data-testid="line-detail"]', 'data-line-id');
    } else {
      await page.click('[data-testid="bank-tab-auto"]');
      await page.locator('[data-testid="bank-lines"] [data-status="auto"]').first().click();
      id = await page.getAttribute('[data-testid="line-detail"]', 'data-line-id');
      await page.waitForSelector('[data-testid="suggestion"] >> text=/Waarom/i');
      await screenshot(page, '08-bank-auto');
      await page.keyboard.press('u');
      await expect.poll(async () => (await api<{ status: string }>(`/bank-lines/${id}`)).status).toBe('suggested');
    }
    await page.waitForSelector(`[data-testid="line-detail"][data-line-id="${id}"][data-status="suggested"] [data-testid="suggestion"]`);
    await screenshot(page, '07-bank-review');
    await page.keyboard.press('c');
    await expect.poll(async () => (await api<{ status: string }>(`/bank-lines/${id}`)).status).toBe('confirmed');
    // back to it and undo (u), then confirm with a click
    await page.click(`[data-line="${id}"]`);
    await page.waitForSelector(`[data-testid="line-detail"][data-line-id="${id}"][data-status="confirmed"]`);
    await page.keyboard.press('u');
    await expect.poll(async () => (await api<{ status: string }>(`/bank-lines/${id}`)).status).not.toBe('confirmed');
    await page.waitForSelector(`[data-testid="line-detail"][data-line-id="${id}"] [data-testid="btn-confirm"]`);
    await page.click('[data-testid="btn-confirm"]');
    await expect.poll(async () => (await api<{ status: string }>(`/bank-lines/${id}`)).status).toBe('confirmed');
  });

  it('previews the dunning run grouped by step, opens a letter, and sends a selection', async () => {
    const { page } = h;
    loads.dunning = await timedGoto(page, `${base}/dunning`, '[data-testid="dunning-steps"], [data-testid="dunning-blocked"]', 60_000);
    // payments still waiting for review block the run: send anyway, deliberately
    if (await page.locator('[data-testid="dunning-blocked"]').count()) await page.locator('[data-testid="dunning-override"]').dispatchEvent('click');
    await page.waitForSelector('[data-testid="dunning-message"]');
    await screenshot(page, '09-dunning');
    const href = await page.getAttribute('[data-testid="letter-link"] >> nth=0', 'href');
    const pdf = await get(`${h.url}${href}`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    await page.locator('[data-testid="dunning-message"] input[type="checkbox"]').nth(0).check();
    await page.locator('[data-testid="dunning-message"] input[type="checkbox"]').nth(1).check();
    await page.click('[data-testid="send-selected"]');
    await page.click('[data-testid="send-confirm"]');
    await expect.poll(async () => (await api<unknown[]>('/dunning/runs')).length).toBe(1);
    await page.click('text=Eerdere runs');
    await page.waitForSelector('[data-testid="dunning-runs"] tbody tr');
    // the history says in words what the run did (not the raw keys of its stored summary)
    // …and per state what became of its messages (sent, to print; refused e-mail without a mail server), never "queued" for what went out
    await expect.poll(() => page.textContent('[data-testid="dunning-runs"] tbody tr')).toMatch(/Aanmaanrun.*(In de outbox|Klaar).*(per e-mail|te printen|geweigerd: geen mailserver|belopdracht)/);
    await screenshot(page, '09b-dunning-history');
  });

  it('records a promise to pay on the debtor page; it appears in the dossier', async () => {
    const { page } = h;
    const top = await api<{ debtors: { debtorId: number; debtorName: string }[] }>('/aging?debtors=true&limit=3');
    const d = top.debtors[2]!;
    loads.debtor = await timedGoto(page, `${base}/debtors/${d.debtorId}`, '[data-testid="debtor-facts"]');
    await page.click('[data-testid="action-promise"]');
    await page.fill('[data-testid="promise-amount"]', '1.250,00');
    await page.click('[data-testid="action-submit"]');
    await expect.poll(async () => (await api<{ debtorId: number; amount: string }[]>(`/promises?debtorId=${d.debtorId}`)).map((p) => p.amount)).toContain('1250.00');
    await page.waitForSelector('[data-testid="timeline"] >> text=/belofte|promise/i');
    await screenshot(page, '10-debtor-promise');
    // the debtor list finds it by the reason it is paused, chosen in the filter
    await timedGoto(page, `${base}/debtors`, '[data-testid="debtor-table"] [data-index="0"]');
    await page.click('[data-testid="filter-paused"]');
    await page.click('[role="option"][value="promise_to_pay"]');
    await page.waitForURL(/paused=promise_to_pay/);
    await expect.poll(() => page.textContent('[data-testid="debtor-table"] [data-index="0"]')).toContain(d.debtorName);
    expect(await page.locator('[data-testid="debtor-table"] [data-index="1"]').count()).toBe(0);
    await screenshot(page, '10b-debtors-paused');
  });

  it('sends a statement of account from the debtor page, once a day; the PDF can be looked at first', async () => {
    const { page } = h;
    const top = await api<{ debtors: { debtorId: number; debtorName: string }[] }>('/aging?debtors=true&limit=4');
    const d = top.debtors[3]!;
    await timedGoto(page, `${base}/debtors/${d.debtorId}`, '[data-testid="debtor-facts"]');
    await page.click('[data-testid="action-statement"]');
    await page.waitForSelector('[data-testid="form-statement"] >> text=/openstaande posten, saldo €/');
    await page.locator('[data-testid="statement-to"]').or(page.locator('[data-testid="statement-no-email"]')).first().waitFor();
    const href = await page.getAttribute('[data-testid="statement-pdf"]', 'href');
    const pdf = await get(`${h.url}${href}`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    await screenshot(page, '13-debtor-statement');
    await page.click('[data-testid="statement-send"]');
    await page.waitForSelector('[data-testid="timeline"] >> text=/Rekeningoverzicht klaargezet/');
    // the second click the same day sends nothing and says so
    await page.click('[data-testid="action-statement"]');
    await page.click('[data-testid="statement-send"]');
    await page.waitForSelector('[data-testid="statement-already"]');
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid="timeline"] >> text=/Rekeningoverzicht klaargezet/').count()).toBe(1);
  });

  it('shows work today and the settings form', async () => {
    const { page } = h;
    loads.work = await timedGoto(page, `${base}/work`, '[data-testid="work-matches"]');
    // the largest arrears to chase leave out who is paused: the debtor that promised to pay above
    const promise = (await api<{ debtorId: number }[]>('/promises'))[0]!;
    const promised = (await api<{ name: string }>(`/debtors/${promise.debtorId}`)).name;
    await page.waitForSelector('[data-testid="work-top"] a');
    expect(await page.textContent('[data-testid="work-top"]')).not.toContain(promised);
    await screenshot(page, '11-work-today');
    loads.settings = await timedGoto(page, `${base}/settings`, '[data-testid="settings-form"]');
    expect(await page.inputValue('[data-testid="settings-iban"]')).toBe('NL91ABNA0417164300');
    await page.fill('[data-testid="settings-city"]', 'Amersfoort');
    await page.click('[data-testid="settings-save"]');
    await expect.poll(async () => ((await (await get(`${h.url}/api/administrations/${h.adminId}`)).json()) as { city: string }).city).toBe('Amersfoort');
    await screenshot(page, '12-settings');
  });
});
