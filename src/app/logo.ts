/**
 * The administration's logo (PNG or JPEG, at most 512 KB), on its letters. Stored as a document;
 * the settings keep its id (settings.logoDocumentId).
 */
import type { Db, Queryable } from '../store/db.ts';
import type { Administration } from '../store/administrations.ts';
import { getDocument, storeDocument } from '../store/documents.ts';
import { changeAdministration } from './administrations.ts';
import { invalid } from './errors.ts';

const MAX_BYTES = 512 * 1024;

function kindOf(b: Uint8Array): 'image/png' | 'image/jpeg' | null {
  if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  return null;
}

export async function setLogo(db: Db, admin: Administration, content: Uint8Array): Promise<Administration> {
  const type = kindOf(content);
  if (!type) throw invalid('the logo must be a PNG or JPEG image', [{ field: 'logo', code: 'invalid_image', message: 'not a PNG or JPEG' }]);
  if (content.byteLength > MAX_BYTES) throw invalid(`the logo is ${content.byteLength} bytes; at most ${MAX_BYTES}`, [{ field: 'logo', code: 'too_large', message: 'too large' }]);
  const id = await storeDocument(db, admin.id, { filename: type === 'image/png' ? 'logo.png' : 'logo.jpg', contentType: type, content });
  return changeAdministration(db, admin.id, { settings: { ...admin.settings, logoDocumentId: id } });
}

export async function removeLogo(db: Db, admin: Administration): Promise<Administration> {
  const settings = { ...admin.settings };
  delete settings.logoDocumentId;
  return changeAdministration(db, admin.id, { settings });
}

/** The logo's bytes and type, or null. */
export async function logoOf(q: Queryable, admin: Pick<Administration, 'id' | 'settings'>): Promise<{ content: Uint8Array; contentType: string } | null> {
  const id = (admin.settings as { logoDocumentId?: unknown }).logoDocumentId;
  if (typeof id !== 'number') return null;
  const d = await getDocument(q, admin.id, id);
  return d ? { content: new Uint8Array(d.content), contentType: d.contentType ?? 'image/png' } : null;
}
