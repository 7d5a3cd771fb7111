/**
 * The SEPA character set (EPC "Latin character set", LEGAL.md 9.3): a-z A-Z 0-9 / - ? : ( ) . , ' +
 * and space. Names and remittance text are transliterated into it; identifiers (mandate id,
 * EndToEndId) are refused when they contain anything else, since the bank echoes them back and a
 * silent change would break matching on the return.
 */

const ALLOWED = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

export function isSepaText(s: string): boolean {
  return ALLOWED.test(s);
}

/** Letters that do not decompose into a base letter plus accents. */
const SPECIAL: Readonly<Record<string, string>> = {
  ß: 'ss', Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', Œ: 'OE', œ: 'oe', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd',
  Þ: 'TH', þ: 'th', Ð: 'D', ð: 'd', ı: 'i', '&': '+', '_': '-', '"': "'", '‘': "'", '’': "'",
  '“': "'", '”': "'", '´': "'", '`': "'", ';': ',', '!': '.', '–': '-', '—': '-', '\t': ' ',
  '\n': ' ', '\r': ' ', '[': '(', ']': ')', '{': '(', '}': ')', '<': '(', '>': ')', '#': ' ',
  '*': '.', '=': '-', '|': '/', '\\': '/', '@': '(at)', '%': '.', '€': 'EUR', '~': '-', '^': ' ',
  $: ' ',
};

export type Transliteration = { ok: true; text: string } | { ok: false; bad: string };

/**
 * Accented letters lose their accents (é → e, ü → u), a few signs get their EPC-recommended stand-in
 * (& → +), runs of spaces collapse. A character with no stand-in (Cyrillic, CJK, emoji) is refused:
 * better an error naming it than a name the bank cannot print.
 */
export function toSepaText(input: string): Transliteration {
  let out = '';
  for (const ch of input.normalize('NFC')) {
    if (isSepaText(ch)) { out += ch; continue; }
    const special = SPECIAL[ch];
    if (special !== undefined) { out += special; continue; }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (base.length > 0 && isSepaText(base)) { out += base; continue; }
    return { ok: false, bad: ch };
  }
  return { ok: true, text: out.replace(/ {2,}/g, ' ').trim() };
}

/** Transliterate and cut to `max` characters (names 70, Ustrd 140). Throws on an untranslatable character. */
export function sepaText(input: string, max: number): string {
  const t = toSepaText(input);
  if (!t.ok) throw new RangeError(`character "${t.bad}" is outside the SEPA character set: "${input}"`);
  return t.text.slice(0, max).trimEnd();
}

export type IdentifierProblem = 'empty' | 'too_long' | 'charset' | 'slash' | 'space';

/**
 * Rules for SEPA identifiers (mandate id, EndToEndId, PmtInfId, MsgId): 1..max characters of the
 * SEPA set, no leading or trailing space, not starting or ending with "/" and no "//" (EPC rulebook,
 * LEGAL.md 9.3). Returns the first problem or null.
 */
export function identifierProblem(id: string, max = 35): IdentifierProblem | null {
  if (id.length === 0) return 'empty';
  if (id.length > max) return 'too_long';
  if (!isSepaText(id)) return 'charset';
  if (id !== id.trim()) return 'space';
  if (id.startsWith('/') || id.endsWith('/') || id.includes('//')) return 'slash';
  return null;
}
