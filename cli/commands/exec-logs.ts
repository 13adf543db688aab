/** `ws exec` and `ws logs`: declarations; implementations dispatch to the env's driver. */
import { Command } from 'commander';
import { envOption } from '../options.js';

export function execCommand(): Command {
  return envOption(new Command('exec'))
    .description('run a command in a running container (docker exec / ECS ExecuteCommand)')
    .option('-n, --name <name>', 'container or service (substring; default: the app)')
    .option('-T, --no-tty', 'do not allocate a terminal')
    .argument('<command...>', 'the command, after --')
    .passThroughOptions()
    .addHelpText('after', '\nExamples:\n  ws exec -- ws db migrate\n  ws exec -e dev -n db -- psql -U ai ai\n  ws exec -e prd -- node bin/ws.js db status --direct')
    .action(async (command: string[], opts: { env?: string; name?: string; tty?: boolean }) => {
      const { runExec } = await import('./exec-logs.impl.js');
      await runExec(command, opts);
    });
}

export function logsCommand(): Command {
  return envOption(new Command('logs'))
    .description('show container logs (docker logs / CloudWatch Logs)')
    .option('-n, --name <name>', 'container or service (substring; default: the app)')
    .option('-f, --follow', 'keep streaming new lines')
    .option('--tail <lines>', 'only the last N lines', '200')
    .addHelpText('after', '\nExamples:\n  ws logs -e dev -n db\n  ws logs -e prd --follow')
    .action(async (opts: { env?: string; name?: string; follow?: boolean; tail?: string }) => {
      const { runLogs } = await import('./exec-logs.impl.js');
      await runLogs(opts);
    });
}
