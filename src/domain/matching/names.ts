/**
 * Counterparty names as banks deliver them ("BAKKERIJ JANSEN B.V.", "J. de Vries", "Hr J DE VRIES")
 * against debtor names as they are in the administration. Normalisation removes what says nothing
 * about *who* pays (case, diacritics, punctuation, legal forms, titles); similarity is token-based so
 * that word order, initials and a typo still score high, while a different surname does not.
 */

/** Tokens that say nothing about identity: legal forms, titles, "'t". */
const NOISE_TOKENS = new Set([
  'bv', 'nv', 'vof', 'cv', 'holding', 'holdings', 'bvba', 'gmbh', 'ltd', 'llc', 'inc', 'sa', 'ag', 'eenmanszaak', 'coop', 'ua',
  'en', 'and', // 'Hoekstra en Zonen' is 'Hoekstra & Zn'
  'dhr', 'hr', 'heer', 'mw', 'mevr', 'mevrouw', 'mr', 'mrs', 'ms', 'ir', 'ing', 'drs', 'dr', 'fam', 'familie',
]);

/** 'Bakkerij Jänsen B.V.' → 'bakkerij jansen'; "'t Hoekje Holding" → 'hoekje'. */
export function normaliseName(name: string): string {
  return nameTokens(name).join(' ');
}

