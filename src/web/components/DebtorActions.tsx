/**
 * The debtor-care actions of the debtor page: note, call outcome, promise to pay, dispute, payment
 * plan, status, and the statement of account (send it, or view the PDF). Each appears when the
 * server has its route and the user's role may use it (see app/capabilities.ts): a viewer gets
 * only the PDF of the statement.
 */
import { useState } from 'react';
import { Alert, Anchor, Button, Checkbox, Group, Menu, Modal, NumberInput, ScrollArea, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ApiError, get, post, request, type Debtor, type Item } from '../api.ts';
import { apiPath } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { useStatuses } from '../app/statuses.ts';
import { parseAmountInput, todayIso } from '../format.ts';
import type { Key } from '../i18n.ts';
import { useToast } from './toast.tsx';
import { errorText } from '../app/problems.ts';
import { IconAlert, IconExternal, IconFile, IconFlag, IconHandshake, IconMail, IconNote, IconPhone, IconSend } from './icons.tsx';

type Kind = 'note' | 'call' | 'promise' | 'dispute' | 'plan' | 'status';
const CALL_OUTCOMES = ['reached', 'no_answer', 'voicemail', 'wrong_number', 'promise_made', 'dispute_raised', 'callback_requested', 'other'] as const;
const addDays = (d: string, n: number) => { const t = new Date(`${d}T00:00:00Z`); t.setUTCDate(t.getUTCDate() + n); return t.toISOString().slice(0, 10); };

export function DebtorActions({ adminId, debtor, openItems, onDone }: { adminId: number; debtor: Debtor; openItems: Item[]; onDone: () => void }) {
  const { t } = useLocale();
  const [kind, setKind] = useState<Kind | null>(null);
  const [statement, setStatement] = useState(false);
  const can = {
    note: useMayWrite('POST', '/debtors/{id}/notes'),
    call: useMayWrite('POST', '/debtors/{id}/calls'),
    promise: useMayWrite('POST', '/promises'),
    dispute: useMayWrite('POST', '/disputes'),
    plan: useMayWrite('POST', '/payment-plans'),
    status: useMayWrite('PUT', '/debtors/{id}/status'),
    sendStatement: useMayWrite('POST', '/debtors/{id}/statement'),
    viewStatement: true,
  };
  if (!Object.values(can).some(Boolean)) return null;
  const nothingOpen = openItems.length === 0;
  const pdf = statementPdfUrl(adminId, debtor.id);
  return (
    <>
      {(can.note || can.call || can.promise) && (
        <Button.Group>
          {can.note && <Button variant="default" leftSection={<IconNote size={16} />} onClick={() => setKind('note')} data-testid="action-note">{t('action.note')}</Button>}
          {can.call && <Button variant="default" leftSection={<IconPhone size={16} />} onClick={() => setKind('call')} data-testid="action-call">{t('action.call')}</Button>}
          {can.promise && <Button variant="default" leftSection={<IconHandshake size={16} />} onClick={() => setKind('promise')} data-testid="action-promise">{t('action.promise')}</Button>}
        </Button.Group>
      )}
      {can.sendStatement ? (
        <Button variant="default" leftSection={<IconMail size={16} />} onClick={() => setStatement(true)} disabled={nothingOpen} title={nothingOpen ? t('statement.nothingOpen') : undefined} data-testid="action-statement">{t('action.statement')}</Button>
      ) : can.viewStatement && (
        <Button component="a" href={nothingOpen ? undefined : pdf} target="_blank" rel="noreferrer" variant="default" leftSection={<IconFile size={16} />} disabled={nothingOpen} title={nothingOpen ? t('statement.nothingOpen') : undefined} data-testid="action-statement-pdf">{t('statement.viewPdf')}</Button>
      )}
      {(can.dispute || can.plan || can.status || (can.sendStatement && can.viewStatement)) && (
        <Menu position="bottom-end" shadow="md">
          <Menu.Target><Button variant="default" data-testid="action-more">⋯</Button></Menu.Target>
          <Menu.Dropdown>
            {can.dispute && <Menu.Item leftSection={<IconFlag size={14} />} onClick={() => setKind('dispute')} data-testid="action-dispute">{t('action.dispute')}</Menu.Item>}
            {can.plan && <Menu.Item leftSection={<IconHandshake size={14} />} onClick={() => setKind('plan')} data-testid="action-plan">{t('action.plan')}</Menu.Item>}
            {can.status && <Menu.Item onClick={() => setKind('status')} data-testid="action-status">{t('action.status')}</Menu.Item>}
            {can.sendStatement && can.viewStatement && (
              <Menu.Item component="a" href={pdf} target="_blank" rel="noreferrer" leftSection={<IconFile size={14} />} disabled={nothingOpen} data-testid="action-statement-view">{t('statement.viewPdf')}</Menu.Item>
            )}
          </Menu.Dropdown>
        </Menu>
      )}
      {kind && <ActionModal kind={kind} adminId={adminId} debtor={debtor} openItems={openItems} onClose={() => setKind(null)} onDone={() => { setKind(null); onDone(); }} />}
      {statement && <StatementModal adminId={adminId} debtor={debtor} openItems={openItems} canView={can.viewStatement} onClose={() => setStatement(false)} onDone={() => { setStatement(false); onDone(); }} />}
    </>
  );
}

