/**
 * A separate process for the kill tests: `send` plans and queues a dunning run, `deliver` delivers
 * the outbox. The database comes from VORDER_DATA (embedded) or DATABASE_URL (server).
 */
import { openDatabase } from '../../src/store/open.ts';
import { listAdministrations } from '../../src/store/administrations.ts';
import { sendRun } from '../../src/app/dunning.ts';
import { deliverDue } from '../../src/app/dunning-delivery.ts';

const mode = process.argv[2];
const opened = await openDatabase({ command: `test-child ${mode}` });
const admin = (await listAdministrations(opened.db))[0]!;
process.stdout.write('ready\n');
if (mode === 'send') {
  const r = await sendRun(opened.db, admin, { asOf: process.env.AS_OF ?? '2026-11-22', override: true, actor: 'child' });
  process.stdout.write(`queued ${r.queued}\n`);
} else if (mode === 'deliver') {
  const pause = Number(process.env.PAUSE_MS ?? 0);
  const r = await deliverDue(opened.db, {
    leaseSeconds: Number(process.env.LEASE_SECONDS ?? 2),
    onClaimed: async () => {
      if (pause) await new Promise((res) => setTimeout(res, pause));
    },
  });
  process.stdout.write(`delivered ${JSON.stringify(r)}\n`);
}
await opened.close();
process.stdout.write('done\n');
