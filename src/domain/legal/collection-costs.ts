/**
 * Buitengerechtelijke incassokosten (BIK): the statutory staffel of the Besluit vergoeding voor
 * buitengerechtelijke incassokosten (Stb. 2012, 141) and the related rules of art. 6:96 BW.
 * LEGAL.md sections 1 and 2. Pure functions; amounts are integer cents.
 */
import { addDays, addMonths, type IsoDate } from '../dates.ts';
import { assertCents, mulDivRound, type Cents } from '../money.ts';

/** One band of the staffel; `rateMille` is the rate in thousandths (15% = 150). */
export type BikBand = { readonly sizeCents: Cents | null; readonly rateMille: number; readonly ratePercent: string };

/** BIK art. 2 lid 1: 15% / 10% / 5% / 1% / 0.5% over 2,500 / 2,500 / 5,000 / 190,000 / rest. */
export const BIK_BANDS: readonly BikBand[] = [
  { sizeCents: 250_000, rateMille: 150, ratePercent: '15' },
  { sizeCents: 250_000, rateMille: 100, ratePercent: '10' },
  { sizeCents: 500_000, rateMille: 50, ratePercent: '5' },
  { sizeCents: 19_000_000, rateMille: 10, ratePercent: '1' },
  { sizeCents: null, rateMille: 5, ratePercent: '0.5' },
];
/** BIK art. 2 lid 2: at least 40.00. */
export const BIK_MINIMUM_CENTS = 4_000;
/** BIK art. 2 lid 1: at most 6,775.00 (reached at a principal of exactly 1,000,000.00). */
export const BIK_MAXIMUM_CENTS = 677_500;
/** Art. 9 lid 1 Wet OB 1968, currently 21%. */
export const DEFAULT_VAT_PERCENT = 21;
/** Art. 6:96 lid 4 BW: minimum compensation in a handelsovereenkomst / with a public authority. */
export const B2B_MINIMUM_COMPENSATION_CENTS = 4_000;

export type BikBracketLine = {
  /** Lower bound of the band (principal cents). */
  fromCents: Cents;
  /** Upper bound of the band, or null for the open last band. */
  toCents: Cents | null;
  ratePercent: string;
  /** Part of the principal that falls in this band. */
  baseCents: Cents;
  /** Exact band amount in thousandths of a cent (base × rate, no rounding). */
  exactMilliCents: number;
  /** The band amount rounded half-up to cents, for display; the total is rounded once, not per band. */
  amountCents: Cents;
};

/**
 * When VAT may be added (BIK art. 2 lid 3, LEGAL.md 1.3): ALL of — the creditor cannot deduct VAT,
 * it uses a collection service on which VAT is charged, and it states both in the letter.
 */
export type BikVatInput = {
  creditorCanDeductVat: boolean;
  /** Default true: the costs are those of a VAT-taxed collection service. */
  collectionServiceChargesVat?: boolean;
  /** Default true: the letter states that VAT cannot be deducted and that the costs were increased. */
  statedInLetter?: boolean;
  /** Default 21. */
  ratePercent?: number;
};

export type BikInput = {
  /** One principal or the principals of all claims dunned together (6:96 lid 7): they are summed. */
  principalCents: Cents | readonly Cents[];
  /**
   * Interest capitalised under 6:119 lid 2 / 6:119a lid 3 (after each full year in verzuim) that may
   * be added to the base (LEGAL.md 1.2). Never running interest, earlier BIK or admin fees.
   */
  capitalisedInterestCents?: Cents;
  vat?: BikVatInput;
};

export type BikResult = {
  /** Principal(s) summed, plus capitalised interest. */
  baseCents: Cents;
  brackets: BikBracketLine[];
  /** Exact staffel amount in thousandths of a cent, before minimum/maximum. */
  staffelMilliCents: number;
  /** Staffel rounded half-up to cents, before minimum/maximum. */
  staffelCents: Cents;
  minimumApplied: boolean;
  maximumApplied: boolean;
  /** BIK excl. VAT. */
  costsCents: Cents;
  vatApplies: boolean;
  vatPercent: number;
  vatCents: Cents;
  /** BIK incl. VAT (= costsCents when no VAT applies). */
  totalCents: Cents;
};

/** Round a non-negative amount in thousandths of a cent half-up to cents. */
function roundMilli(milli: bigint): Cents {
  const r = Number((milli + 500n) / 1000n);
  assertCents(r);
  return r;
}

