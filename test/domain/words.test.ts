/**
 * Every text a user reads from a typed event or a match reason exists in Dutch and in English,
 * and neither language leaks into the other: no English word in the Dutch text, no Dutch word in
 * the English text, no internal code (snake_case keys), no unfilled placeholder. A new event kind
 * or reason code without both texts fails the type check; one without a sample fails here.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, EVENT_SAMPLES, renderEvent, renderStored, type DomainEvent, type EventKind } from '../../src/domain/events.ts';
import { REASON_CODES, REASON_SAMPLES, renderReason, renderStoredReason, type MatchReason } from '../../src/domain/matching/reasons.ts';

// words that only one of the two languages uses (user data in the samples avoids them)
const ENGLISH = /\b(the|and|by|to|from|with|was|amount|payment|invoice|debtor|created|changed|sent|received|resembles|matches|reference|task|dispute|promise|plan|skipped|ready|letter|instalment|credit|nothing|already|only|other|text|booked|confirmed|broken|kept|ended|withdrawn|undone|read|recorded|revoked|collected|waiting|being|unknown|failed|cancelled|printed|posted)\b/i;
const DUTCH = /\b(de|het|van|voor|aan|niet|uiterlijk|gewijzigd|aangemaakt|verstuurd|ontvangen|termijn|debiteur|taak|geschil|betalingsbelofte|betalingsregeling|factuur|geboekt|boeking|wordt|en|om|op|met|naam|bedrag|omschrijving|betaler|overgeslagen|klaar|afgerond|geannuleerd|nagekomen|ingetrokken|vrijgegeven|geïmporteerd|verrekend|afgeboekt|toegewezen|opgelost|gepost|geprint|onbestelbaar|wachtrij|posten|rekeningoverzicht|brief|incassomachtiging)\b/i;
const CODE = /\b[a-z]+_[a-z_]+\b/; // an internal key such as debtor_on_hold, collection_agency
const LEFTOVER = /\{\w+\}|\bundefined\b|\bnull\b|\bNaN\b|\[object/;

// terms both languages use as they are
const SHARED = /end-to-end(-id)?|on hold|e-mail/gi;

function check(nl0: string, en0: string, what: string) {
  const nl = nl0.replace(SHARED, '~');
  const en = en0.replace(SHARED, '~');
  expect(nl, `${what} (nl)`).not.toBe('');
  expect(en, `${what} (en)`).not.toBe('');
  expect(nl, `${what} (nl): ${nl}`).not.toMatch(ENGLISH);
  expect(en, `${what} (en): ${en}`).not.toMatch(DUTCH);
  for (const s of [nl, en]) {
    expect(s, `${what}: ${s}`).not.toMatch(CODE);
    expect(s, `${what}: ${s}`).not.toMatch(LEFTOVER);
  }
}

describe('typed events in both languages', () => {
  it('has a sample of every kind, and renders each in Dutch and English', () => {
    expect(Object.keys(EVENT_SAMPLES).sort()).toEqual([...EVENT_KINDS].sort());
    for (const kind of EVENT_KINDS) {
      const samples = EVENT_SAMPLES[kind] as unknown[];
      expect(samples.length, kind).toBeGreaterThan(0);
      for (const params of samples) {
        const e = { kind, params } as DomainEvent;
        check(renderEvent(e, 'nl'), renderEvent(e, 'en'), kind);
      }
    }
  });

  it('writes amounts and dates the way each language reads them', () => {
    const e = { kind: 'payment_received', params: { amountCents: 2186668, currency: 'EUR', date: '2026-11-22', how: 'auto', matchKind: 'reference' } } as DomainEvent;
    expect(renderEvent(e, 'nl')).toBe('Betaling € 21.866,68 van 22-11-2026 automatisch geboekt (betalingskenmerk)');
    expect(renderEvent(e, 'en')).toBe('Payment €21,866.68 of 22/11/2026 booked automatically (payment reference)');
  });

  it('shows a line written before typed events as it was written, in either language', () => {
    const old = { kind: 'payment_received', params: null, summary: 'Betaling 121.00 EUR van 2026-11-20 automatisch geboekt (reference)' };
    expect(renderStored(old, 'en')).toBe(old.summary);
    expect(renderStored({ kind: 'something_else', params: {}, summary: 'oud' }, 'nl')).toBe('oud');
    expect(renderStored({ kind: 'note', params: { text: 'Belt terug' }, summary: 'x' }, 'en')).toBe('Note: Belt terug');
  });

  it('keeps the kinds and the samples in step (a new kind needs a sample)', () => {
    const kinds: EventKind[] = EVENT_KINDS;
    expect(new Set(kinds).size).toBe(kinds.length);
  });
});

describe('match reasons in both languages', () => {
  it('renders every reason code in Dutch and English', () => {
    expect(Object.keys(REASON_SAMPLES).sort()).toEqual([...REASON_CODES].sort());
    for (const code of REASON_CODES) {
      const r = { code, params: REASON_SAMPLES[code] } as MatchReason;
      check(renderReason(r, 'nl'), renderReason(r, 'en'), code);
    }
  });

  it('says the name reason without "resembles" in Dutch', () => {
    const r = { code: 'name_resembles', params: { name: 'JANSEN', debtor: 'Jansen BV', pct: 91 } } as MatchReason;
    expect(renderReason(r, 'nl')).toBe("naam van de betaler 'JANSEN' lijkt op Jansen BV (91%)");
    expect(renderReason(r, 'en')).toBe("counterparty name 'JANSEN' resembles Jansen BV (91%)");
  });

  it('renders stored reasons, and an unknown code as itself', () => {
    expect(renderStoredReason({ code: 'near_number', params: { number: 'F1' } }, 'nl')).toBe('het nummer in de omschrijving verschilt één toets van F1');
    expect(renderStoredReason({ code: 'no_such_code', params: {} }, 'nl')).toBe('no_such_code');
  });
});
