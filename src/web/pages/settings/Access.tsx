/**
 * Settings for owners: who has access (users and roles, invitations by e-mail and the pending ones), API tokens for integrations (shown once
 * when created, revocable, with when they were last used) and the audit log with a CSV export.
 */
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, CopyButton, Grid, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, patch, post, qs, request } from '../../api.ts';
import { Link } from 'react-router';
import { apiPath } from '../../app/admin.tsx';
import { useMe } from '../../app/auth.tsx';
import { useLocale } from '../../app/locale.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading, SectionCard } from '../../components/ui.tsx';
import type { Key } from '../../i18n.ts';
import { Problems } from './common.tsx';

type Invitation = { id: number; email: string; role: string; createdAt: string; expiresAt: string };
type Member = { userId: number; email: string; name: string; role: string; lastLoginAt: string | null; createdAt: string };
type Token = { id: number; name: string; role: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
type Audit = { id: number; at: string; userEmail: string | null; tokenId: number | null; action: string; method: string | null; path: string | null; target: string | null; status: number | null; ip: string | null; what: string; subject: { kind: string; id: string | null } | null };
const ROLES = ['owner', 'accountant', 'controller', 'viewer'] as const;
const TOKEN_ROLES = ['owner', 'controller', 'viewer'] as const;

function useRoleOptions(list: readonly string[]) {
  const { t } = useLocale();
  return list.map((r) => ({ value: r, label: t(`settings.role.${r}` as Key) }));
}

export function UsersTab({ adminId }: { adminId: number }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const me = useMe();
  const roles = useRoleOptions(ROLES);
  const q = useQuery({ queryKey: ['users', adminId], queryFn: () => get<Member[]>(apiPath(adminId, '/users')) });
  const [adding, setAdding] = useState(false);
  const [link, setLink] = useState<{ url: string; reason: InviteResult['reason']; notice: string | null } | null>(null);
  const done = (msg: string) => { void qc.invalidateQueries({ queryKey: ['users', adminId] }); toast.ok(msg); };
  const change = useMutation({ mutationFn: (x: { userId: number; role: string }) => patch(apiPath(adminId, `/users/${x.userId}`), { role: x.role }), onSuccess: () => done(t('common.saved')), onError: (e) => toast.error((e as Error).message, t('settings.saveFailed')) });
  const remove = useMutation({ mutationFn: (userId: number) => request('DELETE', apiPath(adminId, `/users/${userId}`)), onSuccess: () => done(t('settings.userRemoved')), onError: (e) => toast.error((e as Error).message) });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading h={300} />;
  return (
    <SectionCard title={t('settings.tab.users')} sub={t('settings.usersSub')} p={0} testId="users" actions={<Button size="xs" onClick={() => setAdding(true)} data-testid="user-add">{t('settings.userAdd')}</Button>}>
      <DataTable rows={q.data} rowKey={(u) => u.userId} empty={t('settings.usersEmpty')} testId="users-table" columns={[
        { id: 'name', header: t('settings.userName'), cell: (u) => <><Text size="sm" fw={500}>{u.name}</Text><Text size="xs" c="dimmed">{u.email}</Text></> },
        { id: 'role', header: t('settings.userRole'), width: 220, cell: (u) => (
          <Select size="xs" value={u.role} allowDeselect={false} data={roles} aria-label={`${u.name}: ${t('settings.userRole')}`} disabled={u.userId === me.data?.user?.id} onChange={(v) => v && v !== u.role && change.mutate({ userId: u.userId, role: v })} />
        ) },
        { id: 'last', header: t('settings.lastLogin'), width: 180, cell: (u) => (u.lastLoginAt ? f.dateTime(u.lastLoginAt) : <Text size="sm" c="dimmed">{t('settings.never')}</Text>) },
        { id: 'actions', header: '', width: 110, align: 'right', cell: (u) => u.userId === me.data?.user?.id ? <Badge color="gray">{t('settings.you')}</Badge> : (
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => { if (window.confirm(t('settings.userRemoveConfirm', { name: u.name }))) remove.mutate(u.userId); }}>{t('settings.userRemove')}</Button>
        ) },
      ]} />
      <Invitations adminId={adminId} />
      {link && (
        <Alert color="yellow" variant="light" m="md" title={t('settings.inviteNotMailed')} data-testid="invite-link" withCloseButton onClose={() => setLink(null)} closeButtonLabel={t('common.close')}>
          <Text size="sm" mb="xs">{link.reason === 'send_failed' ? t('settings.inviteSendFailed') : t('settings.inviteNoMailServer')}</Text>
          {link.reason === 'send_failed' && link.notice && <Text size="xs" c="dimmed" mb="xs">{link.notice}</Text>}
          <Text size="sm" mb="xs">{t('settings.inviteLinkOnce')}</Text>
          <Group gap="sm" wrap="nowrap">
            <Code style={{ flex: 1, wordBreak: 'break-all', fontSize: 13 }} data-testid="invite-link-value">{link.url}</Code>
            <CopyButton value={link.url}>{({ copied, copy }) => <Button size="xs" variant={copied ? 'filled' : 'light'} onClick={copy}>{copied ? t('settings.copied') : t('common.copy')}</Button>}</CopyButton>
          </Group>
        </Alert>
      )}
      {adding && <AddUser adminId={adminId} onClose={() => setAdding(false)} onDone={(r) => {
        setAdding(false);
        void qc.invalidateQueries({ queryKey: ['invitations', adminId] });
        if (r.mailed) toast.ok(t('settings.userAdded'));
        else setLink({ url: r.link ?? '', reason: r.reason, notice: r.notice });
      }} />}
    </SectionCard>
  );
}

