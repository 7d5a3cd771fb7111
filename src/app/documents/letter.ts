/**
 * Dunning letters as PDF (pdfkit, A4, DejaVu Sans embedded) and as plain text (mail body).
 *
 * `renderLetterPdf(letter)` is pure apart from reading the font files once per process: the same
 * letter gives the same bytes (the PDF creation date is the letter date). The layout follows a
 * Dutch business letter: creditor header, debtor address in the window of a window envelope
 * (left window, 50–90 mm from the top, as DIN 5008 B / common NL envelopes), date and references,
 * subject, body, a table of the items, amounts, payment details with an EPC QR code
 * (LEGAL.md section 8), closing, and a footer with the creditor's registration details.
 *
 * The amounts must add up (checked): total = principal + interest + costs + VAT, except for the
 * 14-dagenbrief, which only announces the collection costs (they become due if the debtor does not
 * pay within the term, LEGAL.md 2.2), so there total = principal + interest and the costs are
 * stated separately. The principal is the sum of the open item amounts (for a payment plan: the
 * total is the sum of the instalments).
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { epcQrPayload, EPC_MAX_CENTS } from '../../domain/epc-qr.ts';
import { assertCents, formatMoney, type Cents } from '../../domain/money.ts';
import { addDays, isIsoDate, type IsoDate } from '../../domain/dates.ts';
import { formatIban, formatRf, isValidBetalingskenmerk, isValidIban, isValidRf, normalizeIban, normalizeReference } from '../../domain/references.ts';
import { invalid } from '../errors.ts';
import { FONT_BOLD, FONT_REGULAR, installDejaVu } from './fonts.ts';
import {
  LABELS,
  LETTER_KINDS,
  LETTER_TEMPLATES,
  TemplateError,
  checkFourteenDayText,
  fillTemplate,
  type LetterKind,
  type LetterLanguage,
  type TemplateValues,
} from './templates.ts';

export type { LetterKind, LetterLanguage } from './templates.ts';

export type LetterItem = {
  /** Invoice number (for a payment plan: the instalment's name, e.g. "1" or "Termijn 1"). */
  number: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  openCents: Cents;
  interestCents?: Cents;
};

export type LetterCredit = { number: string; kind: 'credit_note' | 'unapplied_payment' | 'overpaid_invoice'; date: IsoDate; openCents: Cents };

/** What the debtor is asked to pay: the claim less its open credits. */
export function payableCents(letter: Pick<LetterData, 'totalCents' | 'credits'>): Cents {
  return letter.totalCents + (letter.credits ?? []).reduce((s, c) => s + c.openCents, 0);
}

export type LetterData = {
  language: LetterLanguage;
  kind: LetterKind;
  date: IsoDate;
  creditor: {
    name: string;
    addressLine: string;
    postalCode: string;
    city: string;
    iban: string;
    bic?: string;
    kvk?: string;
    vatNumber?: string;
    email?: string;
    logoPng?: Uint8Array;
  };
  debtor: { name: string; number: string; addressLine: string; postalCode: string; city: string; country?: string };
  items: LetterItem[];
  principalCents: Cents;
  interestCents: Cents;
  costsCents: Cents;
  /** VAT on the collection costs. */
  vatCents: Cents;
  totalCents: Cents;
  currency: string;
  /** Betalingskenmerk or RF reference (structured in the QR code), or any other text. */
  paymentReference: string;
  payBy?: IsoDate;
  fourteenDay?: { termEnd: IsoDate };
  /**
   * Open credits of the debtor (credit notes, payments not yet set against an invoice, overpaid
   * invoices), each ≤ 0: listed under the claim and deducted, the amount to pay is total + credits.
   */
  credits?: LetterCredit[];
  /** The debtor's own portal link (app/portal.ts): in the mail text, and as a short URL plus QR on paper. */
  portalUrl?: string;
  /** Overrides of the built-in template for this kind and language. */
  templateText?: { subject?: string; greeting: string; body: string[]; closing: string };
};

const NL_MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2025-03-05` → `5 maart 2025` / `5 March 2025`. */
export function longDate(d: IsoDate, lang: LetterLanguage): string {
  const m = Number(d.slice(5, 7)) - 1;
  return `${Number(d.slice(8, 10))} ${(lang === 'nl' ? NL_MONTHS : EN_MONTHS)[m]} ${d.slice(0, 4)}`;
}

/** `2025-03-05` → `05-03-2025` / `5 Mar 2025` (table columns). */
export function shortDate(d: IsoDate, lang: LetterLanguage): string {
  if (lang === 'nl') return `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
  return `${Number(d.slice(8, 10))} ${EN_MONTHS[Number(d.slice(5, 7)) - 1]!.slice(0, 3)} ${d.slice(0, 4)}`;
}

type Reference = { display: string; structured: string | null; text: string };