function sumPrincipal(p: Cents | readonly Cents[]): Cents {
  const list = typeof p === 'number' ? [p] : p;
  let total = 0;
  for (const c of list) {
    assertCents(c);
    total += c;
  }
  assertCents(total);
  return total;
}

export function vatApplies(vat: BikVatInput | undefined): boolean {
  return !!vat && !vat.creditorCanDeductVat && vat.collectionServiceChargesVat !== false && vat.statedInLetter !== false;
}

/**
 * BIK over the summed principal (LEGAL.md 1.5): staffel at full precision, then minimum 40.00 and
 * maximum 6,775.00, rounded half-up to cents (our convention; the law is silent). VAT, if it applies,
 * is added to the capped amount and rounded half-up again. A base of zero or less (nothing owed,
 * e.g. paid in full within the 14-day term, LEGAL.md S4) gives no costs at all.
 */
export function collectionCosts(input: BikInput): BikResult {
  const capInterest = input.capitalisedInterestCents ?? 0;
  assertCents(capInterest);
  if (capInterest < 0) throw new RangeError(`capitalised interest cannot be negative: ${capInterest}`);
  const base = sumPrincipal(input.principalCents) + capInterest;
  const vatOn = vatApplies(input.vat);
  const vatPercent = vatOn ? (input.vat?.ratePercent ?? DEFAULT_VAT_PERCENT) : 0;
  if (vatOn && (!Number.isInteger(vatPercent * 100) || vatPercent < 0)) throw new RangeError(`bad VAT percentage: ${vatPercent}`);

  const brackets: BikBracketLine[] = [];
  let rest = Math.max(base, 0);
  let from = 0;
  let milli = 0n;
  for (const band of BIK_BANDS) {
    const part = band.sizeCents === null ? rest : Math.min(rest, band.sizeCents);
    const exact = BigInt(part) * BigInt(band.rateMille);
    milli += exact;
    brackets.push({
      fromCents: from,
      toCents: band.sizeCents === null ? null : from + band.sizeCents,
      ratePercent: band.ratePercent,
      baseCents: part,
      exactMilliCents: Number(exact),
      amountCents: roundMilli(exact),
    });
    rest -= part;
    if (band.sizeCents !== null) from += band.sizeCents;
  }
  const staffelCents = roundMilli(milli);
  if (base <= 0) {
    return {
      baseCents: base, brackets, staffelMilliCents: 0, staffelCents: 0, minimumApplied: false, maximumApplied: false,
      costsCents: 0, vatApplies: vatOn, vatPercent, vatCents: 0, totalCents: 0,
    };
  }
  const minimumApplied = milli < BigInt(BIK_MINIMUM_CENTS) * 1000n;
  const maximumApplied = milli > BigInt(BIK_MAXIMUM_CENTS) * 1000n;
  const costsCents = minimumApplied ? BIK_MINIMUM_CENTS : maximumApplied ? BIK_MAXIMUM_CENTS : staffelCents;
  const vatCents = vatOn ? mulDivRound(costsCents, Math.round(vatPercent * 100), 10_000) : 0;
  return {
    baseCents: base,
    brackets,
    staffelMilliCents: Number(milli),
    staffelCents,
    minimumApplied,
    maximumApplied,
    costsCents,
    vatApplies: vatOn,
    vatPercent,
    vatCents,
    totalCents: costsCents + vatCents,
  };
}

/** Shorthand: BIK excl. VAT for a principal. */
export function bikCents(principalCents: Cents): Cents {
  return collectionCosts({ principalCents }).costsCents;
}

// ---------------------------------------------------------------------------------------------
// B2B / B2G (6:96 lid 4, LEGAL.md 2.4)
// ---------------------------------------------------------------------------------------------

export type B2bCostsInput = {
  principalCents: Cents | readonly Cents[];
  /** Last agreed or statutory day of payment. */
  dueDate: IsoDate;
  /** The day for which costs are computed. */
  asOf: IsoDate;
  /**
   * Contractually agreed costs, if any. A judge may moderate them to the staffel (HR 10-07-2015),
   * so they are reported separately and never lower the 40.00 floor.
   */
  agreedCostsCents?: Cents;
};

