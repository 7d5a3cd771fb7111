/**
 * Overzicht: for someone working in several administrations (an accountant's office), each
 * administration's outstanding and overdue amounts, bank lines waiting for review and open tasks.
 * A row (click or Enter) switches to that administration.
 */
import { Badge, Card, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { get } from '../api.ts';
import { rememberAdmin, useAdmin } from '../app/admin.tsx';
import { useLocale } from '../app/locale.tsx';
import { ErrorState, Loading, Money, PageHeader } from '../components/ui.tsx';
import type { Key } from '../i18n.ts';

type Row = { administrationId: number; name: string; role: string; open: string; overdue: string; openItems: number; overdueItems: number; bankLinesToReview: number; openTasks: number; tasksDue: number; openDisputes: number };
export type OverviewData = { asOf: string; administrations: Row[] };

export default function Overview() {
  const { t, f } = useLocale();
  const { adminId } = useAdmin();
  const navigate = useNavigate();
  const q = useQuery({ queryKey: ['overview'], queryFn: () => get<OverviewData>('/overview') });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading h={400} />;
  const rows = q.data.administrations;
  const go = (id: number) => { rememberAdmin(id); navigate(`/a/${id}`); };
  const sum = (k: 'open' | 'overdue') => rows.reduce((s, r) => s + Number(r[k]), 0);
  const sumN = (k: 'bankLinesToReview' | 'openTasks' | 'openDisputes') => rows.reduce((s, r) => s + r[k], 0);
  const th = { fontSize: 12, textTransform: 'uppercase' as const, letterSpacing: '.03em', color: 'var(--mantine-color-gray-7)' };
  return (
    <>
      <PageHeader title={t('overview.title')} sub={t('overview.sub', { date: f.date(q.data.asOf) })} />
      <Card padding={0} data-testid="overview">
        <Table.ScrollContainer minWidth={820}>
          <Table highlightOnHover verticalSpacing={10} fz="sm" data-testid="overview-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th style={th}>{t('overview.administration')}</Table.Th>
                <Table.Th style={{ ...th, textAlign: 'right' }}>{t('overview.open')}</Table.Th>
                <Table.Th style={{ ...th, textAlign: 'right' }}>{t('overview.overdue')}</Table.Th>
                <Table.Th style={{ ...th, textAlign: 'right' }}>{t('overview.review')}</Table.Th>
                <Table.Th style={{ ...th, textAlign: 'right' }}>{t('overview.tasks')}</Table.Th>
                <Table.Th style={{ ...th, textAlign: 'right' }}>{t('overview.disputes')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => {
                const pct = Number(r.open) > 0 ? Number(r.overdue) / Number(r.open) : 0;
                return (
                  <Table.Tr key={r.administrationId} onClick={() => go(r.administrationId)} style={{ cursor: 'pointer', background: r.administrationId === adminId ? 'var(--mantine-color-brand-0)' : undefined }} data-testid={`overview-row-${r.administrationId}`}>
                    <Table.Td>
                      <UnstyledButton onClick={(e) => { e.stopPropagation(); go(r.administrationId); }} fw={600} fz="sm" c="brand.8">{r.name}</UnstyledButton>
                      <Group gap={6} mt={2}>
                        <Badge size="xs" color="gray">{t(`settings.role.${r.role}` as Key)}</Badge>
                        {r.administrationId === adminId && <Badge size="xs" color="brand">{t('overview.current')}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right" className="num"><Money value={r.open} strong /><Text size="xs" c="dimmed">{t('overview.items', { n: f.number(r.openItems) })}</Text></Table.Td>
                    <Table.Td ta="right" className="num"><Money value={r.overdue} color={pct > 0.3 ? 'red.7' : undefined} /><Text size="xs" c="dimmed">{f.percent(pct)} · {t('overview.items', { n: f.number(r.overdueItems) })}</Text></Table.Td>
                    <Table.Td ta="right">{r.bankLinesToReview > 0 ? <Badge color="yellow" variant="light">{f.number(r.bankLinesToReview)}</Badge> : <Text size="sm" c="dimmed">0</Text>}</Table.Td>
                    <Table.Td ta="right"><Text size="sm" fw={r.openTasks ? 600 : undefined}>{f.number(r.openTasks)}</Text>{r.tasksDue > 0 && <Text size="xs" c="orange.8">{t('overview.tasksDue', { n: f.number(r.tasksDue) })}</Text>}</Table.Td>
                    <Table.Td ta="right"><Text size="sm" c={r.openDisputes ? undefined : 'dimmed'}>{f.number(r.openDisputes)}</Text></Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
            {rows.length > 1 && (
              <Table.Tfoot>
                <Table.Tr style={{ borderTop: '2px solid var(--mantine-color-gray-3)' }}>
                  <Table.Td fw={600}>{t('overview.total')}</Table.Td>
                  <Table.Td ta="right"><Money value={sum('open')} strong /></Table.Td>
                  <Table.Td ta="right"><Money value={sum('overdue')} strong /></Table.Td>
                  <Table.Td ta="right" fw={600}>{f.number(sumN('bankLinesToReview'))}</Table.Td>
                  <Table.Td ta="right" fw={600}>{f.number(sumN('openTasks'))}</Table.Td>
                  <Table.Td ta="right" fw={600}>{f.number(sumN('openDisputes'))}</Table.Td>
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </Table.ScrollContainer>
      </Card>
    </>
  );
}
