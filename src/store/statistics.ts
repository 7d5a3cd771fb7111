/**
 * The planner's statistics after bulk writes. The embedded engine (PGlite) has no autovacuum, so
 * after an import of 90,000 invoices it still plans with the row counts of an empty table: the
 * matcher's "open items of these debtors" then scans every open item once per debtor (95 s for
 * 3,000 debtors instead of 1.4 s, measured). Imports that wrote many rows refresh the statistics
 * of the tables they wrote, inside their transaction (ANALYZE counts the transaction's own new
 * rows). A PostgreSQL server analyses by itself (autovacuum), and an ANALYZE there would hold a
 * lock until commit that makes concurrent imports of other administrations wait: only PGlite.
 */
import { APP_ROLE } from './tenant.ts';
import type { Queryable } from './db.ts';

/** Rows written below which the statistics are left alone (a small change hardly moves them). */
export const ANALYZE_AFTER_ROWS = 1000;

export async function refreshStatistics(q: Queryable, engine: 'pglite' | 'postgres', tables: readonly string[], rowsWritten: number): Promise<void> {
  if (engine !== 'pglite' || rowsWritten < ANALYZE_AFTER_ROWS) return;
  // Only the tables' owner may analyse them: leave the tenant role for these statements.
  const [{ role }] = (await q.query<{ role: string }>('SELECT current_user AS role')) as [{ role: string }];
  if (role === APP_ROLE) await q.exec('RESET ROLE');
  try {
    for (const t of tables) await q.exec(`ANALYZE ${t}`);
  } finally {
    if (role === APP_ROLE) await q.exec(`SET LOCAL ROLE ${APP_ROLE}`);
  }
}
