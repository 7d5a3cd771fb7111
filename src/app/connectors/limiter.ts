/** The token bucket of a connection, kept in `connections.rate_state` so every process shares it. */
import type { Db } from '../../store/db.ts';
import { withAdministration } from '../../store/tenant.ts';
import { observe, take, VENDOR_LIMITS, type BucketState } from '../../domain/connectors/rate-limit.ts';
import { RateLimitedUntil, VENDOR_NAMES, type Clock, type RateGate, type Vendor } from '../../domain/connectors/types.ts';

export function dbRateGate(db: Db, administrationId: number, connectionId: number, vendor: Vendor, clock: Clock): RateGate {
  const limits = VENDOR_LIMITS[vendor];
  const load = async (s: Db) => {
    const [r] = await s.query<{ rate_state: BucketState | Record<string, never> }>('SELECT rate_state FROM connections WHERE administration_id = $1 AND id = $2 FOR UPDATE', [administrationId, connectionId]);
    return r && 'recent' in r.rate_state ? (r.rate_state as BucketState) : null;
  };
  const save = (s: Db, st: BucketState) => s.query('UPDATE connections SET rate_state = $3 WHERE administration_id = $1 AND id = $2', [administrationId, connectionId, JSON.stringify(st)]);
  return {
    async acquire() {
      for (;;) {
        const t = await withAdministration(db, administrationId, async (s) => {
          const r = take(await load(s), limits, clock.now());
          await save(s, r.state);
          return r;
        });
        if (t.ok) return;
        if (t.dailyExhausted) throw new RateLimitedUntil(new Date(clock.now() + t.waitMs), `${VENDOR_NAMES[vendor]}: Vorder's count of today's ${limits.daily} calls is spent`);
        await clock.sleep(t.waitMs);
      }
    },
    async observe(h) {
      if (h.minutelyRemaining == null && h.dailyRemaining == null) return;
      await withAdministration(db, administrationId, async (s) => {
        const st = await load(s);
        if (st) await save(s, observe(st, limits, h, clock.now()));
      });
    },
  };
}
