/**
 * Built-in texts of the dunning letters, as data (to become user-editable), and the placeholder
 * filler. A template is plain text with `{{name}}` placeholders; the values are computed by
 * `letter.ts` from the letter data (amounts and dates already formatted for the language).
 *
 * Rules of `fillTemplate`: one pass (a value is never expanded again), an unknown placeholder name
 * or a known one without a value throws `TemplateError` (never "undefined" in a letter), a stray
 * `{{` or `}}` throws, line breaks in values become spaces, and `escape: 'html'` escapes values
 * (not the template) for an HTML mail body.
 *
 * Legal content (LEGAL.md sections 2 and 5): the 14-dagenbrief must state the exact costs amount in
 * euros including VAT if any, a term of fourteen days starting the day after receipt (wording below,
 * checked by `checkFourteenDayText`) and the consequences of non-payment. The ingebrekestelling
 * names verzuim, statutory (commercial) interest and collection costs.
 */

export type LetterLanguage = 'nl' | 'en';
export type LetterKind =
  | 'reminder'
  | 'second_reminder'
  | 'demand'
  | 'notice_of_default'
  | 'fourteen_day_letter'
  | 'collection_handover'
  | 'statement'
  | 'payment_plan';

export const LETTER_KINDS: readonly LetterKind[] = [
  'reminder',
  'second_reminder',
  'demand',
  'notice_of_default',
  'fourteen_day_letter',
  'collection_handover',
  'statement',
  'payment_plan',
];

export type LetterTemplate = {
  /** Subject line ("Betreft"), also the default mail subject. */
  subject: string;
  greeting: string;
  /** Paragraphs. */
  body: string[];
  closing: string;
};

/**
 * Every placeholder a template may use. Which ones have a value depends on the letter: `payBy` only
 * when the letter has a pay-by date, `termEnd` only for a 14-dagenbrief, `bic`/`creditorEmail` only
 * when known.
 */
