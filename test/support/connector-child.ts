/**
 * A separate process for the connector kill test: syncs one connection and says `page N` after
 * each committed page. The database comes from VORDER_DATA (embedded) or DATABASE_URL (server).
 */
import { openDatabase } from '../../src/store/open.ts';
import { runSync } from '../../src/app/connectors/connections.ts';
import { buildConnector } from '../../src/connectors/registry.ts';

const opened = await openDatabase({ command: 'test-child sync' });
const r = await runSync(opened.db, Number(process.env.ADMIN_ID), Number(process.env.CONNECTION_ID), buildConnector, {
  onPage: (n) => {
    process.stdout.write(`page ${n}\n`);
  },
});
process.stdout.write(`${r.status}\n`);
await opened.close();
