/**
 * Builds the web app (vite build into dist/web) unless dist/web is newer than every source of it.
 * Used by the browser tests and the browser benchmark; `npm run build:web` builds it unconditionally.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function newestMtime(dir: string): number {
  let m = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const s = statSync(p);
    m = Math.max(m, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return m;
}

export async function buildWeb(): Promise<void> {
  const index = join(ROOT, 'dist/web/index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'src/web')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  // In a child process with NODE_ENV=production: inside vitest NODE_ENV is "test", and Vite would
  // then bundle React's development build (several times slower to render). Asynchronous, so that a
  // test worker keeps answering its runner meanwhile.
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  await new Promise<void>((ok, fail) => {
    execFile(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 16 * 1024 * 1024 }, (err, _out, errOut) =>
      err ? fail(new Error(`vite build failed: ${errOut || err.message}`)) : ok());
  });
}
