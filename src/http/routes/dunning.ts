/** Routes of the dunning workflow: preview, send, runs, the outbox, letters as PDF, policies, legal calculator. */
import { previewRun, runHistory, sendRun, policiesOf, savePolicy, dunningSettingsOf } from '../../app/dunning.ts';
import { matchSettingsOf } from '../../app/bank.ts';
import { scheduleOf } from '../../jobs/worker.ts';
import { deliverDue, letterFor, letterOfAction, type LetterSource } from '../../app/dunning-delivery.ts';
import { letterSourceOf } from '../../app/dunning-next.ts';
import { countByState } from '../../store/outbox.ts';
import { changeAdministration } from '../../app/administrations.ts';
import { FOURTEEN_DAY_WORDING, LETTER_TEMPLATES, PLACEHOLDERS, validateTemplate } from '../../app/documents/templates.ts';
import { addDays } from '../../domain/dates.ts';
import { renderLetterPdf } from '../../app/documents/letter.ts';
import { getAction, listActions } from '../../store/dunning.ts';
import { proposal, proposalMessages, proposalSkipped, withOverride } from '../../app/dunning-proposal.ts';
import { getDocument } from '../../store/documents.ts';
import { notFound, invalid } from '../../app/errors.ts';
import { collectionCosts } from '../../domain/legal/collection-costs.ts';
import { statutoryInterest } from '../../domain/legal/interest.ts';
import { formatCents } from '../../domain/money.ts';
import type { DunningPolicy } from '../../domain/dunning/policy.ts';
import { AdminIdParam, AdminParam, body, bool, createRoute, errors, json, loadAdmin, z, type Api, QueryId, type RouteDeps } from './common.ts';
import { BodyId } from '../tenant.ts';
import { Amount, IsoDateSchema, cents } from '../schemas.ts';
import { actorOf, triggerOf } from '../auth.ts';

const PlanSchema = z.object({}).passthrough().openapi('RunPlan', { description: 'The plan of a run: messages (or wouldSend while blocked) grouped per debtor and step, skipped entries with reasons, totals.' });
const RunResultSchema = z.object({
  runId: z.number().int(), blocked: z.unknown().nullable(), queued: z.number().int(), tasks: z.number().int(), duplicates: z.number().int(), skipped: z.number().int(),
  email: z.number().int().openapi({ description: 'e-mails put in the outbox' }), paper: z.number().int().openapi({ description: 'letters to print' }),
  refused: z.object({ reason: z.literal('no_mail_server'), messages: z.number().int(), message: z.object({ nl: z.string(), en: z.string() }) }).nullable().openapi({ description: 'e-mail steps not sent: no mail server (nothing written for them)' }),
  states: z.record(z.string(), z.number().int()).openapi({ description: 'the run\'s messages per outbox state (after delivery when deliver was asked)' }),
  delivered: z.unknown().nullable(),
}).openapi('RunResult');
const ActionSchema = z.object({ id: z.number().int(), runId: z.number().int(), debtorId: z.number().int(), debtorNumber: z.string().nullable(), debtorName: z.string().nullable(), stepKey: z.string(), stepName: z.string().nullable(), channel: z.string(), status: z.string(), attempts: z.number().int(), lastError: z.string().nullable(), documentId: z.number().int().nullable(), total: z.string().nullable(), createdAt: z.string(), sentAt: z.string().nullable() }).openapi('DunningAction');

