/**
 * The inbox: what came back from the mailbox (replies, automatic replies, bounces). The unassigned
 * queue first; each message with its new part (the quoted rest folded away), attachments as
 * documents, problems, and its suggestions: one click makes the promise, dispute or task it
 * describes. An unassigned message gets a debtor by its number with one click (the sender is
 * remembered). ?debtor=ID shows one debtor's messages.
 */
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, SegmentedControl, Spoiler, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ApiError, documentUrl, get, post, type Debtor, type Page } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { useToast } from '../components/toast.tsx';
import { Empty, ErrorState, Loading, PageHeader } from '../components/ui.tsx';
import type { Key } from '../i18n.ts';

type Suggestion = { kind: string; index: number; applied: boolean; evidence: string; date?: string | null; amountCents?: number | null; itemNumbers?: string[]; email?: string | null; until?: string | null };
export type InboundMessage = {
  id: number; receivedAt: string; kind: 'reply' | 'auto_reply' | 'bounce'; status: 'unread' | 'read' | 'assigned'; from: string | null; fromName: string | null; subject: string; debtorId: number | null;
  debtorNumber: string | null; debtorName: string | null; resolvedBy: string | null; fresh: string; quoted: string; suggestions: Suggestion[]; problems: string[];
  attachments: { documentId: number | null; filename: string; contentType: string; size: number; dropped: boolean }[];
};
export type InboxList = { rows: InboundMessage[]; total: number; counts: { unreadReplies: number; unassigned: number } };

function SuggestionText({ s }: { s: Suggestion }) {
  const { t, f } = useLocale();
  const vars: Record<string, string> = {
    date: s.kind === 'promise' ? (s.date ? f.date(s.date) : t('inbox.s.unknownDate')) : s.date ? ` (${f.date(s.date)})` : '',
    amount: s.amountCents ? f.money(s.amountCents / 100) : t('inbox.s.unknownAmount'),
    items: s.itemNumbers?.length ? `: ${s.itemNumbers.join(', ')}` : '',
    email: s.email ? `: ${s.email}` : '',
    until: s.until ? ` (${f.date(s.until)})` : '',
  };
  return <Text size="sm" fw={500}>{t(`inbox.s.${s.kind}` as Key, vars)}</Text>;
}

