/**
 * Bank statements in, payments reviewed: upload (drag and drop, progress), what the import did,
 * and the review: each line beside its suggestions and the candidate items, with one-key
 * confirm (c), reject (r), undo (u), ignore (i) and j/k to move. A viewer reads: no upload, no
 * booking actions.
 */
import { reasonTexts } from '../app/reasons.ts';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Alert, Anchor, Badge, Box, Button, Card, Checkbox, Grid, Group, Pagination, Paper, Progress, RingProgress, ScrollArea, SimpleGrid, Stack, Tabs, Text, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ApiError, get, post, upload, type BankLine, type BankLineStatus, type BankStatus, type Debtor, type Item, type Page, type StatementResult, type Suggestion } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { useToast } from '../components/toast.tsx';
import { Empty, ErrorState, Kbd, Loading, Money, PageHeader } from '../components/ui.tsx';
import { IconAlert, IconBank, IconCheck, IconSearch, IconUndo, IconUpload, IconX } from '../components/icons.tsx';
import type { Key } from '../i18n.ts';

type Tab = 'review' | 'auto' | 'confirmed' | 'ignored';
const TAB_STATUS: Record<Tab, string> = { review: 'suggested,unmatched', auto: 'auto', confirmed: 'confirmed', ignored: 'ignored' };
const PAGE = 50;
const statusColor: Record<BankLineStatus, string> = { unmatched: 'gray', suggested: 'yellow', auto: 'teal', confirmed: 'brand', ignored: 'dark' };

