import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  betalingskenmerkResidue,
  formatIban,
  formatRf,
  generatePaymentReference,
  isValidBetalingskenmerk,
  isValidCreditorId,
  isValidIban,
  isValidRf,
  makeBetalingskenmerk,
  makeCreditorId,
  makeRf,
  normalizeIban,
  normalizeReference,
} from '../../src/domain/references.ts';

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const alnum = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 35 }), { minLength: min, maxLength: max }).map((a) => a.map((i) => ALNUM[i]).join(''));

describe('LEGAL.md 6.2 betalingskenmerk: published examples', () => {
  it.each(['5000056789012345', '12234534622567'])('%s is valid', (k) => {
    expect(isValidBetalingskenmerk(k)).toBe(true);
  });
  it('5000056789012345: A = 215, 215 mod 11 = 6, C = 5', () => {
    expect(betalingskenmerkResidue('000056789012345')).toBe(215 % 11);
    expect(makeBetalingskenmerk('000056789012345')).toBe('5000056789012345');
  });
});

describe('LEGAL.md 6.2 betalingskenmerk: Belastingdienst references are valid', () => {
  it.each([
    '5010002167010010', '3010002167042021', '0001041146910100', '9001041146812501', '2017166777600001',
    '0017166778854231', '8049244482480005', '2049244482400055', '3961307998410020', '7010002167510014',
    '0010002169723011', '5010002168523010', '1049230767824589', '3049230768724589', '1808980197629000',
    '8808980197829003', '2001041141201080', '4001041141301240', '1001041141401310', '6001041141201230',
    '2001041141201400', '6849613076003030', '6849613076803740', '4849613076903320', '1849613076103400',
  ])('%s', (k) => {
    expect(isValidBetalingskenmerk(k)).toBe(true);
    expect(makeBetalingskenmerk(k.slice(1))).toBe(k);
  });
});

describe('LEGAL.md 6.2 betalingskenmerk: generated (body -> kenmerk)', () => {
  it.each([
    ['000000000000001', 16, '9000000000000001'],
    ['123456789012345', 16, '0123456789012345'],
    ['1234567', 9, '271234567'],
    ['123456789', 11, '09123456789'],
    ['1234567890', 12, '701234567890'],
    ['12345678901', 13, '8112345678901'],
  ] as const)('%s -> length %i -> %s', (body, len, expected) => {
    const k = makeBetalingskenmerk(body);
    expect(k).toBe(expected);
    expect(k).toHaveLength(len);
    expect(isValidBetalingskenmerk(k)).toBe(true);
  });
});

describe('LEGAL.md 6.2 betalingskenmerk: negative vectors', () => {
  it('5000056789012346 (wrong C) is invalid', () => expect(isValidBetalingskenmerk('5000056789012346')).toBe(false));
  it('123456789012345 (15 digits) is invalid', () => expect(isValidBetalingskenmerk('123456789012345')).toBe(false));
  it('13234534622567 (wrong length code) is invalid', () => expect(isValidBetalingskenmerk('13234534622567')).toBe(false));
  it('ING sample 9001123412341234 does not pass the check (parsers must store it, not reject)', () =>
    expect(isValidBetalingskenmerk('9001123412341234')).toBe(false));
});

describe('LEGAL.md 6.1 betalingskenmerk: format rules', () => {
  it('7 digits carry no check digit and are always valid', () => {
    expect(isValidBetalingskenmerk('1234567')).toBe(true);
    expect(isValidBetalingskenmerk('0000000')).toBe(true);
  });
  it('8 and 15 digits are never valid', () => {
    fc.assert(fc.property(fc.oneof(digits(8, 8), digits(15, 15)), (k) => !isValidBetalingskenmerk(k)));
  });
  it('lengths outside 7..16 and non-digits are invalid', () => {
    for (const k of ['', '123456', '12345678901234567', '500005678901234A', 'RF18539007547034'])
      expect(isValidBetalingskenmerk(k)).toBe(false);
  });
  it('length code L: 9→7, 10→8, 11→9, 12→0, 13→1, 14→2', () => {
    for (const [len, l] of [[9, 7], [10, 8], [11, 9], [12, 0], [13, 1], [14, 2]] as const)
      expect(makeBetalingskenmerk('1'.repeat(len - 2))[1]).toBe(String(l));
  });
  it('spaces and dots are ignored', () => {
    expect(isValidBetalingskenmerk('5000 0567 8901 2345')).toBe(true);
    expect(isValidBetalingskenmerk('5000.0567.8901.2345')).toBe(true);
  });
  it('makeBetalingskenmerk refuses bodies of the wrong length or with non-digits', () => {
    for (const b of ['', '123456', '1234567890123', '12345678901234', '1234567890123456', '12345678901234X'])
      expect(() => makeBetalingskenmerk(b)).toThrow(RangeError);
  });
});

