/** Settings → Inbound mail: the IMAP mailbox replies arrive in; the password is never shown (only whether it is set); a connection test; the last read and its error. */
import { useEffect, useState } from 'react';
import { Alert, Button, Group, NumberInput, PasswordInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, post, request } from '../../api.ts';
import { apiPath } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading, SectionCard } from '../../components/ui.tsx';

type Mailbox = { configured: boolean; host: string | null; port: number | null; tls: boolean; username: string | null; passwordSet: boolean; folder: string; processedFolder: string; enabled: boolean; lastOkAt: string | null; lastError: string | null; lastErrorAt: string | null };

export function InboxTab({ adminId, canEdit }: { adminId: number; canEdit: boolean }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['settings-inbox', adminId], queryFn: () => get<Mailbox>(apiPath(adminId, '/settings/inbox')) });
  const [form, setForm] = useState({ host: '', port: 993, tls: true, username: '', password: '', folder: 'INBOX' });
  useEffect(() => {
    if (q.data) setForm({ host: q.data.host ?? '', port: q.data.port ?? 993, tls: q.data.tls, username: q.data.username ?? '', password: '', folder: q.data.folder });
  }, [q.data]);
  const payload = () => ({ host: form.host.trim(), port: form.port, tls: form.tls, username: form.username.trim(), folder: form.folder.trim() || 'INBOX', ...(form.password ? { password: form.password } : {}) });
  const fail = (e: unknown) => toast.error(e instanceof ApiError ? e.message : String(e), t('app.error'));
  const save = useMutation({ mutationFn: () => request<Mailbox>('PUT', apiPath(adminId, '/settings/inbox'), { body: payload() }), onSuccess: () => { toast.ok(t('inbox.saved')); void qc.invalidateQueries({ queryKey: ['settings-inbox', adminId] }); }, onError: fail });
  const test = useMutation({ mutationFn: () => post<{ ok: boolean; messages?: number; error?: string }>(apiPath(adminId, '/settings/inbox/test'), payload()), onError: fail });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading />;
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm((x) => ({ ...x, [k]: v }));
  return (
    <SectionCard title={t('inbox.settings')} sub={t('inbox.settingsSub')} testId="settings-inbox">
      <Stack gap="sm" maw={520}>
        {q.data.lastError && <Alert color="red" title={t('inbox.lastError')} data-testid="inbox-last-error">{q.data.lastError}{q.data.lastErrorAt ? ` (${f.dateTime(q.data.lastErrorAt)})` : ''}</Alert>}
        {q.data.lastOkAt && !q.data.lastError && <Text size="sm" c="dimmed">{t('inbox.lastOk')}: {f.dateTime(q.data.lastOkAt)}</Text>}
        <Group grow>
          <TextInput label={t('inbox.host')} value={form.host} onChange={(e) => set('host', e.currentTarget.value)} disabled={!canEdit} data-testid="inbox-host" />
          <NumberInput label={t('inbox.port')} value={form.port} onChange={(v) => set('port', Number(v) || 0)} min={1} max={65535} disabled={!canEdit} maw={120} data-testid="inbox-port" />
        </Group>
        <Switch label={t('inbox.tls')} checked={form.tls} onChange={(e) => set('tls', e.currentTarget.checked)} disabled={!canEdit} />
        <TextInput label={t('inbox.user')} value={form.username} onChange={(e) => set('username', e.currentTarget.value)} disabled={!canEdit} data-testid="inbox-user" />
        <PasswordInput label={t('inbox.password')} placeholder={q.data.passwordSet ? t('inbox.passwordKept') : ''} value={form.password} onChange={(e) => set('password', e.currentTarget.value)} disabled={!canEdit} data-testid="inbox-password" autoComplete="new-password" />
        <TextInput label={t('inbox.folder')} value={form.folder} onChange={(e) => set('folder', e.currentTarget.value)} disabled={!canEdit} />
        {test.data && (test.data.ok ? <Alert color="teal" data-testid="inbox-test-result">{t('inbox.testOk', { n: test.data.messages ?? 0 })}</Alert> : <Alert color="red" data-testid="inbox-test-result">{test.data.error}</Alert>)}
        {canEdit && (
          <Group>
            <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="inbox-save">{t('inbox.save')}</Button>
            <Button variant="default" onClick={() => test.mutate()} loading={test.isPending} data-testid="inbox-test">{t('inbox.test')}</Button>
          </Group>
        )}
      </Stack>
    </SectionCard>
  );
}
