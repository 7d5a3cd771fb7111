/**
 * Routes of debtor care: dossier entries (notes, calls, mails; edits keep the old version), tasks
 * and "my work today", promises to pay, disputes, payment plans, the status table, segments,
 * payment behaviour, credit limit and conditions, and the care checks. Who acts is `actorOf`
 * (http/auth.ts): the logged-in user, or what an API token's integration names.
 */
import type { Context } from 'hono';
import { BodyId, tenantIdOf } from '../tenant.ts';
import {
  addCall, addDisputeReason, addEntry, addNote, assignTask, behaviourOf, cancelPlan, cancelPromise, careLimitsOf, changePromise, changeStatus, checkPlans, checkPromises, completeTask, assignees, updateTask, createPlan, createPromise,
  createTask, creditOf, debtorShow, disputeReasons, disputes, dossier, editEntry, evaluateSegments, findDispute, findPlan, openDispute, planLetterDocument, plans, previewPlan, promises,
  removeSegment, resendInvoice, resolveDispute, runCareChecks, saveSegment, saveStatuses, segments, setCredit, setTags, statuses, tasks, workToday, INTEREST_POLICIES,
  type Credit,
} from '../../app/care.ts';
import { sendStatement, statementPdf, type SendStatementResult } from '../../app/statements.ts';
import type { PaymentPlan, PromiseToPay, Task } from '../../store/care.ts';
import type { CareLimits } from '../../domain/care/limits.ts';
import type { TimelineEvent } from '../../store/events.ts';
import { CALL_OUTCOMES, DISPUTE_RESOLUTIONS, MANUAL_ENTRY_KINDS } from '../../domain/care/statuses.ts';
import { formatCents } from '../../domain/money.ts';
import { Amount, EventSchema, IsoDateSchema, cents, debtorJson, DebtorSchema } from '../schemas.ts';
import { AdminIdParam, AdminParam, body, bool, createRoute, errors, json, loadAdmin, z, type Api, QueryId, type RouteDeps } from './common.ts';
import { actorOf, triggerOf } from '../auth.ts';

const KeyParam = AdminParam.extend({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/).openapi({ param: { name: 'key', in: 'path' }, example: 'large_account' }) });
const Id = z.number().int();

