/**
 * SEPA collection batches: write one (the open invoices due by the date of debtors with an active
 * mandate, as pain.008), list them, download a batch's file again.
 */
import type { Context } from 'hono';
import { batchFile, batches, collect, collectionHistory, directDebitOverview } from '../../app/collections.ts';
import { collectPolicy, setDebtorCollectPolicy, setSegmentCollectPolicy } from '../../app/collection-policy.ts';
import { findDebtor } from '../../app/ledger.ts';
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

const OutcomeSchema = z.object({
  id: z.number().int(), messageId: z.string(), collectionDate: IsoDateSchema, format: z.string(), count: z.number().int(), controlSum: z.string(),
  pending: z.number().int(), settled: z.number().int(), returned: z.number().int(), retry: z.boolean().openapi({ description: 'a new collection of debits returned for insufficient funds (AM04)' }),
}).openapi('CollectionBatchOutcome');
const ReturnSchema = z.object({
  collectionItemId: z.number().int(), batchId: z.number().int(), messageId: z.string(), itemNumber: z.string(), debtorId: z.number().int(), debtorNumber: z.string(), debtorName: z.string(),
  endToEndId: z.string(), amount: z.string(), reason: z.string(), kind: z.string(), action: z.enum(['retry', 'mandate_ended', 'task']), returnedOn: IsoDateSchema,
}).openapi('CollectionReturn');
const PolicyBody = body(z.object({ enabled: z.boolean() }));

export function registerCollectionRoutes(app: Api, { db, today }: RouteDeps): void {
  const admin = (c: Context) => loadAdmin(db, c);
  const base = '/api/administrations/{adminId}/collections';
  const root = '/api/administrations/{adminId}';

  app.openapi(
    createRoute({
      method: 'get', path: `${root}/direct-debit`, tags: ['Direct debit'], summary: 'The direct-debit overview: batches with their outcome, the returned debits and the returns counted per reason, the collect-instead-of-remind policy',
      request: { params: AdminParam },
      responses: { 200: json(z.object({
        batches: z.array(OutcomeSchema), returns: z.array(ReturnSchema),
        returnsByReason: z.array(z.object({ reason: z.string(), nl: z.string(), en: z.string(), count: z.number().int(), total: z.string() })),
        policy: z.object({ debtors: z.array(z.object({ id: z.number().int(), number: z.string(), name: z.string() })), segments: z.array(z.string()) }),
      }).openapi('DirectDebitOverview')), ...errors },
    }),
    async (c) => {
      const a = await admin(c);
      const o = await directDebitOverview(db, a);
      return c.json({
        batches: o.batches.map((b) => ({ id: b.id, messageId: b.messageId, collectionDate: b.collectionDate, format: b.format, count: b.txCount, controlSum: formatCents(b.totalCents), pending: b.pending, settled: b.settled, returned: b.returned, retry: b.retry })),
        returns: o.returns.map((r) => ({ ...r, amount: formatCents(r.amountCents), amountCents: undefined, action: r.action as 'retry' | 'mandate_ended' | 'task' })),
        returnsByReason: o.returnsByReason.map((r) => ({ reason: r.reason, nl: r.nl, en: r.en, count: r.count, total: formatCents(r.totalCents) })),
        policy: await collectPolicy(db, a),
      }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${root}/debtors/{id}/collections`, tags: ['Direct debit'], summary: "One debtor's collections, newest first, with their outcome (pending, settled, returned and why)",
      request: { params: AdminIdParam },
      responses: { 200: json(z.array(z.object({ collectionItemId: z.number().int(), messageId: z.string(), collectionDate: IsoDateSchema, itemNumber: z.string(), endToEndId: z.string(), amount: z.string(), status: z.enum(['pending', 'settled', 'returned']), reason: z.string().nullable(), mandateId: z.string() }).openapi('DebtorCollection'))), ...errors },
    }),
    async (c) => {
      const a = await admin(c);
      const d = await findDebtor(db, a, c.req.valid('param').id);
      return c.json((await collectionHistory(db, a, d.id)).map((r) => ({ collectionItemId: r.collectionItemId, messageId: r.messageId, collectionDate: r.collectionDate, itemNumber: r.itemNumber, endToEndId: r.endToEndId, amount: formatCents(r.amountCents), status: r.status as 'pending' | 'settled' | 'returned', reason: r.reason, mandateId: r.mandateId })), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put', path: `${root}/debtors/{id}/collect-instead-of-remind`, tags: ['Direct debit'], summary: 'Collect this debtor instead of reminding it (while it has an active mandate, the dunning run leaves its invoices to the collection)',
      request: { params: AdminIdParam, ...PolicyBody }, responses: { 200: json(z.object({ debtorId: z.number().int(), collectInsteadOfRemind: z.boolean() })), ...errors },
    }),
    async (c) => c.json(await setDebtorCollectPolicy(db, await admin(c), c.req.valid('param').id, c.req.valid('json').enabled, actorOf(c)), 200),
  );
  app.openapi(
    createRoute({
      method: 'put', path: `${root}/segments/{key}/collect-instead-of-remind`, tags: ['Direct debit'], summary: 'Collect the debtors of this segment instead of reminding them (while they have an active mandate)',
      request: { params: AdminParam.extend({ key: z.string().min(1).max(60).openapi({ param: { name: 'key', in: 'path' }, example: 'vast' }) }), ...PolicyBody },
      responses: { 200: json(z.object({ segment: z.string(), collectInsteadOfRemind: z.boolean() })), ...errors },
    }),
    async (c) => c.json(await setSegmentCollectPolicy(db, await admin(c), c.req.valid('param').key, c.req.valid('json').enabled), 200),
  );

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
