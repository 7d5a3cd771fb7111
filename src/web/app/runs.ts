/**
 * How a row of the run history reads: what it was (a dunning run or one debtor's statement of
 * account), its status and who started it in words, and its result as counts with their meaning
 * (never the raw keys of the stored summary). Pure, so that it is tested without a browser.
 */
import type { Key } from '../i18n.ts';

export type RunRow = { id: number; asOf: string; mode: string; status: string; override: boolean; trigger: string; summary: Record<string, unknown> | null; actor: string | null; createdAt: string; states?: Record<string, number> };
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
    if (num(s.email) || num(s.paper)) {
      if (num(s.email)) parts.push(t('runs.email', { n: num(s.email) }));
      if (num(s.paper)) parts.push(t('runs.paper', { n: num(s.paper) }));
    } else if (num(s.queued) || (!num(s.tasks) && !s.refused)) parts.push(t(statement ? 'runs.statementQueued' : 'runs.queued', { n: num(s.queued) }));
    const refused = s.refused as { messages?: unknown } | null | undefined;
    if (refused && num(refused.messages)) parts.push(t('runs.refused', { n: num(refused.messages) }));
    if (num(s.tasks)) parts.push(t('runs.tasks', { n: num(s.tasks) }));
    if (num(s.duplicates)) parts.push(t('runs.duplicates', { n: num(s.duplicates) }));
    if (num(s.skipped)) parts.push(t('runs.skipped', { n: num(s.skipped) }));
  }
  if (r.override) parts.push(t('runs.override'));
  return { what, status, color, by, result: parts.join(' · ') };
}

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'bounced', 'uncertain', 'cancelled', 'to_print', 'printed', 'posted'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** Counts per outbox state in words ("2 Verzonden · 1 Te printen"), in a fixed order. */
export function describeCounts(counts: Partial<Record<string, number>>, t: T): string {
  const parts = OUTBOX_STATES.filter((st) => num(counts[st]) > 0).map((st) => `${num(counts[st])} ${t(`outbox.state.${st}` as Key).toLowerCase()}`);
  return parts.join(' · ') || t('outbox.nothing');
}

export const stateColor = (st: string): string =>
  st === 'sent' || st === 'posted' ? 'teal' : st === 'failed' || st === 'bounced' ? 'red' : st === 'uncertain' ? 'orange' : st === 'cancelled' ? 'gray' : st === 'to_print' || st === 'printed' ? 'violet' : 'blue';
