/**
 * Settings, tab Segmenten: groups of debtors by rules (type, yearly revenue, average days late,
 * broken promises, tags), each choosing a dunning policy; the lowest priority that matches wins.
 */
import { useState } from 'react';
import { Badge, Button, Grid, Group, Modal, NumberInput, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, request } from '../../api.ts';
import { apiPath } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading, SectionCard } from '../../components/ui.tsx';
import { Problems } from './common.tsx';

type Rules = { type?: 'business' | 'consumer'; minAnnual?: string; maxAnnual?: string; minAvgDaysLate?: number; maxAvgDaysLate?: number; minBrokenPromises?: number; maxBrokenPromises?: number; tagsAny?: string[]; tagsAll?: string[] };
type Segment = { key: string; name: string; rules: Rules; policyKey: string | null; priority: number };
const NUMS = ['minAvgDaysLate', 'maxAvgDaysLate', 'minBrokenPromises', 'maxBrokenPromises'] as const;

export function SegmentsTab({ adminId, canEdit, canEvaluate }: { adminId: number; canEdit: boolean; canEvaluate: boolean }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['segments', adminId], queryFn: () => get<Segment[]>(apiPath(adminId, '/segments')) });
  const policies = useQuery({ queryKey: ['dunning-policies', adminId], queryFn: () => get<{ key: string; name: string }[]>(apiPath(adminId, '/dunning/policies')) });
  const [editing, setEditing] = useState<Segment | null>(null);
  const evaluate = useMutation({ mutationFn: () => post<{ evaluated: number; changed: number }>(apiPath(adminId, '/segments/evaluate'), {}), onSuccess: (r) => toast.ok(t('settings.segmentsEvaluated', { evaluated: f.number(r.evaluated), changed: f.number(r.changed) })), onError: (e) => toast.error((e as Error).message) });
  const remove = useMutation({ mutationFn: (key: string) => request('DELETE', apiPath(adminId, `/segments/${encodeURIComponent(key)}`)), onSuccess: () => { void qc.invalidateQueries({ queryKey: ['segments', adminId] }); toast.ok(t('settings.segmentDeleted')); }, onError: (e) => toast.error((e as Error).message) });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading h={300} />;
  const rulesText = (r: Rules) => {
    const parts: string[] = [];
    if (r.type) parts.push(t(r.type === 'business' ? 'settings.audience.business' : 'settings.audience.consumer'));
    if (r.minAnnual) parts.push(`${t('settings.rule.minAnnual')} ${f.money(r.minAnnual)}`);
    if (r.maxAnnual) parts.push(`${t('settings.rule.maxAnnual')} ${f.money(r.maxAnnual)}`);
    for (const k of NUMS) if (r[k] !== undefined) parts.push(`${t(`settings.rule.${k}`)} ${r[k]}`);
    if (r.tagsAny?.length) parts.push(`${t('settings.rule.tagsAny')}: ${r.tagsAny.join(', ')}`);
    if (r.tagsAll?.length) parts.push(`${t('settings.rule.tagsAll')}: ${r.tagsAll.join(', ')}`);
    return parts.join(' · ') || t('settings.rule.none');
  };
  return (
    <SectionCard title={t('settings.tab.segments')} sub={t('settings.segmentsSub')} testId="segments" p={0}
      actions={<Group gap="xs" wrap="nowrap">
        {canEvaluate && <Button size="xs" variant="default" loading={evaluate.isPending} onClick={() => evaluate.mutate()} data-testid="segments-evaluate">{t('settings.segmentsEvaluate')}</Button>}
        {canEdit && <Button size="xs" onClick={() => setEditing({ key: '', name: '', rules: {}, policyKey: null, priority: 100 })} data-testid="segment-add">{t('settings.segmentAdd')}</Button>}
      </Group>}>
      <DataTable rows={q.data} rowKey={(s) => s.key} empty={t('settings.segmentsEmpty')} testId="segments-table" onRowClick={canEdit ? (s) => setEditing(s) : undefined} columns={[
        { id: 'priority', header: t('settings.priority'), width: 90, align: 'right', cell: (s) => s.priority },
        { id: 'name', header: t('settings.segmentName'), cell: (s) => <><Text size="sm" fw={500}>{s.name}</Text><Text size="xs" c="dimmed">{s.key}</Text></> },
        { id: 'rules', header: t('settings.segmentRules'), cell: (s) => <Text size="sm">{rulesText(s.rules)}</Text> },
        { id: 'policy', header: t('settings.segmentPolicy'), cell: (s) => (s.policyKey ? <Badge color="brand">{policies.data?.find((p) => p.key === s.policyKey)?.name ?? s.policyKey}</Badge> : <Text size="sm" c="dimmed">{t('settings.policyDefault')}</Text>) },
        ...(canEdit ? [{ id: 'actions', header: '', width: 120, align: 'right' as const, cell: (s: Segment) => (
          <Group gap={4} justify="flex-end" wrap="nowrap" onClick={(e) => e.stopPropagation()}>
            <Button size="compact-xs" variant="subtle" onClick={() => setEditing(s)}>{t('settings.edit')}</Button>
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => { if (window.confirm(t('settings.segmentDeleteConfirm', { name: s.name }))) remove.mutate(s.key); }} aria-label={`${t('settings.remove')} ${s.name}`}>✕</Button>
          </Group>) }] : []),
      ]} />
      {editing && <SegmentModal adminId={adminId} segment={editing} policies={policies.data ?? []} onClose={() => setEditing(null)} />}
    </SectionCard>
  );
}

