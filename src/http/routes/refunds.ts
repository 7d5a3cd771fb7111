/**
 * Refunds of credit balances: the candidates, proposals, four-eyes approval (the proposer cannot
 * approve their own), the pain.001 export of the approved refunds and its file. The outgoing
 * payment is booked by the statement import (app/refunds.ts bookRefundPayments).
 */
import type { Context } from 'hono';
import { BodyId } from '../tenant.ts';
import { approveRefund, exportRefunds, proposeRefunds, refundCandidates, refundExportFile, refunds, type Refund } from '../../app/refunds.ts';
import { PAIN001_VERSIONS, type Pain001Version } from '../../formats/pain001.ts';
import { formatCents } from '../../domain/money.ts';
import { IsoDateSchema } from '../schemas.ts';
import { actorOf } from '../auth.ts';
import { AdminIdParam, AdminParam, body, createRoute, errors, json, loadAdmin, z, type Api, type RouteDeps } from './common.ts';

const STATUSES = ['proposed', 'approved', 'exported', 'paid', 'cancelled'] as const;

const RefundSchema = z.object({
  id: z.number().int(), debtorId: z.number().int(), debtorNumber: z.string(), debtorName: z.string(), amount: z.string().openapi({ example: '80.00' }), iban: z.string(), bic: z.string().nullable(),
  endToEndId: z.string(), status: z.enum(STATUSES), proposedBy: z.string(), proposedAt: z.string(), approvedBy: z.string().nullable(), approvedAt: z.string().nullable(),
  exportId: z.number().int().nullable(), paidOn: IsoDateSchema.nullable(),
}).openapi('Refund');

const refundJson = (r: Refund): z.infer<typeof RefundSchema> => ({
  id: r.id, debtorId: r.debtorId, debtorNumber: r.debtorNumber, debtorName: r.debtorName, amount: formatCents(r.amountCents), iban: r.iban, bic: r.bic, endToEndId: r.endToEndId, status: r.status,
  proposedBy: r.proposedBy, proposedAt: r.proposedAt, approvedBy: r.approvedBy, approvedAt: r.approvedAt, exportId: r.exportId, paidOn: r.paidOn,
});

/** `YYYY-MM-DDTHH:MM:SS` in Amsterdam, for the file header. */
function nowLocal(now: Date = new Date()): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const v = (t: string) => p.find((x) => x.type === t)!.value;
  return `${v('year')}-${v('month')}-${v('day')}T${v('hour')}:${v('minute')}:${v('second')}`;
}

export function registerRefundRoutes(app: Api, { db, today }: RouteDeps): void {
  const admin = (c: Context) => loadAdmin(db, c);
  const base = '/api/administrations/{adminId}/refunds';
  const who = (c: Context) => actorOf(c) ?? 'api';

  app.openapi(
    createRoute({
      method: 'get', path: base, tags: ['Refunds'], summary: 'Refunds, newest first (filter by status, comma-separated)',
      request: { params: AdminParam, query: z.object({ status: z.string().max(100).optional() }) }, responses: { 200: json(z.array(RefundSchema)), ...errors },
    }),
    async (c) => {
      const s = c.req.valid('query').status;
      const status = s ? (s.split(',').filter((x) => (STATUSES as readonly string[]).includes(x)) as Refund['status'][]) : undefined;
      return c.json((await refunds(db, await admin(c), { status })).map(refundJson), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/candidates`, tags: ['Refunds'], summary: 'Debtors with a credit balance (net of what is open) and no refund in progress, with the accounts known to pay it to',
      request: { params: AdminParam },
      responses: { 200: json(z.array(z.object({ debtorId: z.number().int(), debtorNumber: z.string(), debtorName: z.string(), credit: z.string(), ibans: z.array(z.string()) }).openapi('RefundCandidate'))), ...errors },
    }),
    async (c) => c.json((await refundCandidates(db, await admin(c))).map((b) => ({ debtorId: b.debtorId, debtorNumber: b.debtorNumber, debtorName: b.debtorName, credit: formatCents(b.creditCents), ibans: b.ibans })), 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: base, tags: ['Refunds'],
      summary: 'Propose refunds: for one debtor (optionally to the account named) or for every debtor with a credit balance; a second person approves',
      request: { params: AdminParam, ...body(z.object({ debtorId: BodyId.optional(), iban: z.string().max(60).optional(), bic: z.string().max(20).nullable().optional() })) },
      responses: { 201: json(z.object({ proposed: z.array(RefundSchema), skipped: z.array(z.object({ debtorNumber: z.string(), reason: z.string(), message: z.string() })) })), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await proposeRefunds(db, await admin(c), { debtorId: b.debtorId, iban: b.iban, bic: b.bic ?? null, actor: who(c) });
      return c.json({ proposed: r.proposed.map(refundJson), skipped: r.skipped }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/{id}/approve`, tags: ['Refunds'], summary: 'Approve a proposed refund (four-eyes: not by the person who proposed it; 403 then)',
      request: { params: AdminIdParam }, responses: { 200: json(RefundSchema), ...errors },
    }),
    async (c) => c.json(refundJson(await approveRefund(db, await admin(c), c.req.valid('param').id, { actor: who(c), trusted: false })), 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/exports`, tags: ['Refunds'],
      summary: 'Write the approved refunds (all, or those named) as one pain.001 (.09 by default, .03 on request); never written when a field would be refused; the file: GET …/refunds/exports/{id}/file',
      request: { params: AdminParam, ...body(z.object({ ids: z.array(BodyId).max(10_000).optional(), format: z.enum(PAIN001_VERSIONS as [string, ...string[]]).optional() })) },
      responses: { 201: json(z.object({ exportId: z.number().int(), messageId: z.string(), format: z.string(), executionDate: IsoDateSchema, count: z.number().int(), controlSum: z.string(), refundIds: z.array(z.number().int()) }).openapi('RefundExport')), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await exportRefunds(db, await admin(c), { ids: b.ids, format: b.format as Pain001Version | undefined, asOf: today(), createdAt: nowLocal(), actor: who(c) });
      return c.json({ exportId: r.exportId, messageId: r.messageId, format: r.format, executionDate: r.executionDate, count: r.count, controlSum: r.controlSum, refundIds: r.refundIds }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/exports/{id}/file`, tags: ['Refunds'], summary: 'The pain.001 file of a refund export, as written',
      request: { params: AdminIdParam }, responses: { 200: { description: 'pain.001 XML', content: { 'application/xml': { schema: { type: 'string' } } } }, ...errors },
    }),
    async (c) => {
      const f = await refundExportFile(db, await admin(c), c.req.valid('param').id);
      return c.body(f.xml, 200, { 'content-type': 'application/xml; charset=utf-8', 'content-disposition': `attachment; filename="${f.filename}"` });
    },
  );
}