type InviteResult = { invitation: Invitation; mailed: boolean; reason: 'no_mail_server' | 'send_failed' | null; link: string | null; notice: string | null };

function AddUser({ adminId, onClose, onDone }: { adminId: number; onClose: () => void; onDone: (r: InviteResult) => void }) {
  const { t } = useLocale();
  const roles = useRoleOptions(ROLES);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('controller');
  const add = useMutation({ mutationFn: () => post<InviteResult>(apiPath(adminId, '/users'), { email: email.trim(), role }), onSuccess: onDone });
  return (
    <Modal opened onClose={onClose} title={t('settings.userAdd')}>
      <form onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
        <Problems error={add.error} />
        <Stack gap="sm">
          <Text size="sm" c="dimmed">{t('settings.inviteSub')}</Text>
          <TextInput label={t('settings.userEmail')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-autofocus data-testid="user-email" />
          <Select label={t('settings.userRole')} value={role} allowDeselect={false} data={roles} onChange={(v) => v && setRole(v)} data-testid="user-role" />
          <Group justify="flex-end" mt="sm"><Button variant="default" onClick={onClose}>{t('common.cancel')}</Button><Button type="submit" loading={add.isPending} data-testid="user-save">{t('settings.userAdd')}</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Invitations not yet accepted: who, which role, until when; revocable. */
function Invitations({ adminId }: { adminId: number }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['invitations', adminId], queryFn: () => get<Invitation[]>(apiPath(adminId, '/users/invitations')) });
  const revoke = useMutation({ mutationFn: (id: number) => request('DELETE', apiPath(adminId, `/users/invitations/${id}`)), onSuccess: () => { void qc.invalidateQueries({ queryKey: ['invitations', adminId] }); toast.ok(t('settings.inviteRevoked')); }, onError: (e) => toast.error((e as Error).message) });
  if (!q.data?.length) return null;
  return (
    <Stack gap={0} data-testid="invitations">
      <Text size="sm" fw={600} px="md" pt="md" pb="xs">{t('settings.invitations')}</Text>
      <DataTable rows={q.data} rowKey={(x) => x.id} empty="" testId="invitations-table" columns={[
        { id: 'email', header: t('settings.userEmail'), cell: (x) => <Text size="sm">{x.email}</Text> },
        { id: 'role', header: t('settings.userRole'), width: 180, cell: (x) => <Badge color="gray">{t(`settings.role.${x.role}` as Key)}</Badge> },
        { id: 'until', header: '', width: 200, cell: (x) => x.expiresAt < new Date().toISOString() ? <Badge color="red">{t('settings.inviteExpired')}</Badge> : <Text size="sm" c="dimmed">{t('settings.inviteExpires', { date: f.date(x.expiresAt.slice(0, 10)) })}</Text> },
        { id: 'actions', header: '', width: 110, align: 'right', cell: (x) => <Button size="compact-xs" variant="subtle" color="red" onClick={() => revoke.mutate(x.id)} data-testid={`invite-revoke-${x.id}`}>{t('settings.inviteRevoke')}</Button> },
      ]} />
    </Stack>
  );
}

export function TokensTab({ adminId }: { adminId: number }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const roles = useRoleOptions(TOKEN_ROLES);
  const q = useQuery({ queryKey: ['tokens', adminId], queryFn: () => get<Token[]>(apiPath(adminId, '/tokens')) });
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => post<Token & { token: string }>(apiPath(adminId, '/tokens'), { name: name.trim(), role }),
    onSuccess: (tok) => { setCreated(tok.token); setName(''); void qc.invalidateQueries({ queryKey: ['tokens', adminId] }); },
  });
  const revoke = useMutation({ mutationFn: (id: number) => request('DELETE', apiPath(adminId, `/tokens/${id}`)), onSuccess: () => { void qc.invalidateQueries({ queryKey: ['tokens', adminId] }); toast.ok(t('settings.tokenRevoked')); }, onError: (e) => toast.error((e as Error).message) });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data) return <Loading h={300} />;
  return (
    <Stack gap="md">
      <SectionCard title={t('settings.tokenNew')} sub={t('settings.tokensSub')} testId="token-new">
        <form onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
          <Problems error={create.error} />
          <Grid gutter="sm" align="flex-end">
            <Grid.Col span={{ base: 12, sm: 6 }}><TextInput label={t('settings.tokenName')} placeholder={t('settings.tokenNamePlaceholder')} required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="token-name" /></Grid.Col>
            <Grid.Col span={{ base: 8, sm: 4 }}><Select label={t('settings.userRole')} value={role} allowDeselect={false} data={roles} onChange={(v) => v && setRole(v)} /></Grid.Col>
            <Grid.Col span={{ base: 4, sm: 2 }}><Button type="submit" fullWidth loading={create.isPending} disabled={!name.trim()} data-testid="token-create">{t('settings.tokenCreate')}</Button></Grid.Col>
          </Grid>
        </form>
        {created && (
          <Alert color="teal" variant="light" mt="md" title={t('settings.tokenCreated')} data-testid="token-created" withCloseButton onClose={() => setCreated(null)} closeButtonLabel={t('common.close')}>
            <Text size="sm" mb="xs">{t('settings.tokenOnce')}</Text>
            <Group gap="sm" wrap="nowrap">
              <Code style={{ flex: 1, wordBreak: 'break-all', fontSize: 13 }} data-testid="token-value">{created}</Code>
              <CopyButton value={created}>{({ copied, copy }) => <Button size="xs" variant={copied ? 'filled' : 'light'} color="teal" onClick={copy}>{copied ? t('settings.copied') : t('common.copy')}</Button>}</CopyButton>
            </Group>
          </Alert>
        )}
      </SectionCard>
      <SectionCard title={t('settings.tab.tokens')} p={0} testId="tokens">
        <DataTable rows={q.data} rowKey={(x) => x.id} empty={t('settings.tokensEmpty')} testId="tokens-table" columns={[
          { id: 'name', header: t('settings.tokenName'), cell: (x) => <><Text size="sm" fw={500} td={x.revokedAt ? 'line-through' : undefined}>{x.name}</Text><Text size="xs" c="dimmed" ff="monospace">{x.prefix}…</Text></> },
          { id: 'role', header: t('settings.userRole'), width: 140, cell: (x) => <Badge color="gray">{t(`settings.role.${x.role}` as Key)}</Badge> },
          { id: 'created', header: t('settings.tokenCreatedAt'), width: 170, cell: (x) => f.dateTime(x.createdAt) },
          { id: 'used', header: t('settings.tokenLastUsed'), width: 170, cell: (x) => (x.lastUsedAt ? f.dateTime(x.lastUsedAt) : <Text size="sm" c="dimmed">{t('settings.never')}</Text>) },
          { id: 'actions', header: '', width: 140, align: 'right', cell: (x) => x.revokedAt ? <Badge color="red">{t('settings.tokenRevokedAt', { date: f.date(x.revokedAt.slice(0, 10)) })}</Badge> : (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => { if (window.confirm(t('settings.tokenRevokeConfirm', { name: x.name }))) revoke.mutate(x.id); }} data-testid={`token-revoke-${x.id}`}>{t('settings.tokenRevoke')}</Button>
          ) },
        ]} />
      </SectionCard>
    </Stack>
  );
}

