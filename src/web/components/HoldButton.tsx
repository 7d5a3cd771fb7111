/** Put a debtor or an item on hold (with a reason), or release it; not offered to a role that may not (a viewer). */
import { errorText } from '../app/problems.ts';
import { useState } from 'react';
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { post } from '../api.ts';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { useToast } from './toast.tsx';
import { IconPause, IconPlay } from './icons.tsx';

export function HoldButton({ path, onHold, onDone, heldText, releasedText }: { path: string; onHold: boolean; onDone: () => void; heldText: string; releasedText: string }) {
  const { t, f } = useLocale();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const may = useMayWrite('POST', `${path.replace(/^\/administrations\/\d+/, '')}/${onHold ? 'release' : 'hold'}`);
  const m = useMutation({
    mutationFn: (hold: boolean) => (hold ? post(`${path}/hold`, { reason: reason.trim() }) : post(`${path}/release`)),
    onSuccess: (_r, hold) => { toast.ok(hold ? heldText : releasedText); setOpen(false); setReason(''); onDone(); },
    onError: (e) => toast.error(errorText(e, t, f)),
  });
  if (!may) return null;
  if (onHold)
    return <Button variant="light" color="teal" leftSection={<IconPlay size={16} />} loading={m.isPending} onClick={() => m.mutate(false)} data-testid="release">{t('common.release')}</Button>;
  return (
    <>
      <Button variant="default" leftSection={<IconPause size={16} />} onClick={() => setOpen(true)} data-testid="hold">{t('common.hold')}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('common.holdTitle')} centered>
        <form onSubmit={(e) => { e.preventDefault(); if (reason.trim()) m.mutate(true); }}>
          <Stack>
            <TextInput label={t('common.holdReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus required maxLength={500} data-testid="hold-reason" />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
              <Button type="submit" loading={m.isPending} disabled={!reason.trim()} color="orange">{t('common.hold')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
