/**
 * The dunning run: load → decide (domain/dunning/plan.ts, pure) → commit.
 *
 * A preview plans and writes nothing. Sending plans again inside one transaction and writes every
 * message to the outbox (dunning_actions) together with the step it reaches for each item
 * (dunning_history): a dedupe key per message and a key per (item, step) make the same step for the
 * same items impossible twice, whoever runs it and however often. Delivery (dunning-delivery.ts)
 * then renders and sends what the outbox holds, exactly once or visibly not.
 */
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { lockAdministration } from '../store/administrations.ts';
import { addEvents, type NewEvent } from '../store/events.ts';
import { ev, moveNote, plainFormat, type MoveNote } from '../domain/events.ts';
import { existingDedupeKeys, listPolicies, listRuns, planDebtors, planHistory, planItems, upsertPolicy } from '../store/dunning.ts';
import { countByState, insertAction, openCredits, pendingSteps, statesPerRun, undeliveredEmailSteps } from '../store/outbox.ts';
import { initialState, type Delivery, type StateCounts } from '../domain/dunning/outbox.ts';
import { mailForAdministration, paperFallbackOf } from './mail/config.ts';
import { loadChaseGates } from '../store/care.ts';
import { planRun, type ItemHistory, type PlanInput, type PlannedMessage, type RunPlan, type SentStep } from '../domain/dunning/plan.ts';
import { BUILT_IN_POLICIES, DEFAULT_POLICY, LARGE_ACCOUNT_POLICY, validatePolicy, type DunningPolicy } from '../domain/dunning/policy.ts';
import { isIsoDate } from '../domain/dates.ts';
import { formatCents } from '../domain/money.ts';
import { bankDataStatus, staleAfterDaysOf } from './bank.ts';
import { packageFreshness, packageOwnsPayments } from './connectors/connections.ts';
import { AppError, invalid } from './errors.ts';

/** scope: plan only these debtors (one letter's preview); a run always plans everyone. */
export type RunOptions = { asOf: string; override?: boolean; scope?: { debtorIds: number[] }; actor?: string | null; trigger?: 'manual' | 'schedule' | 'api'; only?: { dedupeKeys?: string[]; debtorIds?: number[] } };

export type DunningSettings = { vatDeductible: boolean; staleAfterDays: number };

export function dunningSettingsOf(admin: Administration): DunningSettings {
  const s = admin.settings as { vatDeductible?: unknown };
  return { vatDeductible: s.vatDeductible !== false, staleAfterDays: staleAfterDaysOf(admin) };
}

/** The administration's policies; the built-in ones when it has none yet (default + large accounts). */
export async function policiesOf(q: Queryable, admin: Administration): Promise<DunningPolicy[]> {
  const rows = await listPolicies(q, admin.id);
  if (!rows.length) return BUILT_IN_POLICIES.map((p) => ({ ...p }));
  return rows.map((r) => ({
    ...r.definition,
    key: r.key,
    name: r.name,
    appliesTo: r.is_default ? { kind: 'administration' } : r.segment ? { kind: 'segment', segment: r.segment } : { kind: 'debtor', debtorIds: [] },
  }));
}

export async function savePolicy(db: Db, admin: Administration, p: DunningPolicy, scope: { isDefault?: boolean; segment?: string | null } = {}): Promise<DunningPolicy[]> {
  const problems = validatePolicy(p).filter((x) => x.severity === 'error');
  if (problems.length) throw invalid(`policy ${p.key} is not valid`, problems.map((x) => ({ field: x.field, code: x.code, message: x.message })));
  await db.transaction(async (tx) => {
    if (!(await listPolicies(tx, admin.id)).length) {
      await upsertPolicy(tx, admin.id, DEFAULT_POLICY, { isDefault: true, segment: null });
      await upsertPolicy(tx, admin.id, LARGE_ACCOUNT_POLICY, { isDefault: false, segment: 'large_account' });
    }
    await upsertPolicy(tx, admin.id, p, { isDefault: scope.isDefault ?? false, segment: scope.segment ?? null });
  });
  return policiesOf(db, admin);
}

