/**
 * Which debtor a reply belongs to, in this order (the first that names exactly one debtor wins):
 *   1. the plus-address token Vorder put in Reply-To (`debiteuren+D00042@…`);
 *   2. In-Reply-To / References against the Message-IDs Vorder sent;
 *   3. the sender, when it is the contact of exactly one debtor (or a sender a person assigned before);
 *   4. invoice numbers, payment references or debtor numbers in the subject and text;
 *   otherwise nobody: the unassigned queue.
 * This module says what to look for and decides from what was found; the app looks it up.
 */
import { numbersIn } from './suggest.ts';
import type { InboundMessage } from './message.ts';

export type ResolutionKeys = { plusTokens: string[]; messageIds: string[]; sender: string | null; numbers: string[] };

export type ResolvedBy = 'plus_address' | 'thread' | 'sender' | 'reference' | 'manual';

export function resolutionKeys(m: InboundMessage, text: string): ResolutionKeys {
  const plusTokens = new Set<string>();
  for (const r of m.recipients) {
    const t = /^[^@+\s]+\+([A-Za-z0-9._-]{1,40})@/.exec(r);
    if (t) plusTokens.add(t[1]!.toUpperCase());
  }
  const messageIds = [...new Set([...(m.inReplyTo ? [m.inReplyTo] : []), ...m.references].map((s) => s.toLowerCase()))];
  return { plusTokens: [...plusTokens], messageIds, sender: m.from?.address.toLowerCase() ?? null, numbers: numbersIn(`${m.subject}\n${text}`).slice(0, 50) };
}

/** What the lookups found for each step: the debtor ids each one names. */
export type Found = { plusAddress: number[]; thread: number[]; sender: number[]; reference: number[] };

export function decideDebtor(f: Found): { debtorId: number; by: ResolvedBy } | null {
  const steps: [ResolvedBy, number[]][] = [['plus_address', f.plusAddress], ['thread', f.thread], ['sender', f.sender], ['reference', f.reference]];
  for (const [by, ids] of steps) {
    const u = [...new Set(ids)];
    if (u.length === 1) return { debtorId: u[0]!, by };
  }
  return null;
}
