/** `vorder public-url [URL]`: show or set the address every mailed link starts with (app/links.ts). */
import type { Command } from 'commander';
import { resolvePublicUrl, setPublicUrl } from '../../app/links.ts';
import { out, withDb, type GlobalOptions } from '../context.ts';

export function registerPublicUrlCommand(program: Command, g: () => GlobalOptions): void {
  program
    .command('public-url [url]')
    .description('show or set the public address of this installation, used in mailed links (password reset, invitations)')
    .option('--unset', 'remove the setting')
    .action(async (url: string | undefined, o: { unset?: boolean }) => {
      const opts = g();
      await withDb(opts, 'public-url', async ({ db }) => {
        if (url !== undefined || o.unset) await setPublicUrl(db, o.unset ? null : url!);
        const r = await resolvePublicUrl(db);
        const overridden = url !== undefined && r.source === 'env';
        out(opts, { publicUrl: r.url, source: r.source, reason: r.reason ?? null }, () =>
          r.url
            ? `${r.url}  (from ${r.source === 'env' ? 'VORDER_PUBLIC_URL' : 'the setting'})\n${overridden ? 'note: VORDER_PUBLIC_URL is set and wins over the setting\n' : ''}`
            : `no public URL configured: on a loopback address \`vorder serve\` uses http://127.0.0.1:PORT; elsewhere it mails no links.\nSet one: vorder public-url https://vorder.example.nl\n`,
        );
      });
    });
}
