import { describe, expect, it } from 'vitest';
import { allowedMoves, checkMove, describeCounts, initialState, isPending, isReached, OUTBOX_STATES, reachedOn } from '../../../src/domain/dunning/outbox.ts';

describe('the outbox state machine', () => {
  it('reaches a step only at sent or posted; pending states make items wait; failed, bounced and cancelled end unreached', () => {
    expect(OUTBOX_STATES.filter(isReached)).toEqual(['sent', 'posted']);
    expect(OUTBOX_STATES.filter(isPending)).toEqual(['queued', 'sending', 'uncertain', 'to_print', 'printed']);
    expect(initialState('email')).toBe('queued');
    expect(initialState('paper')).toBe('to_print');
    expect(initialState('task')).toBe('sent');
  });

  it('never lets the worker resend or settle an uncertain message, post a letter or cancel', () => {
    expect(checkMove('uncertain', 'sent', 'worker')).toMatchObject({ code: 'needs_person' });
    expect(checkMove('uncertain', 'failed', 'worker')).toMatchObject({ code: 'needs_person' });
    expect(checkMove('uncertain', 'queued', 'person')).toMatchObject({ code: 'not_allowed' }); // never straight back into the queue
    expect(checkMove('uncertain', 'sent', 'person')).toBeNull();
    expect(checkMove('failed', 'queued', 'worker')).toMatchObject({ code: 'needs_person' });
    expect(checkMove('failed', 'queued', 'person')).toBeNull();
    expect(checkMove('to_print', 'posted', 'worker')).toMatchObject({ code: 'needs_person' });
    expect(checkMove('printed', 'posted', 'person')).toBeNull();
    expect(checkMove('queued', 'sent', 'worker')).toMatchObject({ code: 'not_allowed' }); // only through sending
    expect(checkMove('sending', 'sent', 'worker')).toBeNull();
    expect(checkMove('sending', 'queued', 'worker')).toBeNull(); // a temporary failure waits for its retry
    expect(allowedMoves('posted')).toEqual([]);
    expect(allowedMoves('cancelled')).toEqual([]);
  });

  it('reaches a step on the letter date moved on by the days that really passed', () => {
    expect(reachedOn('2026-12-02', '2026-12-02', '2026-12-02')).toBe('2026-12-02');
    expect(reachedOn('2026-12-02', '2026-12-02', '2026-12-05')).toBe('2026-12-05');
    expect(reachedOn('2026-01-10', '2026-12-03', '2026-12-03')).toBe('2026-01-10'); // a run as of an earlier date, delivered at once
  });

  it('says counts per state in words, in both languages', () => {
    expect(describeCounts({ sent: 3, to_print: 1, failed: 0 }, 'nl')).toBe('3 verzonden, 1 te printen');
    expect(describeCounts({ bounced: 1, uncertain: 2 }, 'en')).toBe('1 bounced, 2 uncertain (check)');
    expect(describeCounts({}, 'nl')).toBe('geen berichten');
  });
});
