/**
 * The work list: what is overdue, what is due today and what is coming in the next two weeks —
 * tasks (calls, phone steps, dispute reviews, call-backs), broken promises, missed instalments,
 * disputes past their deadline — highest priority first; mine or everyone's; assign, move,
 * reprioritise, complete. Beside it: the matcher's suggestions, and the debtors in arrears that
 * nobody is on (no task, no reminder in 14 days). "All clear" only when both are empty.
 */
import { useState } from 'react';
import { Anchor, Badge, Button, Card, Grid, Group, Menu, Modal, Select, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get, post, request, type BankStatus, type Debtor, type Page } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { errorText } from '../app/problems.ts';
import { addDays, workQuery, type WorkEntry } from '../app/work.ts';
import { todayIso } from '../format.ts';
import type { Key } from '../i18n.ts';
import { useToast } from '../components/toast.tsx';
import { Empty, ErrorState, Loading, Money, PageHeader, SectionCard } from '../components/ui.tsx';
import { IconAlert, IconBank, IconCalendar, IconCheck, IconChecklist, IconFlag, IconHandshake, IconMail, IconPhone, IconUsers } from '../components/icons.tsx';

function iconOf(e: WorkEntry) {
  if (e.kind === 'broken_promise') return { icon: <IconHandshake size={16} />, color: 'red' };
  if (e.kind === 'missed_instalment') return { icon: <IconCalendar size={16} />, color: 'orange' };
  if (e.kind === 'dispute_overdue' || e.taskKind === 'review_dispute') return { icon: <IconFlag size={16} />, color: 'grape' };
  if (e.taskKind && /call|phone/.test(e.taskKind)) return { icon: <IconPhone size={16} />, color: 'cyan' };
  return { icon: <IconChecklist size={16} />, color: 'brand' };
}

const WHEN = ['overdue', 'today', 'coming'] as const;

