/** The one place that maps application errors to HTTP: status + `{ error: { code, message, problems } }`. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorCode } from '../app/errors.ts';
import { DataDirLockedError } from '../store/open.ts';

const STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 423 | 429 | 503> = {
  not_found: 404,
  validation: 400,
  bad_request: 400,
  conflict: 409,
  import_rejected: 422,
  administration_required: 400,
  data_dir_locked: 423,
  unauthorized: 401,
  forbidden: 403,
  too_large: 413,
  stale_bank_data: 409,
  rate_limited: 429,
  not_configured: 503,
};

// PostgreSQL data exceptions caused by a value: numeric out of range, invalid text representation,
// date/time field overflow or format, invalid byte sequence, untranslatable character
const DATA_EXCEPTIONS = new Set(['22003', '22P02', '22008', '22007', '22021', '22P05']);

export function errorResponse(c: Context, err: unknown) {
  if (err instanceof AppError) return c.json({ error: { code: err.code, message: err.message, problems: err.problems } }, STATUS[err.code]);
  if (err instanceof DataDirLockedError) return c.json({ error: { code: 'data_dir_locked', message: err.message, problems: [] } }, 423);
  if (err instanceof HTTPException) return c.json({ error: { code: err.status === 413 ? 'too_large' : 'bad_request', message: err.message, problems: [] } }, err.status);
  if (err instanceof SyntaxError) return c.json({ error: { code: 'bad_request', message: `malformed JSON: ${err.message}`, problems: [] } }, 400);
  // the last net under http/input.ts and the schemas: a value the database cannot take is the caller's mistake
  const pgCode = (err as { code?: unknown } | null)?.code;
  if (typeof pgCode === 'string' && DATA_EXCEPTIONS.has(pgCode)) return c.json({ error: { code: 'validation', message: `invalid request: a value is out of range or not valid (${(err as Error).message})`, problems: [{ code: 'invalid', message: (err as Error).message }] } }, 400);
  console.error('internal error:', err instanceof Error ? err.stack : err);
  return c.json({ error: { code: 'internal', message: 'internal error', problems: [] } }, 500);
}
