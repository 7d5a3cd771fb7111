/**
 * Input that no schema should have to think about, refused with 400 and the field named before
 * any handler (or the database) sees it: malformed JSON, a NUL or a lone UTF-16 surrogate in a
 * string (PostgreSQL cannot store the first; the second would silently become U+FFFD), and a
 * number in a body that is not an exact JavaScript integer (an id ≥ 2^53, 1e400). Query strings
 * get the same string check. Impossible dates are refused by IsoDateSchema (schemas.ts), ids in
 * queries by QueryId (routes/common.ts); the database's own range errors are the last net
 * (errors.ts), so bad input is never a 500.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { AppError, type Problem } from '../app/errors.ts';
import { errorResponse } from './errors.ts';

// a NUL, or a high surrogate not followed by a low one, or a low one not preceded by a high one
const BAD_CHAR = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const problem = (field: string, code: string, message: string): Problem => ({ field, code, message });

/** The first problem in a parsed JSON value, with the path of the field ('items.2.id'). */
export function jsonProblem(value: unknown, path: readonly (string | number)[] = []): Problem | null {
  const field = path.length ? path.join('.') : '(body)';
  if (typeof value === 'string') {
    if (BAD_CHAR.test(value)) return problem(field, 'invalid_character', value.includes('\u0000') ? 'contains a NUL character (\\u0000)' : 'contains a lone surrogate (not valid Unicode)');
    return null;
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return problem(field, 'out_of_range', `the number ${value} is out of range (at most ${Number.MAX_SAFE_INTEGER})`);
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = jsonProblem(value[i], [...path, i]);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (BAD_CHAR.test(k)) return problem([...path, k].join('.'), 'invalid_character', 'the field name is not valid text');
      const p = jsonProblem(v, [...path, k]);
      if (p) return p;
    }
  }
  return null;
}

/** The first problem in the query string. */
export function queryProblem(c: Context): Problem | null {
  let params: URLSearchParams;
  try {
    params = new URL(c.req.url).searchParams;
  } catch {
    return problem('(query)', 'invalid', 'the query string cannot be read');
  }
  for (const [k, v] of params) {
    if (BAD_CHAR.test(k) || BAD_CHAR.test(v) || v.includes('\uFFFD')) return problem(k, 'invalid_character', 'contains a NUL character or text that is not valid UTF-8');
  }
  return null;
}

const refuse = (c: Context, p: Problem) => errorResponse(c, new AppError('validation', `invalid request: ${p.field}: ${p.message}`, [p]));

export function inputGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (!c.req.path.startsWith('/api/')) return next();
    const q = c.req.url.includes('?') ? queryProblem(c) : null;
    if (q) return refuse(c, q);
    const type = c.req.header('content-type') ?? '';
    if (/^application\/([\w.-]+\+)?json/i.test(type) && !['GET', 'HEAD'].includes(c.req.method.toUpperCase())) {
      const text = await c.req.text(); // cached by Hono: the route's validator reads the same body
      if (text.trim() === '') return next(); // the route says whether it needs a body
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        return refuse(c, problem('(body)', 'malformed_json', `malformed JSON: ${(e as Error).message}`));
      }
      const p = jsonProblem(value);
      if (p) return refuse(c, p);
    }
    return next();
  };
}
