/**
 * The debtor's direct debit on the debtor page: its mandates (id, IBAN, scheme, status, signature
 * date, the printable form to sign) and its collection history (batch, date, amount, outcome and
 * the return reason). Hidden when the debtor has neither a mandate nor a collection.
 */
import { Anchor, Badge, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api.ts';
import { apiPath } from '../app/admin.tsx';
import { useLocale } from '../app/locale.tsx';
import { reasonText } from '../../domain/sepa/returns.ts';
import { ErrorState, SectionCard } from './ui.tsx';

type Mandate = { id: number; mandateId: string; signatureDate: string; iban: string; scheme: string; recurring: boolean; status: string };
type Collection = { collectionItemId: number; messageId: string; collectionDate: string; itemNumber: string; endToEndId: string; amount: string; status: 'pending' | 'settled' | 'returned'; reason: string | null; mandateId: string };

const STATUS_COLOR = { pending: 'blue', settled: 'green', returned: 'red' } as const;

export function DebtorDirectDebit({ adminId, debtorId }: { adminId: number; debtorId: number }) {
  const { t, f, lang } = useLocale();
  const mandates = useQuery({ queryKey: ['debtor-mandates', adminId, debtorId], queryFn: () => get<Mandate[]>(apiPath(adminId, '/mandates'), { debtorId }) });
  const collections = useQuery({ queryKey: ['debtor-collections', adminId, debtorId], queryFn: () => get<Collection[]>(apiPath(adminId, `/debtors/${debtorId}/collections`)) });
  const error = mandates.error ?? collections.error;
  if (error) return <SectionCard title={t('ddd.title')} testId="debtor-direct-debit"><ErrorState error={error} /></SectionCard>;
  if (!mandates.data || !collections.data) return null;
  if (mandates.data.length === 0 && collections.data.length === 0) return null;
  return (
    <SectionCard title={t('ddd.title')} testId="debtor-direct-debit">
      <Stack gap="md">
        <Stack gap={4} data-testid="ddd-mandates">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('ddd.mandates')}</Text>
          {mandates.data.length === 0 ? <Text size="sm" c="dimmed">{t('ddd.noMandates')}</Text> : (
            <Table.ScrollContainer minWidth={560}>
              <Table>
                <Table.Thead><Table.Tr>
                  <Table.Th>{t('ddd.mandateId')}</Table.Th><Table.Th>{t('ddd.iban')}</Table.Th><Table.Th>{t('ddd.scheme')}</Table.Th>
                  <Table.Th>{t('ddd.signed')}</Table.Th><Table.Th>{t('ddd.status')}</Table.Th><Table.Th />
                </Table.Tr></Table.Thead>
                <Table.Tbody>
                  {mandates.data.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td><Text size="sm" ff="monospace">{m.mandateId}</Text></Table.Td>
                      <Table.Td><Text size="sm" ff="monospace">{m.iban}</Text></Table.Td>
                      <Table.Td>{m.scheme} · {m.recurring ? t('ddd.recurring') : t('ddd.oneOff')}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.date(m.signatureDate)}</Table.Td>
                      <Table.Td><Badge variant="light" color={m.status === 'active' ? 'green' : 'gray'} style={{ maxWidth: 'none' }}>{t(`dd.mandate.${m.status}` as 'dd.mandate.active')}</Badge></Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}><Anchor size="sm" href={`/api${apiPath(adminId, `/mandates/${m.id}/form`)}`} target="_blank" rel="noreferrer" data-testid="ddd-form">{t('ddd.form')}</Anchor></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
        <Stack gap={4} data-testid="ddd-collections">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('ddd.collections')}</Text>
          {collections.data.length === 0 ? <Text size="sm" c="dimmed">{t('ddd.noCollections')}</Text> : (
            <Table.ScrollContainer minWidth={560}>
              <Table>
                <Table.Thead><Table.Tr>
                  <Table.Th>{t('ddd.date')}</Table.Th><Table.Th>{t('ddd.batch')}</Table.Th><Table.Th>{t('ddd.item')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('ddd.amount')}</Table.Th><Table.Th>{t('ddd.outcome')}</Table.Th>
                </Table.Tr></Table.Thead>
                <Table.Tbody>
                  {collections.data.map((c) => (
                    <Table.Tr key={c.collectionItemId}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.date(c.collectionDate)}</Table.Td>
                      <Table.Td><Text size="sm" ff="monospace">{c.messageId}</Text></Table.Td>
                      <Table.Td>{c.itemNumber}</Table.Td>
                      <Table.Td style={{ textAlign: 'right' }}>{f.money(c.amount)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STATUS_COLOR[c.status]} style={{ maxWidth: 'none' }}>{t(`ddd.status.${c.status}`)}</Badge>
                        {c.status === 'returned' && <Text size="xs" c="dimmed" mt={2}>{reasonText(c.reason, lang)}</Text>}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Stack>
    </SectionCard>
  );
}
