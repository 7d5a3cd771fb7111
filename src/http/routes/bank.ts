/** Routes of bank statements and matching: upload, review, confirm/reject/undo/ignore, export. */
import { bankDataStatus, confirmMatch, exportAllocations, getReviewLine, ignoreLine, importStatement, listReview, rejectMatch, undoMatch } from '../../app/bank.ts';
import { writeCsv } from '../../formats/csv.ts';
import { MAX_STATEMENT_BYTES } from '../../formats/statement.ts';
import { AdminParam, Paging, body, createRoute, errors, json, loadAdmin, readUpload, z, type Api, pathId, type RouteDeps } from './common.ts';
import { BodyId } from '../tenant.ts';
import { ErrorSchema, IsoDateSchema } from '../schemas.ts';
import { actorOf, visibleMemberships } from '../auth.ts';

const LineParam = AdminParam.extend({ lineId: pathId('lineId', 1) });

const SuggestionSchema = z.object({
  id: z.number().int(), rank: z.number().int(), kind: z.string(), confidence: z.number().int(), debtorId: z.number().int().nullable(), debtorName: z.string().nullable(),
  items: z.array(z.object({ itemId: z.number().int(), number: z.string(), amount: z.string() })), credit: z.string(), signals: z.array(z.string()).openapi({ description: "the reasons as English sentences (older suggestions have only these)" }), reasons: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.unknown()) })).openapi({ description: "why, as codes with parameters (src/domain/matching/reasons.ts): render them in the reader's language" }), status: z.string(),
}).openapi('MatchSuggestion');
const ReviewLineSchema = z.object({
  id: z.number().int(), status: z.enum(['unmatched', 'suggested', 'auto', 'confirmed', 'ignored']), entryRef: z.string().nullable(), bookingDate: IsoDateSchema, amount: z.string(), currency: z.string(),
  counterpartyName: z.string().nullable(), counterpartyIban: z.string().nullable(), reference: z.string().nullable(), remittance: z.string(), bookingId: z.number().int().nullable(), suggestions: z.array(SuggestionSchema),
}).openapi('BankLine');
const StatementResultSchema = z.object({
  filename: z.string(), format: z.string(), alreadyImported: z.boolean(), statements: z.number().int(), entries: z.number().int(), newEntries: z.number().int(), duplicateEntries: z.number().int(),
  accounts: z.array(z.string()), warnings: z.array(z.object({ code: z.string(), message: z.string(), params: z.record(z.string(), z.string()).optional() })),
  matching: z.object({ lines: z.number().int(), booked: z.number().int(), suggested: z.number().int(), unmatched: z.number().int(), ignored: z.number().int() }),
  collections: z.object({ settled: z.number().int(), returned: z.number().int(), retried: z.number().int(), mandatesEnded: z.number().int(), unknown: z.number().int() }).openapi({ description: 'SEPA direct debits settled or returned by this statement' }),
}).openapi('StatementImportResult');
const AllocationRowSchema = z.object({ entryRef: z.string().nullable(), invoice: z.string(), amount: z.string(), status: z.enum(['auto', 'confirmed', 'suggested']), date: IsoDateSchema }).openapi('AllocationExportRow');

