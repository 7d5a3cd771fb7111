/**
 * Tasks for people (call back, check an agreement, review a dispute; the dunning run's phone
 * steps arrive here as kind 'dunning_phone') and the "my work today" list, which also gathers
 * broken promises, missed instalments and disputes past their deadline.
 */
import type { Db, Queryable } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { addEvent } from '../../store/events.ts';
import { ev } from '../../domain/events.ts';
import { administrationMembers } from '../../store/auth.ts';
import { assignTaskRow, completeTaskRow, getTask, insertTask, listDisputes, listPlans, listPromises, listTasks, paymentsSince, updateTaskRow, type Task, type TaskFilter, type TaskPriority } from '../../store/care.ts';
import { addDays } from '../../domain/dates.ts';
import { evaluatePlan } from '../../domain/care/schedule.ts';
import { formatMoney } from '../../domain/money.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { requireDate, requireDebtor, type Actor } from './common.ts';

export type TaskInput = { debtorId?: number | null; kind?: string; title: string; reason?: string | null; dueDate: string; assignedTo?: string | null; itemIds?: number[]; priority?: TaskPriority };

export async function createTask(db: Db, admin: Administration, input: TaskInput, actor: Actor = null): Promise<Task> {
  requireDate('dueDate', input.dueDate);
  const kind = input.kind ?? 'follow_up';
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(kind)) throw invalid('kind must be a short key like call_back', [{ field: 'kind', code: 'invalid', message: 'lowercase letters, digits and _' }]);
  if (!input.title?.trim()) throw invalid('a task needs a title', [{ field: 'title', code: 'required', message: 'title is required' }]);
  return db.transaction(async (tx) => {
    if (input.debtorId != null) await requireDebtor(tx, admin, input.debtorId);
    const itemIds = [...new Set(input.itemIds ?? [])];
    // the statement itself takes only items of this administration (store/care.ts insertTask)
    const id = await insertTask(tx, admin.id, { debtorId: input.debtorId ?? null, itemIds, kind, title: input.title.trim(), reason: input.reason ?? null, dueDate: input.dueDate, assignedTo: input.assignedTo ?? null, ...(input.priority ? { priority: input.priority } : {}) });
    if (id === null) throw invalid('the task names items that are not items of this administration', [{ field: 'itemIds', code: 'unknown_item', message: 'not an item of this administration' }]);
    if (input.debtorId != null)
      await addEvent(tx, admin.id, { debtorId: input.debtorId, event: ev('task_created', { title: input.title.trim(), dueDate: input.dueDate, assignedTo: input.assignedTo ?? null }), data: { taskId: id, kind }, actor });
    return (await getTask(tx, admin.id, id))!;
  });
}

export async function assignTask(db: Db, admin: Administration, id: number, user: string | null, actor: Actor = null): Promise<Task> {
  return db.transaction(async (tx) => {
    const t = await getTask(tx, admin.id, id);
    if (!t) throw notFound(`task ${id}`);
    await assignTaskRow(tx, id, user);
    if (t.debtorId !== null) await addEvent(tx, admin.id, { debtorId: t.debtorId, event: ev('task_assigned', { title: t.title, to: user }), data: { taskId: id, from: t.assignedTo, to: user }, actor });
    return (await getTask(tx, admin.id, id))!;
  });
}


