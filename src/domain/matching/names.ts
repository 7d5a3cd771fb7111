/**
 * Counterparty names as banks deliver them ("BAKKERIJ JANSEN B.V.", "J. de Vries", "Hr J DE VRIES")
 * against debtor names as they are in the administration. Normalisation removes what says nothing
 * about *who* pays (case, diacritics, punctuation, legal forms, titles); similarity is token-based so
 * that word order, initials and a typo still score high, while a different surname does not.
 */

/** Tokens that say nothing about identity: legal forms, titles, "'t". */
const NOISE_TOKENS = new Set([
  'bv', 'nv', 'vof', 'cv', 'holding', 'holdings', 'bvba', 'gmbh', 'ltd', 'llc', 'inc', 'sa', 'ag', 'eenmanszaak', 'coop', 'ua',
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
  return s.split(' ').filter((t) => t !== '' && !NOISE_TOKENS.has(t));
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

/** How well one token matches another: equal 1, an initial against a word starting with it 0.9, else Jaro-Winkler when high enough to be a typo. */
function tokenScore(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.9 : 0;
  if (Math.min(a.length, b.length) < 3) return 0;
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
