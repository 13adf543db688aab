/** `ws up | down | restart | patch`: declarations only; the shared engine runs in resources.impl.ts. */
import { Command } from 'commander';
import { filterOptions, planOptions } from '../options.js';
import type { Verb } from '../../infra/plan.js';

const DESCRIPTIONS: Record<Verb, string> = {
  up: 'create what is missing and converge what drifted',
  down: 'delete the resources this workspace created (volumes and images kept unless -t names them)',
  restart: 'recreate containers / redeploy services',
  patch: 'update existing resources that differ from the workspace (register a task definition, roll a service...)',
};

const EXAMPLES: Record<Verb, string> = {
  up: '  ws up --env dev\n  ws up -e prd -i aws -y\n  ws up dev:docker:db',
  down: '  ws down --env dev -y\n  ws down -e dev -t volume -y   # also delete the data volume',
  restart: '  ws restart -e dev -n api -y',
  patch: '  ws patch --env prd --infra aws --name td\n  ws patch --name service -y\n  ws patch -e dev --dry-run --json',
};

export function resourceCommand(verb: Verb): Command {
  const command = planOptions(filterOptions(new Command(verb)))
    .description(DESCRIPTIONS[verb])
    .addHelpText('after', `\nExamples:\n${EXAMPLES[verb]}`);
  if (verb === 'patch' || verb === 'up' || verb === 'restart') {
    command
      .option('--no-wait', 'aws: return after updating a service instead of waiting for the rollout')
      .option('--timeout <minutes>', 'aws: how long to wait for a service rollout', '15');
  }
  return command.action(async (filter: string | undefined, opts) => {
    const { runResourceCommand } = await import('./resources.impl.js');
    await runResourceCommand(verb, filter, opts);
  });
}
