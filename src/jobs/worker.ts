/**
 * Background work inside `vorder serve`: a loop that claims jobs from the queue and runs their
 * handler, the scheduler that enqueues what is due (dunning runs per administration at their
 * set time, nightly care checks), and the delivery of the dunning outbox. Every process runs the
 * same loop; the database decides who does what.
 */
import { hostname } from 'node:os';
import type { Db } from '../store/db.ts';
import { listAdministrations, getAdministration, type Administration } from '../store/administrations.ts';
import { actFor } from '../app/audit.ts';
import { todayIn } from '../domain/dates.ts';
import { sendRun } from '../app/dunning.ts';
import { deliverDue } from '../app/dunning-delivery.ts';
import { compactChangeMarks, computeProposal } from '../app/dunning-proposal.ts';
import { runCareChecks } from '../app/care.ts';
import { readMailbox } from '../app/inbound-reader.ts';
import { enabledMailboxes } from '../store/inbound.ts';
import { claimJob, completeJob, enqueue, failJob, type Job } from './queue.ts';
import { runSync, syncAll } from '../app/connectors/connections.ts';
import { listActiveConnections } from '../store/connections.ts';
import { buildConnector } from '../connectors/registry.ts';

export type Schedule = { frequency: 'daily' | 'weekly' | 'off'; time: string; weekday?: number; autoSend?: boolean };

export function scheduleOf(settings: Record<string, unknown>): Schedule {
  const s = (settings.dunningSchedule ?? {}) as Partial<Schedule>;
  const time = typeof s.time === 'string' && /^\d{2}:\d{2}$/.test(s.time) ? s.time : '07:00';
  return { frequency: s.frequency === 'weekly' || s.frequency === 'off' ? s.frequency : 'daily', time, weekday: s.weekday ?? 1, autoSend: s.autoSend === true };
}

