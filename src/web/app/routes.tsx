import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { Shell } from './Shell.tsx';
import { AuthGate } from './auth.tsx';
import { rememberedAdmin, useAdministrations } from './admin.tsx';
import { useLocale } from './locale.tsx';
import { ErrorState, Loading } from '../components/ui.tsx';

// Every screen is its own chunk, loaded when first opened (the dashboard's charts are not parsed
// on a page that has none); preloadScreen starts the one of the address at once, beside the login check.
const screens = {
  dashboard: () => import('../pages/Dashboard.tsx').then((m) => ({ default: m.Dashboard })),
  work: () => import('../pages/WorkToday.tsx'),
  debtors: () => import('../pages/Debtors.tsx'),
  debtor: () => import('../pages/Debtor.tsx'),
  items: () => import('../pages/Items.tsx'),
  item: () => import('../pages/Item.tsx'),
  bank: () => import('../pages/Bank.tsx'),
  dunning: () => import('../pages/Dunning.tsx'),
  outbox: () => import('../pages/Outbox.tsx'),
  inbox: () => import('../pages/Inbox.tsx'),
  incasso: () => import('../pages/DirectDebit.tsx'),
  settings: () => import('../pages/Settings.tsx'),
  overview: () => import('../pages/Overview.tsx'),
  login: () => import('../pages/Login.tsx'),
  setup: () => import('../pages/Setup.tsx'),
};

/** The screen an address shows (/a/7/debtors/12 → debtor), for preloading its code. */
export function screenOf(pathname: string): keyof typeof screens | null {
  if (pathname === '/login' || pathname === '/reset' || pathname === '/invite') return 'login';
  if (pathname === '/setup') return 'setup';
  const m = /^\/a\/\d+(?:\/([a-z]+)(\/[^/]+)?)?\/?$/.exec(pathname);
  if (!m) return null;
  const [, section, id] = m;
  if (!section) return 'dashboard';
  if (section === 'debtors') return id ? 'debtor' : 'debtors';
  if (section === 'items') return id ? 'item' : 'items';
  return section in screens && !id ? (section as keyof typeof screens) : null;
}

export function preloadScreen(pathname: string): void {
  const s = screenOf(pathname);
  if (s) void screens[s]().catch(() => { /* the route's own import reports it */ });
}

const Dashboard = lazy(screens.dashboard);
const WorkToday = lazy(screens.work);
const Debtors = lazy(screens.debtors);
const DebtorPage = lazy(screens.debtor);
const Items = lazy(screens.items);
const ItemPage = lazy(screens.item);
const Bank = lazy(screens.bank);
const Dunning = lazy(screens.dunning);
const Outbox = lazy(screens.outbox);
const Inbox = lazy(screens.inbox);
const DirectDebit = lazy(screens.incasso);
const Settings = lazy(screens.settings);
const Overview = lazy(screens.overview);
const Login = lazy(screens.login);
const ResetPassword = lazy(() => screens.login().then((m) => ({ default: m.ResetPassword })));
const AcceptInvitation = lazy(() => screens.login().then((m) => ({ default: m.AcceptInvitation })));
const Setup = lazy(screens.setup);

const S = ({ children }: { children: ReactNode }) => <Suspense fallback={<Loading />}>{children}</Suspense>;

function Home() {
  const { t } = useLocale();
  const admins = useAdministrations();
  if (admins.isPending) return <Loading h={400} />;
  if (admins.error) return <Center p="xl"><ErrorState error={admins.error} onRetry={() => admins.refetch()} /></Center>;
  const list = admins.data ?? [];
  if (!list.length) return <Center h="80vh"><Text>{t('app.noAdmin')}</Text></Center>;
  const remembered = rememberedAdmin();
  const target = list.find((a) => a.id === remembered) ?? list[0]!;
  return <Navigate to={`/a/${target.id}`} replace />;
}

export function NotFound() {
  const { t } = useLocale();
  return (
    <Center h="60vh">
      <Stack align="center">
        <Title order={2}>{t('app.notFound')}</Title>
        <Button component={Link} to="/" variant="light">{t('app.backHome')}</Button>
      </Stack>
    </Center>
  );
}

export function AppRoutes() {
  return (
    <AuthGate>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/login" element={<S><Login /></S>} />
        <Route path="/reset" element={<S><ResetPassword /></S>} />
        <Route path="/invite" element={<S><AcceptInvitation /></S>} />
        <Route path="/setup" element={<S><Setup /></S>} />
        <Route path="/a/:adminId" element={<Shell />}>
          <Route index element={<S><Dashboard /></S>} />
          <Route path="work" element={<S><WorkToday /></S>} />
          <Route path="debtors" element={<S><Debtors /></S>} />
          <Route path="debtors/:debtorId" element={<S><DebtorPage /></S>} />
          <Route path="items" element={<S><Items /></S>} />
          <Route path="items/:itemId" element={<S><ItemPage /></S>} />
          <Route path="bank" element={<S><Bank /></S>} />
          <Route path="dunning" element={<S><Dunning /></S>} />
          <Route path="outbox" element={<S><Outbox /></S>} />
          <Route path="inbox" element={<S><Inbox /></S>} />
          <Route path="incasso" element={<S><DirectDebit /></S>} />
          <Route path="settings" element={<S><Settings /></S>} />
          <Route path="overview" element={<S><Overview /></S>} />
          <Route path="*" element={<NotFound />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </AuthGate>
  );
}
