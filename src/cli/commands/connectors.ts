/**
 * Connections to an accounting package: `vorder connect moneybird|yuki|exact …`, `vorder
 * connections [list|pause|resume|disconnect|approve|reject]`, `vorder sync [--connection N] [--full]`.
 * Secrets may come from the environment (VORDER_CONNECT_SECRET) instead of the command line.
 */
import type { Command } from 'commander';
import {
  changeConnectionSettings, connect, decideReview, disconnect, listConnectionViews, pauseConnection, runSync, startAuthorisation, type ConnectionView,
} from '../../app/connectors/connections.ts';
import { buildConnector, DEFAULT_BASE_URLS } from '../../connectors/registry.ts';
import { invalid } from '../../app/errors.ts';
import { table } from '../output.ts';
import { out, withAdmin, type GlobalOptions } from '../context.ts';

const secretOf = (v: string | undefined, flag: string): string => {
  const s = v ?? process.env.VORDER_CONNECT_SECRET;
  if (!s) throw invalid(`${flag} is required (or set VORDER_CONNECT_SECRET)`, [{ field: flag, code: 'required', message: `${flag} is required` }]);
  return s;
};
const need = (v: string | undefined, flag: string): string => {
  if (!v?.trim()) throw invalid(`${flag} is required`, [{ field: flag, code: 'required', message: `${flag} is required` }]);
  return v.trim();
};
const idOf = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(`"${v}" is not a connection id`, [{ field: 'id', code: 'invalid', message: 'a connection id is a positive number' }]);
  return n;
};

function rows(list: ConnectionView[]) {
  return table(list.map((c) => ({
    id: c.id, pkg: c.vendorName, status: c.status, phase: c.phase === 'initial' ? 'first load' : 'incremental', last: c.lastSuccessAt?.slice(0, 16).replace('T', ' ') ?? '-',
    counts: c.lastCounts ? Object.entries(c.lastCounts).map(([k, v]) => `${k} ${v}`).join(', ') : '', error: c.review ? 'waits for a decision (vorder connections approve|reject)' : c.lastError ?? '',
  })), [
    { key: 'id', label: 'id', align: 'right' }, { key: 'pkg', label: 'package' }, { key: 'status', label: 'status' }, { key: 'phase', label: 'phase' },
    { key: 'last', label: 'last good sync (UTC)' }, { key: 'counts', label: 'last counts' }, { key: 'error', label: 'error' },
  ]);
}

