/**
 * The web app says codes from the server in the user's language: dossier lines (typed events),
 * match reasons, skip reasons, booking statuses, problem and error codes. Every code has a text in
 * both dictionaries, and the Dutch screen shows no English sentence or internal code.
 */
import { describe, expect, it } from 'vitest';
import { dictionaries, translate, type Key } from '../../src/web/i18n.ts';
import { makeFormatter } from '../../src/web/format.ts';
import { eventGroup, eventText } from '../../src/web/app/events.ts';
import { reasonTexts } from '../../src/web/app/reasons.ts';
import { SKIP_REASONS, skipReasonText } from '../../src/web/app/skip-reasons.ts';
import { ERROR_CODES, PROBLEM_CODES, errorText } from '../../src/web/app/problems.ts';
import { EVENT_KINDS } from '../../src/domain/events.ts';
import { ApiError } from '../../src/web/api-error.ts';

const nlF = makeFormatter('nl-NL');
const enF = makeFormatter('en-GB');
const t = (lang: 'nl' | 'en') => (key: Key, vars?: Record<string, string | number>) => translate(lang, key, vars);

describe('the dossier in the reader\'s language', () => {
  const line = { kind: 'promise_created', params: { amountCents: 2186668, date: '2026-12-20', numbers: ['F2026-0042'], note: null }, summary: 'Betalingsbelofte: € 21.866,68 uiterlijk 20-12-2026 voor F2026-0042' };

  it('renders a typed event with the locale\'s amounts and dates, and switches with the language', () => {
    expect(eventText(line, 'nl', nlF)).toBe(`Betalingsbelofte: ${nlF.money(21866.68)} uiterlijk 20-12-2026 voor F2026-0042`);
    expect(eventText(line, 'en', enF)).toBe('Promise to pay: €21,866.68 by 20/12/2026 for F2026-0042');
  });

  it('shows an old line (no params) as it was written', () => {
    expect(eventText({ kind: 'payment_received', params: null, summary: 'Betaling 121.00 EUR van 2026-11-20 automatisch geboekt (reference)' }, 'en', enF)).toBe('Betaling 121.00 EUR van 2026-11-20 automatisch geboekt (reference)');
  });

  it('gives every kind its icon group by name, not by guessing from its spelling', () => {
    for (const k of EVENT_KINDS) expect(eventGroup(k)).toBeTruthy();
    expect(eventGroup('payment_undone')).toBe('undo');
    expect(eventGroup('no_such_kind')).toBe('item');
  });
});

describe('match reasons on the bank review', () => {
  it('renders stored codes in the reader\'s language; older suggestions keep their sentences', () => {
    const s = { signals: ["counterparty name 'JANSEN' resembles Jansen BV (91%)"], reasons: [{ code: 'name_resembles', params: { name: 'JANSEN', debtor: 'Jansen BV', pct: 91 } }, { code: 'only_item_of_amount', params: { cents: 12100, currency: 'EUR', number: 'F1' } }] };
    const nl = reasonTexts(s, 'nl', nlF).join(' ');
    expect(nl).toContain("lijkt op Jansen BV (91%)");
    expect(nl).toContain(nlF.money(121));
    expect(nl).not.toMatch(/resembles|amount/);
    expect(reasonTexts(s, 'en', enF).join(' ')).toContain('resembles Jansen BV');
    expect(reasonTexts({ signals: ['old text'] }, 'nl', nlF)).toEqual(['old text']);
  });
});

describe('codes have a text in both languages', () => {
  it('every skip reason of the dunning plan', () => {
    for (const r of Object.keys(SKIP_REASONS)) {
      for (const lang of ['nl', 'en'] as const) {
        const s = skipReasonText(r, t(lang));
        expect(s, `${r} (${lang})`).not.toBe(r);
        expect(s).not.toMatch(/_/);
        expect(dictionaries[lang]).toHaveProperty(`dunning.skip.${r}`);
      }
    }
    expect(skipReasonText('debtor_on_hold', t('nl'))).toBe('Debiteur on hold');
  });

  it('every problem and error code the screens render', () => {
    for (const c of PROBLEM_CODES) for (const lang of ['nl', 'en'] as const) expect(dictionaries[lang]).toHaveProperty(`problem.${c}`);
    for (const c of ERROR_CODES) for (const lang of ['nl', 'en'] as const) expect(dictionaries[lang]).toHaveProperty(`error.${c}`);
    for (const s of ['auto', 'confirmed', 'reversed', 'reversal']) for (const lang of ['nl', 'en'] as const) expect(dictionaries[lang]).toHaveProperty(`item.bookingStatus.${s}`);
  });

  it('says validation problems from their code and parameters, never zod\'s or the server\'s English', () => {
    const tooLong = new ApiError(400, 'validation', 'invalid request: text: Too big: expected string to have <=20000 characters', [{ field: 'text', code: 'max_length', message: 'Too big: expected string to have <=20000 characters', params: { max: 20000 } }]);
    expect(errorText(tooLong, t('nl'), nlF)).toBe('Te lang: hoogstens 20.000 tekens.');
    expect(errorText(tooLong, t('en'), enF)).toBe('Too long: at most 20,000 characters.');
    const iban = new ApiError(400, 'validation', 'x', [{ field: 'ibans', code: 'invalid_iban', message: '"NL00" is not a valid IBAN', params: { value: 'NL00' } }]);
    expect(errorText(iban, t('nl'), nlF)).toBe('"NL00" is geen geldig IBAN.');
    expect(errorText(new ApiError(403, 'forbidden', 'your role (viewer) may not do this'), t('nl'), nlF)).toBe('Dit mag u niet met uw rol.');
  });
});
