/** The first screen: what is outstanding and overdue, how old, DSO and its trend, what comes in, what is paused, the bank's freshness. */
import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Tooltip, Progress, Box } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { get, type Aging, type BankStatus, type Dashboard as DashboardData } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useLocale } from '../app/locale.tsx';
import type { Key } from '../i18n.ts';
import type { AgingKey } from '../../domain/aging.ts';
import { bucketQuery } from '../app/aging.ts';
import { todayIso } from '../format.ts';
import { ErrorState, Loading, Money, PageHeader, SectionCard, StatCard, Empty } from '../components/ui.tsx';
import { IconAlert, IconBank, IconClock, IconEuro, IconTrend, IconUpload } from '../components/icons.tsx';

const BUCKETS = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'] as const;

const BUCKET_COLORS = ['#37b24d', '#fab005', '#fd7e14', '#f03e3e', '#a61e4d'];

// The charts (and their library) are asked for once there is data to draw: the figures show first,
// without waiting for the library to load and run.
const charts = () => import('../components/charts.tsx');
const AgingChart = lazy(() => charts().then((m) => ({ default: m.AgingChart })));
const DsoChart = lazy(() => charts().then((m) => ({ default: m.DsoChart })));
const ExpectedChart = lazy(() => charts().then((m) => ({ default: m.ExpectedChart })));

