/**
 * (Lives in domain so that the matcher can use it; the parsers in formats/ produce it.)
 * The common shape every bank-statement parser (CAMT.053, MT940, bank CSV) returns.
 * One `BankEntry` is one payment as it is to be matched: a CAMT `Ntry` with one `TxDtls`, or
 * each `TxDtls` of a batch, or one MT940 `:61:`/`:86:` pair, or one CSV row.
 * Amounts are signed integer cents: money in (credit) is positive, money out (debit) negative.
 * Dates are kept exactly as the bank wrote them ('YYYY-MM-DD').
 */
export type StatementFormat = 'camt053' | 'mt940' | 'bank-csv' | 'coda';

export type Balance = { readonly date: string; readonly cents: number; readonly currency: string };

export type BankEntry = {
  /** The bank's reference for the entry: CAMT Ntry/AcctSvcrRef, else TxDtls/Refs/AcctSvcrRef, else the MT940 :61: bank reference (after //), else null. */
  readonly entryRef: string | null;
  /** Position of this transaction inside its entry (0 for a single one); batches have 0..n-1. */
  readonly txIndex: number;
  /** Number of transactions in the entry (1 unless a batch). */
  readonly txCount: number;
  readonly bookingDate: string;
  readonly valueDate: string | null;
  /** Signed cents: credit > 0, debit < 0. */
  readonly cents: number;
  readonly currency: string;
  /** True for a reversal (CAMT RvslInd, MT940 RC/RD). */
  readonly reversal: boolean;
  readonly counterpartyName: string | null;
  readonly counterpartyIban: string | null;
  readonly counterpartyBic: string | null;
  /** Structured creditor reference, with its issuer: 'CUR' (betalingskenmerk), 'ISO' (RF), or null when unknown. */
  readonly structuredRef: { readonly issuer: 'CUR' | 'ISO' | null; readonly value: string } | null;
  readonly endToEndId: string | null;
  readonly mandateId: string | null;
  /** Free remittance text (Ustrd lines joined with a space; MT940 REMI or the whole :86: when unstructured). */
  readonly remittance: string;
  /** Bank transaction code as written (CAMT Domn/Fmly/SubFmly joined with '/', or Prtry; MT940 type like NTRF/N541). */
  readonly bankCode: string | null;
  /** Return reason code for returned direct debits / credit transfers (e.g. AM04, MD06). */
  readonly returnReason: string | null;
  /** Additional free text (CAMT AddtlNtryInf, raw :86: for MT940). */
  readonly info: string | null;
  /** The payment information id of the batch this entry reports (CAMT TxDtls/Refs/PmtInfId or NtryDtls/Btch/PmtInfId); only when written. */
  readonly paymentInfoId?: string;
  /** The bank's words with a return (CAMT RtrInf/AddtlInf lines joined); only when written. */
  readonly returnInfo?: string;
  /** Charges the bank took on this transaction, in positive cents (CAMT Chrgs: TtlChrgsAndTaxAmt, else the sum of Rcrd/Amt or Amt); only when written. */
  readonly chargesCents?: number;
};

export type BankStatement = {
  readonly format: StatementFormat;
  /** Statement identifier (CAMT Stmt/Id, MT940 :20: + :28C:). */
  readonly statementId: string | null;
  readonly accountIban: string | null;
  /** Raw account identification when not an IBAN (e.g. MT940 :25: of a non-IBAN account). */
  readonly accountId: string | null;
  readonly currency: string | null;
  readonly openingBalance: Balance | null;
  readonly closingBalance: Balance | null;
  readonly entries: readonly BankEntry[];
};

/** A parse problem, located as precisely as the format allows. */
export type FormatError = {
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
};

export type ParseResult<T> = { readonly ok: true; readonly value: T; readonly warnings: readonly FormatError[] } | { readonly ok: false; readonly errors: readonly FormatError[] };

/** A file may hold several statements (MT940 multi-message files, CAMT with several Stmt). */
export type StatementFile = { readonly format: StatementFormat; readonly statements: readonly BankStatement[] };
