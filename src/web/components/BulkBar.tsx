/** The actions on the debtors selected in the list: pause (with a reason), resume, or set a status; not offered to a viewer. */
import { errorText } from '../app/problems.ts';
import { useState } from 'react';
import { Button, Group, Modal, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { post } from '../api.ts';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { useToast } from './toast.tsx';

type Result = { changed: number; failed: { debtorId: number; code: string; message: string }[] };
type Action = { action: 'hold'; reason: string } | { action: 'release' } | { action: 'status'; status: string };

export function BulkBar({ adminId, ids, statuses, onDone, onClear }: { adminId: number; ids: number[]; statuses: { value: string; label: string }[]; onDone: () => void; onClear: () => void }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const may = useMayWrite('POST', '/debtors/bulk');
  const [holding, setHolding] = useState(false);
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: (a: Action) => post<Result>(`/administrations/${adminId}/debtors/bulk`, { ids, ...a }),
    onSuccess: (r) => {
      if (r.failed.length) toast.error(t('bulk.partly', { changed: f.number(r.changed), failed: f.number(r.failed.length) }));
      else toast.ok(t('bulk.done', { n: f.number(r.changed) }));
      setHolding(false);
      setReason('');
      onDone();
    },
    onError: (e) => toast.error(errorText(e, t, f)),
  });
  if (!may || !ids.length) return null;
  return (
    <Paper withBorder p="xs" mb="sm" data-testid="bulk-bar">
      <Group gap="sm">
        <Text size="sm" fw={600}>{t('bulk.selected', { n: f.number(ids.length) })}</Text>
        <Button size="xs" variant="default" onClick={() => setHolding(true)} data-testid="bulk-hold">{t('common.hold')}</Button>
        <Button size="xs" variant="default" loading={m.isPending} onClick={() => m.mutate({ action: 'release' })} data-testid="bulk-release">{t('common.release')}</Button>
        <Select size="xs" w={220} placeholder={t('bulk.setStatus')} aria-label={t('bulk.setStatus')} data={statuses} value={null} data-testid="bulk-status"
          onChange={(v) => { if (v) m.mutate({ action: 'status', status: v }); }} />
        <Button size="xs" variant="subtle" onClick={onClear} ml="auto">{t('bulk.clear')}</Button>
      </Group>
      <Modal opened={holding} onClose={() => setHolding(false)} title={t('bulk.holdTitle', { n: f.number(ids.length) })} centered>
        <form onSubmit={(e) => { e.preventDefault(); if (reason.trim()) m.mutate({ action: 'hold', reason: reason.trim() }); }}>
          <Stack>
            <TextInput label={t('common.holdReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus required maxLength={500} data-testid="bulk-hold-reason" />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setHolding(false)}>{t('common.cancel')}</Button>
              <Button type="submit" loading={m.isPending} disabled={!reason.trim()} color="orange">{t('common.hold')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
