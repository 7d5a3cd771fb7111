/**
 * The debtor's current agreements on the debtor page, one panel each: open promises (change,
 * withdraw), active payment plans (schedule with what is paid, the letter, end), open disputes
 * (which items they pause, resolve). Every action is recorded on the dossier by the server; the
 * page refreshes after each one. Errors are said in the reader's language (app/problems.ts).
 */
import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { get, post, request, type Item } from '../api.ts';
import { apiPath } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { errorText } from '../app/problems.ts';
import { parseAmountInput, todayIso } from '../format.ts';
import type { Key } from '../i18n.ts';
import { SectionCard } from './ui.tsx';
import { useToast } from './toast.tsx';

export type PromiseRow = { id: number; debtorId: number; amount: string; promisedDate: string; itemIds: number[]; graceDays: number; status: string; note: string | null };
type Instalment = { seq: number; dueDate: string; amount: string; paid: string; status: 'open' | 'paid' | 'missed' };
export type PlanRow = { id: number; debtorId: number; status: string; total: string; documentId: number | null; itemIds: number[]; instalments: Instalment[] };
export type DisputeRow = { id: number; debtorId: number; itemIds: number[]; reason: string; description: string | null; owner: string | null; deadline: string | null; status: string };
type Reason = { key: string; labelNl: string; labelEn: string };

/** The debtor's open promises, active plans and open disputes (shared by the panel and the item list). */
export function useAgreements(adminId: number, debtorId: number) {
  const promises = useQuery({ queryKey: ['agreements', adminId, debtorId, 'promises'], queryFn: () => get<PromiseRow[]>(apiPath(adminId, '/promises'), { debtorId, status: 'open' }) });
  const plans = useQuery({ queryKey: ['agreements', adminId, debtorId, 'plans'], queryFn: () => get<PlanRow[]>(apiPath(adminId, '/payment-plans'), { debtorId, status: 'active' }) });
  const disputes = useQuery({ queryKey: ['agreements', adminId, debtorId, 'disputes'], queryFn: () => get<DisputeRow[]>(apiPath(adminId, '/disputes'), { debtorId, status: 'open' }) });
  return { promises: promises.data ?? [], plans: plans.data ?? [], disputes: disputes.data ?? [] };
}

