/**
 * Rule-based suggestions on the new part of a reply (Dutch and English). A suggestion is only a
 * proposal: a person confirms it with one click, and only then is a promise, dispute, pause or
 * task made (app/inbound.ts). Dates without a year are the first such date on or after the day
 * the message arrived; "vandaag/today", "morgen/tomorrow", "gisteren/yesterday" count from it.
 */
import { addDays, isIsoDate, type IsoDate } from '../dates.ts';
import { parseAmount } from '../money.ts';

export type Suggestion =
  | { kind: 'paid'; date: IsoDate | null; amountCents: number | null; evidence: string }
  | { kind: 'promise'; date: IsoDate | null; amountCents: number | null; evidence: string }
  | { kind: 'dispute'; itemNumbers: string[]; reason: string; evidence: string }
  | { kind: 'copy_request'; evidence: string }
  | { kind: 'payment_plan'; evidence: string }
  | { kind: 'address_change'; email: string | null; evidence: string }
  | { kind: 'out_of_office'; until: IsoDate | null; evidence: string };

export type SuggestionKind = Suggestion['kind'];

const MONTHS: Record<string, number> = {
  januari: 1, jan: 1, january: 1, februari: 2, feb: 2, february: 2, maart: 3, mrt: 3, march: 3, mar: 3, april: 4, apr: 4, mei: 5, may: 5, juni: 6, jun: 6, june: 6, juli: 7, jul: 7, july: 7,
  augustus: 8, aug: 8, august: 8, september: 9, sep: 9, sept: 9, oktober: 10, okt: 10, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};
const MONTH_RE = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(y: number, m: number, d: number): IsoDate | null {
  const s = `${y}-${pad(m)}-${pad(d)}`;
  return isIsoDate(s) ? s : null;
}

/** The first date on or after `from` with this month and day. */
function nextOf(from: IsoDate, m: number, d: number): IsoDate | null {
  const y = Number(from.slice(0, 4));
  const a = ymd(y, m, d);
  if (a && a >= addDays(from, -31)) return a; // "28 november" written on 3 december is the past one
  return ymd(y + 1, m, d);
}

