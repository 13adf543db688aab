/** Every command of `ws`, registered on the program. Declarations only: implementations load lazily. */
import type { Command } from 'commander';
import { configCommand } from './config.js';
import { dbCommand } from './db/index.js';

export function registerCommands(program: Command): void {
  program.addCommand(configCommand());
  program.addCommand(dbCommand());
}