const EntrySchema = EventSchema.extend({ replaces: Id.nullable().optional(), replacedBy: Id.nullable().optional() }).openapi('DossierEntry');
const Priority = z.union([z.literal(1), z.literal(2), z.literal(3)]).openapi({ description: '1 high, 2 normal, 3 low' });
const TaskSchema = z.object({
  id: Id, debtorId: Id.nullable(), debtorNumber: z.string().nullable(), debtorName: z.string().nullable(), itemIds: z.array(Id), kind: z.string(), title: z.string(), reason: z.string().nullable(),
  dueDate: IsoDateSchema, assignedTo: z.string().nullable(), status: z.enum(['open', 'done', 'cancelled']), outcome: z.string().nullable(), sourceType: z.string().nullable(), sourceId: Id.nullable(),
  createdAt: z.string(), completedAt: z.string().nullable(), completedBy: z.string().nullable(), priority: Priority,
}).openapi('Task');
const WorkEntrySchema = z.object({
  kind: z.enum(['task', 'broken_promise', 'missed_instalment', 'dispute_overdue']), taskKind: z.string().nullable(), taskId: Id.nullable(), title: z.string(), dueDate: IsoDateSchema, overdue: z.boolean(), when: z.enum(['overdue', 'today', 'coming']), priority: Priority,
  debtorId: Id.nullable(), debtorNumber: z.string().nullable(), debtorName: z.string().nullable(), assignedTo: z.string().nullable(), sourceType: z.string().nullable(), sourceId: Id.nullable(),
}).openapi('WorkEntry');
const PromiseSchema = z.object({
  id: Id, debtorId: Id, amount: Amount, promisedDate: IsoDateSchema, itemIds: z.array(Id).openapi({ description: 'empty: all open items of the debtor' }), graceDays: Id,
  status: z.enum(['open', 'kept', 'broken', 'cancelled']), note: z.string().nullable(), createdBy: z.string().nullable(), createdAt: z.string(), resolvedAt: z.string().nullable(),
}).openapi('PromiseToPay');
const DisputeSchema = z.object({
  id: Id, debtorId: Id, itemIds: z.array(Id), reason: z.string(), description: z.string().nullable(), owner: z.string().nullable(), deadline: IsoDateSchema.nullable(), status: z.enum(['open', 'resolved']),
  resolution: z.string().nullable(), resolutionNote: z.string().nullable(), createdBy: z.string().nullable(), createdAt: z.string(), resolvedAt: z.string().nullable(),
}).openapi('Dispute');
const ReasonSchema = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), labelNl: z.string().min(1).max(100), labelEn: z.string().min(1).max(100) }).openapi('DisputeReason');
const InstalmentSchema = z.object({ seq: Id, dueDate: IsoDateSchema, amount: Amount, paid: Amount, status: z.enum(['open', 'paid', 'missed']) });
const PlanSchema = z.object({
  id: Id, debtorId: Id, status: z.enum(['active', 'completed', 'broken', 'cancelled']), total: Amount, graceDays: Id, interestPolicy: z.string(), note: z.string().nullable(), documentId: Id.nullable(),
  itemIds: z.array(Id), instalments: z.array(InstalmentSchema), createdBy: z.string().nullable(), createdAt: z.string(), endedAt: z.string().nullable(), letterWarning: z.string().nullable().optional(),
}).openapi('PaymentPlan');
/** The body of a plan, for the preview and the plan itself; the number of instalments is checked against the policy by the app (no schema cap that would hide the limit). */
const PlanBody = z.object({
  debtorId: BodyId, itemIds: z.array(BodyId).max(1000).optional(), instalments: z.number().int().min(0).max(10_000).optional(), firstDate: IsoDateSchema.optional(),
  schedule: z.array(z.object({ dueDate: IsoDateSchema, amount: Amount })).max(1000).optional(), graceDays: z.number().int().min(0).max(60).optional(),
  interestPolicy: z.enum(INTEREST_POLICIES).optional(), extra: Amount.optional(), note: z.string().max(2000).nullable().optional(), asOf: IsoDateSchema.optional(),
});
const planInput = ({ instalments, schedule, extra, ...b }: Omit<z.infer<typeof PlanBody>, 'asOf'>) => ({
  ...b, ...(instalments !== undefined ? { count: instalments } : {}), ...(schedule ? { schedule: schedule.map((s) => ({ dueDate: s.dueDate, amountCents: cents(s.amount) })) } : {}), ...(extra !== undefined ? { extraCents: cents(extra) } : {}),
});
const CareLimitsSchema = z.object({ promiseMaxDays: Id, planMaxInstalments: Id, planMaxMonths: Id, planMinInstalment: Amount }).openapi('CareLimits');
const limitsJson = (l: CareLimits) => ({ promiseMaxDays: l.promiseMaxDays, planMaxInstalments: l.planMaxInstalments, planMaxMonths: l.planMaxMonths, planMinInstalment: formatCents(l.planMinInstalmentCents) });
const PlanPreviewSchema = z.object({
  debtorId: Id, itemIds: z.array(Id), total: Amount, currency: z.string(), interestPolicy: z.string(), graceDays: Id,
  instalments: z.array(z.object({ seq: Id, dueDate: IsoDateSchema, amount: Amount })), limits: CareLimitsSchema,
}).openapi('PaymentPlanPreview');
const StatusSchema = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), labelNl: z.string().min(1).max(100), labelEn: z.string().min(1).max(100), pausesChase: z.boolean(), sort: z.number().int() }).openapi('DebtorStatus');
const RulesSchema = z.object({
  type: z.enum(['business', 'consumer']).optional(), minAnnual: Amount.optional(), maxAnnual: Amount.optional(), minAvgDaysLate: z.number().min(0).optional(), maxAvgDaysLate: z.number().min(0).optional(),
  minBrokenPromises: z.number().int().min(0).optional(), maxBrokenPromises: z.number().int().min(0).optional(), tagsAny: z.array(z.string().max(40)).optional(), tagsAll: z.array(z.string().max(40)).optional(),
}).strict().openapi('SegmentRules');
const SegmentSchema = z.object({ key: z.string(), name: z.string(), rules: RulesSchema, policyKey: z.string().nullable(), priority: z.number().int() }).openapi('Segment');
const BehaviourSchema = z.object({
  asOf: IsoDateSchema, paidCount12m: Id, avgDaysLate12m: z.number().nullable(), recentCount: Id, avgDaysLateRecent: z.number().nullable(), normCount: Id, avgDaysLateNorm: z.number().nullable(),
  trend: z.enum(['better', 'stable', 'worse', 'unknown']), promisesKept: Id, promisesBroken: Id, warning: z.object({ code: z.literal('paying_later'), message: z.string() }).nullable(),
}).openapi('PaymentBehaviour');
const CreditSchema = z.object({
  creditLimit: Amount.nullable(), balance: Amount, overdue: Amount, warning: z.object({ code: z.literal('over_credit_limit'), over: Amount, message: z.string() }).nullable(),
  kvk: z.string().nullable(), paymentTermDays: z.number().int().nullable(), creditNotes: z.string().nullable(),
}).openapi('Credit');

