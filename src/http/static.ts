/**
 * The web application (built by `npm run build:web` into dist/web) on the same port as the API.
 * Files by path; index.html for every other non-/api GET (client-side routes); hashed files under
 * /assets/ cached for a year, index.html never; gzip when the browser accepts it (kept in memory).
 * Without a build, a page that says how to make one.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Hono } from 'hono';

export const WEB_DIR = process.env.VORDER_WEB_DIR ?? fileURLToPath(new URL('../../dist/web', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8', '.map': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map']);

type Entry = { body: Uint8Array; gz: Uint8Array | null; type: string; mtime: number };

const missingPage = (dir: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vorder: web app not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2933}code{background:#f1f3f5;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>The web application is not built yet</h1><p>Vorder's API is running (see <a href="/api/docs">/api/docs</a>), but there is no web application in <code>${dir.replace(/[<>&]/g, '')}</code>.</p>
<p>Build it with <code>npm run build:web</code> (or start with <code>npm start</code>, which builds it first), then reload this page.</p>
<p lang="nl"><em>De webapplicatie is nog niet gebouwd: draai <code>npm run build:web</code> en laad de pagina opnieuw.</em></p></body></html>`;

export function registerStatic(app: Hono<any, any, any>, dir: string = WEB_DIR): void {
  const root = resolve(dir);
  const cache = new Map<string, Entry>();

  const load = (file: string): Entry | null => {
    let st;
    try { st = statSync(file); } catch { return null; }
    if (!st.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtime === st.mtimeMs) return hit;
    const ext = extname(file).toLowerCase();
    const body = new Uint8Array(readFileSync(file));
    const gz = COMPRESSIBLE.has(ext) && body.byteLength > 1024 ? new Uint8Array(gzipSync(body, { level: 9 })) : null;
    const e: Entry = { body, gz, type: TYPES[ext] ?? 'application/octet-stream', mtime: st.mtimeMs };
    cache.set(file, e);
    return e;
  };

  // A middleware that answers only what no route answered, so the order of registration does not matter.
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || path === '/api' || path.startsWith('/api/') || c.res.status !== 404) return;
    c.res = undefined as never; // drop the 404 so the file below replaces it
    if (!existsSync(join(root, 'index.html'))) { c.res = c.html(missingPage(root), 503); return; }
    let rel: string;
    try { rel = decodeURIComponent(path); } catch { c.res = c.text('bad path', 400); return; }
    const file = resolve(root, `.${rel}`);
    let entry = file.startsWith(root + sep) ? load(file) : null;
    let cacheControl = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    if (!entry) {
      // a missing asset is a 404; any other path is a route of the single-page application
      if (path.startsWith('/assets/') || extname(path)) { c.res = c.text('not found', 404); return; }
      entry = load(join(root, 'index.html'));
      cacheControl = 'no-cache';
      if (!entry) { c.res = c.html(missingPage(root), 503); return; }
    }
    const gzip = entry.gz && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const headers: Record<string, string> = { 'content-type': entry.type, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff', vary: 'accept-encoding' };
    if (gzip) headers['content-encoding'] = 'gzip';
    c.res = c.body((gzip ? entry.gz! : entry.body) as unknown as ArrayBuffer, 200, headers);
  });
}