export type B2bCostsResult = {
  /** Day from which the minimum compensation is due without any reminder: dueDate + 1. */
  dueFrom: IsoDate;
  /** False before dueFrom: nothing is due yet. */
  due: boolean;
  /** 40.00 statutory minimum (0 before dueFrom). */
  minimumCents: Cents;
  /** BIK staffel amount (the default measure in B2B; 40.00 is only the floor). */
  staffelCents: Cents;
  /** The agreed costs (never below 40.00) if agreed, else the staffel (≥ 40.00). */
  claimCents: Cents;
  /** True when agreed costs exceed the staffel (the excess is open to moderation). */
  agreedExceedsStaffel: boolean;
};

/**
 * B2B collection costs (6:96 lid 4): at least 40.00, due from the day after the due date without an
 * aanmaning; the BIK staffel is the default measure (LEGAL.md S6, S7). Not for consumers.
 */
export function b2bCollectionCosts(input: B2bCostsInput): B2bCostsResult {
  const dueFrom = addDays(input.dueDate, 1);
  const due = input.asOf >= dueFrom;
  const bik = collectionCosts({ principalCents: input.principalCents });
  if (!due || bik.baseCents <= 0)
    return { dueFrom, due: false, minimumCents: 0, staffelCents: 0, claimCents: 0, agreedExceedsStaffel: false };
  const staffel = Math.max(bik.costsCents, B2B_MINIMUM_COMPENSATION_CENTS);
  const agreed = input.agreedCostsCents;
  if (agreed !== undefined) assertCents(agreed);
  const claim = agreed === undefined ? staffel : Math.max(agreed, B2B_MINIMUM_COMPENSATION_CENTS);
  return {
    dueFrom,
    due: true,
    minimumCents: B2B_MINIMUM_COMPENSATION_CENTS,
    staffelCents: staffel,
    claimCents: claim,
    agreedExceedsStaffel: agreed !== undefined && agreed > staffel,
  };
}

// ---------------------------------------------------------------------------------------------
// Wki cumulation cap (LEGAL.md 1.4) — [VERIFY exact text]
// ---------------------------------------------------------------------------------------------

/**
 * [VERIFY] LEGAL.md 1.4 gives these numbers from secondary sources only: for consumer claims below
 * 266.67 (where 15% would be < 40), total collection costs are capped at 140 per six-month window.
 * Which claims count, where the window starts and whether 140 includes VAT are not confirmed,
 * so everything is configurable. Defaults: threshold 266.67 (principal strictly below it counts),
 * cap 140.00 on costs excl. VAT, window of 6 months starting at the first counted claim and the next
 * window at the first counted claim on or after the previous window's end.
 */
export type WkiCapConfig = { thresholdCents: Cents; capCents: Cents; windowMonths: number };
export const WKI_CUMULATION_CAP_DEFAULT: WkiCapConfig = { thresholdCents: 26_667, capCents: 14_000, windowMonths: 6 };

export type WkiClaim = { date: IsoDate; principalCents: Cents; costsCents: Cents };
export type WkiCappedClaim = WkiClaim & { counted: boolean; windowStart: IsoDate | null; allowedCostsCents: Cents };

/**
 * Apply the cumulation cap to the costs of successive claims against one consumer (in date order;
 * the input is sorted stably by date). Claims at or above the threshold are not affected.
 */
export function applyWkiCumulationCap(claims: readonly WkiClaim[], config: WkiCapConfig = WKI_CUMULATION_CAP_DEFAULT): WkiCappedClaim[] {
  const sorted = claims.map((c, i) => ({ c, i })).sort((a, b) => (a.c.date < b.c.date ? -1 : a.c.date > b.c.date ? 1 : a.i - b.i));
  let windowStart: IsoDate | null = null;
  let windowEnd: IsoDate | null = null;
  let used = 0;
  const out: WkiCappedClaim[] = [];
  for (const { c } of sorted) {
    assertCents(c.costsCents);
    if (c.principalCents >= config.thresholdCents) {
      out.push({ ...c, counted: false, windowStart: null, allowedCostsCents: c.costsCents });
      continue;
    }
    if (windowEnd === null || c.date >= windowEnd) {
      windowStart = c.date;
      windowEnd = addMonths(c.date, config.windowMonths);
      used = 0;
    }
    const allowed = Math.max(0, Math.min(c.costsCents, config.capCents - used));
    used += allowed;
    out.push({ ...c, counted: true, windowStart, allowedCostsCents: allowed });
  }
  return out;
}