const StatementActionSchema = z.object({
  id: Id, status: z.string().openapi({ description: 'queued, sending, sent, failed (retried), uncertain' }), currency: z.string(), total: Amount, itemCount: Id, documentId: Id.nullable(),
  createdAt: z.string(), sentAt: z.string().nullable(), lastError: z.string().nullable(),
}).openapi('StatementAction');
const StatementResultSchema = z.object({
  debtorId: Id, debtorNumber: z.string(), date: IsoDateSchema,
  alreadySent: z.boolean().openapi({ description: 'true: a statement for this debtor was already queued or sent on this date; nothing new was queued' }),
  delivery: z.enum(['email', 'post']).openapi({ description: 'email: mailed to the debtor\'s addresses; post: no address known, the stored PDF is a letter to print and post' }),
  emails: z.array(z.string()), message: z.string(), actions: z.array(StatementActionSchema),
}).openapi('StatementResult');

const taskJson = (t: Task) => t;
const statementJson = ({ actions, ...r }: SendStatementResult) => ({ ...r, actions: actions.map(({ totalCents, ...a }) => ({ ...a, total: formatCents(totalCents) })) });
const promiseJson = ({ amountCents, ...p }: PromiseToPay) => ({ ...p, amount: formatCents(amountCents) });
const planJson = ({ totalCents, instalments, ...p }: PaymentPlan & { letterWarning?: string | null }) => ({
  ...p, total: formatCents(totalCents), instalments: instalments.map((i) => ({ seq: i.seq, dueDate: i.dueDate, amount: formatCents(i.amountCents), paid: formatCents(i.paidCents), status: i.status })),
});
const creditJson = (c: Credit) => ({
  creditLimit: c.creditLimitCents === null ? null : formatCents(c.creditLimitCents), balance: formatCents(c.balanceCents), overdue: formatCents(c.overdueCents),
  warning: c.warning ? { code: c.warning.code, over: formatCents(c.warning.overCents), message: c.warning.message } : null, kvk: c.kvk, paymentTermDays: c.paymentTermDays, creditNotes: c.creditNotes,
});
const rulesIn = ({ minAnnual, maxAnnual, ...r }: z.infer<typeof RulesSchema>) => ({ ...r, ...(minAnnual !== undefined ? { minAnnualCents: cents(minAnnual) } : {}), ...(maxAnnual !== undefined ? { maxAnnualCents: cents(maxAnnual) } : {}) });
const rulesOut = ({ minAnnualCents, maxAnnualCents, ...r }: Record<string, unknown>) => ({ ...r, ...(minAnnualCents !== undefined ? { minAnnual: formatCents(minAnnualCents as number) } : {}), ...(maxAnnualCents !== undefined ? { maxAnnual: formatCents(maxAnnualCents as number) } : {}) });
const entry = (e: TimelineEvent) => e;

