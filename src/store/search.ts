/**
 * Free-text search in the lists, case- and accent-insensitive through the database's one folding
 * function (`vorder_fold`, migration 20261202_0009): "zolc" finds "Żółć". The user's words are
 * LIKE patterns with their own `%`, `_` and `\` taken literally.
 */

/** `%text%` with LIKE's wildcards in the text escaped (the default escape character is `\`). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** At most this many words are searched (each must match); the rest of a pasted text is ignored. */
const MAX_WORDS = 6;

/**
 * The condition for a debtor search, `d` the debtors row and `$1` the administration. Every word
 * must match one of: name, number, an e-mail address, the phone number (digits only), a bank
 * account or part of one of the debtor's invoice numbers. The whole text, spaces removed, may also
 * be an IBAN or a phone number written in groups ("NL91 ABNA 0417 1643 00", "06 1234 5678").
 */
export function debtorSearchSql(search: string, params: unknown[]): string | null {
  const words = search.trim().split(/\s+/).filter((w) => w !== '').slice(0, MAX_WORDS);
  if (!words.length) return null;
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const ofWord = (w: string): string => {
    const alts = [
      `vorder_fold(d.name) LIKE vorder_fold(${p(containsPattern(w))})`,
      `vorder_fold(d.number) LIKE vorder_fold($${params.length})`,
      `vorder_fold(array_to_string(d.emails, ' ')) LIKE vorder_fold($${params.length})`,
    ];
    const digits = w.replace(/\D/g, '');
    if (digits.length >= 4 && /^[\d\s()+./-]+$/.test(w)) alts.push(`regexp_replace(coalesce(d.phone, ''), '[^0-9]', '', 'g') LIKE ${p(containsPattern(digits))}`);
    alts.push(...accountAndInvoice(w, p));
    return `(${alts.join(' OR ')})`;
  };
  const all = words.map(ofWord).join(' AND ');
  if (words.length === 1) return `(${all})`;
  // "NL91 ABNA 0417 1643 00" or "06 1234 5678": the words together
  const joined = words.join('');
  const extra: string[] = [];
  const digits = joined.replace(/\D/g, '');
  if (digits.length >= 6 && /^[\d\s()+./-]+$/.test(search.trim())) extra.push(`regexp_replace(coalesce(d.phone, ''), '[^0-9]', '', 'g') LIKE ${p(containsPattern(digits))}`);
  extra.push(...accountAndInvoice(joined, p));
  return extra.length ? `((${all}) OR ${extra.join(' OR ')})` : `(${all})`;
}

/** A bank account or an invoice number of the debtor containing the text (only for texts that can be one). */
function accountAndInvoice(text: string, p: (v: unknown) => string): string[] {
  const out: string[] = [];
  const compact = text.replace(/[\s.-]/g, '').toUpperCase();
  if (compact.length >= 4 && /^[A-Z0-9]+$/.test(compact) && /\d/.test(compact))
    out.push(`d.id IN (SELECT a.debtor_id FROM debtor_accounts a WHERE a.administration_id = $1 AND a.iban LIKE ${p(containsPattern(compact))})`);
  // part of an invoice number: only texts with a digit (invoice numbers have them), 3 characters or more
  if (text.length >= 3 && /\d/.test(text))
    out.push(`d.id IN (SELECT i.debtor_id FROM items i WHERE i.administration_id = $1 AND upper(i.number) LIKE ${p(containsPattern(text.toUpperCase()))})`);
  return out;
}

/** The condition for an item search, `i` the items row: part of the number or of the payment reference. */
export function itemSearchSql(search: string, params: unknown[]): string | null {
  const text = search.trim();
  if (!text) return null;
  params.push(containsPattern(text.toUpperCase()));
  const n = `$${params.length}`;
  params.push(containsPattern(text.replace(/[\s.]/g, '').toUpperCase()));
  return `(upper(i.number) LIKE ${n} OR upper(i.payment_reference) LIKE $${params.length})`;
}
