/** "Export": the list as it is filtered on screen, as CSV or Excel, in the user's language (a plain download link). */
import { Button, Menu } from '@mantine/core';
import { useLocale } from '../app/locale.tsx';

export function ExportMenu({ path, query }: { path: string; query: Record<string, string | undefined> }) {
  const { t, lang } = useLocale();
  const href = (format: 'csv' | 'xlsx') => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') p.set(k, v);
    p.set('format', format);
    p.set('lang', lang);
    return `/api${path}?${p}`;
  };
  return (
    <Menu position="bottom-end" shadow="md">
      <Menu.Target><Button variant="default" size="sm" data-testid="export-menu">{t('common.export')}</Button></Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component="a" href={href('xlsx')} download data-testid="export-xlsx">{t('common.exportXlsx')}</Menu.Item>
        <Menu.Item component="a" href={href('csv')} download data-testid="export-csv">{t('common.exportCsv')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
