/**
 * Settings, tab Brieven: the wording of each letter per language. The built-in text until the
 * administration saves its own; subject, greeting, paragraphs and closing with {{placeholders}};
 * a live preview (the letter as PDF with example data) that refreshes after each save.
 */
import { useEffect, useRef, useState } from 'react';
import { Badge, Box, Button, Card, Grid, Group, SegmentedControl, Select, Stack, Text, TextInput, Textarea, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, request } from '../../api.ts';
import { apiPath } from '../../app/admin.tsx';
import { useLocale } from '../../app/locale.tsx';
import { useToast } from '../../components/toast.tsx';
import { ErrorState, Loading } from '../../components/ui.tsx';
import type { Key, Lang } from '../../i18n.ts';
import { Problems } from './common.tsx';

type Template = { subject: string; greeting: string; body: string[]; closing: string };
type Templates = { placeholders: string[]; builtIn: Record<string, Record<Lang, Template>>; own: Record<string, Partial<Record<Lang, Template>>> };
type Field = 'subject' | 'greeting' | 'closing' | number;

export function TemplatesTab({ adminId, canEdit }: { adminId: number; canEdit: boolean }) {
  const { t } = useLocale();
  const toast = useToast();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['templates', adminId], queryFn: () => get<Templates>(apiPath(adminId, '/templates')) });
  const [kind, setKind] = useState('reminder');
  const [lang, setLang] = useState<Lang>('nl');
  const [form, setForm] = useState<Template | null>(null);
  const [version, setVersion] = useState(0);
  const focused = useRef<{ field: Field; el: HTMLInputElement | HTMLTextAreaElement } | null>(null);
  const own = q.data?.own[kind]?.[lang];
  const current = q.data ? own ?? q.data.builtIn[kind]?.[lang] : undefined;
  useEffect(() => { if (current) setForm(structuredClone(current)); }, [current, kind, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const path = apiPath(adminId, `/templates/${kind}/${lang}`);
  const after = (msg: string) => { void qc.invalidateQueries({ queryKey: ['templates', adminId] }); setVersion((v) => v + 1); toast.ok(msg); };
  const save = useMutation({ mutationFn: () => request<Template>('PUT', path, { body: { ...form!, body: form!.body.filter((p) => p.trim()) } }), onSuccess: () => after(t('common.saved')) });
  const revert = useMutation({ mutationFn: () => request('DELETE', path), onSuccess: () => { save.reset(); after(t('settings.templateReverted')); } });
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  if (!q.data || !form) return <Loading h={300} />;
  const kinds = Object.keys(q.data.builtIn);
  const setField = (field: Field, v: string) => setForm((x) => x && (typeof field === 'number' ? { ...x, body: x.body.map((p, i) => (i === field ? v : p)) } : { ...x, [field]: v }));
  const track = (field: Field) => ({ onFocus: (e: React.FocusEvent<HTMLInputElement | HTMLTextAreaElement>) => { focused.current = { field, el: e.currentTarget }; } });
  const insert = (name: string) => {
    const token = `{{${name}}}`;
    const f = focused.current;
    if (!f || !canEdit) { void navigator.clipboard?.writeText(token); toast.ok(t('settings.placeholderCopied', { token })); return; }
    const { el, field } = f;
    const at = el.selectionStart ?? el.value.length;
    const v = el.value.slice(0, at) + token + el.value.slice(el.selectionEnd ?? at);
    setField(field, v);
    requestAnimationFrame(() => { el.focus(); el.setSelectionRange(at + token.length, at + token.length); });
  };
  const kindLabel = (k: string) => t(`settings.kind.${k}` as Key);
  return (
    <Grid gutter="md">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Card component="form" onSubmit={(e: React.FormEvent) => { e.preventDefault(); save.mutate(); }} data-testid="template-form">
          <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
            <Group align="flex-end" gap="sm">
              <Select label={t('settings.letterKind')} value={kind} allowDeselect={false} onChange={(v) => { if (v) { setKind(v); save.reset(); } }} data={kinds.map((k) => ({ value: k, label: kindLabel(k) }))} w={240} data-testid="template-kind" />
              <SegmentedControl value={lang} onChange={(v) => { setLang(v as Lang); save.reset(); }} data={[{ value: 'nl', label: t('settings.lang.nl') }, { value: 'en', label: t('settings.lang.en') }]} aria-label={t('settings.letterLang')} data-testid="template-lang" />
            </Group>
            <Badge color={own ? 'brand' : 'gray'} data-testid="template-source">{own ? t('settings.templateOwn') : t('settings.templateBuiltIn')}</Badge>
          </Group>
          <Problems error={save.error ?? revert.error} />
          <Stack gap="sm">
            <TextInput label={t('settings.tplSubject')} value={form.subject} readOnly={!canEdit} onChange={(e) => setField('subject', e.currentTarget.value)} {...track('subject')} data-testid="tpl-subject" />
            <TextInput label={t('settings.tplGreeting')} value={form.greeting} readOnly={!canEdit} onChange={(e) => setField('greeting', e.currentTarget.value)} {...track('greeting')} data-testid="tpl-greeting" />
            {form.body.map((p, i) => (
              <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
                <Textarea style={{ flex: 1 }} label={t('settings.tplParagraph', { n: i + 1 })} autosize minRows={2} maxRows={8} value={p} readOnly={!canEdit} onChange={(e) => setField(i, e.currentTarget.value)} {...track(i)} data-testid={`tpl-body-${i}`} />
                {canEdit && form.body.length > 1 && (
                  <Button variant="subtle" color="gray" size="xs" mt={26} aria-label={t('settings.tplRemoveParagraph', { n: i + 1 })} onClick={() => setForm((x) => x && { ...x, body: x.body.filter((_, k) => k !== i) })}>✕</Button>
                )}
              </Group>
            ))}
            {canEdit && form.body.length < 20 && <Box><Button variant="subtle" size="xs" onClick={() => setForm((x) => x && { ...x, body: [...x.body, ''] })}>{t('settings.tplAddParagraph')}</Button></Box>}
            <TextInput label={t('settings.tplClosing')} value={form.closing} readOnly={!canEdit} onChange={(e) => setField('closing', e.currentTarget.value)} {...track('closing')} data-testid="tpl-closing" />
          </Stack>
          <Box mt="md">
            <Text size="sm" fw={500}>{t('settings.placeholders')}</Text>
            <Text size="xs" c="dimmed" mb={6}>{t('settings.placeholdersSub')}</Text>
            <Group gap={6}>
              {q.data.placeholders.map((p) => (
                <Tooltip key={p} label={t('settings.placeholderInsert')} openDelay={400}>
                  <UnstyledButton onMouseDown={(e) => e.preventDefault()} onClick={() => insert(p)} className="placeholder-chip" data-testid={`placeholder-${p}`}>{`{{${p}}}`}</UnstyledButton>
                </Tooltip>
              ))}
            </Group>
          </Box>
          {canEdit && (
            <Group justify="space-between" mt="lg">
              <Button variant="subtle" color="red" disabled={!own} loading={revert.isPending} onClick={() => revert.mutate()} data-testid="tpl-revert">{t('settings.templateRevert')}</Button>
              <Group gap="sm">
                <Button variant="default" onClick={() => { current && setForm(structuredClone(current)); save.reset(); }}>{t('common.cancel')}</Button>
                <Button type="submit" loading={save.isPending} data-testid="tpl-save">{t('common.save')}</Button>
              </Group>
            </Group>
          )}
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Card padding="sm" style={{ position: 'sticky', top: 74 }}>
          <Group justify="space-between" px={6} pb="xs">
            <Title order={2} fz="md">{t('settings.preview')}</Title>
            <Text size="xs" c="dimmed">{t('settings.previewSub')}</Text>
          </Group>
          <iframe
            key={`${kind}-${lang}-${version}`}
            title={t('settings.previewTitle', { kind: kindLabel(kind) })}
            src={`/api${path}/preview?v=${version}#toolbar=0&navpanes=0&view=FitH`}
            data-testid="template-preview"
            style={{ width: '100%', height: 'min(760px, calc(100vh - 150px))', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, background: 'var(--mantine-color-gray-1)' }}
          />
        </Card>
      </Grid.Col>
    </Grid>
  );
}
