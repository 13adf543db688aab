/** Every command of `ws`, registered on the program. Declarations only: implementations load lazily. */
import type { Command } from 'commander';
import { configCommand } from './config.js';
import { dbCommand } from './db/index.js';
import { execCommand, logsCommand } from './exec-logs.js';
import { resourceCommand } from './resources.js';

export function registerCommands(program: Command): void {
  for (const verb of ['up', 'down', 'restart', 'patch'] as const) program.addCommand(resourceCommand(verb));
  program.addCommand(dbCommand());
  program.addCommand(execCommand());
  program.addCommand(logsCommand());
  program.addCommand(configCommand());
}
