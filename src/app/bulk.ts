/**
 * One action on many debtors at once (selected in the list): put on hold, release, or set a
 * status. Every id is checked against the administration first: one id of another administration
 * (or of none) refuses the whole request and changes nothing. Then each debtor goes through the
 * same use case as a single action, so the dossier records each change as it would one by one.
 */
import type { Db } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { existingDebtorIds } from '../store/debtors.ts';
import { setDebtorHold, type Actor } from './ledger.ts';
import { changeStatus, statuses } from './care.ts';
import { AppError, invalid } from './errors.ts';

export const BULK_MAX = 500;
export type BulkAction = { kind: 'hold'; reason: string } | { kind: 'release' } | { kind: 'status'; status: string; note?: string | null };
export type BulkResult = { changed: number; failed: { debtorId: number; code: string; message: string }[] };

export async function bulkDebtors(db: Db, admin: Administration, ids: readonly number[], action: BulkAction, actor: Actor = null): Promise<BulkResult> {
  const unique = [...new Set(ids)];
  if (!unique.length) throw invalid('select at least one debtor', [{ field: 'ids', code: 'required', message: 'select at least one debtor' }]);
  if (unique.length > BULK_MAX) throw invalid(`at most ${BULK_MAX} debtors at once`, [{ field: 'ids', code: 'too_many', message: `at most ${BULK_MAX} debtors at once` }]);
  const known = await existingDebtorIds(db, admin.id, unique);
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length) throw invalid('unknown debtors', [{ field: 'ids', code: 'not_found', message: `no debtors of this administration: ${unknown.slice(0, 10).join(', ')}` }]);
  if (action.kind === 'hold' && !action.reason.trim()) throw invalid('a reason is required to put debtors on hold', [{ field: 'reason', code: 'required', message: 'reason is required' }]);
  if (action.kind === 'status' && !(await statuses(db, admin)).some((s) => s.key === action.status))
    throw invalid(`unknown status "${action.status}"`, [{ field: 'status', code: 'invalid', message: `unknown status "${action.status}"` }]);
  const result: BulkResult = { changed: 0, failed: [] };
  for (const id of unique) {
    try {
      if (action.kind === 'hold') await setDebtorHold(db, admin, id, true, action.reason, actor);
      else if (action.kind === 'release') await setDebtorHold(db, admin, id, false, null, actor);
      else await changeStatus(db, admin, id, action.status, action.note ?? null, actor);
      result.changed++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      result.failed.push({ debtorId: id, code: e.code, message: e.message });
    }
  }
  return result;
}
