/**
 * The engine must scale to 100,000 lines against 1,000,000 items: everything is indexed with Maps,
 * no lines × items loops. This runs a tenth of that and checks the time per line stays small.
 */
import { describe, expect, it } from 'vitest';
import { matchLines, rejectionKey } from '../../../src/domain/matching/engine.ts';
import { generateScenario } from '../../../src/domain/matching/scenario.ts';

describe('performance', () => {
  it('matches 10,000 lines against ~95,000 items in a few seconds', () => {
    const s = generateScenario({ seed: 3, lines: 10_000, debtors: 35_000 });
    expect(s.ctx.items.length).toBeGreaterThan(80_000);
    const t0 = performance.now();
    const d = matchLines(s.lines, s.ctx);
    const ms = performance.now() - t0;
    expect(d).toHaveLength(10_000);
    // ~0.3 ms per line on a laptop; generous for slow CI machines.
    expect(ms).toBeLessThan(20_000);
  });

  it('builds rejection keys the way ctx.rejected expects them', () => {
    expect(rejectionKey({ counterpartyIban: 'nl91 abna 0417 1643 00', counterpartyName: 'X' }, 7)).toBe('NL91ABNA0417164300|7');
    expect(rejectionKey({ counterpartyIban: null, counterpartyName: 'BAKKERIJ JANSEN B.V.' }, 7)).toBe('bakkerij jansen|7');
  });
});