/** Reschedule an open task or change its priority; on the debtor's timeline. */
export async function updateTask(db: Db, admin: Administration, id: number, f: { dueDate?: string; priority?: TaskPriority }, actor: Actor = null): Promise<Task> {
  if (f.dueDate !== undefined) requireDate('dueDate', f.dueDate);
  if (f.priority !== undefined && ![1, 2, 3].includes(f.priority)) throw invalid('priority is 1 (high), 2 (normal) or 3 (low)', [{ field: 'priority', code: 'invalid', message: '1, 2 or 3' }]);
  return db.transaction(async (tx) => {
    const t = await getTask(tx, admin.id, id);
    if (!t) throw notFound(`task ${id}`);
    if (t.status !== 'open') throw new AppError('conflict', `task ${id} is ${t.status} already`);
    await updateTaskRow(tx, id, f);
    const changed = {
      ...(f.dueDate !== undefined && f.dueDate !== t.dueDate ? { dueDate: f.dueDate } : {}),
      ...(f.priority !== undefined && f.priority !== t.priority ? { priority: f.priority } : {}),
    };
    if (Object.keys(changed).length && t.debtorId !== null) await addEvent(tx, admin.id, { debtorId: t.debtorId, event: ev('task_changed', { title: t.title, ...changed }), data: { taskId: id, from: { dueDate: t.dueDate, priority: t.priority }, to: f }, actor });
    return (await getTask(tx, admin.id, id))!;
  });
}

/** Complete (or cancel) a task; the outcome goes on the debtor's timeline. */
export async function completeTask(db: Db, admin: Administration, id: number, opts: { outcome?: string | null; cancel?: boolean } = {}, actor: Actor = null): Promise<Task> {
  return db.transaction(async (tx) => {
    const t = await getTask(tx, admin.id, id);
    if (!t) throw notFound(`task ${id}`);
    if (t.status !== 'open') throw new AppError('conflict', `task ${id} is ${t.status} already`);
    const status = opts.cancel ? 'cancelled' : 'done';
    await completeTaskRow(tx, id, status, opts.outcome ?? null, actor);
    if (t.debtorId !== null)
      await addEvent(tx, admin.id, { debtorId: t.debtorId, event: ev(status === 'done' ? 'task_done' : 'task_cancelled', { title: t.title, outcome: opts.outcome ?? null }), data: { taskId: id, kind: t.kind, outcome: opts.outcome ?? null }, actor });
    return (await getTask(tx, admin.id, id))!;
  });
}

/** The people tasks can be given to: members who may act (owners and controllers), by name. */
export async function assignees(db: Queryable, admin: Administration): Promise<{ name: string; email: string }[]> {
  return (await administrationMembers(db, admin.id)).filter((m) => m.role === 'owner' || m.role === 'controller').map((m) => ({ name: m.name.trim() || m.email, email: m.email }));
}

export async function tasks(db: Queryable, admin: Administration, f: TaskFilter): Promise<Task[]> {
  return listTasks(db, admin.id, f);
}

export type WorkEntry = {
  kind: 'task' | 'broken_promise' | 'missed_instalment' | 'dispute_overdue';
  /** For tasks: the task's kind (call_back, dunning_phone, broken_promise, …). */
  taskKind: string | null;
  taskId: number | null;
  title: string;
  dueDate: string;
  overdue: boolean;
  /** overdue (before today), today, or coming (within the horizon) */
  when: 'overdue' | 'today' | 'coming';
  priority: TaskPriority;
  debtorId: number | null;
  debtorNumber: string | null;
  debtorName: string | null;
  assignedTo: string | null;
  sourceType: string | null;
  sourceId: number | null;
};

/**
 * My work today: open tasks due on or before today (mine, and unassigned ones) — phone steps of
 * the dunning run included — plus what needs a person and has no task yet: promises past their
 * date + grace that no check has marked yet, instalments past due, disputes past their deadline.
 * With no user: everyone's work. With `until`, also the tasks coming up to that date (a dispute's
 * review in two weeks), marked `coming`. Highest priority first within a day.
 */
