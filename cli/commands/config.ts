import { Command } from 'commander';
import { envOption } from '../options.js';

export function configCommand(): Command {
  return envOption(new Command('config'))
    .description('print the resolved workspace settings (passwords masked)')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  ws config -e dev --json')
    .action(async (opts: { env?: string; json?: boolean }) => {
      const { runConfig } = await import('./config.impl.js');
      await runConfig(opts);
    });
}
