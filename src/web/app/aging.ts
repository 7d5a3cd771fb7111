import { bucketDueDates, type AgingKey } from '../../domain/aging.ts';

/** The item list holding exactly a bar of the aging chart: its due dates as of the dashboard's date. */
export function bucketQuery(key: AgingKey, asOf: string): string {
  const { dueFrom, dueTo } = bucketDueDates(key, asOf);
  const q = new URLSearchParams({ status: key === 'not_due' ? 'open' : 'overdue' });
  if (dueFrom) q.set('dueFrom', dueFrom);
  if (dueTo) q.set('dueTo', dueTo);
  return q.toString();
}
