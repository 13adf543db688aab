/** Options shared by several commands, declared once. */
import { Option, type Command } from 'commander';

export function envOption(command: Command): Command {
  return command.addOption(new Option('-e, --env <env>', 'environment (default: the workspace default env)'));
}

/** The resource filters of phi: --env/--infra/--group/--name/--type and positional ENV:INFRA:GROUP:NAME:TYPE. */
export function filterOptions(command: Command): Command {
  return envOption(command)
    .argument('[filter]', 'ENV:INFRA:GROUP:NAME:TYPE (any part may be empty)')
    .option('-i, --infra <infra>', 'infrastructure: docker or aws')
    .option('-g, --group <group>', 'resource group (substring)')
    .option('-n, --name <name>', 'resource name (substring)')
    .option('-t, --type <type>', 'resource type (exact, case-insensitive; aliases such as td, sg)');
}

/** Plan-and-apply options: dry run, confirmation, force, json. */
export function planOptions(command: Command): Command {
  return command
    .option('--dry-run', 'show the plan and stop')
    .option('-y, --yes', 'apply without asking for confirmation')
    .option('-f, --force', 'recreate resources even when unchanged')
    .option('--pull', 'pull images before applying')
    .option('--json', 'print the plan/result as JSON on stdout');
}

export interface EnvOpts {
  env?: string;
}
export interface FilterOpts extends EnvOpts {
  infra?: string;
  group?: string;
  name?: string;
  type?: string;
}
export interface PlanOpts {
  dryRun?: boolean;
  yes?: boolean;
  force?: boolean;
  pull?: boolean;
  json?: boolean;
}
