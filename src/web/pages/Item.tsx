/** One item: its facts, the payments and settlements against it, its history, and its document (PDF/XML). */
import { Anchor, Badge, Button, Card, Grid, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { documentUrl, get, type ItemDetail, type Payment } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useLocale } from '../app/locale.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { HoldButton } from '../components/HoldButton.tsx';
import { Timeline } from '../components/Timeline.tsx';
import { Empty, ErrorState, Fact, HoldBadge, Loading, Money, PageHeader, SectionCard } from '../components/ui.tsx';
import { IconExternal, IconFile } from '../components/icons.tsx';
import { daysBetween, todayIso } from '../format.ts';
import type { Key } from '../i18n.ts';

export default function ItemPage() {
  const { itemId } = useParams();
  const id = Number(itemId);
  const { adminId, base } = useAdmin();
  const { t, f } = useLocale();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['item', adminId, id], queryFn: () => get<ItemDetail>(apiPath(adminId, `/items/${id}`)) });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading h={400} />;
  const i = q.data;
  const late = daysBetween(i.dueDate, todayIso());
  const open = Number(i.open);
  const refresh = () => { void qc.invalidateQueries({ queryKey: ['item', adminId, id] }); void qc.invalidateQueries({ queryKey: ['items', adminId] }); void qc.invalidateQueries({ queryKey: ['debtor-items', adminId, i.debtorId] }); };
  const dueBadge = open === 0 ? <Badge color="teal" size="lg">{t('item.paidFull')}</Badge>
    : late > 0 ? <Badge color={late > 60 ? 'red' : 'orange'} size="lg">{t('item.daysOverdue', { n: late })}</Badge>
    : late === 0 ? <Badge color="yellow" size="lg">{t('item.dueToday')}</Badge>
    : <Badge color="gray" size="lg">{t('item.dueIn', { n: -late })}</Badge>;
  const payCols: Column<Payment>[] = [
    { id: 'date', header: t('common.date'), cell: (p) => f.date(p.date) },
    { id: 'kind', header: t('items.kind'), cell: (p) => t((`item.booking.${p.kind}`) as Key) },
    { id: 'status', header: t('common.status'), cell: (p) => <Badge color={p.status === 'reversed' ? 'gray' : p.status === 'auto' ? 'teal' : 'brand'}>{t(`item.bookingStatus.${p.status}` as Key)}</Badge> },
    { id: 'source', header: t('item.source'), cell: (p) => p.bankLineId ? <Anchor component={Link} to={`${base}/bank?line=${p.bankLineId}`} size="sm">{t('item.bankLine', { id: p.bankLineId })}</Anchor> : <Text size="sm" c="dimmed">{p.note ?? '—'}</Text> },
    { id: 'amount', header: t('common.amount'), align: 'right', cell: (p) => <Money value={p.amount} currency={i.currency} strong /> },
  ];
  const docUrl = i.documentId ? documentUrl(adminId, i.documentId) : null;
  return (
    <>
      <PageHeader
        back={{ to: `${base}/items`, label: t('item.back') }}
        title={<Group gap="sm" component="span">{t(`items.kind.${i.kind}` as Key)} {i.number}{i.onHold && <HoldBadge reason={i.holdReason} />}</Group>}
        sub={<Anchor component={Link} to={`${base}/debtors/${i.debtorId}`} size="sm">{i.debtorName} · {i.debtorNumber}</Anchor>}
        actions={<HoldButton path={apiPath(adminId, `/items/${id}`)} onHold={i.onHold} onDone={refresh} heldText={t('item.held')} releasedText={t('item.released')} />}
      />
      <Card mb="md" data-testid="item-facts">
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="lg">
          <Fact label={t('items.amount')}><Money value={i.amount} currency={i.currency} /></Fact>
          <Fact label={t('items.open')}><Money value={i.open} currency={i.currency} color={open > 0 && late > 0 ? 'red.7' : undefined} /></Fact>
          <Fact label={t('items.issueDate')}>{f.date(i.issueDate)}</Fact>
          <Fact label={t('items.dueDate')}>{f.date(i.dueDate)}</Fact>
          <Fact label={t('common.status')}>{dueBadge}</Fact>
          <Fact label={t('item.reference')}><Text ff="monospace" inherit fw={500} size="sm">{i.paymentReference ?? '—'}</Text></Fact>
        </SimpleGrid>
        {(i.description || i.holdReason) && (
          <Stack gap={4} mt="md">
            {i.description && <Text size="sm"><Text span c="dimmed" size="sm">{t('item.description')}: </Text>{i.description}</Text>}
            {i.onHold && <Text size="sm" c="orange.8">{t('debtor.onHoldSince', { reason: i.holdReason ?? '—' })}</Text>}
          </Stack>
        )}
      </Card>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <SectionCard title={t('item.payments')} p={0} testId="item-payments">
              <DataTable rows={i.payments} columns={payCols} rowKey={(p) => `${p.bookingId}-${p.date}-${p.amount}`} empty={t('item.noPayments')} />
            </SectionCard>
            <SectionCard title={t('item.document')} testId="item-document"
              actions={docUrl ? <Button component="a" href={docUrl} target="_blank" rel="noreferrer" size="xs" variant="light" leftSection={<IconExternal size={14} />}>{t('item.openDocument')}</Button> : undefined}>
              {docUrl ? <iframe title={t('item.document')} src={docUrl} style={{ width: '100%', height: 520, border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, background: 'white' }} /> : <Empty icon={<IconFile size={28} />}>{t('item.noDocument')}</Empty>}
            </SectionCard>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <SectionCard title={t('item.history')}>
            <Timeline events={i.events} adminId={adminId} emptyText={t('common.nothing')} />
          </SectionCard>
        </Grid.Col>
      </Grid>
    </>
  );
}
