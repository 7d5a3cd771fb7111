/** The work list's query, shared by the work page and the menu's count (overdue + today). */
import { get } from '../api.ts';
import { todayIso } from '../format.ts';
import { apiPath } from './admin.tsx';

export type WorkEntry = {
  kind: 'task' | 'broken_promise' | 'missed_instalment' | 'dispute_overdue'; taskKind: string | null; taskId: number | null; title: string; dueDate: string; overdue: boolean;
  when: 'overdue' | 'today' | 'coming'; priority: 1 | 2 | 3; debtorId: number | null; debtorNumber: string | null; debtorName: string | null; assignedTo: string | null;
};

export const addDays = (d: string, n: number) => { const t = new Date(`${d}T00:00:00Z`); t.setUTCDate(t.getUTCDate() + n); return t.toISOString().slice(0, 10); };

/** The query of the work list, shared with the menu's count (which counts overdue + today). */
export const workQuery = (adminId: number, everyone: boolean) => ({
  queryKey: ['work-today', adminId, everyone ? 'everyone' : 'mine'],
  queryFn: () => get<WorkEntry[]>(apiPath(adminId, '/work-today'), { until: addDays(todayIso(), 14), everyone: everyone || undefined }),
});

