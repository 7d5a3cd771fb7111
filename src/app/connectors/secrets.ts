/**
 * Secrets of connections (tokens, access keys) are stored encrypted: AES-256-GCM with a key from
 * VORDER_SECRET_KEY (64 hex characters or base64 of 32 bytes) or, without it, from the file
 * `secret.key` in the data directory, created on first use (mode 0600). Stored as
 * `v1:<base64 iv|tag|ciphertext>`. The API never returns them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir } from '../../store/open.ts';

let cached: { source: string; key: Buffer } | null = null;
let configuredDir: string | null = null;

/** The data directory chosen on the command line (`--data`), where `secret.key` lives. */
export function useDataDirForSecrets(dir: string): void {
  configuredDir = dir;
}

function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error(`${where}: the secret key must be 32 bytes (64 hex characters or base64)`);
  return key;
}

export function secretKey(opts: { dataDir?: string } = {}): Buffer {
  const env = process.env.VORDER_SECRET_KEY;
  const source = env ? 'env' : join(opts.dataDir ?? configuredDir ?? defaultDataDir(), 'secret.key');
  if (cached?.source === source) return cached.key;
  let key: Buffer;
  if (env) key = parseKey(env, 'VORDER_SECRET_KEY');
  else if (existsSync(source)) key = parseKey(readFileSync(source, 'utf8'), source);
  else {
    mkdirSync(join(source, '..'), { recursive: true });
    key = randomBytes(32);
    try {
      writeFileSync(source, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch {
      key = parseKey(readFileSync(source, 'utf8'), source); // another process made it first
    }
  }
  cached = { source, key };
  return key;
}

export function sealSecret(value: Record<string, unknown>, key = secretKey()): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64')}`;
}

export function openSecret(sealed: string | null, key = secretKey()): Record<string, unknown> {
  if (!sealed) return {};
  if (!sealed.startsWith('v1:')) throw new Error('unknown secret format');
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  try {
    return JSON.parse(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new Error('the connection secret cannot be decrypted: was VORDER_SECRET_KEY or data/secret.key changed?');
  }
}
