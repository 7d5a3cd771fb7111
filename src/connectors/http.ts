/**
 * The one way the package clients talk HTTP: every request first takes a token from the
 * connection's bucket (RateGate), 429 and 5xx answers are retried with backoff (the server's
 * Retry-After first), and Exact's daily limit ends the sync until the reset instead of waiting.
 * The clock is a parameter, so tests run the limits on a virtual clock.
 */
import { backoffMs } from '../domain/connectors/rate-limit.ts';
import { RateLimitedUntil, type Clock, type RateGate } from '../domain/connectors/types.ts';

export type { Clock, RateGate };
export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** A gate that lets everything through (connection tests before anything is stored). */
export const openGate: RateGate = { acquire: async () => undefined, observe: async () => undefined };

export type HttpOptions = { gate: RateGate; clock: Clock; fetch?: typeof fetch; maxAttempts?: number; vendorName: string };

const num = (v: string | null): number | null => (v === null || v.trim() === '' || !Number.isFinite(Number(v)) ? null : Number(v));

export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly body: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export async function request(url: string, init: RequestInit, o: HttpOptions): Promise<Response> {
  const max = o.maxAttempts ?? 6;
  const f = o.fetch ?? fetch;
  for (let attempt = 1; ; attempt++) {
    await o.gate.acquire();
    let res: Response;
    try {
      res = await f(url, init);
    } catch (e) {
      if (attempt >= max) throw new Error(`${o.vendorName} did not answer (${(e as Error).message}) after ${attempt} attempts`);
      await o.clock.sleep(backoffMs(attempt, null));
      continue;
    }
    const h = res.headers;
    await o.gate.observe({ minutelyRemaining: num(h.get('x-ratelimit-minutely-remaining')), dailyRemaining: num(h.get('x-ratelimit-remaining')) });
    if (res.status === 429) {
      const dailyLeft = num(h.get('x-ratelimit-remaining'));
      const reset = num(h.get('x-ratelimit-reset'));
      if (dailyLeft === 0 && reset !== null) {
        await res.body?.cancel();
        // Exact: the day's calls are spent; X-RateLimit-Reset is the reset moment in ms since the epoch
        throw new RateLimitedUntil(new Date(reset), `${o.vendorName}: the daily limit of API calls is reached until ${new Date(reset).toISOString()}`);
      }
    }
    if ((res.status === 429 || res.status >= 500) && attempt < max) {
      await res.body?.cancel();
      await o.clock.sleep(backoffMs(attempt, num(h.get('retry-after'))));
      continue;
    }
    return res;
  }
}

export async function expectOk(res: Response, what: string, vendorName: string): Promise<Response> {
  if (res.ok) return res;
  const body = (await res.text()).slice(0, 500);
  throw new HttpError(res.status, `${vendorName} ${what}: HTTP ${res.status}${body ? ` (${body.replace(/\s+/g, ' ').slice(0, 200)})` : ''}`, body);
}
