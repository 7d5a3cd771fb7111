/** Routes of inbound mail: the mailbox settings (password never returned) with a connection test, the messages (unassigned queue, per debtor), assign, apply a suggestion, mark read, fetch now. */
import { applySuggestion, assignInbound, inboundList, inboundShow, mailboxSettings, markInboundRead, saveMailbox } from '../../app/inbound.ts';
import { testConnection } from '../../app/inbound-reader.ts';
import { getMailbox } from '../../store/inbound.ts';
import { enqueue } from '../../store/jobs.ts';
import { parseAmount } from '../../domain/money.ts';
import { invalid } from '../../app/errors.ts';
import { AdminIdParam, AdminParam, body, createRoute, errors, json, loadAdmin, QueryId, z, type Api, type RouteDeps } from './common.ts';
import { BodyId } from '../tenant.ts';
import { Amount, IsoDateSchema } from '../schemas.ts';
import { actorOf } from '../auth.ts';

const Mailbox = z.object({
  configured: z.boolean(), host: z.string().nullable(), port: z.number().int().nullable(), tls: z.boolean(), username: z.string().nullable(), passwordSet: z.boolean(), folder: z.string(), processedFolder: z.string(),
  enabled: z.boolean(), lastRunAt: z.string().nullable(), lastOkAt: z.string().nullable(), lastError: z.string().nullable(), lastErrorAt: z.string().nullable(),
}).openapi('InboundMailbox', { description: 'The mailbox debtors reply to; the password is never returned, only whether it is set' });
const MailboxInput = z.object({
  host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535), tls: z.boolean().optional(), username: z.string().min(1).max(255),
  password: z.string().max(500).optional().openapi({ description: 'Left out: the stored password is kept' }), folder: z.string().min(1).max(200).optional(), processedFolder: z.string().min(1).max(200).optional(), enabled: z.boolean().optional(),
}).openapi('InboundMailboxInput');
const Suggestion = z.object({ kind: z.string(), index: z.number().int(), applied: z.boolean(), evidence: z.string() }).passthrough();
const Message = z.object({
  id: z.number().int(), receivedAt: z.string(), kind: z.enum(['reply', 'auto_reply', 'bounce']), status: z.enum(['unread', 'read', 'assigned']), from: z.string().nullable(), fromName: z.string().nullable(), subject: z.string(),
  debtorId: z.number().int().nullable(), debtorNumber: z.string().nullable(), debtorName: z.string().nullable(), resolvedBy: z.string().nullable(), fresh: z.string(), quoted: z.string(),
  suggestions: z.array(Suggestion), problems: z.array(z.string()),
  attachments: z.array(z.object({ documentId: z.number().int().nullable(), filename: z.string(), contentType: z.string(), size: z.number().int(), dropped: z.boolean() })),
  details: z.record(z.string(), z.unknown()), dunningActionId: z.number().int().nullable(),
}).openapi('InboundMessage');
const Counts = z.object({ unreadReplies: z.number().int(), unassigned: z.number().int() }).openapi('InboundCounts');

