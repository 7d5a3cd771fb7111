/**
 * An inbound e-mail as the rules see it (pure data: formats/mime.ts makes it from the raw bytes).
 * Header names are lower case; a header that occurs more than once keeps its first value.
 */
export type InboundAttachment = {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly content: Uint8Array;
};

export type InboundMessage = {
  readonly messageId: string | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly from: { readonly address: string; readonly name: string } | null;
  /** Every recipient address (To, Cc, Delivered-To, X-Original-To), lower case. */
  readonly recipients: readonly string[];
  readonly subject: string;
  /** When the message says it was sent (ISO instant), or null. */
  readonly date: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** The top-level Content-Type with its parameters, lower case. */
  readonly contentType: string;
  readonly text: string;
  readonly attachments: readonly InboundAttachment[];
  /** Body of a message/delivery-status part (RFC 3464), when there is one. */
  readonly deliveryStatus: string | null;
  /** Header block of the returned message (message/rfc822 or text/rfc822-headers), when there is one. */
  readonly originalHeaders: string | null;
  /** What went wrong reading it (malformed structure, unknown charset, too many recipients…). */
  readonly problems: readonly string[];
};

/** The message-ids in a header value: `<a@b> <c@d>` → ['<a@b>', '<c@d>']. */
export function messageIdsIn(value: string | null | undefined): string[] {
  if (!value) return [];
  const out = value.match(/<[^<>\s]+>/g) ?? [];
  return out.map((s) => s.toLowerCase());
}

/** One header out of a raw header block (unfolded), or null. */
export function headerIn(block: string, name: string): string | null {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name.replace(/[-]/g, '\\-')}[ \\t]*:[ \\t]*(.*)$`, 'im');
  const m = re.exec(unfolded);
  return m ? m[1]!.trim() : null;
}