/** Local (Amsterdam) date and time of an instant. */
export function localNow(now: Date, timeZone = 'Europe/Amsterdam'): { date: string; time: string; weekday: number } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hour12: false }).formatToParts(now).map((p) => [p.type, p.value]));
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`, weekday: wd };
}

/** Enqueue the scheduled jobs that are due now (idempotent: singleton keys per administration and day). */
export async function scheduleDue(db: Db, now = new Date()): Promise<number> {
  let n = 0;
  const local = localNow(now);
  for (const admin of await listAdministrations(db)) {
    const s = scheduleOf(admin.settings);
    if (s.frequency !== 'off' && local.time >= s.time && (s.frequency === 'daily' || local.weekday === s.weekday)) {
      if ((await enqueue(db, 'dunning-run', { administrationId: admin.id, asOf: local.date, send: s.autoSend }, { singletonKey: `dunning-run:${admin.id}:${local.date}` })) !== null) n++;
    }
    if (db.engine === 'pglite' && local.time >= '03:00' && (await enqueue(db, 'maintenance', {}, { singletonKey: `maintenance:${local.date}` })) !== null) n++;
    if (local.time >= '02:00' && (await enqueue(db, 'care-checks', { administrationId: admin.id, asOf: local.date }, { singletonKey: `care-checks:${admin.id}:${local.date}` })) !== null) n++;
  }
  // inbound mail: one read per mailbox per poll period (the singleton key), one reader at a time (the mailbox's lease)
  const period = Math.floor(now.getTime() / INBOUND_POLL_MS);
  for (const m of await enabledMailboxes(db)) {
    if ((await enqueue(db, 'inbound-fetch', { administrationId: m.administration_id }, { singletonKey: `inbound-fetch:${m.id}:${period}`, maxAttempts: 1 })) !== null) n++;
  }
  // every connection to an accounting package syncs by itself once an hour
  const hour = now.toISOString().slice(0, 13);
  for (const c of await listActiveConnections(db)) {
    if ((await enqueue(db, 'connector-sync', { administrationId: c.administration_id, connectionId: c.id, trigger: 'schedule' }, { singletonKey: `connector-sync:${c.id}:${hour}` })) !== null) n++;
  }
  return n;
}

/** How often each inbound mailbox is read. */
export const INBOUND_POLL_MS = 2 * 60_000;

export type Handlers = Record<string, (db: Db, job: Job) => Promise<unknown>>;

/** Each job for an administration runs confined to it (row-level security) and leaves an audit row. */
const forAdministration = <T>(db: Db, job: Job, fn: (db: Db, admin: Administration) => Promise<T>) => {
  const id = Number(job.payload.administrationId);
  if (!Number.isSafeInteger(id) || id < 1) return Promise.resolve({ skipped: 'no administration' });
  return actFor(db, id, { action: `job ${job.queue}`, actor: 'scheduler', target: `job ${job.id}` }, async (scoped) => {
    const admin = await getAdministration(scoped, id);
    return admin ? fn(scoped, admin) : { skipped: 'administration gone' };
  });
};

export const DEFAULT_HANDLERS: Handlers = {
  'dunning-run': async (base, job) => {
    // before every run: what was paid in the accounting package since the last sync is settled first
    // (a sync that fails leaves the data stale, and the run's gate then blocks it)
    const adminId = Number(job.payload.administrationId);
    if (job.payload.send && Number.isSafeInteger(adminId) && adminId > 0) await syncAll(base, adminId, buildConnector, { trigger: 'before dunning run' });
    return forAdministration(base, job, async (db, admin) => {
    const asOf = String(job.payload.asOf ?? todayIn());
    if (!job.payload.send) return { preview: true };
    const r = await sendRun(db, admin, { asOf, trigger: 'schedule', actor: 'scheduler' });
    return { runId: r.runId, queued: r.queued, email: r.email, paper: r.paper, tasks: r.tasks, refused: r.refused?.messages ?? 0, blocked: r.blocked?.reason ?? null };
    });
  },
  // one sync of a connection (each page commits on its own); Exact's daily limit defers it to the reset
  'connector-sync': async (db, job) => {
    const administrationId = Number(job.payload.administrationId), connectionId = Number(job.payload.connectionId);
    if (!Number.isSafeInteger(administrationId) || !Number.isSafeInteger(connectionId)) return { skipped: 'no connection' };
    const r = await runSync(db, administrationId, connectionId, buildConnector, { trigger: String(job.payload.trigger ?? 'schedule') });
    if (r.status === 'deferred' && r.deferredUntil)
      await enqueue(db, 'connector-sync', { administrationId, connectionId, trigger: 'resume after the daily limit' }, { runAt: new Date(r.deferredUntil), singletonKey: `connector-sync:${connectionId}:resume:${r.deferredUntil}` });
    return { status: r.status, counts: r.counts, error: r.error };
  },
  'dunning-proposal': (db, job) => forAdministration(db, job, async (db, admin) => {
    const p = await computeProposal(db, admin, String(job.payload.asOf));
    return { messages: p.totals.messages, seconds: p.seconds };
  }),
  // The embedded engine has no autovacuum: the tables that many statements update (open amounts,
  // derived totals, the outbox, jobs) are vacuumed and analysed once a night.
  maintenance: async (db) => {
    if (db.engine !== 'pglite') return { skipped: 'the server vacuums itself' };
    const tables = ['items', 'debtor_totals', 'open_by_due_date', 'ledger_days', 'change_marks', 'bank_lines', 'dunning_actions', 'jobs', 'sessions'];
    for (const t of tables) await db.exec(`VACUUM (ANALYZE) ${t}`);
    return { vacuumed: tables };
  },
  // not one transaction for the whole read: each message commits before it is moved (app/inbound-reader.ts)
  'inbound-fetch': async (db, job) => {
    const id = Number(job.payload.administrationId);
    if (!Number.isSafeInteger(id) || id < 1) return { skipped: 'no administration' };
    return readMailbox(db, id);
  },
  'care-checks': (db, job) => forAdministration(db, job, async (db, admin) => {
    await compactChangeMarks(db, admin.id);
    return runCareChecks(db, admin, String(job.payload.asOf));
  }),
};

export type WorkerHandle = { stop(): Promise<void>; tick(): Promise<void> };

/** Start the background loop; `tick` runs one round (used by tests). */
export function startWorker(db: Db, opts: { intervalMs?: number; handlers?: Handlers; workerId?: string; log?: (s: string) => void; /** the address portal links in mail start with (serve passes its own) */ publicUrl?: string } = {}): WorkerHandle {
  const handlers = opts.handlers ?? DEFAULT_HANDLERS;
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}`;
  const log = opts.log ?? (() => undefined);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    await scheduleDue(db);
    for (let i = 0; i < 20 && !stopped; i++) {
      const job = await claimJob(db, Object.keys(handlers), workerId);
      if (!job) break;
      try {
        const result = await handlers[job.queue]!(db, job);
        await completeJob(db, job.id, result);
        log(`job ${job.id} ${job.queue} done`);
      } catch (e) {
        await failJob(db, job, (e as Error).message);
        log(`job ${job.id} ${job.queue} failed: ${(e as Error).message}`);
      }
    }
    const d = await deliverDue(db, { limit: 500, workerId, ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}) });
    if (d.claimed || d.uncertain) log(`outbox: ${d.sent} sent, ${d.failed} failed, ${d.uncertain} uncertain`);
  };
  const interval = opts.intervalMs ?? 15_000;
  const loop = async () => {
    while (!stopped) {
      running = tick().catch((e) => log(`worker error: ${(e as Error).message}`));
      await running;
      await new Promise((r) => setTimeout(r, interval).unref());
    }
  };
  void loop();
  return {
    async stop() {
      stopped = true;
      await running;
    },
    tick,
  };
}
