/** One debtor: header facts, aging of what is open, open items, the dossier, and the actions. */
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Progress, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { get, type Debtor, type Item, type Page, type TimelineEvent } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useLocale } from '../app/locale.tsx';
import { statusColor, statusLabel, useStatuses } from '../app/statuses.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { HoldButton } from '../components/HoldButton.tsx';
import { Timeline } from '../components/Timeline.tsx';
import { DebtorActions, useBehaviour } from '../components/DebtorActions.tsx';
import { Agreements, useAgreements } from '../components/Agreements.tsx';
import { NextStep } from '../components/NextStep.tsx';
import { PortalCard } from '../components/PortalCard.tsx';
import { DebtorDirectDebit } from '../components/DebtorDirectDebit.tsx';
import { ErrorState, Fact, HoldBadge, Loading, Money, PageHeader, SectionCard } from '../components/ui.tsx';
import { IconPause } from '../components/icons.tsx';
import { daysBetween, todayIso } from '../format.ts';
import type { Key } from '../i18n.ts';

const BUCKETS = [
  { key: 'not_due', color: 'green.6', min: -Infinity, max: 0 },
  { key: 'd1_30', color: 'yellow.5', min: 1, max: 30 },
  { key: 'd31_60', color: 'orange.6', min: 31, max: 60 },
  { key: 'd61_90', color: 'red.6', min: 61, max: 90 },
  { key: 'over_90', color: 'pink.9', min: 91, max: Infinity },
] as const;

