/**
 * A separate reader process for the kill test: reads the mailbox of the first administration once.
 * PAUSE_AFTER_COMMIT=N waits (to be killed) after the N-th message is committed, before its move;
 * PAUSE_BEFORE_COMMIT=N waits inside the N-th message's transaction, after its effects.
 * The database comes from VORDER_DATA (embedded) or DATABASE_URL (server).
 */
import { openDatabase } from '../../src/store/open.ts';
import { listAdministrations } from '../../src/store/administrations.ts';
import { readMailbox } from '../../src/app/inbound-reader.ts';

const opened = await openDatabase({ command: 'test-child inbound' });
const admin = (await listAdministrations(opened.db))[0]!;
const after = Number(process.env.PAUSE_AFTER_COMMIT ?? 0);
const before = Number(process.env.PAUSE_BEFORE_COMMIT ?? 0);
let committed = 0, inTx = 0;
const wait = () => new Promise((r) => setTimeout(r, 600_000));
process.stdout.write('ready\n');
const r = await readMailbox(opened.db, admin.id, {
  reader: `child-${process.pid}`, leaseSeconds: Number(process.env.LEASE_SECONDS ?? 600),
  hooks: {
    beforeCommit: async (uid) => {
      if (++inTx === before) {
        process.stdout.write(`in transaction ${uid}\n`);
        await wait();
      }
    },
    afterCommit: async (uid) => {
      if (++committed === after) {
        process.stdout.write(`committed ${uid}\n`);
        await wait();
      }
    },
  },
});
process.stdout.write(`read ${JSON.stringify(r)}\n`);
await opened.close();
process.stdout.write('done\n');
