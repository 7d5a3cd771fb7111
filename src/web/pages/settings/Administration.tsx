/** Settings, tab Administratie: the administration's details (name, address, bank, references). */
import { useEffect, useState } from 'react';
import { Button, Card, FileButton, Grid, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, patch, request, upload, type Administration, type AdministrationInput } from '../../api.ts';
import { apiPath, useAdmin } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import { useToast } from '../../components/toast.tsx';
import { Loading } from '../../components/ui.tsx';

const FIELDS = ['name', 'legalName', 'addressLine', 'postalCode', 'city', 'country', 'kvk', 'vatNumber', 'iban', 'bic', 'creditorId', 'email'] as const;
type Form = Record<(typeof FIELDS)[number], string> & { language: 'nl' | 'en'; referenceKind: 'cur' | 'rf' };

const toForm = (a: Administration): Form => ({
  name: a.name, legalName: a.legalName ?? '', addressLine: a.addressLine ?? '', postalCode: a.postalCode ?? '', city: a.city ?? '', country: a.country, kvk: a.kvk ?? '', vatNumber: a.vatNumber ?? '',
  iban: a.iban ?? '', bic: a.bic ?? '', creditorId: a.creditorId ?? '', email: a.email ?? '', language: a.language, referenceKind: a.referenceKind,
});

export function AdministrationTab({ canEdit }: { canEdit: boolean }) {
  const { admin, adminId } = useAdmin();
  const { t } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => { if (admin) setForm(toForm(admin)); }, [admin]);
  const save = useMutation({
    mutationFn: (f: Form) => {
      const body: AdministrationInput = { language: f.language, referenceKind: f.referenceKind, name: f.name.trim(), country: f.country.trim().toUpperCase() };
      for (const k of FIELDS) if (k !== 'name' && k !== 'country') (body as Record<string, string | null>)[k] = f[k].trim() || null;
      return patch<Administration>(apiPath(adminId), body);
    },
    onSuccess: (a) => { setErrors({}); toast.ok(t('common.saved')); qc.setQueryData<Administration[]>(['administrations'], (list) => list?.map((x) => (x.id === a.id ? a : x))); },
    onError: (e) => {
      if (e instanceof ApiError && e.problems.length) {
        setErrors(Object.fromEntries(e.problems.filter((p) => p.field).map((p) => [p.field!.split('.').pop()!, p.message])));
        toast.error(t('settings.invalid'), t('settings.saveFailed'));
      } else toast.error((e as Error).message, t('settings.saveFailed'));
    },
  });
  if (!form) return <Loading h={400} />;
  const field = (k: (typeof FIELDS)[number], span = 6, extra: Record<string, unknown> = {}) => (
    <Grid.Col span={{ base: 12, sm: span }}>
      <TextInput label={t(`settings.${k}`)} value={form[k]} error={errors[k]} onChange={(e) => { const v = e.currentTarget.value; setForm((f) => f && { ...f, [k]: v }); }} data-testid={`settings-${k}`} readOnly={!canEdit} {...extra} />
    </Grid.Col>
  );
  return (
    <>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card component="form" onSubmit={(e: React.FormEvent) => { e.preventDefault(); save.mutate(form); }} data-testid="settings-form">
            <Title order={2} fz="md">{t('settings.administration')}</Title>
            <Text size="sm" c="dimmed" mb="md">{t('settings.administrationSub')}</Text>
            <Grid gutter="sm">
              {field('name', 6, { required: true })}
              {field('legalName')}
              {field('addressLine', 12)}
              {field('postalCode', 3)}
              {field('city', 6)}
              {field('country', 3, { maxLength: 2 })}
              {field('kvk', 4)}
              {field('vatNumber', 4)}
              {field('email', 4, { type: 'email' })}
              {field('iban', 5)}
              {field('bic', 3)}
              {field('creditorId', 4)}
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select label={t('settings.language')} value={form.language} allowDeselect={false} onChange={(v) => setForm((f) => f && { ...f, language: (v as 'nl' | 'en') ?? 'nl' })} data={[{ value: 'nl', label: t('settings.lang.nl') }, { value: 'en', label: t('settings.lang.en') }]} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select label={t('settings.referenceKind')} value={form.referenceKind} allowDeselect={false} onChange={(v) => setForm((f) => f && { ...f, referenceKind: (v as 'cur' | 'rf') ?? 'cur' })} data={[{ value: 'cur', label: t('settings.reference.cur') }, { value: 'rf', label: t('settings.reference.rf') }]} />
              </Grid.Col>
            </Grid>
            {canEdit && <Group justify="flex-end" mt="lg">
              <Button variant="default" onClick={() => admin && setForm(toForm(admin))}>{t('common.cancel')}</Button>
              <Button type="submit" loading={save.isPending} data-testid="settings-save">{t('common.save')}</Button>
            </Group>}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Card>
              <Title order={2} fz="md">{t('settings.logo')}</Title>
              <Text size="sm" c="dimmed" mt={4}>{t('settings.logoSub')}</Text>
              <LogoSetting adminId={adminId} canEdit={canEdit} />
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

function LogoSetting({ adminId, canEdit }: { adminId: number; canEdit: boolean }) {
  const { t } = useLocale();
  const toast = useToast();
  const [version, setVersion] = useState(0);
  // the body is read to the end: a response left unread keeps the request open (and the page never idle)
  const logo = useQuery({ queryKey: ['logo', adminId, version], queryFn: async () => { const r = await fetch(`/api${apiPath(adminId, '/settings/logo')}`, { credentials: 'same-origin' }); await r.arrayBuffer(); return r.ok; } });
  const send = useMutation({
    mutationFn: (file: File) => upload<{ ok: boolean }>(apiPath(adminId, '/settings/logo'), file, () => undefined).promise,
    onSuccess: () => { setVersion((v) => v + 1); toast.ok(t('settings.logoSaved')); },
    onError: (e) => toast.error(e instanceof ApiError ? e.message : String(e), t('app.error')),
  });
  const remove = useMutation({ mutationFn: () => request('DELETE', apiPath(adminId, '/settings/logo')), onSuccess: () => setVersion((v) => v + 1) });
  return (
    <Stack gap="xs" mt="sm">
      {logo.data ? <img src={`/api${apiPath(adminId, '/settings/logo')}?v=${version}`} alt={t('settings.logo')} style={{ maxWidth: 220, maxHeight: 80, objectFit: 'contain' }} data-testid="logo-image" /> : <Text size="sm" c="dimmed">{t('settings.logoNone')}</Text>}
      {canEdit && (
        <Group gap="xs">
          <FileButton accept="image/png,image/jpeg" onChange={(f) => f && send.mutate(f)}>
            {(props) => <Button size="xs" variant="light" loading={send.isPending} {...props} data-testid="logo-upload">{t('settings.logoUpload')}</Button>}
          </FileButton>
          {logo.data && <Button size="xs" variant="default" loading={remove.isPending} onClick={() => remove.mutate()}>{t('settings.logoRemove')}</Button>}
        </Group>
      )}
    </Stack>
  );
}