export default function Bank() {
  const { adminId } = useAdmin();
  const { t, f } = useLocale();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab = (params.get('tab') as Tab | null) ?? 'review';
  const [page, setPage] = useState(1);
  const [selectedId, setSelectedId] = useState<number | null>(params.get('line') ? Number(params.get('line')) : null);
  const [changed, setChanged] = useState<Map<number, BankLine>>(new Map());
  const mayImport = useMayWrite('POST', '/statements');
  const mayBook = useMayWrite('POST', '/bank-lines/{lineId}/confirm');
  const status = useQuery({ queryKey: ['bank-status', adminId], queryFn: () => get<BankStatus>(apiPath(adminId, '/bank-status')) });
  const lines = useQuery({
    queryKey: ['bank-lines', adminId, tab, page],
    queryFn: () => get<{ rows: BankLine[]; total: number }>(apiPath(adminId, '/bank-lines'), { status: TAB_STATUS[tab], limit: PAGE, offset: (page - 1) * PAGE }),
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => (lines.data?.rows ?? []).map((l) => changed.get(l.id) ?? l), [lines.data, changed]);
  const direct = useQuery({
    queryKey: ['bank-line', adminId, selectedId],
    enabled: selectedId !== null && !rows.some((r) => r.id === selectedId),
    queryFn: () => get<BankLine>(apiPath(adminId, `/bank-lines/${selectedId}`)),
  });
  const selected = (selectedId !== null ? rows.find((r) => r.id === selectedId) ?? (direct.data ? changed.get(direct.data.id) ?? direct.data : undefined) : undefined) ?? undefined;

  useEffect(() => { if (selectedId === null && rows.length) setSelectedId(rows[0]!.id); }, [rows, selectedId]);
  const switchTab = (v: string | null) => {
    const p = new URLSearchParams(params);
    p.set('tab', v ?? 'review');
    p.delete('line');
    setParams(p, { replace: true });
    setPage(1);
    setSelectedId(null);
    setChanged(new Map());
  };
  const afterUpload = () => {
    setChanged(new Map());
    setSelectedId(null);
    setPage(1);
    void qc.invalidateQueries({ queryKey: ['bank-lines', adminId] });
    void qc.invalidateQueries({ queryKey: ['bank-status', adminId] });
    void qc.invalidateQueries({ queryKey: ['dashboard', adminId] });
    void qc.invalidateQueries({ queryKey: ['aging', adminId] });
  };
  const onChanged = useCallback((line: BankLine) => {
    setChanged((m) => new Map(m).set(line.id, line));
    // the line may now belong in another tab (undo: back to review; ignore: to ignored): those lists load anew;
    // this tab keeps its rows in place, each showing its new state
    void qc.invalidateQueries({ queryKey: ['bank-lines', adminId], predicate: (q) => q.queryKey[2] !== tab });
    void qc.invalidateQueries({ queryKey: ['bank-status', adminId] });
    void qc.invalidateQueries({ queryKey: ['dashboard', adminId] });
    void qc.invalidateQueries({ queryKey: ['debtor-items', adminId] });
    void qc.invalidateQueries({ queryKey: ['items', adminId] });
  }, [qc, adminId, tab]);

  const move = useCallback((delta: number) => {
    if (!rows.length) return;
    const i = rows.findIndex((r) => r.id === selectedId);
    const n = Math.max(0, Math.min(rows.length - 1, (i < 0 ? 0 : i) + delta));
    setSelectedId(rows[n]!.id);
    document.querySelector(`[data-line="${rows[n]!.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [rows, selectedId]);
  /** after an action in the review tab: on to the next line still waiting */
  const advance = useCallback((doneId: number) => {
    const i = rows.findIndex((r) => r.id === doneId);
    const next = rows.slice(i + 1).find((r) => (r.status === 'suggested' || r.status === 'unmatched') && r.id !== doneId);
    if (next) { setSelectedId(next.id); document.querySelector(`[data-line="${next.id}"]`)?.scrollIntoView({ block: 'nearest' }); }
  }, [rows]);

  const s = status.data;
  const stale = s?.stale ?? false;
  return (
    <>
      <PageHeader
        title={t('bank.title')}
        sub={s ? (s.lastStatementDate ? `${t('bank.statementDate')}: ${f.date(s.lastStatementDate)} · ${t('bank.lastImport')}: ${f.dateTime(s.lastImportAt)}` : t('dash.bankNever')) : ' '}
        actions={<Button component="a" href={`/api${apiPath(adminId, '/exports/allocations')}?format=csv`} variant="default" size="sm">{t('bank.export')}</Button>}
      />
      <Grid gutter="md" mb="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          {mayImport ? <UploadCard adminId={adminId} onDone={afterUpload} /> : (
            <Card padding="md" h="100%" data-testid="bank-read-only"><Group gap="md" wrap="nowrap"><Box c="gray.5"><IconBank size={30} /></Box><Text size="sm" c="dimmed">{t('bank.readOnly')}</Text></Group></Card>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <SimpleGrid cols={3} spacing="md" h="100%">
            <Card padding="md" data-testid="bank-waiting">
              <Text size="xs" tt="uppercase" fw={600} c="dimmed">{t('bank.waiting')}</Text>
              <Text fz={30} fw={650} mt={4} c={s && s.waitingForReview > 0 ? 'yellow.8' : undefined}>{s ? f.number(s.waitingForReview) : '…'}</Text>
            </Card>
            <Card padding="md">
              <Text size="xs" tt="uppercase" fw={600} c="dimmed">{t('bank.statementDate')}</Text>
              <Text fz={20} fw={650} mt={8} c={stale ? 'red.7' : undefined}>{s?.lastStatementDate ? f.date(s.lastStatementDate) : '—'}</Text>
              {s && <Text size="sm" c={stale ? 'red.7' : 'dimmed'}>{s.lastStatementDate ? f.relativeDays(s.ageDays ?? 0) : t('dash.bankNever')}{stale && s.lastStatementDate ? ` · ${t('bank.stale')}` : ''}</Text>}
            </Card>
            <Card padding="md">
              <Text size="xs" tt="uppercase" fw={600} c="dimmed">{t('bank.lastImport')}</Text>
              <Text fz={20} fw={650} mt={8}>{s?.lastImportAt ? f.date(s.lastImportAt) : '—'}</Text>
              <Text size="sm" c="dimmed">{s ? `${s.accounts} ${s.accounts === 1 ? 'IBAN' : 'IBANs'}` : ''}</Text>
            </Card>
          </SimpleGrid>
        </Grid.Col>
      </Grid>

      <Tabs value={tab} onChange={switchTab} mb="sm" keepMounted={false}>
        <Tabs.List>
          {(['review', 'auto', 'confirmed', 'ignored'] as const).map((k) => (
            <Tabs.Tab key={k} value={k} data-testid={`bank-tab-${k}`} rightSection={k === 'review' && s && s.waitingForReview > 0 ? <Badge size="sm" color="yellow" variant="filled">{s.waitingForReview}</Badge> : undefined}>
              {t(`bank.tab.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {lines.error ? <ErrorState error={lines.error} onRetry={() => lines.refetch()} /> : (
        <Grid gutter="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper withBorder shadow="xs" style={{ overflow: 'hidden' }}>
              <ScrollArea.Autosize mah="calc(100vh - 210px)" mih={200} type="auto">
                {lines.isPending ? <Loading /> : rows.length === 0 ? (
                  <Empty icon={<IconCheck size={30} />}>{tab === 'review' ? t('bank.reviewDone') : t('bank.noLines')}</Empty>
                ) : (
                  <div role="listbox" aria-label={t('bank.line')} data-testid="bank-lines">
                    {rows.map((l) => <LineRow key={l.id} line={l} selected={l.id === selectedId} onSelect={() => setSelectedId(l.id)} />)}
                  </div>
                )}
              </ScrollArea.Autosize>
              {(lines.data?.total ?? 0) > PAGE && (
                <Group justify="center" p="xs" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
                  <Pagination size="sm" total={Math.ceil((lines.data?.total ?? 0) / PAGE)} value={page} onChange={(p) => { setPage(p); setSelectedId(null); }} />
                </Group>
              )}
            </Paper>
            <Text size="xs" c="dimmed" mt="xs" data-testid="bank-keys">
              <Kbd>j</Kbd>/<Kbd>k</Kbd>{mayBook && <> · <Kbd>c</Kbd> {t('bank.confirm').toLowerCase()} · <Kbd>r</Kbd> {t('bank.reject').toLowerCase()} · <Kbd>u</Kbd> {t('bank.undo').toLowerCase()} · <Kbd>i</Kbd> {t('bank.ignore').toLowerCase()}</>}
            </Text>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            {selected ? <LineDetail key={selected.id} adminId={adminId} line={selected} canBook={mayBook} onChanged={onChanged} onMove={move} onAdvance={tab === 'review' ? advance : undefined} /> : (
              <Paper withBorder p="xl"><Empty icon={<IconBank size={30} />}>{t('bank.selectLine')}</Empty></Paper>
            )}
          </Grid.Col>
        </Grid>
      )}
    </>
  );
}

function LineRow({ line, selected, onSelect }: { line: BankLine; selected: boolean; onSelect: () => void }) {
  const { t, f } = useLocale();
  const top = line.suggestions.find((s) => s.status === 'open' || s.status === 'accepted');
  const amount = Number(line.amount);
  return (
    <UnstyledButton role="option" aria-selected={selected} data-selected={selected} data-line={line.id} data-status={line.status} className="bank-line" onClick={onSelect} w="100%" px="md" py={10} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)', display: 'block' }}>
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Box style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} truncate>{line.counterpartyName ?? '—'}</Text>
          <Text size="xs" c="dimmed" truncate>{line.reference ?? line.remittance ?? ''}</Text>
        </Box>
        <Box ta="right" style={{ flexShrink: 0 }}>
          <Text size="sm" fw={600} className="num" c={amount < 0 ? 'red.7' : 'teal.8'}>{f.money(line.amount, line.currency)}</Text>
          <Text size="xs" c="dimmed">{f.date(line.bookingDate)}</Text>
        </Box>
      </Group>
      <Group gap={6} mt={6}>
        <Badge size="xs" color={statusColor[line.status]}>{t(`bank.status.${line.status}`)}</Badge>
        {top && <Badge size="xs" color="gray" variant="outline">{t(`bank.kind.${top.kind}` as Key)} · {top.confidence}%</Badge>}
      </Group>
    </UnstyledButton>
  );
}

function LineDetail({ adminId, line, canBook, onChanged, onMove, onAdvance }: { adminId: number; line: BankLine; canBook: boolean; onChanged: (l: BankLine) => void; onMove: (d: number) => void; onAdvance?: (id: number) => void }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const open = line.suggestions.filter((s) => s.status === 'open');
  const accepted = line.suggestions.find((s) => s.status === 'accepted');
  const top = open[0];
  const booked = canBook && (line.status === 'auto' || line.status === 'confirmed');
  const isOpen = line.status === 'suggested' || line.status === 'unmatched';
  /** waiting and this user may book it */
  const waiting = canBook && isOpen;
  const [debtorId, setDebtorId] = useState<number | null>((accepted ?? top)?.debtorId ?? null);
  const [picked, setPicked] = useState<Set<string>>(new Set());

  const [feedback, setFeedback] = useState<string | null>(null);
  useEffect(() => setFeedback(null), [line.id]);
  const act = useMutation({
    mutationFn: ({ action, body }: { action: 'confirm' | 'reject' | 'undo' | 'ignore'; body?: unknown }) => post<BankLine>(apiPath(adminId, `/bank-lines/${line.id}/${action}`), body),
    onSuccess: (l, v) => {
      onChanged(l);
      const said = t(({ confirm: 'bank.confirmed', reject: 'bank.rejected', undo: 'bank.undone', ignore: 'bank.ignoredDone' } as const)[v.action]);
      toast.ok(said);
      // said where the person looks too: a rejected suggestion is gone for good, the next one (if any) takes its place
      setFeedback(v.action === 'reject' ? t(l.suggestions.some((x) => x.status === 'open') ? 'bank.rejectedNext' : 'bank.rejectedNone') : said);
      if ((v.action === 'confirm' || v.action === 'ignore') && onAdvance) onAdvance(l.id);
      setPicked(new Set());
    },
    onError: (e) => toast.error(e instanceof ApiError ? e.message : String(e), t('app.error')),
  });
  const confirm = (suggestionId?: number) => act.mutate({ action: 'confirm', body: suggestionId ? { suggestionId } : {} });
  const canConfirm = waiting && !!top;
  const canReject = waiting && !!top;
  const canIgnore = waiting;
  const canUndo = booked;

  const keyRef = useRef<(e: KeyboardEvent) => void>(() => {});
  keyRef.current = (e: KeyboardEvent) => {
    const el = e.target as HTMLElement | null;
    if (e.ctrlKey || e.metaKey || e.altKey || (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable))) return;
    if (document.querySelector('.mantine-Modal-root')) return;
    if (e.key === 'j') { e.preventDefault(); onMove(1); }
    else if (e.key === 'k') { e.preventDefault(); onMove(-1); }
    else if (act.isPending) return;
    else if (e.key === 'c' && canConfirm) { e.preventDefault(); confirm(); }
    else if (e.key === 'r' && canReject) { e.preventDefault(); act.mutate({ action: 'reject' }); }
    else if (e.key === 'u' && canUndo) { e.preventDefault(); act.mutate({ action: 'undo' }); }
    else if (e.key === 'i' && canIgnore) { e.preventDefault(); act.mutate({ action: 'ignore' }); }
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => keyRef.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  const amount = Number(line.amount);
  return (
    <Stack gap="md" data-testid="line-detail" data-line-id={line.id} data-status={line.status}>
      {feedback && <Alert color="blue" variant="light" withCloseButton onClose={() => setFeedback(null)} data-testid="line-feedback">{feedback}</Alert>}
      <Card padding="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Box style={{ minWidth: 0 }}>
            <Group gap="xs" mb={4}>
              <Badge color={statusColor[line.status]} data-testid="line-status">{t(`bank.status.${line.status}`)}</Badge>
              <Text size="xs" c="dimmed">{f.date(line.bookingDate)} · {line.entryRef}</Text>
            </Group>
            <Title order={2} fz={20}>{line.counterpartyName ?? '—'}</Title>
            <Text size="sm" c="dimmed" ff="monospace">{line.counterpartyIban ?? ''}</Text>
          </Box>
          <Text fz={26} fw={650} className="num" c={amount < 0 ? 'red.7' : 'teal.8'}>{f.money(line.amount, line.currency)}</Text>
        </Group>
        <SimpleGrid cols={2} mt="md" spacing="xs">
          <Box><Text size="xs" c="dimmed">{t('bank.reference')}</Text><Text size="sm" ff="monospace">{line.reference ?? '—'}</Text></Box>
          <Box><Text size="xs" c="dimmed">{t('bank.remittance')}</Text><Text size="sm">{line.remittance || '—'}</Text></Box>
        </SimpleGrid>
        <Group mt="lg" gap="sm">
          {waiting && (
            <>
              <Button leftSection={<IconCheck size={16} />} onClick={() => confirm()} disabled={!canConfirm} loading={act.isPending && act.variables?.action === 'confirm'} data-testid="btn-confirm" rightSection={<Kbd>c</Kbd>}>{t('bank.confirm')}</Button>
              <Button variant="default" leftSection={<IconX size={16} />} onClick={() => act.mutate({ action: 'reject' })} disabled={!canReject} data-testid="btn-reject" rightSection={<Kbd>r</Kbd>}>{t('bank.reject')}</Button>
              <Button variant="subtle" color="gray" onClick={() => act.mutate({ action: 'ignore' })} data-testid="btn-ignore" rightSection={<Kbd>i</Kbd>}>{t('bank.ignore')}</Button>
            </>
          )}
          {canUndo && <Button variant="light" color="orange" leftSection={<IconUndo size={16} />} onClick={() => act.mutate({ action: 'undo' })} loading={act.isPending} data-testid="btn-undo" rightSection={<Kbd>u</Kbd>}>{t('bank.undo')}</Button>}
        </Group>
      </Card>

      {(open.length > 0 || accepted) && (
        <Stack gap="sm">
          <Text fw={650} size="sm">{t('bank.suggestions')}</Text>
          {[...(accepted ? [accepted] : []), ...open].map((s, k) => (
            <SuggestionCard key={s.id} adminId={adminId} s={s} top={k === 0} canConfirm={waiting} onConfirm={() => confirm(s.id)} onShowDebtor={() => s.debtorId && setDebtorId(s.debtorId)} />
          ))}
        </Stack>
      )}
      {isOpen && open.length === 0 && <Alert color="gray" variant="light" icon={<IconAlert />}>{t('bank.noSuggestions')}</Alert>}

      {amount > 0 && (isOpen || debtorId) && (
        <Candidates adminId={adminId} line={line} debtorId={debtorId} setDebtorId={setDebtorId} suggested={new Set((top ?? accepted)?.items.map((i) => i.number) ?? [])} picked={picked} setPicked={setPicked}
          canBook={waiting} onBook={(learnIban) => act.mutate({ action: 'confirm', body: { items: [...picked], learnIban } })} booking={act.isPending} />
      )}
    </Stack>
  );
}

function SuggestionCard({ adminId, s, top, canConfirm, onConfirm, onShowDebtor }: { adminId: number; s: Suggestion; top: boolean; canConfirm: boolean; onConfirm: () => void; onShowDebtor: () => void }) {
  const { t, f, lang } = useLocale();
  const why = reasonTexts(s, lang, f);
  const color = s.confidence >= 90 ? 'teal' : s.confidence >= 70 ? 'yellow' : 'orange';
  return (
    <Card padding="md" data-testid="suggestion" style={top ? { borderColor: 'var(--mantine-color-brand-3)' } : undefined}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <Tooltip label={t('bank.confidence', { n: s.confidence })}>
            <RingProgress size={52} thickness={5} roundCaps sections={[{ value: s.confidence, color }]} label={<Text ta="center" size="xs" fw={700}>{s.confidence}%</Text>} />
          </Tooltip>
          <Box style={{ minWidth: 0 }}>
            <Group gap={6}>
              <Text fw={600} size="sm">{t(`bank.kind.${s.kind}` as Key)}</Text>
              {s.status === 'accepted' && <Badge size="xs" color="teal">{t('bank.confirmed')}</Badge>}
            </Group>
            {s.debtorId && <Anchor component={Link} to={`/a/${adminId}/debtors/${s.debtorId}`} size="sm">{s.debtorName}</Anchor>}
          </Box>
        </Group>
        {canConfirm && s.status === 'open' && <Button size="xs" variant={top ? 'filled' : 'light'} onClick={onConfirm} leftSection={<IconCheck size={14} />}>{t('bank.confirm')}</Button>}
      </Group>
      <Stack gap={4} mt="sm">
        {s.items.map((i) => (
          <Group key={i.itemId} justify="space-between" wrap="nowrap">
            <Anchor component={Link} to={`/a/${adminId}/items/${i.itemId}`} size="sm">{t('bank.pays')} {i.number}</Anchor>
            <Text size="sm" className="num" fw={500}>{f.money(i.amount)}</Text>
          </Group>
        ))}
        {Number(s.credit) !== 0 && (
          <Group justify="space-between"><Text size="sm" c="dimmed">{t('bank.credit')}</Text><Text size="sm" className="num">{f.money(s.credit)}</Text></Group>
        )}
      </Stack>
      {why.length > 0 && (
        <Box mt="sm" pt="xs" style={{ borderTop: '1px dashed var(--mantine-color-gray-3)' }} data-testid="bank-why">
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={2}>{t('bank.why')}</Text>
          {why.map((sig, k) => <Text key={k} size="xs" c="dimmed">• {sig}</Text>)}
        </Box>
      )}
      {s.debtorId && <UnstyledButton onClick={onShowDebtor} mt={6}><Text size="xs" c="brand.7">{t('bank.candidates', { name: s.debtorName ?? '' })} ↓</Text></UnstyledButton>}
    </Card>
  );
}

function Candidates({ adminId, line, debtorId, setDebtorId, suggested, picked, setPicked, canBook, onBook, booking }: {
  adminId: number; line: BankLine; debtorId: number | null; setDebtorId: (id: number) => void; suggested: Set<string>; picked: Set<string>; setPicked: (s: Set<string>) => void; canBook: boolean; onBook: (learnIban: boolean) => void; booking: boolean;
}) {
  const { t, f } = useLocale();
  // the payer's account is remembered for this debtor only when the person says so
  const [learn, setLearn] = useState(false);
  const debtor = useQuery({ queryKey: ['debtor', adminId, debtorId], enabled: !!debtorId && !!line.counterpartyIban, queryFn: () => get<Debtor>(apiPath(adminId, `/debtors/${debtorId}`)) });
  const compact = (iban: string) => iban.replace(/\s+/g, '').toUpperCase();
  const newIban = !!line.counterpartyIban && !!debtor.data && !debtor.data.ibans.some((i) => compact(i) === compact(line.counterpartyIban!));
  const [term, setTerm] = useState(line.counterpartyName ?? '');
  const [debounced] = useDebouncedValue(term.trim(), 250);
  const found = useQuery({
    queryKey: ['debtor-lookup', adminId, debounced],
    enabled: !debtorId && debounced.length >= 2,
    queryFn: () => get<Page<Debtor>>(apiPath(adminId, '/debtors'), { search: debounced, limit: 6, sort: 'overdue' }),
  });
  const items = useQuery({ queryKey: ['debtor-items', adminId, debtorId], enabled: !!debtorId, queryFn: () => get<Page<Item>>(apiPath(adminId, '/items'), { debtorId: debtorId!, status: 'open', limit: 200 }) });
  const debtorName = items.data?.rows[0]?.debtorName ?? '';
  const sum = (items.data?.rows ?? []).filter((i) => picked.has(i.number)).reduce((s, i) => s + Number(i.open), 0);
  return (
    <Card padding="md" data-testid="candidates">
      {!debtorId ? (
        <Stack gap="xs">
          <Text fw={600} size="sm">{t('bank.candidatesSearch')}</Text>
          <TextInput leftSection={<IconSearch size={16} />} value={term} onChange={(e) => setTerm(e.currentTarget.value)} aria-label={t('bank.candidatesSearch')} />
          {(found.data?.rows ?? []).map((d) => (
            <UnstyledButton key={d.id} onClick={() => setDebtorId(d.id)} p={6} style={{ borderRadius: 6 }} className="bank-line">
              <Group justify="space-between"><Text size="sm">{d.name} <Text span c="dimmed" size="xs">{d.number}</Text></Text><Text size="sm" className="num">{f.money(d.balance)}</Text></Group>
            </UnstyledButton>
          ))}
        </Stack>
      ) : (
        <Stack gap="xs">
          <Text fw={600} size="sm">{t('bank.candidates', { name: debtorName })}</Text>
          {items.isPending ? <Loading h={80} /> : (
            <ScrollArea.Autosize mah={260}>
              <Stack gap={2}>
                {(items.data?.rows ?? []).map((i) => (
                  <Group key={i.id} justify="space-between" wrap="nowrap" px={6} py={4} style={{ borderRadius: 6, background: suggested.has(i.number) ? 'var(--mantine-color-teal-0)' : undefined }}>
                    <Checkbox
                      size="xs"
                      disabled={!canBook}
                      checked={picked.has(i.number)}
                      onChange={(e) => { const n = new Set(picked); if (e.currentTarget.checked) n.add(i.number); else n.delete(i.number); setPicked(n); }}
                      label={<Text size="sm">{i.number} <Text span size="xs" c="dimmed">· {f.date(i.dueDate)}</Text></Text>}
                    />
                    <Money value={i.open} />
                  </Group>
                ))}
                {items.data?.rows.length === 0 && <Text size="sm" c="dimmed">{t('debtor.noOpenItems')}</Text>}
              </Stack>
            </ScrollArea.Autosize>
          )}
          {canBook && newIban && (
            <Checkbox size="xs" mt={4} checked={learn} onChange={(e) => setLearn(e.currentTarget.checked)} data-testid="learn-iban"
              label={t('bank.learnIban', { iban: line.counterpartyIban!, name: debtor.data!.name })} />
          )}
          {canBook && (
            <Group justify="space-between" mt={4}>
              <Text size="sm" c={sum > 0 && Math.abs(sum - Number(line.amount)) < 0.005 ? 'teal.8' : 'dimmed'}>{t('bank.selectedTotal', { amount: f.money(sum) })} / {f.money(line.amount)}</Text>
              <Button size="xs" disabled={!picked.size} loading={booking} onClick={() => onBook(newIban && learn)} data-testid="book-selected">{t('bank.bookSelected', { n: picked.size })}</Button>
            </Group>
          )}
        </Stack>
      )}
    </Card>
  );
}

function UploadCard({ adminId, onDone }: { adminId: number; onDone: () => void }) {
  const { t, f } = useLocale();
  const [drag, setDrag] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [name, setName] = useState('');
  const [result, setResult] = useState<StatementResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const start = (file: File) => {
    setName(file.name);
    setResult(null);
    setError(null);
    setProgress(0);
    const u = upload<StatementResult>(apiPath(adminId, '/statements'), file, setProgress);
    u.promise.then((r) => { setResult(r); onDone(); }, (e: ApiError) => setError(e)).finally(() => setProgress(null));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    const file = e.dataTransfer.files[0];
    if (file) start(file);
  };
  const busy = progress !== null;
  return (
    <Card padding="md" h="100%">
      <Box
        className="dropzone"
        data-active={drag}
        data-testid="dropzone"
        role="button"
        tabIndex={0}
        aria-label={t('bank.upload')}
        onClick={() => !busy && input.current?.click()}
        onKeyDown={(e) => { if ((e.key === 'Enter' || e.key === ' ') && !busy) { e.preventDefault(); input.current?.click(); } }}
        onDragOver={(e) => { e.preventDefault(); setDrag(true); }}
        onDragLeave={() => setDrag(false)}
        onDrop={onDrop}
        p="md"
      >
        <input ref={input} type="file" hidden accept=".xml,.sta,.mt940,.940,.txt,.csv,.cod,.coda" data-testid="statement-file" onChange={(e) => { const file = e.currentTarget.files?.[0]; if (file) start(file); e.currentTarget.value = ''; }} />
        {busy ? (
          <Stack gap={6} py={4}>
            <Text size="sm" fw={500}>{progress < 1 ? t('bank.uploading', { name }) : t('bank.processing')}</Text>
            <Progress value={progress * 100} animated={progress >= 1} striped={progress >= 1} aria-label={t('bank.uploading', { name })} data-testid="upload-progress" />
          </Stack>
        ) : (
          <Group gap="md" wrap="nowrap">
            <Box c="brand.6"><IconUpload size={30} /></Box>
            <Box>
              <Text fw={600} size="sm">{t('bank.dropHere')}</Text>
              <Text size="xs" c="dimmed">{t('bank.dropSub')}</Text>
            </Box>
            <Button size="xs" variant="light" ml="auto" tabIndex={-1} style={{ flexShrink: 0 }}>{t('bank.choose')}</Button>
          </Group>
        )}
      </Box>
      {error && (
        <Alert color="red" variant="light" mt="sm" title={t('bank.uploadFailed')} icon={<IconAlert />} role="alert">
          <Text size="sm">{error.message}</Text>
          {error.problems.slice(0, 5).map((p, k) => <Text key={k} size="xs">{p.line ? `${p.line}: ` : ''}{p.message}</Text>)}
        </Alert>
      )}
      {result && (
        <Box mt="sm" data-testid="upload-result">
          <Group gap="xs" mb={6}><IconCheck size={16} color="var(--mantine-color-teal-7)" /><Text size="sm" fw={600}>{t('bank.imported', { name: result.filename })}</Text><Badge size="xs" color="gray">{result.format}</Badge></Group>
          {result.alreadyImported ? <Text size="sm" c="dimmed">{t('bank.alreadyImported')}</Text> : (
            <SimpleGrid cols={{ base: 3, sm: 5 }} spacing={6}>
              {([['bank.newEntries', result.newEntries, 'dark'], ['bank.booked', result.matching.booked, 'teal.8'], ['bank.suggested', result.matching.suggested, 'yellow.8'], ['bank.unmatched', result.matching.unmatched, 'gray.7'], ['bank.ignored', result.matching.ignored, 'gray.6']] as const).map(([k, n, c]) => (
                <Box key={k}><Text fz={20} fw={650} c={c} data-testid={`result-${k.split('.')[1]}`}>{f.number(n)}</Text><Text size="xs" c="dimmed" lh={1.2}>{t(k as Key)}</Text></Box>
              ))}
            </SimpleGrid>
          )}
          {result.warnings.length > 0 && <Text size="xs" c="orange.8" mt={4}>{t('bank.warnings')}: {result.warnings.map((w) => (w.code === 'account_registered' || w.code === 'balance_gap') && w.params ? t(`bank.warning.${w.code}`, { ...w.params, opening: f.money(w.params.opening ?? null), closing: f.money(w.params.closing ?? null), openingDate: f.date(w.params.openingDate ?? null), closingDate: f.date(w.params.closingDate ?? null) }) : w.message).join('; ')}</Text>}
        </Box>
      )}
    </Card>
  );
}
