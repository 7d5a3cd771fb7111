/**
 * The next dunning step of one debtor, now: a preview of exactly what would go out (how, to whom,
 * the e-mail as text and as HTML, the letter as PDF), then "send now", which tells per state what
 * happened (sent with the server's answer, to print, refused without a mail server, failed).
 */
import { errorText } from '../app/problems.ts';
import { useState } from 'react';
import { Alert, Anchor, Button, Group, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ApiError, get, post, qs } from '../api.ts';
import { apiPath } from '../app/admin.tsx';
import { useMayWrite } from '../app/capabilities.ts';
import { useLocale } from '../app/locale.tsx';
import { describeCounts } from '../app/runs.ts';
import { useToast } from './toast.tsx';
import { Loading } from './ui.tsx';
import { IconSend } from './icons.tsx';
import type { Key } from '../i18n.ts';

type Bilingual = { nl: string; en: string };
type Preview = {
  debtorNumber: string; blocked: { message: Bilingual } | null; delivery: 'email' | 'paper' | 'task' | 'refused' | null; recipients: string[];
  message: { stepName: string; stepKey: string; channel: string } | null; mail: { subject: string; text: string; html: string } | null; skipped: { message: Bilingual }[];
};
type Sent = { runId: number; blocked: { message: Bilingual } | null; refused: { message: Bilingual } | null; states: Record<string, number>; messages: { id: number; status: string; smtpResponse: string | null; lastError: string | null }[] };

export function NextStep({ adminId, debtorId, debtorName, onDone }: { adminId: number; debtorId: number; debtorName: string; onDone: () => void }) {
  const { t, f, lang } = useLocale();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<'text' | 'html'>('text');
  const [result, setResult] = useState<Sent | null>(null);
  const maySend = useMayWrite('POST', `/debtors/${debtorId}/dunning/next`);
  const preview = useQuery({ queryKey: ['next-step', adminId, debtorId], queryFn: () => get<Preview>(apiPath(adminId, `/debtors/${debtorId}/dunning/next`), { override: 'true' }), enabled: open });
  const send = useMutation({
    mutationFn: () => post<Sent>(apiPath(adminId, `/debtors/${debtorId}/dunning/next`), { override: true }),
    onSuccess: (r) => {
      setResult(r);
      const counts = describeCounts(r.states, t);
      if (r.refused) toast.error(r.refused.message[lang]);
      else toast.ok(t('next.result', { counts }));
      onDone();
    },
    onError: (e) => toast.error(errorText(e, t, f), t('app.error')),
  });
  const p = preview.data;
  const how = p?.delivery ? t(`next.via.${p.delivery}` as Key, { to: p.recipients.join(', ') }) : null;
  return (
    <>
      <Button variant="light" leftSection={<IconSend size={16} />} onClick={() => { setResult(null); setOpen(true); }} data-testid="next-step">{t('next.button')}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} size="xl" title={t('next.title', { debtor: debtorName })}>
        {preview.isPending ? <Loading /> : !p ? null : (
          <Stack gap="sm" data-testid="next-preview">
            {!p.message ? (
              <Text size="sm">{t('next.none')}{p.skipped.length ? ` ${p.skipped.map((s) => s.message[lang]).join(' ')}` : ''}</Text>
            ) : (
              <>
                <Text fw={600}>{p.message.stepName}</Text>
                <Alert color={p.delivery === 'refused' ? 'red' : 'blue'} variant="light" data-testid="next-how">{how}</Alert>
                {p.mail && (
                  <>
                    <Group justify="space-between">
                      <Text size="sm"><b>{t('outbox.subject')}:</b> {p.mail.subject}</Text>
                      <Group gap="xs">
                        <SegmentedControl size="xs" value={view} onChange={(v) => setView(v as 'text' | 'html')} data={[{ value: 'text', label: t('next.text') }, { value: 'html', label: t('next.html') }]} />
                        <Anchor size="sm" target="_blank" href={`/api${apiPath(adminId, `/debtors/${debtorId}/dunning/next/letter`)}${qs({ override: 'true' })}`} data-testid="next-pdf">{t('next.pdf')}</Anchor>
                      </Group>
                    </Group>
                    {view === 'text'
                      ? <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12, maxHeight: 360, overflow: 'auto', background: 'var(--mantine-color-gray-0)', padding: 8 }} data-testid="next-text">{p.mail.text}</pre>
                      : <iframe title="html" sandbox="" srcDoc={p.mail.html} style={{ width: '100%', height: 360, border: '1px solid var(--mantine-color-gray-3)' }} />}
                  </>
                )}
              </>
            )}
            {result && (
              <Alert color={result.refused || result.states.failed || result.states.bounced ? 'red' : 'teal'} variant="light" data-testid="next-result">
                <Text size="sm">{t('next.result', { counts: describeCounts(result.states, t) })}</Text>
                {result.refused && <Text size="sm">{result.refused.message[lang]}</Text>}
                {result.messages.map((m) => <Text size="xs" c="dimmed" key={m.id}>#{m.id}: {m.smtpResponse ?? m.lastError ?? ''}</Text>)}
              </Alert>
            )}
            {maySend && p.message && !result && (
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
                <Button leftSection={<IconSend size={16} />} disabled={p.delivery === 'refused'} loading={send.isPending} onClick={() => send.mutate()} data-testid="next-send">{t('next.send')}</Button>
              </Group>
            )}
          </Stack>
        )}
      </Modal>
    </>
  );
}
