import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jaroWinkler, mayReachJaro, nameSimilarity, nameTokens, normaliseName, similarityTo, tokenSimilarity } from '../../../src/domain/matching/names.ts';

describe('normaliseName', () => {
  it.each([
    ['Bakkerij Jänsen B.V.', 'bakkerij jansen'],
    ['BAKKERIJ JANSEN BV', 'bakkerij jansen'],
    ["'t Hoekje Holding B.V.", 'hoekje'],
    ['De Groot Installatie v.o.f.', 'de groot installatie'],
    ['Dhr. P.J. de Vries', 'p j de vries'],
    ['Öztürk & Çelik N.V.', 'ozturk celik'],
  ])('%j → %j', (input, out) => expect(normaliseName(input)).toBe(out));
});

describe('nameSimilarity', () => {
  it('scores the same party high and different parties low', () => {
    expect(nameSimilarity('Bakkerij Jansen B.V.', 'BAKKERIJ JANSEN BV')).toBe(1);
    expect(nameSimilarity('De Groot Installatie', 'Installatie de Groot VOF')).toBe(1);
    expect(nameSimilarity('Jan de Vries', 'J. de Vries')).toBeGreaterThan(0.93);
    expect(nameSimilarity('Janssen Bouw', 'Jansen Bouw')).toBeGreaterThan(0.9);
    expect(nameSimilarity('Piet van Dam', 'Piet vanDam')).toBeGreaterThan(0.9);
    expect(nameSimilarity('Jan de Vries', 'Johan de Vries')).toBeLessThan(0.8);
    expect(nameSimilarity('Jan de Vries', 'Jan de Boer')).toBeLessThan(0.7);
    expect(nameSimilarity('Jan de Vries', 'Piet Bakker')).toBe(0);
    expect(nameSimilarity('Jansen', 'Bakkerij Jansen')).toBeGreaterThan(0.7);
  });

  it('is symmetric and within 0..1 (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z .'&-]{0,30}$/);
    fc.assert(
      fc.property(name, name, (a, b) => {
        const s = nameSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(nameSimilarity(b, a)).toBeCloseTo(s, 10);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('similarityTo gives exactly tokenSimilarity, one name against many (property)', () => {
    const name = fc.oneof(fc.stringMatching(/^[A-Za-z .'&-]{0,30}$/), fc.constantFrom('J. de Vries', 'Jan de Vries', 'de Vries J', 'Vries', 'vanderberg', 'Van der Berg', 'J Bos', 'Bos B.V.', 'Jansen', 'Janssen', 'A'));
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 12 }), (a, others) => {
        const ta = nameTokens(a);
        const sim = similarityTo(ta);
        for (const b of [...others, ...others]) expect(sim(nameTokens(b))).toBe(tokenSimilarity(ta, nameTokens(b)));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('mayReachJaro never rules out a pair that reaches the Jaro-Winkler of a typo (property)', () => {
    const token = fc.stringMatching(/^[a-f0-9p]{3,10}$/);
    fc.assert(
      fc.property(token, token, (a, b) => {
        if (jaroWinkler(a, b) >= 0.88) expect(mayReachJaro(a, b)).toBe(true);
      }),
      { numRuns: 3000, seed: 5 },
    );
    expect(mayReachJaro('jansen', 'janssen')).toBe(true);
    expect(mayReachJaro('jansen', 'bakker')).toBe(false);
  });

  it('jaroWinkler matches the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
});