async function loadInput(q: Queryable, admin: Administration, opts: RunOptions): Promise<{ input: PlanInput; contacts: Map<string, Awaited<ReturnType<typeof planDebtors>>[number]> }> {
  if (!isIsoDate(opts.asOf)) throw invalid(`as-of date must be YYYY-MM-DD, not "${opts.asOf}"`);
  const settings = dunningSettingsOf(admin);
  const bank = await bankDataStatus(q, admin, opts.asOf);
  const policies = await policiesOf(q, admin);
  const fourteen = new Set(policies.flatMap((p) => p.steps.filter((s) => s.legal.fourteenDayLetter).map((s) => s.key)));
  const gates = await loadChaseGates(q, admin.id, opts.asOf);
  const debtors = await planDebtors(q, admin.id, opts.scope?.debtorIds);
  const items = await planItems(q, admin.id, opts.scope?.debtorIds);
  // A segment may choose a policy (segments.policy_key): it applies unless the debtor names its own.
  const segmentPolicy = new Map((await q.query<{ key: string; policy_key: string | null }>('SELECT key, policy_key FROM segments WHERE administration_id = $1 AND policy_key IS NOT NULL', [admin.id])).map((r) => [r.key, r.policy_key!]));
  const known = new Set(policies.map((p) => p.key));
  const planDebtorsWithGates = debtors.map((d) => {
    const id = Number(d.id);
    const promise = gates.promiseByDebtor.get(id);
    const segPolicy = d.segment ? segmentPolicy.get(d.segment) : undefined;
    return {
      ...d,
      policyId: d.policyId ?? (segPolicy && known.has(segPolicy) ? segPolicy : null),
      statusPausesChase: gates.pausedStatuses.has(d.status ?? 'normal'),
      hasActivePaymentPlan: gates.planDebtors.has(id),
      promiseUntil: promise?.until ?? null,
      promiseItemIds: promise && promise.itemIds !== 'all' ? promise.itemIds.map(String) : null,
    };
  });
  const input: PlanInput = {
    asOf: opts.asOf,
    settings: {
      vatDeductible: settings.vatDeductible, staleAfterDays: settings.staleAfterDays, lastBankImportDate: bank.lastStatementDate, unmatchedWaiting: bank.waitingForReview, override: opts.override ?? false,
      bankGate: !packageOwnsPayments(admin),
      packageData: (await packageFreshness(q, admin)).map((p) => ({ name: p.name, ageHours: p.ageHours, maxHours: p.maxHours, paused: p.status === 'paused', review: p.review })),
    },
    debtors: planDebtorsWithGates,
    items: items.map((i) => {
      const disputed = gates.disputedItems.has(Number(i.id)), collecting = gates.collectingItems.has(Number(i.id));
      const byMandate = !collecting && gates.collectDebtors.has(Number(i.debtorId)) && !gates.returnedItems.has(Number(i.id));
      return disputed || collecting || byMandate ? { ...i, ...(disputed ? { disputed: true } : {}), ...(collecting ? { inCollection: true } : {}), ...(byMandate ? { collectByMandate: true } : {}) } : i;
    }),
    history: await historyWithPending(q, admin.id, fourteen, opts.scope?.debtorIds),
    policies,
    sentDedupeKeys: await existingDedupeKeys(q, admin.id),
  };
  return { input, contacts: new Map(debtors.map((d) => [d.id, d])) };
}

/** Reached steps (dunning_history) and the steps still on their way (the outbox): their items wait. */
async function historyWithPending(q: Queryable, administrationId: number, fourteen: ReadonlySet<string>, debtorIds?: readonly number[]): Promise<ItemHistory[]> {
  const reached = await planHistory(q, administrationId, fourteen, debtorIds);
  const pending = await pendingSteps(q, administrationId, debtorIds);
  if (!pending.length) return reached;
  const extra = new Map<string, SentStep[]>();
  for (const p of pending) {
    const k = String(p.item_id);
    extra.set(k, [...(extra.get(k) ?? []), { stepKey: p.step_key, sentDate: p.letter_date ?? '0001-01-01', pending: true }]);
  }
  return [...reached, ...[...extra].map(([itemId, sent]) => ({ itemId, sent }))];
}

/** What the run would do as of a date: nothing is written. */
export async function previewRun(db: Queryable, admin: Administration, opts: RunOptions): Promise<RunPlan> {
  const { input } = await loadInput(db, admin, opts);
  return selectMessages(planRun(input), opts.only);
}

function selectMessages(plan: RunPlan, only: RunOptions['only']): RunPlan {
  if (!only?.dedupeKeys && !only?.debtorIds) return plan;
  const keys = only.dedupeKeys ? new Set(only.dedupeKeys) : null;
  const debtors = only.debtorIds ? new Set(only.debtorIds.map(String)) : null;
  const keep = (m: PlannedMessage) => (!keys || keys.has(m.dedupeKey)) && (!debtors || debtors.has(m.debtorId));
  return { ...plan, messages: plan.messages.filter(keep), wouldSend: plan.wouldSend.filter(keep) };
}

/** Why an e-mail step was not put in the outbox. */
export type Refusal = { reason: 'no_mail_server'; messages: number; message: { nl: string; en: string } };

