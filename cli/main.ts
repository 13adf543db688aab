/**
 * The commander program. Command modules only declare options and lazily import their
 * implementation inside the action, so `ws --help` loads commander and nothing else.
 */
import { Command, CommanderError } from 'commander';
import { describeError, exitCodeOf } from './errors.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('ws')
    .description('Run a Postgres-backed service on local Docker (dev) and AWS ECS (prd) from a TypeScript workspace.')
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces and debug output')
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions();
  registerCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const sub of program.commands) exitOverrideDeep(sub);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') return error.exitCode;
      return 2; // commander already printed the usage error
    }
    const debug = argv.includes('--debug') || process.env.WS_DEBUG === '1';
    process.stderr.write(`error: ${describeError(error, debug)}\n`);
    return exitCodeOf(error);
  }
}

function exitOverrideDeep(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOverrideDeep(sub);
}
