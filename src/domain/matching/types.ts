/**
 * The matching engine's contract. The engine is pure: the store fetches candidate open items
 * (capped, indexed SQL) and the known IBAN→debtor links; `matchLines` ranks and decides.
 */
import type { MatchReason } from './reasons.ts';
import type { BankEntry } from '../bank-statement.ts';

/** A bank line as the matcher sees it (a stored BankEntry with its id). */
export type MatchLine = Pick<
  BankEntry,
  'cents' | 'currency' | 'bookingDate' | 'counterpartyName' | 'counterpartyIban' | 'structuredRef' | 'endToEndId' | 'mandateId' | 'remittance' | 'bankCode' | 'returnReason' | 'reversal' | 'info'
> & { readonly id: number };

/** An open item that a line could pay. `openCents` is signed: credit notes and unapplied payments are negative. */
export type CandidateItem = {
  readonly id: number;
  readonly debtorId: number;
  readonly number: string;
  readonly kind: 'invoice' | 'credit_note';
  readonly openCents: number;
  readonly amountCents: number;
  readonly currency: string;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly paymentReference: string | null;
};

export type CandidateDebtor = {
  readonly id: number;
  readonly number: string;
  readonly name: string;
  /** Known and learned IBANs (normalised: upper case, no spaces). */
  readonly ibans: readonly string[];
};

/** For returns and reversals: what an earlier booking of our own paid (by end-to-end id or the original line). */
export type PriorBooking = {
  readonly bookingId: number;
  readonly endToEndId: string | null;
  readonly cents: number;
  readonly allocations: readonly { readonly itemId: number; readonly cents: number }[];
};

export type MatchContext = {
  readonly items: readonly CandidateItem[];
  readonly debtors: readonly CandidateDebtor[];
  /** Pairs the user rejected before: never propose line-pattern → item again. Keyed `${iban ?? name}|${itemId}`. */
  readonly rejected: ReadonlySet<string>;
  readonly priorBookings: readonly PriorBooking[];
  /**
   * Items that the top suggestion of another line, still waiting for review, already pays (lines of
   * an earlier import). Of several open items of the same amount, these come last.
   */
  readonly suggestedElsewhere?: ReadonlySet<number>;
};

export type MatchKind =
  | 'reference'
  | 'end-to-end'
  | 'invoice-number'
  | 'combined'
  | 'iban-amount'
  | 'name-amount'
  | 'partial'
  | 'overpayment'
  | 'invoice-minus-credit'
  | 'return';

export type Allocation = { readonly itemId: number; readonly cents: number };

export type MatchProposal = {
  readonly lineId: number;
  readonly kind: MatchKind;
  /** 0..100: how sure the engine is. Booked automatically when ≥ the administration's threshold. */
  readonly confidence: number;
  readonly debtorId: number | null;
  /** What the line pays, per item. Sum of allocations + creditCents = line cents (for incoming money). */
  readonly allocations: readonly Allocation[];
  /** The part that becomes the debtor's credit balance (overpayment). */
  readonly creditCents: number;
  /** For returns/reversals: the booking to undo. */
  readonly reversesBookingId?: number;
  /** Why, as codes with parameters (reasons.ts), rendered in the reader's language where shown. */
  readonly reasons: readonly MatchReason[];
  /** The same reasons as English sentences (booking notes, logs, the export's text). */
  readonly signals: readonly string[];
};

export type LineDecision = {
  readonly lineId: number;
  /** Ranked, best first; empty when nothing fits (outgoing payments, salaries, interest …). */
  readonly proposals: readonly MatchProposal[];
};

export type MatchSettings = {
  /** Confidence at or above which a proposal is booked without a look (default 90). */
  readonly autoBookThreshold: number;
  readonly maxProposals: number;
};

export const DEFAULT_MATCH_SETTINGS: MatchSettings = { autoBookThreshold: 90, maxProposals: 5 };
