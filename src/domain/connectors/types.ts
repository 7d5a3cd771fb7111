/**
 * One shape for what every accounting package (Moneybird, Exact Online, Yuki) tells Vorder:
 * debtors and open items, in Vorder's terms (cents, calendar dates). The vendor modules map their
 * records to these; the sync (src/app/connectors/sync.ts) applies them. Pure: no I/O.
 */
export type Vendor = 'moneybird' | 'exact' | 'yuki';
export const VENDORS: readonly Vendor[] = ['moneybird', 'exact', 'yuki'];
export const VENDOR_NAMES: Record<Vendor, string> = { moneybird: 'Moneybird', exact: 'Exact Online', yuki: 'Yuki' };

export type ExternalDebtor = {
  externalId: string;
  /** the debtor number in Vorder: the package's customer number, else a number derived from its id */
  number: string;
  name: string;
  emails: string[];
  kvk: string | null;
  vatNumber: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  version: string | null;
};

/** open: still to be paid (possibly in part); paid/credited: settled in the package; deleted: gone from it. */
export type ExternalStatus = 'open' | 'paid' | 'credited' | 'deleted';

export type ExternalItem = {
  externalId: string;
  debtorExternalId: string;
  number: string;
  issueDate: string;
  dueDate: string;
  /** signed: an invoice > 0, a credit note < 0 */
  amountCents: number;
  /** what the package says is still open (0 when paid) */
  openCents: number;
  currency: string;
  description: string | null;
  paymentReference: string | null;
  status: ExternalStatus;
  version: string | null;
};

/** Where a sync stands; each vendor keeps its own fields in it (stage, page, timestamps, queues). */
export type Cursor = Record<string, unknown>;

export type Page = {
  debtors: ExternalDebtor[];
  items: ExternalItem[];
  /** records the package says are deleted, or that a lookup by id did not find: closed at the end (guarded) */
  goneItemIds: string[];
  /** the next checkpoint; saved together with this page */
  cursor: Cursor;
  /** no more pages in this sync */
  done: boolean;
  /** a full snapshot of every open item was delivered by this sync: open items not in it were missed */
  snapshotComplete?: boolean;
  /** a line for the progress bar */
  progress?: { stage: string; done: number; total: number | null };
};

/** What a connector asks of the store while it pulls (versions it has seen, the items open here). */
export type PullContext = {
  versions(kind: 'debtor' | 'item', externalIds: readonly string[]): Promise<Map<string, string | null>>;
  /** external ids of the items linked to this connection that are open in Vorder */
  openItemIds(): Promise<string[]>;
};

export type ConnectionTest = { ok: true; name: string } | { ok: false; message: string };

/** The one interface every package implements (clients under src/connectors/<vendor>). */
export interface Connector {
  readonly vendor: Vendor;
  test(): Promise<ConnectionTest>;
  /** the next page of changes after `cursor` ({} = start a new sync; a full load when `full`) */
  pull(cursor: Cursor, ctx: PullContext, opts: { full: boolean }): Promise<Page>;
  /** OAuth2 packages: where to send the person to authorise Vorder, and the code that comes back */
  authorizeUrl?(state: string): string;
  exchangeCode?(code: string): Promise<void>;
}

/** A sync cannot go on now: the package's limit is reached until `until` (Exact's daily limit). */
export class RateLimitedUntil extends Error {
  constructor(readonly until: Date, message: string) {
    super(message);
    this.name = 'RateLimitedUntil';
  }
}

/** The package refused the credentials (expired, revoked): a person must connect again. */
export class AuthorisationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorisationFailed';
  }
}

/** A decimal amount as the packages send it ("121.0", 121, "-50.5") → integer cents. */
export function decimalToCents(v: unknown, field: string): number {
  const s = typeof v === 'number' ? v.toFixed(2) : String(v ?? '').trim();
  const m = /^(-)?(\d+)(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) throw new Error(`${field}: "${String(v)}" is not an amount`);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = Number(m[2]) * 100 + Number(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) cents += 1; // half up, on the absolute value
  if (!Number.isSafeInteger(cents)) throw new Error(`${field}: "${String(v)}" is too large`);
  return m[1] && cents !== 0 ? -cents : cents;
}

/** "2026-10-01", "2026-10-01T00:00:00" or Exact's "/Date(1790812800000)/" → "2026-10-01". */
export function toIsoDate(v: unknown, field: string): string {
  const s = String(v ?? '');
  const ms = /^\/Date\((-?\d+)\)\/$/.exec(s);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  if (!m) throw new Error(`${field}: "${s}" is not a date`);
  return m[1]!;
}

/** The clock of a sync (tests run the vendors' limits on a virtual one). */
export type Clock = { now(): number; sleep(ms: number): Promise<void> };

/** Every request of a connection first takes a token here (the bucket is kept in the database). */
export type RateGate = {
  acquire(): Promise<void>;
  observe(h: { minutelyRemaining?: number | null; dailyRemaining?: number | null }): Promise<void>;
};
