/** First run: create the first administrator with the one-time link printed by `vorder serve`. */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { setCsrfToken } from '../api.ts';
import { useLocale } from '../app/locale.tsx';
import { postJson } from './Login.tsx';

const TEXT = {
  nl: { title: 'Vorder instellen', intro: 'Maak de eerste beheerder aan. Daarna kunt u inloggen en anderen toegang geven.', noToken: 'Deze pagina opent u met de link die `vorder serve` bij de eerste start toont.', name: 'Naam', email: 'E-mailadres', password: 'Wachtwoord (minstens 10 tekens)', submit: 'Beheerder aanmaken' },
  en: { title: 'Set up Vorder', intro: 'Create the first administrator. Then you can log in and give others access.', noToken: 'Open this page with the link `vorder serve` prints on its first start.', name: 'Name', email: 'E-mail address', password: 'Password (at least 10 characters)', submit: 'Create administrator' },
};

export default function Setup() {
  const { lang } = useLocale();
  const T = TEXT[lang];
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const me = await postJson<{ csrfToken: string }>('/auth/setup', { token, name, email, password });
      setCsrfToken(me.csrfToken);
      qc.clear();
      navigate('/', { replace: true });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Center h="90vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={440} component="form" onSubmit={submit} data-testid="setup-form">
        <Stack>
          <Title order={2}>{T.title}</Title>
          <Text>{token ? T.intro : T.noToken}</Text>
          {error && <Alert color="red">{error}</Alert>}
          <TextInput label={T.name} required value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="setup-name" />
          <TextInput label={T.email} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-testid="setup-email" />
          <PasswordInput label={T.password} autoComplete="new-password" required minLength={10} value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="setup-password" />
          <Button type="submit" disabled={!token} data-testid="setup-submit">{T.submit}</Button>
        </Stack>
      </Paper>
    </Center>
  );
}