export function Dashboard() {
  const { adminId, base } = useAdmin();
  const { t, f } = useLocale();
  const navigate = useNavigate();
  const dash = useQuery({ queryKey: ['dashboard', adminId], queryFn: () => get<DashboardData>(apiPath(adminId, '/dashboard')) });
  const aging = useQuery({ queryKey: ['aging', adminId, 'top'], queryFn: () => get<Aging>(apiPath(adminId, '/aging'), { debtors: true, limit: 8 }) });
  const bank = useQuery({ queryKey: ['bank-status', adminId], queryFn: () => get<BankStatus>(apiPath(adminId, '/bank-status')) });
  const inbox = useQuery({ queryKey: ['settings-inbox', adminId], queryFn: () => get<{ enabled: boolean; lastError: string | null }>(apiPath(adminId, '/settings/inbox')) });

  if (dash.error) return <ErrorState error={dash.error} onRetry={() => dash.refetch()} />;
  const d = dash.data;
  const a = aging.data;
  const b = bank.data;
  const open = Number(d?.open ?? 0);
  const overdue = Number(d?.overdue ?? 0);
  const stale = b?.stale ?? false; // past the administration's own gate (Instellingen → Werkwijze)
  const trend = d?.dsoTrend ?? [];
  const prev = trend.length > 1 ? trend[trend.length - 2]!.dso : null;
  const delta = d?.dso != null && prev != null ? Math.round((d.dso - prev) * 10) / 10 : null;

  const agingData = a ? BUCKETS.map((k, i) => ({ key: k, label: t(`aging.${k}` as Key), value: Number(a.totals[k]), color: BUCKET_COLORS[i]! })) : [];
  const expectedData = (d?.expected ?? []).map((w) => ({ label: f.dayMonth(w.weekStart), weekStart: w.weekStart, value: Number(w.due), items: w.items }));
  const trendData = trend.map((p) => ({ label: f.monthShort(p.month), dso: p.dso, month: p.month }));

  return (
    <>
      <PageHeader title={t('dash.title')} sub={d ? t('dash.asOf', { date: f.date(d.asOf) }) : ' '} />
      {inbox.data?.enabled && inbox.data.lastError && (
        <Alert color="red" mb="md" title={t('inbox.dashError')} data-testid="dash-inbox-error">
          {inbox.data.lastError} <Anchor component={Link} to={`${base}/settings?tab=inbox`} size="sm">{t('inbox.settings')}</Anchor>
        </Alert>
      )}
      <PackageFreshness adminId={adminId} />
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md" mb="md">
        <StatCard testId="stat-open" label={t('dash.open')} icon={<IconEuro />} value={d ? f.money(d.open) : '…'} sub={d ? t('dash.openSub', { items: f.number(d.openItems), debtors: f.number(d.debtorsOpen) }) : ' '} />
        <StatCard
          testId="stat-overdue"
          label={t('dash.overdue')}
          icon={<IconAlert />}
          color={overdue > 0 ? 'red.7' : undefined}
          value={d ? f.money(d.overdue) : '…'}
          sub={d ? t('dash.overdueSub', { pct: f.percent(open > 0 ? overdue / open : 0), debtors: f.number(d.debtorsOverdue) }) : ' '}
          footer={d && open > 0 ? <Progress value={(overdue / open) * 100} color="red" size="sm" aria-hidden /> : undefined}
        />
        <StatCard
          testId="stat-dso"
          label={t('dash.dso')}
          icon={<IconTrend />}
          value={<Tooltip label={t('dash.dsoHelp')} withArrow multiline w={260}><span>{d?.dso != null ? `${f.number(d.dso, 0)} ${t('dash.dsoUnit')}` : '—'}</span></Tooltip>}
          sub={d?.bestPossibleDso != null ? t('dash.dsoSub', { best: f.number(d.bestPossibleDso, 0) }) : ' '}
          footer={delta !== null ? <Badge color={delta > 0 ? 'red' : 'teal'} variant="light">{t('dash.dsoDelta', { delta: `${delta > 0 ? '+' : ''}${f.number(delta, 1)}` })}</Badge> : undefined}
        />
        <StatCard
          testId="stat-bank"
          label={t('dash.bank')}
          icon={<IconBank />}
          color={stale ? 'red.7' : undefined}
          value={b ? (b.lastStatementDate ? f.relativeDays(b.ageDays ?? 0) : t('dash.bankNever')) : '…'}
          sub={b ? (stale ? t('dash.bankStale') : t('dash.bankAge', { when: f.date(b.lastStatementDate) })) : ' '}
          footer={
            b && (
              <Group gap="xs">
                {b.waitingForReview > 0 ? (
                  <Button size="compact-sm" variant="light" component={Link} to={`${base}/bank`}>{t('dash.bankWaiting', { n: f.number(b.waitingForReview) })}</Button>
                ) : (
                  <Text size="sm" c="dimmed">{t('dash.bankNoneWaiting')}</Text>
                )}
                {stale && <Button size="compact-sm" variant="subtle" leftSection={<IconUpload size={14} />} component={Link} to={`${base}/bank`}>{t('dash.importStatement')}</Button>}
              </Group>
            )
          }
        />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mb="md">
        <SectionCard title={t('dash.aging')} testId="chart-aging">
          {!a ? <Loading h={240} /> : (
            <Box h={240}>
              <Suspense fallback={<Loading h={240} />}><AgingChart data={agingData} onBucket={(k) => navigate(`${base}/items?${bucketQuery(k as AgingKey, d?.asOf ?? todayIso())}`)} /></Suspense>
            </Box>
          )}
          {a && Number(a.totals.credits) < 0 && <Text size="xs" c="dimmed" mt="xs" data-testid="aging-credits">{t('dash.agingCredits', { amount: f.money(a.totals.credits) })}</Text>}
        </SectionCard>
        <SectionCard title={t('dash.dsoTrend')} sub={t('dash.dsoHelp')} testId="chart-dso">
          {!d ? <Loading h={240} /> : (
            <Box h={240}>
              <Suspense fallback={<Loading h={240} />}><DsoChart data={trendData} /></Suspense>
            </Box>
          )}
        </SectionCard>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <SectionCard title={t('dash.expected')} sub={t('dash.expectedSub')} testId="chart-expected">
          {!d ? <Loading h={220} /> : (
            <Box h={220}>
              <Suspense fallback={<Loading h={220} />}><ExpectedChart data={expectedData} /></Suspense>
            </Box>
          )}
        </SectionCard>
        <SectionCard title={t('dash.paused')} sub={t('dash.pausedSub')} testId="paused">
          {!d ? <Loading h={220} /> : d.paused.length === 0 ? <Empty icon={<IconClock size={28} />}>{t('dash.pausedNone')}</Empty> : (
            <Stack gap={8}>
              {d.paused.slice(0, 7).map((p) => (
                <Group key={p.reason} justify="space-between" wrap="nowrap">
                  {pausedLink(p) ? <Anchor component={Link} to={`${base}/${pausedLink(p)}`} size="sm" truncate>{pausedLabel(p.reason, t)}</Anchor> : <Text size="sm" truncate>{pausedLabel(p.reason, t)}</Text>}
                  <Group gap={6} wrap="nowrap">
                    {p.debtors > 0 && <Badge variant="light" color="orange">{t('dash.debtorsCount', { n: p.debtors })}</Badge>}
                    {p.items > 0 && <Badge variant="light" color="gray">{t('dash.itemsCount', { n: p.items })}</Badge>}
                  </Group>
                </Group>
              ))}
            </Stack>
          )}
        </SectionCard>
        <SectionCard title={t('dash.topOverdue')} testId="top-overdue" actions={<Anchor component={Link} to={`${base}/debtors?sort=overdue&overdue=1`} size="sm">{t('nav.debtors')} →</Anchor>}>
          {!a?.debtors ? <Loading h={220} /> : (
            <Stack gap={6}>
              {a.debtors.filter((r) => Number(r.total) - Number(r.not_due) - Number(r.credits) > 0).slice(0, 7).map((r) => {
                const od = Number(r.total) - Number(r.not_due) - Number(r.credits); // the same overdue as the debtor list and the work list
                return (
                  <Group key={r.debtorId} justify="space-between" wrap="nowrap" gap="xs">
                    <Anchor component={Link} to={`${base}/debtors/${r.debtorId}`} size="sm" truncate style={{ minWidth: 0 }}>{r.debtorName}</Anchor>
                    <Text size="sm" fw={600} c="red.7" className="num"><Money value={od} /></Text>
                  </Group>
                );
              })}
            </Stack>
          )}
        </SectionCard>
      </SimpleGrid>
    </>
  );
}

