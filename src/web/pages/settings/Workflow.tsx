/**
 * Settings, tab Werkwijze: when the dunning run goes (and whether it sends by itself), how old the
 * bank data may be before a run is refused, VAT on collection costs, the automatic booking
 * threshold and the mail server. The mail password comes back as ******** and is only sent when changed.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Grid, Group, NumberInput, PasswordInput, Select, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, request } from '../../api.ts';
import { apiPath } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading } from '../../components/ui.tsx';
import type { Key } from '../../i18n.ts';
import { Problems } from './common.tsx';

export const MASK = '********';
type Smtp = { host: string; port: number; secure?: boolean; user?: string; pass?: string; from: string; replyTo?: string };
export type Workflow = {
  schedule: { frequency: 'daily' | 'weekly' | 'off'; time: string; weekday?: number; autoSend: boolean };
  staleAfterDays: number; vatDeductible: boolean; autoBookThreshold: number; smtp: Smtp | null; mailFallbackToPaper: boolean;
};
type MailStatus = { configured: boolean; source: 'settings' | 'environment' | null; host: string | null; from: string | null; paperFallback: boolean };
type TestResult = { ok: boolean; response?: string; code?: string; message?: string };
type SmtpForm = { host: string; port: number | string; secure: boolean; user: string; pass: string; from: string; replyTo: string };
const emptySmtp: SmtpForm = { host: '', port: 587, secure: false, user: '', pass: '', from: '', replyTo: '' };
const toSmtpForm = (s: Smtp | null): SmtpForm => (s ? { host: s.host, port: s.port, secure: !!s.secure, user: s.user ?? '', pass: s.pass ?? '', from: s.from, replyTo: s.replyTo ?? '' } : emptySmtp);

export function WorkflowTab({ adminId, canEdit }: { adminId: number; canEdit: boolean }) {
  const { t } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['settings-workflow', adminId], queryFn: () => get<Workflow>(apiPath(adminId, '/settings/workflow')) });
  const [form, setForm] = useState<Workflow | null>(null);
  const [mail, setMail] = useState(false);
  const [smtp, setSmtp] = useState<SmtpForm>(emptySmtp);
  const reset = (w: Workflow) => { setForm(w); setMail(!!w.smtp); setSmtp(toSmtpForm(w.smtp)); };
  useEffect(() => { if (q.data) reset(q.data); }, [q.data]);
  const save = useMutation({
    mutationFn: () => {
      const f = form!;
      const body: Record<string, unknown> = {
        schedule: { frequency: f.schedule.frequency, time: f.schedule.time, autoSend: f.schedule.autoSend, ...(f.schedule.frequency === 'weekly' ? { weekday: f.schedule.weekday ?? 1 } : {}) },
        staleAfterDays: f.staleAfterDays, vatDeductible: f.vatDeductible, autoBookThreshold: f.autoBookThreshold, mailFallbackToPaper: f.mailFallbackToPaper,
      };
      if (!mail) body.smtp = null;
      else {
        const had = q.data?.smtp?.pass === MASK;
        // the stored password stays unless it was changed: the mask tells the server to keep it
        const pass = smtp.pass === MASK ? (had ? MASK : undefined) : smtp.pass || undefined;
        body.smtp = { host: smtp.host.trim(), port: Number(smtp.port), secure: smtp.secure, user: smtp.user.trim() || undefined, pass, from: smtp.from.trim(), replyTo: smtp.replyTo.trim() || undefined };
      }
      return request<Workflow>('PUT', apiPath(adminId, '/settings/workflow'), { body });
    },
    onSuccess: (w) => { qc.setQueryData(['settings-workflow', adminId], w); reset(w); void qc.invalidateQueries({ queryKey: ['settings-mail', adminId] }); toast.ok(t('common.saved')); },
  });
  const status = useQuery({ queryKey: ['settings-mail', adminId], queryFn: () => get<MailStatus>(apiPath(adminId, '/settings/mail')) });
  const [testTo, setTestTo] = useState('');
  const test = useMutation({ mutationFn: () => post<TestResult>(apiPath(adminId, '/settings/mail/test'), { to: testTo.trim() }) });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!form) return <Loading h={300} />;
  const sch = form.schedule;
  const setSch = (p: Partial<Workflow['schedule']>) => setForm((f) => f && { ...f, schedule: { ...f.schedule, ...p } });
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: t(`settings.weekday.${d}` as Key) }));
  const setS = (p: Partial<SmtpForm>) => setSmtp((s) => ({ ...s, ...p }));
  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} data-testid="workflow-form">
      <Problems error={save.error} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card h="100%">
            <Title order={2} fz="md">{t('settings.schedule')}</Title>
            <Text size="sm" c="dimmed" mb="md">{t('settings.scheduleSub')}</Text>
            <Grid gutter="sm">
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <Select label={t('settings.frequency')} value={sch.frequency} allowDeselect={false} disabled={!canEdit} onChange={(v) => setSch({ frequency: (v as Workflow['schedule']['frequency']) ?? 'daily' })}
                  data={(['daily', 'weekly', 'off'] as const).map((v) => ({ value: v, label: t(`settings.frequency.${v}`) }))} data-testid="wf-frequency" />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <TextInput type="time" label={t('settings.time')} value={sch.time} disabled={!canEdit || sch.frequency === 'off'} onChange={(e) => setSch({ time: e.currentTarget.value })} data-testid="wf-time" />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <Select label={t('settings.weekday')} value={String(sch.weekday ?? 1)} allowDeselect={false} disabled={!canEdit || sch.frequency !== 'weekly'} onChange={(v) => setSch({ weekday: Number(v ?? 1) })} data={weekdays} data-testid="wf-weekday" />
              </Grid.Col>
              <Grid.Col span={12}>
                <Switch label={t('settings.autoSend')} description={t('settings.autoSendSub')} checked={sch.autoSend} disabled={!canEdit || sch.frequency === 'off'} onChange={(e) => setSch({ autoSend: e.currentTarget.checked })} data-testid="wf-autosend" />
              </Grid.Col>
            </Grid>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card h="100%">
            <Title order={2} fz="md">{t('settings.rules')}</Title>
            <Text size="sm" c="dimmed" mb="md">{t('settings.rulesSub')}</Text>
            <Grid gutter="sm">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <NumberInput label={t('settings.staleAfterDays')} description={t('settings.staleAfterDaysSub')} min={0} max={90} clampBehavior="strict" allowDecimal={false} value={form.staleAfterDays} disabled={!canEdit}
                  onChange={(v) => setForm((f) => f && { ...f, staleAfterDays: Number(v) || 0 })} data-testid="wf-stale" />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <NumberInput label={t('settings.autoBookThreshold')} description={t('settings.autoBookThresholdSub')} min={50} max={100} clampBehavior="blur" allowDecimal={false} suffix=" %" value={form.autoBookThreshold} disabled={!canEdit}
                  onChange={(v) => setForm((f) => f && { ...f, autoBookThreshold: Number(v) || 0 })} data-testid="wf-threshold" />
              </Grid.Col>
              <Grid.Col span={12}>
                <Switch label={t('settings.vatDeductible')} description={t('settings.vatDeductibleSub')} checked={form.vatDeductible} disabled={!canEdit} onChange={(e) => { const v = e.currentTarget.checked; setForm((f) => f && { ...f, vatDeductible: v }); }} data-testid="wf-vat" />
              </Grid.Col>
            </Grid>
          </Card>
        </Grid.Col>
        <Grid.Col span={12}>
          <Card>
            <Group justify="space-between" align="flex-start">
              <div>
                <Title order={2} fz="md">{t('settings.smtp')}</Title>
                <Text size="sm" c="dimmed" mb="md">{t('settings.smtpSub')}</Text>
              </div>
              <Switch label={t('settings.smtpOn')} checked={mail} disabled={!canEdit} onChange={(e) => setMail(e.currentTarget.checked)} data-testid="wf-smtp-on" />
            </Group>
            {mail && (
              <Grid gutter="sm">
                <Grid.Col span={{ base: 12, sm: 6 }}><TextInput required label={t('settings.smtpHost')} value={smtp.host} disabled={!canEdit} onChange={(e) => setS({ host: e.currentTarget.value })} data-testid="wf-smtp-host" /></Grid.Col>
                <Grid.Col span={{ base: 6, sm: 3 }}><NumberInput required label={t('settings.smtpPort')} min={1} max={65535} allowDecimal={false} value={smtp.port} disabled={!canEdit} onChange={(v) => setS({ port: v })} data-testid="wf-smtp-port" /></Grid.Col>
                <Grid.Col span={{ base: 6, sm: 3 }} style={{ display: 'flex', alignItems: 'flex-end', paddingBottom: 14 }}><Switch label={t('settings.smtpSecure')} checked={smtp.secure} disabled={!canEdit} onChange={(e) => setS({ secure: e.currentTarget.checked })} /></Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}><TextInput label={t('settings.smtpUser')} value={smtp.user} disabled={!canEdit} autoComplete="off" onChange={(e) => setS({ user: e.currentTarget.value })} data-testid="wf-smtp-user" /></Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <PasswordInput label={t('settings.smtpPass')} description={smtp.pass === MASK ? t('settings.smtpPassKept') : undefined} value={smtp.pass} disabled={!canEdit} autoComplete="new-password"
                    onFocus={(e) => { if (smtp.pass === MASK) e.currentTarget.select(); }} onChange={(e) => setS({ pass: e.currentTarget.value })} data-testid="wf-smtp-pass" />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}><TextInput required label={t('settings.smtpFrom')} placeholder="Debiteuren <debiteuren@bedrijf.nl>" value={smtp.from} disabled={!canEdit} onChange={(e) => setS({ from: e.currentTarget.value })} data-testid="wf-smtp-from" /></Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}><TextInput label={t('settings.smtpReplyTo')} value={smtp.replyTo} disabled={!canEdit} onChange={(e) => setS({ replyTo: e.currentTarget.value })} /></Grid.Col>
              </Grid>
            )}
            <Text size="sm" mt="md" c={status.data?.configured ? undefined : 'red'} data-testid="mail-status">
              {status.data ? (status.data.configured ? `${t(`settings.mailSource.${status.data.source!}`)}: ${status.data.host} · ${status.data.from}` : t('settings.mailNone')) : ''}
            </Text>
            <Switch mt="sm" label={t('settings.mailFallback')} description={t('settings.mailFallbackSub')} checked={form.mailFallbackToPaper} disabled={!canEdit}
              onChange={(e) => { const v = e.currentTarget.checked; setForm((f) => f && { ...f, mailFallbackToPaper: v }); }} data-testid="wf-mail-fallback" />
            {canEdit && (
              <Group mt="md" align="flex-end" gap="sm">
                <TextInput label={t('settings.testMailTo')} placeholder="u@bedrijf.nl" value={testTo} onChange={(e) => setTestTo(e.currentTarget.value)} w={280} data-testid="wf-test-to" />
                <Button variant="light" disabled={!testTo.trim()} loading={test.isPending} onClick={() => test.mutate()} data-testid="wf-test-mail">{t('settings.testMail')}</Button>
              </Group>
            )}
            {test.data && (
              <Alert mt="sm" color={test.data.ok ? 'teal' : 'red'} variant="light" data-testid="wf-test-result">
                {test.data.ok ? t('settings.testMailOk', { response: test.data.response ?? '' }) : t('settings.testMailFailed', { code: test.data.code ?? '', message: test.data.message ?? '' })}
              </Alert>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      {canEdit && (
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => q.data && reset(q.data)}>{t('common.cancel')}</Button>
          <Button type="submit" loading={save.isPending} data-testid="wf-save">{t('common.save')}</Button>
        </Group>
      )}
    </form>
  );
}
