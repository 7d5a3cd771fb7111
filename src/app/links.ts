/**
 * Links in mail (password reset, invitation, later the debtor portal) start with the public URL of
 * the installation and nothing else: never with what a request's Host header says (whoever sends
 * `Host: evil.example` would otherwise get a working reset link pointing at their own server).
 *
 * Where it comes from, first found wins:
 *  1. the option given to the server (tests, embedding);
 *  2. VORDER_PUBLIC_URL;
 *  3. the instance setting `public_url` (`vorder public-url https://…`);
 *  4. only when the server listens on a loopback address: http://127.0.0.1:PORT (or that very
 *     loopback address, e.g. [::1]; nobody else can
 *     follow such a link, so nothing can be redirected).
 * Otherwise there is none, and mailing a link is refused with the reason (`not_configured`).
 */
import type { Queryable } from '../store/db.ts';
import { getInstanceSetting, setInstanceSetting } from '../store/instance.ts';
import { AppError, invalid } from './errors.ts';

export type Listen = { host: string; port: number };
export type PublicUrl =
  | { url: string; source: 'option' | 'env' | 'setting' | 'loopback'; reason?: undefined }
  | { url: null; source: null; reason: string };

export const PUBLIC_URL_KEY = 'public_url';

/** 'https://vorder.example.nl/' → 'https://vorder.example.nl'; anything but a plain http(s) base is refused. */
export function checkPublicUrl(input: string): string {
  let u: URL;
  try {
    u = new URL(String(input ?? '').trim());
  } catch {
    throw invalid(`not a URL: "${String(input).slice(0, 200)}"`, [{ field: 'publicUrl', code: 'invalid', message: 'not a URL like https://vorder.example.nl' }]);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalid('the public URL starts with https:// (or http://)', [{ field: 'publicUrl', code: 'invalid', message: 'http or https only' }]);
  if (u.username || u.password || u.search || u.hash) throw invalid('the public URL has no user, query or fragment', [{ field: 'publicUrl', code: 'invalid', message: 'a plain address like https://vorder.example.nl' }]);
  return u.toString().replace(/\/+$/, '');
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** 127.0.0.1 for 'localhost' and 127/8, [::1] for IPv6: the address the server itself answers on. */
const loopbackHost = (host: string): string => {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === '::1' ? '[::1]' : /^127(\.\d{1,3}){3}$/.test(h) ? h : '127.0.0.1';
};

export async function resolvePublicUrl(db: Queryable, opts: { configured?: string; listen?: Listen; env?: string | undefined } = {}): Promise<PublicUrl> {
  if (opts.configured) return { url: checkPublicUrl(opts.configured), source: 'option' };
  const env = 'env' in opts ? opts.env : process.env.VORDER_PUBLIC_URL;
  if (env) return { url: checkPublicUrl(env), source: 'env' };
  const setting = await getInstanceSetting(db, PUBLIC_URL_KEY);
  if (setting) return { url: checkPublicUrl(setting), source: 'setting' };
  if (opts.listen && isLoopback(opts.listen.host)) return { url: `http://${loopbackHost(opts.listen.host)}:${opts.listen.port}`, source: 'loopback' };
  const where = opts.listen ? `the server listens on ${opts.listen.host}, which others can reach, ` : '';
  return {
    url: null, source: null,
    reason: `no public URL is configured: ${where}so Vorder mails no links (password reset, invitations) rather than build them from what a request claims. Set VORDER_PUBLIC_URL or run \`vorder public-url https://your-address\``,
  };
}

/** The base URL for a link, or the refusal that says why there is none. */
export async function requirePublicUrl(db: Queryable, opts: Parameters<typeof resolvePublicUrl>[1]): Promise<string> {
  const r = await resolvePublicUrl(db, opts);
  if (r.url === null) throw new AppError('not_configured', r.reason);
  return r.url;
}

/** Every mailed link is made here. */
export function linkTo(base: string, page: 'reset' | 'invite', token: string): string {
  return `${base}/${page}?token=${encodeURIComponent(token)}`;
}

export async function setPublicUrl(db: Queryable, url: string | null): Promise<string | null> {
  const clean = url === null ? null : checkPublicUrl(url);
  await setInstanceSetting(db, PUBLIC_URL_KEY, clean);
  return clean;
}