/** Where a paused reason of the dashboard is acted on: the debtors (or items on hold) it covers. */
export function pausedLink(p: { reason: string; debtors: number; items: number }): string | null {
  if (p.reason.startsWith('hold:')) return p.debtors > 0 ? 'debtors?paused=on_hold' : 'items?hold=true';
  if (p.reason.startsWith('status:')) return `debtors?status=${encodeURIComponent(p.reason.slice(7))}`;
  return ({ dispute: 'debtors?paused=disputed', promise: 'debtors?paused=promise_to_pay', plan: 'debtors?paused=payment_plan' } as Record<string, string>)[p.reason] ?? null;
}

export function pausedLabel(reason: string, t: (k: Key, v?: Record<string, string | number>) => string): string {
  if (reason.startsWith('hold:')) {
    const r = reason.slice(5);
    return r === '-' ? t('paused.holdNoReason') : t('paused.hold', { reason: r });
  }
  if (reason.startsWith('status:')) return t('paused.status', { status: reason.slice(7) });
  if (reason === 'dispute' || reason === 'promise' || reason === 'plan') return t(`paused.${reason}`);
  return reason;
}

/** How fresh the accounting package's data is (issue 20): one line per connection; nothing without connections. */
function PackageFreshness({ adminId }: { adminId: number }) {
  const { t } = useLocale();
  const q = useQuery({ queryKey: ['connections', adminId], queryFn: () => get<{ freshness: { connectionId: number; name: string; ageHours: number | null; stale: boolean; status: string }[] }>(apiPath(adminId, '/connections')) });
  const rows = (q.data?.freshness ?? []).filter((x) => x.status !== 'paused');
  if (!rows.length) return null;
  return (
    <Group gap="xs" mb="md" data-testid="package-freshness">
      {rows.map((x) => (
        <Anchor key={x.connectionId} component={Link} to={`/a/${adminId}/settings?tab=connections`} size="sm">
          <Badge variant="light" color={x.stale ? 'orange' : 'green'}>
            {t('dash.package', { name: x.name, age: x.ageHours === null ? t('dash.packageNever') : t('dash.packageAge', { n: x.ageHours }) })}{x.stale ? ` · ${t('dash.packageStale')}` : ''}
          </Badge>
        </Anchor>
      ))}
    </Group>
  );
}
