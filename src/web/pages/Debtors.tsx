/** All debtors: server-side search, filters and sorting; a virtualised list that pages as you scroll. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Button, Checkbox, Chip, Group, NumberInput, Select, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate, useSearchParams } from 'react-router';
import { get, type Debtor, type Page } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useLocale } from '../app/locale.tsx';
import { statusColor, statusLabel, useStatuses } from '../app/statuses.ts';
import { VirtualTable, type SortDir, type VColumn } from '../components/VirtualTable.tsx';
import { HoldBadge, Money, PageHeader } from '../components/ui.tsx';
import { IconSearch } from '../components/icons.tsx';
import { ExportMenu } from '../components/ExportMenu.tsx';
import { BulkBar } from '../components/BulkBar.tsx';
import { useQueryClient } from '@tanstack/react-query';

/** Why the dunning run leaves a debtor alone (the API's paused filter). */
const PAUSED = ['any', 'none', 'on_hold', 'status_paused', 'payment_plan', 'promise_to_pay', 'disputed'] as const;

export default function Debtors() {
  const { adminId, base } = useAdmin();
  const { t, f, lang } = useLocale();
  const navigate = useNavigate();
  const statuses = useStatuses(adminId);
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const [minInput, setMinInput] = useState(params.get('min') ?? '');
  const [minDebounced] = useDebouncedValue(minInput, 300);
  const [total, setTotal] = useState<number | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const qc = useQueryClient();
  const toggle = (id: number) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });

  const status = params.get('status') ?? '';
  const segment = params.get('segment') ?? '';
  const overdue = params.get('overdue') === '1';
  const replyWaiting = params.get('reply') === '1';
  const paused = params.get('paused') ?? '';
  const minBalance = params.get('min') ?? '';
  const type = params.get('type') ?? '';
  const sort = params.get('sort') ?? 'number';
  const dir = (params.get('dir') ?? (['openItems', 'balance', 'overdue'].includes(sort) ? 'desc' : 'asc')) as SortDir;
  const set = (k: string, v: string | null) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v); else p.delete(k);
    setParams(p, { replace: true });
  };
  useEffect(() => { if ((params.get('q') ?? '') !== debounced) set('q', debounced || null); }, [debounced]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { if ((params.get('min') ?? '') !== minDebounced) set('min', minDebounced || null); }, [minDebounced]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) { e.preventDefault(); searchRef.current?.focus(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const query = { search: debounced || undefined, status: status || undefined, segment: segment || undefined, overdue: overdue ? 'true' : undefined, paused: paused || undefined, minBalance: /^\d+(\.\d{1,2})?$/.test(minBalance) ? minBalance : undefined, type: type || undefined, replyWaiting: replyWaiting ? 'true' : undefined, sort, dir };
  const queryKey = useMemo(() => ['debtors', adminId, query] as const, [adminId, JSON.stringify(query)]); // eslint-disable-line react-hooks/exhaustive-deps
  const loadPage = useCallback((offset: number, limit: number, signal: AbortSignal) => get<Page<Debtor>>(apiPath(adminId, '/debtors'), { ...query, offset, limit }, signal), [queryKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const columns = useMemo<VColumn<Debtor>[]>(() => [
    { id: 'select', header: '', width: '36px', cell: (d) => <div onClick={(e) => e.stopPropagation()}><Checkbox size="xs" aria-label={`${t('bulk.select')} ${d.name}`} checked={selected.has(d.id)} onChange={() => toggle(d.id)} data-testid={`select-${d.number}`} /></div> },
    { id: 'number', header: t('debtors.number'), width: '110px', sort: 'number', cell: (d) => <Text size="sm" c="dimmed" ff="monospace">{d.number}</Text> },
    { id: 'name', header: t('debtors.name'), width: 'minmax(200px, 2.4fr)', sort: 'name', cell: (d) => <Group gap={6} wrap="nowrap"><Text size="sm" fw={500} truncate>{d.name}</Text>{d.onHold ? <HoldBadge reason={d.holdReason} /> : d.pausedReason && <Tooltip label={d.pausedReason} withArrow><Badge color="gray" variant="light">{t('debtors.pausedBadge')}</Badge></Tooltip>}</Group> },
    { id: 'city', header: t('debtors.city'), width: 'minmax(100px, 1fr)', sort: 'city', cell: (d) => <Text size="sm" c="dimmed" truncate>{d.city ?? ''}</Text> },
    { id: 'status', header: t('debtors.status'), width: '150px', sort: 'status', cell: (d) => d.status === 'normal' ? <Text size="sm" c="dimmed">{statusLabel(statuses, d.status, lang)}</Text> : <Badge color={statusColor(d.status)}>{statusLabel(statuses, d.status, lang)}</Badge> },
    { id: 'items', header: t('debtors.openItems'), width: '96px', align: 'right', sort: 'openItems', cell: (d) => <Text size="sm" className="num">{f.number(d.openItems ?? 0)}</Text> },
    { id: 'balance', header: t('debtors.balance'), width: '130px', align: 'right', sort: 'balance', cell: (d) => <Text size="sm"><Money value={d.balance} /></Text> },
    { id: 'overdue', header: t('debtors.overdue'), width: '130px', align: 'right', sort: 'overdue', cell: (d) => <Text size="sm" fw={Number(d.overdue) > 0 ? 600 : undefined} c={Number(d.overdue) > 0 ? 'red.7' : 'dimmed'}><Money value={d.overdue} color={Number(d.overdue) > 0 ? 'red.7' : 'dimmed'} /></Text> },
  ], [t, f, lang, statuses, selected]);

  const filtered = !!(status || segment || overdue || replyWaiting || paused || minBalance || type || debounced);
  return (
    <>
      <PageHeader title={t('debtors.title')} sub={total !== null ? t('debtors.count', { n: f.number(total) }) : ' '} />
      <Group mb="md" gap="sm" wrap="wrap" align="center">
        <TextInput
          ref={searchRef}
          data-testid="debtor-search"
          placeholder={t('debtors.searchPlaceholder')}
          aria-label={t('common.search')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          onKeyDown={(e) => { if (e.key === 'ArrowDown') { e.preventDefault(); document.querySelector<HTMLElement>('[data-testid="debtor-table"] [data-index="0"]')?.focus(); } }}
          w={{ base: '100%', sm: 400 }}
        />
        <Select aria-label={t('debtors.status')} placeholder={t('debtors.statusAny')} value={status || null} onChange={(v) => set('status', v)} clearable w={170}
          data={statuses.map((s) => ({ value: s.key, label: lang === 'nl' ? s.labelNl : s.labelEn }))} />
        <TextInput aria-label={t('debtors.segment')} placeholder={t('debtors.segmentAny')} value={segment} onChange={(e) => set('segment', e.currentTarget.value || null)} w={140} />
        <Select aria-label={t('debtors.type')} placeholder={t('debtors.type')} value={type || null} onChange={(v) => set('type', v)} clearable w={140}
          data={[{ value: 'business', label: t('debtors.business') }, { value: 'consumer', label: t('debtors.consumer') }]} />
        <Select aria-label={t('debtors.paused')} placeholder={t('debtors.pausedAny')} value={paused || null} onChange={(v) => set('paused', v)} clearable w={200} data-testid="filter-paused"
          data={PAUSED.map((k) => ({ value: k, label: t(`debtors.paused.${k}`) }))} />
        <NumberInput aria-label={t('debtors.minBalance')} placeholder={t('debtors.minBalance')} value={minInput} onChange={(v) => setMinInput(v === '' ? '' : String(v))}
          min={0} decimalScale={2} decimalSeparator={lang === 'nl' ? ',' : '.'} thousandSeparator={lang === 'nl' ? '.' : ','} leftSection="€" hideControls w={150} data-testid="filter-min-balance" />
        <Chip checked={overdue} onChange={(c) => set('overdue', c ? '1' : null)} variant="outline" data-testid="filter-overdue">{t('debtors.onlyOverdue')}</Chip>
        <Chip checked={replyWaiting} onChange={(c) => set('reply', c ? '1' : null)} variant="outline" data-testid="filter-reply">{t('inbox.replyWaiting')}</Chip>
        <Select aria-label={t('debtors.sort')} value={sort} onChange={(v) => { const p = new URLSearchParams(params); p.delete('dir'); if (v && v !== 'number') p.set('sort', v); else p.delete('sort'); setParams(p, { replace: true }); }} allowDeselect={false} w={190} ml="auto"
          data={(['number', 'name', 'city', 'status', 'openItems', 'balance', 'overdue'] as const).map((k) => ({ value: k, label: `${t('debtors.sort')}: ${t(`debtors.sort.${k}`)}` }))} />
        {filtered && <Button variant="subtle" size="xs" onClick={() => { setSearch(''); setMinInput(''); setParams(new URLSearchParams(), { replace: true }); }}>{t('common.clearFilters')}</Button>}
        <ExportMenu path={apiPath(adminId, '/debtors/export')} query={query} />
      </Group>
      <BulkBar adminId={adminId} ids={[...selected]} statuses={statuses.map((s) => ({ value: s.key, label: lang === 'nl' ? s.labelNl : s.labelEn }))}
        onDone={() => { setSelected(new Set()); void qc.invalidateQueries({ queryKey: ['debtors', adminId] }); }} onClear={() => setSelected(new Set())} />
      <VirtualTable
        testId="debtor-table"
        label={t('debtors.title')}
        queryKey={queryKey}
        loadPage={loadPage}
        columns={columns}
        onTotal={setTotal}
        sort={{ key: sort, dir }}
        onSort={(s) => { const p = new URLSearchParams(params); if (s.key === 'number' && s.dir === 'asc') { p.delete('sort'); p.delete('dir'); } else { p.set('sort', s.key); p.set('dir', s.dir); } setParams(p, { replace: true }); }}
        onOpen={(d) => navigate(`${base}/debtors/${d.id}`)}
        emptyText={t('debtors.none')}
      />
    </>
  );
}