export async function workToday(db: Queryable, admin: Administration, user: string | null, asOf: string, opts: { until?: string } = {}): Promise<WorkEntry[]> {
  requireDate('asOf', asOf);
  const until = opts.until !== undefined && requireDate('until', opts.until) > asOf ? opts.until : asOf;
  const when = (due: string): WorkEntry['when'] => (due < asOf ? 'overdue' : due === asOf ? 'today' : 'coming');
  const mine = (who: string | null) => user === null || who === null || who === user;
  const open = await listTasks(db, admin.id, { status: 'open', dueBy: until, ...(user !== null ? { assignedTo: user, includeUnassigned: true } : {}), limit: 1000 });
  const allOpen = await listTasks(db, admin.id, { status: 'open', limit: 1000 });
  const hasTask = new Set(allOpen.filter((t) => t.sourceType).map((t) => `${t.sourceType}:${t.sourceId}`));
  const out: WorkEntry[] = open.map((t) => ({
    kind: 'task', taskKind: t.kind, taskId: t.id, title: t.title, dueDate: t.dueDate, overdue: t.dueDate < asOf, when: when(t.dueDate), priority: t.priority, debtorId: t.debtorId, debtorNumber: t.debtorNumber, debtorName: t.debtorName,
    assignedTo: t.assignedTo, sourceType: t.sourceType, sourceId: t.sourceId,
  }));
  const names = new Map<number, { number: string; name: string }>();
  const debtorOf = async (id: number) => {
    if (!names.has(id)) {
      const [d] = await db.query<{ number: string; name: string }>('SELECT number, name FROM debtors WHERE id = $1', [id]);
      names.set(id, d ?? { number: '?', name: '?' });
    }
    return names.get(id)!;
  };
  for (const p of await listPromises(db, admin.id, { status: 'open' })) {
    const until = addDays(p.promisedDate, p.graceDays);
    if (until >= asOf || !mine(p.createdBy) || hasTask.has(`promise:${p.id}`)) continue;
    const d = await debtorOf(p.debtorId);
    out.push({ kind: 'broken_promise', taskKind: null, taskId: null, title: `Belofte ${formatMoney(p.amountCents)} op ${p.promisedDate} niet nagekomen?`, dueDate: until, overdue: true, when: 'overdue', priority: 1, debtorId: p.debtorId, debtorNumber: d.number, debtorName: d.name, assignedTo: p.createdBy, sourceType: 'promise', sourceId: p.id });
  }
  for (const plan of await listPlans(db, admin.id, { status: 'active' })) {
    if (!mine(plan.createdBy) || hasTask.has(`payment_plan:${plan.id}`)) continue;
    const paid = await paymentsSince(db, plan.itemIds, plan.createdAt, asOf);
    const ev = evaluatePlan(plan.instalments, paid, asOf, plan.graceDays);
    const d = await debtorOf(plan.debtorId);
    for (const i of ev.instalments.filter((x) => x.late))
      out.push({ kind: 'missed_instalment', taskKind: null, taskId: null, title: `Termijn ${i.seq} van ${formatMoney(i.amountCents)} (${i.dueDate}) niet (geheel) betaald`, dueDate: i.dueDate, overdue: true, when: 'overdue', priority: 1, debtorId: plan.debtorId, debtorNumber: d.number, debtorName: d.name, assignedTo: plan.createdBy, sourceType: 'payment_plan', sourceId: plan.id });
  }
  for (const dsp of await listDisputes(db, admin.id, { status: 'open', pastDeadline: asOf })) {
    if (!mine(dsp.owner)) continue;
    const taskOpen = open.some((t) => t.sourceType === 'dispute' && t.sourceId === dsp.id);
    if (taskOpen) continue;
    const d = await debtorOf(dsp.debtorId);
    out.push({ kind: 'dispute_overdue', taskKind: null, taskId: null, title: `Geschil #${dsp.id} (${dsp.reason}) over de termijn (${dsp.deadline})`, dueDate: dsp.deadline!, overdue: true, when: 'overdue', priority: 2, debtorId: dsp.debtorId, debtorNumber: d.number, debtorName: d.name, assignedTo: dsp.owner, sourceType: 'dispute', sourceId: dsp.id });
  }
  const rank = { overdue: 0, today: 1, coming: 2 } as const;
  return out.sort((a, b) => rank[a.when] - rank[b.when] || (a.when === 'coming' ? a.dueDate.localeCompare(b.dueDate) : 0) || a.priority - b.priority || a.dueDate.localeCompare(b.dueDate) || (a.debtorNumber ?? '').localeCompare(b.debtorNumber ?? ''));
}