export function registerInboundRoutes(app: Api, { db, today }: RouteDeps): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/settings/inbox', tags: ['Settings'], summary: 'The inbound mailbox (IMAP) and how its last read went; never the password', request: { params: AdminParam }, responses: { 200: json(Mailbox), ...errors } }),
    async (c) => c.json(await mailboxSettings(db, await loadAdmin(db, c)), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/administrations/{adminId}/settings/inbox', tags: ['Settings'], summary: 'Set the inbound mailbox (a new one needs its password; left out, the stored one is kept)', request: { params: AdminParam, ...body(MailboxInput) }, responses: { 200: json(Mailbox), ...errors } }),
    async (c) => c.json(await saveMailbox(db, await loadAdmin(db, c), c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/api/administrations/{adminId}/settings/inbox/test', tags: ['Settings'], summary: 'Log in to the mailbox (the given settings, or the stored ones) and open its folder: ok with the number of messages, or the error in words',
      request: { params: AdminParam, ...body(MailboxInput.partial()) }, responses: { 200: json(z.object({ ok: z.boolean(), messages: z.number().int().optional(), error: z.string().optional() })), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const i = c.req.valid('json');
      const cur = await getMailbox(db, a.id);
      const host = i.host ?? cur?.host, port = i.port ?? cur?.port, username = i.username ?? cur?.username, password = i.password ?? cur?.password;
      if (!host || !port || !username || !password) throw invalid('no mailbox to test: give host, port, user name and password', [{ field: 'host', code: 'required', message: 'the mailbox settings' }]);
      return c.json(await testConnection({ host, port, tls: i.tls ?? cur?.tls ?? true, username, password, folder: i.folder ?? cur?.folder ?? 'INBOX' }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/inbox/fetch', tags: ['Inbox'], summary: 'Read the mailbox now (a background job; one reader at a time)', request: { params: AdminParam }, responses: { 200: json(z.object({ queued: z.boolean() })), ...errors } }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const id = await enqueue(db, 'inbound-fetch', { administrationId: a.id }, { singletonKey: `inbound-fetch:${a.id}:now:${Math.floor(Date.now() / 10_000)}`, maxAttempts: 1 });
      return c.json({ queued: id !== null }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/inbox', tags: ['Inbox'], summary: 'Messages that came back (replies, automatic replies, bounces), newest first: the unassigned queue, one debtor\'s, by state or kind; with the counts of the work list',
      request: { params: AdminParam, query: z.object({ unassigned: z.enum(['true', 'false']).optional(), debtorId: QueryId.optional(), status: z.enum(['unread', 'read', 'assigned']).optional(), kind: z.enum(['reply', 'auto_reply', 'bounce']).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }) },
      responses: { 200: json(z.object({ rows: z.array(Message), total: z.number().int(), counts: Counts })), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json((await inboundList(db, await loadAdmin(db, c), { unassigned: q.unassigned === 'true', debtorId: q.debtorId, status: q.status, kind: q.kind, limit: q.limit, offset: q.offset })) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/inbox/{id}', tags: ['Inbox'], summary: 'One message: the new part, the quoted rest, suggestions, attachments (as documents), problems', request: { params: AdminIdParam }, responses: { 200: json(Message), ...errors } }),
    async (c) => c.json((await inboundShow(db, await loadAdmin(db, c), c.req.valid('param').id)) as never, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/inbox/{id}/assign', tags: ['Inbox'], summary: 'Put the message on a debtor\'s timeline; the sender is remembered for the next message', request: { params: AdminIdParam, ...body(z.object({ debtorId: BodyId })) }, responses: { 200: json(Message), ...errors } }),
    async (c) => c.json((await assignInbound(db, await loadAdmin(db, c), c.req.valid('param').id, c.req.valid('json').debtorId, actorOf(c))) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/api/administrations/{adminId}/inbox/{id}/apply', tags: ['Inbox'], summary: 'Turn one suggestion into what it describes: a promise, a dispute or a task (amount, date and items may be given when the reply does not say them)',
      request: { params: AdminIdParam, ...body(z.object({ index: z.number().int().min(0).max(50), amount: Amount.optional(), date: IsoDateSchema.optional(), itemIds: z.array(BodyId).max(500).optional(), reason: z.string().max(40).optional() })) },
      responses: { 200: json(z.object({ message: Message, created: z.object({ kind: z.enum(['promise', 'dispute', 'task']), id: z.number().int() }) })), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      let amountCents: number | undefined;
      if (b.amount !== undefined) {
        const r = parseAmount(b.amount);
        if (!r.ok || r.cents <= 0) throw invalid('amount must be a positive amount like "480.50"', [{ field: 'amount', code: 'invalid', message: b.amount }]);
        amountCents = r.cents;
      }
      const r = await applySuggestion(db, await loadAdmin(db, c), c.req.valid('param').id, { index: b.index, ...(amountCents ? { amountCents } : {}), ...(b.date ? { date: b.date } : {}), ...(b.itemIds ? { itemIds: b.itemIds } : {}), ...(b.reason ? { reason: b.reason } : {}) }, today(), actorOf(c));
      return c.json(r as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/administrations/{adminId}/inbox/{id}/read', tags: ['Inbox'], summary: 'Mark the message read (or unread again)', request: { params: AdminIdParam, ...body(z.object({ read: z.boolean().default(true) })) }, responses: { 200: json(Message), ...errors } }),
    async (c) => c.json((await markInboundRead(db, await loadAdmin(db, c), c.req.valid('param').id, c.req.valid('json').read)) as never, 200),
  );
}
