/**
 * Settings: one tab per subject (in the URL as ?tab=…, arrow keys move between tabs). Everyone
 * with access reads them; changes are for owners. Users, API tokens and the audit log only appear
 * for owners (see src/http/roles.ts).
 */
import { Tabs } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useAdmin } from '../app/admin.tsx';
import { useRole } from '../app/auth.tsx';
import { useLocale } from '../app/locale.tsx';
import { PageHeader } from '../components/ui.tsx';
import type { Key } from '../i18n.ts';
import { AdministrationTab } from './settings/Administration.tsx';
import { WorkflowTab } from './settings/Workflow.tsx';
import { PortalTab } from './settings/Portal.tsx';
import { PoliciesTab } from './settings/Policies.tsx';
import { TemplatesTab } from './settings/Templates.tsx';
import { StatusesTab } from './settings/Statuses.tsx';
import { SegmentsTab } from './settings/Segments.tsx';
import { AuditTab, TokensTab, UsersTab } from './settings/Access.tsx';
import { InboxTab } from './settings/Inbox.tsx';
import { ConnectionsTab } from './settings/Connections.tsx';

const TABS = ['administration', 'workflow', 'inbox', 'portal', 'policies', 'templates', 'statuses', 'segments', 'connections', 'users', 'tokens', 'audit'] as const;
type Tab = (typeof TABS)[number];
const OWNER_ONLY: Tab[] = ['users', 'tokens', 'audit'];

export default function Settings() {
  const { adminId } = useAdmin();
  const { t } = useLocale();
  const role = useRole(adminId);
  const owner = role === 'owner';
  const [params, setParams] = useSearchParams();
  const visible = TABS.filter((x) => owner || !OWNER_ONLY.includes(x));
  const asked = params.get('tab') as Tab | null;
  const tab: Tab = asked && visible.includes(asked) ? asked : 'administration';
  const setTab = (v: string | null) => { const p = new URLSearchParams(params); if (v && v !== 'administration') p.set('tab', v); else p.delete('tab'); setParams(p, { replace: true }); };
  return (
    <>
      <PageHeader title={t('settings.title')} sub={owner ? undefined : t('settings.readOnly')} />
      <Tabs value={tab} onChange={setTab} keepMounted={false} variant="outline" data-testid="settings-tabs">
        <Tabs.List mb="lg">
          {visible.map((x) => <Tabs.Tab key={x} value={x} data-testid={`settings-tab-${x}`}>{t(`settings.tab.${x}` as Key)}</Tabs.Tab>)}
        </Tabs.List>
        <Tabs.Panel value="administration"><AdministrationTab canEdit={owner} /></Tabs.Panel>
        <Tabs.Panel value="workflow"><WorkflowTab adminId={adminId} canEdit={owner} /></Tabs.Panel>
        <Tabs.Panel value="inbox"><InboxTab adminId={adminId} canEdit={owner} /></Tabs.Panel>
        <Tabs.Panel value="portal"><PortalTab adminId={adminId} canEdit={owner} /></Tabs.Panel>
        <Tabs.Panel value="policies"><PoliciesTab adminId={adminId} canEdit={owner} /></Tabs.Panel>
        <Tabs.Panel value="templates"><TemplatesTab adminId={adminId} canEdit={owner} /></Tabs.Panel>
        <Tabs.Panel value="statuses"><StatusesTab adminId={adminId} canEdit={owner} /></Tabs.Panel>
        <Tabs.Panel value="segments"><SegmentsTab adminId={adminId} canEdit={owner} canEvaluate={owner || role === 'controller'} /></Tabs.Panel>
        <Tabs.Panel value="connections"><ConnectionsTab adminId={adminId} canEdit={owner || role === 'controller'} owner={owner} /></Tabs.Panel>
        {owner && <Tabs.Panel value="users"><UsersTab adminId={adminId} /></Tabs.Panel>}
        {owner && <Tabs.Panel value="tokens"><TokensTab adminId={adminId} /></Tabs.Panel>}
        {owner && <Tabs.Panel value="audit"><AuditTab adminId={adminId} /></Tabs.Panel>}
      </Tabs>
    </>
  );
}