export function registerCareRoutes(app: Api, { db, today }: RouteDeps): void {
  const admin = (c: Context) => loadAdmin(db, c);
  const base = '/api/administrations/{adminId}';

  // ------------------------------------------------------------ dossier
  app.openapi(
    createRoute({ method: 'post', path: `${base}/debtors/{id}/notes`, tags: ['Dossier'], summary: 'Add a note to the dossier', request: { params: AdminIdParam, ...body(z.object({ text: z.string().min(1).max(20000), itemId: BodyId.optional() })) }, responses: { 201: json(EntrySchema, 'Created'), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      const a = await admin(c);
      return c.json(entry(b.itemId ? await addEntry(db, a, p.id, { kind: 'note', text: b.text, itemId: b.itemId }, actorOf(c)) : await addNote(db, a, p.id, b.text, actorOf(c))), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/debtors/{id}/calls`, tags: ['Dossier'], summary: 'Log a phone call with its outcome (optionally a call-back task)',
      request: { params: AdminIdParam, ...body(z.object({ outcome: z.enum(CALL_OUTCOMES), text: z.string().max(20000).optional(), callbackDate: IsoDateSchema.optional(), assignTo: z.string().max(100).optional() })) },
      responses: { 201: json(EntrySchema, 'Created'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(entry(await addCall(db, await admin(c), p.id, c.req.valid('json'), actorOf(c))), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/debtors/{id}/entries`, tags: ['Dossier'], summary: 'Add a dossier entry of any manual kind: note, call, mail_in, mail_out, letter, agreement',
      request: { params: AdminIdParam, ...body(z.object({ kind: z.enum(MANUAL_ENTRY_KINDS), text: z.string().max(20000), subject: z.string().max(500).optional(), outcome: z.enum(CALL_OUTCOMES).optional(), itemId: BodyId.optional() })) },
      responses: { 201: json(EntrySchema, 'Created'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(entry(await addEntry(db, await admin(c), p.id, c.req.valid('json'), actorOf(c))), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/debtors/{id}/dossier`, tags: ['Dossier'], summary: 'The dossier, newest first; each entry with the version it replaces and the one that replaced it',
      request: { params: AdminIdParam, query: z.object({ kind: z.string().max(40).optional(), current: bool.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100), before: QueryId.optional() }) },
      responses: { 200: json(z.array(EntrySchema)), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await dossier(db, await admin(c), p.id, c.req.valid('query')), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put', path: `${base}/timeline/{id}`, tags: ['Dossier'], summary: 'Edit a manual entry: a new version is added (data.replaces = the old id); the old one stays',
      request: { params: AdminIdParam, ...body(z.object({ text: z.string().max(20000).optional(), subject: z.string().max(500).nullable().optional(), outcome: z.enum(CALL_OUTCOMES).nullable().optional() })) },
      responses: { 201: json(EntrySchema, 'The new version'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(entry(await editEntry(db, await admin(c), p.id, c.req.valid('json'), actorOf(c))), 201);
    },
  );

  // ------------------------------------------------------------ tasks, work today
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/tasks`, tags: ['Tasks'], summary: 'Tasks; ?mine=USER (theirs and unassigned), ?today=true (due on or before today)',
      request: { params: AdminParam, query: z.object({ mine: z.string().max(100).optional(), today: bool.optional(), asOf: IsoDateSchema.optional(), status: z.enum(['open', 'done', 'cancelled', 'all']).default('open'), debtorId: QueryId.optional(), kind: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200), offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0) }) },
      responses: { 200: json(z.array(TaskSchema)), ...errors },
    }),
    async (c) => {
      const a = await admin(c);
      const q = c.req.valid('query');
      const rows = await tasks(db, a, { status: q.status, debtorId: q.debtorId, kind: q.kind, limit: q.limit, offset: q.offset, ...(q.mine ? { assignedTo: q.mine, includeUnassigned: true } : {}), ...(q.today ? { dueBy: q.asOf ?? today() } : {}) });
      return c.json(rows.map(taskJson), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/tasks`, tags: ['Tasks'], summary: 'Create a task (call back, check an agreement, …)',
      request: { params: AdminParam, ...body(z.object({ debtorId: BodyId.nullable().optional(), kind: z.string().max(40).optional(), title: z.string().min(1).max(500), reason: z.string().max(2000).nullable().optional(), dueDate: IsoDateSchema, assignedTo: z.string().max(100).nullable().optional(), itemIds: z.array(BodyId).max(1000).optional(), priority: Priority.optional() })) },
      responses: { 201: json(TaskSchema, 'Created'), ...errors },
    }),
    async (c) => c.json(taskJson(await createTask(db, await admin(c), c.req.valid('json'), actorOf(c))), 201),
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/tasks/{id}/complete`, tags: ['Tasks'], summary: 'Complete (or cancel) a task; the outcome goes on the timeline', request: { params: AdminIdParam, ...body(z.object({ outcome: z.string().max(2000).optional(), cancel: z.boolean().optional() })) }, responses: { 200: json(TaskSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(taskJson(await completeTask(db, await admin(c), p.id, c.req.valid('json'), actorOf(c))), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: `${base}/tasks/{id}`, tags: ['Tasks'], summary: 'Reschedule an open task or change its priority (on the timeline)', request: { params: AdminIdParam, ...body(z.object({ dueDate: IsoDateSchema.optional(), priority: Priority.optional() })) }, responses: { 200: json(TaskSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(taskJson(await updateTask(db, await admin(c), p.id, c.req.valid('json'), actorOf(c))), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: `${base}/assignees`, tags: ['Tasks'], summary: 'Who tasks can be assigned to: the names of the people with a role that may act here (owner, controller)', request: { params: AdminParam }, responses: { 200: json(z.array(z.object({ name: z.string(), email: z.string() }))), ...errors } }),
    async (c) => c.json(await assignees(db, await admin(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/tasks/{id}/assign`, tags: ['Tasks'], summary: 'Assign a task to a user (null: unassign)', request: { params: AdminIdParam, ...body(z.object({ user: z.string().max(100).nullable() })) }, responses: { 200: json(TaskSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(taskJson(await assignTask(db, await admin(c), p.id, c.req.valid('json').user, actorOf(c))), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/work-today`, tags: ['Tasks'], summary: 'My work today: tasks due (phone steps included), broken promises, missed instalments, disputes past deadline; ?until= adds the tasks coming up to that date, ?everyone=true everyone\'s',
      request: { params: AdminParam, query: z.object({ user: z.string().max(100).optional(), everyone: bool.optional(), asOf: IsoDateSchema.optional(), until: IsoDateSchema.optional() }) }, responses: { 200: json(z.array(WorkEntrySchema)), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await workToday(db, await admin(c), q.everyone ? null : q.user ?? actorOf(c), q.asOf ?? today(), { until: q.until }), 200);
    },
  );

  // ------------------------------------------------------------ promises
  app.openapi(
    createRoute({ method: 'get', path: `${base}/promises`, tags: ['Promises'], summary: 'Promises to pay', request: { params: AdminParam, query: z.object({ debtorId: QueryId.optional(), status: z.enum(['open', 'kept', 'broken', 'cancelled']).optional() }) }, responses: { 200: json(z.array(PromiseSchema)), ...errors } }),
    async (c) => c.json((await promises(db, await admin(c), c.req.valid('query'))).map(promiseJson), 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/promises`, tags: ['Promises'], summary: 'Record a promise to pay (pauses the chase of its items until the date + grace)',
      request: { params: AdminParam, ...body(z.object({ debtorId: BodyId, amount: Amount, promisedDate: IsoDateSchema, itemIds: z.array(BodyId).max(1000).optional(), graceDays: z.number().int().min(0).max(60).optional(), note: z.string().max(2000).nullable().optional(), asOf: IsoDateSchema.optional() })) },
      responses: { 201: json(PromiseSchema, 'Created'), ...errors },
    }),
    async (c) => {
      const { amount, asOf, ...b } = c.req.valid('json');
      return c.json(promiseJson(await createPromise(db, await admin(c), { ...b, amountCents: cents(amount) }, asOf ?? today(), actorOf(c))), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/promises/check`, tags: ['Promises'], summary: 'Check open promises as of a date: kept, or broken (task, timeline, the chase resumes)', request: { params: AdminParam, ...body(z.object({ asOf: IsoDateSchema.optional(), debtorId: BodyId.optional() })) }, responses: { 200: json(z.object({ kept: Id, broken: Id, results: z.array(z.object({ promiseId: Id, debtorId: Id, paid: Amount, status: z.enum(['open', 'kept', 'broken']) })) })), ...errors } }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await checkPromises(db, await admin(c), b.asOf ?? today(), actorOf(c), { debtorId: b.debtorId });
      return c.json({ kept: r.kept, broken: r.broken, results: r.results.map(({ paidCents, ...x }) => ({ ...x, paid: formatCents(paidCents) })) }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/promises/{id}/cancel`, tags: ['Promises'], summary: 'Withdraw an open promise', request: { params: AdminIdParam }, responses: { 200: json(PromiseSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(promiseJson(await cancelPromise(db, await admin(c), p.id, actorOf(c))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put', path: `${base}/promises/{id}`, tags: ['Promises'], summary: 'Change an open promise (a new amount or date agreed with the debtor): checked like a new one, recorded on the timeline',
      request: { params: AdminIdParam, ...body(z.object({ amount: Amount.optional(), promisedDate: IsoDateSchema.optional(), note: z.string().max(2000).nullable().optional(), asOf: IsoDateSchema.optional() })) },
      responses: { 200: json(PromiseSchema), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const { amount, asOf, ...b } = c.req.valid('json');
      return c.json(promiseJson(await changePromise(db, await admin(c), p.id, { ...b, ...(amount !== undefined ? { amountCents: cents(amount) } : {}) }, asOf ?? today(), actorOf(c))), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: `${base}/care/limits`, tags: ['Promises'], summary: "The administration's limits for promises and payment plans (settings under care)", request: { params: AdminParam }, responses: { 200: json(CareLimitsSchema), ...errors } }),
    async (c) => c.json(limitsJson(careLimitsOf(await admin(c))), 200),
  );

  // ------------------------------------------------------------ disputes
  app.openapi(
    createRoute({ method: 'get', path: `${base}/dispute-reasons`, tags: ['Disputes'], summary: 'The dispute reasons (defaults on first use)', request: { params: AdminParam }, responses: { 200: json(z.array(ReasonSchema)), ...errors } }),
    async (c) => c.json(await disputeReasons(db, await admin(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/dispute-reasons`, tags: ['Disputes'], summary: 'Add (or relabel) a dispute reason', request: { params: AdminParam, ...body(ReasonSchema) }, responses: { 201: json(z.array(ReasonSchema), 'The list'), ...errors } }),
    async (c) => c.json(await addDisputeReason(db, await admin(c), c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({ method: 'get', path: `${base}/disputes`, tags: ['Disputes'], summary: 'Disputes', request: { params: AdminParam, query: z.object({ debtorId: QueryId.optional(), status: z.enum(['open', 'resolved']).optional() }) }, responses: { 200: json(z.array(DisputeSchema)), ...errors } }),
    async (c) => c.json(await disputes(db, await admin(c), c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/disputes`, tags: ['Disputes'], summary: 'Open a dispute on items (only those are paused); a review task for the owner',
      request: { params: AdminParam, ...body(z.object({ debtorId: BodyId, itemIds: z.array(BodyId).min(1).max(1000), reason: z.string().max(40), description: z.string().max(5000).nullable().optional(), owner: z.string().max(100).nullable().optional(), deadline: IsoDateSchema.nullable().optional(), asOf: IsoDateSchema.optional() })) },
      responses: { 201: json(DisputeSchema, 'Created'), ...errors },
    }),
    async (c) => {
      const { asOf, ...b } = c.req.valid('json');
      return c.json(await openDispute(db, await admin(c), b, asOf ?? today(), actorOf(c)), 201);
    },
  );
  app.openapi(createRoute({ method: 'get', path: `${base}/disputes/{id}`, tags: ['Disputes'], summary: 'One dispute', request: { params: AdminIdParam }, responses: { 200: json(DisputeSchema), ...errors } }), async (c) => {
    const p = c.req.valid('param');
    return c.json(await findDispute(db, await admin(c), p.id), 200);
  });
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/disputes/{id}/resolve`, tags: ['Disputes'], summary: 'Resolve: credit_note (the disputed open amount), partial_credit (an amount), rejected or withdrawn (the chase resumes)',
      request: { params: AdminIdParam, ...body(z.object({ resolution: z.enum(DISPUTE_RESOLUTIONS), amount: Amount.optional(), note: z.string().max(2000).nullable().optional(), asOf: IsoDateSchema.optional() })) },
      responses: { 200: json(z.object({ dispute: DisputeSchema, creditItemId: Id.nullable(), credit: Amount })), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const { amount, asOf, ...b } = c.req.valid('json');
      const r = await resolveDispute(db, await admin(c), p.id, { ...b, ...(amount !== undefined ? { amountCents: cents(amount) } : {}) }, asOf ?? today(), actorOf(c));
      return c.json({ dispute: r.dispute, creditItemId: r.creditItemId, credit: formatCents(r.creditCents) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/disputes/{id}/resend-invoice`, tags: ['Disputes'], summary: 'Re-send the invoice copy (the stored document); logged as a mail out on the timeline',
      request: { params: AdminIdParam, ...body(z.object({ itemId: BodyId.optional(), to: z.string().max(200).nullable().optional() })) },
      responses: { 200: json(z.array(z.object({ itemId: Id, number: z.string(), documentId: Id, filename: z.string(), contentType: z.string(), url: z.string(), eventId: Id }))), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const r = await resendInvoice(db, await admin(c), p.id, c.req.valid('json'), actorOf(c));
      return c.json(r.map(({ content: _content, ...x }) => ({ ...x, url: `/api/administrations/${tenantIdOf(c)}/documents/${x.documentId}` })), 200);
    },
  );

  // ------------------------------------------------------------ payment plans
  app.openapi(
    createRoute({ method: 'get', path: `${base}/payment-plans`, tags: ['Payment plans'], summary: 'Payment plans', request: { params: AdminParam, query: z.object({ debtorId: QueryId.optional(), status: z.enum(['active', 'completed', 'broken', 'cancelled']).optional() }) }, responses: { 200: json(z.array(PlanSchema)), ...errors } }),
    async (c) => c.json((await plans(db, await admin(c), c.req.valid('query'))).map(planJson), 200),
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/payment-plans/preview`, tags: ['Payment plans'], summary: 'The plan that POST payment-plans would make with this body, saved nowhere: schedule, total and the limits it was checked against',
      request: { params: AdminParam, ...body(PlanBody) },
      responses: { 200: json(PlanPreviewSchema), ...errors },
    }),
    async (c) => {
      const { asOf, ...b } = c.req.valid('json');
      const d = await previewPlan(db, await admin(c), planInput(b), asOf ?? today());
      return c.json({ debtorId: d.debtor.id, itemIds: d.items.map((i) => i.id), total: formatCents(d.totalCents), currency: d.currency, interestPolicy: d.interestPolicy, graceDays: d.graceDays, instalments: d.schedule.map((s) => ({ seq: s.seq, dueDate: s.dueDate, amount: formatCents(s.amountCents) })), limits: limitsJson(d.limits) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/payment-plans`, tags: ['Payment plans'], summary: 'Create a payment plan: N equal monthly instalments or an explicit schedule; a confirmation letter (PDF) is stored',
      request: {
        params: AdminParam,
        ...body(PlanBody),
      },
      responses: { 201: json(PlanSchema, 'Created'), ...errors },
    }),
    async (c) => {
      const { asOf, ...b } = c.req.valid('json');
      return c.json(planJson(await createPlan(db, await admin(c), planInput(b), asOf ?? today(), actorOf(c))), 201);
    },
  );
  app.openapi(createRoute({ method: 'get', path: `${base}/payment-plans/{id}`, tags: ['Payment plans'], summary: 'One payment plan with its instalments', request: { params: AdminIdParam }, responses: { 200: json(PlanSchema), ...errors } }), async (c) => {
    const p = c.req.valid('param');
    return c.json(planJson(await findPlan(db, await admin(c), p.id)), 200);
  });
  app.openapi(
    createRoute({ method: 'get', path: `${base}/payment-plans/{id}/letter`, tags: ['Payment plans'], summary: 'The confirmation letter (PDF) with the schedule', request: { params: AdminIdParam }, responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const d = await planLetterDocument(db, await admin(c), p.id);
      return c.body(d.content as unknown as ArrayBuffer, 200, { 'content-type': d.contentType, 'content-disposition': `inline; filename="${d.filename.replace(/[^\w.\-]/g, '_')}"`, 'x-content-type-options': 'nosniff' }) as never;
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/payment-plans/check`, tags: ['Payment plans'], summary: 'Check active plans as of a date: instalments paid in order, missed ones past grace break the plan', request: { params: AdminParam, ...body(z.object({ asOf: IsoDateSchema.optional(), debtorId: BodyId.optional() })) }, responses: { 200: json(z.object({ instalmentsMissed: Id, broken: Id, completed: Id, results: z.array(z.object({ planId: Id, debtorId: Id, paid: Amount, status: z.string(), newlyMissed: Id })) })), ...errors } }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await checkPlans(db, await admin(c), b.asOf ?? today(), actorOf(c), { debtorId: b.debtorId });
      return c.json({ ...r, results: r.results.map(({ paidCents, ...x }) => ({ ...x, paid: formatCents(paidCents) })) }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/payment-plans/{id}/cancel`, tags: ['Payment plans'], summary: 'End an active plan (the chase resumes)', request: { params: AdminIdParam }, responses: { 200: json(PlanSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(planJson(await cancelPlan(db, await admin(c), p.id, actorOf(c))), 200);
    },
  );

  // ------------------------------------------------------------ statement of account
  app.openapi(
    createRoute({
      method: 'post', path: `${base}/debtors/{id}/statement`, tags: ['Debtors'],
      summary: "Send a statement of account (rekeningoverzicht): every open item with the balance, as a PDF letter, mailed to the debtor's addresses (without one: a letter to post). Queued in the dunning outbox and delivered once; one per debtor per day — a second request that day returns the first (alreadySent)",
      request: { params: AdminIdParam, ...body(z.object({ asOf: IsoDateSchema.optional() })) },
      responses: { 202: json(StatementResultSchema, 'Queued'), 200: json(StatementResultSchema, 'Already sent on this date: nothing new queued'), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const r = await sendStatement(db, await admin(c), p.id, { date: c.req.valid('json').asOf ?? today(), actor: actorOf(c), trigger: triggerOf(c) });
      return r.alreadySent ? c.json(statementJson(r), 200) : c.json(statementJson(r), 202);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/debtors/{id}/statement.pdf`, tags: ['Debtors'], summary: 'The statement of account as a PDF, without sending it (?currency= when the debtor has open items in several)',
      request: { params: AdminIdParam, query: z.object({ asOf: IsoDateSchema.optional(), currency: z.string().regex(/^[A-Za-z]{3}$/).optional() }) },
      responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const q = c.req.valid('query');
      const d = await statementPdf(db, await admin(c), p.id, { date: q.asOf ?? today(), currency: q.currency });
      return c.body(d.content as unknown as ArrayBuffer, 200, { 'content-type': d.contentType, 'content-disposition': `inline; filename="${d.filename}"`, 'x-content-type-options': 'nosniff' }) as never;
    },
  );

  // ------------------------------------------------------------ statuses
  app.openapi(createRoute({ method: 'get', path: `${base}/statuses`, tags: ['Statuses'], summary: 'The debtor status table (which statuses pause the chase)', request: { params: AdminParam }, responses: { 200: json(z.array(StatusSchema)), ...errors } }), async (c) =>
    c.json(await statuses(db, await admin(c)), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: `${base}/statuses`, tags: ['Statuses'], summary: 'Replace the status table ("normal" stays; a status in use cannot be removed)', request: { params: AdminParam, ...body(z.array(StatusSchema.partial({ sort: true })).min(1).max(100)) }, responses: { 200: json(z.array(StatusSchema)), ...errors } }),
    async (c) => c.json(await saveStatuses(db, await admin(c), c.req.valid('json') as never), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: `${base}/debtors/{id}/status`, tags: ['Statuses'], summary: "Change a debtor's status (on the timeline)", request: { params: AdminIdParam, ...body(z.object({ status: z.string().max(40), note: z.string().max(2000).nullable().optional() })) }, responses: { 200: json(DebtorSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json(debtorJson(await changeStatus(db, await admin(c), p.id, b.status, b.note ?? null, actorOf(c))), 200);
    },
  );

  // ------------------------------------------------------------ segments, tags
  app.openapi(createRoute({ method: 'get', path: `${base}/segments`, tags: ['Segments'], summary: 'Segments and their rules', request: { params: AdminParam }, responses: { 200: json(z.array(SegmentSchema)), ...errors } }), async (c) =>
    c.json((await segments(db, await admin(c))).map((s) => ({ ...s, rules: rulesOut(s.rules as Record<string, unknown>) })) as never, 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: `${base}/segments/{key}`, tags: ['Segments'], summary: 'Create or change a segment: rules (all must hold), priority (low first), the dunning policy it chooses', request: { params: KeyParam, ...body(z.object({ name: z.string().min(1).max(100), rules: RulesSchema.default({}), policyKey: z.string().max(60).nullable().optional(), priority: z.number().int().default(100) })) }, responses: { 200: json(SegmentSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      const s = await saveSegment(db, await admin(c), { key: p.key, name: b.name, rules: rulesIn(b.rules), policyKey: b.policyKey ?? null, priority: b.priority });
      return c.json({ ...s, rules: rulesOut(s.rules as Record<string, unknown>) } as never, 200);
    },
  );
  app.openapi(createRoute({ method: 'delete', path: `${base}/segments/{key}`, tags: ['Segments'], summary: 'Delete a segment', request: { params: KeyParam }, responses: { 204: { description: 'Deleted' }, ...errors } }), async (c) => {
    const p = c.req.valid('param');
    await removeSegment(db, await admin(c), p.key);
    return c.body(null, 204);
  });
  app.openapi(
    createRoute({ method: 'post', path: `${base}/segments/evaluate`, tags: ['Segments'], summary: 'Evaluate the segment rules for every debtor now (also nightly)', request: { params: AdminParam, ...body(z.object({ asOf: IsoDateSchema.optional() })) }, responses: { 200: json(z.object({ evaluated: Id, changed: Id })), ...errors } }),
    async (c) => c.json(await evaluateSegments(db, await admin(c), c.req.valid('json').asOf ?? today()), 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: `${base}/debtors/{id}/tags`, tags: ['Segments'], summary: "Set a debtor's manual tags", request: { params: AdminIdParam, ...body(z.object({ tags: z.array(z.string().max(40)).max(50) })) }, responses: { 200: json(z.object({ tags: z.array(z.string()) })), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json({ tags: await setTags(db, await admin(c), p.id, c.req.valid('json').tags, actorOf(c)) }, 200);
    },
  );

  // ------------------------------------------------------------ behaviour, credit, header, checks
  app.openapi(
    createRoute({ method: 'get', path: `${base}/debtors/{id}/behaviour`, tags: ['Debtors'], summary: 'Payment behaviour: average days late (12 months), trend, promises kept/broken, the thermometer warning', request: { params: AdminIdParam, query: z.object({ asOf: IsoDateSchema.optional() }) }, responses: { 200: json(BehaviourSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await behaviourOf(db, await admin(c), p.id, c.req.valid('query').asOf ?? today()), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: `${base}/debtors/{id}/credit`, tags: ['Debtors'], summary: 'Credit limit, conditions and the warning when the open balance exceeds the limit', request: { params: AdminIdParam, query: z.object({ asOf: IsoDateSchema.optional() }) }, responses: { 200: json(CreditSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(creditJson(await creditOf(db, await admin(c), p.id, c.req.valid('query').asOf ?? today())), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put', path: `${base}/debtors/{id}/credit`, tags: ['Debtors'], summary: 'Set the credit limit and conditions: KvK number, agreed payment term, references and checks',
      request: { params: AdminIdParam, ...body(z.object({ creditLimit: Amount.nullable().optional(), kvk: z.string().max(20).nullable().optional(), paymentTermDays: z.number().int().min(0).max(365).nullable().optional(), creditNotes: z.string().max(5000).nullable().optional() })) },
      responses: { 200: json(CreditSchema), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const { creditLimit, ...b } = c.req.valid('json');
      const input = { ...b, ...(creditLimit !== undefined ? { creditLimitCents: creditLimit === null ? null : cents(creditLimit) } : {}) };
      return c.json(creditJson(await setCredit(db, await admin(c), p.id, input, today(), actorOf(c))), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: `${base}/debtors/{id}/care`, tags: ['Debtors'], summary: "The debtor's header: balance, status, segment and why, paused and why, credit, behaviour, open promises, disputes, plans, tasks, recent timeline", request: { params: AdminIdParam, query: z.object({ asOf: IsoDateSchema.optional() }) }, responses: { 200: json(z.object({}).passthrough()), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const s = await debtorShow(db, await admin(c), p.id, c.req.valid('query').asOf ?? today());
      return c.json({ ...s, debtor: debtorJson(s.debtor), credit: creditJson(s.credit), promises: s.promises.map(promiseJson), plans: s.plans.map(planJson) } as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: `${base}/care/checks`, tags: ['Tasks'], summary: 'Run the care checks now (nightly job): promises, payment plans, segments', request: { params: AdminParam, ...body(z.object({ asOf: IsoDateSchema.optional() })) }, responses: { 200: json(z.object({ promisesKept: Id, promisesBroken: Id, instalmentsMissed: Id, plansBroken: Id, segmentsChanged: Id })), ...errors } }),
    async (c) => c.json(await runCareChecks(db, await admin(c), c.req.valid('json').asOf ?? today()), 200),
  );
}