export default function WorkToday() {
  const { adminId, base } = useAdmin();
  const { t, f } = useLocale();
  const mayComplete = useMayWrite('POST', '/tasks/{id}/complete');
  const mayChange = useMayWrite('PATCH', '/tasks/{id}');
  const toast = useToast();
  const qc = useQueryClient();
  const [everyone, setEveryone] = useState(false);
  const [completing, setCompleting] = useState<WorkEntry | null>(null);
  const [outcome, setOutcome] = useState('');
  const work = useQuery(workQuery(adminId, everyone));
  const bank = useQuery({ queryKey: ['bank-status', adminId], queryFn: () => get<BankStatus>(apiPath(adminId, '/bank-status')) });
  // the largest arrears nobody is on: no task, no reminder in 14 days, and not left alone on purpose (hold, status, plan, promise, dispute)
  const unattended = useQuery({ queryKey: ['debtors', adminId, 'work-unattended'], queryFn: () => get<Page<Debtor>>(apiPath(adminId, '/debtors'), { paused: 'none', overdue: 'true', unattended: 'true', sort: 'overdue', limit: 8 }) });
  const inbox = useQuery({ queryKey: ['inbox', adminId, 'counts'], queryFn: () => get<{ counts: { unreadReplies: number; unassigned: number } }>(apiPath(adminId, '/inbox'), { status: 'unread', limit: 1 }) });
  const people = useQuery({ queryKey: ['assignees', adminId], enabled: mayChange, queryFn: () => get<{ name: string; email: string }[]>(apiPath(adminId, '/assignees')) });
  const refresh = () => { void qc.invalidateQueries({ queryKey: ['work-today', adminId] }); void qc.invalidateQueries({ queryKey: ['debtors', adminId] }); };
  const complete = useMutation({
    mutationFn: (e: WorkEntry) => post(apiPath(adminId, `/tasks/${e.taskId}/complete`), { outcome: outcome.trim() || undefined }),
    onSuccess: () => { toast.ok(t('work.completed')); setCompleting(null); setOutcome(''); refresh(); },
    onError: (e) => toast.error(errorText(e, t, f)),
  });
  const change = useMutation({
    mutationFn: ({ e, body, assign }: { e: WorkEntry; body?: { dueDate?: string; priority?: 1 | 2 | 3 }; assign?: string | null }) =>
      assign !== undefined ? post(apiPath(adminId, `/tasks/${e.taskId}/assign`), { user: assign }) : request('PATCH', apiPath(adminId, `/tasks/${e.taskId}`), { body }),
    onSuccess: () => { toast.ok(t('work.changed')); refresh(); },
    onError: (e) => toast.error(errorText(e, t, f)),
  });

  const entries = work.data ?? [];
  const today = todayIso();
  const waiting = bank.data?.waitingForReview ?? 0;
  const nobodyOn = unattended.data?.total ?? unattended.data?.rows.length ?? 0;
  const allClear = work.data && entries.length === 0 && unattended.data && nobodyOn === 0;

  return (
    <>
      <PageHeader
        title={t('work.title')}
        sub={t('work.sub')}
        actions={
          <Button.Group data-testid="work-scope">
            <Button size="xs" variant={everyone ? 'default' : 'filled'} onClick={() => setEveryone(false)} aria-pressed={!everyone}>{t('work.mine')}</Button>
            <Button size="xs" variant={everyone ? 'filled' : 'default'} onClick={() => setEveryone(true)} aria-pressed={everyone} data-testid="work-everyone">{t('work.everyone')}</Button>
          </Button.Group>
        }
      />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            {work.error && <ErrorState error={work.error} onRetry={() => work.refetch()} />}
            {work.isPending && <Card><Loading /></Card>}
            {allClear && <Card><Empty icon={<IconCheck size={30} />}>{t('work.allClear')}</Empty></Card>}
            {WHEN.map((w) => {
              const list = entries.filter((e) => e.when === w);
              if (!list.length) return null;
              return (
                <SectionCard key={w} title={<Group gap="xs">{t(`work.group.${w}` as Key)}<Badge color={w === 'overdue' ? 'red' : w === 'today' ? 'brand' : 'gray'}>{list.length}</Badge></Group>} p={0} testId={`work-${w}`}>
                  {list.map((e, k) => {
                    const { icon, color } = iconOf(e);
                    return (
                      <Group key={k} justify="space-between" px="lg" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} wrap="nowrap" data-testid="work-entry">
                        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                          <ThemeIcon variant="light" color={color} size="md">{icon}</ThemeIcon>
                          <Stack gap={2} style={{ minWidth: 0 }}>
                            <Group gap={6} wrap="nowrap">
                              {e.priority !== 2 && <Badge size="xs" color={e.priority === 1 ? 'red' : 'gray'} variant="light">{t(`work.priority.${e.priority}` as Key)}</Badge>}
                              <Text size="sm" fw={500} truncate>{e.title}</Text>
                            </Group>
                            <Group gap={8}>
                              {e.debtorId && <Anchor component={Link} to={`${base}/debtors/${e.debtorId}`} size="xs">{e.debtorName} · {e.debtorNumber}</Anchor>}
                              <Text size="xs" c={e.overdue ? 'red.7' : 'dimmed'}>{t('work.due', { date: f.date(e.dueDate) })}{e.overdue ? ` · ${t('work.overdue')}` : ''}</Text>
                              {e.assignedTo && !(e.taskId && mayChange) && <Text size="xs" c="dimmed">{t('work.assigned', { user: e.assignedTo })}</Text>}
                            </Group>
                          </Stack>
                        </Group>
                        <Group gap="xs" wrap="nowrap">
                          {e.taskId && mayChange && (
                            <Select size="xs" w={150} aria-label={t('work.assign')} placeholder={t('work.unassigned')} clearable value={e.assignedTo} data-testid="work-assign"
                              data={[...new Set([...(people.data ?? []).map((p) => p.name), ...(e.assignedTo ? [e.assignedTo] : [])])]}
                              onChange={(v) => change.mutate({ e, assign: v })} />
                          )}
                          {e.debtorId && <Button size="xs" variant="light" component={Link} to={`${base}/debtors/${e.debtorId}`}>{t('work.open')}</Button>}
                          {e.taskId && mayComplete && <Button size="xs" variant="subtle" leftSection={<IconCheck size={14} />} onClick={() => setCompleting(e)} data-testid="work-complete">{t('work.complete')}</Button>}
                          {e.taskId && mayChange && (
                            <Menu position="bottom-end" shadow="md">
                              <Menu.Target><Button size="xs" variant="subtle" aria-label={t('work.moreActions')} data-testid="work-more">⋯</Button></Menu.Target>
                              <Menu.Dropdown>
                                <Menu.Item onClick={() => change.mutate({ e, body: { dueDate: addDays(today, 1) } })} data-testid="work-tomorrow">{t('work.tomorrow')}</Menu.Item>
                                <Menu.Item onClick={() => change.mutate({ e, body: { dueDate: addDays(today, 7) } })}>{t('work.nextWeek')}</Menu.Item>
                                <Menu.Divider />
                                {([1, 2, 3] as const).filter((p) => p !== e.priority).map((p) => (
                                  <Menu.Item key={p} onClick={() => change.mutate({ e, body: { priority: p } })} data-testid={`work-priority-${p}`}>{t('work.setPriority', { p: t(`work.priority.${p}` as Key) })}</Menu.Item>
                                ))}
                              </Menu.Dropdown>
                            </Menu>
                          )}
                        </Group>
                      </Group>
                    );
                  })}
                </SectionCard>
              );
            })}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            {inbox.data && (inbox.data.counts.unreadReplies > 0 || inbox.data.counts.unassigned > 0) && (
              <SectionCard title={<Group gap="xs"><ThemeIcon variant="light" color="brand" size="md"><IconMail size={16} /></ThemeIcon>{t('inbox.work')}</Group>} testId="work-inbox">
                <Stack gap={4}>
                  {inbox.data.counts.unreadReplies > 0 && <Anchor component={Link} to={`${base}/inbox?view=unread`} size="sm" data-testid="work-inbox-unread">{t('inbox.workUnread', { n: inbox.data.counts.unreadReplies })}</Anchor>}
                  {inbox.data.counts.unassigned > 0 && <Anchor component={Link} to={`${base}/inbox?view=unassigned`} size="sm" data-testid="work-inbox-unassigned">{t('inbox.workUnassigned', { n: inbox.data.counts.unassigned })}</Anchor>}
                </Stack>
              </SectionCard>
            )}
            <SectionCard title={<Group gap="xs"><ThemeIcon variant="light" color="red" size="md"><IconAlert size={16} /></ThemeIcon>{t('work.unattended')}</Group>} testId="work-unattended">
              {!unattended.data ? <Loading h={120} /> : nobodyOn === 0 ? <Text size="sm" c="dimmed">{t('work.unattendedNone')}</Text> : (
                <Stack gap={6} data-testid="work-top">
                  <Text size="sm" c="dimmed" data-testid="work-unattended-count">{t('work.unattendedSub', { n: f.number(nobodyOn) })}</Text>
                  {unattended.data.rows.map((d) => (
                    <Group key={d.id} justify="space-between" wrap="nowrap">
                      <Anchor component={Link} to={`${base}/debtors/${d.id}`} size="sm" truncate>{d.name}</Anchor>
                      <Text size="sm" fw={600}><Money value={d.overdue} color="red.7" /></Text>
                    </Group>
                  ))}
                  <Button component={Link} to={`${base}/dunning`} variant="light" mt="xs" leftSection={<IconUsers size={16} />}>{t('work.prepareRun')}</Button>
                </Stack>
              )}
            </SectionCard>
            <SectionCard title={<Group gap="xs"><ThemeIcon variant="light" color="yellow" size="md"><IconBank size={16} /></ThemeIcon>{t('work.matches')}</Group>} testId="work-matches">
              <Text size="sm" c="dimmed" mb="sm">{t('work.matchesSub', { n: f.number(waiting) })}</Text>
              <Button component={Link} to={`${base}/bank`} variant={waiting ? 'filled' : 'light'} fullWidth>{t('dash.review')}</Button>
            </SectionCard>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={!!completing} onClose={() => setCompleting(null)} title={completing?.title} centered>
        <form onSubmit={(e) => { e.preventDefault(); if (completing) complete.mutate(completing); }}>
          <Stack>
            <TextInput label={t('work.outcome')} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)} data-autofocus />
            <Group justify="flex-end"><Button variant="default" onClick={() => setCompleting(null)}>{t('common.cancel')}</Button><Button type="submit" loading={complete.isPending} data-testid="work-complete-save">{t('work.complete')}</Button></Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
