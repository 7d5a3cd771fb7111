/** Shared pieces of the route modules: response helpers, path parameters, paging. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Db } from '../../store/db.ts';
import { AppError } from '../../app/errors.ts';
import { loadAdmin, pathId, QueryId } from '../tenant.ts';
import { ErrorSchema } from '../schemas.ts';

export { createRoute, z };
export type Api = OpenAPIHono;
export type RouteDeps = { db: Db; today: () => string; maxUpload: number };

export const errors = {
  400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'Conflict', content: { 'application/json': { schema: ErrorSchema } } },
  422: { description: 'Rejected (e.g. an import with problems)', content: { 'application/json': { schema: ErrorSchema } } },
};
export const json = <T extends z.ZodTypeAny>(schema: T, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
export const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

// the administration of a tenant route is resolved once, by http/tenant.ts; handlers read it with
// loadAdmin(db, c) / tenantIdOf(c). Every path id has one spelling (pathId), else 404.
export const AdminParam = z.object({ adminId: pathId('adminId') });
export const AdminIdParam = AdminParam.extend({ id: pathId('id') });
export { loadAdmin, pathId, QueryId };
const Offset = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const Paging = { limit: z.coerce.number().int().min(1).max(1000).default(50), offset: Offset.default(0) };
export const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export async function readUpload(c: Context, filenameParam: string | undefined, maxBytes: number): Promise<{ filename: string; content: Uint8Array }> {
  const len = Number(c.req.header('content-length') ?? '0');
  if (len > maxBytes) throw new AppError('too_large', `the upload is ${len} bytes; the limit is ${maxBytes}`);
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.formData();
    const file = form.get('file');
    if (!file || typeof file === 'string') throw new AppError('bad_request', 'the multipart upload has no field "file"');
    if (file.size > maxBytes) throw new AppError('too_large', `the upload is ${file.size} bytes; the limit is ${maxBytes}`);
    return { filename: filenameParam ?? file.name ?? 'upload', content: new Uint8Array(await file.arrayBuffer()) };
  }
  const buf = new Uint8Array(await c.req.arrayBuffer());
  if (buf.byteLength > maxBytes) throw new AppError('too_large', `the upload is ${buf.byteLength} bytes; the limit is ${maxBytes}`);
  if (!buf.byteLength) throw new AppError('bad_request', 'the upload is empty');
  return { filename: filenameParam ?? 'upload', content: buf };
}