/** The statement of account as a PDF (today's date), for a link or a frame. */
const statementPdfUrl = (adminId: number, debtorId: number) => `/api${apiPath(adminId, `/debtors/${debtorId}/statement.pdf`)}`;

/** "121.00" → 12100: money stays in whole cents. */
function centsOf(amount: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return 0;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

type CareLimits = { promiseMaxDays: number; planMaxInstalments: number; planMaxMonths: number; planMinInstalment: string };
type PlanPreview = { total: string; currency: string; instalments: { seq: number; dueDate: string; amount: string }[] };

type StatementResult = { alreadySent: boolean; delivery: 'email' | 'post'; emails: string[]; message: string; actions: { id: number; status: string; total: string; currency: string }[] };

/** Send the statement of account: what it holds, where it goes (or that it becomes a letter to post), the PDF to look at first. */
function StatementModal({ adminId, debtor, openItems, canView, onClose, onDone }: { adminId: number; debtor: Debtor; openItems: Item[]; canView: boolean; onClose: () => void; onDone: () => void }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [already, setAlready] = useState(false);
  const totals = new Map<string, number>();
  for (const i of openItems) totals.set(i.currency, (totals.get(i.currency) ?? 0) + centsOf(i.open));
  const balance = [...totals].map(([currency, cents]) => f.money(cents / 100, currency)).join(' + ');
  const pdf = statementPdfUrl(adminId, debtor.id);
  const m = useMutation({
    mutationFn: () => request<StatementResult>('POST', apiPath(adminId, `/debtors/${debtor.id}/statement`), { body: {} }),
    onSuccess: (r) => {
      if (r.alreadySent) return setAlready(true); // nothing new: say so here, nothing to refresh
      toast.ok(r.delivery === 'email' ? t('statement.queued', { emails: r.emails.join(', ') }) : t('statement.queuedPost'));
      onDone();
    },
    onError: (e) => setError(errorText(e, t, f)),
  });
  return (
    <Modal opened onClose={onClose} title={`${t('action.statement')} · ${debtor.name}`} centered size="lg">
      <Stack data-testid="form-statement">
        <Text size="sm">{t('statement.holds', { n: openItems.length, balance })}</Text>
        {debtor.emails.length
          ? <Text size="sm" data-testid="statement-to">{t('statement.to', { emails: debtor.emails.join(', ') })}</Text>
          : <Alert color="orange" variant="light" icon={<IconAlert />} data-testid="statement-no-email">{t('statement.noEmail')}</Alert>}
        <Text size="xs" c="dimmed">{t('statement.once')}</Text>
        {canView && <Anchor href={pdf} target="_blank" rel="noreferrer" size="sm" style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }} data-testid="statement-pdf"><IconExternal size={14} />{t('statement.viewPdf')}</Anchor>}
        {error && <Text c="red.7" size="sm" role="alert">{error}</Text>}
        {already && <Alert color="blue" variant="light" data-testid="statement-already">{t('statement.already')}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{already ? t('common.close') : t('common.cancel')}</Button>
          {!already && <Button leftSection={<IconSend size={16} />} loading={m.isPending} onClick={() => { setError(null); m.mutate(); }} data-testid="statement-send">{t('statement.send')}</Button>}
        </Group>
      </Stack>
    </Modal>
  );
}

