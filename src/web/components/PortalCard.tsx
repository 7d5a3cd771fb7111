/** The debtor portal on the debtor page: when the debtor last opened it, what they did there, a new link to hand over, revoke every link. */
import { useState } from 'react';
import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from '../api.ts';
import { apiPath } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { useToast } from './toast.tsx';
import { ErrorState, Loading, SectionCard } from './ui.tsx';

type Overview = { enabled: boolean; usableLinks: number; lastLinkAt: string | null; lastOpenedAt: string | null; activity: { kind: string; summary: string; at: string }[] };

export function PortalCard({ adminId, debtorId }: { adminId: number; debtorId: number }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const path = apiPath(adminId, `/debtors/${debtorId}/portal`);
  const q = useQuery({ queryKey: ['portal', adminId, debtorId], queryFn: ({ signal }) => get<Overview>(path, undefined, signal) });
  const [made, setMade] = useState<string | null>(null);
  const may = useMayWrite('POST', `/debtors/${debtorId}/portal/revoke`);
  const refresh = () => qc.invalidateQueries({ queryKey: ['portal', adminId, debtorId] });
  const link = useMutation({ mutationFn: () => post<{ url: string }>(`${path}/links`), onSuccess: (r) => { setMade(r.url); refresh(); }, onError: (e) => toast.error((e as Error).message) });
  const revoke = useMutation({
    mutationFn: () => post<{ revoked: number }>(`${path}/revoke`),
    onSuccess: (r) => { setMade(null); toast.ok(t('portal.revoked', { n: r.revoked })); refresh(); },
    onError: (e) => toast.error((e as Error).message),
  });
  return (
    <SectionCard title={t('portal.title')} testId="debtor-portal">
      {q.isPending ? <Loading /> : q.error ? <ErrorState error={q.error} /> : (
        <Stack gap="xs">
          {!q.data.enabled && <Text size="sm" c="dimmed">{t('portal.off')}</Text>}
          <Text size="sm" data-testid="portal-last-opened">{q.data.lastOpenedAt ? t('portal.lastOpened', { at: f.dateTime(q.data.lastOpenedAt) }) : t('portal.neverOpened')}</Text>
          <Text size="sm" c="dimmed">{t('portal.usable', { n: q.data.usableLinks })}</Text>
          {q.data.activity.length > 0 && (
            <Stack gap={2} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('portal.activity')}>
              {q.data.activity.slice(0, 8).map((a, k) => <Text key={k} size="xs" component="li"><Text span c="dimmed" size="xs">{f.dateTime(a.at)}</Text> {a.summary}</Text>)}
            </Stack>
          )}
          {made && <Code block data-testid="portal-new-link" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{made}</Code>}
          {may && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => link.mutate()} loading={link.isPending} data-testid="portal-make-link">{t('portal.newLink')}</Button>
              <Button size="xs" variant="light" color="red" onClick={() => revoke.mutate()} loading={revoke.isPending} disabled={q.data.usableLinks === 0} data-testid="portal-revoke">{t('portal.revoke')}</Button>
            </Group>
          )}
        </Stack>
      )}
    </SectionCard>
  );
}