export function Agreements({ adminId, debtorId, items, onDone }: { adminId: number; debtorId: number; items: Item[]; onDone: () => void }) {
  const { t, f, lang } = useLocale();
  const { promises, plans, disputes } = useAgreements(adminId, debtorId);
  const reasons = useQuery({ queryKey: ['dispute-reasons', adminId], enabled: disputes.length > 0, queryFn: () => get<Reason[]>(apiPath(adminId, '/dispute-reasons')) });
  const mayChangePromise = useMayWrite('PUT', '/promises/{id}');
  const mayCancelPromise = useMayWrite('POST', '/promises/{id}/cancel');
  const mayEndPlan = useMayWrite('POST', '/payment-plans/{id}/cancel');
  const mayResolve = useMayWrite('POST', '/disputes/{id}/resolve');
  const [changing, setChanging] = useState<PromiseRow | null>(null);
  const [resolving, setResolving] = useState<DisputeRow | null>(null);
  if (!promises.length && !plans.length && !disputes.length) return null;
  const numbers = (ids: number[]) => ids.map((id) => items.find((i) => i.id === id)?.number ?? `#${id}`).join(', ');
  const reasonLabel = (key: string) => { const r = reasons.data?.find((x) => x.key === key); return r ? (lang === 'nl' ? r.labelNl : r.labelEn) : key; };

  return (
    <SectionCard title={t('agreements.title')} testId="agreements">
      <Stack gap="sm">
        {promises.map((p) => (
          <Paper key={`p${p.id}`} withBorder p="sm" data-testid={`promise-${p.id}`}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2}>
                <Text size="sm" fw={600}>{t('agreements.promise', { amount: f.money(p.amount), date: f.date(p.promisedDate) })}</Text>
                <Text size="xs" c="dimmed">{p.itemIds.length ? t('agreements.promiseItems', { items: numbers(p.itemIds) }) : t('agreements.promiseAll')} · {t('agreements.grace', { n: p.graceDays })}{p.note ? ` · ${p.note}` : ''}</Text>
              </Stack>
              <Group gap={6} wrap="nowrap">
                {mayChangePromise && <Button size="xs" variant="default" onClick={() => setChanging(p)} data-testid="promise-change">{t('agreements.change')}</Button>}
                {mayCancelPromise && <ConfirmAction label={t('agreements.withdraw')} question={t('agreements.withdrawConfirm')} done={t('agreements.withdrawn')} run={() => post(apiPath(adminId, `/promises/${p.id}/cancel`))} onDone={onDone} testId="promise-withdraw" />}
              </Group>
            </Group>
          </Paper>
        ))}
        {plans.map((p) => {
          const paid = p.instalments.filter((i) => i.status === 'paid').length;
          return (
            <Paper key={`pl${p.id}`} withBorder p="sm" data-testid={`plan-${p.id}`}>
              <Group justify="space-between" wrap="nowrap" align="flex-start" mb="xs">
                <Stack gap={2}>
                  <Text size="sm" fw={600}>{t('agreements.plan', { id: p.id, total: f.money(p.total), n: p.instalments.length })}</Text>
                  <Text size="xs" c="dimmed">{t('agreements.planPaid', { paid, n: p.instalments.length })}</Text>
                </Stack>
                <Group gap={6} wrap="nowrap">
                  {p.documentId !== null && <Button size="xs" variant="subtle" component="a" href={`/api${apiPath(adminId, `/payment-plans/${p.id}/letter`)}`} target="_blank" rel="noreferrer">{t('agreements.planLetter')}</Button>}
                  {mayEndPlan && <ConfirmAction label={t('agreements.end')} question={t('agreements.endConfirm')} done={t('agreements.ended')} run={() => post(apiPath(adminId, `/payment-plans/${p.id}/cancel`))} onDone={onDone} testId="plan-end" />}
                </Group>
              </Group>
              <Table withRowBorders={false} verticalSpacing={2} fz="xs" data-testid="plan-schedule">
                <Table.Tbody>
                  {p.instalments.map((i) => (
                    <Table.Tr key={i.seq}>
                      <Table.Td w={30}>{i.seq}</Table.Td>
                      <Table.Td>{f.date(i.dueDate)}</Table.Td>
                      <Table.Td ta="right">{f.money(i.amount)}</Table.Td>
                      <Table.Td ta="right"><Badge size="xs" variant="light" color={i.status === 'paid' ? 'teal' : i.status === 'missed' ? 'red' : 'gray'}>{t(`agreements.instalment.${i.status}` as Key)}</Badge></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          );
        })}
        {disputes.map((d) => (
          <Paper key={`d${d.id}`} withBorder p="sm" data-testid={`dispute-${d.id}`}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2}>
                <Text size="sm" fw={600}>{t('agreements.dispute', { reason: reasonLabel(d.reason) })}</Text>
                <Text size="xs" c="dimmed">{t('agreements.disputeItems', { items: numbers(d.itemIds), date: f.date(d.deadline) })}{d.owner ? ` · ${d.owner}` : ''}</Text>
                {d.description && <Text size="xs">{d.description}</Text>}
                <Text size="xs" c="orange.8">{t('agreements.disputeOnlyItems')}</Text>
              </Stack>
              {mayResolve && <Button size="xs" variant="default" onClick={() => setResolving(d)} data-testid="dispute-resolve">{t('agreements.resolve')}</Button>}
            </Group>
          </Paper>
        ))}
      </Stack>
      {changing && <ChangePromise adminId={adminId} promise={changing} onClose={() => setChanging(null)} onDone={() => { setChanging(null); onDone(); }} />}
      {resolving && <ResolveDispute adminId={adminId} dispute={resolving} items={items} onClose={() => setResolving(null)} onDone={() => { setResolving(null); onDone(); }} />}
    </SectionCard>
  );
}

/** A button that asks once more before it acts. */
function ConfirmAction({ label, question, done, run, onDone, testId }: { label: string; question: string; done: string; run: () => Promise<unknown>; onDone: () => void; testId: string }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const m = useMutation({ mutationFn: run, onSuccess: () => { setAsking(false); toast.ok(done); onDone(); }, onError: (e) => setError(errorText(e, t, f)) });
  return (
    <>
      <Button size="xs" variant="default" color="red" onClick={() => setAsking(true)} data-testid={testId}>{label}</Button>
      {asking && (
        <Modal opened onClose={() => setAsking(false)} title={label} centered>
          <Stack>
            <Text size="sm">{question}</Text>
            {error && <Text c="red.7" size="sm" role="alert">{error}</Text>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsking(false)}>{t('common.cancel')}</Button>
              <Button color="red" loading={m.isPending} onClick={() => { setError(null); m.mutate(); }} data-testid={`${testId}-confirm`}>{t('agreements.confirm')}</Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </>
  );
}

function ChangePromise({ adminId, promise, onClose, onDone }: { adminId: number; promise: PromiseRow; onClose: () => void; onDone: () => void }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const [amount, setAmount] = useState(f.number(Number(promise.amount), 2));
  const [date, setDate] = useState(promise.promisedDate);
  const [error, setError] = useState<string | null>(null);
  const m = useMutation({
    mutationFn: () => {
      const a = parseAmountInput(amount);
      if (!a || Number(a) <= 0) throw new Error(t('action.invalidAmount'));
      return request('PUT', apiPath(adminId, `/promises/${promise.id}`), { body: { amount: a, promisedDate: date } });
    },
    onSuccess: () => { toast.ok(t('agreements.changed')); onDone(); },
    onError: (e) => setError(errorText(e, t, f)),
  });
  return (
    <Modal opened onClose={onClose} title={t('agreements.change')} centered>
      <form onSubmit={(e) => { e.preventDefault(); setError(null); m.mutate(); }} data-testid="form-promise-change">
        <Stack>
          <Group grow>
            <TextInput label={t('action.promiseAmount')} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} leftSection="€" required data-testid="promise-change-amount" />
            <TextInput type="date" label={t('action.promiseDate')} value={date} min={todayIso()} onChange={(e) => setDate(e.currentTarget.value)} required data-testid="promise-change-date" />
          </Group>
          {error && <Text c="red.7" size="sm" role="alert" data-testid="promise-change-error">{error}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={m.isPending} data-testid="promise-change-save">{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const RESOLUTIONS = ['credit_note', 'partial_credit', 'rejected', 'withdrawn'] as const;

function ResolveDispute({ adminId, dispute, items, onClose, onDone }: { adminId: number; dispute: DisputeRow; items: Item[]; onClose: () => void; onDone: () => void }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const [resolution, setResolution] = useState<(typeof RESOLUTIONS)[number]>('rejected');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const disputedOpen = items.filter((i) => dispute.itemIds.includes(i.id)).reduce((s, i) => s + Math.round(Number(i.open) * 100), 0);
  const m = useMutation({
    mutationFn: () => {
      const a = resolution === 'partial_credit' ? parseAmountInput(amount) : null;
      if (resolution === 'partial_credit' && (!a || Number(a) <= 0)) throw new Error(t('action.invalidAmount'));
      return post(apiPath(adminId, `/disputes/${dispute.id}/resolve`), { resolution, ...(a ? { amount: a } : {}), note: note || undefined });
    },
    onSuccess: () => { toast.ok(t('agreements.resolved')); onDone(); },
    onError: (e) => setError(errorText(e, t, f)),
  });
  return (
    <Modal opened onClose={onClose} title={t('agreements.resolve')} centered size="lg">
      <form onSubmit={(e) => { e.preventDefault(); setError(null); m.mutate(); }} data-testid="form-dispute-resolve">
        <Stack>
          <Alert variant="light" color="gray">{t('agreements.disputedOpen', { amount: f.money(disputedOpen / 100) })}</Alert>
          <Select label={t('agreements.resolution')} value={resolution} onChange={(v) => setResolution((v ?? 'rejected') as typeof resolution)} allowDeselect={false} data={RESOLUTIONS.map((r) => ({ value: r, label: t(`resolution.${r}` as Key) }))} data-testid="dispute-resolution" />
          {resolution === 'partial_credit' && <TextInput label={t('agreements.creditAmount')} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} leftSection="€" required data-testid="dispute-credit-amount" />}
          <Textarea label={t('action.statusNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
          {error && <Text c="red.7" size="sm" role="alert">{error}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={m.isPending} data-testid="dispute-resolve-save">{t('agreements.resolve')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
