/**
 * Payment plans: a debtor's open items split into instalments (explicit amounts and dates, or N
 * equal monthly ones), confirmed by a letter (PDF, stored as a document). Payments to the plan's
 * items since the plan started cover the instalments in order; an instalment unpaid past its
 * due date + grace breaks the plan: a task, a timeline entry, and the chase resumes for the whole
 * remaining amount (the plan no longer pauses the debtor).
 *
 * Interest and costs, as the plan says (interest_policy): 'suspended' (default) — not charged
 * while the plan runs, the claim stays and revives when the plan breaks; 'waived' — not charged
 * when the plan is kept; 'added' — an agreed amount (extraCents) is added to the plan as an
 * invoice item of its own, paid with the instalments.
 */
import type { Db, Queryable } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { addEvent } from '../../store/events.ts';
import { ev, type DomainEvent } from '../../domain/events.ts';
import { storeDocument, getDocument } from '../../store/documents.ts';
import { getPlan, insertPlan, insertTask, itemsByIds, itemsInActivePlans, listPlans, openInvoicesOf, paymentsSince, setPlanDocument, setPlanStatus, updateInstalments, type OpenItem, type PaymentPlan } from '../../store/care.ts';
import { checkSchedule, evaluatePlan, monthlySchedule, type Instalment } from '../../domain/care/schedule.ts';
import { addMonths } from '../../domain/dates.ts';
import { instalmentCountProblems, scheduleLimitProblems, type CareLimits } from '../../domain/care/limits.ts';
import { formatMoney } from '../../domain/money.ts';
import { isValidIban } from '../../domain/references.ts';
import { renderLetterPdf, type LetterData } from '../documents/letter.ts';
import { createItem } from '../ledger.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { careLimitsOf, careSettingsOf, requireDate, requireDebtor, syncStatus, txDb, type Actor } from './common.ts';
import type { Debtor } from '../../store/debtors.ts';

export const INTEREST_POLICIES = ['suspended', 'waived', 'added'] as const;
export type InterestPolicy = (typeof INTEREST_POLICIES)[number];

export type PlanInput = {
  debtorId: number;
  /** Default: every open invoice of the debtor. */
  itemIds?: number[];
  /** N equal monthly instalments from firstDate (default: a month from today)… */
  count?: number;
  firstDate?: string;
  /** …or an explicit schedule that adds up to the plan total. */
  schedule?: { dueDate: string; amountCents: number }[];
  graceDays?: number;
  interestPolicy?: InterestPolicy;
  /** With interestPolicy 'added': the interest and costs added to the plan. */
  extraCents?: number;
  note?: string | null;
};

export type PlanResult = PaymentPlan & { letterWarning: string | null };

/** A plan as it would be made: its items, total and schedule, checked against the policy's limits. */
export type PlanDraft = { debtor: Debtor; items: OpenItem[]; totalCents: number; extraCents: number; interestPolicy: InterestPolicy; graceDays: number; schedule: Instalment[]; currency: string; limits: CareLimits };

/**
 * Work out a plan without saving it: the one path for the preview and for the plan itself, so what
 * the user saw is what is saved. Every breach of the limits is a problem naming the allowed value;
 * nothing is clamped.
 */
