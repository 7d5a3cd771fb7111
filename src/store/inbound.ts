/**
 * Inbound mail storage: the mailbox of an administration (its password never leaves this module
 * except to the reader), the messages read from it (UNIQUE mailbox + UIDVALIDITY + UID: the insert
 * is the "remembered" in the same transaction as the message's effects), the senders a person
 * assigned, and the lookups that find a message's debtor.
 */
import type { Queryable } from './db.ts';

export type MailboxRow = {
  id: number; administration_id: number; host: string; port: number; tls: boolean; username: string; password: string; folder: string; processed_folder: string; enabled: boolean;
  reader_until: Date | string | null; reader: string | null; last_run_at: Date | string | null; last_ok_at: Date | string | null; last_error: string | null; last_error_at: Date | string | null;
};

export async function getMailbox(q: Queryable, administrationId: number): Promise<MailboxRow | null> {
  const [r] = await q.query<MailboxRow>('SELECT * FROM inbound_mailboxes WHERE administration_id = $1', [administrationId]);
  return r ?? null;
}

export type MailboxFields = { host: string; port: number; tls: boolean; username: string; password?: string; folder: string; processedFolder: string; enabled: boolean };

/** Insert or change the mailbox; without a password the stored one is kept. */
export async function upsertMailbox(q: Queryable, administrationId: number, f: MailboxFields): Promise<MailboxRow> {
  const [r] = await q.query<MailboxRow>(
    `INSERT INTO inbound_mailboxes (administration_id, host, port, tls, username, password, folder, processed_folder, enabled)
     VALUES ($1, $2, $3, $4, $5, coalesce($6, ''), $7, $8, $9)
     ON CONFLICT (administration_id) DO UPDATE SET host = $2, port = $3, tls = $4, username = $5, password = coalesce($6, inbound_mailboxes.password),
       folder = $7, processed_folder = $8, enabled = $9, last_error = NULL, last_error_at = NULL, updated_at = now()
     RETURNING *`,
    [administrationId, f.host, f.port, f.tls, f.username, f.password ?? null, f.folder, f.processedFolder, f.enabled],
  );
  return r!;
}

export async function deleteMailboxSettings(q: Queryable, administrationId: number): Promise<void> {
  await q.query('UPDATE inbound_mailboxes SET enabled = false, updated_at = now() WHERE administration_id = $1', [administrationId]);
}

/** Take the reader lease of a mailbox (one reader at a time); false when another holds it. */
export async function takeReaderLease(q: Queryable, mailboxId: number, reader: string, seconds: number): Promise<boolean> {
  const rows = await q.query<{ id: number }>(
    `UPDATE inbound_mailboxes SET reader_until = now() + ($3 || ' seconds')::interval, reader = $2, last_run_at = now()
      WHERE id = $1 AND (reader_until IS NULL OR reader_until < now() OR reader = $2) RETURNING id`,
    [mailboxId, reader, String(seconds)],
  );
  return rows.length === 1;
}

export async function releaseReaderLease(q: Queryable, mailboxId: number, reader: string, outcome: { error: string | null }): Promise<void> {
  await q.query(
    `UPDATE inbound_mailboxes SET reader_until = NULL, reader = NULL,
       last_ok_at = CASE WHEN $3::text IS NULL THEN now() ELSE last_ok_at END,
       last_error = $3, last_error_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END
      WHERE id = $1 AND (reader = $2 OR reader IS NULL)`,
    [mailboxId, reader, outcome.error],
  );
}

/** Enabled mailboxes of every administration (the scheduler; runs outside a tenant). */
export async function enabledMailboxes(q: Queryable): Promise<{ id: number; administration_id: number }[]> {
  return q.query('SELECT id, administration_id FROM inbound_mailboxes WHERE enabled ORDER BY id');
}

/** The UIDs of this mailbox generation that are remembered already. */
export async function knownUids(q: Queryable, mailboxId: number, uidvalidity: number, uids: readonly number[]): Promise<Set<number>> {
  if (!uids.length) return new Set();
  const rows = await q.query<{ uid: number }>('SELECT uid FROM inbound_messages WHERE mailbox_id = $1 AND uidvalidity = $2 AND uid = ANY($3::bigint[])', [mailboxId, uidvalidity, uids]);
  return new Set(rows.map((r) => Number(r.uid)));
}

export type InboundRow = {
  id: number; administration_id: number; mailbox_id: number; uidvalidity: number; uid: number; message_id: string | null; from_address: string | null; from_name: string | null; subject: string;
  received_at: Date | string; kind: 'reply' | 'auto_reply' | 'bounce'; debtor_id: number | null; resolved_by: string | null; status: 'unread' | 'read' | 'assigned'; suggestions: unknown[]; applied: unknown[];
  text: string; fresh_text: string; quoted_text: string; problems: string[]; attachments: unknown[]; details: Record<string, unknown>; dunning_action_id: number | null; created_at: Date | string;
};

