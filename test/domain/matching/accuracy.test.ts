/**
 * The accuracy benchmark as a test: generated scenarios of 2,000 lines with ground truth.
 * Targets at the default threshold (90): precision of automatic bookings ≥ 99.8%, ≥ 90% of the
 * payments that belong to open items booked automatically, top suggestion right for ≥ 90% of the rest.
 */
import { describe, expect, it } from 'vitest';
import { matchLines } from '../../../src/domain/matching/engine.ts';
import { evaluateMatching, formatEvaluation } from '../../support/matching-evaluate.ts';
import { generateScenario, SCENARIO_MIX } from '../../support/matching-scenario.ts';
import { DEFAULT_MATCH_SETTINGS } from '../../../src/domain/matching/types.ts';

describe('accuracy on generated scenarios', () => {
  it.each([1, 2, 3, 4])('meets the targets with seed %i', (seed) => {
    const s = generateScenario({ seed, lines: 2000 });
    const e = evaluateMatching(s.truth, matchLines(s.lines, s.ctx), DEFAULT_MATCH_SETTINGS.autoBookThreshold);
    const table = formatEvaluation(e);
    expect(e.overall.precision, table).toBeGreaterThanOrEqual(0.998);
    expect(e.overall.recall, table).toBeGreaterThanOrEqual(0.9);
    expect(e.overall.suggestionRight, table).toBeGreaterThanOrEqual(0.9);
    expect(e.overall.noiseBooked, table).toBe(0);
    // The certain kinds are (nearly) always booked.
    expect(e.byKind.reference!.recall, table).toBeGreaterThanOrEqual(0.99);
    expect(e.byKind['invoice-number']!.recall, table).toBeGreaterThanOrEqual(0.97);
    expect(e.byKind.return!.precision, table).toBe(1);
  });

  it('generates the intended mix of lines', () => {
    const s = generateScenario({ seed: 9, lines: 2000 });
    const counts = new Map<string, number>();
    for (const t of s.truth) counts.set(t.kind, (counts.get(t.kind) ?? 0) + 1);
    for (const [kind, share] of SCENARIO_MIX) expect(Math.abs((counts.get(kind) ?? 0) / s.truth.length - share), kind).toBeLessThan(0.01);
    expect(s.lines.every((l) => Number.isSafeInteger(l.cents))).toBe(true);
  });
});

describe('determinism', () => {
  it('generates the same scenario for the same seed and a different one for another seed', () => {
    const a = generateScenario({ seed: 5, lines: 300 });
    const b = generateScenario({ seed: 5, lines: 300 });
    expect(b).toEqual(a);
    expect(generateScenario({ seed: 6, lines: 300 }).lines).not.toEqual(a.lines);
  });

  it('decides the same whatever the order of the context and the lines', () => {
    const s = generateScenario({ seed: 11, lines: 600 });
    const d1 = matchLines(s.lines, s.ctx);
    const d2 = matchLines(s.lines, s.ctx);
    expect(d2).toEqual(d1);
    const shuffled = { ...s.ctx, items: [...s.ctx.items].reverse(), debtors: [...s.ctx.debtors].reverse(), priorBookings: [...s.ctx.priorBookings].reverse() };
    const d3 = matchLines(s.lines, shuffled);
    expect(d3).toEqual(d1);
    const d4 = matchLines([...s.lines].reverse(), s.ctx);
    const byId = new Map(d4.map((d) => [d.lineId, d]));
    expect(d1.map((d) => byId.get(d.lineId))).toEqual(d1);
  });
});