export const PLACEHOLDERS = [
  'debtorName',
  'debtorNumber',
  'creditorName',
  'creditorEmail',
  'date',
  'total',
  'principal',
  'interest',
  'costs',
  'vat',
  'costsInclVat',
  'costsVatNote',
  'reference',
  'referenceLabel',
  'iban',
  'bic',
  'payBy',
  'termEnd',
  'itemCount',
  'invoiceNumbers',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Partial<Record<Placeholder, string>>;

const KNOWN = new Set<string>(PLACEHOLDERS);

export class TemplateError extends Error {
  constructor(
    readonly placeholder: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

const TOKEN = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Placeholder names used in a text (in order, with repeats). Throws on a malformed `{{`/`}}`. */
export function templatePlaceholders(text: string): string[] {
  const names: string[] = [];
  const rest = text.replace(TOKEN, (_m, name: string) => {
    names.push(name);
    return '';
  });
  if (rest.includes('{{') || rest.includes('}}')) throw new TemplateError(null, `malformed placeholder in "${text}" (use {{name}})`);
  return names;
}

/** Problems of a user-edited template (unknown placeholders, malformed braces); [] when fine. */
export function validateTemplate(t: LetterTemplate): string[] {
  const problems: string[] = [];
  for (const [field, text] of [['subject', t.subject], ['greeting', t.greeting], ...t.body.map((b, i) => [`body[${i}]`, b]), ['closing', t.closing]] as const) {
    try {
      for (const name of templatePlaceholders(text)) if (!KNOWN.has(name)) problems.push(`${field}: unknown placeholder {{${name}}}`);
    } catch (e) {
      problems.push(`${field}: ${(e as Error).message}`);
    }
  }
  return problems;
}

/** Replace `{{name}}` by its value. See the module comment for the rules. */
export function fillTemplate(text: string, values: TemplateValues, opts: { escape?: 'html' } = {}): string {
  templatePlaceholders(text); // throws on malformed braces
  return text.replace(TOKEN, (_m, name: string) => {
    if (!KNOWN.has(name)) throw new TemplateError(name, `unknown placeholder {{${name}}} (known: ${PLACEHOLDERS.join(', ')})`);
    const v = (values as Record<string, unknown>)[name];
    if (typeof v !== 'string') throw new TemplateError(name, `placeholder {{${name}}} has no value for this letter`);
    const flat = v.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ');
    return opts.escape === 'html' ? escapeHtml(flat) : flat;
  });
}

/** The statutory wording the 14-dagenbrief must contain (LEGAL.md 2.2), per language. */
export const FOURTEEN_DAY_WORDING: Readonly<Record<LetterLanguage, string>> = {
  nl: 'binnen veertien dagen na de dag van ontvangst van deze brief',
  en: 'within fourteen days from the day after this letter was delivered to you',
};

/**
 * Check the filled text of a 14-dagenbrief: the statutory term wording and the exact costs amount
 * must both be present. Returns problems ([] when compliant).
 */
export function checkFourteenDayText(language: LetterLanguage, filledText: string, costsInclVat: string): string[] {
  const flat = filledText.replace(/\s+/g, ' ');
  const problems: string[] = [];
  if (!flat.includes(FOURTEEN_DAY_WORDING[language])) problems.push(`the text must contain "${FOURTEEN_DAY_WORDING[language]}"`);
  if (!flat.includes(costsInclVat)) problems.push(`the text must state the collection costs amount ${costsInclVat}`);
  return problems;
}

const PAY_NL = 'over te maken op rekening {{iban}} ten name van {{creditorName}}, onder vermelding van {{referenceLabel}} {{reference}}';
const PAY_NL_IMPERATIVE = 'over op rekening {{iban}} ten name van {{creditorName}}, onder vermelding van {{referenceLabel}} {{reference}}';
const PAY_EN = 'to account {{iban}} in the name of {{creditorName}}, quoting {{referenceLabel}} {{reference}}';

/** Built-in templates per kind and language. */
export const LETTER_TEMPLATES: Readonly<Record<LetterKind, Readonly<Record<LetterLanguage, LetterTemplate>>>> = {
  reminder: {
    nl: {
      subject: 'Betalingsherinnering',
      greeting: 'Geachte {{debtorName}},',
      body: [
        'Bij het nalopen van onze administratie zagen wij dat wij de betaling van het onderstaande bedrag nog niet hebben ontvangen. Waarschijnlijk is dit aan uw aandacht ontsnapt.',
        `Wij verzoeken u vriendelijk het openstaande bedrag van {{total}} uiterlijk {{payBy}} ${PAY_NL}.`,
        'Heeft u inmiddels betaald? Dan kunt u deze herinnering als niet verzonden beschouwen. Heeft u vragen over de factuur, neem dan gerust contact met ons op.',
      ],
      closing: 'Met vriendelijke groet,',
    },
    en: {
      subject: 'Payment reminder',
      greeting: 'Dear {{debtorName}},',
      body: [
        'According to our records, we have not yet received payment of the amount shown below. Perhaps this has escaped your attention.',
        `We kindly ask you to transfer the outstanding amount of {{total}} by {{payBy}} ${PAY_EN}.`,
        'If you have already paid, please disregard this reminder. If you have any questions about the invoice, please do not hesitate to contact us.',
      ],
      closing: 'Kind regards,',
    },
  },
  second_reminder: {
    nl: {
      subject: 'Tweede betalingsherinnering',
      greeting: 'Geachte {{debtorName}},',
      body: [
        'Onlangs stuurden wij u een herinnering voor het onderstaande bedrag. Tot op heden hebben wij uw betaling nog niet ontvangen.',
        `Wij verzoeken u dringend het openstaande bedrag van {{total}} uiterlijk {{payBy}} ${PAY_NL}.`,
        'Kunt u niet in één keer betalen of bent u het niet eens met de factuur? Neem dan vóór die datum contact met ons op, zodat wij samen naar een oplossing kunnen kijken.',
      ],
      closing: 'Met vriendelijke groet,',
    },
    en: {
      subject: 'Second payment reminder',
      greeting: 'Dear {{debtorName}},',
      body: [
        'We recently sent you a reminder for the amount shown below. To date, we have not received your payment.',
        `We urgently ask you to transfer the outstanding amount of {{total}} by {{payBy}} ${PAY_EN}.`,
        'If you cannot pay the full amount at once, or if you disagree with the invoice, please contact us before that date so that we can find a solution together.',
      ],
      closing: 'Kind regards,',
    },
  },
  demand: {
    nl: {
      subject: 'Aanmaning',
      greeting: 'Geachte {{debtorName}},',
      body: [
        'Ondanks onze eerdere herinneringen hebben wij de betaling van het onderstaande bedrag nog steeds niet ontvangen.',
        `Wij manen u hierbij aan het totale bedrag van {{total}} uiterlijk {{payBy}} ${PAY_NL}.`,
        'Blijft betaling uit, dan zijn wij genoodzaakt verdere stappen te nemen om onze vordering te innen. De kosten daarvan kunnen voor uw rekening komen.',
      ],
      closing: 'Met vriendelijke groet,',
    },
    en: {
      subject: 'Demand for payment',
      greeting: 'Dear {{debtorName}},',
      body: [
        'Despite our earlier reminders, we have still not received payment of the amount shown below.',
        `We hereby demand that you transfer the total amount of {{total}} by {{payBy}} ${PAY_EN}.`,
        'If payment is not made, we will have to take further steps to collect our claim. The costs of doing so may be charged to you.',
      ],
      closing: 'Kind regards,',
    },
  },
  notice_of_default: {
    nl: {
      subject: 'Ingebrekestelling',
      greeting: 'Geachte {{debtorName}},',
      body: [
        'Ondanks onze eerdere herinneringen heeft u het onderstaande bedrag niet binnen de overeengekomen betalingstermijn betaald. Hierbij stellen wij u formeel in gebreke: u bent in verzuim.',
        `Wij sommeren u het totale bedrag van {{total}} uiterlijk {{payBy}} ${PAY_NL}.`,
        'Vanaf de vervaldatum bent u de wettelijke handelsrente (artikel 6:119a BW) verschuldigd tot de dag van volledige betaling, en daarnaast de buitengerechtelijke incassokosten (artikel 6:96 BW). Beide zijn in het overzicht hieronder opgenomen.',
        'Ontvangen wij uw betaling niet tijdig, dan dragen wij de vordering zonder nadere aankondiging over aan een incassobureau of gerechtsdeurwaarder. De kosten daarvan komen voor uw rekening.',
      ],
      closing: 'Hoogachtend,',
    },
    en: {
      subject: 'Notice of default',
      greeting: 'Dear {{debtorName}},',
      body: [
        'Despite our earlier reminders, you have not paid the amount shown below within the agreed payment term. We hereby formally give you notice of default: you are in default (verzuim).',
        `We demand that you transfer the total amount of {{total}} by {{payBy}} ${PAY_EN}.`,
        'From the due date you owe statutory commercial interest (article 6:119a of the Dutch Civil Code) until the day of full payment, as well as extrajudicial collection costs (article 6:96 of the Dutch Civil Code). Both are included in the overview below.',
        'If we do not receive your payment in time, we will hand the claim over to a collection agency or bailiff without further notice. The costs of doing so will be charged to you.',
      ],
      closing: 'Yours faithfully,',
    },
  },
  fourteen_day_letter: {
    nl: {
      subject: 'Laatste aanmaning vóór incassokosten',
      greeting: 'Geachte {{debtorName}},',
      body: [
        'Ondanks onze eerdere herinneringen hebben wij de betaling van het onderstaande bedrag nog niet ontvangen. U bent daardoor in verzuim.',
        `Wij geven u hierbij de gelegenheid het bedrag van {{total}} te betalen ${FOURTEEN_DAY_WORDING.nl}. Wordt deze brief op de gebruikelijke postbezorgdag bij u bezorgd, dan is de laatste dag van deze termijn {{termEnd}}. Maak het bedrag ${PAY_NL_IMPERATIVE}.`,
        'Betaalt u niet binnen deze termijn, dan bent u naast het openstaande bedrag buitengerechtelijke incassokosten verschuldigd van {{costsInclVat}}{{costsVatNote}}, berekend volgens het Besluit vergoeding voor buitengerechtelijke incassokosten. Ook kunnen wij de vordering dan overdragen aan een incassobureau, en loopt de wettelijke rente door tot de dag van betaling.',
        'Aan deze brief zelf zijn geen kosten verbonden. Heeft u vragen of kunt u niet in één keer betalen, neem dan binnen deze termijn contact met ons op.',
      ],
      closing: 'Met vriendelijke groet,',
    },
    en: {
      subject: 'Final demand before collection costs',
      greeting: 'Dear {{debtorName}},',
      body: [
        'Despite our earlier reminders, we have not yet received payment of the amount shown below. You are therefore in default.',
        `We hereby give you the opportunity to pay the amount of {{total}} ${FOURTEEN_DAY_WORDING.en}. If this letter is delivered to you on the usual postal delivery day, the last day of this period is {{termEnd}}. Please transfer the amount ${PAY_EN}.`,
        'If you do not pay within this period, you will owe, in addition to the outstanding amount, extrajudicial collection costs of {{costsInclVat}}{{costsVatNote}}, calculated in accordance with the Dutch Extrajudicial Collection Costs Decree (Besluit vergoeding voor buitengerechtelijke incassokosten). We may then also hand the claim over to a collection agency, and statutory interest will continue to accrue until the day of payment.',
        'No costs are charged for this letter itself. If you have any questions, or if you cannot pay the full amount at once, please contact us within this period.',
      ],
      closing: 'Kind regards,',
    },
  },
  collection_handover: {
    nl: {
      subject: 'Aankondiging overdracht aan incassobureau',
      greeting: 'Geachte {{debtorName}},',
      body: [
        'Ondanks herhaalde aanmaningen heeft u het onderstaande bedrag niet betaald.',
        'Wij hebben daarom besloten de vordering uit handen te geven. Hebben wij uw betaling niet uiterlijk {{payBy}} ontvangen, dan dragen wij de vordering over aan een incassobureau. Vanaf dat moment loopt alle correspondentie via het incassobureau en komen de verdere kosten voor uw rekening.',
        `U kunt dit voorkomen door het bedrag van {{total}} uiterlijk {{payBy}} ${PAY_NL}.`,
      ],
      closing: 'Met vriendelijke groet,',
    },
    en: {
      subject: 'Notice of hand-over to a collection agency',
      greeting: 'Dear {{debtorName}},',
      body: [
        'Despite repeated demands, you have not paid the amount shown below.',
        'We have therefore decided to hand over the claim. If we have not received your payment by {{payBy}}, we will transfer the claim to a collection agency. From then on, all correspondence will go through the collection agency and any further costs will be charged to you.',
        `You can prevent this by transferring the amount of {{total}} by {{payBy}} ${PAY_EN}.`,
      ],
      closing: 'Kind regards,',
    },
  },
  statement: {
    nl: {
      subject: 'Rekeningoverzicht per {{date}}',
      greeting: 'Geachte {{debtorName}},',
      body: [
        'Hieronder vindt u een overzicht van de posten die volgens onze administratie op {{date}} openstaan onder debiteurnummer {{debtorNumber}}. Het totaal openstaande bedrag is {{total}}.',
        `Wij verzoeken u de vervallen posten ${PAY_NL}. Wijkt dit overzicht af van uw administratie, neem dan contact met ons op.`,
      ],
      closing: 'Met vriendelijke groet,',
    },
    en: {
      subject: 'Statement of account as at {{date}}',
      greeting: 'Dear {{debtorName}},',
      body: [
        'Below is an overview of the items that, according to our records, are open on {{date}} under customer number {{debtorNumber}}. The total amount outstanding is {{total}}.',
        `Please transfer the amounts that have fallen due ${PAY_EN}. If this statement differs from your records, please contact us.`,
      ],
      closing: 'Kind regards,',
    },
  },
  payment_plan: {
    nl: {
      subject: 'Bevestiging betalingsregeling',
      greeting: 'Geachte {{debtorName}},',
      body: [
        'Hierbij bevestigen wij de betalingsregeling die wij met u hebben afgesproken voor het bedrag van {{total}}.',
        `U betaalt dit bedrag in {{itemCount}} termijnen volgens het onderstaande schema. Wij verzoeken u elke termijn uiterlijk op de vervaldatum ${PAY_NL}.`,
        'Wordt een termijn niet op tijd betaald, dan vervalt de regeling en is het volledige resterende bedrag direct opeisbaar.',
      ],
      closing: 'Met vriendelijke groet,',
    },
    en: {
      subject: 'Confirmation of payment plan',
      greeting: 'Dear {{debtorName}},',
      body: [
        'We hereby confirm the payment plan we agreed with you for the amount of {{total}}.',
        `You will pay this amount in {{itemCount}} instalments according to the schedule below. Please transfer each instalment no later than its due date ${PAY_EN}.`,
        'If an instalment is not paid on time, the plan lapses and the full remaining amount becomes payable immediately.',
      ],
      closing: 'Kind regards,',
    },
  },
};

/** Fixed labels of the letter layout (not part of the editable templates). */
export const LABELS = {
  nl: {
    date: 'Datum',
    debtorNumber: 'Debiteurnummer',
    reference: 'Betalingskenmerk',
    subject: 'Betreft',
    invoice: 'Factuur',
    invoiceDate: 'Factuurdatum',
    dueDate: 'Vervaldatum',
    open: 'Openstaand',
    interest: 'Rente',
    instalment: 'Termijn',
    amount: 'Bedrag',
    principal: 'Hoofdsom',
    interestLine: 'Rente',
    costsLine: 'Buitengerechtelijke incassokosten',
    vatLine: 'Btw over incassokosten',
    total: 'Totaal te betalen',
    claimTotal: 'Totaal vordering',
    creditKinds: { credit_note: 'Af: creditnota', unapplied_payment: 'Af: ontvangen, nog niet verrekend', overpaid_invoice: 'Af: te veel betaald op' },
    totalStatement: 'Totaal openstaand',
    totalPlan: 'Totaal regeling',
    announcedCosts: 'Incassokosten bij betaling na de termijn',
    payment: 'Betaalgegevens',
    iban: 'IBAN',
    bic: 'BIC',
    beneficiary: 'Ten name van',
    payBy: 'Uiterlijk op',
    term: 'Termijn',
    termText: '14 dagen na ontvangst',
    scan: 'Scan en betaal',
    kvk: 'KvK',
    vat: 'Btw',
    email: 'E-mail',
    page: 'Pagina',
    referenceLabelStructured: 'betalingskenmerk',
    referenceLabelText: 'de omschrijving',
    referenceRowText: 'Omschrijving',
    costsVatIncluded: ' (inclusief {vat} btw)',
    costsVatNone: ' (hierover is geen btw verschuldigd)',
  },
  en: {
    date: 'Date',
    debtorNumber: 'Customer number',
    reference: 'Payment reference',
    subject: 'Subject',
    invoice: 'Invoice',
    invoiceDate: 'Invoice date',
    dueDate: 'Due date',
    open: 'Outstanding',
    interest: 'Interest',
    instalment: 'Instalment',
    amount: 'Amount',
    principal: 'Principal',
    interestLine: 'Interest',
    costsLine: 'Extrajudicial collection costs',
    vatLine: 'VAT on collection costs',
    total: 'Total amount due',
    claimTotal: 'Total claim',
    creditKinds: { credit_note: 'Less: credit note', unapplied_payment: 'Less: payment received, not yet allocated', overpaid_invoice: 'Less: overpaid on' },
    totalStatement: 'Total outstanding',
    totalPlan: 'Total of the plan',
    announcedCosts: 'Collection costs if paid after the term',
    payment: 'Payment details',
    iban: 'IBAN',
    bic: 'BIC',
    beneficiary: 'Beneficiary',
    payBy: 'Pay by',
    term: 'Term',
    termText: '14 days after delivery',
    scan: 'Scan to pay',
    kvk: 'CoC',
    vat: 'VAT',
    email: 'Email',
    page: 'Page',
    referenceLabelStructured: 'payment reference',
    referenceLabelText: 'the description',
    referenceRowText: 'Description',
    costsVatIncluded: ' (including {vat} VAT)',
    costsVatNone: ' (no VAT is charged on this amount)',
  },
} as const satisfies Record<LetterLanguage, Record<string, string | Record<string, string>>>;
