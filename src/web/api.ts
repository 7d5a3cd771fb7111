/**
 * Typed client of the Vorder HTTP API (/api/…). Shapes mirror src/http/schemas.ts and the
 * OpenAPI document at /api/openapi.json. Errors arrive as ApiError with the API's stable code.
 */

export type Administration = {
  id: number; name: string; legalName: string | null; iban: string | null; bic: string | null; addressLine: string | null; postalCode: string | null; city: string | null;
  country: string; kvk: string | null; vatNumber: string | null; creditorId: string | null; email: string | null; language: 'nl' | 'en'; referenceKind: 'cur' | 'rf'; createdAt: string;
};
export type AdministrationInput = Partial<Omit<Administration, 'id' | 'createdAt'>>;

export type Debtor = {
  id: number; number: string; name: string; type: 'business' | 'consumer'; kvk: string | null; vatNumber: string | null; emails: string[]; phone: string | null;
  addressLine: string | null; postalCode: string | null; city: string | null; country: string | null; language: 'nl' | 'en'; paymentTermDays: number | null;
  creditLimit: string | null; status: string; segment: string | null; onHold: boolean; holdReason: string | null; ibans: string[];
  balance?: string; overdue?: string; openItems?: number; pausedReason?: string | null; createdAt: string; updatedAt: string;
};

export type ItemKind = 'invoice' | 'credit_note' | 'unapplied_payment';
export type Item = {
  id: number; debtorId: number; debtorNumber: string; debtorName: string; kind: ItemKind; number: string; issueDate: string; dueDate: string; amount: string; open: string;
  currency: string; description: string | null; paymentReference: string | null; onHold: boolean; holdReason: string | null; documentId: number | null; source: string; createdAt: string; updatedAt: string;
};
export type TimelineEvent = { id: number; debtorId: number | null; itemId: number | null; at: string; kind: string; params?: Record<string, unknown> | null; summary: string; data: Record<string, unknown>; actor: string | null; documentId: number | null };
export type Payment = { bookingId: number; kind: string; status: string; date: string; amount: string; bankLineId: number | null; note: string | null };
export type ItemDetail = Item & { payments: Payment[]; events: TimelineEvent[] };

export type Page<T> = { rows: T[]; total: number | null; limit: number; offset: number };

export type AgingBuckets = { not_due: string; d1_30: string; d31_60: string; d61_90: string; over_90: string; credits: string; total: string };
export type Aging = { asOf: string; totals: AgingBuckets; debtors?: (AgingBuckets & { debtorId: number; debtorNumber: string; debtorName: string })[] };

export type BankStatus = { lastImportAt: string | null; lastStatementDate: string | null; ageDays: number | null; waitingForReview: number; accounts: number; staleAfterDays: number; stale: boolean };
export type BankLineStatus = 'unmatched' | 'suggested' | 'auto' | 'confirmed' | 'ignored';
export type Suggestion = {
  id: number; rank: number; kind: string; confidence: number; debtorId: number | null; debtorName: string | null;
  items: { itemId: number; number: string; amount: string }[]; credit: string; signals: string[]; reasons?: { code: string; params: Record<string, unknown> }[]; status: string;
};
export type BankLine = {
  id: number; status: BankLineStatus; entryRef: string | null; bookingDate: string; amount: string; currency: string; counterpartyName: string | null; counterpartyIban: string | null;
  reference: string | null; remittance: string; bookingId: number | null; suggestions: Suggestion[];
};
export type StatementResult = {
  filename: string; format: string; alreadyImported: boolean; statements: number; entries: number; newEntries: number; duplicateEntries: number; accounts: string[];
  warnings: { code: string; message: string; params?: Record<string, string> }[]; matching: { lines: number; booked: number; suggested: number; unmatched: number; ignored: number };
};

export type Dashboard = {
  asOf: string;
  open: string; overdue: string; openItems: number; overdueItems: number; debtorsOpen: number; debtorsOverdue: number;
  dso: number | null; bestPossibleDso: number | null;
  dsoTrend: { month: string; dso: number | null; receivables: string; invoiced: string }[];
  expected: { weekStart: string; due: string; items: number }[];
  paused: { reason: string; debtors: number; items: number }[];
};

// the error type lives in a module without the browser's APIs, so pure modules and their tests can use it
import { ApiError, type Problem } from './api-error.ts';
export { ApiError, type Problem };

/** Called on 401: the login issue plugs in here (see app/auth.tsx). */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** The session's CSRF token (from GET /api/auth/me): sent as x-csrf-token with every write. */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function qs(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; problems?: Problem[] } } = {};
  try { body = await res.json(); } catch { /* not JSON */ }
  return new ApiError(res.status, body.error?.code ?? `http_${res.status}`, body.error?.message ?? res.statusText, body.error?.problems ?? []);
}

async function csrfHeader(method: string): Promise<Record<string, string>> {
  if (method === 'GET' || method === 'HEAD') return {};
  if (!csrfToken) {
    const res = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (res.ok) csrfToken = ((await res.json()) as { csrfToken: string | null }).csrfToken;
  }
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

export async function request<T>(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const csrf = await csrfHeader(method);
  const res = await fetch(`/api${path}${qs(opts.query)}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' }), ...csrf },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    signal: opts.signal,
    credentials: 'same-origin',
  });
  if (res.status === 401) onUnauthorized();
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A POST whose answer is a file (a print batch PDF): the bytes, for a download. */
export async function postBlob(path: string, body: unknown = {}): Promise<Blob> {
  const csrf = await csrfHeader('POST');
  const res = await fetch(`/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...csrf }, body: JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 401) onUnauthorized();
  if (!res.ok) throw await toError(res);
  return res.blob();
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} });
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });

/** Upload a file as the raw request body, reporting progress (0..1) from XMLHttpRequest upload events. */
export function upload<T>(path: string, file: File, onProgress: (fraction: number) => void, query?: Query): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = csrfHeader('POST').then(() => new Promise<T>((resolve, reject) => {
    xhr.open('POST', `/api${path}${qs({ ...query, filename: file.name })}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 401) onUnauthorized();
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else {
        const e = (body as { error?: { code: string; message: string; problems?: Problem[] } } | null)?.error;
        reject(new ApiError(xhr.status, e?.code ?? `http_${xhr.status}`, e?.message ?? xhr.statusText, e?.problems ?? []));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'upload cancelled'));
    xhr.send(file);
  }));
  return { promise, abort: () => xhr.abort() };
}

/** The URL of a stored document (letter PDF, e-invoice XML), for links and <iframe>. */
export const documentUrl = (adminId: number, documentId: number) => `/api/administrations/${adminId}/documents/${documentId}`;

/** Paths under one administration. */
export const adm = (adminId: number) => `/administrations/${adminId}`;
