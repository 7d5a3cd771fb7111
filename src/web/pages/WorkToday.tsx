/** Work today: tasks, calls due, broken promises, missed instalments, disputes at their deadline, and the matcher's suggestions; each opens the place to act (a viewer reads: no completing). */
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Grid, Group, Modal, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get, post, type BankStatus, type Debtor, type Page } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import type { Key } from '../i18n.ts';
import { useToast } from '../components/toast.tsx';
import { Empty, ErrorState, Loading, Money, PageHeader, SectionCard } from '../components/ui.tsx';
import { IconBank, IconCalendar, IconCheck, IconChecklist, IconFlag, IconHandshake, IconPhone } from '../components/icons.tsx';

type WorkEntry = { kind: 'task' | 'broken_promise' | 'missed_instalment' | 'dispute_overdue'; taskKind: string | null; taskId: number | null; title: string; dueDate: string; overdue: boolean; debtorId: number | null; debtorNumber: string | null; debtorName: string | null; assignedTo: string | null };

const GROUPS: { key: string; label: Key; match: (e: WorkEntry) => boolean; icon: React.ReactNode; color: string }[] = [
  { key: 'calls', label: 'work.calls', match: (e) => e.kind === 'task' && !!e.taskKind && /call|phone|bel/.test(e.taskKind), icon: <IconPhone size={16} />, color: 'cyan' },
  { key: 'broken', label: 'work.brokenPromises', match: (e) => e.kind === 'broken_promise', icon: <IconHandshake size={16} />, color: 'red' },
  { key: 'missed', label: 'work.missedInstalments', match: (e) => e.kind === 'missed_instalment', icon: <IconCalendar size={16} />, color: 'orange' },
  { key: 'disputes', label: 'work.disputes', match: (e) => e.kind === 'dispute_overdue', icon: <IconFlag size={16} />, color: 'grape' },
  { key: 'tasks', label: 'work.tasks', match: () => true, icon: <IconChecklist size={16} />, color: 'brand' },
];

export default function WorkToday() {
  const { adminId, base } = useAdmin();
  const { t, f } = useLocale();
  const mayComplete = useMayWrite('POST', '/tasks/{id}/complete');
  const toast = useToast();
  const qc = useQueryClient();
  const [completing, setCompleting] = useState<WorkEntry | null>(null);
  const [outcome, setOutcome] = useState('');
  const work = useQuery({ queryKey: ['work-today', adminId], queryFn: () => get<WorkEntry[]>(apiPath(adminId, '/work-today')) });
  const bank = useQuery({ queryKey: ['bank-status', adminId], queryFn: () => get<BankStatus>(apiPath(adminId, '/bank-status')) });
  // the largest arrears the run will chase: most overdue first, without the debtors it leaves alone (hold, status, plan, promise, dispute)
  const top = useQuery({ queryKey: ['debtors', adminId, 'work-top'], queryFn: () => get<Page<Debtor>>(apiPath(adminId, '/debtors'), { paused: 'none', overdue: 'true', sort: 'overdue', limit: 8 }) });
  const complete = useMutation({
    mutationFn: (e: WorkEntry) => post(apiPath(adminId, `/tasks/${e.taskId}/complete`), { outcome: outcome.trim() || undefined }),
    onSuccess: () => { toast.ok(t('work.completed')); setCompleting(null); setOutcome(''); void qc.invalidateQueries({ queryKey: ['work-today', adminId] }); },
    onError: (e) => toast.error((e as Error).message),
  });

  const entries = work.data ?? [];
  const used = new Set<WorkEntry>();
  const groups = GROUPS.map((g) => {
    const list = entries.filter((e) => !used.has(e) && g.match(e));
    list.forEach((e) => used.add(e));
    return { ...g, list };
  });
  const waiting = bank.data?.waitingForReview ?? 0;

  return (
    <>
      <PageHeader title={t('work.title')} sub={t('work.sub')} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            {work.error && <ErrorState error={work.error} onRetry={() => work.refetch()} />}
            {work.isPending && <Card><Loading /></Card>}
            {work.data && entries.length === 0 && <Card><Empty icon={<IconCheck size={30} />}>{t('work.allClear')}</Empty></Card>}
            {groups.filter((g) => g.list.length).map((g) => (
              <SectionCard key={g.key} title={<Group gap="xs"><ThemeIcon variant="light" color={g.color} size="md">{g.icon}</ThemeIcon>{t(g.label)}<Badge color={g.color}>{g.list.length}</Badge></Group>} p={0} testId={`work-${g.key}`}>
                {g.list.map((e, k) => (
                  <Group key={k} justify="space-between" px="lg" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} wrap="nowrap">
                    <Stack gap={2} style={{ minWidth: 0 }}>
                      <Text size="sm" fw={500} truncate>{e.title}</Text>
                      <Group gap={8}>
                        {e.debtorId && <Anchor component={Link} to={`${base}/debtors/${e.debtorId}`} size="xs">{e.debtorName} · {e.debtorNumber}</Anchor>}
                        <Text size="xs" c={e.overdue ? 'red.7' : 'dimmed'}>{t('work.due', { date: f.date(e.dueDate) })}{e.overdue ? ` · ${t('work.overdue')}` : ''}</Text>
                        {e.assignedTo && <Text size="xs" c="dimmed">{t('work.assigned', { user: e.assignedTo })}</Text>}
                      </Group>
                    </Stack>
                    <Group gap="xs" wrap="nowrap">
                      {e.debtorId && <Button size="xs" variant="light" component={Link} to={`${base}/debtors/${e.debtorId}`}>{t('work.open')}</Button>}
                      {e.taskId && mayComplete && <Button size="xs" variant="subtle" leftSection={<IconCheck size={14} />} onClick={() => setCompleting(e)}>{t('work.complete')}</Button>}
                    </Group>
                  </Group>
                ))}
              </SectionCard>
            ))}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <SectionCard title={<Group gap="xs"><ThemeIcon variant="light" color="yellow" size="md"><IconBank size={16} /></ThemeIcon>{t('work.matches')}</Group>} testId="work-matches">
              <Text size="sm" c="dimmed" mb="sm">{t('work.matchesSub', { n: f.number(waiting) })}</Text>
              <Button component={Link} to={`${base}/bank`} variant={waiting ? 'filled' : 'light'} fullWidth>{t('dash.review')}</Button>
            </SectionCard>
            <SectionCard title={t('work.bigOverdue')}>
              {!top.data ? <Loading h={120} /> : (
                <Stack gap={6} data-testid="work-top">
                  {top.data.rows.map((d) => (
                    <Group key={d.id} justify="space-between" wrap="nowrap">
                      <Anchor component={Link} to={`${base}/debtors/${d.id}`} size="sm" truncate>{d.name}</Anchor>
                      <Text size="sm" fw={600}><Money value={d.overdue} color="red.7" /></Text>
                    </Group>
                  ))}
                </Stack>
              )}
            </SectionCard>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={!!completing} onClose={() => setCompleting(null)} title={completing?.title} centered>
        <form onSubmit={(e) => { e.preventDefault(); if (completing) complete.mutate(completing); }}>
          <Stack>
            <TextInput label={t('work.outcome')} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)} data-autofocus />
            <Group justify="flex-end"><Button variant="default" onClick={() => setCompleting(null)}>{t('common.cancel')}</Button><Button type="submit" loading={complete.isPending}>{t('work.complete')}</Button></Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
