/** The debtor's header facts: payment behaviour, credit limit and conditions, why the chase is paused. */
import type { Db, Queryable } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { addEvent } from '../../store/events.ts';
import { ev } from '../../domain/events.ts';
import { debtorBalance, getDebtorCare, listDisputes, listPlans, listPromises, listTasks, paymentHistory, pausedReasons, promiseCounts, setDebtorCare, type PausedReason } from '../../store/care.ts';
import { creditWarning, paymentBehaviour, type Behaviour } from '../../domain/care/behaviour.ts';
import { addMonths } from '../../domain/dates.ts';
import { formatMoney } from '../../domain/money.ts';
import { changeDebtor, findDebtor } from '../ledger.ts';
import { dossier } from './dossier.ts';
import { ensureStatuses, requireDate, requireDebtor, txDb, type Actor } from './common.ts';

export async function behaviourOf(db: Queryable, admin: Administration, debtorId: number, asOf: string): Promise<Behaviour> {
  requireDate('asOf', asOf);
  await requireDebtor(db, admin, debtorId);
  const h = await paymentHistory(db, admin.id, debtorId, addMonths(asOf, -12), asOf);
  const pc = await promiseCounts(db, debtorId);
  return paymentBehaviour({ asOf, paid: h.paid, open: h.open, promisesKept: pc.kept, promisesBroken: pc.broken });
}

export type Credit = {
  creditLimitCents: number | null; balanceCents: number; overdueCents: number; warning: { code: 'over_credit_limit'; overCents: number; message: string } | null;
  kvk: string | null; paymentTermDays: number | null; creditNotes: string | null;
};

export async function creditOf(db: Queryable, admin: Administration, debtorId: number, asOf: string): Promise<Credit> {
  const d = await requireDebtor(db, admin, debtorId);
  const care = (await getDebtorCare(db, admin.id, debtorId))!;
  const b = await debtorBalance(db, debtorId, asOf);
  const w = creditWarning(b.balanceCents, d.creditLimitCents);
  return {
    creditLimitCents: d.creditLimitCents, balanceCents: b.balanceCents, overdueCents: b.overdueCents,
    warning: w ? { ...w, message: `saldo ${formatMoney(b.balanceCents)} is ${formatMoney(w.overCents)} boven de kredietlimiet ${formatMoney(d.creditLimitCents!)}` } : null,
    kvk: d.kvk, paymentTermDays: d.paymentTermDays, creditNotes: care.creditNotes,
  };
}

/** Credit limit and conditions: limit, KvK number, agreed payment term, references/checks (free text). */
export async function setCredit(db: Db, admin: Administration, debtorId: number, input: { creditLimitCents?: number | null; kvk?: string | null; paymentTermDays?: number | null; creditNotes?: string | null }, asOf: string, actor: Actor = null): Promise<Credit> {
  const { creditNotes, ...fields } = input;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  await db.transaction(async (tx) => {
    const before = await getDebtorCare(tx, admin.id, debtorId);
    if (Object.keys(defined).length) await changeDebtor(txDb(db, tx), admin, debtorId, defined, actor);
    else await requireDebtor(tx, admin, debtorId);
    if (creditNotes !== undefined && before && before.creditNotes !== creditNotes) {
      await setDebtorCare(tx, admin.id, debtorId, { creditNotes });
      await addEvent(tx, admin.id, { debtorId, event: ev('debtor_updated', { creditNotes }), data: { changes: { creditNotes: { from: before.creditNotes, to: creditNotes } } }, actor });
    }
  });
  return creditOf(db, admin, debtorId, asOf);
}

export type DebtorHeader = Awaited<ReturnType<typeof debtorShow>>;

/** Everything the debtor's header shows: balance, status, segment and why, paused and why, credit, behaviour, open care records, recent timeline. */
export async function debtorShow(db: Queryable, admin: Administration, idOrNumber: number | string, asOf: string) {
  requireDate('asOf', asOf);
  const d = await findDebtor(db, admin, idOrNumber);
  const care = (await getDebtorCare(db, admin.id, d.id))!;
  const table = await ensureStatuses(db, admin);
  const status = table.find((s) => s.key === d.status) ?? { key: d.status, labelNl: d.status, labelEn: d.status, pausesChase: false, sort: 0 };
  const paused: PausedReason[] = (await pausedReasons(db, admin.id, [d.id], asOf)).get(d.id) ?? [];
  return {
    debtor: d,
    tags: care.tags,
    status,
    segment: d.segment,
    segmentReason: care.segmentReason,
    policyKey: care.policyKey,
    paused,
    credit: await creditOf(db, admin, d.id, asOf),
    behaviour: await behaviourOf(db, admin, d.id, asOf),
    promises: await listPromises(db, admin.id, { debtorId: d.id, status: 'open' }),
    disputes: await listDisputes(db, admin.id, { debtorId: d.id, status: 'open' }),
    plans: await listPlans(db, admin.id, { debtorId: d.id, status: 'active' }),
    tasks: await listTasks(db, admin.id, { debtorId: d.id, status: 'open' }),
    timeline: await dossier(db, admin, d.id, { limit: 10, current: true }),
  };
}
