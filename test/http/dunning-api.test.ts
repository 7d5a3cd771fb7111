import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import { pdfText } from '../support/smtp.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { updateAdministration, type Administration } from '../../src/store/administrations.ts';

describe.each(ENGINES)('dunning API on %s', (engine) => {
  let db: TestDb;
  let admin: Administration;
  let other: Administration;
  let app: ReturnType<typeof createApp>;
  let auth: Authed;
  const call = (path: string, init?: RequestInit) => auth.request(path, init);
  const post = (path: string, body: unknown, method = 'POST') => call(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    db = await testDb(engine);
    admin = await anAdministration(db, { name: 'API Dunning B.V.', addressLine: 'Weg 1', postalCode: '1000 AA', city: 'Amsterdam' });
    await updateAdministration(db, admin.id, { settings: { staleAfterDays: 90 } });
    other = await anAdministration(db, { name: 'Ander B.V.' });
    await db.query(`INSERT INTO bank_accounts (administration_id, iban, last_closing_date, last_import_at) VALUES ($1, 'NL91ABNA0417164300', '2026-11-21', now())`, [admin.id]);
    const d = await aDebtor(db, admin, { number: 'A1', name: 'Klant Een B.V.', type: 'business', addressLine: 'Laan 2', postalCode: '2000 BB', city: 'Haarlem' } as never);
    await anInvoice(db, admin, d, { number: 'FA1', amount: '300.00', issueDate: '2026-10-01', dueDate: '2026-10-31' });
    app = createApp({ db, today: () => '2026-11-22' });
    auth = await authed(app, db);
  });
  afterAll(async () => db.drop());

  it('previews, shows a planned letter as PDF, sends once, and lists the outbox', async () => {
    const prev = await call(`/api/administrations/${admin.id}/dunning/preview`);
    expect(prev.status).toBe(200);
    const plan = (await prev.json()) as { blocked: unknown; messages: { dedupeKey: string; stepKey: string; debtorNumber: string }[] };
    expect(plan.blocked).toBeNull();
    expect(plan.messages.map((m) => [m.debtorNumber, m.stepKey])).toEqual([['A1', 'reminder_1']]);
    const letter = await call(`/api/administrations/${admin.id}/dunning/preview/letter?key=${encodeURIComponent(plan.messages[0]!.dedupeKey)}`);
    expect(letter.status).toBe(200);
    expect(letter.headers.get('content-type')).toBe('application/pdf');
    expect(pdfText(new Uint8Array(await letter.arrayBuffer()))).toContain('FA1');
    const sent = await post(`/api/administrations/${admin.id}/dunning/runs`, { deliver: true });
    expect(sent.status).toBe(200);
    // A1 has no e-mail address: a letter to print, not "sent"
    expect(await sent.json()).toMatchObject({ queued: 1, paper: 1, email: 0, refused: null, blocked: null, states: { to_print: 1 }, delivered: { sent: 0, prepared: 1 } });
    expect(await (await post(`/api/administrations/${admin.id}/dunning/runs`, {})).json()).toMatchObject({ queued: 0 });
    const actions = (await (await call(`/api/administrations/${admin.id}/dunning/actions`)).json()) as { id: number; status: string; documentId: number }[];
    expect(actions).toEqual([expect.objectContaining({ status: 'to_print', documentId: expect.any(Number) })]);
    const pdf = await call(`/api/administrations/${admin.id}/dunning/actions/${actions[0]!.id}/letter`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((await call(`/api/administrations/${other.id}/dunning/actions/${actions[0]!.id}/letter`)).status).toBe(404);
    const runs = (await (await call(`/api/administrations/${admin.id}/dunning/runs`)).json()) as unknown[];
    expect(runs).toHaveLength(2);
  });

  it('keeps the administration\'s own wording, refuses unknown placeholders and a 14-dagenbrief without the statutory term', async () => {
    const base = `/api/administrations/${admin.id}/templates`;
    const ok = await post(`${base}/reminder/nl`, { subject: 'Herinnering {{debtorName}}', greeting: 'Beste klant,', body: ['Wij missen nog {{total}}. Wilt u dit voor {{payBy}} betalen?'], closing: 'Groet' }, 'PUT');
    expect(ok.status).toBe(200);
    const preview = await call(`${base}/reminder/nl/preview`);
    expect(pdfText(new Uint8Array(await preview.arrayBuffer()))).toContain('Wij missen nog');
    const bad = await post(`${base}/reminder/nl`, { subject: 'x', greeting: 'x', body: ['{{nietBestaand}}'], closing: 'x' }, 'PUT');
    expect(bad.status).toBe(400);
    const bad14 = await post(`${base}/fourteen_day_letter/nl`, { subject: 'x', greeting: 'x', body: ['Betaal snel.'], closing: 'x' }, 'PUT');
    expect(bad14.status).toBe(400);
    expect(((await bad14.json()) as { error: { problems: { code: string }[] } }).error.problems.map((p) => p.code)).toContain('statutory_wording');
    const all = (await (await call(base)).json()) as { own: Record<string, unknown> };
    expect(Object.keys(all.own)).toEqual(['reminder']);
  });

  it('keeps the workflow settings, never showing the mail password', async () => {
    const url = `/api/administrations/${admin.id}/settings/workflow`;
    const put = await post(url, { schedule: { frequency: 'weekly', time: '06:30', weekday: 2, autoSend: true }, staleAfterDays: 5, vatDeductible: false, autoBookThreshold: 95, smtp: { host: 'mail.example.nl', port: 587, user: 'u', pass: 'geheim', from: 'd@example.nl' } }, 'PUT');
    expect(put.status).toBe(200);
    const got = await (await call(url)).json();
    expect(got).toMatchObject({ schedule: { frequency: 'weekly', time: '06:30', weekday: 2, autoSend: true }, staleAfterDays: 5, vatDeductible: false, autoBookThreshold: 95, smtp: { host: 'mail.example.nl', pass: '********' } });
    expect(JSON.stringify(got)).not.toContain('geheim');
    expect((await post(url, { staleAfterDays: 500 }, 'PUT')).status).toBe(400);
    await post(url, { staleAfterDays: 90, vatDeductible: true, smtp: null }, 'PUT');
  });

  it('calculates collection costs and statutory interest', async () => {
    expect(await (await call('/api/legal/costs?amount=2500.00')).json()).toMatchObject({ costs: '375.00', total: '375.00' });
    expect(await (await call('/api/legal/costs?amount=100.00&vat=true')).json()).toMatchObject({ costs: '40.00', vat: '8.40', total: '48.40' });
    const i = (await (await call('/api/legal/interest?principal=10000.00&from=2023-01-01&to=2025-06-30&kind=commercial')).json()) as { interest: string; capitalisations: unknown[] };
    expect(i.interest).toBe('3197.60');
    expect(i.capitalisations).toHaveLength(2);
    expect((await call('/api/legal/interest?principal=1.00&from=2025-01-02&to=2025-01-01&kind=consumer')).status).toBe(400);
  });
});
