import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { Shell } from './Shell.tsx';
import { AuthGate } from './auth.tsx';
import { rememberedAdmin, useAdministrations } from './admin.tsx';
import { useLocale } from './locale.tsx';
import { ErrorState, Loading } from '../components/ui.tsx';
import { Dashboard } from '../pages/Dashboard.tsx';

// The dashboard is in the main bundle (the first screen); the others load when first opened.
const WorkToday = lazy(() => import('../pages/WorkToday.tsx'));
const Debtors = lazy(() => import('../pages/Debtors.tsx'));
const DebtorPage = lazy(() => import('../pages/Debtor.tsx'));
const Items = lazy(() => import('../pages/Items.tsx'));
const ItemPage = lazy(() => import('../pages/Item.tsx'));
const Bank = lazy(() => import('../pages/Bank.tsx'));
const Dunning = lazy(() => import('../pages/Dunning.tsx'));
const Settings = lazy(() => import('../pages/Settings.tsx'));
const Overview = lazy(() => import('../pages/Overview.tsx'));
const Login = lazy(() => import('../pages/Login.tsx'));
const ResetPassword = lazy(() => import('../pages/Login.tsx').then((m) => ({ default: m.ResetPassword })));
const Setup = lazy(() => import('../pages/Setup.tsx'));

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
        <Route path="/setup" element={<S><Setup /></S>} />
        <Route path="/a/:adminId" element={<Shell />}>
          <Route index element={<Dashboard />} />
          <Route path="work" element={<S><WorkToday /></S>} />
          <Route path="debtors" element={<S><Debtors /></S>} />
          <Route path="debtors/:debtorId" element={<S><DebtorPage /></S>} />
          <Route path="items" element={<S><Items /></S>} />
          <Route path="items/:itemId" element={<S><ItemPage /></S>} />
          <Route path="bank" element={<S><Bank /></S>} />
          <Route path="dunning" element={<S><Dunning /></S>} />
          <Route path="settings" element={<S><Settings /></S>} />
          <Route path="overview" element={<S><Overview /></S>} />
          <Route path="*" element={<NotFound />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </AuthGate>
  );
}
