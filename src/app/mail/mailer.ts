/**
 * Sending letters by e-mail over SMTP (nodemailer). `sendLetterMail` never throws for SMTP or
 * network failures: it returns a typed failure the outbox can act on — `temporary` (SMTP 4xx,
 * connection problems: retry later with `retryDelay`) or `permanent` (SMTP 5xx, refused message:
 * do not retry). Header injection: CR/LF (and other control characters) in the subject, display
 * names, addresses, file names and extra headers refuse the message before anything is sent.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export type MailerConfig = {
  host: string;
  port: number;
  /** TLS from the start (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** Sender, `address` or `Name <address>`. */
  from: string;
  replyTo?: string;
  /** Default true; false only for test servers with self-signed certificates. */
  tlsRejectUnauthorized?: boolean;
};

export type Mailer = {
  readonly config: Readonly<MailerConfig>;
  readonly transport: Transporter<SMTPTransport.SentMessageInfo>;
  close(): void;
};

export type LetterMail = {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** The letter as PDF (first attachment); absent for mails that are no letter (a test mail, an invitation). */
  pdf?: { filename: string; content: Uint8Array };
  /** `cid`: an inline image the HTML part shows as `<img src="cid:…">` (the logo). */
  attachments?: { filename: string; content: Uint8Array; contentType: string; cid?: string }[];
  /** Overrides the mailer's default reply-to. */
  replyTo?: string;
  headers?: Record<string, string>;
  /** A stable Message-ID (e.g. derived from the outbox action), so a message can be recognised. */
  messageId?: string;
};

export type SendSuccess = {
  ok: true;
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The SMTP server's answer to the message (e.g. "250 2.0.0 Ok: queued as 4F2A1"). */
  response: string;
};
export type SendFailure = {
  ok: false;
  kind: 'temporary' | 'permanent';
  /** SMTP reply code as text ('451', '550') or an error code ('ECONNECTION', 'invalid_message'). */
  code: string;
  message: string;
  /** The server refused the recipient(s) for good (RCPT TO 5xx): the address bounces. */
  recipientRejected?: boolean;
};
export type SendResult = SendSuccess | SendFailure;

// ---------------------------------------------------------------------------------------------
// Validation (header injection)
// ---------------------------------------------------------------------------------------------

const CONTROL = /[\u0000-\u001f\u007f]/;
// Pragmatic address check: local@domain, no spaces, brackets, quotes or separators.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const RESERVED_HEADERS = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'reply-to', 'sender', 'content-type', 'content-transfer-encoding', 'mime-version', 'message-id', 'date', 'return-path']);

export class MailInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'MailInputError';
  }
}

