/** Routes of the ledger: administrations, debtors, items, imports, aging, documents. */
import type { Context } from 'hono';
import { changeAdministration, createAdministration, listAdministrations } from '../../app/administrations.ts';
import { aging, changeDebtor, changeItem, createDebtor, createItem, debtorTimeline, findDebtor, itemDetail, listDebtors, listItems, setDebtorHold, setItemHold } from '../../app/ledger.ts';
import { detectLedgerImport, importDebtorsCsv, importInvoicesCsv, importUbl, type ImportKind } from '../../app/imports.ts';
import { AppError, notFound } from '../../app/errors.ts';
import { getDocument } from '../../store/documents.ts';
import { formatCents } from '../../domain/money.ts';
import {
  AdministrationInputSchema, AdministrationSchema, AgingSchema, DebtorInputSchema, DebtorSchema, EventSchema, HoldSchema, ImportResultSchema,
  IsoDateSchema, ItemChangeSchema, ItemInputSchema, ItemSchema, administrationJson, agingJson, cents, debtorJson, itemJson, page,
} from '../schemas.ts';
import { AdminIdParam, AdminParam, Paging, body, bool, createRoute, errors, json, loadAdmin, readUpload, z, type Api, QueryId, type RouteDeps } from './common.ts';
import { BodyId } from '../tenant.ts';
import { Amount, ErrorSchema } from '../schemas.ts';
import { ITEM_SORTS } from '../../store/items.ts';
import { DEBTOR_SORTS, PAUSED_FILTERS, type DebtorFilter } from '../../store/debtors.ts';
import { BULK_MAX, bulkDebtors, type BulkAction } from '../../app/bulk.ts';
import { EXPORT_MAX_ROWS, exportDebtors, exportItems, type ExportFile } from '../../app/exports.ts';
import { actorOf, visibleMemberships } from '../auth.ts';