export function registerConnectorCommands(program: Command, g: () => GlobalOptions): void {
  const c = program.command('connect').description('connect an accounting package (Moneybird, Exact Online, Yuki); the first full load runs as a job, or with `vorder sync`');

  c.command('moneybird')
    .description('connect Moneybird with a personal API token (moneybird.com/user/applications/new, scope sales_invoices)')
    .option('--token <token>', 'the API token (or VORDER_CONNECT_SECRET)')
    .requiredOption('--administration <id>', 'the Moneybird administration id (the number after moneybird.com/ in the address bar)')
    .option('--base-url <url>', 'the API host', DEFAULT_BASE_URLS.moneybird)
    .option('--label <name>', 'a name for the connection')
    .action(async (o: { token?: string; administration: string; baseUrl: string; label?: string }) => {
      const opts = g();
      await withAdmin(opts, 'connect moneybird', async ({ db }, admin) => {
        const v = await connect(db, admin, { vendor: 'moneybird', label: o.label, baseUrl: o.baseUrl, externalAdmin: need(o.administration, '--administration'), secret: { token: secretOf(o.token, '--token') } }, buildConnector);
        out(opts, v, () => `connected: Moneybird (connection ${v.id}); run \`vorder sync --connection ${v.id}\` for the first load, or let the server do it\n`);
      });
    });

  c.command('yuki')
    .description('connect Yuki with a web service access key (Yuki: Instellingen → Webservices)')
    .option('--access-key <key>', 'the access key (or VORDER_CONNECT_SECRET)')
    .requiredOption('--administration <id>', 'the Yuki administration id (a GUID)')
    .option('--base-url <url>', 'the web service host', DEFAULT_BASE_URLS.yuki)
    .option('--label <name>', 'a name for the connection')
    .action(async (o: { accessKey?: string; administration: string; baseUrl: string; label?: string }) => {
      const opts = g();
      await withAdmin(opts, 'connect yuki', async ({ db }, admin) => {
        const v = await connect(db, admin, { vendor: 'yuki', label: o.label, baseUrl: o.baseUrl, externalAdmin: need(o.administration, '--administration'), secret: { accessKey: secretOf(o.accessKey, '--access-key') } }, buildConnector);
        out(opts, v, () => `connected: Yuki (connection ${v.id})\n`);
      });
    });

  c.command('exact')
    .description('start connecting Exact Online (OAuth2): prints the address where someone with access to the division authorises Vorder')
    .requiredOption('--division <code>', 'the Exact Online division (administration) code')
    .requiredOption('--client-id <id>', 'the client id of your app in the Exact App Center')
    .option('--client-secret <secret>', 'its client secret (or VORDER_CONNECT_SECRET)')
    .requiredOption('--redirect-uri <url>', "the app's redirect URI: https://<your vorder>/api/connectors/exact/callback")
    .option('--base-url <url>', 'the Exact host of your country', DEFAULT_BASE_URLS.exact)
    .option('--label <name>', 'a name for the connection')
    .action(async (o: { division: string; clientId: string; clientSecret?: string; redirectUri: string; baseUrl: string; label?: string }) => {
      const opts = g();
      await withAdmin(opts, 'connect exact', async ({ db }, admin) => {
        const r = await startAuthorisation(db, admin, { vendor: 'exact', label: o.label, baseUrl: o.baseUrl, externalAdmin: o.division, clientId: o.clientId, clientSecret: secretOf(o.clientSecret, '--client-secret'), redirectUri: o.redirectUri }, buildConnector);
        out(opts, r, () => `connection ${r.connection.id} waits for authorisation: open\n  ${r.authorizeUrl}\nwhile \`vorder serve\` runs at the redirect URI\n`);
      });
    });

  const list = program.command('connections').description('the connections to accounting packages: status, last sync, counts and errors');
  list.command('list', { isDefault: true }).description('list them').action(async () => {
    const opts = g();
    await withAdmin(opts, 'connections', async ({ db }, admin) => {
      const l = await listConnectionViews(db, admin);
      out(opts, l, () => (l.length ? rows(l) : 'no connections (vorder connect moneybird|exact|yuki)\n'));
    });
  });
  for (const [cmd, what] of [['pause', 'stop syncing'], ['resume', 'sync again'], ['disconnect', 'disconnect (the secret is wiped; the items stay)'], ['approve', 'close the items a refused sync wanted to close'], ['reject', 'keep the items a refused sync wanted to close open']] as const) {
    list.command(`${cmd} <id>`).description(what).option('--user <name>', 'who decides').action(async (id: string, o: { user?: string }) => {
      const opts = g();
      await withAdmin(opts, `connections ${cmd}`, async ({ db }, admin) => {
        const n = idOf(id);
        if (cmd === 'pause' || cmd === 'resume') await pauseConnection(db, admin, n, cmd === 'pause');
        else if (cmd === 'disconnect') await disconnect(db, admin, n);
        else {
          const r = await decideReview(db, admin, n, cmd === 'approve', o.user ?? process.env.VORDER_USER ?? process.env.USER ?? null);
          out(opts, r, () => `${r.closed} item(s) closed\n`);
          return;
        }
        out(opts, { id: n, done: cmd }, () => `connection ${n}: ${cmd}${cmd.endsWith('e') ? 'd' : 'ed'}\n`);
      });
    });
  }
  list.command('set <id>').description('settings of a connection').requiredOption('--max-close-share <share>', 'the share of open items (0–1, default 0.2) one sync may close before it is refused').action(async (id: string, o: { maxCloseShare: string }) => {
    const opts = g();
    await withAdmin(opts, 'connections set', async ({ db }, admin) => {
      const v = await changeConnectionSettings(db, admin, idOf(id), { maxCloseShare: Number(o.maxCloseShare) });
      out(opts, v, () => `connection ${v.id}: at most ${Math.round(v.settings.maxCloseShare * 100)} % of open items closed per sync\n`);
    });
  });

  program.command('sync').description('sync the connections to accounting packages now (all active ones, or one)')
    .option('--connection <id>', 'only this connection')
    .option('--full', 'a full load instead of the changes since the last sync')
    .action(async (o: { connection?: string; full?: boolean }) => {
      const opts = g();
      await withAdmin(opts, 'sync', async ({ db }, admin) => {
        const ids = o.connection ? [idOf(o.connection)] : (await listConnectionViews(db, admin)).filter((x) => x.status === 'active' || x.status === 'error').map((x) => x.id);
        const results: Awaited<ReturnType<typeof runSync>>[] = [];
        for (const id of ids) results.push(await runSync(db, admin.id, id, buildConnector, { trigger: 'cli', full: o.full, actor: process.env.VORDER_USER ?? undefined }));
        out(opts, results, () => results.length ? results.map((r) => `connection ${r.connectionId}: ${r.status}${Object.keys(r.counts).length ? ` (${Object.entries(r.counts).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}${r.error ? `: ${r.error}` : ''}\n`).join('') : 'no active connections\n');
        if (results.some((r) => r.status === 'failed' || r.status === 'refused')) process.exitCode = 7; // refused (exit codes: src/cli/output.ts)
      });
    });
}