function ActionModal({ kind, adminId, debtor, openItems, onClose, onDone }: { kind: Kind; adminId: number; debtor: Debtor; openItems: Item[]; onClose: () => void; onDone: () => void }) {
  const { t, f, lang } = useLocale();
  const toast = useToast();
  const statuses = useStatuses(adminId);
  const today = todayIso();
  const overdueTotal = openItems.filter((i) => Number(i.open) > 0 && i.dueDate < today).reduce((s, i) => s + Number(i.open), 0);
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<string>('reached');
  const [date, setDate] = useState(kind === 'promise' ? addDays(today, 7) : kind === 'plan' ? addDays(today, 14) : '');
  const [amount, setAmount] = useState(kind === 'promise' && overdueTotal > 0 ? f.number(overdueTotal, 2) : '');
  const [items, setItems] = useState<Set<number>>(new Set());
  const [reason, setReason] = useState<string | null>(null);
  const [count, setCount] = useState<number | string>(3);
  const [interest, setInterest] = useState<string>('suspended');
  const [status, setStatus] = useState<string | null>(debtor.status);
  const [error, setError] = useState<string | null>(null);
  const reasons = useQuery({ queryKey: ['dispute-reasons', adminId], enabled: kind === 'dispute', queryFn: () => get<{ key: string; labelNl: string; labelEn: string }[]>(apiPath(adminId, '/dispute-reasons')) });
  const itemIds = [...items];
  const limits = useQuery({ queryKey: ['care-limits', adminId], enabled: kind === 'promise' || kind === 'plan', queryFn: () => get<CareLimits>(apiPath(adminId, '/care/limits')) });
  const planBody = { debtorId: debtor.id, itemIds: itemIds.length ? itemIds : undefined, instalments: Number(count), firstDate: date, interestPolicy: interest };
  // the preview goes through the same code as the plan itself: what is shown is what is saved
  const preview = useQuery({
    queryKey: ['plan-preview', adminId, planBody], enabled: kind === 'plan' && !!date && count !== '', retry: false,
    queryFn: () => post<PlanPreview>(apiPath(adminId, '/payment-plans/preview'), planBody),
  });
  const promiseMax = (itemIds.length ? openItems.filter((i) => items.has(i.id)) : openItems).reduce((s, i) => s + Math.round(Number(i.open) * 100), 0);

  const m = useMutation({
    mutationFn: async () => {
      const d = debtor.id;
      switch (kind) {
        case 'note': return post(apiPath(adminId, `/debtors/${d}/notes`), { text });
        case 'call': return post(apiPath(adminId, `/debtors/${d}/calls`), { outcome, text: text || undefined, callbackDate: date || undefined });
        case 'promise': {
          const a = parseAmountInput(amount);
          if (!a || Number(a) <= 0) throw new Error(t('action.invalidAmount'));
          return post(apiPath(adminId, '/promises'), { debtorId: d, amount: a, promisedDate: date, itemIds: itemIds.length ? itemIds : undefined, note: text || undefined });
        }
        case 'dispute': return post(apiPath(adminId, '/disputes'), { debtorId: d, itemIds, reason: reason ?? 'other', description: text || undefined, deadline: date || undefined });
        case 'plan': return post(apiPath(adminId, '/payment-plans'), { ...planBody, note: text || undefined });
        case 'status': return request('PUT', apiPath(adminId, `/debtors/${d}/status`), { body: { status, note: text || undefined } });
      }
    },
    onSuccess: () => { toast.ok(t('action.done')); onDone(); },
    onError: (e) => setError(errorText(e, t, f)),
  });
  const valid = kind === 'note' ? !!text.trim() : kind === 'promise' ? !!amount && !!date : kind === 'dispute' ? itemIds.length > 0 && !!reason : kind === 'plan' ? !!date && !!preview.data : kind === 'status' ? !!status : true;
  const titles: Record<Kind, Key> = { note: 'action.note', call: 'action.call', promise: 'action.promise', dispute: 'action.dispute', plan: 'action.plan', status: 'action.status' };
  const itemPicker = (label: string) => (
    <Stack gap={4}>
      <Text size="sm" fw={500}>{label}</Text>
      <ScrollArea.Autosize mah={180} type="auto">
        <Stack gap={4}>
          {openItems.filter((i) => Number(i.open) > 0).map((i) => (
            <Checkbox key={i.id} size="xs" checked={items.has(i.id)} onChange={(e) => { const n = new Set(items); if (e.currentTarget.checked) n.add(i.id); else n.delete(i.id); setItems(n); }}
              label={<Group gap={6}><Text size="sm">{i.number}</Text><Text size="xs" c="dimmed">{f.date(i.dueDate)} · {f.money(i.open)}</Text></Group>} />
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
  return (
    <Modal opened onClose={onClose} title={`${t(titles[kind])} · ${debtor.name}`} centered size="lg">
      <form onSubmit={(e) => { e.preventDefault(); setError(null); if (valid) m.mutate(); }} data-testid={`form-${kind}`}>
        <Stack>
          {kind === 'call' && <Select label={t('action.callOutcome')} value={outcome} onChange={(v) => setOutcome(v ?? 'reached')} allowDeselect={false} data={CALL_OUTCOMES.map((o) => ({ value: o, label: t(`call.${o}` as Key) }))} data-autofocus />}
          {kind === 'call' && <TextInput type="date" label={outcome === 'callback_requested' ? t('action.callbackDate') : t('action.followUpDate')} description={t('action.followUpHint')} value={date} min={today} onChange={(e) => setDate(e.currentTarget.value)} required={outcome === 'callback_requested'} data-testid="call-follow-up" />}
          {kind === 'promise' && (
            <Group grow>
              <TextInput label={t('action.promiseAmount')} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} leftSection="€" required data-testid="promise-amount" data-autofocus />
              <TextInput type="date" label={t('action.promiseDate')} value={date} min={today} onChange={(e) => setDate(e.currentTarget.value)} required data-testid="promise-date" />
            </Group>
          )}
          {kind === 'promise' && limits.data && <Text size="xs" c="dimmed" data-testid="promise-limits">{t('promise.limits', { amount: f.money(promiseMax / 100), date: f.date(addDays(today, limits.data.promiseMaxDays)) })}</Text>}
          {kind === 'promise' && itemPicker(t('action.itemsHint'))}
          {kind === 'dispute' && <Select label={t('action.disputeReason')} value={reason} onChange={setReason} data={(reasons.data ?? []).map((r) => ({ value: r.key, label: lang === 'nl' ? r.labelNl : r.labelEn }))} required data-autofocus />}
          {kind === 'dispute' && itemPicker(t('action.items'))}
          {kind === 'dispute' && <TextInput type="date" label={t('action.deadline')} value={date} onChange={(e) => setDate(e.currentTarget.value)} />}
          {kind === 'plan' && (
            <Group grow>
              <NumberInput label={t('action.instalments')} value={count} onChange={setCount} min={1} max={limits.data?.planMaxInstalments} clampBehavior="none" allowDecimal={false} allowNegative={false} description={t('action.monthly')} data-testid="plan-count" />
              <TextInput type="date" label={t('action.firstDate')} value={date} onChange={(e) => setDate(e.currentTarget.value)} required />
            </Group>
          )}
          {kind === 'plan' && <Select label={t('action.interest')} value={interest} onChange={(v) => setInterest(v ?? 'suspended')} allowDeselect={false} data={(['suspended', 'waived', 'added'] as const).map((k) => ({ value: k, label: t(`action.interest.${k}`) }))} />}
          {kind === 'plan' && limits.data && <Text size="xs" c="dimmed">{t('plan.limits', { max: limits.data.planMaxInstalments, min: f.money(limits.data.planMinInstalment), months: limits.data.planMaxMonths })}</Text>}
          {kind === 'plan' && itemPicker(t('action.itemsHint'))}
          {kind === 'plan' && preview.error && <Alert color="orange" variant="light" data-testid="plan-preview-error">{errorText(preview.error, t, f)}</Alert>}
          {kind === 'plan' && preview.data && (
            <Stack gap={4} data-testid="plan-preview">
              <Text size="sm" fw={500}>{t('plan.preview')}</Text>
              <Text size="xs" c="dimmed">{t('plan.previewNote', { n: preview.data.instalments.length, total: f.money(preview.data.total, preview.data.currency) })}</Text>
              <ScrollArea.Autosize mah={200} type="auto">
                <Table withRowBorders={false} verticalSpacing={2} fz="xs">
                  <Table.Tbody>
                    {preview.data.instalments.map((i) => (
                      <Table.Tr key={i.seq}><Table.Td w={30}>{i.seq}</Table.Td><Table.Td>{f.date(i.dueDate)}</Table.Td><Table.Td ta="right">{f.money(i.amount, preview.data.currency)}</Table.Td></Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            </Stack>
          )}
          {kind === 'status' && <Select label={t('action.newStatus')} value={status} onChange={setStatus} allowDeselect={false} data={statuses.map((s) => ({ value: s.key, label: lang === 'nl' ? s.labelNl : s.labelEn }))} data-autofocus />}
          {kind === 'note'
            ? <Textarea label={t('action.noteText')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={4} required data-autofocus data-testid="note-text" />
            : <Textarea label={kind === 'dispute' ? t('action.description') : t('action.statusNote')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} />}
          {error && <Text c="red.7" size="sm" role="alert">{error}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={m.isPending} disabled={!valid} data-testid="action-submit">{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type Behaviour = { avgDaysLate12m: number | null; paidCount12m: number; trend: 'better' | 'stable' | 'worse' | 'unknown'; promisesKept: number; promisesBroken: number; warning: { message: string } | null };

/** The debtor's payment behaviour, as a short phrase. */
export function useBehaviour(adminId: number, debtorId: number): React.ReactNode {
  const { t, f } = useLocale();
  const q = useQuery({ queryKey: ['behaviour', adminId, debtorId], queryFn: () => get<Behaviour>(apiPath(adminId, `/debtors/${debtorId}/behaviour`)) });
  const b = q.data;
  if (!b || (b.avgDaysLate12m === null && b.promisesKept + b.promisesBroken === 0)) return null;
  const trend = b.trend !== 'unknown' ? t(`debtor.behaviourTrend.${b.trend}`) : '';
  return (
    <Stack gap={0}>
      {b.avgDaysLate12m !== null && <Text inherit c={b.avgDaysLate12m > 30 ? 'red.7' : b.avgDaysLate12m > 7 ? 'orange.7' : 'teal.7'}>{t('debtor.behaviourDays', { n: f.number(b.avgDaysLate12m, 0) })}{trend ? ` · ${trend}` : ''}</Text>}
      {b.promisesKept + b.promisesBroken > 0 && <Text size="xs" c="dimmed">{t('debtor.promises', { kept: b.promisesKept, broken: b.promisesBroken })}</Text>}
    </Stack>
  );
}