export type SendResult = {
  runId: number; blocked: RunPlan['blocked']; queued: number; tasks: number; duplicates: number; skipped: number; plan: RunPlan;
  /** E-mails in the outbox, letters to print. */
  email: number; paper: number;
  /** E-mail steps refused (no mail server and no paper fallback): nothing was written for them; the next run plans them again. */
  refused: Refusal | null;
  /** The run's messages per outbox state, right after the run (delivery moves them on). */
  states: StateCounts;
};

const NO_MAIL_SERVER = (n: number): Refusal => ({
  reason: 'no_mail_server',
  messages: n,
  message: {
    nl: `${n} e-mail${n === 1 ? '' : 's'} niet verstuurd: er is geen mailserver ingesteld. Stel er een in bij Instellingen (of zet "e-mail zonder mailserver als brief versturen" aan) en start de ronde opnieuw.`,
    en: `${n} e-mail${n === 1 ? '' : 's'} not sent: no mail server is configured. Set one in Settings (or turn on "send e-mail steps as letters without a mail server") and run again.`,
  },
});

/**
 * Send: plan again inside one transaction and put every message in the outbox, each in its first
 * state (e-mail: queued; paper: to_print; phone: a task). No step is reached here: delivery reaches
 * it (sent, posted). Without a mail server the e-mail steps are refused, or become letters on paper
 * when the administration chose that. Refused as a whole (nothing queued, the run recorded as
 * blocked) while the bank data is stale or payments wait for review, unless `override`.
 */
