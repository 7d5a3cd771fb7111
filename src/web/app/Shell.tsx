/** The frame around every screen: header with the administration switcher and language, navigation on the left. */
import { useEffect } from 'react';
import { AppShell, Badge, Box, Burger, Button, Group, NavLink, ScrollArea, Select, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useLocale } from './locale.tsx';
import { apiPath, rememberAdmin, useAdmin, useAdministrations } from './admin.tsx';
import { workQuery } from './work.ts';
import { get, type BankStatus } from '../api.ts';
import type { Key, Lang } from '../i18n.ts';
import { IconBank, IconOverview, IconChecklist, IconDashboard, IconFile, IconMail, IconSend, IconSettings, IconUsers } from '../components/icons.tsx';
import { ToastProvider } from '../components/toast.tsx';
import { useLogout, useMe } from './auth.tsx';

const NAV: { to: string; key: Key; icon: (p: { size?: number }) => React.ReactElement; end?: boolean; several?: boolean }[] = [
  { to: 'overview', key: 'nav.overview', icon: IconOverview, several: true },
  { to: '', key: 'nav.dashboard', icon: IconDashboard, end: true },
  { to: 'work', key: 'nav.work', icon: IconChecklist },
  { to: 'debtors', key: 'nav.debtors', icon: IconUsers },
  { to: 'items', key: 'nav.items', icon: IconFile },
  { to: 'bank', key: 'nav.bank', icon: IconBank },
  { to: 'dunning', key: 'nav.dunning', icon: IconMail },
  { to: 'outbox', key: 'nav.outbox', icon: IconSend },
  { to: 'inbox', key: 'nav.inbox', icon: IconMail },
  { to: 'incasso', key: 'nav.directDebit', icon: IconBank },
  { to: 'settings', key: 'nav.settings', icon: IconSettings },
];

export function Shell() {
  const { t, lang, setLang } = useLocale();
  const [opened, { toggle, close }] = useDisclosure();
  const { adminId, admin, base } = useAdmin();
  const admins = useAdministrations();
  const navigate = useNavigate();
  const location = useLocation();
  const bank = useQuery({ queryKey: ['bank-status', adminId], queryFn: () => get<BankStatus>(apiPath(adminId, '/bank-status')), enabled: adminId > 0 });
  const work = useQuery({ ...workQuery(adminId, false), enabled: adminId > 0 });
  const workDue = (work.data ?? []).filter((e) => e.when !== 'coming').length;

  useEffect(() => { if (admin) rememberAdmin(admin.id); }, [admin]);
  useEffect(() => { close(); }, [location.pathname, close]);
  useEffect(() => {
    const section = NAV.find((n) => n.to && location.pathname.startsWith(`${base}/${n.to}`));
    document.title = `${section ? t(section.key) : t('nav.dashboard')} · ${admin?.name ?? 'Vorder'}`;
  }, [location.pathname, admin, base, t]);

  const switchAdmin = (id: string | null) => {
    if (!id) return;
    // keep the section, drop the entity (a debtor of one administration is not in another)
    const rest = location.pathname.slice(base.length).split('/').filter(Boolean)[0] ?? '';
    navigate(`/a/${id}/${rest}`);
  };

  return (
    <ToastProvider>
      <a className="skip-link" href="#main">{t('app.skip')}</a>
      <AppShell header={{ height: 58 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
        <AppShell.Header style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="md" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('app.menu')} />
              <UnstyledButton component={Link} to={base} aria-label="Vorder" style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
                <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="var(--mantine-color-brand-7)" /><path d="M8 9l8 15 8-15" fill="none" stroke="#fff" strokeWidth="3.5" strokeLinecap="round" strokeLinejoin="round" /></svg>
                <Box visibleFrom="xs">
                  <Text fw={700} fz={17} lh={1.1}>Vorder</Text>
                  <Text fz={11} c="dimmed" lh={1.1}>{t('app.tagline')}</Text>
                </Box>
              </UnstyledButton>
              <Select
                aria-label={t('app.administration')}
                data-testid="admin-switcher"
                data={(admins.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
                value={String(adminId)}
                onChange={switchAdmin}
                allowDeselect={false}
                w={{ base: 180, sm: 280 }}
                ml={{ base: 0, sm: 'lg' }}
                comboboxProps={{ shadow: 'md' }}
                readOnly={(admins.data?.length ?? 0) < 2}
                rightSection={(admins.data?.length ?? 0) < 2 ? <span /> : undefined}
              />
            </Group>
            <Group gap="sm" wrap="nowrap">
              {/* two buttons rather than a segmented control: that one measures the page on every render */}
              <Button.Group aria-label={t('app.language')} data-testid="lang-switch">
                {(['nl', 'en'] as Lang[]).map((l) => (
                  <Button key={l} size="compact-xs" variant={lang === l ? 'filled' : 'default'} aria-pressed={lang === l} onClick={() => setLang(l)}>{l.toUpperCase()}</Button>
                ))}
              </Button.Group>
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" style={{ borderRight: '1px solid var(--mantine-color-gray-2)' }}>
          <AppShell.Section grow component={ScrollArea}>
            <nav aria-label="Vorder">
              {NAV.filter((n) => !n.several || (admins.data?.length ?? 0) > 1).map((n) => {
                const Icon = n.icon;
                const waiting = n.to === 'bank' ? bank.data?.waitingForReview ?? 0 : n.to === 'work' ? workDue : 0;
                const stale = (n.to === 'bank' && (bank.data?.ageDays ?? 0) > 3) || (n.to === 'work' && (work.data ?? []).some((e) => e.when === 'overdue'));
                return (
                  <NavLink
                    key={n.key}
                    component={RouterNavLink}
                    to={n.to ? `${base}/${n.to}` : base}
                    end={n.end}
                    label={t(n.key)}
                    leftSection={<Icon size={19} />}
                    className="nav-link"
                    active={n.end ? location.pathname === base || location.pathname === `${base}/` : location.pathname.startsWith(`${base}/${n.to}`)}
                    rightSection={
                      waiting > 0 ? <Badge size="sm" variant="filled" color={stale ? 'red' : 'brand'} circle={waiting < 10} data-testid={`nav-count-${n.to}`}>{waiting}</Badge> : undefined
                    }
                    style={{ borderRadius: 8, marginBottom: 2 }}
                    data-testid={`nav-${n.to || 'dashboard'}`}
                  />
                );
              })}
            </nav>
          </AppShell.Section>
          <AppShell.Section>
            <Tooltip label={admin?.legalName ?? admin?.name} disabled={!admin}>
              <Text size="xs" c="dimmed" px="sm" py="xs" truncate>{admin?.city ? `${admin.name} · ${admin.city}` : admin?.name}</Text>
            </Tooltip>
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
          <Box maw={1480} mx="auto">
            <Outlet />
          </Box>
        </AppShell.Main>
      </AppShell>
    </ToastProvider>
  );
}

/** The signed-in user and the logout button. */
function UserMenu() {
  const { lang } = useLocale();
  const me = useMe();
  const logout = useLogout();
  const user = me.data?.user;
  if (!user) return null;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" c="dimmed" visibleFrom="sm" data-testid="current-user" title={user.email}>{user.name}</Text>
      <UnstyledButton onClick={() => void logout()} data-testid="logout" style={{ fontSize: 13, padding: '4px 8px', borderRadius: 6, border: '1px solid var(--mantine-color-gray-3)' }}>
        {lang === 'nl' ? 'Uitloggen' : 'Log out'}
      </UnstyledButton>
    </Group>
  );
}
