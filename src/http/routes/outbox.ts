/** Routes of the outbox: messages per state with their history, what a person does (resend, cancel, settle an uncertain one), print batches, one debtor's next step now, the test mail. */
import { cancelMessage, markBounced, markPosted, outboxList, outboxShow, printBatch, resendMessage, settleUncertain } from '../../app/outbox.ts';
import { letterOfAction, withPortalLink } from '../../app/dunning-delivery.ts';
import { previewNextStep, previewNextStepPdf, sendNextStep } from '../../app/dunning-next.ts';
import { mailForAdministration, paperFallbackOf, sendTestMail } from '../../app/mail/config.ts';
import { OUTBOX_STATES } from '../../domain/dunning/outbox.ts';
import { getOutboxAction } from '../../store/outbox.ts';
import { getDocument } from '../../store/documents.ts';
import { letterSubject, renderLetterPdf } from '../../app/documents/letter.ts';
import { notFound } from '../../app/errors.ts';
import { AdminIdParam, AdminParam, body, bool, createRoute, errors, json, loadAdmin, pathId, QueryId, readUpload, z, type Api, type RouteDeps } from './common.ts';
import { BodyId } from '../tenant.ts';
import { logoOf, removeLogo, setLogo } from '../../app/logo.ts';
import { IsoDateSchema } from '../schemas.ts';
import { actorOf } from '../auth.ts';

const Counts = z.record(z.string(), z.number().int()).openapi('OutboxCounts', { description: 'Messages per state' });
const MessageView = z.object({
  id: z.number().int(), runId: z.number().int(), debtorId: z.number().int(), debtorNumber: z.string().nullable(), debtorName: z.string().nullable(), stepKey: z.string(), stepName: z.string().nullable(),
  channel: z.string(), delivery: z.enum(['email', 'paper', 'task']), status: z.enum(OUTBOX_STATES), attempts: z.number().int(), recipient: z.string().nullable(), subject: z.string().nullable(),
  items: z.array(z.string()), total: z.string().nullable(), currency: z.string().nullable(), letterDate: z.string().nullable(), reachedOn: z.string().nullable(), lastError: z.string().nullable(),
  messageId: z.string().nullable(), smtpResponse: z.string().nullable(), documentId: z.number().int().nullable(), createdAt: z.string(), sentAt: z.string().nullable(), postedAt: z.string().nullable(), nextAttemptAt: z.string().nullable(),
}).openapi('OutboxMessage');
const Detail = MessageView.extend({
  history: z.array(z.object({ from: z.string().nullable(), to: z.string(), at: z.string(), actor: z.string().nullable(), detail: z.string().nullable() })),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), documentId: z.number().int().nullable() })),
  itemsDetail: z.array(z.object({ number: z.string(), dueDate: z.string(), openCents: z.number().int() })),
  credits: z.array(z.object({ number: z.string(), kind: z.string(), openCents: z.number().int() })),
  actions: z.array(z.enum(['resend', 'cancel', 'mark_sent', 'mark_not_sent', 'mark_posted', 'mark_bounced'])),
}).openapi('OutboxMessageDetail');
const RunIdParam = AdminParam.extend({ runId: pathId('runId') });
const DebtorParam = AdminParam.extend({ debtorId: pathId('debtorId') });