const pdf = (content: Uint8Array, filename: string) =>
  new Response(content as unknown as ConstructorParameters<typeof Response>[0], { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${filename.replace(/[^\w.-]/g, '_')}"`, 'x-content-type-options': 'nosniff' } });

export function registerDunningRoutes(app: Api, { db, today }: RouteDeps): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/dunning/preview', tags: ['Dunning'], summary: 'Exactly what a run would send as of a date, and what it skips and why (nothing is written)', request: { params: AdminParam, query: z.object({ asOf: IsoDateSchema.optional(), override: bool.optional() }) }, responses: { 200: json(PlanSchema), ...errors } }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      return c.json((await previewRun(db, a, { asOf: q.asOf ?? today(), override: q.override })) as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/dunning/proposal', tags: ['Dunning'],
      summary: 'The proposal for the next run (the preview, stored): per step how many messages and how much, what is skipped per reason. status "computing" while a background job plans it; stale marks a previous proposal shown meanwhile',
      request: { params: AdminParam, query: z.object({ asOf: IsoDateSchema.optional(), override: bool.optional() }) },
      responses: { 200: json(z.object({ status: z.enum(['ready', 'computing']), stale: z.boolean(), proposal: z.object({}).passthrough().nullable() }).openapi('DunningProposal')), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      const v = await proposal(db, a, q.asOf ?? today());
      return c.json({ ...v, proposal: v.proposal ? withOverride(v.proposal, q.override ?? false) : null } as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/dunning/proposal/messages', tags: ['Dunning'], summary: 'A page of the proposal\'s messages (of one step, largest amounts first)',
      request: { params: AdminParam, query: z.object({ asOf: IsoDateSchema.optional(), step: z.string().max(100).optional(), offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }) },
      responses: { 200: json(z.object({ rows: z.array(z.object({}).passthrough()), total: z.number().int() })), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      return c.json((await proposalMessages(db, a, q.asOf ?? today(), q)) as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/dunning/proposal/skipped', tags: ['Dunning'], summary: 'A page of what the proposal skips and why (optionally of one reason)',
      request: { params: AdminParam, query: z.object({ asOf: IsoDateSchema.optional(), reason: z.string().max(100).optional(), offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }) },
      responses: { 200: json(z.object({ rows: z.array(z.object({}).passthrough()), total: z.number().int() })), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      return c.json((await proposalSkipped(db, a, q.asOf ?? today(), q)) as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/dunning/preview/letter', tags: ['Dunning'], summary: 'The letter of one planned message, as PDF (by its dedupe key)',
      request: { params: AdminParam, query: z.object({ key: z.string().min(1).max(2000), asOf: IsoDateSchema.optional(), override: bool.optional() }) }, responses: { 200: { description: 'PDF' }, ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      const asOf = q.asOf ?? today();
      // the key starts with the debtor's id: plan that debtor only (the same plan as a whole run gives it)
      const debtorId = Number(q.key.split(':')[0]);
      if (!Number.isSafeInteger(debtorId)) throw notFound(`planned message ${q.key}`);
      const plan = await previewRun(db, a, { asOf, override: true, scope: { debtorIds: [debtorId] } });
      const m = [...plan.messages, ...plan.wouldSend].find((x) => x.dedupeKey === q.key);
      if (!m) throw notFound(`planned message ${q.key}`);
      const letter = await letterFor(db, a, await letterSourceOf(db, a, m, asOf), asOf);
      return pdf(await renderLetterPdf(letter), `${letter.kind}-${m.debtorNumber}.pdf`) as never;
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/api/administrations/{adminId}/dunning/runs', tags: ['Dunning'], summary: 'Send: every planned message goes to the outbox once (refused while the bank data is stale unless override); optionally only some debtors or messages',
      request: { params: AdminParam, ...body(z.object({ asOf: IsoDateSchema.optional(), override: z.boolean().optional(), dedupeKeys: z.array(z.string().max(2000)).max(100_000).optional(), debtorIds: z.array(BodyId).max(100_000).optional(), deliver: z.boolean().optional() })) },
      responses: { 200: json(RunResultSchema), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const b = c.req.valid('json');
      const r = await sendRun(db, a, { asOf: b.asOf ?? today(), override: b.override, trigger: triggerOf(c), actor: actorOf(c), only: b.dedupeKeys || b.debtorIds ? { dedupeKeys: b.dedupeKeys, debtorIds: b.debtorIds } : undefined });
      const ids = !r.blocked && b.deliver ? (await listActions(db, a.id, { runId: r.runId, limit: 100_000 })).map((x) => x.id) : [];
      const delivered = !r.blocked && b.deliver ? await deliverDue(db, { onlyIds: ids }) : null;
      const states = delivered ? await countByState(db, a.id, { runId: r.runId }) : r.states;
      return c.json({ runId: r.runId, blocked: r.blocked, queued: r.queued, tasks: r.tasks, duplicates: r.duplicates, skipped: r.skipped, email: r.email, paper: r.paper, refused: r.refused, states, delivered }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/dunning/runs', tags: ['Dunning'], summary: 'History of runs', request: { params: AdminParam }, responses: { 200: json(z.array(z.object({}).passthrough())), ...errors } }),
    async (c) => c.json((await runHistory(db, await loadAdmin(db, c))) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/api/administrations/{adminId}/dunning/actions', tags: ['Dunning'], summary: 'The outbox: what was queued, sent, failed or is uncertain',
      request: { params: AdminParam, query: z.object({ runId: QueryId.optional(), debtorId: QueryId.optional(), status: z.string().max(100).optional() }) }, responses: { 200: json(z.array(ActionSchema)), ...errors },
    }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const q = c.req.valid('query');
      const rows = await listActions(db, a.id, { runId: q.runId, debtorId: q.debtorId, status: q.status?.split(','), limit: 5000 });
      const iso = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v.toISOString() : String(v));
      return c.json(rows.map((r) => {
        const m = r.message as { debtorNumber?: string; debtorName?: string; stepName?: string; totalCents?: number };
        return { id: r.id, runId: r.run_id, debtorId: r.debtor_id, debtorNumber: m.debtorNumber ?? null, debtorName: m.debtorName ?? null, stepKey: r.step_key, stepName: m.stepName ?? null, channel: r.channel, status: r.status, attempts: r.attempts, lastError: r.last_error, documentId: r.document_id, total: m.totalCents === undefined ? null : formatCents(m.totalCents), createdAt: iso(r.created_at)!, sentAt: iso(r.sent_at) };
      }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/dunning/actions/{id}/letter', tags: ['Dunning'], summary: 'The letter of an outbox action as PDF (the one that went out)', request: { params: AdminIdParam }, responses: { 200: { description: 'PDF' }, ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const a = await loadAdmin(db, c);
      const action = await getAction(db, a.id, p.id);
      if (!action) throw notFound(`action ${p.id}`);
      if (action.document_id) {
        const d = await getDocument(db, a.id, action.document_id);
        if (d) return pdf(d.content, d.filename) as never;
      }
      const letter = await letterOfAction(db, a, action);
      return pdf(await renderLetterPdf(letter), `${letter.kind}.pdf`) as never;
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/dunning/policies', tags: ['Dunning'], summary: 'The policies (the built-in ones until the administration saves its own)', request: { params: AdminParam }, responses: { 200: json(z.array(z.object({}).passthrough())), ...errors } }),
    async (c) => c.json((await policiesOf(db, await loadAdmin(db, c))) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'put', path: '/api/administrations/{adminId}/dunning/policies/{key}', tags: ['Dunning'], summary: 'Save a policy (steps as data); isDefault makes it the administration default, segment applies it to a segment',
      request: { params: AdminParam.extend({ key: z.string().min(1).max(50).openapi({ param: { name: 'key', in: 'path' } }) }), ...body(z.object({ policy: z.object({ name: z.string().min(1).max(200), steps: z.array(z.object({}).passthrough()).min(1).max(20) }).passthrough(), isDefault: z.boolean().optional(), segment: z.string().max(50).nullable().optional() })) },
      responses: { 200: json(z.array(z.object({}).passthrough())), ...errors },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      const policy = { ...(b.policy as unknown as DunningPolicy), key: p.key };
      return c.json((await savePolicy(db, await loadAdmin(db, c), policy, { isDefault: b.isDefault, segment: b.segment ?? null })) as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/legal/costs', tags: ['Legal'], summary: 'Extrajudicial collection costs (BIK scale) on a principal', request: { query: z.object({ amount: Amount, vat: bool.optional() }) }, responses: { 200: json(z.object({ principal: z.string(), costs: z.string(), vat: z.string(), total: z.string(), minimumApplied: z.boolean(), maximumApplied: z.boolean() })), ...errors } }),
    (c) => {
      const q = c.req.valid('query');
      const amount = cents(q.amount);
      if (amount < 0) throw invalid('amount cannot be negative');
      const r = collectionCosts({ principalCents: amount, ...(q.vat ? { vat: { creditorCanDeductVat: false, collectionServiceChargesVat: true, statedInLetter: true } } : {}) });
      return c.json({ principal: formatCents(r.baseCents), costs: formatCents(r.costsCents), vat: formatCents(r.vatCents), total: formatCents(r.totalCents), minimumApplied: r.minimumApplied, maximumApplied: r.maximumApplied }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/legal/interest', tags: ['Legal'], summary: 'Statutory (6:119) or commercial (6:119a) interest, both dates inclusive, yearly compounding', request: { query: z.object({ principal: Amount, from: IsoDateSchema, to: IsoDateSchema, kind: z.enum(['consumer', 'commercial']) }) }, responses: { 200: json(z.object({ interest: z.string(), periods: z.array(z.object({}).passthrough()), capitalisations: z.array(z.object({}).passthrough()) })), ...errors } }),
    (c) => {
      const q = c.req.valid('query');
      if (q.to < q.from) throw invalid('to is before from');
      let r;
      try {
        r = statutoryInterest({ principalCents: cents(q.principal), from: q.from, to: q.to, kind: q.kind });
      } catch (e) {
        throw invalid((e as Error).message);
      }
      return c.json({ interest: formatCents(r.interestCents), periods: r.periods.map((p) => ({ from: p.from, to: p.to, days: p.days, rate: p.rate, base: formatCents(p.baseCents), interest: formatCents(p.interestCents) })), capitalisations: r.capitalisations.map((x) => ({ date: x.date, added: formatCents(x.addedCents) })) }, 200);
    },
  );
}

const KINDS = ['reminder', 'second_reminder', 'demand', 'notice_of_default', 'fourteen_day_letter', 'collection_handover', 'statement', 'payment_plan'] as const;
const TemplateSchema = z.object({ subject: z.string().max(300), greeting: z.string().max(300), body: z.array(z.string().max(4000)).min(1).max(20), closing: z.string().max(1000) }).openapi('LetterTemplate');
const TplParam = AdminParam.extend({ kind: z.enum(KINDS).openapi({ param: { name: 'kind', in: 'path' } }), lang: z.enum(['nl', 'en']).openapi({ param: { name: 'lang', in: 'path' } }) });

export function registerTemplateRoutes(app: Api, { db, today }: RouteDeps): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/templates', tags: ['Dunning'], summary: 'Letter templates per kind and language: the built-in text and the administration\'s own, if any', request: { params: AdminParam }, responses: { 200: json(z.object({}).passthrough()), ...errors } }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const own = (a.settings as { templates?: Record<string, unknown> }).templates ?? {};
      return c.json({ placeholders: PLACEHOLDERS, builtIn: LETTER_TEMPLATES, own } as never, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/administrations/{adminId}/templates/{kind}/{lang}', tags: ['Dunning'], summary: 'Save the administration\'s own wording for a letter (placeholders checked; the 14-dagenbrief must keep its statutory wording)', request: { params: TplParam, ...body(TemplateSchema) }, responses: { 200: json(TemplateSchema), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const a = await loadAdmin(db, c);
      const t = c.req.valid('json');
      const problems = validateTemplate(t).map((m) => ({ code: 'invalid', message: m }));
      if (p.kind === 'fourteen_day_letter' && !t.body.join(' ').replace(/\s+/g, ' ').includes(FOURTEEN_DAY_WORDING[p.lang])) problems.push({ code: 'statutory_wording', message: `the 14-dagenbrief must say "${FOURTEEN_DAY_WORDING[p.lang]}"` });
      if (problems.length) throw invalid('the template cannot be used', problems);
      const settings = a.settings as { templates?: Record<string, Record<string, unknown>> };
      const templates = { ...(settings.templates ?? {}), [p.kind]: { ...(settings.templates?.[p.kind] ?? {}), [p.lang]: t } };
      await changeAdministration(db, a.id, { settings: { ...a.settings, templates } });
      return c.json(t, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/administrations/{adminId}/templates/{kind}/{lang}', tags: ['Dunning'], summary: 'Go back to the built-in wording', request: { params: TplParam }, responses: { 200: json(z.object({ ok: z.boolean() })), ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const a = await loadAdmin(db, c);
      const settings = a.settings as { templates?: Record<string, Record<string, unknown>> };
      const kindT = { ...(settings.templates?.[p.kind] ?? {}) };
      delete kindT[p.lang];
      await changeAdministration(db, a.id, { settings: { ...a.settings, templates: { ...(settings.templates ?? {}), [p.kind]: kindT } } });
      return c.json({ ok: true }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/templates/{kind}/{lang}/preview', tags: ['Dunning'], summary: 'A live preview of a letter kind as PDF, with example data and the administration\'s own wording', request: { params: TplParam }, responses: { 200: { description: 'PDF' }, ...errors } }),
    async (c) => {
      const p = c.req.valid('param');
      const a = await loadAdmin(db, c);
      // an administration without its letterhead yet still sees the example (placeholders for what is missing)
      const shown = { ...a, iban: a.iban ?? 'NL91ABNA0417164300', addressLine: a.addressLine ?? 'Straat 1', postalCode: a.postalCode ?? '1000 AA', city: a.city ?? 'Amsterdam' };
      const letter = await letterFor(db, shown, exampleMessage(p.kind, p.lang, today()), today());
      return pdf(await renderLetterPdf(letter), `voorbeeld-${p.kind}-${p.lang}.pdf`) as never;
    },
  );
}

/**
 * The template editor's preview goes through letterFor, the code path of a real send: an example
 * message of the letter kind (two invoices, costs where the kind has them), dated today, with the
 * administration's own wording and the 14-dagenbrief's last day by the statutory rule.
 */
function exampleMessage(kind: (typeof KINDS)[number], lang: 'nl' | 'en', date: string): LetterSource {
  const items = [
    { number: 'F2026-0001', issueDate: addDays(date, -60), dueDate: addDays(date, -30), openCents: 121000 },
    { number: 'F2026-0002', issueDate: addDays(date, -45), dueDate: addDays(date, -15), openCents: 24200 },
  ];
  const principal = 145200;
  const costs = kind === 'notice_of_default' || kind === 'collection_handover' ? 21780 : 0;
  return {
    debtorNumber: 'D00001', debtorName: lang === 'nl' ? 'Voorbeeld Klant B.V.' : 'Example Customer Ltd', stepIndex: 0, template: `dunning/${kind}.${lang}`, language: lang, currency: 'EUR', itemIds: [],
    channel: kind === 'statement' ? 'statement' : 'letter',
    legal: { fourteenDayLetter: kind === 'fourteen_day_letter', noticeOfDefault: kind === 'notice_of_default', collectionAgency: kind === 'collection_handover' },
    items, principalCents: principal, interestCents: 0, costsCents: costs, vatCents: 0, totalCents: principal + costs,
    announcedCostsCents: kind === 'fourteen_day_letter' ? 21780 : null, fourteenDayTerm: null,
    contact: { emails: [], addressLine: 'Voorbeeldstraat 1', postalCode: '1234 AB', city: 'Utrecht', country: null },
  };
}

const SettingsSchema = z
  .object({
    schedule: z.object({ frequency: z.enum(['daily', 'weekly', 'off']), time: z.string().regex(/^\d{2}:\d{2}$/), weekday: z.number().int().min(1).max(7).optional(), autoSend: z.boolean() }).optional(),
    staleAfterDays: z.number().int().min(0).max(90).optional(),
    vatDeductible: z.boolean().optional(),
    autoBookThreshold: z.number().int().min(50).max(100).optional(),
    mailFallbackToPaper: z.boolean().optional().openapi({ description: 'without a mail server, send e-mail steps as paper letters (default: refuse them, nothing is sent)' }),
    smtp: z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535), secure: z.boolean().optional(), user: z.string().max(255).optional(), pass: z.string().max(255).optional(), from: z.string().min(3).max(255), replyTo: z.string().max(255).optional() }).nullable().optional(),
  })
  .openapi('WorkflowSettings');

/** The settings of the daily work: the dunning schedule, the bank-data gate, VAT on costs, automatic booking, the mail server. */
export function registerWorkflowSettingsRoutes(app: Api, { db }: RouteDeps): void {
  const view = (settings: Record<string, unknown>) => {
    const smtp = settings.smtp as Record<string, unknown> | undefined;
    return {
      schedule: scheduleOf(settings),
      staleAfterDays: dunningSettingsOf({ settings } as never).staleAfterDays,
      vatDeductible: settings.vatDeductible !== false,
      autoBookThreshold: matchSettingsOf({ settings } as never).autoBookThreshold,
      mailFallbackToPaper: settings.mailFallbackToPaper === true,
      // the password never leaves the server
      smtp: smtp ? { ...smtp, pass: smtp.pass ? '********' : undefined } : null,
    };
  };
  app.openapi(
    createRoute({ method: 'get', path: '/api/administrations/{adminId}/settings/workflow', tags: ['Settings'], summary: 'Dunning schedule, bank-data gate, VAT on costs, automatic booking threshold, mail server (without its password)', request: { params: AdminParam }, responses: { 200: json(z.object({}).passthrough()), ...errors } }),
    async (c) => c.json(view((await loadAdmin(db, c)).settings) as never, 200),
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/administrations/{adminId}/settings/workflow', tags: ['Settings'], summary: 'Change the workflow settings (only the fields given)', request: { params: AdminParam, ...body(SettingsSchema) }, responses: { 200: json(z.object({}).passthrough()), ...errors } }),
    async (c) => {
      const a = await loadAdmin(db, c);
      const b = c.req.valid('json');
      const next: Record<string, unknown> = { ...a.settings };
      if (b.schedule) next.dunningSchedule = b.schedule;
      if (b.staleAfterDays !== undefined) next.staleAfterDays = b.staleAfterDays;
      if (b.vatDeductible !== undefined) next.vatDeductible = b.vatDeductible;
      if (b.autoBookThreshold !== undefined) next.autoBookThreshold = b.autoBookThreshold;
      if (b.mailFallbackToPaper !== undefined) next.mailFallbackToPaper = b.mailFallbackToPaper;
      if (b.smtp === null) delete next.smtp;
      else if (b.smtp) next.smtp = { ...b.smtp, pass: b.smtp.pass === '********' ? (a.settings.smtp as { pass?: string } | undefined)?.pass : b.smtp.pass };
      const saved = await changeAdministration(db, a.id, { settings: next });
      return c.json(view(saved.settings) as never, 200);
    },
  );
}