function classifyReference(ref: string): Reference {
  const trimmed = ref.trim();
  const norm = normalizeReference(trimmed);
  if (/^\d+$/.test(norm) && isValidBetalingskenmerk(norm)) return { display: norm.replace(/(\d{4})(?=\d)/g, '$1 '), structured: norm, text: trimmed };
  if (isValidRf(trimmed)) return { display: formatRf(trimmed), structured: trimmed.replace(/\s+/g, '').toUpperCase(), text: trimmed };
  return { display: trimmed, structured: null, text: trimmed };
}

/** Everything the PDF and the text version share, computed and checked once. */
type Prepared = {
  letter: LetterData;
  lang: LetterLanguage;
  labels: (typeof LABELS)[LetterLanguage];
  subject: string;
  greeting: string;
  body: string[];
  closing: string;
  ref: Reference;
  money: (c: Cents) => string;
  epc: string | null;
  summary: { label: string; amount: string; bold?: boolean }[];
  announcedCosts: string | null;
  plan: boolean;
  hasInterestColumn: boolean;
};

function check(letter: LetterData): void {
  const problems: { field: string; code: string; message: string }[] = [];
  const bad = (field: string, message: string) => problems.push({ field, code: 'invalid', message });
  if (letter.language !== 'nl' && letter.language !== 'en') bad('language', `must be nl or en, not "${String(letter.language)}"`);
  if (!LETTER_KINDS.includes(letter.kind)) bad('kind', `unknown letter kind "${String(letter.kind)}"`);
  if (!isIsoDate(letter.date)) bad('date', `not a date: "${letter.date}"`);
  if (letter.payBy !== undefined && !isIsoDate(letter.payBy)) bad('payBy', `not a date: "${letter.payBy}"`);
  if (!/^[A-Z]{3}$/.test(letter.currency)) bad('currency', `not an ISO 4217 code: "${letter.currency}"`);
  for (const [field, v] of [['principalCents', letter.principalCents], ['interestCents', letter.interestCents], ['costsCents', letter.costsCents], ['vatCents', letter.vatCents], ['totalCents', letter.totalCents]] as const) {
    try {
      assertCents(v);
    } catch {
      bad(field, `not a whole number of cents: ${v}`);
    }
  }
  if (!letter.paymentReference || letter.paymentReference.trim() === '') bad('paymentReference', 'is required');
  else if (letter.paymentReference.trim().length > 140) bad('paymentReference', 'at most 140 characters');
  if (!isValidIban(letter.creditor.iban)) bad('creditor.iban', `not a valid IBAN: "${letter.creditor.iban}"`);
  for (const [field, v] of [['creditor.name', letter.creditor.name], ['debtor.name', letter.debtor.name]] as const) if (!v || v.trim() === '') bad(field, 'is required');
  letter.items.forEach((it, i) => {
    if (!isIsoDate(it.issueDate)) bad(`items[${i}].issueDate`, `not a date: "${it.issueDate}"`);
    if (!isIsoDate(it.dueDate)) bad(`items[${i}].dueDate`, `not a date: "${it.dueDate}"`);
    if (!Number.isSafeInteger(it.openCents)) bad(`items[${i}].openCents`, `not a whole number of cents: ${it.openCents}`);
    if (it.interestCents !== undefined && !Number.isSafeInteger(it.interestCents)) bad(`items[${i}].interestCents`, `not a whole number of cents: ${it.interestCents}`);
  });
  if (letter.items.length === 0 && letter.kind !== 'statement') bad('items', 'at least one item is required');
  (letter.credits ?? []).forEach((c, i) => {
    if (!Number.isSafeInteger(c.openCents) || c.openCents > 0) bad(`credits[${i}].openCents`, `a credit is a whole number of cents ≤ 0, not ${c.openCents}`);
    if (!isIsoDate(c.date)) bad(`credits[${i}].date`, `not a date: "${c.date}"`);
  });
  if (letter.credits?.length && letter.kind === 'statement') bad('credits', 'a statement lists credits among its items');
  if (problems.length) throw invalid(`letter data: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

  const sumOpen = letter.items.reduce((s, it) => s + it.openCents, 0);
  const fourteen = letter.kind === 'fourteen_day_letter';
  const expectTotal = letter.principalCents + letter.interestCents + (fourteen ? 0 : letter.costsCents + letter.vatCents);
  if (letter.totalCents !== expectTotal)
    bad(
      'totalCents',
      fourteen
        ? `a 14-dagenbrief only announces the collection costs: total must be principal + interest = ${expectTotal}, not ${letter.totalCents}`
        : `must be principal + interest + costs + VAT = ${expectTotal}, not ${letter.totalCents}`,
    );
  if (letter.kind === 'payment_plan') {
    if (sumOpen !== letter.totalCents) bad('items', `the instalments add up to ${sumOpen}, the total is ${letter.totalCents}`);
  } else if (sumOpen !== letter.principalCents) bad('principalCents', `must be the sum of the open item amounts ${sumOpen}, not ${letter.principalCents}`);
  if (fourteen) {
    if (!letter.fourteenDay || !isIsoDate(letter.fourteenDay.termEnd)) bad('fourteenDay.termEnd', 'a 14-dagenbrief needs the end date of the term');
    else if (letter.fourteenDay.termEnd < addDays(letter.date, 15))
      bad('fourteenDay.termEnd', `${letter.fourteenDay.termEnd} is too early: fourteen days starting the day after receipt end on ${addDays(letter.date, 15)} at the earliest`);
    if (letter.costsCents <= 0) bad('costsCents', 'a 14-dagenbrief must state the collection costs amount');
  }
  if (problems.length) throw invalid(`letter data: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
}

/** The EPC QR payload for the letter's payment, or null when there is nothing to pay by QR (not EUR, amount ≤ 0). */
export function letterEpcPayload(letter: LetterData): string | null {
  const pay = payableCents(letter);
  if (letter.currency !== 'EUR' || pay <= 0 || pay > EPC_MAX_CENTS) return null;
  const ref = classifyReference(letter.paymentReference);
  const name = [...letter.creditor.name.trim()].slice(0, 70).join('');
  return epcQrPayload({
    name,
    iban: normalizeIban(letter.creditor.iban),
    ...(letter.creditor.bic ? { bic: letter.creditor.bic } : {}),
    cents: pay,
    ...(ref.structured ? { structuredRef: ref.structured } : { text: [...ref.text].slice(0, 140).join('') }),
  });
}

function prepare(letter: LetterData): Prepared {
  check(letter);
  const lang = letter.language;
  const labels = LABELS[lang];
  const money = (c: Cents) => formatMoney(c, letter.currency, lang);
  const ref = classifyReference(letter.paymentReference);
  const costsInclVat = letter.costsCents + letter.vatCents;
  const values: TemplateValues = {
    debtorName: letter.debtor.name.trim(),
    debtorNumber: letter.debtor.number,
    creditorName: letter.creditor.name.trim(),
    date: longDate(letter.date, lang),
    total: money(payableCents(letter)),
    principal: money(letter.principalCents),
    interest: money(letter.interestCents),
    costs: money(letter.costsCents),
    vat: money(letter.vatCents),
    costsInclVat: money(costsInclVat),
    costsVatNote: letter.vatCents > 0 ? labels.costsVatIncluded.replace('{vat}', money(letter.vatCents)) : labels.costsVatNone,
    reference: ref.display,
    referenceLabel: ref.structured ? labels.referenceLabelStructured : labels.referenceLabelText,
    iban: formatIban(letter.creditor.iban),
    itemCount: String(letter.items.length),
    invoiceNumbers: letter.items.map((i) => i.number).join(', '),
    ...(letter.creditor.bic ? { bic: letter.creditor.bic } : {}),
    ...(letter.creditor.email ? { creditorEmail: letter.creditor.email } : {}),
    ...(letter.payBy ? { payBy: longDate(letter.payBy, lang) } : {}),
    ...(letter.fourteenDay ? { termEnd: longDate(letter.fourteenDay.termEnd, lang) } : {}),
  };
  const builtIn = LETTER_TEMPLATES[letter.kind][lang];
  const tpl = { ...builtIn, ...letter.templateText, subject: letter.templateText?.subject ?? builtIn.subject };
  let subject: string, greeting: string, body: string[], closing: string;
  try {
    subject = fillTemplate(tpl.subject, values);
    greeting = fillTemplate(tpl.greeting, values);
    body = tpl.body.map((p) => fillTemplate(p, values));
    closing = fillTemplate(tpl.closing, values);
  } catch (e) {
    if (e instanceof TemplateError) {
      const hint = e.placeholder === 'payBy' ? ' (give the letter a payBy date)' : e.placeholder === 'termEnd' ? ' (give fourteenDay.termEnd)' : '';
      throw invalid(`template for ${letter.kind}/${lang}: ${e.message}${hint}`, [{ field: 'templateText', code: 'template', message: e.message }]);
    }
    throw e;
  }
  if (letter.kind === 'fourteen_day_letter') {
    const problems = checkFourteenDayText(lang, body.join(' '), money(costsInclVat));
    if (problems.length) throw invalid(`14-dagenbrief text: ${problems.join('; ')}`, problems.map((message) => ({ field: 'templateText', code: 'fourteen_day', message })));
  }

  const plan = letter.kind === 'payment_plan';
  const fourteen = letter.kind === 'fourteen_day_letter';
  const summary: Prepared['summary'] = [];
  const extra = letter.interestCents !== 0 || (!fourteen && (letter.costsCents !== 0 || letter.vatCents !== 0));
  if (extra && !plan) {
    summary.push({ label: labels.principal, amount: money(letter.principalCents) });
    if (letter.interestCents !== 0) summary.push({ label: labels.interestLine, amount: money(letter.interestCents) });
    if (!fourteen && letter.costsCents !== 0) summary.push({ label: labels.costsLine, amount: money(letter.costsCents) });
    if (!fourteen && letter.vatCents !== 0) summary.push({ label: labels.vatLine, amount: money(letter.vatCents) });
  }
  const totalLabel = letter.kind === 'statement' ? labels.totalStatement : plan ? labels.totalPlan : labels.total;
  const credits = letter.credits ?? [];
  if (credits.length) {
    summary.push({ label: labels.claimTotal, amount: money(letter.totalCents) });
    for (const c of credits) summary.push({ label: `${labels.creditKinds[c.kind]} ${c.number} (${shortDate(c.date, lang)})`, amount: money(c.openCents) });
    summary.push({ label: labels.total, amount: money(payableCents(letter)), bold: true });
  } else summary.push({ label: totalLabel, amount: money(letter.totalCents), bold: true });
  const announcedCosts = fourteen ? `${money(costsInclVat)}${letter.vatCents > 0 ? labels.costsVatIncluded.replace('{vat}', money(letter.vatCents)) : ''}` : null;

  return {
    letter,
    lang,
    labels,
    subject,
    greeting,
    body,
    closing,
    ref,
    money,
    epc: letterEpcPayload(letter),
    summary,
    announcedCosts,
    plan,
    hasInterestColumn: !plan && letter.items.some((i) => (i.interestCents ?? 0) !== 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------------------------

function postalLine(postalCode: string, city: string): string {
  return `${postalCode.trim()}  ${city.trim().toUpperCase()}`;
}

function countryLine(country: string | undefined): string | null {
  if (!country) return null;
  const c = country.trim();
  return c === '' || /^(nl|nld|nederland|the netherlands|netherlands)$/i.test(c) ? null : c.toUpperCase();
}

/** The words before the portal link, in the letter's language. */
export function portalLabel(lang: LetterLanguage): string {
  return lang === 'en' ? 'Pay online, respond, promise or propose a payment plan' : 'Online betalen, reageren, een betaalbelofte doen of een regeling voorstellen';
}

/** A portal link as printed: without the scheme, so it is short to type. */
export const shortUrl = (url: string) => url.replace(/^https?:\/\//, '');

/** The letter's subject line (template filled in), for the subject of the mail that carries the PDF. */
export function letterSubject(letter: LetterData): string {
  return prepare(letter).subject;
}

/** The letter as plain text, for the body of the mail that carries the PDF. */
export function letterText(letter: LetterData): string {
  const p = prepare(letter);
  const { labels: L, letter: l } = p;
  const out: string[] = [];
  out.push(`${L.date}: ${longDate(l.date, p.lang)}`, `${L.debtorNumber}: ${l.debtor.number}`, `${L.reference}: ${p.ref.display}`, '');
  out.push(p.subject, '', p.greeting, '');
  for (const para of p.body) out.push(para, '');
  if (l.items.length) {
    for (const it of l.items) {
      const cols = p.plan
        ? [`${L.instalment} ${it.number}`, `${L.dueDate.toLowerCase()} ${shortDate(it.dueDate, p.lang)}`, p.money(it.openCents)]
        : [`${L.invoice} ${it.number}`, `${L.invoiceDate.toLowerCase()} ${shortDate(it.issueDate, p.lang)}`, `${L.dueDate.toLowerCase()} ${shortDate(it.dueDate, p.lang)}`, p.money(it.openCents)];
      if (p.hasInterestColumn && it.interestCents) cols.push(`${L.interest.toLowerCase()} ${p.money(it.interestCents)}`);
      out.push(`- ${cols.join(', ')}`);
    }
    out.push('');
  }
  for (const s of p.summary) out.push(`${s.label}: ${s.amount}`);
  if (p.announcedCosts) out.push(`${L.announcedCosts}: ${p.announcedCosts}`);
  out.push('', `${L.payment}:`, `  ${L.amount}: ${p.money(payableCents(l))}`, `  ${L.iban}: ${formatIban(l.creditor.iban)}`);
  if (l.creditor.bic) out.push(`  ${L.bic}: ${l.creditor.bic}`);
  out.push(`  ${L.beneficiary}: ${l.creditor.name}`, `  ${p.ref.structured ? L.reference : L.referenceRowText}: ${p.ref.display}`);
  if (l.kind === 'fourteen_day_letter') out.push(`  ${L.term}: ${L.termText}`);
  else if (l.payBy) out.push(`  ${L.payBy}: ${longDate(l.payBy, p.lang)}`);
  if (l.portalUrl) out.push('', `${portalLabel(p.lang)}:`, l.portalUrl);
  out.push('', p.closing, l.creditor.name, '');
  const details = [l.creditor.addressLine, postalLine(l.creditor.postalCode, l.creditor.city), l.creditor.email ? `${L.email}: ${l.creditor.email}` : null, l.creditor.kvk ? `${L.kvk}: ${l.creditor.kvk}` : null, l.creditor.vatNumber ? `${L.vat}: ${l.creditor.vatNumber}` : null];
  out.push(details.filter((x): x is string => !!x).join(' | '));
  return out.join('\n');
}

/**
 * The letter as the HTML part of the mail (the plain text stays the other part): the same words,
 * paragraphs kept, every value escaped; no remote images or scripts.
 */
export function letterHtml(letter: LetterData, opts: { logoCid?: string } = {}): string {
  const esc = (t: string) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  // the portal link is a link (only that exact address: nothing else in the text becomes one)
  const line = (l: string) => (letter.portalUrl && l === letter.portalUrl ? `<a href="${esc(l)}">${esc(l)}</a>` : esc(l));
  const blocks = letterText(letter).split(/\n{2,}/).map((b) => `<p style="margin:0 0 12px">${b.split('\n').map(line).join('<br>')}</p>`);
  return `<!doctype html><html lang="${letter.language}"><head><meta charset="utf-8"><title>${esc(letterSubject(letter))}</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45;color:#1c1f24;max-width:640px">` +
    (opts.logoCid ? `<p style="margin:0 0 16px"><img src="cid:${esc(opts.logoCid)}" alt="${esc(letter.creditor.name)}" style="max-width:220px;max-height:80px"></p>` : '') +
    `${blocks.join('')}</body></html>`;
}

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

const MM = 72 / 25.4;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const LEFT = 25 * MM;
const RIGHT = PAGE_W - 20 * MM;
const WIDTH = RIGHT - LEFT;
const TOP = 15 * MM;
const BOTTOM_MARGIN = 21 * MM;
const MAX_Y = PAGE_H - BOTTOM_MARGIN;
const INK = '#1c1f24';
const MUTED = '#6b7280';
const RULE = '#d5d9df';
const TINT = '#f2f4f7';

type Doc = PDFKit.PDFDocument;

function at(doc: Doc, s: string, x: number, y: number): void {
  doc.text(s, x, y, { lineBreak: false });
}
function right(doc: Doc, s: string, xRight: number, y: number): void {
  doc.text(s, xRight - doc.widthOfString(s), y, { lineBreak: false });
}
/**
 * Break `s` into lines that fit `width` in the current font: at spaces, and inside a word only when
 * the word alone is too wide. At most `max` lines; only what still does not fit is cut (ellipsis).
 * For what a reader must copy exactly (a payment reference, a name): nothing is cut off silently.
 */
function wrap(doc: Doc, s: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = (piece: string) => {
    const next = line ? `${line} ${piece}` : piece;
    if (doc.widthOfString(next) <= width) { line = next; return; }
    if (line) lines.push(line);
    line = '';
    let rest = piece;
    while (doc.widthOfString(rest) > width) {
      let n = rest.length - 1;
      while (n > 1 && doc.widthOfString(rest.slice(0, n)) > width) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  };
  for (const word of s.split(/\s+/).filter(Boolean)) push(word);
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max - 1), fit(doc, lines.slice(max - 1).join(' '), width)];
}

/** Cut `s` to fit `width` in the current font, with an ellipsis. */
function fit(doc: Doc, s: string, width: number): string {
  if (doc.widthOfString(s) <= width) return s;
  let t = s;
  while (t.length > 1 && doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1);
  return `${t}…`;
}

/** Returns where the right column's letterhead ends. */
function drawHeader(doc: Doc, p: Prepared): number {
  const c = p.letter.creditor;
  if (c.logoPng) {
    doc.image(Buffer.from(c.logoPng.buffer, c.logoPng.byteOffset, c.logoPng.byteLength), LEFT, TOP, { fit: [60 * MM, 22 * MM] });
  } else {
    doc.font(FONT_BOLD).fontSize(17).fillColor(INK);
    wrap(doc, c.name, 95 * MM, 3).forEach((line, i) => at(doc, line, LEFT, TOP + 4 + i * 19));
  }
  const x = 135 * MM;
  const w = RIGHT - x;
  let y = TOP + 2;
  doc.font(FONT_BOLD).fontSize(8.5).fillColor(INK);
  for (const line of wrap(doc, c.name, w, 3)) {
    at(doc, line, x, y);
    y += 10.5;
  }
  y += 1;
  doc.font(FONT_REGULAR).fontSize(8).fillColor(MUTED);
  const lines = [c.addressLine, `${c.postalCode} ${c.city}`, '', c.email ? `${p.labels.email} ${c.email}` : null, `${p.labels.iban} ${formatIban(c.iban)}`, c.bic ? `${p.labels.bic} ${c.bic}` : null, c.kvk ? `${p.labels.kvk} ${c.kvk}` : null, c.vatNumber ? `${p.labels.vat} ${c.vatNumber}` : null];
  for (const line of lines) {
    if (line === null) continue;
    if (line !== '') at(doc, fit(doc, line, w), x, y);
    y += line === '' ? 5 : 10.5;
  }
  return y;
}

function drawAddress(doc: Doc, p: Prepared): void {
  const c = p.letter.creditor;
  const d = p.letter.debtor;
  const x = LEFT;
  const w = 85 * MM;
  let y = 48 * MM;
  doc.font(FONT_REGULAR).fontSize(6.5).fillColor(MUTED);
  // the return address above the window: on two lines when one is too short, never cut
  const sender = wrap(doc, `${c.name} · ${c.addressLine} · ${c.postalCode} ${c.city}`, w, 2);
  sender.forEach((line, i) => at(doc, line, x, y + i * 8));
  y += (sender.length - 1) * 8;
  doc.moveTo(x, y + 9).lineTo(x + Math.min(w, Math.max(...sender.map((line) => doc.widthOfString(line)))), y + 9).lineWidth(0.4).strokeColor(RULE).stroke();
  y += 17;
  doc.font(FONT_REGULAR).fontSize(10).fillColor(INK);
  const lines = [d.name, d.addressLine, postalLine(d.postalCode, d.city), countryLine(d.country)];
  for (const line of lines) {
    if (line === null || line.trim() === '') continue;
    at(doc, fit(doc, line, w), x, y);
    y += 13.5;
  }
}

/** Date and references beside the address window (right column). */
function drawReferences(doc: Doc, p: Prepared, below = 0): void {
  const x = 135 * MM;
  const w = RIGHT - x;
  let y = Math.max(52 * MM, below + 8); // under the letterhead, however many lines its name took
  const rows: [string, string][] = [
    [p.labels.date, longDate(p.letter.date, p.lang)],
    [p.labels.debtorNumber, p.letter.debtor.number],
    [p.ref.structured ? p.labels.reference : p.labels.referenceRowText, p.ref.display],
  ];
  for (const [label, value] of rows) {
    doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
    at(doc, label, x, y);
    doc.font(FONT_REGULAR).fontSize(9).fillColor(INK);
    const lines = wrap(doc, value, w, 3);
    lines.forEach((line, i) => at(doc, line, x, y + 9.5 + i * 11));
    y += 24 + (lines.length - 1) * 11;
  }
}

type Column = { label: string; width: number; align: 'left' | 'right'; value: (it: LetterItem) => string };

function columns(p: Prepared): Column[] {
  const L = p.labels;
  const dt = (d: IsoDate) => shortDate(d, p.lang);
  if (p.plan)
    return [
      { label: L.instalment, width: 0.4, align: 'left', value: (it) => it.number },
      { label: L.dueDate, width: 0.3, align: 'left', value: (it) => dt(it.dueDate) },
      { label: L.amount, width: 0.3, align: 'right', value: (it) => p.money(it.openCents) },
    ];
  const cols: Column[] = [
    { label: L.invoice, width: p.hasInterestColumn ? 0.26 : 0.34, align: 'left', value: (it) => it.number },
    { label: L.invoiceDate, width: p.hasInterestColumn ? 0.18 : 0.22, align: 'left', value: (it) => dt(it.issueDate) },
    { label: L.dueDate, width: p.hasInterestColumn ? 0.18 : 0.22, align: 'left', value: (it) => dt(it.dueDate) },
  ];
  if (p.hasInterestColumn) cols.push({ label: L.interest, width: 0.18, align: 'right', value: (it) => (it.interestCents ? p.money(it.interestCents) : '') });
  cols.push({ label: L.open, width: p.hasInterestColumn ? 0.2 : 0.22, align: 'right', value: (it) => p.money(it.openCents) });
  return cols;
}

function drawRow(doc: Doc, cols: Column[], cells: string[], y: number, bold: boolean): void {
  doc.font(bold ? FONT_BOLD : FONT_REGULAR).fontSize(bold ? 8 : 9).fillColor(bold ? MUTED : INK);
  let x = LEFT + 6;
  const inner = WIDTH - 12;
  cols.forEach((col, i) => {
    const w = col.width * inner;
    const s = fit(doc, cells[i] ?? '', w - 6);
    if (col.align === 'right') right(doc, s, x + w, y);
    else at(doc, s, x, y);
    x += w;
  });
}

const ROW_H = 17;

function drawTable(doc: Doc, p: Prepared, y0: number): number {
  const cols = columns(p);
  const header = (y: number) => {
    doc.rect(LEFT, y, WIDTH, ROW_H).fill(TINT);
    drawRow(doc, cols, cols.map((c) => c.label), y + 5, true);
    return y + ROW_H;
  };
  let y = p.letter.items.length ? header(y0) : y0;
  for (const it of p.letter.items) {
    if (y + ROW_H > MAX_Y) {
      doc.addPage();
      y = header(TOP + 10);
    }
    drawRow(doc, cols, cols.map((c) => c.value(it)), y + 4.5, false);
    y += ROW_H;
    doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(0.5).strokeColor(RULE).stroke();
  }
  // Amounts
  y += 8;
  const need = p.summary.length * 16 + (p.announcedCosts ? 22 : 0) + 6;
  if (y + need > MAX_Y) {
    doc.addPage();
    y = TOP + 10;
  }
  const labelX = RIGHT - 95 * MM;
  for (const s of p.summary) {
    if (s.bold) {
      doc.moveTo(labelX, y - 2).lineTo(RIGHT, y - 2).lineWidth(0.8).strokeColor(INK).stroke();
      y += 3;
      doc.font(FONT_BOLD).fontSize(10.5).fillColor(INK);
    } else doc.font(FONT_REGULAR).fontSize(9).fillColor(INK);
    at(doc, s.label, labelX, y);
    right(doc, s.amount, RIGHT - 6, y);
    y += s.bold ? 18 : 15;
  }
  if (p.announcedCosts) {
    doc.font(FONT_REGULAR).fontSize(8.5).fillColor(MUTED);
    const text = `${p.labels.announcedCosts}: ${p.announcedCosts}`;
    right(doc, fit(doc, text, RIGHT - LEFT), RIGHT - 6, y + 2);
    y += 18;
  }
  return y;
}

const QR_SIZE = 28 * MM;

function drawQr(doc: Doc, payload: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const data = qr.modules.data;
  const quiet = 2; // modules of white margin inside the white square (plus the page around it)
  const m = size / (n + 2 * quiet);
  doc.rect(x, y, size, size).fill('#ffffff');
  const ox = x + quiet * m;
  const oy = y + quiet * m;
  // One path of horizontal runs of dark modules, filled once: no seams, few operators.
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!data[r * n + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && data[r * n + c]) c++;
      doc.rect(ox + start * m, oy + r * m, (c - start) * m, m);
    }
  }
  doc.fill('#000000');
}

const PORTAL_QR = 20 * MM;

/** The portal link on paper: a QR code of the link and the link itself, short enough to type. */
function drawPortal(doc: Doc, p: Prepared, url: string, y0: number): number {
  let y = y0 + 8;
  if (y + PORTAL_QR > MAX_Y) {
    doc.addPage();
    y = TOP + 10;
  }
  drawQr(doc, url, LEFT, y, PORTAL_QR);
  doc.font(FONT_BOLD).fontSize(9.5).fillColor(INK);
  doc.text(portalLabel(p.lang), LEFT + PORTAL_QR + 10, y + 10, { width: WIDTH - PORTAL_QR - 10 });
  doc.font(FONT_REGULAR).fontSize(9.5).fillColor(INK);
  doc.text(shortUrl(url), LEFT + PORTAL_QR + 10, doc.y + 3, { width: WIDTH - PORTAL_QR - 10 });
  return y + PORTAL_QR;
}

function drawPayment(doc: Doc, p: Prepared, y0: number): number {
  const L = p.labels;
  const l = p.letter;
  const cells: [string, string][] = [[L.amount, p.money(payableCents(l))]];
  if (l.kind === 'fourteen_day_letter') cells.push([L.term, L.termText]);
  else if (l.payBy) cells.push([L.payBy, longDate(l.payBy, p.lang)]);
  cells.push([L.iban, formatIban(l.creditor.iban)]);
  if (l.creditor.bic) cells.push([L.bic, l.creditor.bic]);
  // the beneficiary and the reference are copied exactly by the payer: when one does not fit its
  // cell it gets the whole width and wraps, never cut off
  const pad = 11;
  const CELL_H = 23;
  const LINE_H = 11.5;
  const gridW0 = (p.epc ? RIGHT - pad - QR_SIZE - 14 : RIGHT - pad) - (LEFT + pad);
  doc.font(FONT_REGULAR).fontSize(9.5);
  const wide: [string, string][] = [];
  for (const cell of [[L.beneficiary, l.creditor.name], [p.ref.structured ? L.reference : L.referenceRowText, p.ref.display]] as [string, string][]) {
    if (doc.widthOfString(cell[1]) <= gridW0 / 2 - 8) cells.push(cell);
    else wide.push(cell);
  }
  const gridRows = Math.ceil(cells.length / 2);
  const wideLines = wide.map(([, value]) => wrap(doc, value, gridW0 - 8, 4));
  const wideH = wideLines.reduce((sum, ls) => sum + 9 + ls.length * LINE_H + 2.5, 0);
  const textH = 17 + gridRows * CELL_H + wideH;
  const qrBlock = p.epc ? QR_SIZE + 12 : 0;
  const h = Math.max(textH, qrBlock) + 2 * pad - 4;
  let y = y0 + 6;
  if (y + h > MAX_Y) {
    doc.addPage();
    y = TOP + 10;
  } else y = MAX_Y - h; // a payment slip at the foot of the page
  doc.roundedRect(LEFT, y, WIDTH, h, 4).fill(TINT);
  doc.font(FONT_BOLD).fontSize(9.5).fillColor(INK);
  at(doc, L.payment, LEFT + pad, y + pad);
  const colW = gridW0 / 2;
  cells.forEach(([label, value], i) => {
    const cx = LEFT + pad + (i % 2) * colW;
    const cy = y + pad + 17 + Math.floor(i / 2) * CELL_H;
    doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
    at(doc, label, cx, cy);
    doc.font(i === 0 ? FONT_BOLD : FONT_REGULAR).fontSize(9.5).fillColor(INK);
    at(doc, fit(doc, value, colW - 8), cx, cy + 9);
  });
  let wy = y + pad + 17 + gridRows * CELL_H;
  wide.forEach(([label], i) => {
    doc.font(FONT_REGULAR).fontSize(7.5).fillColor(MUTED);
    at(doc, label, LEFT + pad, wy);
    doc.font(FONT_REGULAR).fontSize(9.5).fillColor(INK);
    wideLines[i]!.forEach((line, k) => at(doc, line, LEFT + pad, wy + 9 + k * LINE_H));
    wy += 9 + wideLines[i]!.length * LINE_H + 2.5;
  });
  if (p.epc) {
    const qx = RIGHT - pad - QR_SIZE;
    const qy = y + pad - 3;
    drawQr(doc, p.epc, qx, qy, QR_SIZE);
    doc.font(FONT_BOLD).fontSize(7.5).fillColor(INK);
    const caption = L.scan;
    at(doc, caption, qx + (QR_SIZE - doc.widthOfString(caption)) / 2, qy + QR_SIZE + 2);
  }
  return y + h;
}

function drawFooters(doc: Doc, p: Prepared, first = doc.bufferedPageRange().start, count = doc.bufferedPageRange().count): void {
  const c = p.letter.creditor;
  const parts = [c.name, `${c.addressLine}, ${c.postalCode} ${c.city}`, c.kvk ? `${p.labels.kvk} ${c.kvk}` : null, c.vatNumber ? `${p.labels.vat} ${c.vatNumber}` : null].filter((x): x is string => !!x);
  for (let i = first; i < first + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = PAGE_H - 15 * MM;
    doc.moveTo(LEFT, y - 5).lineTo(RIGHT, y - 5).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font(FONT_REGULAR).fontSize(7).fillColor(MUTED);
    // two lines when one is too short (the footer has room below the rule)
    wrap(doc, parts.join('  ·  '), WIDTH - (count > 1 ? 60 : 0), 2).forEach((line, k) => at(doc, line, LEFT, y + k * 8.5));
    if (count > 1) right(doc, `${p.labels.page} ${i - first + 1}/${count}`, RIGHT, y);
    doc.page.margins.bottom = bottom;
  }
}

function newDoc(info: { title: string; author: string; subject: string; date: IsoDate; lang: LetterLanguage }, autoFirstPage = true): { doc: Doc; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: TOP, left: LEFT, right: PAGE_W - RIGHT, bottom: BOTTOM_MARGIN },
    bufferPages: true,
    autoFirstPage,
    font: null as unknown as string, // no default Helvetica: saves parsing its AFM per letter
    lang: info.lang === 'nl' ? 'nl-NL' : 'en-GB',
    info: { Title: info.title, Author: info.author, Subject: info.subject, Creator: 'Vorder', Producer: 'Vorder', CreationDate: new Date(`${info.date}T00:00:00Z`) },
  });
  installDejaVu(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

/** The letter's pages, from the current (fresh) page on. */
function drawLetter(doc: Doc, p: Prepared): void {
  const first = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
  const headerEnd = drawHeader(doc, p);
  drawAddress(doc, p);
  drawReferences(doc, p, headerEnd);
  doc.font(FONT_BOLD).fontSize(11).fillColor(INK);
  doc.text(p.subject, LEFT, 89 * MM, { width: WIDTH });
  doc.font(FONT_REGULAR).fontSize(9.5).fillColor(INK);
  doc.text(p.greeting, LEFT, doc.y + 10, { width: WIDTH });
  const paragraph = (text: string) => doc.text(text, LEFT, doc.y + 5.5, { width: WIDTH, lineGap: 1.5 });
  for (const para of p.body) paragraph(para);
  paragraph(p.closing);
  doc.text(p.letter.creditor.name, LEFT, doc.y + 12, { width: WIDTH });
  let y = drawTable(doc, p, doc.y + 13);
  if (p.letter.portalUrl) y = drawPortal(doc, p, p.letter.portalUrl, y);
  drawPayment(doc, p, y);
  const range = doc.bufferedPageRange();
  drawFooters(doc, p, first, range.start + range.count - first);
}

/** Render the letter as an A4 PDF. Throws `AppError('validation')` on inconsistent letter data. */
export async function renderLetterPdf(letter: LetterData): Promise<Uint8Array> {
  const p = prepare(letter);
  const { doc, done } = newDoc({ title: p.subject, author: letter.creditor.name, subject: `${p.subject} ${letter.debtor.number}`, date: letter.date, lang: p.lang });
  drawLetter(doc, p);
  doc.end();
  return done;
}

/**
 * A print batch: every letter preceded by an address page for a window envelope (the address in
 * the window of a DIN 5008 B / common NL envelope, the sender line above it), so the letters of a
 * run print as one file and each folds into its envelope with its address page on top.
 */
export async function renderPrintBatchPdf(letters: readonly LetterData[], date: IsoDate): Promise<Uint8Array> {
  const prepared = letters.map(prepare);
  const first = prepared[0];
  const { doc, done } = newDoc({ title: 'Printbatch', author: first?.letter.creditor.name ?? 'Vorder', subject: `Printbatch ${date}`, date, lang: first?.lang ?? 'nl' }, false);
  for (const p of prepared) {
    doc.addPage();
    drawAddress(doc, p);
    doc.font(FONT_REGULAR).fontSize(7).fillColor(MUTED);
    at(doc, `${p.letter.debtor.number} · ${p.subject}`, LEFT, PAGE_H - 15 * MM);
    doc.addPage();
    drawLetter(doc, p);
  }
  doc.end();
  return done;
}
