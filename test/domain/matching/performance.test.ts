/**
 * The engine must scale to 100,000 lines against 1,000,000 items: everything is indexed with Maps,
 * no lines × items loops. Speed is measured by `npm run bench`, never asserted here; this runs a
 * large context and checks that every line gets a decision.
 */
import { describe, expect, it } from 'vitest';
import { matchLines, rejectionKey } from '../../../src/domain/matching/engine.ts';
import { generateScenario } from '../../support/matching-scenario.ts';

describe('performance', () => {
  it('decides every one of 10,000 lines against ~95,000 items', () => {
    const s = generateScenario({ seed: 3, lines: 10_000, debtors: 35_000 });
    expect(s.ctx.items.length).toBeGreaterThan(80_000);
    const d = matchLines(s.lines, s.ctx);
    expect(d).toHaveLength(10_000);
    expect(new Set(d.map((x) => x.lineId)).size).toBe(10_000);
  });

  it('builds rejection keys the way ctx.rejected expects them', () => {
    expect(rejectionKey({ counterpartyIban: 'nl91 abna 0417 1643 00', counterpartyName: 'X' }, 7)).toBe('NL91ABNA0417164300|7');
    expect(rejectionKey({ counterpartyIban: null, counterpartyName: 'BAKKERIJ JANSEN B.V.' }, 7)).toBe('bakkerij jansen|7');
  });
});
