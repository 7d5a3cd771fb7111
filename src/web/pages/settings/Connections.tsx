/**
 * Settings, tab Boekhoudpakket: connect Moneybird, Exact Online or Yuki; per connection its
 * status, the last sync with counts and errors, a refused sync to decide, and test / sync now /
 * pause / disconnect. Secrets are typed in, never shown: the server never sends them back.
 */
import { useState } from 'react';
import { Alert, Badge, Button, Group, NumberInput, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, request } from '../../api.ts';
import { apiPath } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading, SectionCard } from '../../components/ui.tsx';
import { Problems } from './common.tsx';

type Connection = {
  id: number; vendor: 'moneybird' | 'exact' | 'yuki'; vendorName: string; label: string; status: string; phase: string; progress: { stage?: string; done?: number; total?: number | null };
  lastSyncAt: string | null; lastSuccessAt: string | null; lastError: string | null; lastCounts: Record<string, number> | null; review: { closing?: number; open?: number } | null;
};
type Freshness = { connectionId: number; ageHours: number | null; stale: boolean };
export type ConnectionList = { connections: Connection[]; freshness: Freshness[]; packageOwnsPayments: boolean; packageStaleAfterHours: number };

export function ConnectionsTab({ adminId, canEdit, owner }: { adminId: number; canEdit: boolean; owner: boolean }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const key = ['connections', adminId];
  const q = useQuery({ queryKey: key, queryFn: () => get<ConnectionList>(apiPath(adminId, '/connections')), refetchInterval: 10_000 });
  const [vendor, setVendor] = useState<'moneybird' | 'exact' | 'yuki'>('moneybird');
  const [form, setForm] = useState({ externalAdmin: '', secret: '', clientId: '', redirectUri: `${location.origin}/api/connectors/exact/callback` });
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const add = useMutation({
    mutationFn: () => request<{ authorizeUrl: string | null }>('POST', apiPath(adminId, '/connections'), {
      body: vendor === 'exact' ? { vendor, externalAdmin: form.externalAdmin, clientId: form.clientId, clientSecret: form.secret, redirectUri: form.redirectUri }
        : { vendor, externalAdmin: form.externalAdmin, ...(vendor === 'moneybird' ? { token: form.secret } : { accessKey: form.secret }) },
    }),
    onSuccess: (r) => { setForm((x) => ({ ...x, secret: '' })); void refresh(); if (r.authorizeUrl) location.assign(r.authorizeUrl); else toast.ok(t('conn.connected')); },
  });
  const act = useMutation({
    mutationFn: ({ id, path, method = 'POST', body }: { id: number; path: string; method?: 'POST' | 'DELETE'; body?: unknown }) => request<{ ok?: boolean; message?: string }>(method, apiPath(adminId, `/connections/${id}${path}`), body ? { body } : {}),
    onSuccess: (r) => { void refresh(); if (r && typeof r === 'object' && 'ok' in r) (r.ok ? toast.ok(`${t('conn.testOk')}: ${r.message}`) : toast.error(`${t('conn.testFailed')}: ${r.message}`)); },
  });
  const settings = useMutation({
    mutationFn: (b: { packageOwnsPayments?: boolean; packageStaleAfterHours?: number }) => request('PUT', apiPath(adminId, '/package-settings'), { body: b }),
    onSuccess: () => { void refresh(); toast.ok(t('common.saved')); },
  });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading h={300} />;
  const fresh = new Map(q.data.freshness.map((x) => [x.connectionId, x]));
  const counts = (c: Record<string, number> | null) => (c && Object.keys(c).length ? Object.entries(c).map(([k, v]) => `${t(`conn.count.${k}` as never) || k}: ${v}`).join(', ') : t('conn.nothingChanged'));
  return (
    <Stack>
      <SectionCard title={t('conn.title')} sub={t('conn.sub')} testId="connections">
        <Problems error={act.error} />
        {q.data.connections.length === 0 ? <Text c="dimmed" size="sm">{t('conn.none')}</Text> : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing={6} fz="sm">
              <Table.Thead><Table.Tr><Table.Th>{t('conn.package')}</Table.Th><Table.Th>{t('conn.status')}</Table.Th><Table.Th>{t('conn.lastSync')}</Table.Th><Table.Th>{t('conn.counts')}</Table.Th>{canEdit && <Table.Th />}</Table.Tr></Table.Thead>
              <Table.Tbody>
                {q.data.connections.map((c) => {
                  const fr = fresh.get(c.id);
                  return (
                    <Table.Tr key={c.id} data-testid={`connection-${c.id}`}>
                      <Table.Td><Text fw={600} size="sm">{c.label}</Text><Text size="xs" c="dimmed">{c.vendorName} · {c.phase === 'initial' ? t('conn.firstLoad') : t('conn.incremental')}</Text></Table.Td>
                      <Table.Td>
                        <Badge color={c.status === 'active' ? (fr?.stale ? 'orange' : 'green') : c.status === 'error' ? 'red' : 'gray'} variant="light">{t(`conn.state.${c.status}` as never)}</Badge>
                        {c.phase === 'initial' && c.progress.total ? <Text size="xs" c="dimmed">{c.progress.stage}: {c.progress.done}/{c.progress.total}</Text> : null}
                      </Table.Td>
                      <Table.Td>{c.lastSuccessAt ? f.dateTime(c.lastSuccessAt) : '—'}{fr?.ageHours != null && <Text size="xs" c={fr.stale ? 'orange' : 'dimmed'}>{t('conn.ageHours', { n: fr.ageHours })}</Text>}</Table.Td>
                      <Table.Td>
                        <Text size="xs">{counts(c.lastCounts)}</Text>
                        {c.lastError && <Text size="xs" c="red" data-testid="connection-error">{c.lastError}</Text>}
                        {c.review && (
                          <Alert color="orange" p="xs" mt={4} title={t('conn.reviewTitle', { closing: c.review.closing ?? 0, open: c.review.open ?? 0 })}>
                            {canEdit && <Group gap="xs"><Button size="xs" color="orange" onClick={() => act.mutate({ id: c.id, path: '/review', body: { approve: true } })}>{t('conn.approve')}</Button><Button size="xs" variant="default" onClick={() => act.mutate({ id: c.id, path: '/review', body: { approve: false } })}>{t('conn.reject')}</Button></Group>}
                          </Alert>
                        )}
                      </Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <Button size="xs" variant="default" onClick={() => act.mutate({ id: c.id, path: '/test' })}>{t('conn.test')}</Button>
                            <Button size="xs" variant="default" disabled={c.status !== 'active' && c.status !== 'error'} onClick={() => act.mutate({ id: c.id, path: '/sync' })}>{t('conn.syncNow')}</Button>
                            <Button size="xs" variant="default" onClick={() => act.mutate({ id: c.id, path: c.status === 'paused' ? '/resume' : '/pause' })}>{c.status === 'paused' ? t('conn.resume') : t('conn.pause')}</Button>
                            {owner && <Button size="xs" color="red" variant="subtle" onClick={() => { if (confirm(t('conn.disconnectConfirm'))) act.mutate({ id: c.id, path: '', method: 'DELETE' }); }}>{t('conn.disconnect')}</Button>}
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </SectionCard>
      {owner && (
        <SectionCard title={t('conn.add')} sub={t(`conn.help.${vendor}` as never)} testId="connection-add">
          <Problems error={add.error} />
          <Group align="end" gap="sm">
            <Select label={t('conn.package')} value={vendor} onChange={(v) => v && setVendor(v as typeof vendor)} data={[{ value: 'moneybird', label: 'Moneybird' }, { value: 'exact', label: 'Exact Online' }, { value: 'yuki', label: 'Yuki' }]} w={170} allowDeselect={false} />
            <TextInput label={t(`conn.adminLabel.${vendor}` as never)} value={form.externalAdmin} onChange={(e) => setForm({ ...form, externalAdmin: e.currentTarget.value })} data-testid="connection-admin" />
            {vendor === 'exact' && <TextInput label="Client ID" value={form.clientId} onChange={(e) => setForm({ ...form, clientId: e.currentTarget.value })} />}
            <TextInput type="password" autoComplete="off" label={t(`conn.secretLabel.${vendor}` as never)} value={form.secret} onChange={(e) => setForm({ ...form, secret: e.currentTarget.value })} data-testid="connection-secret" />
            {vendor === 'exact' && <TextInput label="Redirect URI" value={form.redirectUri} onChange={(e) => setForm({ ...form, redirectUri: e.currentTarget.value })} w={340} />}
            <Button loading={add.isPending} disabled={!form.externalAdmin || !form.secret} onClick={() => add.mutate()} data-testid="connection-connect">{vendor === 'exact' ? t('conn.authorise') : t('conn.connect')}</Button>
          </Group>
        </SectionCard>
      )}
      <SectionCard title={t('conn.settingsTitle')} testId="connection-settings">
        <Stack gap="sm">
          <Switch checked={q.data.packageOwnsPayments} disabled={!owner} label={t('conn.ownsPayments')} description={t('conn.ownsPaymentsHelp')} onChange={(e) => settings.mutate({ packageOwnsPayments: e.currentTarget.checked })} />
          <NumberInput label={t('conn.staleAfter')} value={q.data.packageStaleAfterHours} min={1} max={720} disabled={!owner} w={240} onBlur={(e) => { const n = Number(e.currentTarget.value); if (Number.isInteger(n) && n !== q.data.packageStaleAfterHours) settings.mutate({ packageStaleAfterHours: n }); }} />
        </Stack>
      </SectionCard>
    </Stack>
  );
}
