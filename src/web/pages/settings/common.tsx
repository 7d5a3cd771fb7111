/** Shared pieces of the settings tabs: the problems of a refused save. */
import { Alert, List } from '@mantine/core';
import { ApiError } from '../../api.ts';
import { useLocale } from '../../app/locale.tsx';
import { IconAlert } from '../../components/icons.tsx';

/** What the server refused (400 with problems), or the error's message. */
export function Problems({ error, testId }: { error: unknown; testId?: string }) {
  const { t } = useLocale();
  if (!error) return null;
  const problems = error instanceof ApiError ? error.problems : [];
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} title={t('settings.saveFailed')} role="alert" data-testid={testId ?? 'settings-problems'} mb="md">
      {problems.length ? (
        <List size="sm" spacing={2}>
          {problems.map((p, i) => <List.Item key={i}>{p.field ? <strong>{p.field}: </strong> : null}{p.message}</List.Item>)}
        </List>
      ) : (error as Error).message}
    </Alert>
  );
}
