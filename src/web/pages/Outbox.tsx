/**
 * The outbox: every dunning message with its state, counts per state (refreshed while messages
 * are on their way), filters by state, step, run and debtor; a message's recipient, subject, items,
 * credits, attachments, every state it went through and the server's answer; what a person does
 * (send again, cancel, settle an uncertain one); print batches of a run's letters, marked posted
 * in one action.
 */
import { errorText } from '../app/problems.ts';
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Chip, Drawer, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { ApiError, documentUrl, get, post, postBlob } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { describeCounts, OUTBOX_STATES, stateColor } from '../app/runs.ts';
import { useToast } from '../components/toast.tsx';
import { Empty, ErrorState, Loading, PageHeader, SectionCard } from '../components/ui.tsx';
import type { Key } from '../i18n.ts';

type Msg = {
  id: number; runId: number; debtorId: number; debtorNumber: string | null; debtorName: string | null; stepKey: string; stepName: string | null; delivery: 'email' | 'paper' | 'task'; status: string;
  attempts: number; recipient: string | null; subject: string | null; items: string[]; total: string | null; currency: string | null; letterDate: string | null; reachedOn: string | null;
  lastError: string | null; messageId: string | null; smtpResponse: string | null; documentId: number | null; createdAt: string; sentAt: string | null; postedAt: string | null; nextAttemptAt: string | null;
};
type Detail = Msg & {
  history: { from: string | null; to: string; at: string; actor: string | null; detail: string | null }[];
  attachments: { filename: string; contentType: string; documentId: number | null }[];
  itemsDetail: { number: string; dueDate: string; openCents: number }[];
  credits: { number: string; kind: string; openCents: number }[];
  actions: ('resend' | 'cancel' | 'mark_sent' | 'mark_not_sent' | 'mark_posted' | 'mark_bounced')[];
};
type List = { rows: Msg[]; total: number; counts: Record<string, number> };