/** Every date written in `s`, in order, with where it stands. */
export function datesIn(s: string, today: IsoDate): { date: IsoDate; index: number }[] {
  const out: { date: IsoDate; index: number }[] = [];
  const year = (y: string | undefined) => (y === undefined ? null : y.length === 2 ? 2000 + Number(y) : Number(y));
  let m: RegExpExecArray | null;
  const numeric = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?\b/g;
  while ((m = numeric.exec(s))) {
    let d: IsoDate | null;
    if (m[1]) d = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    else {
      const dd = Number(m[4]), mm = Number(m[5]);
      if (mm < 1 || mm > 12 || dd < 1 || dd > 31) continue;
      const y = year(m[6]);
      // "1.234" in an amount is no date: a dot form needs a year
      if (y === null && s[m.index + m[4]!.length] === '.') continue;
      d = y === null ? nextOf(today, mm, dd) : ymd(y, mm, dd);
    }
    if (d) out.push({ date: d, index: m.index });
  }
  const dayMonth = new RegExp(`\\b(\\d{1,2})(?:e|ste|de|st|nd|rd|th)?\\s+(${MONTH_RE})\\.?(?:,?\\s+(\\d{4}))?\\b`, 'gi');
  while ((m = dayMonth.exec(s))) {
    const mm = MONTHS[m[2]!.toLowerCase()]!;
    const d = m[3] ? ymd(Number(m[3]), mm, Number(m[1])) : nextOf(today, mm, Number(m[1]));
    if (d) out.push({ date: d, index: m.index });
  }
  const monthDay = new RegExp(`\\b(${MONTH_RE})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?`, 'gi');
  while ((m = monthDay.exec(s))) {
    const mm = MONTHS[m[1]!.toLowerCase()]!;
    const d = m[3] ? ymd(Number(m[3]), mm, Number(m[2])) : nextOf(today, mm, Number(m[2]));
    if (d && !out.some((o) => o.date === d && Math.abs(o.index - m!.index) < 12)) out.push({ date: d, index: m.index });
  }
  const rel: [RegExp, number][] = [[/\b(vandaag|today)\b/gi, 0], [/\b(overmorgen|day after tomorrow)\b/gi, 2], [/\b(morgen|tomorrow)\b/gi, 1], [/\b(gisteren|yesterday)\b/gi, -1], [/\b(eergisteren)\b/gi, -2]];
  for (const [re, n] of rel) while ((m = re.exec(s))) if (!out.some((o) => o.index === m!.index)) out.push({ date: addDays(today, n), index: m.index });
  const weekdays: Record<string, number> = { maandag: 1, monday: 1, dinsdag: 2, tuesday: 2, woensdag: 3, wednesday: 3, donderdag: 4, thursday: 4, vrijdag: 5, friday: 5, zaterdag: 6, saturday: 6, zondag: 7, sunday: 7 };
  const wd = /\b(?:(volgende|aanstaande|next|this|deze)\s+)?(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi;
  while ((m = wd.exec(s))) {
    // "maandag 14 december" is the date that follows
    if (out.some((o) => o.index > m!.index && o.index - m!.index <= m![0].length + 3)) continue;
    const target = weekdays[m[2]!.toLowerCase()]!;
    const cur = ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    let diff = (target - cur + 7) % 7;
    if (diff === 0) diff = 7;
    out.push({ date: addDays(today, diff), index: m.index });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Amounts written with a currency sign or word: "€ 1.234,56", "EUR 500", "500 euro". */
export function amountsIn(s: string): { cents: number; index: number }[] {
  const out: { cents: number; index: number }[] = [];
  const re = /(?:€|\beur\b|\beuro\b)\s?(\d{1,3}(?:[.,\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:,-)?|\b(\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?(?:euro|eur)\b/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const raw = (m[1] ?? m[2]!).replace(/\s/g, '');
    const r = parseAmount(raw, { decimal: /[.,]\d{3}$/.test(raw) ? (raw.includes(',') && !raw.includes('.') ? '.' : ',') : 'auto' });
    if (r.ok && r.cents > 0) out.push({ cents: r.cents, index: m.index });
  }
  return out;
}

/** The sentence around a match (for the evidence shown to a person). */
function sentenceAt(s: string, index: number): string {
  const start = Math.max(s.lastIndexOf('.', index - 1), s.lastIndexOf('\n', index - 1), s.lastIndexOf('!', index - 1), s.lastIndexOf('?', index - 1)) + 1;
  const ends = ['\n', '. ', '!', '?'].map((c) => s.indexOf(c, index)).filter((i) => i >= 0);
  const end = ends.length ? Math.min(...ends) + 1 : s.length;
  return s.slice(start, end).replace(/\s+/g, ' ').trim().slice(0, 300);
}

const PAID = /\b(al|reeds|inmiddels|zojuist|net|gisteren|vandaag|eergisteren)\b[^.\n]{0,40}\b(betaald|overgemaakt|voldaan|overgeboekt)\b|\b(is|zijn|werd|werden|heb|hebben|heeft)\b[^.\n]{0,40}\b(betaald|overgemaakt|voldaan|overgeboekt)\b|\b(already|have|has been|was|were|just)\b[^.\n]{0,30}\b(paid|settled|transferred)\b|\bpayment (was|has been) (made|sent)\b|\bpaid (it|this|the invoice|in full)\b/i;
const PROMISE = /\b(zal|zullen|ga|gaan|gaat|wordt|worden|kan|kunnen|wil|willen|beloof|beloven|maak|maken)\b[^.\n]{0,60}\b(betalen|overmaken|voldoen|betaald|overgemaakt|voldaan|over)\b|\b(will|shall|'ll|going to|can|promise to)\b[^.\n]{0,40}\b(pay|transfer|settle)\b|\bbetaling (volgt|komt)\b|\bpayment will follow\b/i;
const DISPUTE = /\b(niet (mee )?(akkoord|eens)|onvolledig|incompleet|(don't|do not|don’t) agree|oneens|klopt niet|klopt het niet|onjuist|onterecht|betwist(en)?|geschil|reclam(atie|eren)|klacht|niet geleverd|nooit geleverd|niet besteld|nooit besteld|defect|kapot|beschadigd|te hoog|dubbel gefactureerd|creditnota|disagree|dispute[ds]?|incorrect|not correct|wrong|never (ordered|delivered|received the goods)|not (ordered|delivered)|damaged|faulty|broken|overcharged|charged twice|credit note)\b/i;
const COPY = /\b(kopie|kopy|duplicaat|(opnieuw|nogmaals|nog een keer) (toe)?(sturen|zenden|versturen|mailen)|(factuur|facturen|nota)[^.\n]{0,30}niet ontvangen|niet ontvangen[^.\n]{0,20}(factuur|facturen|nota)|copy of|send (me |us )?(a copy|the invoice|it) again|resend|re-send|duplicate|(never|not|haven't|have not|did not|didn't) (yet )?received (the|your|this|an?) invoice|can(no|')t find the invoice)\b/i;
const PLAN = /\b(betalingsregeling|afbetalingsregeling|regeling (treffen|maken|afspreken|voorstellen)|in (termijnen|delen|gedeelten)|gespreid (betalen|betaling)|per maand (betalen|aflossen)|payment (plan|arrangement|schedule)|instal(l)?ments?|pay in (parts|monthly)|spread (the )?payments?)\b/i;
const ADDRESS = /\b(nieuw(e)? (adres|e-?mail(adres)?|factuuradres|postadres)|adreswijziging|adres (is )?gewijzigd|verhuisd|ander(e)? (adres|e-?mail(adres)?)|(stuur|zend|mail)[^.\n]{0,40}(voortaan|vanaf nu|in het vervolg)|new (billing |postal |e-?mail )?address|changed (our|my) (e-?mail )?address|(have |has )?moved to|(please )?(send|address)[^.\n]{0,40}(from now on|in future|going forward))\b/i;
const OOO = /\b(afwezig|niet aanwezig|met vakantie|op vakantie|out of (the )?office|on (holiday|vacation|leave)|away from|not in the office|terug op|back on)\b/i;
const UNTIL = /\b(tot en met|t\/m|tot|until|till|through|terug op|weer aanwezig op|back on|return(ing)? on)\b/i;

/** Invoice-like numbers in a text (for a dispute's items and for finding the debtor). */
export function numbersIn(s: string): string[] {
  const out = new Set<string>();
  for (const m of s.matchAll(/\b(?=[A-Z0-9/-]*\d)([A-Z]{0,6}[-/]?\d{2,}(?:[-/][A-Z0-9]+)*)\b/gi)) {
    const t = m[1]!;
    if (t.length < 4 || /^\d{1,2}[-/]\d{1,2}([-/]\d{2,4})?$/.test(t) || /^\d{4}$/.test(t)) continue; // dates, years
    out.add(t.toUpperCase());
  }
  // a betalingskenmerk written in groups: "1234 5678 9012 3456"
  for (const m of s.matchAll(/\b(\d{4})[ .-](\d{4})[ .-](\d{4})[ .-](\d{4})\b/g)) out.add(m.slice(1, 5).join(''));
  for (const m of s.matchAll(/\bRF\s?\d{2}(?:\s?[0-9A-Z]{1,4}){1,6}\b/gi)) out.add(m[0].replace(/\s/g, '').toUpperCase());
  return [...out];
}

/**
 * The suggestions for the new part of a reply (`subject` helps: "Betaald: F2026-0042").
 * `today` is the day the message arrived. At most one suggestion per kind.
 */
export function suggest(fresh: string, subject: string, today: IsoDate): Suggestion[] {
  const s = `${subject.replace(/^((re|aw|antw|fw|fwd|wg)\s*:\s*)+/i, '')}\n${fresh}`;
  const out: Suggestion[] = [];
  const dates = datesIn(s, today);
  const amounts = amountsIn(s);
  const near = <T extends { index: number }>(xs: T[], at: number, span = 160) => xs.filter((x) => Math.abs(x.index - at) <= span).sort((a, b) => Math.abs(a.index - at) - Math.abs(b.index - at))[0] ?? null;
  const promise = PROMISE.exec(s);
  const paid = PAID.exec(s);
  // "we will pay" talks of the future even when "betaald" stands in it ("wordt betaald op 15 december")
  if (paid && !(promise && promise.index <= paid.index + paid[0].length && promise.index + promise[0].length >= paid.index)) {
    const d = near(dates.filter((x) => x.date <= today), paid.index);
    out.push({ kind: 'paid', date: d?.date ?? null, amountCents: near(amounts, paid.index)?.cents ?? null, evidence: sentenceAt(s, paid.index) });
  }
  // "we will not pay", "kan niet betalen": no promise
  if (promise && !out.some((x) => x.kind === 'paid') && !/\b(niet|not|never|geen|nooit|won't|cannot|can't)\b/i.test(promise[0])) {
    const d = near(dates.filter((x) => x.date >= today), promise.index, 200);
    out.push({ kind: 'promise', date: d?.date ?? null, amountCents: near(amounts, promise.index, 200)?.cents ?? null, evidence: sentenceAt(s, promise.index) });
  }
  const copy = COPY.exec(s);
  if (copy) out.push({ kind: 'copy_request', evidence: sentenceAt(s, copy.index) });
  const dispute = DISPUTE.exec(s);
  if (dispute) {
    const sentence = sentenceAt(s, dispute.index);
    out.push({ kind: 'dispute', itemNumbers: numbersIn(fresh).filter((n) => !/^\d{16}$/.test(n) && !/^RF/.test(n)), reason: sentence, evidence: sentence });
  }
  const plan = PLAN.exec(s);
  if (plan) {
    out.push({ kind: 'payment_plan', evidence: sentenceAt(s, plan.index) });
    // "we can pay in instalments": the plan is the request, not a promise without a date
    const i = out.findIndex((x) => x.kind === 'promise' && x.date === null);
    if (i >= 0) out.splice(i, 1);
  }
  const addr = ADDRESS.exec(s);
  if (addr) {
    const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/.exec(s.slice(addr.index, addr.index + 400))?.[0]?.toLowerCase() ?? null;
    out.push({ kind: 'address_change', email, evidence: sentenceAt(s, addr.index) });
  }
  const ooo = OOO.exec(s);
  if (ooo && !out.some((x) => x.kind === 'promise' || x.kind === 'paid')) out.push(outOfOffice(s, today, ooo.index));
  return out;
}

function outOfOffice(s: string, today: IsoDate, at: number): Suggestion & { kind: 'out_of_office' } {
  const u = UNTIL.exec(s.slice(at));
  let until: IsoDate | null = null;
  if (u) {
    const from = at + u.index;
    const d = datesIn(s, today).filter((x) => x.index >= from && x.index - from < 80 && x.date >= today)[0];
    if (d) until = /terug op|weer aanwezig|back on|return/i.test(u[0]) ? addDays(d.date, -1) : d.date;
  }
  return { kind: 'out_of_office', until, evidence: sentenceAt(s, at) };
}

/** An automatic reply's suggestion: out of office, until when (when it says). */
export function outOfOfficeOf(text: string, subject: string, today: IsoDate): Suggestion & { kind: 'out_of_office' } {
  const s = `${subject}\n${text}`;
  const ooo = OOO.exec(s);
  return outOfOffice(s, today, ooo ? ooo.index : 0);
}
