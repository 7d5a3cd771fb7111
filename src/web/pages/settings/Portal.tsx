/**
 * Settings, tab Portaal: the debtor portal on or off, how long a link stays valid, how long the
 * chase waits after "I have already paid", the Mollie keys (test and live; never shown again, only
 * whether one is stored) and the administration's own words at the top of the portal.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Grid, Group, NumberInput, PasswordInput, Select, Switch, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, request } from '../../api.ts';
import { apiPath } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading } from '../../components/ui.tsx';
import { Problems } from './common.tsx';

type PortalSettings = { enabled: boolean; linkDays: number; paidPauseDays: number; mollieMode: 'test' | 'live'; hasMollieTestKey: boolean; hasMollieLiveKey: boolean; introNl: string; introEn: string };

export function PortalTab({ adminId, canEdit }: { adminId: number; canEdit: boolean }) {
  const { t } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const key = ['settings-portal', adminId];
  const q = useQuery({ queryKey: key, queryFn: () => get<PortalSettings>(apiPath(adminId, '/settings/portal')) });
  const [form, setForm] = useState<PortalSettings | null>(null);
  const [testKey, setTestKey] = useState('');
  const [liveKey, setLiveKey] = useState('');
  useEffect(() => { if (q.data) setForm(q.data); }, [q.data]);
  const save = useMutation({
    mutationFn: (extra: Record<string, unknown> = {}) => {
      const f = form!;
      const body: Record<string, unknown> = { enabled: f.enabled, linkDays: f.linkDays, paidPauseDays: f.paidPauseDays, mollieMode: f.mollieMode, introNl: f.introNl, introEn: f.introEn, ...extra };
      if (testKey.trim()) body.mollieTestKey = testKey.trim();
      if (liveKey.trim()) body.mollieLiveKey = liveKey.trim();
      return request<PortalSettings>('PUT', apiPath(adminId, '/settings/portal'), { body });
    },
    onSuccess: (s) => { qc.setQueryData(key, s); setForm(s); setTestKey(''); setLiveKey(''); toast.ok(t('common.saved')); },
  });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!form) return <Loading h={300} />;
  const set = (p: Partial<PortalSettings>) => setForm((f) => f && { ...f, ...p });
  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate({}); }} data-testid="portal-form">
      <Problems error={save.error} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card h="100%">
            <Title order={2} fz="md">{t('portal.settings')}</Title>
            <Text size="sm" c="dimmed" mb="md">{t('portal.settingsSub')}</Text>
            <Switch label={t('portal.enabled')} checked={form.enabled} disabled={!canEdit} onChange={(e) => { const v = e.currentTarget.checked; set({ enabled: v }); }} data-testid="portal-enabled" mb="sm" />
            <Grid gutter="sm">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <NumberInput label={t('portal.linkDays')} min={1} max={366} allowDecimal={false} clampBehavior="strict" value={form.linkDays} disabled={!canEdit} onChange={(v) => set({ linkDays: Number(v) || 1 })} data-testid="portal-link-days" />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <NumberInput label={t('portal.paidPauseDays')} min={0} max={30} allowDecimal={false} clampBehavior="strict" value={form.paidPauseDays} disabled={!canEdit} onChange={(v) => set({ paidPauseDays: Number(v) || 0 })} />
              </Grid.Col>
              <Grid.Col span={12}><Textarea label={t('portal.introNl')} value={form.introNl} maxLength={2000} autosize minRows={2} disabled={!canEdit} onChange={(e) => { const v = e.currentTarget.value; set({ introNl: v }); }} /></Grid.Col>
              <Grid.Col span={12}><Textarea label={t('portal.introEn')} value={form.introEn} maxLength={2000} autosize minRows={2} disabled={!canEdit} onChange={(e) => { const v = e.currentTarget.value; set({ introEn: v }); }} /></Grid.Col>
            </Grid>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card h="100%">
            <Title order={2} fz="md">{t('portal.mollie')}</Title>
            <Text size="sm" c="dimmed" mb="md">{t('portal.mollieSub')}</Text>
            <Select label={t('portal.mollieMode')} value={form.mollieMode} allowDeselect={false} disabled={!canEdit} onChange={(v) => set({ mollieMode: v === 'live' ? 'live' : 'test' })}
              data={[{ value: 'test', label: t('portal.mollieTest') }, { value: 'live', label: t('portal.mollieLive') }]} mb="sm" data-testid="portal-mollie-mode" />
            {(['test', 'live'] as const).map((mode) => {
              const has = mode === 'test' ? form.hasMollieTestKey : form.hasMollieLiveKey;
              return (
                <Group key={mode} align="flex-end" gap="xs" mb="sm" wrap="nowrap">
                  <PasswordInput style={{ flex: 1 }} label={mode === 'test' ? t('portal.mollieTestKey') : t('portal.mollieLiveKey')} description={has ? t('portal.keyStored') : t('portal.keyNone')} placeholder={`${mode}_…`} autoComplete="off"
                    value={mode === 'test' ? testKey : liveKey} disabled={!canEdit} onChange={(e) => { const v = e.currentTarget.value; if (mode === 'test') setTestKey(v); else setLiveKey(v); }} data-testid={`portal-key-${mode}`} />
                  {canEdit && has && <Button variant="subtle" color="red" onClick={() => save.mutate(mode === 'test' ? { mollieTestKey: null } : { mollieLiveKey: null })}>{t('portal.keyRemove')}</Button>}
                </Group>
              );
            })}
          </Card>
        </Grid.Col>
      </Grid>
      {canEdit && <Group justify="flex-end" mt="md"><Button type="submit" loading={save.isPending} data-testid="portal-save">{t('common.save')}</Button></Group>}
    </form>
  );
}
