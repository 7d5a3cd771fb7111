/**
 * SEPA direct debit mandates: list (with the status on a date), one mandate, create, import a CSV
 * (debtor_number,mandate_id,signature_date,iban,bic,scheme; all or nothing), revoke.
 */
import type { Context } from 'hono';
import { BodyId } from '../tenant.ts';
import { amendMandate, createMandate, findMandate, importMandatesCsv, listMandates, mandateForm, revokeMandate, type MandateView } from '../../app/mandates.ts';
import { IsoDateSchema } from '../schemas.ts';
import { actorOf } from '../auth.ts';
import { AdminIdParam, AdminParam, body, createRoute, errors, json, loadAdmin, QueryId, readUpload, z, type Api, type RouteDeps } from './common.ts';
import { ErrorSchema } from '../schemas.ts';

const MandateSchema = z.object({
  id: z.number().int(),
  debtorId: z.number().int(),
  debtorNumber: z.string(),
  debtorName: z.string(),
  mandateId: z.string(),
  signatureDate: IsoDateSchema,
  iban: z.string(),
  bic: z.string().nullable(),
  scheme: z.enum(['CORE', 'B2B']),
  recurring: z.boolean(),
  status: z.enum(['active', 'revoked', 'expired']).openapi({ description: 'on the date asked (expired: 36 months without a collection, or a one-off mandate used)' }),
  revokedAt: IsoDateSchema.nullable(),
  lastUsedAt: IsoDateSchema.nullable(),
  lapsesAfter: IsoDateSchema.nullable().openapi({ description: 'while active: the last day before it lapses unused' }),
  originalMandateId: z.string().nullable(),
  originalIban: z.string().nullable(),
  createdAt: z.string(),
}).openapi('Mandate');

const mandateJson = (m: MandateView): z.infer<typeof MandateSchema> => ({
  id: m.id, debtorId: m.debtorId, debtorNumber: m.debtorNumber, debtorName: m.debtorName, mandateId: m.mandateId, signatureDate: m.signatureDate,
  iban: m.iban, bic: m.bic, scheme: m.scheme, recurring: m.recurring, status: m.state.status, revokedAt: m.revokedAt, lastUsedAt: m.lastUsedAt,
  lapsesAfter: m.state.status === 'active' ? m.state.lapsesAfter : null, originalMandateId: m.originalMandateId, originalIban: m.originalIban, createdAt: m.createdAt,
});

export function registerMandateRoutes(app: Api, { db, today, maxUpload }: RouteDeps): void {
  const admin = (c: Context) => loadAdmin(db, c);
  const base = '/api/administrations/{adminId}/mandates';

  app.openapi(
    createRoute({
      method: 'get', path: `${base}/{id}/form`, tags: ['Direct debit'],
      summary: 'The printable mandate form for signing (PDF, the Dutch standard wording of the Betaalvereniging: "Doorlopende machtiging" / "Eenmalige machtiging", business variant for B2B), with the creditor\'s name, address and Incassant ID and the mandate id',
      request: { params: AdminIdParam }, responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errors },
    }),
    async (c) => {
      const f = await mandateForm(db, await admin(c), c.req.valid('param').id, today());
      return c.body(new Uint8Array(f.pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${f.filename}"` });
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: base, tags: ['Direct debit'], summary: 'Mandates, with their status on asOf (default today)',
      request: { params: AdminParam, query: z.object({ debtorId: QueryId.optional(), asOf: IsoDateSchema.optional() }) },
      responses: { 200: json(z.array(MandateSchema)), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json((await listMandates(db, await admin(c), q.asOf ?? today(), q.debtorId !== undefined ? { debtorId: q.debtorId } : {})).map(mandateJson), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/{id}`, tags: ['Direct debit'], summary: 'One mandate',
      request: { params: AdminIdParam, query: z.object({ asOf: IsoDateSchema.optional() }) }, responses: { 200: json(MandateSchema), ...errors },
    }),
    async (c) => c.json(mandateJson(await findMandate(db, await admin(c), c.req.valid('param').id, c.req.valid('query').asOf ?? today())), 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: base, tags: ['Direct debit'],
      summary: 'Record a signed mandate. Refused, naming the field: an invalid IBAN or BIC, a mandate id that breaks the SEPA rules or is used already, a signature in the future, B2B for a consumer',
      request: {
        params: AdminParam,
        ...body(z.object({
          debtorId: BodyId, mandateId: z.string().max(200), signatureDate: z.string().max(20), iban: z.string().max(60), bic: z.string().max(20).nullable().optional(),
          scheme: z.string().max(10).openapi({ example: 'CORE' }), recurring: z.boolean().optional(), asOf: IsoDateSchema.optional(),
        })),
      },
      responses: { 201: json(MandateSchema, 'Created'), ...errors },
    }),
    async (c) => {
      const { asOf, ...b } = c.req.valid('json');
      return c.json(mandateJson(await createMandate(db, await admin(c), b, asOf ?? today(), actorOf(c))), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/import`, tags: ['Direct debit'],
      summary: 'Import mandates from CSV (headers debtor_number,mandate_id,signature_date,iban,bic,scheme; optional recurring yes/no). All or nothing: every problem with its line',
      request: {
        params: AdminParam,
        query: z.object({ filename: z.string().max(255).optional(), asOf: IsoDateSchema.optional() }),
        // raw body read by readUpload (see the imports route for why this is not a zod schema)
        body: { content: { 'text/csv': { schema: { type: 'string' } }, 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } }, required: true },
      },
      responses: {
        200: json(z.object({ filename: z.string(), rows: z.number().int(), created: z.number().int() }).openapi('MandateImportResult')),
        ...errors, 413: { description: 'Too large', content: { 'application/json': { schema: ErrorSchema } } },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { filename, content } = await readUpload(c, q.filename ?? 'mandates.csv', maxUpload);
      return c.json(await importMandatesCsv(db, await admin(c), { filename, content, actor: actorOf(c) }, q.asOf ?? today()), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'patch', path: `${base}/{id}`, tags: ['Direct debit'],
      summary: 'A new IBAN (and BIC) or mandate id: a mandate collected before sends the amendment with the original data in the next collection',
      request: { params: AdminIdParam, ...body(z.object({ iban: z.string().max(60).optional(), bic: z.string().max(20).nullable().optional(), mandateId: z.string().max(200).optional(), asOf: IsoDateSchema.optional() })) },
      responses: { 200: json(MandateSchema), ...errors },
    }),
    async (c) => {
      const { asOf, ...b } = c.req.valid('json');
      return c.json(mandateJson(await amendMandate(db, await admin(c), c.req.valid('param').id, b, asOf ?? today(), actorOf(c))), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/{id}/revoke`, tags: ['Direct debit'], summary: 'Revoke a mandate from a date (default today): no collection on or after it',
      request: { params: AdminIdParam, ...body(z.object({ date: IsoDateSchema.optional() })) }, responses: { 200: json(MandateSchema), ...errors },
    }),
    async (c) => c.json(mandateJson(await revokeMandate(db, await admin(c), c.req.valid('param').id, c.req.valid('json').date ?? today(), actorOf(c))), 200),
  );
}
