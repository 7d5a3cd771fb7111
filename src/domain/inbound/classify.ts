/**
 * What an inbound message is, in this order:
 *  1. a delivery-status report (RFC 3464: multipart/report; report-type=delivery-status, or a
 *     message/delivery-status part) → `bounce` (permanent when an action is `failed`, otherwise a
 *     delay that is only noted);
 *  2. an automatic reply (RFC 3834 Auto-Submitted other than "no", X-Autoreply, X-Autorespond,
 *     Precedence: auto_reply, the usual Dutch and English subjects) → `auto_reply`; an
 *     X-Auto-Response-Suppress header alone is no proof (Outlook puts it on ordinary mail);
 *  3. everything else → `reply`.
 */
import { headerIn, messageIdsIn, type InboundMessage } from './message.ts';

export type DsnRecipient = { recipient: string | null; action: string | null; status: string | null; diagnostic: string | null };

export type Dsn = {
  /** At least one recipient failed for good (action failed / status 5.x.x). */
  permanent: boolean;
  recipients: DsnRecipient[];
  /** The Message-ID of the message that did not arrive, lower case with brackets, or null. */
  originalMessageId: string | null;
  /** The X-Vorder-Action header of the returned message, when it came back whole. */
  originalAction: number | null;
  /** One line for people: recipient, status and the server's words. */
  reason: string;
};

export type Classification =
  | { kind: 'bounce'; dsn: Dsn }
  | { kind: 'auto_reply'; why: string }
  | { kind: 'reply' };

/** Read the per-recipient fields of a message/delivery-status body (RFC 3464 §2.3). */
export function parseDeliveryStatus(body: string): DsnRecipient[] {
  const unfolded = body.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  const groups = unfolded.split(/\n\s*\n/).map((g) => g.trim()).filter(Boolean);
  const out: DsnRecipient[] = [];
  for (const g of groups) {
    const f = (name: string) => headerIn(g, name);
    const rcpt = f('Final-Recipient') ?? f('Original-Recipient');
    const action = f('Action');
    if (!rcpt && !action) continue; // the per-message group
    out.push({
      recipient: rcpt ? rcpt.replace(/^[a-z0-9-]+\s*;\s*/i, '').replace(/^<|>$/g, '').trim().toLowerCase() : null,
      action: action ? action.toLowerCase().split(/\s/)[0]! : null,
      status: f('Status')?.split(/\s/)[0] ?? null,
      diagnostic: f('Diagnostic-Code')?.replace(/^smtp\s*;\s*/i, '').trim() ?? null,
    });
  }
  return out;
}

const BOUNCE_SUBJECT = /^(undelivered mail returned to sender|undeliverable|onbestelbaar|delivery status notification \(failure\)|mail delivery failed|returned mail|failure notice|niet bezorgd|bezorging mislukt|kan niet worden bezorgd)/i;
const DAEMON = /^(mailer-daemon|postmaster|mail-daemon|microsoftexchange[0-9a-f]*)@/i;

function dsnFrom(m: InboundMessage): Dsn | null {
  const isReport = /multipart\/report/.test(m.contentType) && /report-type\s*=\s*"?delivery-status/.test(m.contentType);
  const looksLikeBounce = !!m.from && DAEMON.test(m.from.address) && BOUNCE_SUBJECT.test(m.subject.trim());
  if (!isReport && m.deliveryStatus === null && !looksLikeBounce) return null;
  const recipients = m.deliveryStatus ? parseDeliveryStatus(m.deliveryStatus) : [];
  const failed = recipients.filter((r) => r.action === 'failed' || (r.status ?? '').startsWith('5'));
  const permanent = recipients.length ? failed.length > 0 : looksLikeBounce || isReport;
  const orig = m.originalHeaders ?? '';
  let originalMessageId = messageIdsIn(headerIn(orig, 'Message-ID'))[0] ?? null;
  // a bounce without the returned headers still often quotes our message-id in its text
  if (!originalMessageId) originalMessageId = (/<dunning-\d+-\d+@vorder\.invalid>/i.exec(m.text)?.[0] ?? '').toLowerCase() || null;
  const actionHeader = headerIn(orig, 'X-Vorder-Action') ?? /X-Vorder-Action:\s*(\d+)/i.exec(m.text)?.[1] ?? null;
  const originalAction = actionHeader && /^\d+$/.test(actionHeader) ? Number(actionHeader) : null;
  const first = failed[0] ?? recipients[0] ?? null;
  const recipientGuess = first?.recipient ?? (/<?([^\s<>@]+@[^\s<>@]+\.[a-z]{2,})>?/i.exec(m.text)?.[1]?.toLowerCase() ?? null);
  const reason = [recipientGuess, first?.status, first?.diagnostic ?? (recipients.length ? null : m.subject.trim())].filter(Boolean).join(': ').slice(0, 500) || 'delivery failed';
  return { permanent, recipients: recipients.length ? recipients : recipientGuess ? [{ recipient: recipientGuess, action: 'failed', status: null, diagnostic: null }] : [], originalMessageId, originalAction, reason };
}

/** Subjects automatic replies start with (after an optional tag like "[EXT]"). */
const AUTO_SUBJECT = /^(?:\[[^\]]*\]\s*)?(automatisch antwoord|automatisch bericht|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|afwezig|afwezigheid|afwezigheidsmelding|out of (the )?office|ooo\b|niet op kantoor|niet aanwezig|abwesenheitsnotiz|absence)/i;

export function autoReplyReason(m: InboundMessage): string | null {
  const h = m.headers;
  const as = h['auto-submitted'];
  if (as !== undefined && as.split(';')[0]!.trim().toLowerCase() !== 'no') return `Auto-Submitted: ${as}`;
  if (h['x-autoreply'] !== undefined) return 'X-Autoreply';
  if (h['x-autorespond'] !== undefined) return 'X-Autorespond';
  if (h['x-auto-reply'] !== undefined) return 'X-Auto-Reply';
  if ((h['precedence'] ?? '').trim().toLowerCase() === 'auto_reply') return 'Precedence: auto_reply';
  if (AUTO_SUBJECT.test(m.subject.trim())) return `subject: ${m.subject.trim().slice(0, 80)}`;
  return null;
}

export function classify(m: InboundMessage): Classification {
  const dsn = dsnFrom(m);
  if (dsn) return { kind: 'bounce', dsn };
  const why = autoReplyReason(m);
  if (why) return { kind: 'auto_reply', why };
  return { kind: 'reply' };
}