/** `a@b.nl` or `Name <a@b.nl>` → parsed, or a MailInputError. */
export function parseMailbox(field: string, s: string): { name: string; address: string } {
  if (typeof s !== 'string' || CONTROL.test(s)) throw new MailInputError(field, 'must not contain line breaks or control characters');
  const t = s.trim();
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(t);
  const name = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1') : '';
  const address = m ? m[2]!.trim() : t;
  if (!ADDRESS.test(address)) throw new MailInputError(field, `not an e-mail address: "${address}"`);
  if (/[<>"]/.test(name)) throw new MailInputError(field, `display name must not contain < > or ": "${name}"`);
  return { name, address };
}

function checkText(field: string, s: string, max = 998): void {
  if (typeof s !== 'string' || CONTROL.test(s)) throw new MailInputError(field, 'must not contain line breaks or control characters');
  if (s.length > max) throw new MailInputError(field, `longer than ${max} characters`);
}

const asAddress = (m: { name: string; address: string }) => (m.name ? { name: m.name, address: m.address } : m.address);

// ---------------------------------------------------------------------------------------------
// Mailer
// ---------------------------------------------------------------------------------------------

/** Create an SMTP mailer. Throws `MailInputError` on an unusable `from`/`replyTo` (configuration). */
export function createMailer(config: MailerConfig): Mailer {
  parseMailbox('from', config.from);
  if (config.replyTo !== undefined) parseMailbox('replyTo', config.replyTo);
  checkText('host', config.host, 255);
  if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535) throw new MailInputError('port', `not a TCP port: ${config.port}`);
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure ?? config.port === 465,
    ...(config.user !== undefined ? { auth: { user: config.user, pass: config.pass ?? '' } } : {}),
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized ?? true },
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return { config: { ...config }, transport, close: () => transport.close() };
}

const TEMPORARY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPROTOCOL']);

type SmtpError = Error & { code?: string; command?: string; responseCode?: number; response?: string; rejectedErrors?: SmtpError[] };

/** Classify a nodemailer error: SMTP 4xx and network trouble are temporary, 5xx and the rest permanent. */
export function classifySmtpError(e: unknown): SendFailure {
  const err = (e ?? {}) as SmtpError;
  const message = (err.response ?? err.message ?? String(e)).trim();
  const codes = [err.responseCode, ...(err.rejectedErrors ?? []).map((r) => r.responseCode)].filter((c): c is number => typeof c === 'number');
  if (codes.length) {
    // All recipients rejected: worth a retry when any of them was refused temporarily.
    const temp = codes.find((c) => c >= 400 && c < 500);
    const code = temp ?? codes[0]!;
    const kind = temp !== undefined ? 'temporary' : code >= 500 ? 'permanent' : 'temporary';
    const rcpt = (err.rejectedErrors?.length ?? 0) > 0 || /RCPT/i.test(err.command ?? '') || err.code === 'EENVELOPE';
    return { ok: false, kind, code: String(code), message, ...(kind === 'permanent' && rcpt ? { recipientRejected: true } : {}) };
  }
  const code = err.code ?? 'EUNKNOWN';
  return { ok: false, kind: TEMPORARY_CODES.has(code) ? 'temporary' : 'permanent', code, message };
}

const toBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Send one letter with its PDF attached. Never throws for SMTP failures or refused input. */
export async function sendLetterMail(mailer: Mailer, mail: LetterMail): Promise<SendResult> {
  let message: Parameters<Transporter['sendMail']>[0];
  try {
    if (!Array.isArray(mail.to) || mail.to.length === 0) throw new MailInputError('to', 'at least one recipient is required');
    const to = mail.to.map((t, i) => asAddress(parseMailbox(`to[${i}]`, t)));
    checkText('subject', mail.subject);
    if (mail.subject.trim() === '') throw new MailInputError('subject', 'must not be empty');
    const replyToRaw = mail.replyTo ?? mailer.config.replyTo;
    const replyTo = replyToRaw !== undefined ? asAddress(parseMailbox('replyTo', replyToRaw)) : undefined;
    const files: { filename: string; content: Uint8Array; contentType: string; cid?: string }[] = [...(mail.pdf ? [{ filename: mail.pdf.filename, content: mail.pdf.content, contentType: 'application/pdf' }] : []), ...(mail.attachments ?? [])];
    files.forEach((f, i) => {
      checkText(`attachments[${i}].filename`, f.filename, 255);
      checkText(`attachments[${i}].contentType`, f.contentType, 255);
      if (!/^[\w.+-]+\/[\w.+-]+$/.test(f.contentType)) throw new MailInputError(`attachments[${i}].contentType`, `not a MIME type: "${f.contentType}"`);
      if (f.cid !== undefined && !/^[\w.@-]{1,100}$/.test(f.cid)) throw new MailInputError(`attachments[${i}].cid`, `not a content id: "${f.cid}"`);
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(mail.headers ?? {})) {
      if (!HEADER_NAME.test(k)) throw new MailInputError(`headers`, `not a header name: "${k}"`);
      if (RESERVED_HEADERS.has(k.toLowerCase())) throw new MailInputError('headers', `"${k}" is set by the mailer`);
      checkText(`headers.${k}`, v);
      headers[k] = v;
    }
    const from = parseMailbox('from', mailer.config.from);
    message = {
      from: asAddress(from),
      to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html !== undefined ? { html: mail.html } : {}),
      ...(replyTo !== undefined ? { replyTo } : {}),
      headers,
      ...(mail.messageId !== undefined ? { messageId: mail.messageId } : {}),
      attachments: files.map((f) => ({ filename: f.filename, content: toBuffer(f.content), contentType: f.contentType, ...(f.cid ? { cid: f.cid } : {}) })),
      disableFileAccess: true,
      disableUrlAccess: true,
    };
  } catch (e) {
    if (e instanceof MailInputError) return { ok: false, kind: 'permanent', code: 'invalid_message', message: e.message };
    throw e;
  }
  try {
    const info = await mailer.transport.sendMail(message);
    const addr = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);
    return { ok: true, messageId: info.messageId, accepted: info.accepted.map(addr), rejected: info.rejected.map(addr), response: String(info.response ?? '') };
  } catch (e) {
    return classifySmtpError(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Retry schedule for the outbox
// ---------------------------------------------------------------------------------------------

export type RetryOptions = {
  /** Delay of the first retry, default 60 s. */
  baseMs?: number;
  /** Cap, default 6 hours. */
  maxMs?: number;
  /** Relative jitter, default 0.2 (±20 %). */
  jitter?: number;
  /** A number in [0, 1) for the jitter (pass Math.random()); default 0.5 = no jitter. */
  random?: number;
};

/** Lowest and highest delay `retryDelay` can give for attempt n (1 = first retry). */
export function retryDelayBounds(attempt: number, opts: RetryOptions = {}): { min: number; max: number } {
  const base = opts.baseMs ?? 60_000;
  const cap = opts.maxMs ?? 6 * 3_600_000;
  const jitter = Math.min(Math.max(opts.jitter ?? 0.2, 0), 1);
  const n = Math.max(1, Math.floor(attempt));
  const nominal = Math.min(cap, base * 2 ** Math.min(n - 1, 52));
  return { min: Math.round(nominal * (1 - jitter)), max: Math.round(Math.min(cap, nominal * (1 + jitter))) };
}

/**
 * Exponential backoff: base · 2^(attempt−1), capped, with ± jitter chosen by `random`. Pure: the
 * same inputs give the same delay (the caller supplies the randomness).
 */
export function retryDelay(attempt: number, opts: RetryOptions = {}): number {
  const { min, max } = retryDelayBounds(attempt, opts);
  const r = Math.min(Math.max(opts.random ?? 0.5, 0), 1);
  return Math.round(min + (max - min) * r);
}
