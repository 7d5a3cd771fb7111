/**
 * `vorder public-url` and what `vorder serve` says at startup when mailed links have no address:
 * on a non-loopback interface without a public URL it warns and the reset endpoint refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runCli } from '../support/cli.ts';

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  for (const k of ['DATABASE_URL', 'VORDER_DATA', 'VORDER_PUBLIC_URL', 'VORDER_SMTP_URL']) delete e[k];
  return e;
}
const freePort = () => new Promise<number>((res) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => res(p)); }); });

describe('vorder public-url and the startup warning', () => {
  let tmp: string;
  let data: string;
  let server: ChildProcess | null = null;
  const cli = (...args: string[]) => runCli(['--data', data, ...args], { env: env(), killAfterMs: 60_000 });
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'vorder-url-'));
    data = join(tmp, 'data');
  });
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await new Promise((r) => server!.once('exit', r));
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('serve on a non-loopback address without a public URL warns at once, and the reset endpoint says why it mails nothing', async () => {
    const port = await freePort();
    server = spawn(process.execPath, [BIN, '--data', data, 'serve', '--host', '0.0.0.0', '--port', String(port), '--no-worker'], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 60_000, interval: 200 }).toMatch(/Vorder is running/);
    expect(out).toMatch(/WARNING: no public URL is configured: the server listens on 0\.0\.0\.0.*VORDER_PUBLIC_URL.*vorder public-url/);
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/password-reset/request`, { method: 'POST', headers: { 'content-type': 'application/json', host: 'evil.example' }, body: JSON.stringify({ email: 'a@example.test' }) });
    expect(res.status).toBe(503);
    expect((await res.json() as any).error).toMatchObject({ code: 'not_configured', message: expect.stringMatching(/no public URL/) });
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }, 90_000);

  it('shows, sets (checked) and removes the public URL', async () => {
    expect((await cli('--json', 'public-url')).json).toMatchObject({ publicUrl: null });
    const set = await cli('--json', 'public-url', 'https://vorder.example.nl/');
    expect(set.code).toBe(0);
    expect(set.json).toMatchObject({ publicUrl: 'https://vorder.example.nl', source: 'setting' });
    const bad = await cli('public-url', 'javascript:alert(1)');
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/https:\/\//);
    expect((await cli('public-url')).stdout).toMatch(/^https:\/\/vorder\.example\.nl/);
    expect((await cli('--json', 'public-url', '--unset')).json).toMatchObject({ publicUrl: null });
  }, 90_000);
});
