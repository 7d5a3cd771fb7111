/**
 * Settings, tab Aanmaanbeleid: each dunning policy with its steps in a table. The delay, channel
 * and minimum amount of a step can be changed; saving sends the whole policy (PUT …/dunning/policies/{key}).
 */
import { useEffect, useState } from 'react';
import { Badge, Button, Group, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, request } from '../../api.ts';
import { apiPath } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import { parseAmountInput } from '../../format.ts';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading, SectionCard } from '../../components/ui.tsx';
import type { Key } from '../../i18n.ts';
import { Problems } from './common.tsx';

type Step = { key: string; name: string; basis: string; delayDays: number; channel: string; minimumCents?: number; audience?: string; [k: string]: unknown };
type Policy = { key: string; name: string; steps: Step[]; appliesTo?: { kind: string; segment?: string }; [k: string]: unknown };
const CHANNELS = ['email', 'letter', 'phone', 'statement'] as const;

export function PoliciesTab({ adminId, canEdit }: { adminId: number; canEdit: boolean }) {
  const { t } = useLocale();
  const q = useQuery({ queryKey: ['dunning-policies', adminId], queryFn: () => get<Policy[]>(apiPath(adminId, '/dunning/policies')) });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading h={300} />;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">{t('settings.policiesSub')}</Text>
      {q.data.map((p) => <PolicyCard key={p.key} adminId={adminId} policy={p} canEdit={canEdit} />)}
    </Stack>
  );
}

function PolicyCard({ adminId, policy, canEdit }: { adminId: number; policy: Policy; canEdit: boolean }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const toRows = (p: Policy) => p.steps.map((s) => ({ ...s, minimum: s.minimumCents !== undefined ? f.number(s.minimumCents / 100, 2) : '' }));
  const [rows, setRows] = useState(() => toRows(policy));
  useEffect(() => setRows(toRows(policy)), [policy]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = (i: number, p: Partial<(typeof rows)[number]>) => setRows((r) => r.map((x, k) => (k === i ? { ...x, ...p } : x)));
  const save = useMutation({
    mutationFn: () => {
      const steps = rows.map(({ minimum, ...s }) => {
        const m = minimum.trim() ? parseAmountInput(minimum) : null;
        const { minimumCents: _old, ...rest } = s;
        if (minimum.trim() && m === null) throw new Error(t('settings.invalidAmount', { step: s.name }));
        return m !== null ? { ...rest, minimumCents: Math.round(Number(m) * 100) } : rest;
      });
      const { key: _k, appliesTo: _a, ...rest } = policy;
      return request<Policy[]>('PUT', apiPath(adminId, `/dunning/policies/${encodeURIComponent(policy.key)}`), { body: { policy: { ...rest, steps } } });
    },
    onSuccess: (list) => { qc.setQueryData(['dunning-policies', adminId], list); toast.ok(t('common.saved')); },
  });
  const applies = policy.appliesTo?.kind === 'segment' ? t('settings.policyForSegment', { segment: policy.appliesTo.segment ?? '' }) : t('settings.policyDefault');
  const dirty = JSON.stringify(rows) !== JSON.stringify(toRows(policy));
  return (
    <SectionCard title={policy.name} sub={<Group gap={6} component="span"><Badge size="sm" color="gray">{policy.key}</Badge><span>{applies}</span></Group>} testId={`policy-${policy.key}`}
      actions={canEdit ? <Group gap="xs"><Button size="xs" variant="default" disabled={!dirty} onClick={() => setRows(toRows(policy))}>{t('common.cancel')}</Button><Button size="xs" disabled={!dirty} loading={save.isPending} onClick={() => save.mutate()} data-testid={`policy-save-${policy.key}`}>{t('common.save')}</Button></Group> : undefined}>
      <Problems error={save.error} />
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing={6} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('settings.step')}</Table.Th>
              <Table.Th>{t('settings.stepBasis')}</Table.Th>
              <Table.Th w={130}>{t('settings.stepDelay')}</Table.Th>
              <Table.Th w={150}>{t('settings.stepChannel')}</Table.Th>
              <Table.Th w={140}>{t('settings.stepMinimum')}</Table.Th>
              <Table.Th>{t('settings.stepAudience')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((s, i) => (
              <Table.Tr key={s.key} data-testid={`step-${policy.key}-${s.key}`}>
                <Table.Td c="dimmed">{i + 1}</Table.Td>
                <Table.Td><Text size="sm" fw={500}>{s.name}</Text><Text size="xs" c="dimmed">{s.key}</Text></Table.Td>
                <Table.Td>{t(s.basis === 'due_date' ? 'settings.basis.due_date' : 'settings.basis.previous_step')}</Table.Td>
                <Table.Td>
                  <NumberInput size="xs" min={0} max={365} allowDecimal={false} value={s.delayDays} readOnly={!canEdit} aria-label={`${s.name}: ${t('settings.stepDelay')}`}
                    onChange={(v) => set(i, { delayDays: typeof v === 'number' ? v : Number(v) || 0 })} data-testid="step-delay" />
                </Table.Td>
                <Table.Td>
                  <Select size="xs" value={s.channel} allowDeselect={false} readOnly={!canEdit} aria-label={`${s.name}: ${t('settings.stepChannel')}`}
                    data={CHANNELS.map((c) => ({ value: c, label: t(`settings.channel.${c}` as Key) }))} onChange={(v) => v && set(i, { channel: v })} data-testid="step-channel" />
                </Table.Td>
                <Table.Td>
                  <TextInput size="xs" leftSection="€" value={s.minimum} readOnly={!canEdit} inputMode="decimal" aria-label={`${s.name}: ${t('settings.stepMinimum')}`}
                    onChange={(e) => set(i, { minimum: e.currentTarget.value })} data-testid="step-minimum" />
                </Table.Td>
                <Table.Td>{s.audience ? t(s.audience === 'consumer' ? 'settings.audience.consumer' : 'settings.audience.business') : t('settings.audience.all')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </SectionCard>
  );
}
