/**
 * Ranking where the evidence is thin: a mistyped invoice number, several open items of the same
 * amount, payments of one debtor spread over lines and imports.
 */
import { describe, expect, it } from 'vitest';
import { matchLines, oneEditApart } from '../../../src/domain/matching/engine.ts';
import type { LineDecision, MatchProposal } from '../../../src/domain/matching/types.ts';
import { aContext, aDebtor, aLine, anItem, IBAN_JANSEN } from './builders.ts';

function top(d: LineDecision[], lineId = 1): MatchProposal | undefined {
  return d.find((x) => x.lineId === lineId)?.proposals[0];
}

describe('oneEditApart', () => {
  it('is one digit changed, dropped, added or two neighbours swapped', () => {
    expect(oneEditApart('2026.3136', '2026.3137')).toBe(true);
    expect(oneEditApart('2026.313', '2026.3137')).toBe(true);
    expect(oneEditApart('2026.31370', '2026.3137')).toBe(true);
    expect(oneEditApart('2026.3173', '2026.3137')).toBe(true);
    expect(oneEditApart('2026.3137', '2026.3137')).toBe(false);
    expect(oneEditApart('2026.3146', '2026.3137')).toBe(false);
  });
});

describe('a mistyped invoice number', () => {
  // Van Dijk (1) has F2026-03136 of another amount; Peters (2) has two items of the amount paid.
  const vanDijk = aDebtor({ id: 1, name: 'Van Dijk Consultancy' });
  const peters = aDebtor({ id: 2, name: 'Peters Metaal B.V.' });
  const wrong = anItem({ id: 3136, debtorId: 1, number: 'F2026-03136', open: '2199.60', due: '2026-10-20' });
  const older = anItem({ id: 1467, debtorId: 2, number: 'F2026-01467', open: '4889.61', due: '2026-09-01' });
  const meant = anItem({ id: 3137, debtorId: 2, number: 'F2026-03137', open: '4889.61', due: '2026-10-20' });

  it("suggests the payer's item of exactly the amount whose number is one keystroke off, not the other debtor's item", () => {
    const line = aLine({ amount: '4889.61', counterpartyName: 'PETERS METAAL B.V.', counterpartyIban: 'NL72ABNA3841670781', remittance: 'INV2026-03136' });
    const p = top(matchLines([line], aContext({ items: [wrong, older, meant], debtors: [vanDijk, peters] })))!;
    expect(p.allocations).toEqual([{ itemId: 3137, cents: 488961 }]);
    expect(p.kind).toBe('invoice-number');
    expect(p.confidence).toBeLessThan(90);
    expect(p.signals.join(' ')).toMatch(/one keystroke from F2026-03137/);
  });

  it('says so when the item is the only one of the amount', () => {
    const line = aLine({ amount: '4889.61', counterpartyName: 'Peters Metaal B.V.', remittance: 'Factuur F2026-03136' });
    const p = top(matchLines([line], aContext({ items: [wrong, meant], debtors: [vanDijk, peters] })))!;
    expect(p.allocations).toEqual([{ itemId: 3137, cents: 488961 }]);
    expect(p.signals.join(' ')).toMatch(/one keystroke/);
  });
});

describe('several open items of the same amount', () => {
  const jansen = aDebtor({ id: 1, name: 'Joost Hendriks', ibans: [IBAN_JANSEN] });
  const a = anItem({ id: 10, debtorId: 1, open: '278.98', due: '2026-09-01' });
  const b = anItem({ id: 11, debtorId: 1, open: '278.98', due: '2026-10-01' });

  it('gives the older item to the earlier payment, whichever line is more certain of its debtor', () => {
    // Line 1 (earlier) is known by name only; line 2 (later) by IBAN, so it is ranked with more confidence.
    const byName = aLine({ id: 1, amount: '278.98', bookingDate: '2026-11-17', counterpartyName: 'HENDRIKS J', counterpartyIban: 'NL61RABO6912839757' });
    const byIban = aLine({ id: 2, amount: '278.98', bookingDate: '2026-11-19', counterpartyName: 'Joost Hendriks', counterpartyIban: IBAN_JANSEN });
    const d = matchLines([byName, byIban], aContext({ items: [a, b], debtors: [jansen] }));
    expect(top(d, 1)!.allocations).toEqual([{ itemId: 10, cents: 27898 }]);
    expect(top(d, 2)!.allocations).toEqual([{ itemId: 11, cents: 27898 }]);
    expect(top(d, 2)!.confidence).toBeLessThan(90);
  });

  it("puts last the item an earlier import's waiting suggestion already takes", () => {
    const line = aLine({ amount: '278.98', counterpartyIban: IBAN_JANSEN });
    const ctx = { ...aContext({ items: [a, b], debtors: [jansen] }), suggestedElsewhere: new Set([10]) };
    const p = top(matchLines([line], ctx))!;
    expect(p.allocations).toEqual([{ itemId: 11, cents: 27898 }]);
    expect(top(matchLines([line], aContext({ items: [a, b], debtors: [jansen] })))!.allocations).toEqual([{ itemId: 10, cents: 27898 }]);
  });
});