function MessageCard({ m, onChanged }: { m: InboundMessage; onChanged: () => void }) {
  const { adminId, base } = useAdmin();
  const { t, f } = useLocale();
  const toast = useToast();
  const mayWrite = useMayWrite('POST', '/inbox/{id}/assign');
  const [number, setNumber] = useState('');
  const fail = (e: unknown) => toast.error(e instanceof ApiError ? e.message : String(e), t('app.error'));
  const assign = useMutation({
    mutationFn: async () => {
      const found = await get<Page<Debtor>>(apiPath(adminId, '/debtors'), { search: number.trim(), limit: 20 });
      const d = found.rows.find((x) => x.number.toLowerCase() === number.trim().toLowerCase());
      if (!d) throw new Error(`${t('inbox.assignTo')}: ${number}?`);
      return post<InboundMessage>(apiPath(adminId, `/inbox/${m.id}/assign`), { debtorId: d.id });
    },
    onSuccess: (r) => { toast.ok(t('inbox.assigned', { debtor: `${r.debtorNumber} ${r.debtorName ?? ''}` })); onChanged(); },
    onError: fail,
  });
  const apply = useMutation({
    mutationFn: (index: number) => post<{ created: { kind: 'promise' | 'dispute' | 'task'; id: number } }>(apiPath(adminId, `/inbox/${m.id}/apply`), { index }),
    onSuccess: (r) => { toast.ok(t(`inbox.created.${r.created.kind}` as Key)); onChanged(); },
    onError: fail,
  });
  const read = useMutation({ mutationFn: (v: boolean) => post(apiPath(adminId, `/inbox/${m.id}/read`), { read: v }), onSuccess: onChanged, onError: fail });
  return (
    <Card withBorder data-testid={`inbox-message-${m.id}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Badge color={m.kind === 'bounce' ? 'red' : m.kind === 'auto_reply' ? 'gray' : 'brand'} variant="light">{t(`inbox.kind.${m.kind}` as Key)}</Badge>
            {m.status === 'unread' && <Badge color="orange" data-testid="inbox-unread">{t('inbox.status.unread')}</Badge>}
            <Text size="sm" fw={600}>{m.subject || '—'}</Text>
          </Group>
          <Text size="xs" c="dimmed">{f.dateTime(m.receivedAt)}</Text>
        </Group>
        <Text size="sm" c="dimmed">{t('inbox.from')}: {m.fromName ? `${m.fromName} <${m.from}>` : m.from ?? '—'} · {t('inbox.debtor')}:{' '}
          {m.debtorId ? <Anchor component={Link} to={`${base}/debtors/${m.debtorId}`} data-testid="inbox-debtor">{m.debtorNumber} {m.debtorName}</Anchor> : <span data-testid="inbox-no-debtor">{t('inbox.noDebtor')}</span>}
        </Text>
        {m.problems.length > 0 && <Alert color="orange" title={t('inbox.problems')} p="xs">{m.problems.map((p) => <Text key={p} size="xs">{p}</Text>)}</Alert>}
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="inbox-fresh">{m.fresh}</Text>
        {m.quoted && (
          <Spoiler maxHeight={0} showLabel={t('inbox.quoted')} hideLabel="▲">
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>{m.quoted}</Text>
          </Spoiler>
        )}
        {m.attachments.length > 0 && (
          <Group gap="xs">
            <Text size="xs" c="dimmed">{t('inbox.attachments')}:</Text>
            {m.attachments.map((a, i) => a.documentId
              ? <Anchor key={i} size="xs" href={documentUrl(adminId, a.documentId)} download={a.filename}>{a.filename}</Anchor>
              : <Text key={i} size="xs" c="dimmed">{a.filename} ({t('inbox.dropped')})</Text>)}
          </Group>
        )}
        {m.suggestions.length > 0 && (
          <Stack gap={4} mt={4}>
            <Text size="xs" c="dimmed" tt="uppercase">{t('inbox.suggestions')}</Text>
            {m.suggestions.map((s) => (
              <Group key={s.index} justify="space-between" wrap="nowrap" data-testid={`suggestion-${s.kind}`}>
                <div>
                  <SuggestionText s={s} />
                  <Text size="xs" c="dimmed">“{s.evidence}”</Text>
                </div>
                {s.applied ? <Badge color="teal" variant="light">{t('inbox.applied')}</Badge>
                  : mayWrite && m.debtorId ? <Button size="xs" variant="light" loading={apply.isPending && apply.variables === s.index} onClick={() => apply.mutate(s.index)} data-testid={`apply-${s.kind}`}>{t('inbox.apply')}</Button> : null}
              </Group>
            ))}
          </Stack>
        )}
        {mayWrite && (
          <Group gap="xs" mt={4}>
            {!m.debtorId && (
              <>
                <TextInput size="xs" placeholder={t('inbox.assignTo')} value={number} onChange={(e) => setNumber(e.currentTarget.value)} w={160} data-testid="assign-number" />
                <Button size="xs" onClick={() => assign.mutate()} loading={assign.isPending} disabled={!number.trim()} data-testid="assign">{t('inbox.assign')}</Button>
              </>
            )}
            <Button size="xs" variant="subtle" onClick={() => read.mutate(m.status === 'unread')} data-testid="mark-read">{m.status === 'unread' ? t('inbox.markRead') : t('inbox.markUnread')}</Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

export default function Inbox() {
  const { adminId } = useAdmin();
  const { t } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const debtor = params.get('debtor');
  const view = params.get('view') ?? (debtor ? 'all' : 'unassigned');
  const query = debtor ? { debtorId: debtor } : view === 'unassigned' ? { unassigned: 'true' } : view === 'unread' ? { status: 'unread' } : {};
  const list = useQuery({ queryKey: ['inbox', adminId, view, debtor], queryFn: () => get<InboxList>(apiPath(adminId, '/inbox'), { ...query, limit: 100 }) });
  const mayFetch = useMayWrite('POST', '/inbox/fetch');
  const fetchNow = useMutation({ mutationFn: () => post(apiPath(adminId, '/inbox/fetch'), {}), onSuccess: () => toast.ok(t('inbox.fetchQueued')) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['inbox', adminId] });
  const c = list.data?.counts;
  return (
    <>
      <PageHeader title={t('inbox.title')} sub={t('inbox.sub')} actions={mayFetch ? <Button variant="default" onClick={() => fetchNow.mutate()} loading={fetchNow.isPending}>{t('inbox.fetch')}</Button> : undefined} />
      {!debtor && (
        <SegmentedControl mb="md" value={view} onChange={(v) => setParams({ view: v }, { replace: true })} data-testid="inbox-view"
          data={[{ value: 'unassigned', label: `${t('inbox.unassigned')}${c ? ` (${c.unassigned})` : ''}` }, { value: 'unread', label: `${t('inbox.unread')}${c ? ` (${c.unreadReplies})` : ''}` }, { value: 'all', label: t('inbox.all') }]} />
      )}
      {list.error ? <ErrorState error={list.error} onRetry={() => list.refetch()} /> : !list.data ? <Loading /> : list.data.rows.length === 0 ? <Empty>{t('inbox.none')}</Empty> : (
        <Stack gap="sm" data-testid="inbox-list">
          {list.data.rows.map((m) => <MessageCard key={m.id} m={m} onChanged={refresh} />)}
        </Stack>
      )}
    </>
  );
}