async function draftPlan(q: Queryable, admin: Administration, input: PlanInput, asOf: string): Promise<PlanDraft> {
  requireDate('asOf', asOf);
  const policy = input.interestPolicy ?? 'suspended';
  if (!(INTEREST_POLICIES as readonly string[]).includes(policy)) throw invalid(`interestPolicy must be one of ${INTEREST_POLICIES.join(', ')}`);
  const extra = input.extraCents ?? 0;
  if (!Number.isSafeInteger(extra) || extra < 0 || (extra > 0 && policy !== 'added')) throw invalid('extra interest and costs are added only with interestPolicy "added"', [{ field: 'extraCents', code: 'invalid', message: 'a non-negative amount, with interestPolicy added' }]);
  const grace = input.graceDays ?? careSettingsOf(admin).planGraceDays;
  if (!Number.isInteger(grace) || grace < 0 || grace > 60) throw invalid('grace days must be 0–60', [{ field: 'graceDays', code: 'invalid', message: '0–60' }]);
  if (!input.schedule && input.count === undefined) throw invalid('give a number of instalments or a schedule', [{ field: 'schedule', code: 'required', message: 'count or schedule' }]);
  if (input.schedule && input.count !== undefined) throw invalid('give a number of instalments or a schedule, not both');
  const limits = careLimitsOf(admin);
  const debtor = await requireDebtor(q, admin, input.debtorId);
  const items = input.itemIds?.length ? await itemsByIds(q, admin.id, [...new Set(input.itemIds)]) : await openInvoicesOf(q, admin.id, debtor.id);
  if (input.itemIds?.length && (items.length !== new Set(input.itemIds).size || items.some((i) => i.debtorId !== debtor.id))) throw invalid('the plan names items that are not items of this debtor', [{ field: 'itemIds', code: 'unknown_item', message: 'not an item of this debtor' }]);
  const closed = items.filter((i) => i.openCents <= 0);
  if (closed.length) throw invalid(`${closed.map((i) => i.number).join(', ')} has nothing open`, [{ field: 'itemIds', code: 'not_open', message: 'item is not open' }]);
  if (!items.length) throw invalid(`debtor ${debtor.number} has no open items for a plan`, [{ field: 'itemIds', code: 'nothing_open', message: 'no open items', params: {} }]);
  if (new Set(items.map((i) => i.currency)).size > 1) throw invalid('a plan covers items in one currency');
  const inPlan = await itemsInActivePlans(q, items.map((i) => i.id));
  if (inPlan.length) throw new AppError('conflict', `${items.filter((i) => inPlan.includes(i.id)).map((i) => i.number).join(', ')} is already in an active payment plan`);
  const total = items.reduce((s, i) => s + i.openCents, 0) + extra;
  let schedule: Instalment[];
  if (input.schedule) {
    const problems = checkSchedule(total, input.schedule, asOf);
    if (problems.length) throw invalid(`the schedule does not fit the plan total ${formatMoney(total)}`, problems);
    schedule = input.schedule.map((s, i) => ({ seq: i + 1, dueDate: s.dueDate, amountCents: s.amountCents }));
  } else {
    const first = input.firstDate ? requireDate('firstDate', input.firstDate) : addMonths(asOf, 1);
    if (first < asOf) throw invalid(`the first instalment ${first} is before today`, [{ field: 'firstDate', code: 'past', message: `${first} is before today`, params: { min: asOf } }]);
    const countProblems = instalmentCountProblems(input.count!, total, limits);
    if (countProblems.length) throw invalid(`the plan does not fit the policy: ${countProblems.map((p) => p.message).join('; ')}`, countProblems);
    schedule = monthlySchedule(total, input.count!, first);
  }
  const problems = scheduleLimitProblems(schedule, asOf, limits);
  if (problems.length) throw invalid(`the plan does not fit the policy: ${problems.map((p) => p.message).join('; ')}`, problems);
  return { debtor, items, totalCents: total, extraCents: extra, interestPolicy: policy, graceDays: grace, schedule, currency: items[0]!.currency, limits };
}

/** The plan that createPlan would make, saved nowhere. */
export async function previewPlan(db: Db, admin: Administration, input: PlanInput, asOf: string): Promise<PlanDraft> {
  return draftPlan(db, admin, input, asOf);
}

/** The readable line of a plan on the dossier: count, amounts, first and last date, interest and costs. */
function planEvent(id: number, d: PlanDraft): DomainEvent {
  const amounts = [...new Set(d.schedule.map((s) => s.amountCents))];
  return ev('payment_plan_created', {
    id, totalCents: d.totalCents, currency: d.currency, count: d.schedule.length, eachCents: amounts.length === 1 ? amounts[0]! : null,
    first: d.schedule[0]!.dueDate, last: d.schedule[d.schedule.length - 1]!.dueDate, interest: d.interestPolicy, extraCents: d.extraCents,
  });
}

