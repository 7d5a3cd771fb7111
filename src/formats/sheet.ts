/**
 * A list as a spreadsheet: the rows a screen shows, written as CSV or as XLSX with real cells
 * (amounts as numbers, dates as dates), so a controller can sort and add them up in Excel.
 * Pure: bytes out, no I/O. CSV follows the reader's language the way Excel expects it: Dutch
 * `;`-separated with decimal commas and 22-11-2026, English `,`-separated with 1234.56 and
 * 2026-11-22. Every text cell goes through the formula guard of `csvField`.
 */
import writeXlsxFile from 'write-excel-file/universal';
import { csvField } from './csv.ts';

export type SheetColumn = { readonly key: string; readonly header: string; readonly kind: 'text' | 'money' | 'date' | 'int' };
/** Money in cents, dates as 'YYYY-MM-DD', texts as they are; null is an empty cell. */
export type SheetRow = Readonly<Record<string, string | number | null | undefined>>;
export type SheetLocale = 'nl' | 'en';

function moneyText(cents: number, locale: SheetLocale): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}${locale === 'nl' ? ',' : '.'}${String(abs % 100).padStart(2, '0')}`;
}

const dateText = (iso: string, locale: SheetLocale) => (locale === 'nl' ? `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}` : iso);

export function sheetCsv(columns: readonly SheetColumn[], rows: Iterable<SheetRow>, locale: SheetLocale): string {
  const sep = locale === 'nl' ? ';' : ',';
  const out = [columns.map((c) => csvField(c.header, sep)).join(sep)];
  for (const r of rows) {
    out.push(columns.map((c) => {
      const v = r[c.key];
      if (v === null || v === undefined || v === '') return '';
      if (c.kind === 'money') return moneyText(Number(v), locale);
      if (c.kind === 'date') return dateText(String(v), locale);
      if (c.kind === 'int') return String(v);
      return csvField(String(v), sep);
    }).join(sep));
  }
  // a BOM, so Excel reads the file as UTF-8 (names like "Żółć")
  return '\uFEFF' + out.join('\r\n') + '\r\n';
}

/** The rows as one XLSX sheet: a bold header, amounts as numbers in euros with two decimals, dates as date cells. */
export async function sheetXlsx(columns: readonly SheetColumn[], rows: readonly SheetRow[], locale: SheetLocale, sheetName: string): Promise<Uint8Array> {
  const header = columns.map((c) => ({ value: c.header, fontWeight: 'bold' as const }));
  const body = rows.map((r) => columns.map((c) => {
    const v = r[c.key];
    if (v === null || v === undefined || v === '') return null;
    if (c.kind === 'money') return { value: Number(v) / 100, type: Number, format: '#,##0.00' };
    if (c.kind === 'int') return { value: Number(v), type: Number };
    if (c.kind === 'date') {
      const [y, m, d] = String(v).split('-').map(Number);
      return { value: new Date(Date.UTC(y!, m! - 1, d!)), type: Date, format: locale === 'nl' ? 'dd-mm-yyyy' : 'yyyy-mm-dd' };
    }
    // text stays text: Excel must not turn "00123" or "=1+1" into a number or a formula
    return { value: String(v), type: String, format: '@' };
  }));
  const blob = await writeXlsxFile([header, ...body] as never, { sheet: sheetName.slice(0, 31), stickyRowsCount: 1, columns: columns.map((c) => ({ width: c.kind === 'text' ? 28 : 14 })) } as never).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}
