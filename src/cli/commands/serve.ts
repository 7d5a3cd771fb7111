/** `vorder serve`: the HTTP API (and later the web app and the scheduler) on one port. */
import { useDataDirForSecrets } from '../../app/connectors/secrets.ts';
import type { Command } from 'commander';
import { serve } from '@hono/node-server';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, openDatabase } from '../../store/open.ts';
import { ensureDefaultAdministration } from '../../app/administrations.ts';
import { seedDemo } from '../../app/demo/seed.ts';
import { todayIn } from '../../domain/dates.ts';
import { createApp } from '../../http/app.ts';
import { createSetupToken } from '../../app/auth.ts';
import { resolvePublicUrl } from '../../app/links.ts';
import { startWorker } from '../../jobs/worker.ts';
import { demoPortalLink } from '../../app/portal.ts';
import type { Administration } from '../../store/administrations.ts';
import type { GlobalOptions } from '../context.ts';

export function registerServeCommand(program: Command, g: () => GlobalOptions): void {
  program
    .command('serve')
    .description('start the Vorder server (API at /api, docs at /api/docs)')
    .option('--port <n>', 'port (or PORT)', process.env.PORT ?? '3000')
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--demo', 'fill a demo administration with realistic data on first start')
    .option('--no-worker', 'do not run scheduled and background work in this process')
    .action(async (o: { port: string; host: string; demo?: boolean; worker: boolean }) => {
      const opts = g();
      if (opts.data) useDataDirForSecrets(opts.data);
      const opened = await openDatabase({ dataDir: opts.data, command: 'serve' });
      let demoAdmin: Administration | undefined;
      if (o.demo) {
        const t = Date.now();
        const r = await seedDemo(opened.db, { asOf: todayIn() });
        demoAdmin = r.admin;
        if (r.created) console.log(`demo data created in ${((Date.now() - t) / 1000).toFixed(1)} s: administration "${r.admin.name}"`);
        if (r.statement) {
          const file = join(opts.data ?? (process.env.DATABASE_URL ? '.' : defaultDataDir()), 'demo-bankafschrift.xml');
          writeFileSync(file, r.statement);
          console.log(`a bank statement to import: ${file}  (vorder import statement ${file}, or upload it in the web app)`);
        }
      }
      await ensureDefaultAdministration(opened.db);
      // first run: no user yet — a one-time link to create the first administrator (no default password)
      const setupToken = await createSetupToken(opened.db);
      const port = Number(o.port);
      const listen = { host: o.host, port };
      const app = createApp({ db: opened.db, listen });
      // mailed links (reset, invitations) only from a configured address: say at once when there is none
      const pub = await resolvePublicUrl(opened.db, { listen });
      // the demo: one demo debtor's portal (every reminder mail and letter carries its own link)
      const portal = demoAdmin && pub.url ? await demoPortalLink(opened.db, demoAdmin, pub.url) : null;
      if (pub.url === null) console.warn(`WARNING: ${pub.reason}. Until then password-reset and invitation mails are refused.`);
      const server = serve({ fetch: app.fetch, port, hostname: o.host }, (info) => {
        const url = `http://${o.host === '0.0.0.0' ? 'localhost' : o.host}:${info.port}`;
        opened.lock?.update({ url });
        console.log(`Vorder is running on ${opened.description}`);
        console.log(`  ${url}/          (web app)`);
        console.log(`  ${url}/api/docs  (API documentation)`);
        if (pub.url) console.log(`  links in mail start with ${pub.url} (${pub.source === 'loopback' ? 'this machine only: set VORDER_PUBLIC_URL or `vorder public-url` for others' : pub.source})`);
        if (portal) console.log(`  ${portal.url}  (the debtor portal of demo debtor ${portal.debtorNumber})`);
        if (setupToken) {
          console.log(`\nFirst start: no user exists yet. Create the first administrator here (the link works once):`);
          console.log(`  ${url}/setup?token=${setupToken}`);
          console.log(`or on the command line: VORDER_PASSWORD=… vorder users add you@example.nl --instance-admin\n`);
        }
      });
      const worker = o.worker ? startWorker(opened.db, { intervalMs: Number(process.env.VORDER_WORKER_INTERVAL_MS ?? 15_000), log: (s) => console.log(`[worker] ${s}`), ...(pub.url ? { publicUrl: pub.url } : {}) }) : null;
      const stop = async () => {
        server.close();
        await worker?.stop();
        await opened.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