const pdf = (content: Uint8Array, filename: string) =>
  new Response(content as unknown as ConstructorParameters<typeof Response>[0], { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${filename.replace(/[^\w.-]/g, '_')}"`, 'x-content-type-options': 'nosniff' } });

export function registerOutboxRoutes(app: Api, { db, today }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/outbox', tags: ['Outbox'], summary: 'The outbox: every dunning message with its state (newest first), filtered by state, step, run, debtor or delivery; counts per state',
      request: {
        params: AdminParam,
        query: z.object({ status: z.string().max(200).optional(), step: z.string().max(100).optional(), runId: QueryId.optional(), debtorId: QueryId.optional(), debtor: z.string().max(100).optional(), delivery: z.enum(['email', 'paper', 'task']).optional(), limit: z.coerce.number().int().min(1).max(1000).optional(), offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }),
      },
      responses: { 200: json(z.object({ rows: z.array(MessageView), total: z.number().int(), counts: Counts })), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      return c.json((await outboxList(db, a, { status: q.status ? q.status.split(',').filter(Boolean) : undefined, stepKey: q.step, runId: q.runId, debtorId: q.debtorId, debtorNumber: q.debtor, delivery: q.delivery, limit: q.limit ?? 100, offset: q.offset })) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/outbox/{id}', tags: ['Outbox'], summary: 'One message: recipient, subject, step, items, credits, attachments, every state it went through with the server\'s answer, and what a person may do now', request: { params: AdminIdParam }, responses: { 200: json(Detail), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const a = await loadAdmin(db, c);
      return c.json((await outboxShow(db, a, p.id, async (row) => letterSubject(await letterOfAction(db, a, row)))) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/outbox/{id}/letter', tags: ['Outbox'], summary: 'The letter of a message as PDF (the stored one when it went out)', request: { params: AdminIdParam }, responses: { 200: { description: 'PDF' }, ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const a = await loadAdmin(db, c);
      const row = await getOutboxAction(db, a.id, p.id);
      if (!row) throw notFound(`outbox message ${p.id}`);
      const d = row.document_id ? await getDocument(db, a.id, row.document_id) : null;
      if (d) return pdf(d.content, d.filename) as never;
      const letter = await letterOfAction(db, a, row);
      return pdf(await renderLetterPdf(letter), `${letter.kind}-${letter.debtor.number}-${letter.date}.pdf`) as never;
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/outbox/{id}/resend', tags: ['Outbox'], summary: 'Send a failed or bounced e-mail again (an uncertain one is settled first: never resent blindly)', request: { params: AdminIdParam }, responses: { 200: json(MessageView), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json((await resendMessage(db, await loadAdmin(db, c), p.id, actorOf(c))) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/outbox/{id}/cancel', tags: ['Outbox'], summary: 'Cancel a message that has not reached the debtor; its step stays unreached', request: { params: AdminIdParam, ...body(z.object({ reason: z.string().max(500).optional() })) }, responses: { 200: json(MessageView), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json((await cancelMessage(db, await loadAdmin(db, c), p.id, actorOf(c), c.req.valid('json').reason)) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/outbox/{id}/mark-sent', tags: ['Outbox'], summary: 'Settle an uncertain message: a person checked whether it went out (sent: the step is reached; not sent: failed, to resend or for the next run)', request: { params: AdminIdParam, ...body(z.object({ sent: z.boolean(), note: z.string().max(500).optional() })) }, responses: { 200: json(MessageView), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json((await settleUncertain(db, await loadAdmin(db, c), p.id, b.sent, actorOf(c), b.note)) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/outbox/{id}/bounced', tags: ['Outbox'], summary: 'A bounce came back for a sent e-mail: the step is no longer reached; the next run plans it again', request: { params: AdminIdParam, ...body(z.object({ note: z.string().max(500).optional() })) }, responses: { 200: json(MessageView), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json((await markBounced(db, await loadAdmin(db, c), p.id, actorOf(c), c.req.valid('json').note)) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/dunning/runs/{runId}/print-batch', tags: ['Outbox'], summary: 'All paper letters of a run as one PDF, an address page (window envelope) before each; they become "printed"', request: { params: RunIdParam }, responses: { 200: { description: 'PDF' }, ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const a = await loadAdmin(db, c);
      // the letters on paper carry a new portal link each (short URL + QR), like the stored PDFs
      const b = await printBatch(db, a, p.runId, actorOf(c), async (row) => withPortalLink(db, a, row.debtor_id, await letterOfAction(db, a, row), 'letter'));
      return pdf(b.content, b.filename) as never;
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/dunning/runs/{runId}/posted', tags: ['Outbox'], summary: 'Mark the paper letters of a run posted (on postedOn, default today): each step is reached that day', request: { params: RunIdParam, ...body(z.object({ postedOn: IsoDateSchema.optional(), ids: z.array(BodyId).max(100_000).optional() })) }, responses: { 200: json(z.object({ posted: z.number().int(), ids: z.array(z.number().int()) })), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json(await markPosted(db, await loadAdmin(db, c), { runId: p.runId, ids: b.ids }, { postedOn: b.postedOn ?? today(), actor: actorOf(c) }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/debtors/{debtorId}/dunning/next', tags: ['Outbox'], summary: 'The next dunning step of one debtor: the message, how it would go (e-mail, paper, task, refused without a mail server), the e-mail as subject, text and HTML', request: { params: DebtorParam, query: z.object({ asOf: IsoDateSchema.optional(), override: bool.optional() }) }, responses: { 200: json(z.object({}).passthrough()), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const q = c.req.valid('query');
      return c.json((await previewNextStep(db, await loadAdmin(db, c), p.debtorId, { asOf: q.asOf ?? today(), override: q.override })) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/debtors/{debtorId}/dunning/next/letter', tags: ['Outbox'], summary: 'The next step\'s letter as PDF, exactly as it would be sent', request: { params: DebtorParam, query: z.object({ asOf: IsoDateSchema.optional(), override: bool.optional() }) }, responses: { 200: { description: 'PDF' }, ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const q = c.req.valid('query');
      const r = await previewNextStepPdf(db, await loadAdmin(db, c), p.debtorId, { asOf: q.asOf ?? today(), override: q.override });
      return pdf(r.content, r.filename) as never;
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/debtors/{debtorId}/dunning/next', tags: ['Outbox'], summary: 'Send the next dunning step of one debtor now, and say what happened per state', request: { params: DebtorParam, ...body(z.object({ asOf: IsoDateSchema.optional(), override: z.boolean().optional() })) }, responses: { 200: json(z.object({ runId: z.number().int(), blocked: z.unknown().nullable(), refused: z.unknown().nullable(), states: Counts, messages: z.array(MessageView) })), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json((await sendNextStep(db, await loadAdmin(db, c), p.debtorId, { asOf: b.asOf ?? today(), override: b.override, actor: actorOf(c) })) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/settings/logo', tags: ['Settings'], summary: 'The logo on the letters (PNG or JPEG), 404 when there is none', request: { params: AdminParam }, responses: { 200: { description: 'image' }, ...errors } }),
    async (c) => {
      const l = await logoOf(db, await loadAdmin(db, c));
      if (!l) throw notFound('logo');
      return new Response(l.content as unknown as ConstructorParameters<typeof Response>[0], { status: 200, headers: { 'content-type': l.contentType, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' } }) as never;
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/settings/logo', tags: ['Settings'], summary: 'Upload the logo for the letters (PNG or JPEG, at most 512 KB; the raw body or multipart field "file")', request: { params: AdminParam, query: z.object({ filename: z.string().max(255).optional() }) }, responses: { 200: json(z.object({ ok: z.boolean() })), ...errors } }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const { content } = await readUpload(c, c.req.valid('query').filename, 1024 * 1024);
      await setLogo(db, a, content);
      return c.json({ ok: true }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/administrations/{adminId}/settings/logo', tags: ['Settings'], summary: 'Letters without a logo again', request: { params: AdminParam }, responses: { 200: json(z.object({ ok: z.boolean() })), ...errors } }),
    async (c) => {
      await removeLogo(db, await loadAdmin(db, c));
      return c.json({ ok: true }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/settings/mail', tags: ['Settings'], summary: 'Whether the administration has a mail server (its own, or the server-wide one) and what e-mail steps do without one',
      request: { params: AdminParam }, responses: { 200: json(z.object({ configured: z.boolean(), source: z.enum(['settings', 'environment']).nullable(), host: z.string().nullable(), from: z.string().nullable(), paperFallback: z.boolean() })), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const m = mailForAdministration(a);
      return c.json({ configured: !!m, source: m?.source ?? null, host: m?.host ?? null, from: m?.from ?? null, paperFallback: paperFallbackOf(a) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/api/administrations/{adminId}/settings/mail/test', tags: ['Settings'], summary: 'Send a test mail with the administration\'s mail server; the answer is the server\'s (accepted with its reply, or the error)',
      request: { params: AdminParam, ...body(z.object({ to: z.string().min(3).max(255) })) },
      responses: { 200: json(z.object({ ok: z.boolean(), messageId: z.string().optional(), response: z.string().optional(), code: z.string().optional(), message: z.string().optional(), kind: z.string().optional() })), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const r = await sendTestMail(a, c.req.valid('json').to);
      return c.json(r.ok ? { ok: true, messageId: r.messageId, response: r.response } : { ok: false, code: r.code, message: r.message, kind: r.kind }, 200);
    },
  );
}
