/**
 * "Collect instead of remind" (incasseren in plaats van herinneren), per debtor or per segment:
 * while such a debtor has an active mandate the dunning run leaves its invoices to the collection
 * (skip reason `collect_by_mandate`, store/care.ts loadChaseGates); an invoice whose debit came
 * back is dunned again. Changes go on the debtor's timeline.
 */
import type { Db } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { addEvents } from '../store/events.ts';
import { notFound } from './errors.ts';
import { ev } from '../domain/events.ts';

export type CollectPolicy = { debtors: { id: number; number: string; name: string }[]; segments: string[] };

export async function setDebtorCollectPolicy(db: Db, admin: Administration, debtorId: number, enabled: boolean, actor: string | null): Promise<{ debtorId: number; collectInsteadOfRemind: boolean }> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number; before: boolean }>(
      `UPDATE debtors d SET collect_instead_of_remind = $3 FROM (SELECT id, collect_instead_of_remind AS before FROM debtors WHERE administration_id = $1 AND id = $2 FOR UPDATE) o
        WHERE d.id = o.id RETURNING d.id, o.before`,
      [admin.id, debtorId, enabled],
    );
    if (!rows.length) throw notFound(`debtor ${debtorId}`);
    if (rows[0]!.before !== enabled)
      await addEvents(tx, admin.id, [{ debtorId, event: ev('collect_policy', { enabled }), data: { enabled }, actor }]);
    return { debtorId, collectInsteadOfRemind: enabled };
  });
}

export async function setSegmentCollectPolicy(db: Db, admin: Administration, key: string, enabled: boolean): Promise<{ segment: string; collectInsteadOfRemind: boolean }> {
  const rows = await db.query<{ key: string }>('UPDATE segments SET collect_instead_of_remind = $3 WHERE administration_id = $1 AND key = $2 RETURNING key', [admin.id, key, enabled]);
  if (!rows.length) throw notFound(`segment ${key}`);
  return { segment: key, collectInsteadOfRemind: enabled };
}

export async function collectPolicy(db: Db, admin: Administration): Promise<CollectPolicy> {
  const debtors = await db.query<{ id: number; number: string; name: string }>('SELECT id, number, name FROM debtors WHERE administration_id = $1 AND collect_instead_of_remind ORDER BY number', [admin.id]);
  const segments = await db.query<{ key: string }>('SELECT key FROM segments WHERE administration_id = $1 AND collect_instead_of_remind ORDER BY key', [admin.id]);
  return { debtors, segments: segments.map((s) => s.key) };
}