function SegmentModal({ adminId, segment, policies, onClose }: { adminId: number; segment: Segment; policies: { key: string; name: string }[]; onClose: () => void }) {
  const { t } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const isNew = !segment.key;
  const [s, setS] = useState<Segment>(structuredClone(segment));
  const setRule = (p: Partial<Rules>) => setS((x) => ({ ...x, rules: Object.fromEntries(Object.entries({ ...x.rules, ...p }).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length))) }));
  const save = useMutation({
    mutationFn: () => request<Segment>('PUT', apiPath(adminId, `/segments/${encodeURIComponent(s.key.trim())}`), { body: { name: s.name.trim(), rules: s.rules, policyKey: s.policyKey, priority: s.priority } }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ['segments', adminId] }); toast.ok(t('common.saved')); onClose(); },
  });
  const num = (v: string | number) => (v === '' ? undefined : Number(v));
  return (
    <Modal opened onClose={onClose} title={isNew ? t('settings.segmentAdd') : s.name} size="lg">
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} data-testid="segment-form">
        <Problems error={save.error} />
        <Grid gutter="sm">
          <Grid.Col span={4}><TextInput label={t('settings.segmentKey')} required value={s.key} readOnly={!isNew} onChange={(e) => { const v = e.currentTarget.value; setS((x) => ({ ...x, key: v })); }} data-autofocus data-testid="segment-key" /></Grid.Col>
          <Grid.Col span={5}><TextInput label={t('settings.segmentName')} required value={s.name} onChange={(e) => { const v = e.currentTarget.value; setS((x) => ({ ...x, name: v })); }} data-testid="segment-name" /></Grid.Col>
          <Grid.Col span={3}><NumberInput label={t('settings.priority')} allowDecimal={false} value={s.priority} onChange={(v) => setS((x) => ({ ...x, priority: Number(v) || 0 }))} /></Grid.Col>
          <Grid.Col span={12}>
            <Select label={t('settings.segmentPolicy')} clearable placeholder={t('settings.policyDefault')} value={s.policyKey} onChange={(v) => setS((x) => ({ ...x, policyKey: v }))} data={policies.map((p) => ({ value: p.key, label: p.name }))} />
          </Grid.Col>
          <Grid.Col span={12}><Text size="sm" fw={600} mt="xs">{t('settings.segmentRules')}</Text><Text size="xs" c="dimmed">{t('settings.segmentRulesSub')}</Text></Grid.Col>
          <Grid.Col span={4}>
            <Select label={t('settings.rule.type')} clearable placeholder={t('settings.audience.all')} value={s.rules.type ?? null} onChange={(v) => setRule({ type: (v as Rules['type']) ?? undefined })} data={[{ value: 'business', label: t('settings.audience.business') }, { value: 'consumer', label: t('settings.audience.consumer') }]} />
          </Grid.Col>
          <Grid.Col span={4}><TextInput label={t('settings.rule.minAnnual')} leftSection="€" value={s.rules.minAnnual ?? ''} onChange={(e) => setRule({ minAnnual: e.currentTarget.value.replace(',', '.') || undefined })} /></Grid.Col>
          <Grid.Col span={4}><TextInput label={t('settings.rule.maxAnnual')} leftSection="€" value={s.rules.maxAnnual ?? ''} onChange={(e) => setRule({ maxAnnual: e.currentTarget.value.replace(',', '.') || undefined })} /></Grid.Col>
          {NUMS.map((k) => <Grid.Col key={k} span={3}><NumberInput label={t(`settings.rule.${k}`)} min={0} allowDecimal={k.includes('Days')} value={s.rules[k] ?? ''} onChange={(v) => setRule({ [k]: num(v) })} /></Grid.Col>)}
          <Grid.Col span={6}><TagsInput label={t('settings.rule.tagsAny')} value={s.rules.tagsAny ?? []} onChange={(v) => setRule({ tagsAny: v })} /></Grid.Col>
          <Grid.Col span={6}><TagsInput label={t('settings.rule.tagsAll')} value={s.rules.tagsAll ?? []} onChange={(v) => setRule({ tagsAll: v })} /></Grid.Col>
        </Grid>
        <Stack mt="lg"><Group justify="flex-end"><Button variant="default" onClick={onClose}>{t('common.cancel')}</Button><Button type="submit" loading={save.isPending} data-testid="segment-save">{t('common.save')}</Button></Group></Stack>
      </form>
    </Modal>
  );
}
