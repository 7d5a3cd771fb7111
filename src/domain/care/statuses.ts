/**
 * Debtor statuses and dispute reasons: the defaults an administration starts with (inserted on
 * first use, then the user's table). Only some statuses pause the chase for the whole debtor:
 * promise, payment plan and dispute do not, because those pause exactly what they cover (the
 * promised items, the plan's debtor, the disputed items) through their own records.
 */
export type DebtorStatusDef = { readonly key: string; readonly labelNl: string; readonly labelEn: string; readonly pausesChase: boolean; readonly sort: number };

export const DEFAULT_STATUSES: readonly DebtorStatusDef[] = [
  { key: 'normal', labelNl: 'Normaal', labelEn: 'Normal', pausesChase: false, sort: 10 },
  { key: 'watch', labelNl: 'Extra aandacht', labelEn: 'Watch', pausesChase: false, sort: 20 },
  { key: 'promise', labelNl: 'Betalingsbelofte', labelEn: 'Promise to pay', pausesChase: false, sort: 30 },
  { key: 'payment_plan', labelNl: 'Betalingsregeling', labelEn: 'Payment plan', pausesChase: false, sort: 40 },
  { key: 'dispute', labelNl: 'Geschil', labelEn: 'Dispute', pausesChase: false, sort: 50 },
  { key: 'collection_agency', labelNl: 'Incassobureau', labelEn: 'Collection agency', pausesChase: true, sort: 60 },
  { key: 'legal', labelNl: 'Juridisch', labelEn: 'Legal', pausesChase: true, sort: 70 },
  { key: 'written_off', labelNl: 'Afgeschreven', labelEn: 'Written off', pausesChase: true, sort: 80 },
  { key: 'on_hold', labelNl: 'On hold', labelEn: 'On hold', pausesChase: true, sort: 90 },
];

/**
 * Statuses the application sets by itself from the care records (an open promise, an active
 * plan, an open dispute) — but only while the debtor is in one of these; a status chosen by a
 * person (watch, legal, …) is never overwritten.
 */
export const AUTOMATIC_STATUSES: readonly string[] = ['normal', 'promise', 'payment_plan', 'dispute'];

/** The status the care records imply: plan before dispute before promise. */
export function impliedStatus(current: string, open: { plan: boolean; dispute: boolean; promise: boolean }): string {
  if (!AUTOMATIC_STATUSES.includes(current)) return current;
  return open.plan ? 'payment_plan' : open.dispute ? 'dispute' : open.promise ? 'promise' : 'normal';
}

export type DisputeReasonDef = { readonly key: string; readonly labelNl: string; readonly labelEn: string };

export const DEFAULT_DISPUTE_REASONS: readonly DisputeReasonDef[] = [
  { key: 'wrong_amount', labelNl: 'Onjuist bedrag', labelEn: 'Wrong amount' },
  { key: 'not_delivered', labelNl: 'Niet geleverd', labelEn: 'Not delivered' },
  { key: 'quality', labelNl: 'Kwaliteit', labelEn: 'Quality' },
  { key: 'invoice_not_received', labelNl: 'Factuur niet ontvangen', labelEn: 'Invoice not received' },
  { key: 'other', labelNl: 'Anders', labelEn: 'Other' },
];

export const DISPUTE_RESOLUTIONS = ['credit_note', 'partial_credit', 'rejected', 'withdrawn'] as const;
export type DisputeResolution = (typeof DISPUTE_RESOLUTIONS)[number];

export const CALL_OUTCOMES = ['reached', 'no_answer', 'voicemail', 'wrong_number', 'promise_made', 'dispute_raised', 'callback_requested', 'other'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Kinds of dossier entries people add by hand (and may edit: a new version, the old one kept). */
export const MANUAL_ENTRY_KINDS = ['note', 'call', 'mail_in', 'mail_out', 'letter', 'agreement'] as const;
export type ManualEntryKind = (typeof MANUAL_ENTRY_KINDS)[number];

export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
