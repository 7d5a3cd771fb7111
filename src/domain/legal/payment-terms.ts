/**
 * B2B / B2G payment terms (art. 6:119a and 6:119b BW), LEGAL.md section 4.
 *  - nothing agreed: 30 days;
 *  - agreed more than 60 days: only if expressly agreed and not grossly unfair (lid 5) — we reject it
 *    unless the caller flags it as expressly agreed;
 *  - large company (art. 2:397 lid 1) paying an SME: max 30 days for contracts from 2022-07-01 and
 *    for existing contracts from 2023-07-01; max 60 days from 2017-07-01 (existing contracts from
 *    2018-07-01) until 2022-06-30. A longer clause is void and the statutory 30 days apply;
 *  - public authority as debtor (6:119b): 30 days, max 60 when expressly agreed and objectively
 *    justified.
 * [VERIFY] LEGAL.md 4: no newer Dutch change found; EU Late Payment Regulation stalled.
 */
import { addDays, isIsoDate, type IsoDate } from '../dates.ts';

export const DEFAULT_PAYMENT_TERM_DAYS = 30;
export const MAX_PAYMENT_TERM_DAYS = 60;

export type PaymentTermInput = {
  invoiceDate: IsoDate;
  /** Agreed term in days; undefined when nothing was agreed. */
  agreedDays?: number;
  /** Date of the contract with the payment clause; defaults to the invoice date. */
  contractDate?: IsoDate;
  /** Term above 60 days expressly agreed (and, for public authorities, objectively justified). */
  expresslyAgreed?: boolean;
  debtorIsLargeCompany?: boolean;
  creditorIsSme?: boolean;
  debtorIsPublicAuthority?: boolean;
};

export type PaymentTermResult =
  | { ok: true; days: number; dueDate: IsoDate; rule: 'default' | 'agreed' | 'large-to-sme-void' | 'expressly-agreed-over-60' }
  | { ok: false; error: string };

/** Maximum for a large company paying an SME on `invoiceDate` under a contract of `contractDate`, or null. */
export function largeToSmeMaxDays(invoiceDate: IsoDate, contractDate: IsoDate = invoiceDate): number | null {
  if (contractDate >= '2022-07-01' || invoiceDate >= '2023-07-01') return 30;
  if (contractDate >= '2017-07-01' || invoiceDate >= '2018-07-01') return 60;
  return null;
}

export function paymentTerm(input: PaymentTermInput): PaymentTermResult {
  if (!isIsoDate(input.invoiceDate)) return { ok: false, error: `not a date: ${input.invoiceDate}` };
  if (input.contractDate !== undefined && !isIsoDate(input.contractDate)) return { ok: false, error: `not a date: ${input.contractDate}` };
  const due = (days: number) => addDays(input.invoiceDate, days);
  const agreed = input.agreedDays;
  if (agreed === undefined) return { ok: true, days: DEFAULT_PAYMENT_TERM_DAYS, dueDate: due(DEFAULT_PAYMENT_TERM_DAYS), rule: 'default' };
  if (!Number.isInteger(agreed) || agreed < 0) return { ok: false, error: `the agreed term must be a whole number of days ≥ 0: ${agreed}` };

  if (input.debtorIsLargeCompany && input.creditorIsSme) {
    const max = largeToSmeMaxDays(input.invoiceDate, input.contractDate);
    if (max !== null && agreed > max)
      return { ok: true, days: DEFAULT_PAYMENT_TERM_DAYS, dueDate: due(DEFAULT_PAYMENT_TERM_DAYS), rule: 'large-to-sme-void' };
  }
  if (agreed > MAX_PAYMENT_TERM_DAYS) {
    if (!input.expresslyAgreed)
      return {
        ok: false,
        error: input.debtorIsPublicAuthority
          ? `a public authority may agree at most ${MAX_PAYMENT_TERM_DAYS} days, and more than 30 only when objectively justified (6:119b)`
          : `a term over ${MAX_PAYMENT_TERM_DAYS} days must be expressly agreed and not grossly unfair to the creditor (6:119a lid 5)`,
      };
    if (input.debtorIsPublicAuthority) return { ok: false, error: `a public authority may never agree more than ${MAX_PAYMENT_TERM_DAYS} days (6:119b)` };
    return { ok: true, days: agreed, dueDate: due(agreed), rule: 'expressly-agreed-over-60' };
  }
  if (input.debtorIsPublicAuthority && agreed > DEFAULT_PAYMENT_TERM_DAYS && !input.expresslyAgreed)
    return { ok: false, error: 'a public authority may agree more than 30 days only when expressly agreed and objectively justified (6:119b)' };
  return { ok: true, days: agreed, dueDate: due(agreed), rule: 'agreed' };
}
