/** Rows → CSV text for COPY: null is an unquoted empty field, strings are always quoted. */
export type CopyValue = string | number | boolean | null | undefined | readonly string[];

function quote(s: string): string {
  return s.indexOf('"') < 0 ? '"' + s + '"' : `"${s.replace(/"/g, '""')}"`;
}

function pgArray(a: readonly string[]): string {
  return `{${a.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export function toCopyCsv(rows: Iterable<readonly CopyValue[]>): string {
  const parts: string[] = [];
  for (const r of rows) {
    let line = '';
    for (let i = 0; i < r.length; i++) {
      const v = r[i];
      if (i) line += ',';
      if (v === null || v === undefined) continue;
      if (typeof v === 'number' || typeof v === 'boolean') line += String(v);
      else if (typeof v === 'string') line += quote(v);
      else line += quote(pgArray(v));
    }
    parts.push(line);
  }
  return parts.length ? parts.join('\n') + '\n' : '';
}