export default function DebtorPage() {
  const { debtorId } = useParams();
  const id = Number(debtorId);
  const { adminId, base } = useAdmin();
  const { t, f, lang } = useLocale();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const statuses = useStatuses(adminId);
  const behaviour = useBehaviour(adminId, id);
  const debtor = useQuery({ queryKey: ['debtor', adminId, id], queryFn: () => get<Debtor>(apiPath(adminId, `/debtors/${id}`)) });
  // balance and overdue come with the list endpoint (this one debtor)
  const balance = useQuery({
    queryKey: ['debtor-balance', adminId, id],
    enabled: !!debtor.data,
    queryFn: async () => (await get<Page<Debtor>>(apiPath(adminId, '/debtors'), { ids: String(id), limit: 1 })).rows.find((d) => d.id === id) ?? null,
  });
  const items = useQuery({ queryKey: ['debtor-items', adminId, id], queryFn: () => get<Page<Item>>(apiPath(adminId, '/items'), { debtorId: id, status: 'open', limit: 500 }) });
  const timeline = useInfiniteQuery({
    queryKey: ['timeline', adminId, id],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => get<TimelineEvent[]>(apiPath(adminId, `/debtors/${id}/timeline`), { limit: 30, before: pageParam }),
    getNextPageParam: (last) => (last.length === 30 ? last[last.length - 1]!.id : undefined),
  });
  const agreements = useAgreements(adminId, id);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['agreements', adminId, id] });
    void qc.invalidateQueries({ queryKey: ['debtor', adminId, id] });
    void qc.invalidateQueries({ queryKey: ['debtor-balance', adminId, id] });
    void qc.invalidateQueries({ queryKey: ['timeline', adminId, id] });
    void qc.invalidateQueries({ queryKey: ['debtor-items', adminId, id] });
    void qc.invalidateQueries({ queryKey: ['debtors', adminId] });
    void qc.invalidateQueries({ queryKey: ['behaviour', adminId, id] });
    void qc.invalidateQueries({ queryKey: ['dashboard', adminId] });
  };

  if (debtor.error) return <ErrorState error={debtor.error} onRetry={() => debtor.refetch()} />;
  if (!debtor.data) return <Loading h={400} />;
  const d = debtor.data;
  const b = balance.data;
  const today = todayIso();
  const open = items.data?.rows ?? [];
  const sums = BUCKETS.map((bk) => ({ ...bk, cents: open.filter((i) => Number(i.open) > 0).reduce((s, i) => { const late = daysBetween(i.dueDate, today); return late >= bk.min && late <= bk.max ? s + Number(i.open) : s; }, 0) }));
  const positive = sums.reduce((s, x) => s + x.cents, 0);
  const limit = d.creditLimit !== null ? Number(d.creditLimit) : null;
  const used = limit && b ? Number(b.balance) / limit : null;
  const disputed = new Set(agreements.disputes.flatMap((x) => x.itemIds));

  const columns: Column<Item>[] = [
    { id: 'number', header: t('items.number'), cell: (i) => <Anchor component={Link} to={`${base}/items/${i.id}`} size="sm" fw={500} onClick={(e) => e.stopPropagation()}>{i.number}</Anchor> },
    { id: 'kind', header: t('items.kind'), cell: (i) => i.kind === 'invoice' ? <Text size="sm" c="dimmed">{t('items.kind.invoice')}</Text> : <Badge color="violet">{t(`items.kind.${i.kind}` as Key)}</Badge> },
    { id: 'issue', header: t('items.issueDate'), cell: (i) => f.date(i.issueDate) },
    { id: 'due', header: t('items.dueDate'), cell: (i) => f.date(i.dueDate) },
    { id: 'late', header: t('items.daysLate'), align: 'right', cell: (i) => { const late = daysBetween(i.dueDate, today); return late > 0 && Number(i.open) > 0 ? <Text size="sm" c={late > 60 ? 'red.7' : late > 30 ? 'orange.7' : undefined} fw={500}>{late}</Text> : <Text size="sm" c="dimmed">—</Text>; } },
    { id: 'amount', header: t('items.amount'), align: 'right', cell: (i) => <Money value={i.amount} currency={i.currency} /> },
    { id: 'open', header: t('items.open'), align: 'right', cell: (i) => <Group gap={6} justify="flex-end" wrap="nowrap">{disputed.has(i.id) && <Badge color="orange" variant="light" data-testid="item-disputed">{t('items.disputed')}</Badge>}{i.onHold && <HoldBadge reason={i.holdReason} />}<Money value={i.open} currency={i.currency} strong /></Group> },
  ];

  return (
    <>
      <PageHeader
        back={{ to: `${base}/debtors`, label: t('debtor.back') }}
        title={<Group gap="sm" component="span">{d.name}{d.onHold && <HoldBadge reason={d.holdReason} />}</Group>}
        sub={[d.number, d.city, d.type === 'business' ? t('debtors.business') : t('debtors.consumer')].filter(Boolean).join(' · ')}
        actions={
          <>
            <Button component={Link} to={`${base}/inbox?debtor=${id}`} variant="default" data-testid="debtor-inbox">{t('inbox.debtorMessages')}</Button>
            <NextStep adminId={adminId} debtorId={id} debtorName={d.name} onDone={refresh} />
            <DebtorActions adminId={adminId} debtor={d} openItems={open} onDone={refresh} />
            <HoldButton path={apiPath(adminId, `/debtors/${id}`)} onHold={d.onHold} onDone={refresh} heldText={t('debtor.held')} releasedText={t('debtor.released')} />
          </>
        }
      />
      {d.onHold && (
        <Alert color="orange" variant="light" icon={<IconPause />} mb="md" data-testid="hold-alert">{t('debtor.onHoldSince', { reason: d.holdReason ?? '—' })}</Alert>
      )}
      <Card mb="md" data-testid="debtor-facts">
        <SimpleGrid cols={{ base: 2, sm: 4, lg: 8 }} spacing="lg" verticalSpacing="md">
          <Fact label={t('debtor.balance')} testId="fact-balance">{b ? <Money value={b.balance} /> : '…'}</Fact>
          <Fact label={t('debtor.overdue')} testId="fact-overdue">{b ? <Money value={b.overdue} color={Number(b.overdue) > 0 ? 'red.7' : undefined} /> : '…'}</Fact>
          <Fact label={t('debtor.creditLimit')}>
            {limit === null ? <Text c="dimmed" inherit>{t('debtor.noLimit')}</Text> : (
              <Stack gap={4}>
                <Money value={d.creditLimit} />
                {used !== null && (
                  <Tooltip label={t('debtor.creditUsed', { pct: f.percent(used) })}>
                    <Progress value={Math.min(100, used * 100)} color={used > 1 ? 'red' : used > 0.8 ? 'orange' : 'brand'} size="xs" aria-label={t('debtor.creditUsed', { pct: f.percent(used) })} />
                  </Tooltip>
                )}
              </Stack>
            )}
          </Fact>
          <Fact label={t('debtor.behaviour')}>{behaviour ?? <Text c="dimmed" inherit fw={400}>{t('debtor.behaviourUnknown')}</Text>}</Fact>
          <Fact label={t('debtor.status')} testId="fact-status"><Badge color={statusColor(d.status)} size="md" style={{ maxWidth: "none" }}>{statusLabel(statuses, d.status, lang)}</Badge></Fact>
          <Fact label={t('debtor.segment')}>{d.segment ?? <Text c="dimmed" inherit fw={400}>—</Text>}</Fact>
          <Fact label={t('debtor.policy')}><Text inherit fw={400}>{t('debtor.policyDefault')}</Text></Fact>
          <Fact label={t('debtor.term')}>{d.paymentTermDays !== null ? t('debtor.termDays', { n: d.paymentTermDays }) : '—'}</Fact>
        </SimpleGrid>
        {positive > 0 && (
          <Stack gap={6} mt="lg">
            <Progress.Root size={14} aria-label={t('debtor.agingBar')}>
              {sums.filter((s) => s.cents > 0).map((s) => (
                <Tooltip key={s.key} label={`${t(`aging.${s.key}` as Key)}: ${f.money(s.cents)}`}>
                  <Progress.Section value={(s.cents / positive) * 100} color={s.color} />
                </Tooltip>
              ))}
            </Progress.Root>
            <Group gap="lg">
              {sums.filter((s) => s.cents > 0).map((s) => (
                <Group key={s.key} gap={6}>
                  <div style={{ width: 10, height: 10, borderRadius: 3, background: `var(--mantine-color-${s.color.replace('.', '-')})` }} />
                  <Text size="xs" c="dimmed">{t(`aging.${s.key}` as Key)}</Text>
                  <Text size="xs" fw={600}>{f.money(s.cents)}</Text>
                </Group>
              ))}
            </Group>
          </Stack>
        )}
      </Card>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
          <Agreements adminId={adminId} debtorId={id} items={open} onDone={refresh} />
          <SectionCard title={t('debtor.openItems')} sub={items.data ? t('items.count', { n: f.number(items.data.total ?? open.length) }) : undefined} p={0} testId="debtor-items">
            {items.isPending ? <Loading /> : items.error ? <ErrorState error={items.error} /> : (
              <DataTable rows={open} columns={columns} rowKey={(i) => i.id} empty={t('debtor.noOpenItems')} onRowClick={(i) => navigate(`${base}/items/${i.id}`)} />
            )}
          </SectionCard>
          <DebtorDirectDebit adminId={adminId} debtorId={id} />
          <SectionCard title={t('debtor.contact')} p="lg">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <Stack gap={2}>
                <Text size="sm">{d.addressLine ?? '—'}</Text>
                <Text size="sm">{[d.postalCode, d.city].filter(Boolean).join('  ')}</Text>
                <Text size="sm" c="dimmed">{d.country ?? ''}</Text>
              </Stack>
              <Stack gap={2} miw={0}>
                {/* a long address breaks rather than running into the next column */}
                {d.emails.map((e) => <Anchor key={e} href={`mailto:${e}`} size="sm" style={{ overflowWrap: 'anywhere' }}>{e}</Anchor>)}
                {d.phone && <Anchor href={`tel:${d.phone}`} size="sm">{d.phone}</Anchor>}
                {d.kvk && <Text size="sm" c="dimmed">{t('debtor.kvk')} {d.kvk}</Text>}
                {d.vatNumber && <Text size="sm" c="dimmed">{t('debtor.vat')} {d.vatNumber}</Text>}
              </Stack>
              <Stack gap={2}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('debtor.ibans')}</Text>
                {d.ibans.length ? d.ibans.map((i) => <Text key={i} size="sm" ff="monospace">{i}</Text>) : <Text size="sm" c="dimmed">—</Text>}
              </Stack>
            </SimpleGrid>
          </SectionCard>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
          <PortalCard adminId={adminId} debtorId={id} />
          <SectionCard title={t('debtor.timeline')}>
            {timeline.isPending ? <Loading /> : timeline.error ? <ErrorState error={timeline.error} /> : (
              <Stack>
                <Timeline events={timeline.data.pages.flat()} adminId={adminId} emptyText={t('debtor.noTimeline')} />
                {timeline.hasNextPage && <Button variant="subtle" size="xs" onClick={() => timeline.fetchNextPage()} loading={timeline.isFetchingNextPage}>{t('debtor.moreTimeline')}</Button>}
              </Stack>
            )}
          </SectionCard>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
