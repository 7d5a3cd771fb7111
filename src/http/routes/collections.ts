/**
 * SEPA collection batches: write one (the open invoices due by the date of debtors with an active
 * mandate, as pain.008), list them, download a batch's file again.
 */
import type { Context } from 'hono';
import { batchFile, batches, collect } from '../../app/collections.ts';
import { PAIN008_VERSIONS } from '../../formats/pain008.ts';
import { formatCents } from '../../domain/money.ts';
import { IsoDateSchema } from '../schemas.ts';
import { actorOf } from '../auth.ts';
import { AdminIdParam, AdminParam, body, createRoute, errors, json, loadAdmin, z, type Api, type RouteDeps } from './common.ts';

const BatchSchema = z.object({
  id: z.number().int(), messageId: z.string(), collectionDate: IsoDateSchema, format: z.string(), count: z.number().int(),
  controlSum: z.string().openapi({ example: '1121.01' }), createdAt: z.string(),
}).openapi('CollectionBatch');

const CollectResultSchema = z.object({
  batchId: z.number().int(), messageId: z.string(), format: z.enum(['pain.008.001.08', 'pain.008.001.02']), collectionDate: IsoDateSchema,
  count: z.number().int(), controlSum: z.string(),
  paymentInfos: z.array(z.object({ paymentInfoId: z.string(), scheme: z.string(), sequenceType: z.string(), count: z.number().int(), total: z.string() })),
  skipped: z.array(z.object({ debtorNumber: z.string(), itemNumber: z.string(), reason: z.string(), message: z.string() })),
}).openapi('CollectResult');

/** `YYYY-MM-DDTHH:MM:SS` in Amsterdam, for the file header. */
function nowLocal(now: Date = new Date()): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const v = (t: string) => p.find((x) => x.type === t)!.value;
  return `${v('year')}-${v('month')}-${v('day')}T${v('hour')}:${v('minute')}:${v('second')}`;
}

export function registerCollectionRoutes(app: Api, { db, today }: RouteDeps): void {
  const admin = (c: Context) => loadAdmin(db, c);
  const base = '/api/administrations/{adminId}/collections';

  app.openapi(
    createRoute({
      method: 'post', path: base, tags: ['Direct debit'],
      summary: 'Write a SEPA direct debit batch (pain.008) of the open invoices due by the date of debtors with an active mandate; refused with the field named when the date is inside the lead time or not a TARGET2 business day, or the creditor id is missing',
      request: { params: AdminParam, ...body(z.object({ date: IsoDateSchema, format: z.enum(PAIN008_VERSIONS as [string, ...string[]]).optional(), leadDays: z.number().int().min(0).max(10).optional(), asOf: IsoDateSchema.optional() })) },
      responses: { 201: json(CollectResultSchema, 'Written and recorded; the file: GET …/collections/{id}/file'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await collect(db, await admin(c), {
        date: b.date, asOf: b.asOf ?? today(), createdAt: nowLocal(), format: b.format as (typeof PAIN008_VERSIONS)[number] | undefined,
        ...(b.leadDays !== undefined ? { leadDays: b.leadDays } : {}), actor: actorOf(c),
      });
      return c.json({
        batchId: r.batchId, messageId: r.messageId, format: r.format, collectionDate: r.collectionDate, count: r.count, controlSum: r.controlSum,
        paymentInfos: r.paymentInfos.map((p) => ({ paymentInfoId: p.paymentInfoId, scheme: p.scheme, sequenceType: p.sequenceType, count: p.count, total: formatCents(p.totalCents) })),
        skipped: r.skipped,
      }, 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: base, tags: ['Direct debit'], summary: 'The collection batches, newest first', request: { params: AdminParam }, responses: { 200: json(z.array(BatchSchema)), ...errors } }),
    async (c) => c.json((await batches(db, await admin(c))).map((b) => ({ id: b.id, messageId: b.messageId, collectionDate: b.collectionDate, format: b.format, count: b.txCount, controlSum: formatCents(b.totalCents), createdAt: b.createdAt })), 200),
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/{id}/file`, tags: ['Direct debit'], summary: 'The pain.008 file of a batch, as written',
      request: { params: AdminIdParam }, responses: { 200: { description: 'pain.008 XML', content: { 'application/xml': { schema: { type: 'string' } } } }, ...errors },
    }),
    async (c) => {
      const f = await batchFile(db, await admin(c), c.req.valid('param').id);
      return c.body(f.xml, 200, { 'content-type': 'application/xml; charset=utf-8', 'content-disposition': `attachment; filename="${f.filename}"` });
    },
  );
}