/** The subjects the log can be filtered on (app/audit-words.ts). */
const AUDIT_SUBJECTS = ['debtors', 'items', 'bank', 'agreements', 'dunning', 'settings', 'users', 'exports'] as const;

/** Where a subject of the log opens in the app. */
function subjectLink(base: string, s: Audit['subject']): string | null {
  if (!s) return null;
  if (s.kind === 'debtor' && s.id) return `${base}/debtors/${s.id}`;
  if (s.kind === 'item' && s.id) return `${base}/items/${s.id}`;
  if (s.kind === 'bank_line' && s.id) return `${base}/bank?line=${s.id}`;
  if (s.kind === 'settings') return `${base}/settings`;
  if (s.kind === 'dunning') return `${base}/dunning`;
  if (s.kind === 'task' || s.kind === 'promise' || s.kind === 'dispute' || s.kind === 'plan') return `${base}/work`;
  return null;
}

export function AuditTab({ adminId }: { adminId: number }) {
  const { t, f, lang } = useLocale();
  const base = `/a/${adminId}`;
  const [user, setUser] = useState('');
  const [subject, setSubject] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filters = { lang, user: user.trim() || undefined, subject: subject ?? undefined, from: from || undefined, to: to || undefined };
  const q = useQuery({ queryKey: ['audit', adminId, filters], queryFn: () => get<Audit[]>(apiPath(adminId, '/audit'), { limit: 200, ...filters }), placeholderData: (prev) => prev });
  const csv = `/api${apiPath(adminId, '/audit')}${qs({ format: 'csv', limit: 100000, ...filters })}`;
  return (
    <SectionCard title={t('settings.tab.audit')} sub={t('settings.auditSub')} p={0} testId="audit"
      actions={<Anchor href={csv} download size="sm" data-testid="audit-csv">{t('settings.auditCsv')}</Anchor>}>
      <Group px="lg" py="sm" gap="sm" align="flex-end" data-testid="audit-filters">
        <TextInput size="xs" label={t('settings.auditFilterUser')} value={user} onChange={(e) => setUser(e.currentTarget.value)} placeholder="anna@" data-testid="audit-user" />
        <Select size="xs" label={t('settings.auditFilterSubject')} value={subject} onChange={setSubject} clearable placeholder={t('settings.auditAll')} data-testid="audit-subject"
          data={AUDIT_SUBJECTS.map((k) => ({ value: k, label: t(`settings.auditSubject.${k}` as Key) }))} />
        <TextInput size="xs" type="date" label={t('settings.auditFrom')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput size="xs" type="date" label={t('settings.auditTo')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      {q.error ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : !q.data ? <Loading h={300} /> : (
        <DataTable rows={q.data} rowKey={(a) => a.id} empty={t('settings.auditEmpty')} testId="audit-table" columns={[
          { id: 'at', header: t('settings.auditAt'), width: 160, cell: (a) => f.dateTime(a.at) },
          { id: 'who', header: t('settings.auditWho'), width: 240, cell: (a) => <Text size="sm" truncate title={a.userEmail ?? undefined}>{a.userEmail ?? (a.tokenId ? `${t('settings.auditToken')} #${a.tokenId}` : '—')}</Text> },
          { id: 'action', header: t('settings.auditAction'), cell: (a) => <Text size="sm" fw={500} title={a.path ? `${a.method} ${a.path}` : undefined} c={a.status !== null && a.status >= 400 ? 'red.7' : undefined}>{a.what}</Text> },
          { id: 'target', header: t('settings.auditTarget'), width: 200, cell: (a) => {
            const href = subjectLink(base, a.subject);
            const label = a.subject ? `${t(`settings.auditKind.${a.subject.kind}` as Key)}${a.subject.id ? ` #${a.subject.id}` : ''}` : '';
            return href ? <Anchor component={Link} to={href} size="sm" data-testid="audit-subject-link">{label}</Anchor> : <Text size="sm">{label}</Text>;
          } },
          { id: 'ip', header: 'IP', width: 120, cell: (a) => <Text size="xs" ff="monospace">{a.ip ?? ''}</Text> },
        ]} />
      )}
    </SectionCard>
  );
}