/** The identity-bearing tokens of a name, in their original order. */
export function nameTokens(name: string): string[] {
  const s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(^|\s)['’`]t\b/g, ' ')
    // Legal forms written with dots ("B.V.", "N. V.", "v.o.f.") become one token; other dots split ("P.J." → "p j").
    .replace(/\bb\.\s?v\b\.?/g, ' bv ')
    .replace(/\bn\.\s?v\b\.?/g, ' nv ')
    .replace(/\bv\.\s?o\.\s?f\b\.?/g, ' vof ')
    .replace(/\bc\.\s?v\b\.?/g, ' cv ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (s === '') return [];
  return s.split(' ').filter((t) => t !== '' && !NOISE_TOKENS.has(t)).map((t) => ABBREVIATIONS[t] ?? t);
}

/** How banks and payers shorten words of company names ('HOEKSTRA & ZN' is Hoekstra en Zonen). */
const ABBREVIATIONS: Record<string, string> = { zn: 'zonen', gebr: 'gebroeders', gebrs: 'gebroeders', stg: 'stichting', st: 'stichting', ver: 'vereniging', mij: 'maatschappij', mpij: 'maatschappij', int: 'international' };

/**
 * The party a payment is made for, when the text says so ('namens Bouwbedrijf De Wit', 't.b.v.
 * Visser BV', 'inzake …', 'on behalf of …'): a factoring company, a parent or a bookkeeper pays.
 */
export function onBehalfOf(text: string): string | null {
  const m = /(?:^|[\s/])(?:namens|ten behoeve van|t\.?\s?b\.?\s?v\.?|inzake|in opdracht van|i\.?o\.?v\.?|on behalf of)\s+([^,;:/]+?)(?=\s+(?:fa?ct(?:uur)?|fa?ctnr|inv(?:oice)?|nr|nummer|betreft|kenmerk)\b|\s+\d|[,;:/]|$)/i.exec(text);
  const name = m?.[1]?.trim();
  return name && nameTokens(name).length > 0 ? name : null;
}

/** Jaro-Winkler similarity 0..1 (prefix scale 0.1, at most 4 prefix characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length, lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const ma = new Uint8Array(la), mb = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window), hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (mb[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      ma[i] = 1;
      mb[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let t = 0, k = 0;
  for (let i = 0; i < la; i++) {
    if (!ma[i]) continue;
    while (!mb[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - t / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

const letterBit = (code: number): number => 1 << (code & 31);

/**
 * False when a and b cannot reach the Jaro-Winkler of a typo (≥ 0.88), told from their letters
 * alone: Jaro-Winkler ≤ 0.4 + 0.6 × Jaro and Jaro ≤ (m/|a| + m/|b| + 1) / 3, so it needs
 * m/|a| + m/|b| ≥ 1.4, where the m matching characters are at most the characters of either one
 * whose letter occurs in the other. Most pairs of different names stop here.
 */
export function mayReachJaro(a: string, b: string): boolean {
  let ma = 0, mb = 0;
  for (let i = 0; i < a.length; i++) ma |= letterBit(a.charCodeAt(i));
  for (let i = 0; i < b.length; i++) mb |= letterBit(b.charCodeAt(i));
  let ca = 0, cb = 0;
  for (let i = 0; i < a.length; i++) if (mb & letterBit(a.charCodeAt(i))) ca++;
  for (let i = 0; i < b.length; i++) if (ma & letterBit(b.charCodeAt(i))) cb++;
  const m = Math.min(ca, cb);
  return m / a.length + m / b.length >= 1.4 - 1e-9;
}

/** How well one token matches another: equal 1, an initial against a word starting with it 0.9, else Jaro-Winkler when high enough to be a typo. */
function tokenScore(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.9 : 0;
  if (Math.min(a.length, b.length) < 3) return 0;
  if (!mayReachJaro(a, b)) return 0;
  const jw = jaroWinkler(a, b);
  return jw >= (Math.min(a.length, b.length) < 4 ? 0.9 : 0.88) ? jw : 0;
}

/** Average over `from` of the best match in `to`, weighted by token length (initials weigh little). */
function coverage(from: readonly string[], to: readonly string[]): number {
  let total = 0, got = 0;
  for (const a of from) {
    const w = a.length === 1 ? 1.5 : Math.min(a.length, 8);
    let best = 0;
    for (const b of to) best = Math.max(best, tokenScore(a, b));
    total += w;
    got += w * best;
  }
  return total === 0 ? 0 : got / total;
}

/**
 * Token-set similarity of two names, 0..1. Symmetric. Equal after normalisation → 1; one name
 * contained in the other ('Jansen' ⊂ 'Bakkerij Jansen') → about 0.8; same tokens with a typo → ≥ 0.9.
 */
export function nameSimilarity(a: string, b: string): number {
  return tokenSimilarity(nameTokens(a), nameTokens(b));
}

export function tokenSimilarity(ta: readonly string[], tb: readonly string[]): number {
  if (ta.length === 0 || tb.length === 0) return 0;
  if (ta.join(' ') === tb.join(' ')) return 1;
  const ca = coverage(ta, tb), cb = coverage(tb, ta);
  const hi = Math.max(ca, cb), lo = Math.min(ca, cb);
  const tokenSet = 0.6 * hi + 0.4 * lo;
  // Words run together ("vanderberg" vs "van der berg"): compare the squashed forms, only then.
  let squashed = ta.join('') === tb.join('') ? 0.97 : 0;
  if ((ta.length === 1) !== (tb.length === 1)) {
    const jw = jaroWinkler(ta.join(''), tb.join(''));
    squashed = Math.max(squashed, jw >= 0.95 ? 0.97 * jw : 0);
  }
  return Math.min(1, Math.max(tokenSet, squashed));
}

/**
 * `tokenSimilarity(ta, ·)` for one name against many (a payer against the hundreds of debtors
 * sharing its surname): the same value, with the score of each token of the other names computed
 * once, since namesakes share most of their tokens.
 */
export function similarityTo(ta: readonly string[]): (tb: readonly string[]) => number {
  if (ta.length === 0) return () => 0;
  const squashedA = ta.join('');
  const weights = ta.map((a) => (a.length === 1 ? 1.5 : Math.min(a.length, 8)));
  const totalA = weights.reduce((x, y) => x + y, 0);
  // token b of the other name → the score of each token of ta against it, and its best score against ta
  const forward = new Map<string, number[]>();
  const backward = new Map<string, number>();
  const scoresOf = (b: string): number[] => {
    let v = forward.get(b);
    if (!v) forward.set(b, (v = ta.map((a) => tokenScore(a, b))));
    return v;
  };
  const bestOf = (b: string): number => {
    let v = backward.get(b);
    if (v === undefined) {
      v = 0;
      for (const a of ta) v = Math.max(v, tokenScore(b, a));
      backward.set(b, v);
    }
    return v;
  };
  const best = new Float64Array(ta.length);
  return (tb) => {
    if (tb.length === 0) return 0;
    // the same tokens (tokens hold no spaces, so this is joined === tb.join(' '))
    if (tb.length === ta.length && tb.every((b, i) => b === ta[i])) return 1;
    // coverage(ta, tb)
    best.fill(0);
    for (const b of tb) {
      const sc = scoresOf(b);
      for (let i = 0; i < sc.length; i++) if (sc[i]! > best[i]!) best[i] = sc[i]!;
    }
    let got = 0;
    for (let i = 0; i < ta.length; i++) got += weights[i]! * best[i]!;
    const ca = totalA === 0 ? 0 : got / totalA;
    // coverage(tb, ta)
    let total = 0;
    got = 0;
    for (const b of tb) {
      const w = b.length === 1 ? 1.5 : Math.min(b.length, 8);
      total += w;
      got += w * bestOf(b);
    }
    const cb = total === 0 ? 0 : got / total;
    const hi = Math.max(ca, cb), lo = Math.min(ca, cb);
    const tokenSet = 0.6 * hi + 0.4 * lo;
    let lengthB = 0;
    for (const b of tb) lengthB += b.length;
    const oneSide = (ta.length === 1) !== (tb.length === 1);
    if (lengthB !== squashedA.length && !oneSide) return Math.min(1, tokenSet);
    const squashedB = tb.join('');
    let squashed = squashedA === squashedB ? 0.97 : 0;
    if (oneSide) {
      const jw = jaroWinkler(squashedA, squashedB);
      squashed = Math.max(squashed, jw >= 0.95 ? 0.97 * jw : 0);
    }
    return Math.min(1, Math.max(tokenSet, squashed));
  };
}
