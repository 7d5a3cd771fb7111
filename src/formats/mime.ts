/**
 * A raw e-mail (RFC 5322 / MIME bytes) read into an `InboundMessage` with mailparser. Never throws:
 * a message that cannot be read becomes one with its raw text and a problem, so a person sees it
 * and the messages after it are not held up. Problems noted: unreadable structure, a charset
 * nobody knows (read as latin-1 then), no From or no Date, a thousand recipients.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { headerIn, messageIdsIn, type InboundAttachment, type InboundMessage } from '../domain/inbound/message.ts';

export const MANY_RECIPIENTS = 100;

function addresses(v: AddressObject | AddressObject[] | undefined): string[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  const out: string[] = [];
  const walk = (xs: { address?: string; group?: { address?: string }[] }[]) => {
    for (const x of xs) {
      if (x.address) out.push(x.address.toLowerCase());
      if (x.group) walk(x.group);
    }
  };
  for (const a of list) walk(a.value);
  return out;
}

/** Charsets the raw message declares that this runtime cannot decode. */
function unknownCharsets(raw: string): string[] {
  const out = new Set<string>();
  for (const m of raw.matchAll(/charset\s*=\s*"?([A-Za-z0-9._:-]+)"?/gi)) {
    const cs = m[1]!;
    try {
      new TextDecoder(cs);
    } catch {
      out.add(cs);
    }
  }
  return [...out];
}

function latin1(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}

/** A raw part of a given content type (the header block or the body), found without a full parse. */
function rawPart(raw: string, type: RegExp): { headers: string; body: string } | null {
  const m = type.exec(raw);
  if (!m) return null;
  const afterHeader = raw.slice(m.index);
  const start = afterHeader.search(/\r?\n\r?\n/);
  if (start < 0) return null;
  const bodyFrom = afterHeader.slice(start).replace(/^\r?\n\r?\n/, '');
  const end = bodyFrom.search(/\r?\n--[^\r\n]+/);
  return { headers: afterHeader.slice(0, start), body: end < 0 ? bodyFrom : bodyFrom.slice(0, end) };
}

export async function parseMime(bytes: Uint8Array, opts: { maxRecipients?: number } = {}): Promise<InboundMessage> {
  const raw = latin1(bytes);
  const problems: string[] = [];
  const bad = unknownCharsets(raw.slice(0, 200_000));
  if (bad.length) problems.push(`unknown charset ${bad.join(', ')}: read as latin-1`);
  let p: ParsedMail;
  try {
    p = await simpleParser(Buffer.from(bytes), { keepDeliveryStatus: true, skipImageLinks: true, skipTextLinks: true, maxHtmlLengthToParse: 2_000_000 });
  } catch (e) {
    return {
      messageId: null, inReplyTo: null, references: [], from: null, recipients: [], subject: '', date: null, headers: {}, contentType: '', text: raw.slice(0, 200_000),
      attachments: [], deliveryStatus: null, originalHeaders: null, problems: [...problems, `unreadable message: ${(e as Error).message}`],
    };
  }
  const headers: Record<string, string> = {};
  for (const h of p.headerLines ?? []) {
    const name = h.key.toLowerCase();
    if (headers[name] !== undefined) continue;
    headers[name] = h.line.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]*:\s*/, '').trim();
  }
  if (!p.headerLines?.length || (!headers['from'] && !headers['subject'] && !headers['date'])) problems.push('malformed: no message headers');
  else if (!headers['from']) problems.push('malformed: no From header');
  const fromAddr = p.from?.value?.[0];
  const recipients = [...addresses(p.to), ...addresses(p.cc)];
  const max = opts.maxRecipients ?? MANY_RECIPIENTS;
  if (recipients.length > max) problems.push(`${recipients.length} recipients`);
  for (const h of ['delivered-to', 'x-original-to', 'envelope-to']) {
    for (const line of p.headerLines ?? []) if (line.key.toLowerCase() === h) recipients.push(...(line.line.match(/[^\s<>:,;"]+@[^\s<>,;"]+/g) ?? []).map((s) => s.toLowerCase()));
  }
  let deliveryStatus: string | null = null;
  let originalHeaders: string | null = null;
  const attachments: InboundAttachment[] = [];
  for (const a of p.attachments ?? []) {
    const ct = a.contentType.toLowerCase();
    if (ct === 'message/delivery-status' || ct === 'message/global-delivery-status') {
      deliveryStatus = Buffer.from(a.content).toString('utf8');
      continue;
    }
    if (ct === 'text/rfc822-headers' || ct === 'message/rfc822' || ct === 'message/global-headers') {
      const s = Buffer.from(a.content).toString('utf8');
      const end = s.search(/\r?\n\r?\n/);
      originalHeaders = end < 0 ? s : s.slice(0, end);
      if (ct !== 'message/rfc822') continue;
    }
    attachments.push({ filename: a.filename ?? (ct === 'message/rfc822' ? 'bericht.eml' : 'bijlage'), contentType: ct, size: a.size ?? a.content.length, content: new Uint8Array(a.content) });
  }
  // a report whose parts mailparser took for text: read them from the raw message
  if (deliveryStatus === null) deliveryStatus = rawPart(raw, /content-type:\s*message\/delivery-status/i)?.body ?? null;
  if (originalHeaders === null) {
    const part = rawPart(raw, /content-type:\s*(text\/rfc822-headers|message\/rfc822)/i);
    if (part) originalHeaders = part.body.split(/\r?\n\r?\n/)[0] ?? null;
  }
  let text = p.text ?? '';
  if (!text.trim() && typeof p.html === 'string') text = p.html.replace(/<[^>]+>/g, ' ').replace(/[ \t]+/g, ' ');
  if (deliveryStatus && text.includes(deliveryStatus.trim())) text = text.replace(deliveryStatus.trim(), '').trim();
  const dateOk = p.date instanceof Date && !Number.isNaN(p.date.getTime());
  return {
    messageId: messageIdsIn(p.messageId ?? headers['message-id'])[0] ?? null,
    inReplyTo: messageIdsIn(p.inReplyTo ?? headers['in-reply-to'])[0] ?? null,
    references: messageIdsIn(Array.isArray(p.references) ? p.references.join(' ') : p.references ?? headers['references']),
    from: fromAddr?.address ? { address: fromAddr.address.toLowerCase(), name: fromAddr.name ?? '' } : null,
    recipients: [...new Set(recipients)],
    subject: p.subject ?? headerIn(raw.slice(0, 20_000), 'Subject') ?? '',
    date: dateOk ? p.date!.toISOString() : null,
    headers,
    contentType: (headers['content-type'] ?? 'text/plain').toLowerCase(),
    text: text.slice(0, 500_000),
    attachments,
    deliveryStatus,
    originalHeaders,
    problems,
  };
}
