/**
 * The administration's direct-debit policy, read from its settings (`settings.sepa`). Pure.
 * - `returnChargesToDebtor`: the bank's charges on a returned debit are booked as a cost on the
 *   debtor (default false: they stay with the creditor).
 * - `preNotificationDays`: how many calendar days before the collection the debtor is told (the
 *   SEPA rulebook's default is 14; a contract may agree fewer, at least 1).
 * - `leadDays`: TARGET2 business days the bank wants the file before the collection date (default 1).
 */
import { DEFAULT_LEAD_DAYS } from './target2.ts';

export type SepaSettings = { returnChargesToDebtor: boolean; preNotificationDays: number; leadDays: number };
export const DEFAULT_PRE_NOTIFICATION_DAYS = 14;

export function sepaSettingsOf(settings: Record<string, unknown>): SepaSettings {
  const s = (settings['sepa'] ?? {}) as Record<string, unknown>;
  const pre = Number(s['preNotificationDays']);
  const lead = Number(s['leadDays']);
  return {
    returnChargesToDebtor: s['returnChargesToDebtor'] === true,
    preNotificationDays: Number.isInteger(pre) && pre >= 1 && pre <= 60 ? pre : DEFAULT_PRE_NOTIFICATION_DAYS,
    leadDays: Number.isInteger(lead) && lead >= 1 && lead <= 10 ? lead : DEFAULT_LEAD_DAYS,
  };
}
