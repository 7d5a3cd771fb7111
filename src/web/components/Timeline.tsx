/** The dossier: events newest first, with an icon per kind and a link to the document when there is one. */
import { Anchor, Box, Group, Text, ThemeIcon, Timeline as MTimeline } from '@mantine/core';
import type { TimelineEvent } from '../api.ts';
import { documentUrl } from '../api.ts';
import type { ReactNode } from 'react';
import { useLocale } from '../app/locale.tsx';
import { eventGroup, eventText, type EventGroup } from '../app/events.ts';
import { IconBank, IconEuro, IconFile, IconFlag, IconHandshake, IconMail, IconNote, IconPause, IconPhone, IconUndo, IconUsers } from './icons.tsx';
import { Empty } from './ui.tsx';

const ICON: Record<EventGroup, { icon: ReactNode; color: string }> = {
  bank: { icon: <IconBank size={13} />, color: 'teal' },
  undo: { icon: <IconUndo size={13} />, color: 'gray' },
  dunning: { icon: <IconMail size={13} />, color: 'brand' },
  hold: { icon: <IconPause size={13} />, color: 'orange' },
  call: { icon: <IconPhone size={13} />, color: 'cyan' },
  note: { icon: <IconNote size={13} />, color: 'yellow' },
  care: { icon: <IconHandshake size={13} />, color: 'blue' },
  dispute: { icon: <IconFlag size={13} />, color: 'grape' },
  credit: { icon: <IconEuro size={13} />, color: 'violet' },
  debtor: { icon: <IconUsers size={13} />, color: 'gray' },
  item: { icon: <IconFile size={13} />, color: 'gray' },
};

export function Timeline({ events, adminId, emptyText }: { events: TimelineEvent[]; adminId: number; emptyText: string }) {
  const { f, lang } = useLocale();
  if (!events.length) return <Empty>{emptyText}</Empty>;
  return (
    <MTimeline bulletSize={24} lineWidth={2} data-testid="timeline">
      {events.map((e) => {
        const { icon, color } = ICON[eventGroup(e.kind)];
        return (
          <MTimeline.Item key={e.id} bullet={<ThemeIcon size={24} radius="xl" color={color} variant="light">{icon}</ThemeIcon>}>
            <Box>
              <Text size="sm">{eventText(e, lang, f)}</Text>
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
