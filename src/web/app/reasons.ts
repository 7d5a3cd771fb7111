/**
 * Why the matcher suggests a booking, in the reader's language: the suggestion's reason codes
 * (src/domain/matching/reasons.ts) rendered with this browser's formats. Suggestions made before
 * reasons were stored as codes show their stored sentences as they were written.
 */
import { renderStoredReason } from '../../domain/matching/reasons.ts';
import type { Formatter } from '../format.ts';
import type { Lang } from '../i18n.ts';
import { eventFormat } from './events.ts';

export type WithReasons = { reasons?: { code: string; params: Record<string, unknown> }[]; signals: string[] };

export function reasonTexts(s: WithReasons, lang: Lang, f: Formatter): string[] {
  if (!s.reasons?.length) return s.signals;
  const fmt = eventFormat(f);
  return s.reasons.map((r) => renderStoredReason(r, lang, fmt));
}
