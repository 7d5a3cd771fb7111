/**
 * A small, fast RFC 4180 CSV reader: separator detected (`,` `;` tab), BOM stripped, quoted
 * fields with embedded separators, quotes and newlines. Pure. Line numbers are 1-based and
 * refer to the physical line where a record starts, so errors can name them.
 */
export type CsvRecord = { readonly line: number; readonly fields: string[] };
export type CsvTable = { readonly separator: string; readonly header: string[]; readonly records: CsvRecord[] };
export type CsvError = { readonly code: 'csv_unclosed_quote' | 'csv_empty'; readonly message: string; readonly line: number };

export function decodeText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(input);
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  } catch {
    return new TextDecoder('latin1').decode(input);
  }
}

export function detectSeparator(firstLine: string): string {
  const counts = [',', ';', '\t'].map((sep) => ({ sep, n: countOutsideQuotes(firstLine, sep) }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.sep : ',';
}

function countOutsideQuotes(line: string, sep: string): number {
  let n = 0, q = false;
  for (const ch of line) {
    if (ch === '"') q = !q;
    else if (!q && ch === sep) n++;
  }
  return n;
}

export function readCsv(input: string | Uint8Array, opts: { separator?: string; header?: boolean } = {}): { ok: true; table: CsvTable } | { ok: false; error: CsvError } {
  const text = decodeText(input);
  const firstBreak = text.search(/\r?\n/);
  const firstLine = firstBreak < 0 ? text : text.slice(0, firstBreak);
  if (text.trim() === '') return { ok: false, error: { code: 'csv_empty', message: 'the file is empty', line: 1 } };
  const sep = opts.separator ?? detectSeparator(firstLine);
  const sepCode = sep.charCodeAt(0);
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    // one record
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        let j = i + 1;
        let buf = '';
        for (;;) {
          const k = text.indexOf('"', j);
          if (k < 0) return { ok: false, error: { code: 'csv_unclosed_quote', message: `a quoted field that starts on line ${startLine} is never closed`, line: startLine } };
          const chunk = text.slice(j, k);
          for (let c = 0; c < chunk.length; c++) if (chunk.charCodeAt(c) === 10) line++;
          buf += chunk;
          if (text.charCodeAt(k + 1) === 34) {
            buf += '"';
            j = k + 2;
          } else {
            i = k + 1;
            break;
          }
        }
        value = buf;
        // tolerate stray characters between the closing quote and the separator
        while (i < n && text.charCodeAt(i) !== sepCode && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) value += text[i++];
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === sepCode || c === 10 || c === 13) break;
          j++;
        }
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i < n && text.charCodeAt(i) === sepCode) {
        i++;
        continue;
      }
      break;
    }
    if (text.charCodeAt(i) === 13) i++;
    if (text.charCodeAt(i) === 10) i++;
    line++;
    if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ line: startLine, fields });
  }
  if (opts.header === false) return { ok: true, table: { separator: sep, header: [], records } };
  const head = records.shift();
  if (!head) return { ok: false, error: { code: 'csv_empty', message: 'the file has no header line', line: 1 } };
  return { ok: true, table: { separator: sep, header: head.fields.map((h) => h.trim()), records } };
}

/**
 * Quote a value for CSV output, safe against formula injection in whatever list separator the
 * reader's spreadsheet uses: a file written with `,` may be opened where `;` or tab separates, so
 * every part that `,` `;` tab or a line break could split off is checked alike, and a part starting
 * with = + - @ (after spaces) gets a leading ' unless it is a plain number. A value containing any
 * of those characters is quoted, so the intended reader keeps it as one cell.
 */
export function csvField(value: string | number | null | undefined, sep = ','): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string') s = neutraliseFormulas(s);
  return /["\n\r\t,;]/.test(s) || s.includes(sep) ? `"${s.replace(/"/g, '""')}"` : s;
}

const PLAIN_NUMBER = /^\s*-?\d+([.,]\d+)?\s*$/;
/** `F;=1+1` → `F;'=1+1`: each part a separator could split off starts as text. */
export function neutraliseFormulas(s: string): string {
  const pieces = s.split(/([,;\t\r\n])/);
  for (let i = 0; i < pieces.length; i += 2) {
    const part = pieces[i]!;
    if (/^\s*[=+\-@]/.test(part) && !PLAIN_NUMBER.test(part)) pieces[i] = `'${part}`;
  }
  const out = pieces.join('');
  return /^[\t\r\n]/.test(out) ? `'${out}` : out;
}

export function writeCsv(header: readonly string[], rows: Iterable<readonly (string | number | null | undefined)[]>, sep = ','): string {
  const out = [header.map((h) => csvField(h, sep)).join(sep)];
  for (const r of rows) out.push(r.map((v) => csvField(v, sep)).join(sep));
  return out.join('\n') + '\n';
}
