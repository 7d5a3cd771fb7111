/** The dunning run: preview of the next run grouped by step (who gets what, what is skipped and why), letters as PDF, send all or a selection; history. */
import { skipReasonText } from '../app/skip-reasons.ts';
import { useState, type Dispatch, type SetStateAction } from 'react';
import { Accordion, Alert, Anchor, Badge, Button, Card, Checkbox, Chip, Group, Loader, Modal, SimpleGrid, Stack, Switch, Table, Tabs, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError, get, post, qs } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { describeCounts, describeRun, type RunRow } from '../app/runs.ts';
import { useToast } from '../components/toast.tsx';
import { Empty, ErrorState, Loading, PageHeader, StatCard } from '../components/ui.tsx';
import { IconAlert, IconFile, IconMail, IconSend } from '../components/icons.tsx';

type Bilingual = { nl: string; en: string };
type Message = {
  debtorId: string; debtorNumber: string; debtorName: string; stepKey: string; stepIndex: number; stepName: string; channel: string; language: string; currency: string;
  itemNumbers: string[]; maxDaysOverdue: number; principalCents: number; interestCents: number; costsCents: number; vatCents: number; totalCents: number; dedupeKey: string;
};
type Plan = {
  totals: { debtors: number; messages: number; items: number; amounts: Record<string, { totalCents: number }>; notDueYetItems?: number };
};
type Step = { key: string; name: string; index: number; messages: number; totalCents: number; channels: Record<string, number> };
type Proposal = {
  asOf: string; blocked: { reason: string; message: Bilingual } | null; blocks: { reason: string; message: Bilingual }[]; overridden: boolean;
  totals: Plan['totals']; steps: Step[]; skipped: { reason: string; entries: number; items: number }[]; computedAt: string; seconds: number;
};
type ProposalView = { status: 'ready' | 'computing'; stale: boolean; proposal: Proposal | null };
type Page<T> = { rows: T[]; total: number };
type Skipped = { debtorId: string; debtorNumber: string | null; debtorName: string | null; itemIds?: string[]; itemId?: string; reason: string; message: Bilingual };
type Run = RunRow;
type RunResult = { runId: number; blocked: { message: Bilingual } | null; queued: number; tasks: number; duplicates: number; skipped: number; email: number; paper: number; refused: { messages: number; message: Bilingual } | null; states: Record<string, number> };

