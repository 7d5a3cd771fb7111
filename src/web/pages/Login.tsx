/** Log in; ask for a password reset link; choose a new password with that link (/reset?token=…); accept an invitation (/invite?token=…). */
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, post, setCsrfToken, type Problem } from '../api.ts';
import { meQuery } from '../app/auth.tsx';
import { useLocale } from '../app/locale.tsx';

const TEXT = {
  nl: {
    title: 'Inloggen bij Vorder', email: 'E-mailadres', password: 'Wachtwoord', submit: 'Inloggen', forgot: 'Wachtwoord vergeten?', send: 'Stuur een link',
    sent: 'Als dit adres bij een gebruiker hoort, is er een link verstuurd.', back: 'Terug naar inloggen', newPassword: 'Nieuw wachtwoord (minstens 10 tekens)',
    save: 'Wachtwoord opslaan', saved: 'Uw wachtwoord is gewijzigd. Log in met het nieuwe wachtwoord.', resetTitle: 'Nieuw wachtwoord kiezen',
    inviteTitle: 'Uitnodiging', invited: 'U bent uitgenodigd voor {admin} als {role} ({email}).', name: 'Uw naam', choosePassword: 'Kies een wachtwoord (minstens 10 tekens)',
    create: 'Account maken en accepteren', acceptAs: 'Accepteren als {email}', haveAccount: 'Heeft u al een account? Log eerst in.', otherAccount: 'Niet u? Uitloggen',
    role: { owner: 'eigenaar', controller: 'controller', viewer: 'lezer', accountant: 'accountant' } as Record<string, string>,
    // --- words: the server's error codes in the reader's language ---
    wrong: 'Onjuist e-mailadres of wachtwoord.', tooMany: 'Te veel pogingen vanaf dit adres: probeer het over een minuut opnieuw.',
    tooShort: 'Het wachtwoord moet minstens 10 tekens hebben.', tooLong: 'Het wachtwoord is te lang (hoogstens 256 tekens).', badEmail: 'Dit is geen e-mailadres.',
    badLink: 'Deze link is niet (meer) geldig: vraag een nieuwe aan.', hasAccount: 'Dit adres heeft al een account: log daarmee in en open de link opnieuw.',
  },
  en: {
    title: 'Log in to Vorder', email: 'E-mail address', password: 'Password', submit: 'Log in', forgot: 'Forgot your password?', send: 'Send a link',
    sent: 'If this address belongs to a user, a link has been sent.', back: 'Back to login', newPassword: 'New password (at least 10 characters)',
    save: 'Save password', saved: 'Your password has been changed. Log in with the new password.', resetTitle: 'Choose a new password',
    inviteTitle: 'Invitation', invited: 'You are invited to {admin} as {role} ({email}).', name: 'Your name', choosePassword: 'Choose a password (at least 10 characters)',
    create: 'Create account and accept', acceptAs: 'Accept as {email}', haveAccount: 'Already have an account? Log in first.', otherAccount: 'Not you? Log out',
    role: { owner: 'owner', controller: 'controller', viewer: 'viewer', accountant: 'accountant' } as Record<string, string>,
    // --- words: the server's error codes in the reader's language ---
    wrong: 'Wrong e-mail address or password.', tooMany: 'Too many attempts from this address: try again in a minute.',
    tooShort: 'The password must have at least 10 characters.', tooLong: 'The password is too long (256 characters at most).', badEmail: 'This is not an e-mail address.',
    badLink: 'This link is not valid (any more): ask for a new one.', hasAccount: 'This address already has an account: log in with it, then open the link again.',
  },
};

/** An error of the login, reset or invitation requests in the reader's language: by the server's code, never its English message. */
export function authErrorText(err: unknown, T: (typeof TEXT)['nl']): string {
  if (!(err instanceof ApiError)) return (err as Error).message;
  if (err.code === 'unauthorized') return T.wrong;
  if (err.code === 'rate_limited') return T.tooMany;
  if (err.code === 'bad_request' || err.code === 'not_found') return T.badLink;
  if (err.code === 'conflict') return T.hasAccount;
  const p = err.problems[0];
  if (p?.field === 'password') return p.code === 'too_long' ? T.tooLong : T.tooShort;
  if (p?.field === 'email') return T.badEmail;
  return err.message;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`/api${path}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; problems?: Problem[] } } & T;
  if (!res.ok) throw new ApiError(res.status, json.error?.code ?? `http_${res.status}`, json.error?.message ?? res.statusText, json.error?.problems ?? []);
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
      setError(authErrorText(err, T));
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
      setError(authErrorText(err, T));
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

const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');

/** /invite?token=…: accept with the account you are logged in with, or make one for the invited address. */
export function AcceptInvitation() {
  const { lang } = useLocale();
  const T = TEXT[lang];
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useQuery(meQuery);
  const [info, setInfo] = useState<{ administrationName: string; email: string; role: string } | null>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    postJson<{ administrationName: string; email: string; role: string }>('/auth/invitation/info', { token }).then(setInfo, (e: Error) => setError(e.message));
  }, [token]);
  const done = (csrf: string | null) => {
    setCsrfToken(csrf);
    qc.clear();
    navigate('/', { replace: true });
  };
  const accept = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (me.data?.user) done((await post<{ csrfToken: string | null }>('/auth/invitation/accept', { token })).csrfToken);
      else done((await postJson<{ csrfToken: string | null }>('/auth/invitation/accept', { token, name, password })).csrfToken);
    } catch (err) {
      setError(authErrorText(err, T));
    } finally {
      setBusy(false);
    }
  };
  const next = `/login?next=${encodeURIComponent(`/invite?token=${token}`)}`;
  return (
    <Center h="90vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420} component="form" onSubmit={accept} data-testid="invite-form">
        <Stack>
          <Title order={2}>{T.inviteTitle}</Title>
          {error && <Alert color="red" data-testid="invite-error">{error}</Alert>}
          {info && <Text data-testid="invite-info">{fill(T.invited, { admin: info.administrationName, role: T.role[info.role] ?? info.role, email: info.email })}</Text>}
          {info && me.data?.user && (
            <>
              <Button type="submit" loading={busy} data-testid="invite-accept">{fill(T.acceptAs, { email: me.data.user.email })}</Button>
              <Anchor size="sm" component="button" type="button" onClick={async () => { try { await post('/auth/logout'); } catch { /* gone anyway */ } setCsrfToken(null); await qc.resetQueries({ queryKey: ['me'] }); }}>{T.otherAccount}</Anchor>
            </>
          )}
          {info && me.isSuccess && !me.data?.user && (
            <>
              <TextInput label={T.name} required value={name} onChange={(e) => setName(e.currentTarget.value)} autoComplete="name" data-testid="invite-name" />
              <PasswordInput label={T.choosePassword} required minLength={10} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" data-testid="invite-password" />
              <Button type="submit" loading={busy} data-testid="invite-accept">{T.create}</Button>
              <Anchor size="sm" href={next} onClick={(e) => { e.preventDefault(); navigate(next); }}>{T.haveAccount}</Anchor>
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