export function registerBankRoutes(app: Api, { db, today, maxUpload }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'post', path: '/api/administrations/{adminId}/statements', tags: ['Bank'],
      summary: 'Upload a bank statement (CAMT.053, MT940, CODA or bank CSV; raw body or multipart field "file"). Each entry is booked once; payments are matched.',
      request: { params: AdminParam, query: z.object({ filename: z.string().max(255).optional(), acceptUnbalanced: z.enum(['true', 'false']).optional().openapi({ description: 'import a statement whose balances do not add up (or without closing balance); refused otherwise' }) }), body: { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } }, 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } } }, required: true } as never },
      responses: { 200: json(StatementResultSchema), ...errors, 413: { description: 'Too large', content: { 'application/json': { schema: ErrorSchema } } } },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      const { filename, content } = await readUpload(c, q.filename, Math.min(maxUpload, MAX_STATEMENT_BYTES));
      const seenBy = (await visibleMemberships(c, db)).map((m) => m.administrationId);
      return c.json(await importStatement(db, a, { filename, content, actor: actorOf(c), acceptUnbalanced: q.acceptUnbalanced === 'true', seenBy, asOf: today() }), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/bank-lines', tags: ['Bank'], summary: 'Bank lines with their suggestions; by default those waiting for review',
      request: { params: AdminParam, query: z.object({ status: z.string().max(100).optional().openapi({ description: 'comma-separated: unmatched,suggested,auto,confirmed,ignored' }), ...Paging }) },
      responses: { 200: json(z.object({ rows: z.array(ReviewLineSchema), total: z.number().int() })), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      const allowed = ['unmatched', 'suggested', 'auto', 'confirmed', 'ignored'] as const;
      const status = q.status ? (q.status.split(',').filter((s) => (allowed as readonly string[]).includes(s)) as (typeof allowed)[number][]) : undefined;
      return c.json(await listReview(db, a, { status, limit: q.limit, offset: q.offset }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/bank-lines/{lineId}', tags: ['Bank'], summary: 'One bank line with its suggestions', request: { params: LineParam }, responses: { 200: json(ReviewLineSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await getReviewLine(db, await loadAdmin(db, c), p.lineId), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/api/administrations/{adminId}/bank-lines/{lineId}/confirm', tags: ['Bank'], summary: 'Book the top suggestion (or a chosen one, or the named items); a confirmed suggestion teaches the payer\'s IBAN, a booking to named items only with learnIban: true',
      request: { params: LineParam, ...body(z.object({ suggestionId: BodyId.optional(), items: z.array(z.string().max(50)).max(100).optional(), learnIban: z.boolean().optional() })) },
      responses: { 200: json(ReviewLineSchema), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json(await confirmMatch(db, await loadAdmin(db, c), p.lineId, { suggestionId: b.suggestionId, itemNumbers: b.items, learnIban: b.learnIban, actor: actorOf(c) }), 200);
    },
  );
  for (const [name, summary, fn] of [
    ['reject', 'Reject the top suggestion (remembered: never proposed again)', rejectMatch],
    ['undo', 'Unbook the line: everything back as it was', undoMatch],
    ['ignore', 'Mark the line as not a debtor payment', ignoreLine],
  ] as const) {
    app.openapi(createRoute({ method: 'post', path: `/api/administrations/{adminId}/bank-lines/{lineId}/${name}`, tags: ['Bank'], summary, request: { params: LineParam }, responses: { 200: json(ReviewLineSchema), ...errors } }), async (c) => {
      const p = c.req.valid('param');
      return c.json(await fn(db, await loadAdmin(db, c), p.lineId, { actor: actorOf(c) } as never), 200);
    });
  }
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/exports/allocations', tags: ['Bank'], summary: 'What each bank entry paid (JSON, or CSV with ?format=csv)',
      request: { params: AdminParam, query: z.object({ format: z.enum(['json', 'csv']).default('json') }) },
      responses: { 200: json(z.array(AllocationRowSchema)), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const rows = await exportAllocations(db, a);
      if (c.req.valid('query').format === 'csv') return c.body(writeCsv(['entryRef', 'invoice', 'amount', 'status', 'date'], rows.map((r) => [r.entryRef, r.invoice, r.amount, r.status, r.date])), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="allocations.csv"' }) as never;
      return c.json(rows, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/bank-status', tags: ['Bank'], summary: 'Freshness of the bank data and payments waiting for review', request: { params: AdminParam, query: z.object({ asOf: IsoDateSchema.optional() }) }, responses: { 200: json(z.object({ lastImportAt: z.string().nullable(), lastStatementDate: z.string().nullable(), ageDays: z.number().int().nullable(), waitingForReview: z.number().int(), accounts: z.number().int(), staleAfterDays: z.number().int(), stale: z.boolean() })), ...errors } }),
    async (c) => {
      const a = await loadAdmin(db, c);
      return c.json(await bankDataStatus(db, a, c.req.valid('query').asOf ?? today()), 200);
    },
  );
}
