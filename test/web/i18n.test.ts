/** Texts with a count take their singular form for one ("1 post"), in both languages. */
import { describe, expect, it } from 'vitest';
import { dictionaries, translate } from '../../src/web/i18n.ts';

describe('translate', () => {
  it('uses the singular form for a count of one, as a number or as formatted text', () => {
    expect(translate('nl', 'items.count', { n: 1 })).toBe('1 post');
    expect(translate('nl', 'items.count', { n: '1' })).toBe('1 post');
    expect(translate('nl', 'items.count', { n: '1.234' })).toBe('1.234 posten');
    expect(translate('en', 'items.count', { n: 2 })).toBe('2 items');
    expect(translate('en', 'overview.items', { n: 1 })).toBe('1 item');
  });

  it('has every singular form in both languages', () => {
    const ones = (l: 'nl' | 'en') => Object.keys(dictionaries[l]).filter((k) => k.endsWith('.one')).sort();
    expect(ones('nl')).toEqual(ones('en'));
    for (const k of ones('nl')) expect(dictionaries.nl).toHaveProperty(k.slice(0, -4));
  });
});
