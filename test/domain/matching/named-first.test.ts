/** An invoice named in the text wins over an exact amount on another invoice; numbers with a space for a separator. */
import { describe, expect, it } from 'vitest';
import { matchLines } from '../../../src/domain/matching/engine.ts';
import { DEFAULT_MATCH_SETTINGS } from '../../../src/domain/matching/types.ts';
import { aContext, aDebtor, aLine, anItem, IBAN_JANSEN } from './builders.ts';

const T = DEFAULT_MATCH_SETTINGS.autoBookThreshold;

describe('the invoice named in the text comes first', () => {
  const named = anItem({ id: 1, number: '2026-01448', open: '242.00', due: '2026-10-15' });
  const other = anItem({ id: 2, number: '2026-01390', open: '121.00', due: '2026-09-30' });
  const ctx = aContext({ items: [named, other], debtors: [aDebtor({ ibans: [IBAN_JANSEN] })] });

  it('books a partial payment of the named invoice as partial, not in full to another invoice of that amount', () => {
    const [d] = matchLines([aLine({ amount: '121.00', counterpartyIban: IBAN_JANSEN, counterpartyName: 'Bakkerij Jansen', remittance: 'Deelbetaling factuur 2026-01448' })], ctx);
    const top = d!.proposals[0]!;
    expect(top).toMatchObject({ kind: 'partial', allocations: [{ itemId: 1, cents: 12100 }] });
    expect(top.confidence).toBeGreaterThanOrEqual(T);
    const alt = d!.proposals.find((p) => p.allocations.some((a) => a.itemId === 2));
    if (alt) expect(alt.confidence).toBeLessThan(T);
  });

  it('without a word for partial: the named invoice still ranks first, and nothing is booked without a look', () => {
    const [d] = matchLines([aLine({ amount: '121.00', counterpartyIban: IBAN_JANSEN, counterpartyName: 'Bakkerij Jansen', remittance: 'factuur 2026-01448' })], ctx);
    expect(d!.proposals[0]).toMatchObject({ kind: 'partial', allocations: [{ itemId: 1, cents: 12100 }] });
    for (const p of d!.proposals) if (p.allocations.some((a) => a.itemId === 2)) expect(p.confidence).toBeLessThan(d!.proposals[0]!.confidence);
  });

  it('recognises an invoice number written with a space for its separator', () => {
    for (const number of ['2026/01175', '2026-01175']) {
      const it = anItem({ id: 7, number, open: '99.95' });
      const [d] = matchLines([aLine({ amount: '99.95', counterpartyName: 'Onbekend', remittance: 'BETALING 2026 01175' })], aContext({ items: [it] }));
      expect(d!.proposals[0], number).toMatchObject({ kind: 'invoice-number', allocations: [{ itemId: 7, cents: 9995 }] });
      expect(d!.proposals[0]!.confidence, number).toBeGreaterThanOrEqual(T);
    }
  });
});