export type NewInbound = {
  mailboxId: number; uidvalidity: number; uid: number; messageId: string | null; fromAddress: string | null; fromName: string | null; subject: string; receivedAt: Date; kind: InboundRow['kind'];
  debtorId: number | null; resolvedBy: string | null; status: InboundRow['status']; suggestions: unknown[]; text: string; freshText: string; quotedText: string; problems: string[]; attachments: unknown[];
  details: Record<string, unknown>; dunningActionId: number | null;
};

/** Remember a message; null when this (mailbox, UIDVALIDITY, UID) is remembered already (then nothing else may be done). */
export async function insertInbound(q: Queryable, administrationId: number, m: NewInbound): Promise<number | null> {
  const clean = (s: string) => s.replace(/\u0000/g, '');
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO inbound_messages (administration_id, mailbox_id, uidvalidity, uid, message_id, from_address, from_name, subject, received_at, kind, debtor_id, resolved_by, status,
        suggestions, text, fresh_text, quoted_text, problems, attachments, details, dunning_action_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
     ON CONFLICT (mailbox_id, uidvalidity, uid) DO NOTHING RETURNING id`,
    [administrationId, m.mailboxId, m.uidvalidity, m.uid, m.messageId && clean(m.messageId), m.fromAddress && clean(m.fromAddress), m.fromName && clean(m.fromName), clean(m.subject).slice(0, 1000),
      m.receivedAt.toISOString(), m.kind, m.debtorId, m.resolvedBy, m.status, JSON.stringify(m.suggestions), clean(m.text), clean(m.freshText), clean(m.quotedText), m.problems.map(clean),
      JSON.stringify(m.attachments), JSON.stringify(m.details), m.dunningActionId],
  );
  return r?.id ?? null;
}

export async function getInbound(q: Queryable, administrationId: number, id: number): Promise<InboundRow | null> {
  const [r] = await q.query<InboundRow>('SELECT * FROM inbound_messages WHERE administration_id = $1 AND id = $2', [administrationId, id]);
  return r ?? null;
}

export type InboundFilter = { debtorId?: number; unassigned?: boolean; status?: InboundRow['status']; kind?: InboundRow['kind']; limit?: number; offset?: number };

export async function listInbound(q: Queryable, administrationId: number, f: InboundFilter): Promise<{ rows: (InboundRow & { debtor_number: string | null; debtor_name: string | null })[]; total: number }> {
  const w = ['m.administration_id = $1'];
  const p: unknown[] = [administrationId];
  const add = (sql: string, v: unknown) => {
    p.push(v);
    w.push(sql.replace('?', `$${p.length}`));
  };
  if (f.debtorId !== undefined) add('m.debtor_id = ?', f.debtorId);
  if (f.unassigned) w.push('m.debtor_id IS NULL');
  if (f.status) add('m.status = ?', f.status);
  if (f.kind) add('m.kind = ?', f.kind);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
  const rows = await q.query<InboundRow & { debtor_number: string | null; debtor_name: string | null }>(
    `SELECT m.*, d.number AS debtor_number, d.name AS debtor_name FROM inbound_messages m LEFT JOIN debtors d ON d.id = m.debtor_id
      WHERE ${w.join(' AND ')} ORDER BY m.received_at DESC, m.id DESC LIMIT ${limit} OFFSET ${Math.max(0, f.offset ?? 0)}`,
    p,
  );
  const [t] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_messages m WHERE ${w.join(' AND ')}`, p);
  return { rows, total: t?.n ?? 0 };
}

/** Counts for the work list: unread replies (assigned to a debtor) and the unassigned queue. */
export async function inboundCounts(q: Queryable, administrationId: number): Promise<{ unreadReplies: number; unassigned: number }> {
  const [r] = await q.query<{ unread: number; unassigned: number }>(
    `SELECT count(*) FILTER (WHERE status = 'unread' AND debtor_id IS NOT NULL AND kind = 'reply')::int AS unread,
            count(*) FILTER (WHERE debtor_id IS NULL AND status <> 'read')::int AS unassigned
       FROM inbound_messages WHERE administration_id = $1 AND (status = 'unread' OR debtor_id IS NULL)`,
    [administrationId],
  );
  return { unreadReplies: r?.unread ?? 0, unassigned: r?.unassigned ?? 0 };
}

export async function setInboundStatus(q: Queryable, administrationId: number, id: number, status: InboundRow['status']): Promise<void> {
  await q.query('UPDATE inbound_messages SET status = $3 WHERE administration_id = $1 AND id = $2', [administrationId, id, status]);
}

export async function assignInboundRow(q: Queryable, administrationId: number, id: number, debtorId: number): Promise<void> {
  await q.query(`UPDATE inbound_messages SET debtor_id = $3, resolved_by = 'manual', status = 'assigned' WHERE administration_id = $1 AND id = $2`, [administrationId, id, debtorId]);
}

