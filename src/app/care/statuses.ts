/** The debtor status table (configurable; which statuses pause the chase) and status changes. */
import type { Db, Queryable } from '../../store/db.ts';
import type { Administration } from '../../store/administrations.ts';
import { addEvent } from '../../store/events.ts';
import { ev } from '../../domain/events.ts';
import { deleteStatuses, setDebtorStatus, statusesInUse, upsertStatuses, type DebtorStatus } from '../../store/care.ts';
import { KEY_PATTERN } from '../../domain/care/statuses.ts';
import { getDebtor, type Debtor } from '../../store/debtors.ts';
import { AppError, invalid, type Problem } from '../errors.ts';
import { ensureStatuses, requireDebtor, type Actor } from './common.ts';

export async function statuses(db: Queryable, admin: Administration): Promise<DebtorStatus[]> {
  return ensureStatuses(db, admin);
}

/**
 * Replace the table. 'normal' must stay (every debtor starts there); a status still used by a
 * debtor cannot be removed (conflict, naming it).
 */
export async function saveStatuses(db: Db, admin: Administration, table: readonly DebtorStatus[]): Promise<DebtorStatus[]> {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  table.forEach((s, i) => {
    if (!KEY_PATTERN.test(s.key)) problems.push({ field: `statuses[${i}].key`, code: 'invalid', message: 'lowercase letters, digits and _' });
    if (seen.has(s.key)) problems.push({ field: `statuses[${i}].key`, code: 'duplicate', message: `${s.key} twice` });
    seen.add(s.key);
    if (!s.labelNl?.trim() || !s.labelEn?.trim()) problems.push({ field: `statuses[${i}].label`, code: 'required', message: 'labelNl and labelEn are required' });
  });
  if (!seen.has('normal')) problems.push({ field: 'statuses', code: 'required', message: 'the status "normal" must stay' });
  if (problems.length) throw invalid('the status table is not valid', problems);
  return db.transaction(async (tx) => {
    const current = await ensureStatuses(tx, admin);
    const removed = current.map((s) => s.key).filter((k) => !seen.has(k));
    const used = await statusesInUse(tx, admin.id, removed);
    if (used.length) throw new AppError('conflict', `status ${used.join(', ')} is still used by debtors; change their status first`);
    await deleteStatuses(tx, admin.id, removed);
    await upsertStatuses(tx, admin.id, table.map((s, i) => ({ key: s.key, labelNl: s.labelNl.trim(), labelEn: s.labelEn.trim(), pausesChase: !!s.pausesChase, sort: s.sort ?? (i + 1) * 10 })));
    return ensureStatuses(tx, admin);
  });
}

export async function changeStatus(db: Db, admin: Administration, debtorId: number, key: string, note: string | null = null, actor: Actor = null): Promise<Debtor> {
  return db.transaction(async (tx) => {
    const d = await requireDebtor(tx, admin, debtorId);
    const table = await ensureStatuses(tx, admin);
    const s = table.find((x) => x.key === key);
    if (!s) throw invalid(`unknown status "${key}"`, [{ field: 'status', code: 'invalid', message: `one of ${table.map((x) => x.key).join(', ')}` }]);
    if (d.status !== key) {
      await setDebtorStatus(tx, admin.id, debtorId, key);
      await addEvent(tx, admin.id, { debtorId, event: ev('status_changed', { from: { key: d.status, nl: table.find((x) => x.key === d.status)?.labelNl ?? d.status, en: table.find((x) => x.key === d.status)?.labelEn ?? d.status }, to: { key, nl: s.labelNl, en: s.labelEn }, pausesChase: s.pausesChase, note: note ?? null }), data: { from: d.status, to: key, note, pausesChase: s.pausesChase }, actor });
    }
    return (await getDebtor(tx, admin.id, debtorId))!;
  });
}
