/** The run history reads in words, in both languages: what ran, its status, who started it, what it did. */
import { describe, expect, it } from 'vitest';
import { describeRun, type RunRow } from '../../src/web/app/runs.ts';
import { translate, type Key } from '../../src/web/i18n.ts';

const nl = (k: Key, v?: Record<string, string | number>) => translate('nl', k, v);
const en = (k: Key, v?: Record<string, string | number>) => translate('en', k, v);
const row = (over: Partial<RunRow>): RunRow => ({ id: 1, asOf: '2026-11-23', mode: 'send', status: 'queued', override: false, trigger: 'manual', summary: {}, actor: null, createdAt: '2026-11-23T08:00:00Z', ...over });

describe('a row of the run history', () => {
  it('says what a dunning run queued, the phone tasks, what was sent before and what it skipped', () => {
    const d = describeRun(row({ summary: { messages: 14, wouldSend: 14, skipped: 3, queued: 12, tasks: 2, duplicates: 1, blocks: [] }, actor: 'anna@example.nl' }), nl);
    expect(d).toEqual({ what: 'Aanmaanrun', status: 'In de outbox', color: 'blue', by: 'anna@example.nl', result: '12 bericht(en) in de outbox · 2 belopdracht(en) · 1 al eerder verstuurd · 3 overgeslagen' });
    expect(describeRun(row({ summary: { queued: 12, tasks: 0, skipped: 0 }, trigger: 'schedule' }), en)).toMatchObject({ what: 'Dunning run', status: 'In the outbox', by: 'Schedule', result: '12 message(s) in the outbox' });
    // newer runs say how: by e-mail, letters to print, and what was refused without a mail server
    expect(describeRun(row({ summary: { queued: 3, email: 2, paper: 1, refused: { messages: 4 } } }), nl).result).toBe('2 per e-mail · 1 brief/brieven te printen · 4 e-mail(s) geweigerd: geen mailserver');
  });

  it('names the debtor of a statement of account, and says nothing about tasks it cannot have', () => {
    const d = describeRun(row({ summary: { kind: 'statement', debtor: 'D00042', messages: 1, queued: 1, tasks: 0, duplicates: 0 } }), nl);
    expect(d).toMatchObject({ what: 'Rekeningoverzicht D00042', by: 'Handmatig', result: '1 overzicht in de outbox' });
  });

  it('gives a blocked run its reasons, and an overridden one says so', () => {
    expect(describeRun(row({ status: 'blocked', summary: { blocks: ['stale_bank_data', 'unmatched_payments'], skipped: 0 } }), nl)).toMatchObject({
      status: 'Geblokkeerd', color: 'red', result: 'bankgegevens te oud · onverwerkte betalingen',
    });
    expect(describeRun(row({ override: true, summary: { queued: 3, tasks: 0 } }), en).result).toBe('3 message(s) in the outbox · block overridden');
  });

  it('shows an unknown status or trigger as it is rather than hiding it', () => {
    expect(describeRun(row({ status: 'weird', trigger: 'cron', summary: null }), en)).toMatchObject({ status: 'weird', color: 'gray', by: 'cron', result: '0 message(s) in the outbox' });
  });
});
