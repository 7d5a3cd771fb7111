/**
 * Why the dunning run skips someone, as a short label in the reader's language (the longer
 * explanation comes with each entry from the plan, in both languages). Never the raw code.
 */
import type { SkipReason } from '../../domain/dunning/plan.ts';
import type { Key } from '../i18n.ts';

/** Every skip reason of the plan (the type checker refuses a missing one); the i18n test holds each to a text in both languages. */
export const SKIP_REASONS: Record<SkipReason, true> = {
  debtor_on_hold: true, item_on_hold: true, disputed: true, in_collection: true, payment_plan: true, promise_to_pay: true, status_paused: true,
  below_minimum: true, credit_covers: true, not_due_yet: true, already_sent: true, no_policy_step: true, no_policy: true,
  fourteen_day_term_running: true, awaiting_delivery: true, unknown_debtor: true, collect_by_mandate: true,
};

export function skipReasonText(reason: string, t: (key: Key) => string): string {
  return Object.hasOwn(SKIP_REASONS, reason) ? t(`dunning.skip.${reason}` as Key) : reason;
}
