/** All items (invoices, credit notes, unapplied payments): filters, search, and a virtualised list. */
import { useCallback, useMemo, useState } from 'react';
import { Badge, Button, Group, SegmentedControl, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate, useSearchParams } from 'react-router';
import { get, type Item, type Page } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useLocale } from '../app/locale.tsx';
import { VirtualTable, type SortDir, type VColumn } from '../components/VirtualTable.tsx';
import { HoldBadge, Money, PageHeader } from '../components/ui.tsx';
import { IconSearch } from '../components/icons.tsx';
import { ExportMenu } from '../components/ExportMenu.tsx';
import { daysBetween, todayIso } from '../format.ts';
import type { Key } from '../i18n.ts';

export default function Items() {
  const { adminId, base } = useAdmin();
  const { t, f } = useLocale();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [total, setTotal] = useState<number | null>(null);
  const status = params.get('status') ?? 'open';
  const kind = params.get('kind') ?? '';
  const hold = params.get('hold') ?? '';
  const dueFrom = params.get('dueFrom') ?? '';
  const dueTo = params.get('dueTo') ?? '';
  const sort = params.get('sort') ?? 'due';
  const dir = (params.get('dir') ?? (sort === 'amount' || sort === 'open' ? 'desc' : 'asc')) as SortDir;
  const set = (k: string, v: string | null) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v); else p.delete(k);
    setParams(p, { replace: true });
  };
  const today = todayIso();
  const query = { status, kind: kind || undefined, onHold: hold || undefined, search: debounced || undefined, dueFrom: dueFrom || undefined, dueTo: dueTo || undefined, sort, dir };
  const queryKey = useMemo(() => ['items', adminId, query] as const, [adminId, JSON.stringify(query)]); // eslint-disable-line react-hooks/exhaustive-deps
  const loadPage = useCallback((offset: number, limit: number, signal: AbortSignal) => get<Page<Item>>(apiPath(adminId, '/items'), { ...query, offset, limit }, signal), [queryKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const columns = useMemo<VColumn<Item>[]>(() => [
    { id: 'number', header: t('items.number'), width: '140px', sort: 'number', cell: (i) => <Text size="sm" fw={500}>{i.number}</Text> },
    { id: 'debtor', header: t('items.debtor'), width: 'minmax(200px, 2fr)', cell: (i) => <Group gap={6} wrap="nowrap"><Text size="sm" truncate>{i.debtorName}</Text>{i.onHold && <HoldBadge reason={i.holdReason} />}</Group> },
    { id: 'kind', header: t('items.kind'), width: '130px', cell: (i) => i.kind === 'invoice' ? <Text size="sm" c="dimmed">{t('items.kind.invoice')}</Text> : <Badge color="violet">{t(`items.kind.${i.kind}` as Key)}</Badge> },
    { id: 'issue', header: t('items.issueDate'), width: '110px', sort: 'issue', cell: (i) => <Text size="sm">{f.date(i.issueDate)}</Text> },
    { id: 'due', header: t('items.dueDate'), width: '110px', sort: 'due', cell: (i) => <Text size="sm">{f.date(i.dueDate)}</Text> },
    { id: 'late', header: t('items.daysLate'), width: '90px', align: 'right', cell: (i) => { const late = daysBetween(i.dueDate, today); return late > 0 && Number(i.open) > 0 ? <Text size="sm" fw={500} c={late > 60 ? 'red.7' : late > 30 ? 'orange.7' : undefined}>{late}</Text> : <Text size="sm" c="dimmed">—</Text>; } },
    { id: 'amount', header: t('items.amount'), width: '120px', align: 'right', sort: 'amount', cell: (i) => <Text size="sm"><Money value={i.amount} currency={i.currency} /></Text> },
    { id: 'open', header: t('items.open'), width: '120px', align: 'right', sort: 'open', cell: (i) => <Text size="sm" fw={600}><Money value={i.open} currency={i.currency} /></Text> },
  ], [t, f, today]);

  return (
    <>
      <PageHeader title={t('items.title')} sub={total !== null ? t('items.count', { n: f.number(total) }) : ' '} />
      <Group mb="md" gap="sm" wrap="wrap">
        <SegmentedControl value={status} onChange={(v) => set('status', v === 'open' ? null : v)} data-testid="item-status"
          data={(['open', 'overdue', 'paid', 'all'] as const).map((s) => ({ value: s, label: t(`items.status.${s}`) }))} />
        <TextInput placeholder={t('items.searchPlaceholder')} aria-label={t('common.search')} leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={{ base: '100%', sm: 280 }} data-testid="item-search" />
        <Select aria-label={t('items.kind')} placeholder={t('items.kind')} value={kind || null} onChange={(v) => set('kind', v)} clearable w={170}
          data={(['invoice', 'credit_note', 'unapplied_payment'] as const).map((k) => ({ value: k, label: t(`items.kind.${k}`) }))} />
        <Select aria-label={t('common.onHold')} placeholder={t('debtors.holdAny')} value={hold || null} onChange={(v) => set('hold', v)} clearable w={170}
          data={[{ value: 'true', label: t('items.onlyHold') }, { value: 'false', label: t('debtors.notHold') }]} />
        <TextInput type="date" aria-label={t('items.dueFrom')} title={t('items.dueFrom')} value={dueFrom} onChange={(e) => set('dueFrom', e.currentTarget.value || null)} w={150} />
        <TextInput type="date" aria-label={t('items.dueTo')} title={t('items.dueTo')} value={dueTo} onChange={(e) => set('dueTo', e.currentTarget.value || null)} w={150} />
        {(kind || hold || dueFrom || dueTo || debounced || status !== 'open') && <Button variant="subtle" size="xs" onClick={() => { setSearch(''); setParams(new URLSearchParams(), { replace: true }); }}>{t('common.clearFilters')}</Button>}
        <ExportMenu path={apiPath(adminId, '/items/export')} query={query} />
      </Group>
      <VirtualTable testId="item-table" label={t('items.title')} queryKey={queryKey} loadPage={loadPage} columns={columns} onTotal={setTotal}
        sort={{ key: sort, dir }} onSort={(s) => { const p = new URLSearchParams(params); if (s.key === 'due' && s.dir === 'asc') { p.delete('sort'); p.delete('dir'); } else { p.set('sort', s.key); p.set('dir', s.dir); } setParams(p, { replace: true }); }}
        onOpen={(i) => navigate(`${base}/items/${i.id}`)} emptyText={t('items.none')} />
    </>
  );
}
