/** CLI output: human tables, JSON, a progress bar, and exit codes that mean something. */
import { AppError, type ErrorCode } from '../app/errors.ts';
import { DataDirLockedError } from '../store/open.ts';

/** Exit codes: 0 ok, 1 internal error, 2 usage, 3 not found, 4 invalid input / rejected import, 5 conflict, 6 data directory locked, 7 refused by a rule (e.g. stale bank data). */
export const EXIT = { ok: 0, internal: 1, usage: 2, notFound: 3, invalid: 4, conflict: 5, locked: 6, refused: 7 } as const;

const CODE_EXIT: Record<ErrorCode, number> = {
  not_found: EXIT.notFound, validation: EXIT.invalid, import_rejected: EXIT.invalid, bad_request: EXIT.usage, too_large: EXIT.invalid,
  conflict: EXIT.conflict, administration_required: EXIT.usage, data_dir_locked: EXIT.locked, unauthorized: EXIT.refused, forbidden: EXIT.refused,
  stale_bank_data: EXIT.refused, rate_limited: EXIT.refused, not_configured: EXIT.refused,
};

export function exitCodeFor(err: unknown): number {
  if (err instanceof AppError) return CODE_EXIT[err.code];
  if (err instanceof DataDirLockedError) return EXIT.locked;
  return EXIT.internal;
}

export function printError(err: unknown, json: boolean): void {
  if (json) {
    const e = err instanceof AppError ? { code: err.code, message: err.message, problems: err.problems } : err instanceof DataDirLockedError ? { code: 'data_dir_locked', message: err.message, problems: [] } : { code: 'internal', message: String((err as Error)?.message ?? err), problems: [] };
    process.stdout.write(JSON.stringify({ error: e }, null, 2) + '\n');
    return;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`vorder: ${msg}\n`);
  if (err instanceof AppError && err.problems.length) {
    const shown = err.problems.slice(0, 50);
    for (const p of shown) process.stderr.write(`  ${p.line ? `line ${p.line}` : ''}${p.field ? `${p.line ? ', ' : ''}${p.field}` : ''}: ${p.message}\n`);
    if (err.problems.length > shown.length) process.stderr.write(`  … and ${err.problems.length - shown.length} more\n`);
  }
  if (!(err instanceof AppError) && !(err instanceof DataDirLockedError) && process.env.VORDER_DEBUG) process.stderr.write(String((err as Error)?.stack) + '\n');
}

export function table(rows: readonly Record<string, unknown>[], columns: readonly { key: string; label: string; align?: 'right' }[]): string {
  const cells = rows.map((r) => columns.map((c) => (r[c.key] === null || r[c.key] === undefined ? '' : String(r[c.key]))));
  const widths = columns.map((c, i) => Math.min(50, Math.max(c.label.length, ...cells.map((row) => row[i]!.length))));
  const fmt = (vals: string[]) => vals.map((v, i) => { const s = v.length > widths[i]! ? v.slice(0, widths[i]! - 1) + '…' : v; return columns[i]!.align === 'right' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!); }).join('  ').trimEnd();
  return [fmt(columns.map((c) => c.label)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n') + '\n';
}

/** A progress bar on stderr, shown only on a terminal and only once work takes more than a moment. */
export function progress(label: string): (phase: string, done: number, total: number) => void {
  const start = Date.now();
  const tty = process.stderr.isTTY;
  let last = 0;
  return (phase, done, total) => {
    const now = Date.now();
    if (!tty || now - start < 700 || (now - last < 100 && done < total)) return;
    last = now;
    const width = 30;
    const frac = total ? Math.min(1, done / total) : 0;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    process.stderr.write(`\r${label} ${phase.padEnd(6)} ${bar} ${done}/${total}${phase === 'done' ? '\n' : ''}`);
  };
}
