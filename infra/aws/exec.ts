/**
 * `ws exec --env prd -- CMD` (ECS ExecuteCommand through AWS's session-manager-plugin) and
 * `ws logs --env prd` (CloudWatch Logs of the service's container).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { WsError } from '../../cli/errors.js';
import type { DriverContext } from '../driver.js';
import type { Resource } from '../resource.js';
import { ClientPool, clientConfig, type AwsClients } from './clients.js';
import * as ecs from './ecs.js';
import * as logs from './logs.js';
import type { PollSettings } from './poll.js';
import { pickService } from './target.js';

export const PLUGIN = 'session-manager-plugin';
export const PLUGIN_HELP =
  `ws exec on AWS needs AWS's ${PLUGIN}, which is not on PATH. Install it: ` +
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html ' +
  '(macOS: brew install --cask session-manager-plugin; Debian/Ubuntu: the session-manager-plugin.deb from that page, then sudo dpkg -i it), ' +
  `then check with: ${PLUGIN} --version`;

/** The plugin's path, or undefined when it is not on PATH. */
export function findOnPath(program: string, path: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, program);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** argv -> the one command string ECS exec takes, quoted where needed (pure). */
export function commandString(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface ExecOptions {
  readonly name?: string;
  readonly command: readonly string[];
  readonly interactive: boolean;
  readonly clients?: Partial<AwsClients>;
  /** Where to look for the plugin (tests); default process.env.PATH. */
  readonly path?: string;
}

export async function awsExec(ctx: DriverContext, resources: readonly Resource[], opts: ExecOptions): Promise<number> {
  const plugin = findOnPath(PLUGIN, opts.path);
  if (!plugin) throw new WsError(PLUGIN_HELP, { exitCode: 1 });
  const { service } = pickService(resources, opts.name);
  const { cluster, serviceName, containerName } = service.spec;
  const pool = new ClientPool(clientConfig(ctx), opts.clients);
  try {
    const client = await pool.ecs();
    const live = await ecs.requireService(client, cluster, serviceName);
    if (!live.enableExecuteCommand) throw new WsError(`service ${serviceName} in cluster ${cluster} has execute-command disabled: run ws patch -e ${ctx.env} -n service to enable it`);
    const arns = await ecs.listTasks(client, cluster, { serviceName, desiredStatus: 'RUNNING' });
    const tasks = (await ecs.describeTasks(client, cluster, arns)).filter((t) => t.lastStatus === 'RUNNING');
    const task = tasks[0];
    if (!task) throw new WsError(`service ${serviceName} in cluster ${cluster} has no running task (desired ${live.desiredCount ?? 0}, running ${live.runningCount ?? 0})`);
    const container = (task.containers ?? []).find((c) => c.name === containerName);
    const taskId = (task.taskArn ?? '').split('/').pop() ?? '';
    const out = await ecs.executeCommand(client, { cluster, task: task.taskArn ?? '', container: containerName, command: commandString(opts.command) });
    const target = { Target: `ecs:${cluster}_${taskId}_${container?.runtimeId ?? ''}` };
    const region = pool.region;
    const endpoint = pool.endpoint ?? `https://ssm.${region}.amazonaws.com`;
    const { execa } = await import('execa');
    const result = await execa(plugin, [JSON.stringify(out.session ?? {}), region, 'StartSession', ctx.vars.AWS_PROFILE ?? '', JSON.stringify(target), endpoint], {
      stdio: 'inherit',
      reject: false,
    });
    return result.exitCode ?? 1;
  } finally {
    await pool.close();
  }
}

export interface LogsOptions {
  readonly name?: string;
  readonly follow: boolean;
  readonly tail?: number;
  readonly clients?: Partial<AwsClients>;
  readonly poll?: PollSettings;
  /** Where lines go (default stdout: logs are this command's result). */
  readonly write?: (line: string) => void;
  /** Stops --follow (default: SIGINT). */
  readonly signal?: AbortSignal;
}

export async function awsLogs(ctx: DriverContext, resources: readonly Resource[], opts: LogsOptions): Promise<number> {
  const { service, taskDefinition } = pickService(resources, opts.name);
  if (!taskDefinition) throw new WsError(`service ${service.name}: its task definition ${service.spec.taskFamily} is not declared in workspace/${ctx.env}.ts`);
  const { logGroup, logStreamPrefix, name: container } = taskDefinition.spec.container;
  const write = opts.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const pool = new ClientPool(clientConfig(ctx), opts.clients);
  try {
    const client = await pool.logs();
    if (!(await logs.describeLogGroup(client, logGroup))) throw new WsError(`log group ${logGroup} does not exist: run ws up -e ${ctx.env} -i aws first`);
    const tail = opts.tail ?? 200;
    const streams = await logs.latestStreams(client, logGroup, undefined, 5);
    const recent = (await Promise.all(streams.filter((s) => s.startsWith(`${logStreamPrefix}/${container}/`)).map((s) => logs.lastEvents(client, logGroup, s, tail))))
      .flat()
      .sort((a, b) => a.timestamp - b.timestamp)
      .slice(-tail);
    const show = (e: logs.LogEvent) => write(`${(e.stream ?? '').split('/').pop()?.slice(0, 8) ?? ''} ${new Date(e.timestamp).toISOString()} ${e.message}`);
    if (tail > 0) recent.forEach(show);
    if (!opts.follow) return 0;
    const seen = new Set<string>();
    let since = recent.length ? recent[recent.length - 1]!.timestamp + 1 : Date.now();
    const controller = new AbortController();
    const signal = opts.signal ?? controller.signal;
    const onInt = () => controller.abort();
    if (!opts.signal) process.once('SIGINT', onInt);
    try {
      const interval = opts.poll?.intervalMs ?? 2_000;
      while (!signal.aborted) {
        for (const e of await logs.eventsSince(client, logGroup, since, `${logStreamPrefix}/${container}/`)) {
          const key = e.id ?? `${e.stream}/${e.timestamp}/${e.message}`;
          if (seen.has(key)) continue;
          seen.add(key);
          show(e);
          since = Math.max(since, e.timestamp);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, interval);
          signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
    } finally {
      process.off('SIGINT', onInt);
    }
    return 0;
  } finally {
    await pool.close();
  }
}