export default function Outbox() {
  const { adminId } = useAdmin();
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const mayWrite = useMayWrite('POST', '/outbox/1/resend');
  const [state, setState] = useState<string[]>(params.get('status')?.split(',').filter(Boolean) ?? []);
  const [step, setStep] = useState(params.get('step') ?? '');
  const [run, setRun] = useState(params.get('run') ?? '');
  const [debtor, setDebtor] = useState(params.get('debtor') ?? '');
  const [open, setOpen] = useState<number | null>(null);
  const filter = { status: state.join(',') || undefined, step: step.trim() || undefined, runId: /^\d+$/.test(run.trim()) ? run.trim() : undefined, debtor: debtor.trim() || undefined, limit: 200 };
  const list = useQuery({
    queryKey: ['outbox', adminId, filter],
    queryFn: () => get<List>(apiPath(adminId, '/outbox'), filter),
    // while something is on its way the counts follow the delivery
    refetchInterval: (q) => ((q.state.data?.counts.queued ?? 0) + (q.state.data?.counts.sending ?? 0) > 0 ? 3000 : false),
  });
  const paper = useQuery({ queryKey: ['outbox', adminId, 'paper'], queryFn: () => get<List>(apiPath(adminId, '/outbox'), { status: 'to_print,printed', delivery: 'paper', limit: 1000 }) });
  const detail = useQuery({ queryKey: ['outbox', adminId, 'detail', open], queryFn: () => get<Detail>(apiPath(adminId, `/outbox/${open}`)), enabled: open !== null });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['outbox', adminId] });
    void qc.invalidateQueries({ queryKey: ['timeline', adminId] });
  };
  const act = useMutation({
    mutationFn: ({ id, action }: { id: number; action: Detail['actions'][number] }) =>
      action === 'resend' ? post<Msg>(apiPath(adminId, `/outbox/${id}/resend`))
      : action === 'cancel' ? post<Msg>(apiPath(adminId, `/outbox/${id}/cancel`), {})
      : action === 'mark_bounced' ? post<Msg>(apiPath(adminId, `/outbox/${id}/bounced`), {})
      : post<Msg>(apiPath(adminId, `/outbox/${id}/mark-sent`), { sent: action === 'mark_sent' }),
    onSuccess: (m) => { toast.ok(t('outbox.done', { id: m.id, state: t(`outbox.state.${m.status}` as Key) })); refresh(); },
    onError: (e) => toast.error(errorText(e, t, f), t('app.error')),
  });
  const print = useMutation({
    mutationFn: async (runId: number) => {
      const blob = await postBlob(apiPath(adminId, `/dunning/runs/${runId}/print-batch`));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `printbatch-run-${runId}.pdf`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    onSuccess: refresh,
    onError: (e) => toast.error(errorText(e, t, f), t('app.error')),
  });
  const posted = useMutation({
    mutationFn: (runId: number) => post<{ posted: number }>(apiPath(adminId, `/dunning/runs/${runId}/posted`), {}),
    onSuccess: (r) => { toast.ok(t('outbox.posted', { n: r.posted })); refresh(); },
    onError: (e) => toast.error(errorText(e, t, f), t('app.error')),
  });

  const batches = new Map<number, Msg[]>();
  for (const m of paper.data?.rows ?? []) batches.set(m.runId, [...(batches.get(m.runId) ?? []), m]);
  const apply = () => setParams((p) => { const n = new URLSearchParams(p); for (const [k, v] of Object.entries({ status: state.join(','), step, run, debtor })) if (v) n.set(k, v); else n.delete(k); return n; }, { replace: true });
  const d = detail.data;

  return (
    <>
      <PageHeader title={t('outbox.title')} sub={t('outbox.sub')} />
      {batches.size > 0 && (
        <SectionCard title={t('outbox.print')} sub={t('outbox.printSub')} testId="print-batches">
          <Stack gap="xs">
            {[...batches].sort((a, b) => b[0] - a[0]).map(([runId, ms]) => (
              <Group key={runId} justify="space-between" data-testid={`batch-${runId}`}>
                <Text size="sm">{t('outbox.printRun', { run: runId, n: ms.length })} · {describeCounts(Object.fromEntries(['to_print', 'printed'].map((s) => [s, ms.filter((m) => m.status === s).length])), t)}</Text>
                {mayWrite && (
                  <Group gap="xs">
                    <Button size="xs" variant="light" loading={print.isPending && print.variables === runId} onClick={() => print.mutate(runId)} data-testid={`print-${runId}`}>{t('outbox.printPdf')}</Button>
                    <Button size="xs" color="teal" loading={posted.isPending && posted.variables === runId} onClick={() => posted.mutate(runId)} data-testid={`posted-${runId}`}>{t('outbox.markPosted')}</Button>
                  </Group>
                )}
              </Group>
            ))}
          </Stack>
        </SectionCard>
      )}
      <Card mt="md">
        <Stack gap="sm">
          <Chip.Group multiple value={state} onChange={setState}>
            <Group gap={6}>
              {OUTBOX_STATES.map((s) => (
                <Chip key={s} value={s} size="xs" color={stateColor(s)} data-testid={`state-${s}`}>
                  {t(`outbox.state.${s}` as Key)}{list.data?.counts[s] ? ` (${list.data.counts[s]})` : ''}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          <Group gap="sm" align="flex-end">
            <TextInput size="xs" label={t('outbox.filterStep')} value={step} onChange={(e) => setStep(e.currentTarget.value)} w={160} />
            <TextInput size="xs" label={t('outbox.filterRun')} value={run} onChange={(e) => setRun(e.currentTarget.value)} w={90} data-testid="filter-run" />
            <TextInput size="xs" label={t('outbox.filterDebtor')} value={debtor} onChange={(e) => setDebtor(e.currentTarget.value)} w={160} data-testid="filter-debtor" />
            <Button size="xs" variant="default" onClick={apply} data-testid="outbox-apply">{t('common.search')}</Button>
            <Text size="sm" c="dimmed" ml="auto" data-testid="outbox-counts">{list.data ? `${t('outbox.counts')}: ${describeCounts(list.data.counts, t)}` : ''}</Text>
          </Group>
        </Stack>
      </Card>
      <Card mt="md" p={0}>
        {list.error ? <ErrorState error={list.error} onRetry={() => list.refetch()} /> : !list.data ? <Loading /> : list.data.rows.length === 0 ? <Empty>{t('outbox.none')}</Empty> : (
          <Table highlightOnHover data-testid="outbox-table">
            <Table.Thead>
              <Table.Tr>
                {(['id', 'debtor', 'step', 'via', 'to', 'total', 'status', 'answer'] as const).map((c) => <Table.Th key={c}>{t(`outbox.col.${c}`)}</Table.Th>)}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.rows.map((m) => (
                <Table.Tr key={m.id} style={{ cursor: 'pointer' }} onClick={() => setOpen(m.id)} data-testid={`outbox-row-${m.id}`}>
                  <Table.Td>{m.id}</Table.Td>
                  <Table.Td>{m.debtorNumber} {m.debtorName}</Table.Td>
                  <Table.Td>{m.stepName ?? m.stepKey}</Table.Td>
                  <Table.Td>{t(`outbox.via.${m.delivery}`)}</Table.Td>
                  <Table.Td><Text size="sm" lineClamp={1}>{m.recipient ?? ''}</Text></Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{m.total !== null ? f.money(Number(m.total)) : ''}</Table.Td>
                  <Table.Td><Badge color={stateColor(m.status)} variant="light" data-testid="outbox-state">{t(`outbox.state.${m.status}` as Key)}</Badge></Table.Td>
                  <Table.Td><Text size="xs" c={m.lastError ? 'red' : 'dimmed'} lineClamp={1}>{m.lastError ?? m.smtpResponse ?? ''}</Text></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="lg" title={open !== null ? t('outbox.detail', { id: open }) : ''}>
        {detail.error ? <ErrorState error={detail.error} /> : !d ? <Loading /> : (
          <Stack gap="sm" data-testid="outbox-detail">
            <Group gap="xs"><Badge color={stateColor(d.status)}>{t(`outbox.state.${d.status}` as Key)}</Badge><Text size="sm">{d.stepName} · {t(`outbox.via.${d.delivery}`)}</Text></Group>
            {d.status === 'uncertain' && <Alert color="orange" variant="light">{t('outbox.uncertainHelp')}</Alert>}
            <Text size="sm"><b>{t('outbox.col.to')}:</b> {d.recipient ?? '—'}</Text>
            <Text size="sm"><b>{t('outbox.subject')}:</b> {d.subject ?? '—'}</Text>
            <Text size="sm"><b>{t('outbox.letterDate')}:</b> {d.letterDate ? f.date(d.letterDate) : '—'}{d.reachedOn ? ` · ${t('outbox.reachedOn')}: ${f.date(d.reachedOn)}` : ''}</Text>
            <Text size="sm"><b>{t('outbox.items')}:</b> {d.itemsDetail.map((i) => `${i.number} ${f.money(i.openCents / 100)}`).join(', ')}</Text>
            {d.credits.length > 0 && <Text size="sm"><b>{t('outbox.credits')}:</b> {d.credits.map((c) => `${c.number} ${f.money(c.openCents / 100)}`).join(', ')}</Text>}
            <Text size="sm"><b>{t('outbox.attachments')}:</b> {d.attachments.map((a, i) => a.documentId ? <Anchor key={i} href={documentUrl(adminId, a.documentId)} target="_blank" mr="xs">{a.filename}</Anchor> : <span key={i}>{a.filename} </span>)}</Text>
            {d.messageId && <Text size="sm"><b>{t('outbox.messageId')}:</b> <code>{d.messageId}</code></Text>}
            {d.smtpResponse && <Text size="sm" data-testid="outbox-server"><b>{t('outbox.server')}:</b> <code>{d.smtpResponse}</code></Text>}
            {d.lastError && <Text size="sm" c="red"><b>{t('outbox.error')}:</b> {d.lastError}</Text>}
            {d.nextAttemptAt && <Text size="sm">{t('outbox.retryAt', { time: f.dateTime(d.nextAttemptAt) })}</Text>}
            <Anchor href={`/api${apiPath(adminId, `/outbox/${d.id}/letter`)}`} target="_blank" size="sm">{t('outbox.letter')}</Anchor>
            <Title order={3} fz="sm" mt="sm">{t('outbox.history')}</Title>
            <Table data-testid="outbox-history">
              <Table.Tbody>
                {d.history.map((h, i) => (
                  <Table.Tr key={i}>
                    <Table.Td><Text size="xs">{f.dateTime(h.at)}</Text></Table.Td>
                    <Table.Td><Text size="xs">{h.from ? `${t(`outbox.state.${h.from}` as Key)} → ` : ''}{t(`outbox.state.${h.to}` as Key)}</Text></Table.Td>
                    <Table.Td><Text size="xs" c="dimmed">{[h.actor, h.detail].filter(Boolean).join(': ')}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {mayWrite && d.actions.length > 0 && (
              <Group gap="xs" mt="sm">
                {d.actions.filter((a) => a !== 'mark_posted').map((a) => (
                  <Button key={a} size="xs" variant={a === 'cancel' ? 'default' : 'light'} color={a === 'mark_not_sent' || a === 'mark_bounced' ? 'red' : undefined} loading={act.isPending} onClick={() => act.mutate({ id: d.id, action: a })} data-testid={`outbox-${a}`}>
                    {t(a === 'resend' ? 'outbox.resend' : a === 'cancel' ? 'outbox.cancel' : a === 'mark_sent' ? 'outbox.markSent' : a === 'mark_bounced' ? 'outbox.markBounced' : 'outbox.markNotSent')}
                  </Button>
                ))}
              </Group>
            )}
          </Stack>
        )}
      </Drawer>
    </>
  );
}