export default function Dunning() {
  const { adminId, base } = useAdmin();
  const { t, f, lang } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const [override, setOverride] = useState(false);
  const maySend = useMayWrite('POST', '/dunning/runs');
  const mayImport = useMayWrite('POST', '/statements');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const [lastRun, setLastRun] = useState<RunResult | null>(null);
  // the stored proposal (src/app/dunning-proposal.ts): asked again every 1.5 s while it is being computed
  const plan = useQuery({
    queryKey: ['dunning-preview', adminId, override],
    queryFn: () => get<ProposalView>(apiPath(adminId, '/dunning/proposal'), { override: override || undefined }),
    refetchInterval: (q) => (q.state.data?.status === 'computing' ? 1500 : false),
  });
  const [skipReason, setSkipReason] = useState<string | null>(null);
  const skipped = useQuery({
    queryKey: ['dunning-preview', adminId, 'skipped', skipReason, plan.data?.proposal?.computedAt],
    queryFn: () => get<Page<Skipped>>(apiPath(adminId, '/dunning/proposal/skipped'), { reason: skipReason ?? undefined, limit: 200 }),
    enabled: !!plan.data?.proposal,
  });
  // while messages of a run are on their way, its counts per state follow the delivery
  const runs = useQuery({
    queryKey: ['dunning-runs', adminId], queryFn: () => get<Run[]>(apiPath(adminId, '/dunning/runs')),
    refetchInterval: (q) => (q.state.data?.some((r) => (r.states?.queued ?? 0) + (r.states?.sending ?? 0) > 0) ? 3000 : false),
  });
  const send = useMutation({
    // delivered at once: the result says what really happened (sent, to print, failed), never just "queued"
    mutationFn: (keys: string[] | null) => post<RunResult>(apiPath(adminId, '/dunning/runs'), { override: override || undefined, deliver: true, ...(keys ? { dedupeKeys: keys } : {}) }),
    onSuccess: (r) => {
      setConfirming(null);
      setSelected(new Set());
      if (r.blocked) toast.error(r.blocked.message[lang]);
      else {
        const counts = describeCounts(r.states, t) + (r.tasks ? ` · ${t('runs.tasks', { n: r.tasks })}` : '');
        if (r.refused) toast.error(r.refused.message[lang], `${t('dunning.refused')} · ${t('dunning.result', { run: r.runId, counts })}`);
        else toast.ok(t('dunning.result', { run: r.runId, counts }));
        setLastRun(r);
      }
      void qc.invalidateQueries({ queryKey: ['outbox', adminId] });
      void qc.invalidateQueries({ queryKey: ['dunning-preview', adminId] });
      void qc.invalidateQueries({ queryKey: ['dunning-runs', adminId] });
      void qc.invalidateQueries({ queryKey: ['timeline', adminId] });
    },
    onError: (e) => { setConfirming(null); toast.error(e instanceof ApiError ? e.message : String(e), t('app.error')); },
  });

  const view = plan.data;
  const p = view?.proposal ?? null;
  const steps = p?.steps ?? [];
  const messageCount = steps.reduce((a, x) => a + x.messages, 0);
  const total = Object.values(p?.totals.amounts ?? {}).reduce((s, a) => s + a.totalCents, 0);
  const computing = view?.status === 'computing';
  const letterUrl = (key: string) => `/api${apiPath(adminId, '/dunning/preview/letter')}${qs({ key, override: 'true' })}`;
  const toggle = (key: string, on: boolean) => setSelected((s) => { const n = new Set(s); if (on) n.add(key); else n.delete(key); return n; });
  const canSend = !!p && !computing && messageCount > 0 && (!p.blocked || override);

  return (
    <>
      <PageHeader
        title={t('dunning.title')}
        sub={p ? `${t('dunning.preview')} · ${f.date(p.asOf)} · ${t('dunning.computedAt', { time: f.dateTime(p.computedAt) })}` : ' '}
        actions={maySend && (
          <>
            {selected.size > 0 && <Button variant="light" leftSection={<IconSend size={16} />} disabled={!canSend} onClick={() => setConfirming([...selected])} data-testid="send-selected">{t('dunning.sendSelected', { n: selected.size })}</Button>}
            <Button leftSection={<IconSend size={16} />} disabled={!canSend} onClick={() => setConfirming([])} data-testid="send-all">{t('dunning.sendAll')}</Button>
          </>
        )}
      />
      {lastRun && (
        <Alert color={lastRun.refused ? 'red' : 'teal'} variant="light" mb="md" withCloseButton onClose={() => setLastRun(null)} data-testid="dunning-result">
          <Stack gap={4}>
            <Text size="sm" fw={600}>{t('dunning.result', { run: lastRun.runId, counts: describeCounts(lastRun.states, t) })}{lastRun.tasks ? ` · ${t('runs.tasks', { n: lastRun.tasks })}` : ''}</Text>
            {lastRun.refused && <Text size="sm">{lastRun.refused.message[lang]}</Text>}
            <Anchor component={Link} to={`${base}/outbox?run=${lastRun.runId}`} size="sm">{t('dunning.toOutbox')}</Anchor>
          </Stack>
        </Alert>
      )}
      {computing && (
        <Alert color={view?.stale ? 'orange' : 'blue'} variant="light" icon={<Loader size={16} />} mb="md" data-testid="dunning-computing">
          {view?.stale && p ? t('dunning.stale', { time: f.dateTime(p.computedAt) }) : t('dunning.computing')}
        </Alert>
      )}
      {p?.blocked && (
        <Alert color="red" variant="light" icon={<IconAlert />} title={t('dunning.blockedTitle')} mb="md" data-testid="dunning-blocked">
          <Stack gap="xs">
            {p.blocks.map((b) => <Text size="sm" key={b.reason}>{b.message[lang]}</Text>)}
            <Group gap="md">
              {mayImport && <Button component={Link} to={`${base}/bank`} size="xs" variant="white" color="red">{t('dash.importStatement')}</Button>}
              {maySend && <Switch checked={override} onChange={(e) => setOverride(e.currentTarget.checked)} label={t('dunning.override')} color="red" data-testid="dunning-override" />}
            </Group>
          </Stack>
        </Alert>
      )}
      {p?.overridden && !p.blocked && (
        <Alert color="orange" variant="light" icon={<IconAlert />} mb="md">
          <Group justify="space-between"><Text size="sm">{p.blocks.map((b) => b.message[lang]).join(' ')}</Text>{maySend && <Switch checked={override} onChange={(e) => setOverride(e.currentTarget.checked)} label={t('dunning.override')} color="orange" />}</Group>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="md">
        <StatCard label={t('dunning.debtors')} value={p ? f.number(p.totals.debtors) : '…'} testId="dunning-debtors" />
        <StatCard label={t('dunning.messages')} value={p ? f.number(messageCount) : '…'} icon={<IconMail />} />
        <StatCard label={t('dunning.items')} value={p ? f.number(p.totals.items) : '…'} sub={p?.totals.notDueYetItems ? t('dunning.notDueYet', { n: p.totals.notDueYetItems }) : undefined} />
        <StatCard label={t('dunning.totalAmount')} value={p ? f.money(total / 100) : '…'} />
      </SimpleGrid>
      <Tabs defaultValue="preview" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="preview">{t('dunning.preview')}</Tabs.Tab>
          <Tabs.Tab value="skipped" rightSection={p?.skipped.length ? <Badge size="sm" color="gray">{f.number(p.skipped.reduce((a, x) => a + x.entries, 0))}</Badge> : undefined}>{t('dunning.skipped')}</Tabs.Tab>
          <Tabs.Tab value="history">{t('dunning.history')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="preview">
          {plan.error ? <ErrorState error={plan.error} onRetry={() => plan.refetch()} /> : !p ? <Loading /> : steps.length === 0 ? <Card><Empty icon={<IconMail size={30} />}>{t('dunning.nothing')}</Empty></Card> : (
            <Accordion variant="separated" multiple defaultValue={steps.map((s) => s.key)} data-testid="dunning-steps" chevronPosition="left">
              {steps.map((s) => (
                <Accordion.Item key={s.key} value={s.key} style={{ background: 'white' }}>
                  <Accordion.Control>
                    <Group justify="space-between" pr="md">
                      <Group gap="sm"><Badge color="brand" variant="filled">{t('dunning.step')} {s.index + 1}</Badge><Text fw={600}>{s.name}</Text></Group>
                      <Group gap="lg"><Text size="sm" c="dimmed">{t('dunning.letters', { n: f.number(s.messages) })}</Text><Text size="sm" fw={600} className="num">{f.money(s.totalCents / 100)}</Text></Group>
                    </Group>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <StepMessages selectable={maySend} step={s} computedAt={p.computedAt} selected={selected} setSelected={setSelected} toggle={toggle} letterUrl={letterUrl} />
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="skipped">
          <Card padding={0}>
            {!p?.skipped.length ? <Empty>{t('common.nothing')}</Empty> : (
              <>
                <Group gap="xs" p="sm" data-testid="dunning-skip-reasons">
                  {p.skipped.map((r) => (
                    <Chip key={r.reason} size="xs" checked={skipReason === r.reason} onChange={(on) => setSkipReason(on ? r.reason : null)} variant="outline">
                      {skipReasonText(r.reason, t)} · {f.number(r.entries)}
                    </Chip>
                  ))}
                </Group>
                <Table verticalSpacing={8} fz="sm" data-testid="dunning-skipped">
                  <Table.Thead><Table.Tr><Table.Th>{t('items.debtor')}</Table.Th><Table.Th>{t('dunning.items')}</Table.Th><Table.Th>{t('dunning.skippedReason')}</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {(skipped.data?.rows ?? []).map((x, k) => (
                      <Table.Tr key={k}>
                        <Table.Td><Anchor component={Link} to={`${base}/debtors/${x.debtorId}`} size="sm">{x.debtorName ?? `#${x.debtorId}`}</Anchor> <Text span size="xs" c="dimmed">{x.debtorNumber}</Text></Table.Td>
                        <Table.Td>{x.itemIds?.length ?? (x.itemId ? 1 : 0)}</Table.Td>
                        <Table.Td><Badge color="gray" mr="xs">{skipReasonText(x.reason, t)}</Badge>{x.message[lang]}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {skipped.data && skipped.data.total > skipped.data.rows.length && <Text size="xs" c="dimmed" p="sm">{f.number(skipped.data.rows.length)} / {f.number(skipped.data.total)}</Text>}
              </>
            )}
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <Card padding={0}>
            {!runs.data?.length ? <Empty>{t('dunning.noRuns')}</Empty> : (
              <Table verticalSpacing={8} fz="sm" data-testid="dunning-runs">
                <Table.Thead><Table.Tr><Table.Th>{t('dunning.run')}</Table.Th><Table.Th>{t('common.date')}</Table.Th><Table.Th>{t('dunning.mode')}</Table.Th><Table.Th>{t('common.status')}</Table.Th><Table.Th>{t('dunning.trigger')}</Table.Th><Table.Th>{t('dunning.summary')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {runs.data.map((r) => {
                    const d = describeRun(r, t);
                    return (
                      <Table.Tr key={r.id}>
                        <Table.Td>#{r.id}</Table.Td>
                        <Table.Td>{f.dateTime(r.createdAt)}</Table.Td>
                        <Table.Td>{d.what}</Table.Td>
                        <Table.Td><Badge color={d.color}>{d.status}</Badge></Table.Td>
                        <Table.Td>{d.by}</Table.Td>
                        <Table.Td>
                          <Text size="xs" c={r.override ? 'red' : 'dimmed'}>{d.result}</Text>
                          {r.states && Object.keys(r.states).length > 0 && <Anchor component={Link} to={`${base}/outbox?run=${r.id}`} size="xs" data-testid={`run-states-${r.id}`}>{describeCounts(r.states, t)}</Anchor>}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </Tabs.Panel>
      </Tabs>
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={t('dunning.confirmSend', { n: confirming?.length || messageCount })} centered>
        <Stack>
          {p?.blocked && override && <Alert color="red" variant="light">{p.blocked.message[lang]}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(null)}>{t('common.cancel')}</Button>
            <Button leftSection={<IconSend size={16} />} loading={send.isPending} data-testid="send-confirm" onClick={() => send.mutate(confirming && confirming.length > 0 ? confirming : null)}>{t('dunning.sendAll')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

const STEP_PAGE = 100;

/** One step's letters: the first page of the stored proposal, largest amounts first. */
function StepMessages({ selectable, step, computedAt, selected, setSelected, toggle, letterUrl }: {
  selectable: boolean; step: Step; computedAt: string; selected: Set<string>; setSelected: Dispatch<SetStateAction<Set<string>>>; toggle: (key: string, on: boolean) => void; letterUrl: (key: string) => string;
}) {
  const { adminId, base } = useAdmin();
  const { t, f } = useLocale();
  const q = useQuery({
    queryKey: ['dunning-preview', adminId, 'messages', step.key, computedAt],
    queryFn: () => get<Page<Message>>(apiPath(adminId, '/dunning/proposal/messages'), { step: step.key, limit: STEP_PAGE }),
  });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading />;
  const rows = q.data.rows;
  const keys = rows.map((m) => m.dedupeKey);
  const all = keys.length > 0 && keys.every((k) => selected.has(k));
  const some = keys.some((k) => selected.has(k));
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing={6} fz="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            {selectable && <Table.Th w={36}><Checkbox size="xs" aria-label={t('dunning.selectAll')} checked={all} indeterminate={some && !all} onChange={(e) => { const on = e.currentTarget.checked; setSelected((cur) => { const n = new Set(cur); keys.forEach((k) => (on ? n.add(k) : n.delete(k))); return n; }); }} /></Table.Th>}
            <Table.Th>{t('items.debtor')}</Table.Th>
            <Table.Th>{t('dunning.items')}</Table.Th>
            <Table.Th>{t('dunning.channel')}</Table.Th>
            <Table.Th ta="right">{t('dunning.principal')}</Table.Th>
            <Table.Th ta="right">{t('dunning.costs')}</Table.Th>
            <Table.Th ta="right">{t('dunning.interest')}</Table.Th>
            <Table.Th ta="right">{t('dunning.total')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((m) => (
            <Table.Tr key={m.dedupeKey} data-testid="dunning-message">
              {selectable && <Table.Td><Checkbox size="xs" aria-label={m.debtorName} checked={selected.has(m.dedupeKey)} onChange={(e) => toggle(m.dedupeKey, e.currentTarget.checked)} /></Table.Td>}
              <Table.Td><Anchor component={Link} to={`${base}/debtors/${m.debtorId}`} size="sm">{m.debtorName}</Anchor> <Text span size="xs" c="dimmed">{m.debtorNumber}</Text></Table.Td>
              <Table.Td><Text size="sm" truncate maw={220} title={m.itemNumbers.join(', ')}>{m.itemNumbers.join(', ')}</Text></Table.Td>
              <Table.Td><Badge size="sm" color={m.channel === 'email' ? 'brand' : m.channel === 'phone' ? 'cyan' : 'gray'}>{m.channel}</Badge></Table.Td>
              <Table.Td className="num">{f.money(m.principalCents / 100, m.currency)}</Table.Td>
              <Table.Td className="num">{m.costsCents ? f.money(m.costsCents / 100, m.currency) : '—'}</Table.Td>
              <Table.Td className="num">{m.interestCents ? f.money(m.interestCents / 100, m.currency) : '—'}</Table.Td>
              <Table.Td className="num" fw={600}>{f.money(m.totalCents / 100, m.currency)}</Table.Td>
              <Table.Td><Anchor href={letterUrl(m.dedupeKey)} target="_blank" rel="noreferrer" size="sm" style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }} data-testid="letter-link"><IconFile size={14} />PDF</Anchor></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.data.total > rows.length && <Text size="xs" c="dimmed" mt="xs">{t('dunning.moreMessages', { shown: f.number(rows.length), total: f.number(q.data.total) })}</Text>}
    </Table.ScrollContainer>
  );
}
