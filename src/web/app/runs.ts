/**
 * How a row of the run history reads: what it was (a dunning run or one debtor's statement of
 * account), its status and who started it in words, and its result as counts with their meaning
 * (never the raw keys of the stored summary). Pure, so that it is tested without a browser.
 */
import type { Key } from '../i18n.ts';

export type RunRow = { id: number; asOf: string; mode: string; status: string; override: boolean; trigger: string; summary: Record<string, unknown> | null; actor: string | null; createdAt: string };
type T = (key: Key, vars?: Record<string, string | number>) => string;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function describeRun(r: RunRow, t: T): { what: string; status: string; color: string; by: string; result: string } {
  const s = r.summary ?? {};
  const statement = s.kind === 'statement';
  const what = statement ? t('runs.statement', { debtor: String(s.debtor ?? '') }) : r.mode === 'preview' ? t('runs.preview') : t('runs.dunning');
  const statusKey: Record<string, Key> = { planned: 'runs.status.planned', blocked: 'runs.status.blocked', queued: 'runs.status.queued', done: 'runs.status.done' };
  const status = statusKey[r.status] ? t(statusKey[r.status]!) : r.status;
  const color = r.status === 'done' ? 'teal' : r.status === 'blocked' ? 'red' : r.status === 'queued' ? 'blue' : 'gray';
  const triggerKey: Record<string, Key> = { manual: 'runs.trigger.manual', schedule: 'runs.trigger.schedule', api: 'runs.trigger.api' };
  const by = r.actor ?? (triggerKey[r.trigger] ? t(triggerKey[r.trigger]!) : r.trigger);
  const parts: string[] = [];
  if (r.status === 'blocked') {
    const blocks = Array.isArray(s.blocks) ? (s.blocks as unknown[]).map(String) : [];
    const blockKey: Record<string, Key> = { stale_bank_data: 'runs.block.stale_bank_data', unmatched_payments: 'runs.block.unmatched_payments' };
    parts.push(...blocks.map((b) => (blockKey[b] ? t(blockKey[b]!) : b)));
  } else {
    if (num(s.queued) || !num(s.tasks)) parts.push(t(statement ? 'runs.statementQueued' : 'runs.queued', { n: num(s.queued) }));
    if (num(s.tasks)) parts.push(t('runs.tasks', { n: num(s.tasks) }));
    if (num(s.duplicates)) parts.push(t('runs.duplicates', { n: num(s.duplicates) }));
    if (num(s.skipped)) parts.push(t('runs.skipped', { n: num(s.skipped) }));
  }
  if (r.override) parts.push(t('runs.override'));
  return { what, status, color, by, result: parts.join(' · ') };
}
