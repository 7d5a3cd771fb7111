/** Building blocks shared by the pages. */
import type { ReactNode } from 'react';
import { Alert, Badge, Box, Button, Card, Center, Group, Loader, Stack, Text, Title, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { useLocale } from '../app/locale.tsx';
import { ApiError } from '../api.ts';
import { IconAlert, IconArrowLeft } from './icons.tsx';

export function PageHeader({ title, sub, back, actions }: { title: ReactNode; sub?: ReactNode; back?: { to: string; label: string }; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="lg" wrap="wrap" gap="sm">
      <Box>
        {back && (
          <Text component={Link} to={back.to} size="sm" c="dimmed" style={{ display: 'inline-flex', alignItems: 'center', gap: 4, textDecoration: 'none' }} mb={4}>
            <IconArrowLeft size={14} /> {back.label}
          </Text>
        )}
        <Title order={1} fz={26}>{title}</Title>
        {sub && <Text c="dimmed" size="sm" mt={2}>{sub}</Text>}
      </Box>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}

export function Loading({ h = 200 }: { h?: number }) {
  const { t } = useLocale();
  return (
    <Center h={h} aria-busy="true">
      <Loader size="sm" aria-label={t('app.loading')} />
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useLocale();
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" variant="light" title={t('app.error')} icon={<IconAlert />} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{message}</Text>
        {onRetry && <Button size="xs" variant="white" color="red" onClick={onRetry}>{t('app.retry')}</Button>}
      </Stack>
    </Alert>
  );
}

export function Empty({ children, icon }: { children: ReactNode; icon?: ReactNode }) {
  return (
    <Center py={40}>
      <Stack align="center" gap={6}>
        {icon && <Box c="gray.5">{icon}</Box>}
        <Text c="dimmed" size="sm">{children}</Text>
      </Stack>
    </Center>
  );
}

export function StatCard({ label, value, sub, color, icon, footer, testId }: { label: string; value: ReactNode; sub?: ReactNode; color?: string; icon?: ReactNode; footer?: ReactNode; testId?: string }) {
  return (
    <Card data-testid={testId} padding="lg">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="xs" tt="uppercase" fw={600} c="dimmed" style={{ letterSpacing: '.04em' }}>{label}</Text>
        {icon && <Box c={color ?? 'brand.6'} style={{ lineHeight: 0 }}>{icon}</Box>}
      </Group>
      <Text fz={typeof value === 'string' && !/\d/.test(value) ? 20 : 28} fw={650} mt={6} c={color} className="num" ta="left" style={{ lineHeight: 1.15, whiteSpace: 'normal' }}>{value}</Text>
      {sub && <Text size="sm" c="dimmed" mt={4}>{sub}</Text>}
      {footer && <Box mt="sm">{footer}</Box>}
    </Card>
  );
}

export function SectionCard({ title, sub, actions, children, p = 'lg', testId }: { title: ReactNode; sub?: ReactNode; actions?: ReactNode; children: ReactNode; p?: string | number; testId?: string }) {
  return (
    <Card padding={0} data-testid={testId}>
      <Group justify="space-between" px="lg" pt="md" pb="sm" wrap="nowrap" align="flex-start">
        <Box>
          <Title order={2} fz="md" fw={650}>{title}</Title>
          {sub && <Text size="xs" c="dimmed" mt={2}>{sub}</Text>}
        </Box>
        {actions}
      </Group>
      <Box p={p} pt={0}>{children}</Box>
    </Card>
  );
}

/** An amount, right-aligned with tabular digits; red when negative or asked. */
export function Money({ value, currency, strong, color, compact }: { value: string | number | null | undefined; currency?: string; strong?: boolean; color?: string; compact?: boolean }) {
  const { f } = useLocale();
  const n = value === null || value === undefined ? 0 : Number(value);
  return (
    <Text span className="num" fw={strong ? 600 : undefined} c={color ?? (n < 0 ? 'red.7' : undefined)} inherit>
      {f.money(value, currency, { compact })}
    </Text>
  );
}

export function HoldBadge({ reason }: { reason: string | null }) {
  const { t } = useLocale();
  return (
    <Tooltip label={reason ?? ''} disabled={!reason} withArrow>
      <Badge color="orange" variant="light">{t('common.onHold')}</Badge>
    </Tooltip>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="key">{children}</kbd>;
}

/** Label above a value, for header facts. */
export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: '.04em' }}>{label}</Text>
      <Text size="md" fw={600} mt={2} component="div" className="fact-value">{children}</Text>
    </Box>
  );
}
