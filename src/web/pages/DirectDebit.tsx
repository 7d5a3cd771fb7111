/**
 * Direct debit: the batches with their outcome (pending, collected, returned), the returns counted
 * by reason and one by one, the mandates, and the refunds with the approve button (four-eyes: the
 * server refuses the proposer; a viewer gets no button).
 */
import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, post } from '../api.ts';
import { apiPath, useAdmin } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { useToast } from '../components/toast.tsx';
import { Empty, ErrorState, Loading, PageHeader, SectionCard } from '../components/ui.tsx';

type Overview = {
  batches: { id: number; messageId: string; collectionDate: string; format: string; count: number; controlSum: string; pending: number; settled: number; returned: number; retry: boolean }[];
  returns: { collectionItemId: number; messageId: string; itemNumber: string; debtorNumber: string; debtorName: string; amount: string; reason: string; kind: string; action: 'retry' | 'mandate_ended' | 'task'; returnedOn: string }[];
  returnsByReason: { reason: string; nl: string; en: string; count: number; total: string }[];
};
type Mandate = { id: number; debtorNumber: string; debtorName: string; mandateId: string; signatureDate: string; iban: string; scheme: string; recurring: boolean; status: string; lastUsedAt: string | null };
type Refund = { id: number; debtorNumber: string; debtorName: string; amount: string; iban: string; endToEndId: string; status: string; proposedBy: string; approvedBy: string | null };

export default function DirectDebit() {
  const { adminId } = useAdmin();
  const { t, f, lang } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const mayApprove = useMayWrite('POST', '/refunds/1/approve');
  const overview = useQuery({ queryKey: ['direct-debit', adminId], queryFn: () => get<Overview>(apiPath(adminId, '/direct-debit')) });
  const mandates = useQuery({ queryKey: ['mandates', adminId], queryFn: () => get<Mandate[]>(apiPath(adminId, '/mandates')) });
  const refunds = useQuery({ queryKey: ['refunds', adminId], queryFn: () => get<Refund[]>(apiPath(adminId, '/refunds')) });
  const approve = useMutation({
    mutationFn: (id: number) => post<Refund>(apiPath(adminId, `/refunds/${id}/approve`), {}),
    onSuccess: () => { toast.ok(t('dd.approved')); void qc.invalidateQueries({ queryKey: ['refunds', adminId] }); },
    onError: (e) => toast.error(e instanceof ApiError && e.status === 403 ? t('dd.fourEyes') : e instanceof Error ? e.message : String(e)),
  });
  if (overview.isLoading) return <Loading />;
  if (overview.error) return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  const o = overview.data!;
  const action = (a: string) => t(a === 'retry' ? 'dd.action.retry' : a === 'mandate_ended' ? 'dd.action.mandateEnded' : 'dd.action.task');
  return (
    <Stack>
      <PageHeader title={t('dd.title')} sub={t('dd.sub')} />
      <SectionCard title={t('dd.batches')} testId="dd-batches">
        {o.batches.length === 0 ? <Empty>{t('dd.noBatches')}</Empty> : (
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('dd.batch')}</Table.Th><Table.Th>{t('dd.date')}</Table.Th><Table.Th style={{ textAlign: 'right' }}>{t('dd.total')}</Table.Th><Table.Th>{t('dd.outcome')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {o.batches.map((b) => (
                <Table.Tr key={b.id}>
                  <Table.Td>{b.messageId}{b.retry ? <Badge ml="xs" color="orange" variant="light">{t('dd.retry')}</Badge> : null}</Table.Td>
                  <Table.Td>{f.date(b.collectionDate)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{f.money(Number(b.controlSum))}</Table.Td>
                  <Table.Td><Group gap={4}>
                    {b.settled ? <Badge color="green" variant="light">{t('dd.settled', { n: b.settled })}</Badge> : null}
                    {b.pending ? <Badge color="blue" variant="light">{t('dd.pending', { n: b.pending })}</Badge> : null}
                    {b.returned ? <Badge color="red" variant="light">{t('dd.returned', { n: b.returned })}</Badge> : null}
                  </Group></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </SectionCard>
      <SectionCard title={t('dd.returns')} testId="dd-returns">
        {o.returns.length === 0 ? <Empty>{t('dd.noReturns')}</Empty> : (
          <Stack>
            <Group gap="xs">{o.returnsByReason.map((r) => <Badge key={r.reason} variant="outline">{`${r.count} × ${lang === 'nl' ? r.nl : r.en} (${f.money(Number(r.total))})`}</Badge>)}</Group>
            <Table>
              <Table.Tbody>
                {o.returns.map((r) => (
                  <Table.Tr key={r.collectionItemId}>
                    <Table.Td>{f.date(r.returnedOn)}</Table.Td><Table.Td>{r.debtorNumber} {r.debtorName}</Table.Td><Table.Td>{r.itemNumber}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{f.money(Number(r.amount))}</Table.Td><Table.Td>{r.reason}</Table.Td><Table.Td>{action(r.action)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </SectionCard>
      <SectionCard title={t('dd.refunds')} testId="dd-refunds">
        {refunds.error ? <ErrorState error={refunds.error} /> : !refunds.data?.length ? <Empty>{t('dd.noRefunds')}</Empty> : (
          <Table>
            <Table.Tbody>
              {refunds.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.debtorNumber} {r.debtorName}</Table.Td><Table.Td style={{ textAlign: 'right' }}>{f.money(Number(r.amount))}</Table.Td><Table.Td>{r.iban}</Table.Td>
                  <Table.Td><Badge variant="light">{t(`dd.refund.${r.status}` as 'dd.refund.proposed')}</Badge></Table.Td>
                  <Table.Td><Text size="xs" c="dimmed">{r.approvedBy ? t('dd.by2', { a: r.proposedBy, b: r.approvedBy }) : t('dd.by', { a: r.proposedBy })}</Text></Table.Td>
                  <Table.Td>{mayApprove && r.status === 'proposed' ? <Button size="xs" loading={approve.isPending} onClick={() => approve.mutate(r.id)}>{t('dd.approve')}</Button> : null}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </SectionCard>
      <SectionCard title={t('dd.mandates')} testId="dd-mandates">
        {mandates.error ? <ErrorState error={mandates.error} /> : !mandates.data?.length ? <Empty>{t('dd.noMandates')}</Empty> : (
          <Table>
            <Table.Tbody>
              {mandates.data.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.debtorNumber} {m.debtorName}</Table.Td><Table.Td>{m.mandateId}</Table.Td><Table.Td>{m.scheme}{m.recurring ? '' : ` · ${t('dd.oneOff')}`}</Table.Td>
                  <Table.Td>{m.iban}</Table.Td><Table.Td>{f.date(m.signatureDate)}</Table.Td><Table.Td><Badge variant="light" color={m.status === 'active' ? 'green' : 'gray'}>{t(`dd.mandate.${m.status}` as 'dd.mandate.active')}</Badge></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </SectionCard>
    </Stack>
  );
}