export async function sendRun(db: Db, admin: Administration, opts: RunOptions): Promise<SendResult> {
  return db.transaction(async (tx) => {
    await lockAdministration(tx, admin.id);
    const { input, contacts } = await loadInput(tx, admin, opts);
    const plan = selectMessages(planRun(input), opts.only);
    const summary = { messages: plan.messages.length, wouldSend: plan.wouldSend.length, skipped: plan.skipped.length, totals: plan.totals, blocks: plan.blocks.map((b) => b.reason), overridden: plan.overridden };
    const [run] = await tx.query<{ id: number }>(
      `INSERT INTO dunning_runs (administration_id, as_of, mode, status, override, trigger, summary, actor) VALUES ($1, $2, 'send', $3, $4, $5, $6, $7) RETURNING id`,
      [admin.id, opts.asOf, plan.blocked ? 'blocked' : 'queued', opts.override ?? false, opts.trigger ?? 'manual', JSON.stringify(summary), opts.actor ?? null],
    );
    const runId = run!.id;
    if (plan.blocked) return { runId, blocked: plan.blocked, queued: 0, tasks: 0, duplicates: 0, skipped: plan.skipped.length, plan, email: 0, paper: 0, refused: null, states: {} };
    if (plan.messages.some((m) => m.channel !== 'phone')) assertLetterhead(admin);
    const mailServer = mailForAdministration(admin) !== null;
    const fallback = paperFallbackOf(admin);
    const retryOnPaper = fallback ? await undeliveredEmailSteps(tx, admin.id) : new Set<string>();
    const creditRows = await openCredits(tx, admin.id, [...new Set(plan.messages.filter((m) => m.channel !== 'phone').map((m) => Number(m.debtorId)))]);
    let queued = 0, tasks = 0, duplicates = 0, email = 0, paper = 0, refusedN = 0;
    const events: NewEvent[] = [];
    for (const m of plan.messages) {
      const contact = contacts.get(m.debtorId);
      const itemIds = m.itemIds.map(Number);
      const phone = m.channel === 'phone';
      const hasAddress = (contact?.emails.length ?? 0) > 0;
      let delivery: Delivery;
      let why: MoveNote | null = null;
      if (phone) delivery = 'task';
      else if (m.channel === 'letter') delivery = 'paper';
      else if (!hasAddress) (delivery = 'paper'), (why = { code: 'no_email' });
      else if (!mailServer) {
        if (!fallback) {
          refusedN++;
          continue;
        }
        delivery = 'paper';
        why = { code: 'no_mail_server' };
      } else if (retryOnPaper.has(`${m.debtorId}:${m.stepKey}`)) (delivery = 'paper'), (why = { code: 'email_failed_before' });
      else delivery = 'email';
      const credits = m.channel === 'statement' ? [] : creditRows
        .filter((c) => String(c.debtor_id) === m.debtorId && c.currency === m.currency)
        .map((c) => ({ itemId: String(c.id), kind: c.kind, number: c.number, date: c.issue_date, openCents: c.open_cents }));
      const message = {
        ...m, v: 2, letterDate: opts.asOf, credits,
        contact: contact ? { emails: contact.emails, addressLine: contact.addressLine, postalCode: contact.postalCode, city: contact.city, country: contact.country } : null,
      };
      const a = await insertAction(tx, admin.id, {
        runId, debtorId: Number(m.debtorId), stepKey: m.stepKey, channel: m.channel, delivery, dedupeKey: m.dedupeKey, itemIds, message, letterDate: opts.asOf,
        state: initialState(delivery), actor: opts.actor ?? null, detail: why ? moveNote(why, 'nl', plainFormat('nl')) : null,
      });
      if (!a) {
        duplicates++;
        continue;
      }
      if (phone) {
        await tx.query(
          `INSERT INTO tasks (administration_id, debtor_id, item_ids, kind, title, reason, due_date, source_type, source_id)
           VALUES ($1, $2, $3, 'dunning_phone', $4, $5, $6, 'dunning_action', $7) ON CONFLICT DO NOTHING`,
          [admin.id, Number(m.debtorId), itemIds, `Bel ${m.debtorName}`, `${m.stepName}: ${m.items.length} vervallen post(en), ${formatCents(m.totalCents)} ${m.currency}`, opts.asOf, a.id],
        );
        tasks++;
      } else {
        queued++;
        if (delivery === 'email') email++;
        else paper++;
      }
      const credit = credits.reduce((s, c) => s + c.openCents, 0);
      events.push({
        debtorId: Number(m.debtorId),
        event: ev(phone ? 'dunning_task' : delivery === 'email' ? 'dunning_queued' : 'dunning_to_print', { step: m.stepName, numbers: m.items.map((i) => i.number), totalCents: m.totalCents, currency: m.currency, creditCents: credit, note: why }),
        data: { runId, actionId: a.id, stepKey: m.stepKey, channel: m.channel, delivery, itemIds, totalCents: m.totalCents, creditCents: credit, costsCents: m.costsCents, interestCents: m.interestCents, to: a.status },
        actor: opts.actor ?? null,
      });
    }
    const stepNames = new Map<string, string>((input.policies ?? []).flatMap((p) => p.steps.map((s) => [s.key, s.name] as [string, string])));
    const skippedEvents: NewEvent[] = plan.skipped
      .filter((s) => s.stepKey && s.reason !== 'already_sent' && s.reason !== 'not_due_yet' && s.reason !== 'awaiting_delivery')
      .slice(0, 5000)
      .map((s) => ({ debtorId: Number(s.debtorId), itemId: s.itemId ? Number(s.itemId) : null, event: ev('dunning_skipped', { step: stepNames.get(s.stepKey!) ?? s.stepKey!, reason: s.reason, message: s.message }), data: { runId, reason: s.reason, stepKey: s.stepKey }, actor: opts.actor ?? null }));
    await addEvents(tx, admin.id, [...events, ...skippedEvents]);
    const refused = refusedN ? NO_MAIL_SERVER(refusedN) : null;
    // a run that put nothing in the outbox is done: it never says "in the outbox"
    await tx.query(`UPDATE dunning_runs SET summary = summary || $2::jsonb, status = CASE WHEN $3 THEN 'done' ELSE status END WHERE id = $1`, [runId, JSON.stringify({ queued, tasks, duplicates, email, paper, refused }), queued + tasks === 0]);
    const states = await countByState(tx, admin.id, { runId });
    return { runId, blocked: null, queued, tasks, duplicates, skipped: plan.skipped.length, plan, email, paper, refused, states };
  });
}

/** Letters need the creditor's name, address and IBAN (for the payment details and the QR code). */
export function assertLetterhead(admin: Administration): void {
  const missing = ([['iban', admin.iban], ['addressLine', admin.addressLine], ['postalCode', admin.postalCode], ['city', admin.city]] as const).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length)
    throw invalid(`letters need the administration's ${missing.join(', ')}: set them first (vorder admin set, or the settings page)`, missing.map((f) => ({ field: f, code: 'required', message: `${f} is empty` })));
}

/** The runs, newest first, each with its messages per outbox state now (they move on as delivery proceeds). */
export async function runHistory(q: Queryable, admin: Administration, limit = 50) {
  const runs = await listRuns(q, admin.id, limit);
  const states = await statesPerRun(q, admin.id, runs.map((r) => r.id));
  return runs.map((r) => ({ id: r.id, asOf: r.as_of, mode: r.mode, status: r.status, override: r.override, trigger: r.trigger, summary: r.summary, actor: r.actor, createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at), states: states.get(r.id) ?? {} }));
}

export function assertNotBlocked(r: SendResult): void {
  if (r.blocked) throw new AppError('stale_bank_data', r.blocked.message.en);
}