describe('betalingskenmerk properties', () => {
  it('make -> isValid round-trips for 15-digit bodies (16 digits, starts with the body)', () => {
    fc.assert(
      fc.property(digits(15, 15), (body) => {
        const k = makeBetalingskenmerk(body);
        return k.length === 16 && k.slice(1) === body && isValidBetalingskenmerk(k);
      }),
    );
  });
  it('make -> isValid round-trips for 7..12-digit bodies', () => {
    fc.assert(fc.property(digits(7, 12), (body) => isValidBetalingskenmerk(makeBetalingskenmerk(body))));
  });
  it('exactly one check digit is valid for each body', () => {
    fc.assert(
      fc.property(digits(15, 15), (body) =>
        Array.from({ length: 10 }, (_, c) => isValidBetalingskenmerk(`${c}${body}`)).filter(Boolean).length === 1,
      ),
    );
  });

  // The weights are 2^i mod 11, all non-zero mod 11, and |d' − d| ≤ 9, so a single-digit change of the
  // body always changes A mod 11. The map A mod 11 → C is injective except that residues 1 and 10 both
  // give C = 1 (11 − 1 = 10 → 1; 11 − 10 = 1). So a change is detected unless it moves the residue
  // between 1 and 10; a change of C itself is always detected.
  const missesGuaranteed = (a: string, b: string) => {
    const r = [betalingskenmerkResidue(a), betalingskenmerkResidue(b)].sort((x, y) => x - y);
    return r[0] === 1 && r[1] === 10;
  };

  it('any single-digit change is detected except where residues 1 and 10 collide', () => {
    fc.assert(
      fc.property(digits(15, 15), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const k = makeBetalingskenmerk(body);
        const changed = k.slice(0, pos) + String((Number(k[pos]) + delta) % 10) + k.slice(pos + 1);
        const expectValid = pos === 0 ? false : missesGuaranteed(k.slice(1), changed.slice(1));
        return isValidBetalingskenmerk(changed) === expectValid;
      }),
      { numRuns: 2000 },
    );
  });

  it('any single-digit change in 9..14-digit kenmerken is detected except residues 1/10 (L changes always)', () => {
    fc.assert(
      fc.property(digits(7, 12), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, p, delta) => {
        const k = makeBetalingskenmerk(body);
        const pos = p % k.length;
        const changed = k.slice(0, pos) + String((Number(k[pos]) + delta) % 10) + k.slice(pos + 1);
        const expectValid = pos <= 1 ? false : missesGuaranteed(k.slice(1), changed.slice(1));
        return isValidBetalingskenmerk(changed) === expectValid;
      }),
      { numRuns: 2000 },
    );
  });

  it('any adjacent swap of two different body digits is detected except residues 1/10', () => {
    // Adjacent weights differ by 2,4,3,5,1,2,4,3,5,1 (never 0 mod 11), so the same argument applies.
    fc.assert(
      fc.property(digits(15, 15), fc.integer({ min: 1, max: 14 }), (body, pos) => {
        const k = makeBetalingskenmerk(body);
        fc.pre(k[pos] !== k[pos + 1]);
        const swapped = k.slice(0, pos) + k[pos + 1] + k[pos] + k.slice(pos + 2);
        return isValidBetalingskenmerk(swapped) === missesGuaranteed(k.slice(1), swapped.slice(1));
      }),
      { numRuns: 2000 },
    );
  });

  it('the 1/10 collision is real: an undetected single-digit change exists', () => {
    // Search a concrete example: only kenmerken with C = 1 (residue 1 or 10) can be affected.
    let found: [string, string] | null = null;
    outer: for (let n = 0; n < 2000; n++) {
      const k = makeBetalingskenmerk(String(n).padStart(15, '0'));
      for (let pos = 1; pos < 16; pos++)
        for (let d = 0; d < 10; d++) {
          const c = k.slice(0, pos) + d + k.slice(pos + 1);
          if (c !== k && isValidBetalingskenmerk(c)) {
            found = [k, c];
            break outer;
          }
        }
    }
    expect(found).not.toBeNull();
    expect(found![0][0]).toBe('1');
  });
});