export function registerLedgerRoutes(app: Api, { db, today, maxUpload }: RouteDeps): void {
  const admin = (c: Context) => loadAdmin(db, c);
  // ------------------------------------------------------------ administrations
  app.openapi(createRoute({ method: 'get', path: '/api/administrations', tags: ['Administrations'], summary: "List the caller's administrations", responses: { 200: json(z.array(AdministrationSchema)) } }), async (c) => {
    const visible = new Set((await visibleMemberships(c, db)).map((m) => m.administrationId));
    return c.json((await listAdministrations(db)).filter((a) => visible.has(a.id)).map(administrationJson), 200);
  });
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations', tags: ['Administrations'], summary: 'Create an administration', request: body(AdministrationInputSchema.required({ name: true })), responses: { 201: json(AdministrationSchema, 'Created'), ...errors } }),
    async (c) => c.json(administrationJson(await createAdministration(db, c.req.valid('json') as never)), 201),
  );
  app.openapi(createRoute({ method: 'get', path: '/api/administrations/{adminId}', tags: ['Administrations'], summary: 'Get an administration', request: { params: AdminParam }, responses: { 200: json(AdministrationSchema), 404: errors[404] } }), async (c) =>
    c.json(administrationJson(await admin(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/administrations/{adminId}', tags: ['Administrations'], summary: 'Change an administration', request: { params: AdminParam, ...body(AdministrationInputSchema) }, responses: { 200: json(AdministrationSchema), ...errors } }),
    async (c) => {
      const a = await admin(c);
      return c.json(administrationJson(await changeAdministration(db, a.id, c.req.valid('json') as never)), 200);
    },
  );

  // ------------------------------------------------------------ debtors
  const DebtorQuery = z.object({ search: z.string().max(200).optional().openapi({ description: 'words that must each match the name, number, an e-mail address, the phone number, a bank account or part of an invoice number; case and accents ignored' }), ids: z.string().regex(/^[1-9]\d{0,14}(,[1-9]\d{0,14}){0,99}$/, 'comma-separated debtor ids (at most 100)').optional(), status: z.string().max(50).optional(), segment: z.string().max(50).optional(), type: z.enum(['business', 'consumer']).optional(), onHold: bool.optional(), overdue: bool.optional(), minBalance: Amount.optional(), maxBalance: Amount.optional(), paused: z.enum(PAUSED_FILTERS).optional().openapi({ description: 'why the dunning run leaves the debtor alone: one reason, any or none' }), unattended: bool.optional().openapi({ description: 'nobody is on it: no open task and no dunning step in the last 14 days' }), replyWaiting: bool.optional().openapi({ description: 'an unread reply from the debtor waits in the inbox' }), sort: z.enum(DEBTOR_SORTS).optional(), dir: z.enum(['asc', 'desc']).optional().openapi({ description: 'ascending by default for texts, descending for amounts and counts' }), asOf: IsoDateSchema.optional() });
  const debtorFilter = (q: z.infer<typeof DebtorQuery>): Omit<DebtorFilter, 'limit' | 'offset'> => ({
    search: q.search, ids: q.ids?.split(',').map(Number), status: q.status, segment: q.segment, type: q.type, onHold: q.onHold, overdueOnly: q.overdue,
    minBalanceCents: q.minBalance === undefined ? undefined : cents(q.minBalance), maxBalanceCents: q.maxBalance === undefined ? undefined : cents(q.maxBalance),
    paused: q.paused, unattended: q.unattended, replyWaiting: q.replyWaiting, sort: q.sort, dir: q.dir, asOf: q.asOf ?? today(),
  });
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/debtors', tags: ['Debtors'], summary: 'List debtors with balance and overdue amount',
      request: {
        params: AdminParam,
        query: DebtorQuery.extend(Paging),
      },
      responses: { 200: json(page(DebtorSchema, 'DebtorPage')), 404: errors[404] },
    }),
    async (c) => {
      const a = await admin(c);
      const q = c.req.valid('query');
      const r = await listDebtors(db, a.id, { ...debtorFilter(q), limit: q.limit, offset: q.offset });
      return c.json({ rows: r.rows.map(debtorJson), total: r.total, limit: q.limit, offset: q.offset }, 200);
    },
  );
  const ExportQuery = { format: z.enum(['csv', 'xlsx']).default('csv'), lang: z.enum(['nl', 'en']).default('nl').openapi({ description: 'column headers, and for CSV the separator, decimal mark and date format (nl: ";", 1234,56, 22-11-2026)' }) };
  const download = (f: ExportFile) => new Response(f.body, {
    status: 200,
    headers: { 'content-type': f.contentType, 'content-disposition': `attachment; filename="${f.filename}"`, 'x-vorder-rows': String(f.rows), 'cache-control': 'no-store' },
  });
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/debtors/export', tags: ['Debtors'], summary: `The debtor list with its filters, as CSV or XLSX (at most ${EXPORT_MAX_ROWS} rows)`,
      request: { params: AdminParam, query: DebtorQuery.extend(ExportQuery) },
      responses: { 200: { description: 'The file (text/csv or XLSX); x-vorder-rows says how many rows it holds', content: { 'text/csv': { schema: z.string() }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() } } }, 404: errors[404] },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return download(await exportDebtors(db, await admin(c), debtorFilter(q), q.format, q.lang));
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/debtors', tags: ['Debtors'], summary: 'Create a debtor', request: { params: AdminParam, ...body(DebtorInputSchema.required({ number: true, name: true })) }, responses: { 201: json(DebtorSchema, 'Created'), ...errors } }),
    async (c) => {
      const a = await admin(c);
      const { creditLimit, ...rest } = c.req.valid('json');
      return c.json(debtorJson(await createDebtor(db, a, { ...rest, creditLimitCents: creditLimit == null ? creditLimit : cents(creditLimit) } as never, actorOf(c))), 201);
    },
  );
  app.openapi(createRoute({ method: 'get', path: '/api/administrations/{adminId}/debtors/{id}', tags: ['Debtors'], summary: 'Get a debtor', request: { params: AdminIdParam }, responses: { 200: json(DebtorSchema), 404: errors[404] } }), async (c) => {
    const p = c.req.valid('param');
    return c.json(debtorJson(await findDebtor(db, await admin(c), p.id)), 200);
  });
  app.openapi(
    createRoute({ method: 'patch', path: '/api/administrations/{adminId}/debtors/{id}', tags: ['Debtors'], summary: 'Change a debtor', request: { params: AdminIdParam, ...body(DebtorInputSchema) }, responses: { 200: json(DebtorSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const { creditLimit, ...rest } = c.req.valid('json');
      const input = { ...rest, ...(creditLimit !== undefined ? { creditLimitCents: creditLimit === null ? null : cents(creditLimit) } : {}) };
      return c.json(debtorJson(await changeDebtor(db, await admin(c), p.id, input as never, actorOf(c))), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/api/administrations/{adminId}/debtors/bulk', tags: ['Debtors'], summary: `One action on up to ${BULK_MAX} selected debtors: hold, release or a status`,
      description: 'Every id must be a debtor of this administration, or nothing changes. Each debtor is then changed as by the single action; `failed` lists those that could not be.',
      request: {
        params: AdminParam,
        ...body(z.object({
          ids: z.array(BodyId).min(1).max(BULK_MAX),
          action: z.enum(['hold', 'release', 'status']),
          reason: z.string().max(500).optional().openapi({ description: 'for hold: why (required)' }),
          status: z.string().max(50).optional().openapi({ description: 'for status: the status key' }),
          note: z.string().max(500).optional(),
        }).openapi('BulkDebtors')),
      },
      responses: { 200: json(z.object({ changed: z.number().int(), failed: z.array(z.object({ debtorId: z.number().int(), code: z.string(), message: z.string() })) }).openapi('BulkResult')), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const action: BulkAction = b.action === 'hold' ? { kind: 'hold', reason: b.reason ?? '' } : b.action === 'release' ? { kind: 'release' } : { kind: 'status', status: b.status ?? '', note: b.note ?? null };
      return c.json(await bulkDebtors(db, await admin(c), b.ids, action, actorOf(c)), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/debtors/{id}/hold', tags: ['Debtors'], summary: 'Put a debtor on hold (no reminders)', request: { params: AdminIdParam, ...body(HoldSchema) }, responses: { 200: json(DebtorSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(debtorJson(await setDebtorHold(db, await admin(c), p.id, true, c.req.valid('json').reason, actorOf(c))), 200);
    },
  );
  app.openapi(createRoute({ method: 'post', path: '/api/administrations/{adminId}/debtors/{id}/release', tags: ['Debtors'], summary: 'Release a debtor from hold', request: { params: AdminIdParam }, responses: { 200: json(DebtorSchema), ...errors } }), async (c) => {
    const p = c.req.valid('param');
    return c.json(debtorJson(await setDebtorHold(db, await admin(c), p.id, false, null, actorOf(c))), 200);
  });
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/debtors/{id}/timeline', tags: ['Debtors'], summary: "The debtor's timeline (dossier), newest first", request: { params: AdminIdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), before: QueryId.optional() }) }, responses: { 200: json(z.array(EventSchema)), 404: errors[404] } }),
    async (c) => {
      const p = c.req.valid('param');
      const q = c.req.valid('query');
      return c.json(await debtorTimeline(db, await admin(c), p.id, q), 200);
    },
  );

  // ------------------------------------------------------------ items
  const ItemFilters = z.object({ debtorId: QueryId.optional(), status: z.enum(['open', 'overdue', 'paid', 'all']).default('open'), kind: z.enum(['invoice', 'credit_note', 'unapplied_payment']).optional(), onHold: bool.optional(), search: z.string().max(100).optional().openapi({ description: 'part of the invoice number or of the payment reference' }), dueFrom: IsoDateSchema.optional(), dueTo: IsoDateSchema.optional(), asOf: IsoDateSchema.optional(), sort: z.enum(ITEM_SORTS).optional(), dir: z.enum(['asc', 'desc']).optional() });
  const ItemQuery = ItemFilters.extend(Paging);
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/items', tags: ['Items'], summary: 'List items (open by default) with filters and paging', request: { params: AdminParam, query: ItemQuery }, responses: { 200: json(page(ItemSchema, 'ItemPage')), 404: errors[404] } }),
    async (c) => {
      const a = await admin(c);
      const q = c.req.valid('query');
      const r = await listItems(db, a.id, { ...q, asOf: q.asOf ?? today() });
      return c.json({ rows: r.rows.map(itemJson), total: r.total, limit: q.limit, offset: q.offset }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/items/export', tags: ['Items'], summary: `The item list with its filters, as CSV or XLSX (at most ${EXPORT_MAX_ROWS} rows)`,
      request: { params: AdminParam, query: ItemFilters.extend(ExportQuery) },
      responses: { 200: { description: 'The file (text/csv or XLSX); x-vorder-rows says how many rows it holds', content: { 'text/csv': { schema: z.string() }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string() } } }, 404: errors[404] },
    }),
    async (c) => {
      const { format, lang, ...q } = c.req.valid('query');
      return download(await exportItems(db, await admin(c), { ...q, asOf: q.asOf ?? today() }, format, lang));
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/items', tags: ['Items'], summary: 'Create an invoice (or a credit note with a negative amount)', request: { params: AdminParam, ...body(ItemInputSchema) }, responses: { 201: json(ItemSchema, 'Created'), ...errors } }),
    async (c) => {
      const a = await admin(c);
      const { amount, ...rest } = c.req.valid('json');
      return c.json(itemJson(await createItem(db, a, { ...rest, amountCents: cents(amount) })), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/items/{id}', tags: ['Items'], summary: 'Get an item with its payments and history', request: { params: AdminIdParam }, responses: { 200: json(ItemSchema.extend({ payments: z.array(z.object({ bookingId: z.number().int(), kind: z.string(), status: z.string(), date: z.string(), amount: z.string(), bankLineId: z.number().int().nullable(), note: z.string().nullable() })), events: z.array(EventSchema) })), 404: errors[404] } }),
    async (c) => {
      const p = c.req.valid('param');
      const d = await itemDetail(db, await admin(c), p.id);
      return c.json({ ...itemJson(d.item), payments: d.payments.map(({ cents: ct, ...r }) => ({ ...r, amount: formatCents(ct) })), events: d.events }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/administrations/{adminId}/items/{id}', tags: ['Items'], summary: 'Change an item (the amount only while it has no payments)', request: { params: AdminIdParam, ...body(ItemChangeSchema) }, responses: { 200: json(ItemSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const { amount, ...rest } = c.req.valid('json');
      return c.json(itemJson(await changeItem(db, await admin(c), p.id, { ...rest, ...(amount !== undefined ? { amountCents: cents(amount) } : {}) })), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/items/{id}/hold', tags: ['Items'], summary: 'Put an item on hold', request: { params: AdminIdParam, ...body(HoldSchema) }, responses: { 200: json(ItemSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(itemJson(await setItemHold(db, await admin(c), p.id, true, c.req.valid('json').reason, actorOf(c))), 200);
    },
  );
  app.openapi(createRoute({ method: 'post', path: '/api/administrations/{adminId}/items/{id}/release', tags: ['Items'], summary: 'Release an item from hold', request: { params: AdminIdParam }, responses: { 200: json(ItemSchema), ...errors } }), async (c) => {
    const p = c.req.valid('param');
    return c.json(itemJson(await setItemHold(db, await admin(c), p.id, false, null, actorOf(c))), 200);
  });

  // ------------------------------------------------------------ imports
  app.openapi(
    createRoute({
      method: 'post', path: '/api/administrations/{adminId}/imports', tags: ['Imports'],
      summary: 'Import a file: debtors CSV, invoices CSV or a UBL e-invoice. Send the raw bytes as the body (or multipart field "file"). All or nothing; the same file twice changes nothing.',
      request: {
        params: AdminParam,
        query: z.object({ kind: z.enum(['debtors', 'invoices', 'ubl']).optional(), filename: z.string().max(255).optional() }),
        // Plain OpenAPI schemas, not zod: a zod body schema makes the library validate every upload as a form (a raw CSV body
        // failed with "file: expected nonoptional") and refuse other content types (text/plain, octet-stream) with 415.
        // readUpload() reads the body itself.
        body: {
          content: {
            'text/csv': { schema: { type: 'string' } }, 'application/xml': { schema: { type: 'string' } }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
            'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
          },
          required: true,
        },
      },
      responses: { 200: json(ImportResultSchema), ...errors, 413: { description: 'Too large', content: { 'application/json': { schema: ErrorSchema } } } },
    }),
    async (c) => {
      const a = await admin(c);
      const q = c.req.valid('query');
      const { filename, content } = await readUpload(c, q.filename, maxUpload);
      const kind: ImportKind | null = q.kind ?? detectLedgerImport(filename, content);
      if (!kind) throw new AppError('bad_request', `cannot tell what ${filename} is: pass ?kind=debtors|invoices|ubl`);
      const input = { filename, content };
      const r = kind === 'debtors' ? await importDebtorsCsv(db, a, input) : kind === 'invoices' ? await importInvoicesCsv(db, a, input) : await importUbl(db, a, input);
      return c.json(r, 200);
    },
  );

  // ------------------------------------------------------------ aging, documents
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/aging', tags: ['Insight'], summary: 'Aging of open items as of a date: totals and (optionally) per debtor', request: { params: AdminParam, query: z.object({ asOf: IsoDateSchema.optional(), debtors: bool.optional(), limit: z.coerce.number().int().min(1).max(10000).default(100), offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0) }) }, responses: { 200: json(AgingSchema), ...errors } }),
    async (c) => {
      const a = await admin(c);
      const q = c.req.valid('query');
      const r = await aging(db, a, q.asOf ?? today(), { debtors: q.debtors, limit: q.limit, offset: q.offset });
      return c.json({ asOf: r.asOf, totals: agingJson(r.totals), ...(r.debtors ? { debtors: r.debtors.map(agingJson) } : {}) } as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/documents/{id}', tags: ['Documents'], summary: 'Download a stored document (original e-invoice XML, letter PDF)', request: { params: AdminIdParam }, responses: { 200: { description: 'The file' }, 404: errors[404] } }),
    async (c) => {
      const p = c.req.valid('param');
      const a = await admin(c);
      const d = await getDocument(db, a.id, p.id);
      if (!d) throw notFound(`document ${p.id}`);
      return c.body(d.content as unknown as ArrayBuffer, 200, { 'content-type': d.contentType, 'content-disposition': `inline; filename="${d.filename.replace(/[^\w.\-]/g, '_')}"`, 'x-content-type-options': 'nosniff' });
    },
  );

}
