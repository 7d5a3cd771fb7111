/** The dossier: events newest first, with an icon per kind and a link to the document when there is one. */
import { Anchor, Box, Group, Text, ThemeIcon, Timeline as MTimeline } from '@mantine/core';
import type { TimelineEvent } from '../api.ts';
import { documentUrl } from '../api.ts';
import { useLocale } from '../app/locale.tsx';
import { IconBank, IconEuro, IconFile, IconFlag, IconHandshake, IconMail, IconNote, IconPause, IconPhone, IconUndo, IconUsers } from './icons.tsx';
import { Empty } from './ui.tsx';

function iconOf(kind: string) {
  if (kind.startsWith('payment') || kind === 'bank' || kind.startsWith('match')) return { icon: <IconBank size={13} />, color: 'teal' };
  if (kind.includes('undone') || kind.includes('revers')) return { icon: <IconUndo size={13} />, color: 'gray' };
  if (kind.startsWith('dunning') || kind.includes('letter') || kind.includes('mail') || kind.includes('statement')) return { icon: <IconMail size={13} />, color: 'brand' };
  if (kind.includes('hold') || kind.includes('release')) return { icon: <IconPause size={13} />, color: 'orange' };
  if (kind.includes('call')) return { icon: <IconPhone size={13} />, color: 'cyan' };
  if (kind.includes('note')) return { icon: <IconNote size={13} />, color: 'yellow' };
  if (kind.includes('promise') || kind.includes('plan') || kind.includes('instalment')) return { icon: <IconHandshake size={13} />, color: 'blue' };
  if (kind.includes('dispute')) return { icon: <IconFlag size={13} />, color: 'grape' };
  if (kind.includes('credit') || kind.includes('write_off')) return { icon: <IconEuro size={13} />, color: 'violet' };
  if (kind.startsWith('debtor')) return { icon: <IconUsers size={13} />, color: 'gray' };
  return { icon: <IconFile size={13} />, color: 'gray' };
}

export function Timeline({ events, adminId, emptyText }: { events: TimelineEvent[]; adminId: number; emptyText: string }) {
  const { f } = useLocale();
  if (!events.length) return <Empty>{emptyText}</Empty>;
  return (
    <MTimeline bulletSize={24} lineWidth={2} data-testid="timeline">
      {events.map((e) => {
        const { icon, color } = iconOf(e.kind);
        return (
          <MTimeline.Item key={e.id} bullet={<ThemeIcon size={24} radius="xl" color={color} variant="light">{icon}</ThemeIcon>}>
            <Box>
              <Text size="sm">{e.summary}</Text>
              <Group gap={8} mt={2}>
                <Text size="xs" c="dimmed">{f.dateTime(e.at)}</Text>
                {e.actor && <Text size="xs" c="dimmed">· {e.actor}</Text>}
                {e.documentId && <Anchor size="xs" href={documentUrl(adminId, e.documentId)} target="_blank" rel="noreferrer">PDF / XML</Anchor>}
              </Group>
            </Box>
          </MTimeline.Item>
        );
      })}
    </MTimeline>
  );
}
