/**
 * The outbox of dunning messages as one state machine (pure). Every delivery state, which moves
 * are allowed, and when a step counts as reached.
 *
 *   e-mail:  queued ──claim──▶ sending ──SMTP accepted──▶ sent ──bounce reported──▶ bounced
 *              ▲                 │ ├──temporary failure (retry later)──▶ queued
 *              │                 │ ├──permanent failure / no server──▶ failed
 *              │                 │ ├──recipient refused──▶ bounced
 *              │                 │ └──process died mid-send──▶ uncertain ──a person──▶ sent | failed
 *              └──resend (a person)── failed | bounced
 *   paper:   to_print ──print batch──▶ printed ──a person marks the batch posted──▶ posted
 *   task:    sent at once (a phone step is a task for a person)
 *   any open state ──a person──▶ cancelled
 *
 * A step is REACHED only at `sent` (the SMTP server accepted the message; its message-id and answer
 * are stored) or `posted`. The date it is reached is the base of every later date (the 14-day
 * term runs from the presumed delivery of a letter sent that day). `failed`, `bounced` and
 * `cancelled` leave the step unreached; the next run plans it again. While a message is on its way
 * (`queued`, `sending`, `uncertain`, `to_print`, `printed`) its items wait: no run plans a step for
 * them, so nothing goes out twice and nothing escalates past an undelivered step.
 */
import { addDays, daysBetween, type IsoDate } from '../dates.ts';

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'bounced', 'uncertain', 'cancelled', 'to_print', 'printed', 'posted'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export type Delivery = 'email' | 'paper' | 'task';

/** Who or what moves a message: the sender (worker), a person, or the run that plans it. */
export type TransitionCause = 'worker' | 'person' | 'run';

const T: Record<OutboxState, readonly OutboxState[]> = {
  queued: ['sending', 'cancelled', 'to_print', 'failed'],
  sending: ['sent', 'queued', 'failed', 'bounced', 'uncertain', 'to_print'],
  sent: ['bounced'],
  failed: ['queued', 'to_print', 'cancelled'],
  bounced: ['queued', 'to_print', 'cancelled'],
  uncertain: ['sent', 'failed', 'cancelled'],
  to_print: ['printed', 'posted', 'cancelled', 'failed'],
  printed: ['posted', 'to_print', 'cancelled'],
  posted: [],
  cancelled: [],
};

export function isOutboxState(s: string): s is OutboxState {
  return (OUTBOX_STATES as readonly string[]).includes(s);
}

export function canMove(from: OutboxState, to: OutboxState): boolean {
  return T[from].includes(to);
}

export function allowedMoves(from: OutboxState): readonly OutboxState[] {
  return T[from];
}

/** The step the message is for counts as done for its items. */
export function isReached(s: OutboxState): boolean {
  return s === 'sent' || s === 'posted';
}

/** On its way: its items wait for it (no run plans a step for them). */
export function isPending(s: OutboxState): boolean {
  return s === 'queued' || s === 'sending' || s === 'uncertain' || s === 'to_print' || s === 'printed';
}

/** Ended without reaching the debtor: the dedupe key is free again, the next run plans the step anew. */
export function isClosedUnreached(s: OutboxState): boolean {
  return s === 'failed' || s === 'bounced' || s === 'cancelled';
}

/** States that only a person may set from `from` (never the worker on its own). */
export function needsPerson(from: OutboxState, to: OutboxState): boolean {
  if (from === 'uncertain') return true; // never resent or settled blindly
  if (to === 'cancelled' || to === 'posted' || to === 'printed') return true;
  if ((from === 'failed' || from === 'bounced') && to === 'queued') return true;
  return false;
}

export type MoveRefusal = { readonly code: 'not_allowed' | 'needs_person'; readonly from: OutboxState; readonly to: OutboxState };

/** Check one move; null when it is allowed for this cause. */
export function checkMove(from: OutboxState, to: OutboxState, cause: TransitionCause): MoveRefusal | null {
  if (!canMove(from, to)) return { code: 'not_allowed', from, to };
  if (cause !== 'person' && needsPerson(from, to)) return { code: 'needs_person', from, to };
  return null;
}

/** The first state of a new message. */
export function initialState(delivery: Delivery): OutboxState {
  return delivery === 'email' ? 'queued' : delivery === 'paper' ? 'to_print' : 'sent';
}

/**
 * The calendar date a step is reached: the letter's date (the run's as-of date) moved on by the
 * days that really passed between queueing and delivery. A run for today that is delivered at once
 * is reached today; a message that waited three days for a mail server is reached three days after
 * its letter date; the clock of a run stays a parameter (a run as of an earlier date, delivered at
 * once, is reached on that date).
 */
export function reachedOn(letterDate: IsoDate, queuedLocalDate: IsoDate, deliveredLocalDate: IsoDate): IsoDate {
  return addDays(letterDate, Math.max(0, daysBetween(queuedLocalDate, deliveredLocalDate)));
}

export type StateCounts = Readonly<Partial<Record<OutboxState, number>>>;

/** Counts per state as words, in the reader's language, in a fixed order (for CLI and screens). */
export function describeCounts(c: StateCounts, lang: 'nl' | 'en'): string {
  const words: Record<OutboxState, { nl: string; en: string }> = {
    queued: { nl: 'wacht op verzending', en: 'waiting to be sent' },
    sending: { nl: 'wordt verzonden', en: 'being sent' },
    sent: { nl: 'verzonden', en: 'sent' },
    failed: { nl: 'mislukt', en: 'failed' },
    bounced: { nl: 'onbestelbaar', en: 'bounced' },
    uncertain: { nl: 'onzeker (controleren)', en: 'uncertain (check)' },
    cancelled: { nl: 'geannuleerd', en: 'cancelled' },
    to_print: { nl: 'te printen', en: 'to print' },
    printed: { nl: 'geprint, nog niet gepost', en: 'printed, not yet posted' },
    posted: { nl: 'gepost', en: 'posted' },
  };
  const parts = OUTBOX_STATES.filter((s) => (c[s] ?? 0) > 0).map((s) => `${c[s]} ${words[s][lang]}`);
  return parts.length ? parts.join(', ') : lang === 'nl' ? 'geen berichten' : 'no messages';
}