export async function recordApplied(q: Queryable, administrationId: number, id: number, entry: Record<string, unknown>): Promise<void> {
  await q.query('UPDATE inbound_messages SET applied = applied || $3::jsonb WHERE administration_id = $1 AND id = $2', [administrationId, id, JSON.stringify([entry])]);
}

export async function rememberSender(q: Queryable, administrationId: number, address: string, debtorId: number, actor: string | null): Promise<void> {
  await q.query(
    `INSERT INTO inbound_senders (administration_id, address, debtor_id, created_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (administration_id, address) DO UPDATE SET debtor_id = $3, created_by = $4, created_at = now()`,
    [administrationId, address.toLowerCase(), debtorId, actor],
  );
}

// ---------------------------------------------------------------------------------------------
// Lookups for finding the debtor (the order is decided in domain/inbound/resolve.ts)
// ---------------------------------------------------------------------------------------------

export async function debtorsByNumber(q: Queryable, administrationId: number, numbers: readonly string[]): Promise<number[]> {
  if (!numbers.length) return [];
  const rows = await q.query<{ id: number }>('SELECT id FROM debtors WHERE administration_id = $1 AND upper(number) = ANY($2::text[])', [administrationId, numbers.map((n) => n.toUpperCase())]);
  return rows.map((r) => r.id);
}

export async function debtorsBySentMessageIds(q: Queryable, administrationId: number, messageIds: readonly string[]): Promise<number[]> {
  if (!messageIds.length) return [];
  const rows = await q.query<{ debtor_id: number }>('SELECT DISTINCT debtor_id FROM dunning_actions WHERE administration_id = $1 AND lower(message_id) = ANY($2::text[])', [administrationId, messageIds.map((m) => m.toLowerCase())]);
  return rows.map((r) => r.debtor_id);
}

/** A sender a person assigned, else the debtors that have this address as a contact. */
export async function debtorsBySender(q: Queryable, administrationId: number, address: string): Promise<number[]> {
  const a = address.toLowerCase();
  const [remembered] = await q.query<{ debtor_id: number }>('SELECT debtor_id FROM inbound_senders WHERE administration_id = $1 AND address = $2', [administrationId, a]);
  if (remembered) return [remembered.debtor_id];
  const rows = await q.query<{ id: number }>('SELECT id FROM debtors WHERE administration_id = $1 AND EXISTS (SELECT 1 FROM unnest(emails) e WHERE lower(e) = $2)', [administrationId, a]);
  return rows.map((r) => r.id);
}

/** Debtors named by invoice numbers, payment references or debtor numbers in a text. */
export async function debtorsByReferences(q: Queryable, administrationId: number, tokens: readonly string[], numberKeys: readonly string[]): Promise<number[]> {
  if (!tokens.length) return [];
  const up = tokens.map((t) => t.toUpperCase());
  const rows = await q.query<{ debtor_id: number }>(
    `SELECT DISTINCT debtor_id FROM items WHERE administration_id = $1 AND number_key = ANY($3::text[]) AND upper(number) = ANY($2::text[])
     UNION SELECT DISTINCT debtor_id FROM items WHERE administration_id = $1 AND payment_reference = ANY($4::text[])
     UNION SELECT id FROM debtors WHERE administration_id = $1 AND upper(number) = ANY($2::text[])`,
    [administrationId, up, numberKeys, [...up, ...tokens]],
  );
  return rows.map((r) => r.debtor_id);
}

/** The outbox message a bounce is about: by its Message-ID, else by the X-Vorder-Action header of the returned message. */
export async function actionForBounce(q: Queryable, administrationId: number, messageId: string | null, actionId: number | null): Promise<{ id: number; debtor_id: number; status: string } | null> {
  if (messageId) {
    const [r] = await q.query<{ id: number; debtor_id: number; status: string }>('SELECT id, debtor_id, status FROM dunning_actions WHERE administration_id = $1 AND lower(message_id) = $2 ORDER BY id DESC LIMIT 1', [administrationId, messageId.toLowerCase()]);
    if (r) return r;
  }
  if (actionId !== null) {
    const [r] = await q.query<{ id: number; debtor_id: number; status: string }>(`SELECT id, debtor_id, status FROM dunning_actions WHERE administration_id = $1 AND id = $2 AND delivery = 'email'`, [administrationId, actionId]);
    if (r) return r;
  }
  return null;
}

/** Mark addresses of a debtor undeliverable (lower case, once each). */
export async function markUndeliverable(q: Queryable, administrationId: number, debtorId: number, addresses: readonly string[]): Promise<string[]> {
  const a = [...new Set(addresses.map((x) => x.toLowerCase()))];
  const [r] = await q.query<{ undeliverable_emails: string[] }>(
    `UPDATE debtors SET undeliverable_emails = ARRAY(SELECT DISTINCT unnest(undeliverable_emails || $3::text[]) ORDER BY 1), updated_at = now()
      WHERE administration_id = $1 AND id = $2 RETURNING undeliverable_emails`,
    [administrationId, debtorId, a],
  );
  return r?.undeliverable_emails ?? [];
}
