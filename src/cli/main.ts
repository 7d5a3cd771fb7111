/** The `vorder` command line. Each command group registers itself from cli/commands/. */
import { Command, CommanderError } from 'commander';
import { registerLedgerCommands } from './commands/ledger.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerBankCommands } from './commands/bank.ts';
import { registerDunningCommands } from './commands/dunning.ts';
import { registerCareCommands } from './commands/care.ts';
import { registerMandateCommands } from './commands/mandates.ts';
import { registerInboxCommands } from './commands/inbox.ts';
import { registerCollectCommands } from './commands/collect.ts';
import { registerRefundCommands } from './commands/refunds.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerPublicUrlCommand } from './commands/public-url.ts';
import { registerConnectorCommands } from './commands/connectors.ts';
import { EXIT, exitCodeFor, printError } from './output.ts';
import type { GlobalOptions } from './context.ts';

const program = new Command();
program
  .name('vorder')
  .description('Vorder: credit management (debiteurenbeheer): open items, bank matching, dunning.')
  .option('--data <dir>', 'data directory of the embedded database (or VORDER_DATA; default ./data). DATABASE_URL selects a PostgreSQL server instead.')
  .option('--admin <name>', 'administration (name or id) when there are several')
  .option('--json', 'machine-readable output')
  .exitOverride()
  .showHelpAfterError();

const g = (): GlobalOptions => program.opts<GlobalOptions>();
registerServeCommand(program, g);
registerLedgerCommands(program, g);
registerBankCommands(program, g);
registerDunningCommands(program, g);
registerCareCommands(program, g);
registerMandateCommands(program, g);
registerInboxCommands(program, g);
registerCollectCommands(program, g);
registerRefundCommands(program, g);
registerUserCommands(program, g);
registerPublicUrlCommand(program, g);
registerConnectorCommands(program, g);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  printError(err, g().json ?? false);
  process.exit(exitCodeFor(err));
}
