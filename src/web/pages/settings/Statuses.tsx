/**
 * Settings, tab Statussen: the debtor statuses, their Dutch and English labels and whether they
 * pause the chase. "normal" always stays; a status still in use cannot be removed (the server says so).
 */
import { useEffect, useState } from 'react';
import { Button, Group, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, request } from '../../api.ts';
import { apiPath } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import type { StatusDef } from '../../app/statuses.ts';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading, SectionCard } from '../../components/ui.tsx';
import { Problems } from './common.tsx';

type Row = StatusDef & { isNew?: boolean };

export function StatusesTab({ adminId, canEdit }: { adminId: number; canEdit: boolean }) {
  const { t } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['statuses', adminId], queryFn: () => get<StatusDef[]>(apiPath(adminId, '/statuses')) });
  const [rows, setRows] = useState<Row[]>([]);
  useEffect(() => { if (q.data) setRows(q.data.map((s) => ({ ...s }))); }, [q.data]);
  const save = useMutation({
    mutationFn: () => request<StatusDef[]>('PUT', apiPath(adminId, '/statuses'), { body: rows.map((r, i) => ({ key: r.key.trim(), labelNl: r.labelNl.trim(), labelEn: r.labelEn.trim(), pausesChase: r.pausesChase, sort: (i + 1) * 10 })) }),
    onSuccess: (list) => { qc.setQueryData(['statuses', adminId], list); toast.ok(t('common.saved')); },
  });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading h={300} />;
  const set = (i: number, p: Partial<Row>) => setRows((r) => r.map((x, k) => (k === i ? { ...x, ...p } : x)));
  const move = (i: number, d: -1 | 1) => setRows((r) => { const c = [...r]; const [x] = c.splice(i, 1); c.splice(i + d, 0, x!); return c; });
  const dirty = JSON.stringify(rows) !== JSON.stringify(q.data);
  return (
    <SectionCard title={t('settings.tab.statuses')} sub={t('settings.statusesSub')} testId="statuses"
      actions={canEdit ? <Group gap="xs" wrap="nowrap"><Button size="xs" variant="default" disabled={!dirty} onClick={() => { setRows(q.data.map((s) => ({ ...s }))); save.reset(); }}>{t('common.cancel')}</Button><Button size="xs" disabled={!dirty} loading={save.isPending} onClick={() => save.mutate()} data-testid="statuses-save">{t('common.save')}</Button></Group> : undefined}>
      <Problems error={save.error} />
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing={6} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={190}>{t('settings.statusKey')}</Table.Th>
              <Table.Th>{t('settings.labelNl')}</Table.Th>
              <Table.Th>{t('settings.labelEn')}</Table.Th>
              <Table.Th w={150}>{t('settings.pausesChase')}</Table.Th>
              {canEdit && <Table.Th w={130} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={r.isNew ? `new-${i}` : r.key} data-testid={r.isNew ? `status-new-${i}` : `status-${r.key}`}>
                <Table.Td>
                  {r.isNew ? <TextInput size="xs" value={r.key} placeholder="bijv. curator" aria-label={t('settings.statusKey')} onChange={(e) => set(i, { key: e.currentTarget.value.toLowerCase() })} data-testid="status-key" />
                    : <Text size="sm" ff="monospace">{r.key}</Text>}
                </Table.Td>
                <Table.Td><TextInput size="xs" value={r.labelNl} readOnly={!canEdit} aria-label={`${r.key}: ${t('settings.labelNl')}`} onChange={(e) => set(i, { labelNl: e.currentTarget.value })} data-testid="status-label-nl" /></Table.Td>
                <Table.Td><TextInput size="xs" value={r.labelEn} readOnly={!canEdit} aria-label={`${r.key}: ${t('settings.labelEn')}`} onChange={(e) => set(i, { labelEn: e.currentTarget.value })} data-testid="status-label-en" /></Table.Td>
                <Table.Td><Switch checked={r.pausesChase} disabled={!canEdit} aria-label={`${r.key}: ${t('settings.pausesChase')}`} onChange={(e) => set(i, { pausesChase: e.currentTarget.checked })} data-testid="status-pauses" /></Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Group gap={2} wrap="nowrap" justify="flex-end">
                      <Button size="compact-xs" variant="subtle" color="gray" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('settings.moveUp')}>↑</Button>
                      <Button size="compact-xs" variant="subtle" color="gray" disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={t('settings.moveDown')}>↓</Button>
                      <Button size="compact-xs" variant="subtle" color="red" disabled={r.key === 'normal'} onClick={() => setRows((x) => x.filter((_, k) => k !== i))} aria-label={t('settings.remove')}>✕</Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canEdit && <Button mt="sm" size="xs" variant="light" onClick={() => setRows((r) => [...r, { key: '', labelNl: '', labelEn: '', pausesChase: false, isNew: true }])} data-testid="status-add">{t('settings.statusAdd')}</Button>}
    </SectionCard>
  );
}
