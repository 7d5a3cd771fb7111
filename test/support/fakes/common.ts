/** Shared pieces of the package fakes: a virtual clock, a small HTTP server, a sliding-window limiter. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type VirtualClock = { now(): number; sleep(ms: number): Promise<void>; slept: number };

export function virtualClock(start = Date.parse('2026-12-04T09:00:00Z')): VirtualClock {
  const c = { t: start, slept: 0, now: () => c.t, sleep: async (ms: number) => { c.t += ms; c.slept += ms; } };
  return c;
}

export type Req = { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: string };
export type Res = { status: number; headers?: Record<string, string>; body?: unknown; raw?: string };

export async function startServer(handle: (r: Req) => Res | Promise<Res>): Promise<{ url: string; close(): Promise<void>; server: Server }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      Promise.resolve(handle({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }))
        .then((r) => {
          const text = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body));
          res.writeHead(r.status, { 'Content-Type': r.raw ? 'text/xml; charset=utf-8' : 'application/json', ...(r.headers ?? {}) });
          res.end(text);
        })
        .catch((e: Error) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(e.message);
        });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, server, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** Counts requests in a sliding window on the given clock; `over()` says the vendor would answer 429 now. */
export function slidingWindow(clock: { now(): number }, limit: number, windowMs: number) {
  const times: number[] = [];
  return {
    hit(): boolean {
      const now = clock.now();
      while (times.length && times[0]! <= now - windowMs) times.shift();
      times.push(now);
      return times.length > limit;
    },
    remaining(): number {
      const now = clock.now();
      return Math.max(0, limit - times.filter((t) => t > now - windowMs).length);
    },
  };
}
