/**
 * SEPA direct debit mandates: identifier rules, status and the sequence type of a collection.
 * Rules: LEGAL.md 9.3 (fields), 9.4 (creditor identifier), 9.5 (36 months, FRST optional).
 */
import { addMonths, type IsoDate } from '../dates.ts';
import { isValidCreditorId } from '../references.ts';
import { identifierProblem, type IdentifierProblem } from './charset.ts';

export type Scheme = 'CORE' | 'B2B';
export const SCHEMES: readonly Scheme[] = ['CORE', 'B2B'];

/** Mandate reference: max 35 characters of the SEPA set, unique per creditor (LEGAL.md 9.3). */
export function mandateIdProblem(id: string): IdentifierProblem | null {
  return identifierProblem(id, 35);
}

/** Creditor identifier: the ISO 7064 MOD 97-10 check of `references.ts` (LEGAL.md 9.4). */
export function creditorIdProblem(id: string): 'invalid' | null {
  return isValidCreditorId(id) ? null : 'invalid';
}

/** A mandate lapses when it has not been used for 36 months (EPC SDD rulebook, LEGAL.md 9.5). */
export const LAPSE_MONTHS = 36;

export type MandateFacts = {
  readonly signatureDate: IsoDate;
  readonly recurring: boolean;
  readonly revokedAt: IsoDate | null;
  readonly lastUsedAt: IsoDate | null;
};

export type MandateStatus = 'active' | 'revoked' | 'expired';

export type MandateState =
  | { status: 'active'; lapsesAfter: IsoDate }
  | { status: 'revoked'; since: IsoDate }
  | { status: 'expired'; since: IsoDate; reason: 'unused_36_months' | 'one_off_used' };

/**
 * The state of a mandate on `asOf`. Revoked from the revocation date on. Expired on the day after
 * 36 months without a collection (counted from the last collection, or the signature when never
 * used). A one-off mandate is spent by its one collection.
 */
export function mandateState(m: MandateFacts, asOf: IsoDate): MandateState {
  if (m.revokedAt !== null && m.revokedAt <= asOf) return { status: 'revoked', since: m.revokedAt };
  if (!m.recurring && m.lastUsedAt !== null) return { status: 'expired', since: m.lastUsedAt, reason: 'one_off_used' };
  const lapsesAfter = addMonths(m.lastUsedAt ?? m.signatureDate, LAPSE_MONTHS);
  if (asOf > lapsesAfter) return { status: 'expired', since: lapsesAfter, reason: 'unused_36_months' };
  return { status: 'active', lapsesAfter };
}

export type SequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';

/**
 * The sequence type of the next collection. One-off mandates: OOFF. Recurring: RCUR, also for the
 * first collection — since the SDD rulebooks of 20-11-2016 FRST is optional and a first collection
 * may be sent as RCUR (LEGAL.md 9.3); `firstAsFrst` keeps the old practice for a bank that still
 * wants it. FNAL only when the creditor says this is the last one (it then ends the mandate).
 */
export function sequenceType(m: { recurring: boolean; lastUsedAt: IsoDate | null }, opts: { final?: boolean; firstAsFrst?: boolean } = {}): SequenceType {
  if (!m.recurring) return 'OOFF';
  if (opts.final) return 'FNAL';
  if (opts.firstAsFrst && m.lastUsedAt === null) return 'FRST';
  return 'RCUR';
}
