/** Log in; ask for a password reset link; choose a new password with that link (/reset?token=…). */
import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, setCsrfToken } from '../api.ts';
import { useLocale } from '../app/locale.tsx';

const TEXT = {
  nl: {
    title: 'Inloggen bij Vorder', email: 'E-mailadres', password: 'Wachtwoord', submit: 'Inloggen', forgot: 'Wachtwoord vergeten?', send: 'Stuur een link',
    sent: 'Als dit adres bij een gebruiker hoort, is er een link verstuurd.', back: 'Terug naar inloggen', newPassword: 'Nieuw wachtwoord (minstens 10 tekens)',
    save: 'Wachtwoord opslaan', saved: 'Uw wachtwoord is gewijzigd. Log in met het nieuwe wachtwoord.', resetTitle: 'Nieuw wachtwoord kiezen',
  },
  en: {
    title: 'Log in to Vorder', email: 'E-mail address', password: 'Password', submit: 'Log in', forgot: 'Forgot your password?', send: 'Send a link',
    sent: 'If this address belongs to a user, a link has been sent.', back: 'Back to login', newPassword: 'New password (at least 10 characters)',
    save: 'Save password', saved: 'Your password has been changed. Log in with the new password.', resetTitle: 'Choose a new password',
  },
};

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`/api${path}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } } & T;
  if (!res.ok) throw new ApiError(res.status, json.error?.code ?? `http_${res.status}`, json.error?.message ?? res.statusText);
  return json;
}

export default function Login() {
  const { lang } = useLocale();
  const T = TEXT[lang];
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<'login' | 'forgot' | 'sent'>('login');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'forgot') {
        await postJson('/auth/password-reset/request', { email });
        setMode('sent');
      } else {
        const me = await postJson<{ csrfToken: string }>('/auth/login', { email, password });
        setCsrfToken(me.csrfToken);
        qc.clear();
        const next = params.get('next');
        navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center h="90vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={400} component="form" onSubmit={submit} data-testid="login-form">
        <Stack>
          <Title order={2}>{T.title}</Title>
          {error && <Alert color="red" data-testid="login-error">{error}</Alert>}
          {mode === 'sent' ? <Text>{T.sent}</Text> : (
            <>
              <TextInput label={T.email} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-testid="login-email" />
              {mode === 'login' && <PasswordInput label={T.password} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="login-password" />}
              <Button type="submit" loading={busy} data-testid="login-submit">{mode === 'login' ? T.submit : T.send}</Button>
            </>
          )}
          <Anchor component="button" type="button" size="sm" onClick={() => { setError(null); setMode(mode === 'login' ? 'forgot' : 'login'); }}>{mode === 'login' ? T.forgot : T.back}</Anchor>
        </Stack>
      </Paper>
    </Center>
  );
}

export function ResetPassword() {
  const { lang } = useLocale();
  const T = TEXT[lang];
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await postJson('/auth/password-reset/confirm', { token: params.get('token') ?? '', password });
      setDone(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Center h="90vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={400} component="form" onSubmit={submit}>
        <Stack>
          <Title order={2}>{T.resetTitle}</Title>
          {error && <Alert color="red">{error}</Alert>}
          {done ? <><Text>{T.saved}</Text><Button onClick={() => navigate('/login')}>{T.back}</Button></> : (
            <>
              <PasswordInput label={T.newPassword} autoComplete="new-password" required minLength={10} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
              <Button type="submit">{T.save}</Button>
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
