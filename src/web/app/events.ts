/**
 * Dossier lines in the reader's language: a typed event (kind + params, src/domain/events.ts) is
 * rendered with the texts of that file and this browser's formats (amounts and dates of the
 * user's locale); a line from before typed events shows its stored text as it was written.
 * Pure, so that it is tested without a browser.
 */
import { isEventKind, renderStored, type EventFormat, type EventKind } from '../../domain/events.ts';
import type { Formatter } from '../format.ts';
import type { Lang } from '../i18n.ts';

export type EventLine = { kind: string; params?: Record<string, unknown> | null; summary: string };

/** The browser's formatter in the shape the event texts use (amounts in cents, calendar dates). */
export const eventFormat = (f: Formatter): EventFormat => ({ money: (cents, currency = 'EUR') => f.money(cents / 100, currency), date: (d) => f.date(d) });

export function eventText(e: EventLine, lang: Lang, f: Formatter): string {
  return renderStored(e, lang, eventFormat(f));
}

/** Which icon a line gets: one group per kind, named here (no guessing from the kind's spelling). */
export type EventGroup = 'bank' | 'undo' | 'dunning' | 'hold' | 'call' | 'note' | 'care' | 'dispute' | 'credit' | 'debtor' | 'item';

const GROUP: Record<EventKind, EventGroup> = {
  debtor_created: 'debtor', debtor_updated: 'debtor', debtor_hold: 'hold', debtor_release: 'hold',
  item_created: 'item', item_updated: 'item', items_imported: 'item', item_hold: 'hold', item_release: 'hold',
  credit_settled: 'credit', write_off: 'credit',
  task_created: 'note', task_assigned: 'note', task_changed: 'note', task_done: 'note', task_cancelled: 'note',
  status_changed: 'debtor', dispute_opened: 'dispute', dispute_resolved: 'dispute',
  note: 'note', call: 'call', mail_in: 'dunning', mail_out: 'dunning', letter: 'dunning', agreement: 'care',
  promise_created: 'care', promise_changed: 'care', promise_kept: 'care', promise_broken: 'care', promise_cancelled: 'care',
  payment_plan_created: 'care', payment_plan_completed: 'care', payment_plan_broken: 'care', payment_plan_cancelled: 'care',
  payment_received: 'bank', payment_returned: 'bank', payment_undone: 'undo',
  mandate_added: 'bank', mandate_revoked: 'bank', mandate_amended: 'bank', collection_added: 'bank',
  einvoice_findings: 'item',
  dunning_task: 'call', dunning_queued: 'dunning', dunning_to_print: 'dunning', dunning_sending: 'dunning', dunning_sent: 'dunning',
  dunning_failed: 'dunning', dunning_bounced: 'dunning', dunning_uncertain: 'dunning', dunning_cancelled: 'undo', dunning_printed: 'dunning',
  dunning_posted: 'dunning', dunning_letter_ready: 'dunning', dunning_skipped: 'hold',
  collect_policy: 'debtor', collection_prenotified: 'dunning', collection_settled: 'bank', collection_returned: 'undo', collection_return_charges: 'bank', mandate_ended: 'bank',
  item_closed_by_package: 'item', item_settled_by_package: 'bank', item_reopened_by_package: 'undo', sync_problem: 'hold', sync_conflict: 'hold',
  email_undeliverable: 'dunning', inbound_delay: 'dunning', inbound_reply: 'dunning', inbound_auto_reply: 'dunning', inbound_bounce: 'dunning',
  portal_link_made: 'debtor', portal_links_revoked: 'debtor', portal_paid_reported: 'care', portal_attachment: 'dispute', portal_plan_proposed: 'care',
  portal_message: 'note', portal_email_requested: 'debtor', portal_email_confirmed: 'debtor',
  psp_payment_started: 'bank', psp_paid: 'bank', psp_reopened: 'undo',
  refund_proposed: 'credit', refund_approved: 'credit', refund_exported: 'credit', refund_paid: 'credit',
};

export const eventGroup = (kind: string): EventGroup => (isEventKind(kind) ? GROUP[kind] : 'item');
