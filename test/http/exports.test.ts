/**
 * Export of the debtor and item lists as CSV and XLSX, through the API on both engines: the rows
 * of the filtered list, in the reader's language, formula-safe; XLSX with number and date cells.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { ENGINES, testDb, type TestDb } from '../support/db.ts';
import { createApp } from '../../src/http/app.ts';
import { authed, type Authed } from '../support/auth.ts';
import { aDebtor, anAdministration, anInvoice } from '../support/builders.ts';
import type { Administration } from '../../src/store/administrations.ts';

describe.each(ENGINES)('list exports on %s', (engine) => {
  let db: TestDb;
  let auth: Authed;
  let admin: Administration;
  let other: Administration;

  beforeAll(async () => {
    db = await testDb(engine);
    const app = createApp({ db, today: () => '2026-11-22' });
    admin = await anAdministration(db);
    other = await anAdministration(db);
    auth = await authed(app, db);
    const zolc = await aDebtor(db, admin, { number: 'D001', name: 'Łukasz Żółć', emails: ['l@zolc.pl'] } as never);
    const evil = await aDebtor(db, admin, { number: 'D002', name: '=HYPERLINK("http://x")', emails: [] } as never);
    await aDebtor(db, admin, { number: 'D003', name: 'Zonder Posten', emails: [] } as never);
    await anInvoice(db, admin, zolc, { number: 'F2026-001', amount: '1234.56', issueDate: '2026-10-01', dueDate: '2026-10-31' });
    await anInvoice(db, admin, zolc, { number: 'F2026-002', amount: '-100.00', issueDate: '2026-10-05', dueDate: '2026-11-04' });
    await anInvoice(db, admin, evil, { number: 'F2026-003', amount: '10.00', issueDate: '2026-11-01', dueDate: '2026-12-01' });
    const twin = await aDebtor(db, other, { number: 'D001', name: 'Andere Administratie' } as never);
    await anInvoice(db, other, twin, { number: 'F2026-001', amount: '99.00' });
  });
  afterAll(async () => db?.drop());

  it('writes the filtered debtor list as Dutch CSV (;, decimal comma, BOM) with formulas neutralised', async () => {
    const res = await auth.request(`/api/administrations/${admin.id}/debtors/export?format=csv&lang=nl&minBalance=1&sort=name`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="debiteuren.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM: Excel reads UTF-8
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^Nummer;Naam;Soort;Status;Segment;Saldo;Vervallen;Open posten;/);
    expect(lines).toHaveLength(3); // D003 has no balance: filtered out as on screen
    // sorted by name: "=HYPERLINK…" before "Łukasz"; the formula is neutralised
    expect(lines[1]).toMatch(/^D002;"?'=HYPERLINK/);
    expect(lines[2]).toMatch(/^D001;Łukasz Żółć;Zakelijk;Normaal;;1134,56;1234,56;2;nee;l@zolc\.pl/);
    expect(res.headers.get('x-vorder-rows')).toBe('2');
  });

  it('writes items as English CSV with ISO dates, and never another administration\'s rows', async () => {
    const res = await auth.request(`/api/administrations/${admin.id}/items/export?format=csv&lang=en&search=F2026`);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Number,Kind,Debtor number,Debtor,Issue date,Due date,Currency,Amount,Open,Payment reference,On hold,Description');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['F2026-001', 'F2026-002', 'F2026-003']);
    expect(lines[1]).toMatch(/^F2026-001,Invoice,D001,Łukasz Żółć,2026-10-01,2026-10-31,EUR,1234\.56,1234\.56,/);
    expect(lines[2]).toMatch(/^F2026-002,Credit note,D001,Łukasz Żółć,2026-10-05,2026-11-04,EUR,-100\.00,-100\.00,/);
    expect(lines.join('\n')).not.toContain('Andere Administratie');
  });

  it('writes XLSX with number cells for amounts and date cells for dates', async () => {
    const res = await auth.request(`/api/administrations/${admin.id}/items/export?format=xlsx&lang=nl`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="posten.xlsx"');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    const all = Object.entries(files).filter(([k]) => k.endsWith('.xml')).map(([, v]) => strFromU8(v)).join('\n');
    expect(all).toContain('Łukasz Żółć');
    expect(all).toContain('Vervaldatum');
    // 1234.56 as a number cell (no t="s"/"inlineStr"), the due date 2026-10-31 as Excel serial 46326
    expect(sheet).toMatch(/<c r="H2"[^>]*><v>1234\.56<\/v><\/c>/);
    expect(sheet).toMatch(/<c r="F2"[^>]*><v>46326<\/v><\/c>/);
    expect(strFromU8(files['xl/styles.xml']!)).toContain('dd-mm-yyyy');
  });

  it('refuses an unknown format and answers 404 for an administration the caller cannot see', async () => {
    expect((await auth.request(`/api/administrations/${admin.id}/debtors/export?format=pdf`)).status).toBe(400);
    const viewer = await authed(createApp({ db, today: () => '2026-11-22' }), db, { role: 'viewer', adminIds: [other.id] });
    const res = await viewer.request(`/api/administrations/${admin.id}/debtors/export?format=csv`);
    expect([403, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('Żółć');
  });
});