export async function createPlan(db: Db, admin: Administration, input: PlanInput, asOf: string, actor: Actor = null): Promise<PlanResult> {
  return db.transaction(async (tx) => {
    const draft = await draftPlan(tx, admin, input, asOf);
    const { debtor, items, schedule, extraCents: extra, interestPolicy: policy, graceDays: grace, totalCents: total } = draft;
    const id = await insertPlan(tx, admin.id, { debtorId: debtor.id, totalCents: total, graceDays: grace, interestPolicy: policy, note: input.note ?? null, createdBy: actor, itemIds: items.map((i) => i.id), instalments: schedule });
    if (extra > 0) {
      const it = await createItem(txDb(db, tx), admin, { debtorId: debtor.id, number: `BR-${id}`, issueDate: asOf, dueDate: schedule[schedule.length - 1]!.dueDate, amountCents: extra, currency: items[0]!.currency, description: `Rente en kosten betalingsregeling #${id}` }, actor);
      await tx.query('INSERT INTO payment_plan_items (plan_id, item_id) VALUES ($1, $2)', [id, it.id]);
    }
    let documentId: number | null = null;
    let letterWarning: string | null = null;
    if (admin.iban && isValidIban(admin.iban)) {
      const pdf = await renderLetterPdf(planLetter(admin, debtor, schedule, total, items[0]!.currency, items[0]!.paymentReference ?? debtor.number, asOf));
      documentId = await storeDocument(tx, admin.id, { filename: `betalingsregeling-${debtor.number}-${id}.pdf`, contentType: 'application/pdf', content: pdf });
      await setPlanDocument(tx, id, documentId);
    } else letterWarning = 'no confirmation letter: the administration has no valid IBAN';
    await addEvent(tx, admin.id, {
      debtorId: debtor.id, documentId,
      event: planEvent(id, draft),
      data: { planId: id, totalCents: total, itemIds: items.map((i) => i.id), instalments: schedule, interestPolicy: policy, extraCents: extra }, actor,
    });
    await syncStatus(tx, admin, debtor.id, actor);
    return { ...(await getPlan(tx, admin.id, id))!, letterWarning };
  });
}

function planLetter(admin: Administration, debtor: Debtor, schedule: readonly Instalment[], total: number, currency: string, reference: string, date: string): LetterData {
  return {
    language: debtor.language === 'en' ? 'en' : 'nl', kind: 'payment_plan', date,
    creditor: {
      name: admin.legalName ?? admin.name, addressLine: admin.addressLine ?? '', postalCode: admin.postalCode ?? '', city: admin.city ?? '', iban: admin.iban!,
      ...(admin.bic ? { bic: admin.bic } : {}), ...(admin.kvk ? { kvk: admin.kvk } : {}), ...(admin.vatNumber ? { vatNumber: admin.vatNumber } : {}), ...(admin.email ? { email: admin.email } : {}),
    },
    debtor: { name: debtor.name, number: debtor.number, addressLine: debtor.addressLine ?? '', postalCode: debtor.postalCode ?? '', city: debtor.city ?? '', ...(debtor.country ? { country: debtor.country } : {}) },
    items: schedule.map((s) => ({ number: String(s.seq), issueDate: date, dueDate: s.dueDate, openCents: s.amountCents })),
    principalCents: total, interestCents: 0, costsCents: 0, vatCents: 0, totalCents: total, currency, paymentReference: reference, payBy: schedule[0]!.dueDate,
  };
}

export async function planLetterDocument(db: Queryable, admin: Administration, planId: number) {
  const p = await getPlan(db, admin.id, planId);
  if (!p) throw notFound(`payment plan ${planId}`);
  if (!p.documentId) throw notFound(`a confirmation letter of payment plan ${planId}`);
  return (await getDocument(db, admin.id, p.documentId))!;
}

export type PlanCheck = { planId: number; debtorId: number; paidCents: number; status: PaymentPlan['status']; newlyMissed: number };