describe('LEGAL.md 7 ISO 11649 RF creditor reference', () => {
  it.each([
    ['539007547034', 'RF18539007547034'],
    ['5390075470Y', 'RF185390075470Y'],
    ['AB2G59X56V543', 'RF19AB2G59X56V543'],
    ['7', 'RF097'],
    ['INV2025001234', 'RF27INV2025001234'],
    ['2025000123', 'RF962025000123'],
    ['1234567890123456', 'RF941234567890123456'],
    ['000000000000000000001', 'RF74000000000000000000001'],
  ])('%s -> %s (valid)', (body, expected) => {
    expect(makeRf(body)).toBe(expected);
    expect(isValidRf(expected)).toBe(true);
  });
  it('RF17539007547034 is invalid', () => expect(isValidRf('RF17539007547034')).toBe(false));
  it('python-stdnum doctest: RF18 5390 0754 7034 (printed in groups) is valid', () =>
    expect(isValidRf('RF18 5390 0754 7034')).toBe(true));
  it('format: RF + 2 check digits + 1..21 of [0-9A-Z], 5..25 characters', () => {
    expect(isValidRf('RF18')).toBe(false);
    expect(isValidRf('RF7400000000000000000000010')).toBe(false); // 22 characters after the check
    expect(isValidRf('RF18-539007547034')).toBe(false);
    expect(isValidRf('XX18539007547034')).toBe(false);
    expect(() => makeRf('')).toThrow(RangeError);
    expect(() => makeRf('1234567890123456789012')).toThrow(RangeError);
    expect(() => makeRf('AB-12')).toThrow(RangeError);
  });
  it('lower case is accepted and upper-cased', () => {
    expect(isValidRf('rf19ab2g59x56v543')).toBe(true);
    expect(makeRf('ab2g59x56v543')).toBe('RF19AB2G59X56V543');
  });
  it('formatRf prints groups of 4', () => {
    expect(formatRf('RF18539007547034')).toBe('RF18 5390 0754 7034');
    expect(formatRf('RF097')).toBe('RF09 7');
    expect(formatRf('rf18 5390 0754 7034')).toBe('RF18 5390 0754 7034');
  });
  it('property: make -> isValid round-trips, check digits within 02..98', () => {
    fc.assert(
      fc.property(alnum(1, 21), (body) => {
        const rf = makeRf(body);
        const cc = Number(rf.slice(2, 4));
        return isValidRf(rf) && isValidRf(formatRf(rf)) && cc >= 2 && cc <= 98 && rf.slice(4) === body;
      }),
    );
  });
  it('property: single substitutions and adjacent swaps of like characters are detected (MOD 97-10)', () => {
    fc.assert(
      fc.property(alnum(2, 21), fc.nat(), fc.integer({ min: 1, max: 35 }), fc.boolean(), (body, p, delta, swap) => {
        const rf = makeRf(body);
        const pos = 4 + (p % body.length);
        let changed: string;
        if (swap) {
          // Guaranteed for two digits or two letters; a letter next to a digit can collide ('X3' vs '3X' = 333).
          fc.pre(pos + 1 < rf.length && rf[pos] !== rf[pos + 1] && /\d/.test(rf[pos]!) === /\d/.test(rf[pos + 1]!));
          changed = rf.slice(0, pos) + rf[pos + 1] + rf[pos] + rf.slice(pos + 2);
        } else {
          // Only digit→digit and letter→letter substitutions are guaranteed (a letter is two digits).
          const isDigit = /\d/.test(rf[pos]!);
          const alphabet = isDigit ? '0123456789' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
          const i = alphabet.indexOf(rf[pos]!);
          changed = rf.slice(0, pos) + alphabet[(i + (delta % (alphabet.length - 1)) + 1) % alphabet.length] + rf.slice(pos + 1);
        }
        return !isValidRf(changed);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('IBAN', () => {
  it.each([
    'NL91ABNA0417164300', 'DE89370400440532013000', 'DE33100205000001194700', 'BE68539007547034',
    'FR1420041010050500013M02606', 'GB29NWBK60161331926819', 'CH9300762011623852957', 'NO9386011117947',
    'AT611904300234573201', 'ES9121000418450200051332', 'IT60X0542811101000000123456', 'LU280019400644750000',
    'MT84MALT011000012345MTLCAST001S', 'GI75NWBK000000007099453', 'SM86U0322509800000000270100',
    'VA59001123000012345678', 'AD1200012030200359100100', 'MC5811222000010123456789030', 'LI21088100002324013AA',
    'IS140159260076545510730339', 'PL61109010140000071219812874', 'SE4550000000058398257466', 'FI2112345600000785',
    'DK5000400440116243', 'IE29AIBK93115212345678', 'PT50000201231234567890154',
  ])('%s is valid', (iban) => {
    expect(isValidIban(iban)).toBe(true);
    expect(isValidIban(formatIban(iban))).toBe(true);
  });
  it('every SEPA country has a length', async () => {
    const { IBAN_LENGTHS } = await import('../../src/domain/references.ts');
    const sepa = 'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH GB MC SM VA AD GI AL MD ME MK RS'.split(' ');
    for (const c of sepa) expect(IBAN_LENGTHS[c], c).toBeGreaterThanOrEqual(15);
    expect(IBAN_LENGTHS.NL).toBe(18);
  });
  it('rejects wrong checksum, wrong length, unknown country, bad NL structure', () => {
    expect(isValidIban('NL91ABNA0417164301')).toBe(false);
    expect(isValidIban('NL91ABNA041716430')).toBe(false);
    expect(isValidIban('XX91ABNA0417164300')).toBe(false);
    expect(isValidIban('NL9112340417164300')).toBe(false);
    expect(isValidIban('')).toBe(false);
    expect(isValidIban('NL91-ABNA-0417-1643-00')).toBe(false);
  });
  it('normalize and format', () => {
    expect(normalizeIban(' nl91 abna 0417 1643 00 ')).toBe('NL91ABNA0417164300');
    expect(formatIban('NL91ABNA0417164300')).toBe('NL91 ABNA 0417 1643 00');
    expect(formatIban('nl91abna0417164300')).toBe('NL91 ABNA 0417 1643 00');
    expect(isValidIban('nl91 abna 0417 1643 00')).toBe(true);
  });
  it('property: generated NL IBANs validate and any single substitution or adjacent swap is detected', () => {
    const makeNl = (bank: string, acct: string) => {
      const bban = bank + acct;
      const num = (bban + 'NL00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
      return `NL${String(98n - (BigInt(num) % 97n)).padStart(2, '0')}${bban}`;
    };
    const bank = fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 4, maxLength: 4 }).map((a) => a.map((i) => String.fromCharCode(65 + i)).join(''));
    fc.assert(
      fc.property(bank, digits(10, 10), fc.integer({ min: 8, max: 17 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (b, a, pos, delta, swap) => {
        const iban = makeNl(b, a);
        if (!isValidIban(iban)) return false;
        let changed: string;
        if (swap) {
          fc.pre(pos < 17 && iban[pos] !== iban[pos + 1]);
          changed = iban.slice(0, pos) + iban[pos + 1] + iban[pos] + iban.slice(pos + 2);
        } else changed = iban.slice(0, pos) + String((Number(iban[pos]) + delta) % 10) + iban.slice(pos + 1);
        return !isValidIban(changed);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('LEGAL.md 9.4 creditor identifier (Incassant ID)', () => {
  it.each([
    ['503992920000', 'NL06ZZZ503992920000'],
    ['999999991234', 'NL32ZZZ999999991234'],
    ['342838400000', 'NL39ZZZ342838400000'],
    ['123456780000', 'NL69ZZZ123456780000'],
  ])('NL %s -> %s', (national, expected) => {
    expect(makeCreditorId('NL', national)).toBe(expected);
    expect(isValidCreditorId(expected)).toBe(true);
    expect(expected).toHaveLength(19);
  });
  it('NL00ZZZ342838400000 (placeholder on a help page) is invalid', () =>
    expect(isValidCreditorId('NL00ZZZ342838400000')).toBe(false));
  it('DE example DE98ZZZ09999999999 is valid (same algorithm)', () => {
    expect(isValidCreditorId('DE98ZZZ09999999999')).toBe(true);
    expect(makeCreditorId('DE', '09999999999')).toBe('DE98ZZZ09999999999');
  });
  it('the business code is ignored in the check', () => {
    expect(isValidCreditorId('NL06ABC503992920000')).toBe(true);
    expect(makeCreditorId('NL', '503992920000', 'ABC')).toBe('NL06ABC503992920000');
  });
  it('rejects malformed identifiers', () => {
    expect(isValidCreditorId('NL06ZZZ50399292000')).toBe(false); // NL national id must be 12 digits
    expect(isValidCreditorId('NL07ZZZ503992920000')).toBe(false);
    expect(isValidCreditorId('06ZZZ503992920000')).toBe(false);
    expect(() => makeCreditorId('NL', '50399292')).toThrow(RangeError);
    expect(() => makeCreditorId('N', '503992920000')).toThrow(RangeError);
  });
  it('property: make -> isValid round-trips (NL)', () => {
    fc.assert(fc.property(digits(12, 12), (n) => isValidCreditorId(makeCreditorId('NL', n))));
  });
});

describe('generatePaymentReference', () => {
  it("'cur': 16-digit betalingskenmerk over admin(4) + counter(11)", () => {
    expect(generatePaymentReference('cur', 1, 1)).toBe('5000100000000001');
    expect(generatePaymentReference('cur', 12, 345)).toBe(makeBetalingskenmerk('001200000000345'));
  });
  it("'rf': RF + check + the same 15-digit body", () => {
    expect(generatePaymentReference('rf', 1, 1)).toBe('RF36000100000000001');
    expect(generatePaymentReference('rf', 12, 345)).toBe(makeRf('001200000000345'));
  });
  it('refuses out-of-range inputs', () => {
    expect(() => generatePaymentReference('cur', 10000, 1)).toThrow(RangeError);
    expect(() => generatePaymentReference('cur', -1, 1)).toThrow(RangeError);
    expect(() => generatePaymentReference('rf', 1, 100_000_000_000)).toThrow(RangeError);
    expect(() => generatePaymentReference('rf', 1, 1.5)).toThrow(RangeError);
  });
  it('property: both kinds validate and embed the body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99_999_999_999 }), (a, c) => {
        const body = String(a).padStart(4, '0') + String(c).padStart(11, '0');
        const cur = generatePaymentReference('cur', a, c);
        const rf = generatePaymentReference('rf', a, c);
        return isValidBetalingskenmerk(cur) && cur.slice(1) === body && isValidRf(rf) && rf.slice(4) === body;
      }),
    );
  });
});

describe('normalizeReference', () => {
  it('strips spaces and dots and upper-cases', () => {
    expect(normalizeReference('RF18 5390 0754 7034')).toBe('RF18539007547034');
    expect(normalizeReference(' rf19 ab2g 59x5 6v54 3 ')).toBe('RF19AB2G59X56V543');
    expect(normalizeReference('5000.0567.8901.2345')).toBe('5000056789012345');
    expect(normalizeReference('5000\t0567\n8901 2345')).toBe('5000056789012345');
  });
});
