/** Stored files (original e-invoice XML, letters, statements). */
import { createHash } from 'node:crypto';
import type { Queryable } from './db.ts';

export type DocumentMeta = { id: number; filename: string; contentType: string; sha256: string; size: number; createdAt: string };

export async function storeDocument(q: Queryable, administrationId: number, doc: { filename: string; contentType: string; content: Uint8Array }): Promise<number> {
  const sha = createHash('sha256').update(doc.content).digest('hex');
  const [existing] = await q.query<{ id: number }>('SELECT id FROM documents WHERE administration_id = $1 AND sha256 = $2 AND filename = $3 LIMIT 1', [administrationId, sha, doc.filename]);
  if (existing) return existing.id;
  const [r] = await q.query<{ id: number }>(
    'INSERT INTO documents (administration_id, filename, content_type, sha256, size, content) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [administrationId, doc.filename, doc.contentType, sha, doc.content.byteLength, Buffer.from(doc.content)],
  );
  return r!.id;
}

export async function getDocument(q: Queryable, administrationId: number, id: number): Promise<(DocumentMeta & { content: Uint8Array }) | null> {
  const [r] = await q.query<{ id: number; filename: string; content_type: string; sha256: string; size: number; content: Uint8Array; created_at: Date | string }>(
    'SELECT * FROM documents WHERE administration_id = $1 AND id = $2',
    [administrationId, id],
  );
  if (!r) return null;
  return { id: r.id, filename: r.filename, contentType: r.content_type, sha256: r.sha256, size: r.size, content: new Uint8Array(r.content), createdAt: String(r.created_at instanceof Date ? r.created_at.toISOString() : r.created_at) };
}