/** Check active plans as of a date: instalments paid/missed, plans completed or broken. */
export async function checkPlans(db: Db, admin: Administration, asOf: string, actor: Actor = null, only?: { debtorId?: number }): Promise<{ instalmentsMissed: number; broken: number; completed: number; results: PlanCheck[] }> {
  requireDate('asOf', asOf);
  return db.transaction(async (tx) => {
    const results: PlanCheck[] = [];
    for (const plan of await listPlans(tx, admin.id, { status: 'active', debtorId: only?.debtorId })) {
      const paid = await paymentsSince(tx, plan.itemIds, plan.createdAt, asOf);
      const evaluation = evaluatePlan(plan.instalments, paid, asOf, plan.graceDays);
      const settled = (await itemsByIds(tx, admin.id, plan.itemIds)).every((i) => i.openCents <= 0);
      const status = settled ? 'completed' : evaluation.status;
      const before = new Map(plan.instalments.map((i) => [i.seq, i.status]));
      const newlyMissed = evaluation.instalments.filter((i) => i.status === 'missed' && before.get(i.seq) !== 'missed').length;
      await updateInstalments(tx, plan.id, evaluation.instalments.map((i) => ({ seq: i.seq, paidCents: i.paidCents, status: settled ? 'paid' : i.status })));
      results.push({ planId: plan.id, debtorId: plan.debtorId, paidCents: paid, status, newlyMissed });
      if (status === 'active') continue;
      await setPlanStatus(tx, plan.id, status);
      if (status === 'completed') {
        await addEvent(tx, admin.id, { debtorId: plan.debtorId, event: ev('payment_plan_completed', { id: plan.id, totalCents: plan.totalCents }), data: { planId: plan.id, paidCents: paid }, actor });
      } else {
        const m = evaluation.firstMissed!;
        const [open] = await tx.query<{ s: number }>('SELECT coalesce(sum(open_cents), 0)::bigint AS s FROM items WHERE id = ANY($1::bigint[]) AND open_cents > 0', [plan.itemIds]);
        const taskId = await insertTask(tx, admin.id, {
          debtorId: plan.debtorId, itemIds: plan.itemIds, kind: 'plan_broken', title: `Betalingsregeling #${plan.id} vervallen: termijn ${m.seq} (${formatMoney(m.amountCents)}, ${m.dueDate}) niet betaald`,
          reason: `resterend ${formatMoney(open!.s)}`, dueDate: asOf, assignedTo: plan.createdBy, sourceType: 'payment_plan', sourceId: plan.id,
        });
        await addEvent(tx, admin.id, {
          debtorId: plan.debtorId,
          event: ev('payment_plan_broken', { id: plan.id, seq: m.seq, amountCents: m.amountCents, dueDate: m.dueDate, remainingCents: open!.s, withInterest: plan.interestPolicy === 'suspended' }),
          data: { planId: plan.id, missedSeq: m.seq, paidCents: paid, remainingCents: open!.s, taskId }, actor,
        });
      }
      await syncStatus(tx, admin, plan.debtorId, actor);
    }
    return { instalmentsMissed: results.reduce((s, r) => s + r.newlyMissed, 0), broken: results.filter((r) => r.status === 'broken').length, completed: results.filter((r) => r.status === 'completed').length, results };
  });
}

export async function cancelPlan(db: Db, admin: Administration, id: number, actor: Actor = null): Promise<PaymentPlan> {
  return db.transaction(async (tx) => {
    const p = await getPlan(tx, admin.id, id);
    if (!p) throw notFound(`payment plan ${id}`);
    if (p.status !== 'active') throw new AppError('conflict', `payment plan ${id} is ${p.status} already`);
    await setPlanStatus(tx, id, 'cancelled');
    await addEvent(tx, admin.id, { debtorId: p.debtorId, event: ev('payment_plan_cancelled', { id }), data: { planId: id }, actor });
    await syncStatus(tx, admin, p.debtorId, actor);
    return (await getPlan(tx, admin.id, id))!;
  });
}

export async function plans(db: Queryable, admin: Administration, f: { debtorId?: number; status?: string } = {}): Promise<PaymentPlan[]> {
  return listPlans(db, admin.id, f);
}

export async function findPlan(db: Queryable, admin: Administration, id: number): Promise<PaymentPlan> {
  const p = await getPlan(db, admin.id, id);
  if (!p) throw notFound(`payment plan ${id}`);
  return p;
}
