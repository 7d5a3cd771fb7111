/** Labels of debtor statuses: the administration's own table once loaded, the defaults until then. */
import { useQuery } from '@tanstack/react-query';
import { DEFAULT_STATUSES } from '../../domain/care/statuses.ts';
import { get } from '../api.ts';
import { apiPath } from './admin.tsx';
import type { Lang } from '../i18n.ts';

export type StatusDef = { key: string; labelNl: string; labelEn: string; pausesChase: boolean; sort?: number };

export function useStatuses(adminId: number): StatusDef[] {
  const q = useQuery({ queryKey: ['statuses', adminId], queryFn: () => get<StatusDef[]>(apiPath(adminId, '/statuses')), staleTime: 300_000 });
  return q.data?.length ? q.data : DEFAULT_STATUSES.map((s) => ({ ...s }));
}

export function statusLabel(statuses: StatusDef[], key: string, lang: Lang): string {
  const s = statuses.find((x) => x.key === key);
  return s ? (lang === 'nl' ? s.labelNl : s.labelEn) : key;
}

export const statusColor = (key: string): string =>
  ({ normal: 'gray', watch: 'yellow', promise: 'blue', payment_plan: 'cyan', dispute: 'grape', collection_agency: 'red', legal: 'red', written_off: 'dark', on_hold: 'orange' })[key] ?? 'gray';
