/**
 * `ws db migrate --env prd`: a one-off Fargate task of the service's task definition, in the
 * service's network, with the command overridden to run the migrator in the container; waits for
 * it to stop, prints its CloudWatch logs, returns its exit code.
 */
import type { Task } from '@aws-sdk/client-ecs';
import { WsError } from '../../cli/errors.js';
import type { ApplyReporter, DriverContext } from '../driver.js';
import type { Resource } from '../resource.js';
import { ClientPool, clientConfig, type AwsClients, type Sender } from './clients.js';
import * as ecs from './ecs.js';
import { isThrottling } from './errors.js';
import * as logs from './logs.js';
import { DEFAULT_POLL, Poller, type PollSettings } from './poll.js';
import { duration } from './rollout.js';
import { keepLine, pickService } from './target.js';

export const MIGRATION_TIMEOUT_MS = 30 * 60_000;

/** The container command of the migration task (pure). */
export function migrationCommand(to?: string): string[] {
  return ['node', 'bin/ws.js', 'db', 'migrate', '--direct', ...(to ? ['--to', to] : [])];
}

export async function runMigrationTask(
  ctx: DriverContext,
  resources: readonly Resource[],
  opts: { to?: string; reporter: ApplyReporter; clients?: Partial<AwsClients>; poll?: PollSettings; timeoutMs?: number; print?: (line: string) => void },
): Promise<number> {
  const { service } = pickService(resources);
  const { cluster, serviceName, containerName } = service.spec;
  const reporter = opts.reporter;
  const print = opts.print ?? ((line: string) => keepLine(reporter, line));
  const pool = new ClientPool(clientConfig(ctx), opts.clients);
  try {
    const client = await pool.ecs();
    const live = await ecs.requireService(client, cluster, serviceName);
    const taskDefinition = live.taskDefinition ?? service.spec.taskFamily;
    const command = migrationCommand(opts.to);
    const network = live.networkConfiguration;
    if (!network?.awsvpcConfiguration?.subnets?.length) throw new WsError(`service ${serviceName} in cluster ${cluster} has no awsvpc network configuration to run the migration task in`);
    const task = await ecs.runTask(client, {
      cluster,
      taskDefinition,
      launchType: 'FARGATE',
      count: 1,
      networkConfiguration: network,
      startedBy: 'ws-db-migrate',
      propagateTags: 'TASK_DEFINITION',
      overrides: {
        containerOverrides: [{ name: containerName, command, environment: [{ name: 'MIGRATE_DB', value: 'false' }] }],
      },
    });
    const arn = task.taskArn ?? '';
    const id = arn.split('/').pop() ?? arn;
    keepLine(reporter, `migration task ${id} of ${taskDefinition.split('/').pop()} started in cluster ${cluster}: ${command.join(' ')}`);
    const stopped = await waitStopped(client, cluster, arn, reporter, opts.poll ?? DEFAULT_POLL, opts.timeoutMs ?? MIGRATION_TIMEOUT_MS);

    for (const line of await taskLogLines(client, await pool.logs(), stopped, containerName)) print(line);

    const container = (stopped.containers ?? []).find((c) => c.name === containerName);
    if (container?.exitCode === undefined || container.exitCode === null) {
      throw new WsError(`migration task ${id} in cluster ${cluster} stopped without an exit code: ${[stopped.stoppedReason, container?.reason].filter(Boolean).join('; ') || 'no reason given'}`);
    }
    keepLine(reporter, `migration task ${id} exited with code ${container.exitCode}`);
    return container.exitCode;
  } finally {
    await pool.close();
  }
}

async function waitStopped(client: Sender, cluster: string, arn: string, reporter: ApplyReporter, poll: PollSettings, timeoutMs: number): Promise<Task> {
  const poller = new Poller(poll, timeoutMs);
  const id = arn.split('/').pop();
  let last = '';
  for (;;) {
    let throttled = false;
    try {
      const [task] = await ecs.describeTasks(client, cluster, [arn]);
      if (!task) throw new WsError(`migration task ${id} in cluster ${cluster} disappeared`);
      const status = task.lastStatus ?? '';
      if (status !== last) reporter.progress(`migration task ${id}: ${status.toLowerCase()}`);
      last = status;
      if (status === 'STOPPED') return task;
    } catch (error) {
      if (!isThrottling((error as { cause?: unknown }).cause ?? error)) throw error;
      throttled = true;
    }
    if (poller.expired()) throw new WsError(`migration task ${id} in cluster ${cluster} is still ${last.toLowerCase()} after ${duration(timeoutMs)}: stop it with aws ecs stop-task --cluster ${cluster} --task ${id}`);
    await poller.wait(throttled);
  }
}

/** The task's log lines from its awslogs stream (`prefix/container/taskId`). */
export async function taskLogLines(ecsClient: Sender, logsClient: Sender, task: Task, containerName: string): Promise<string[]> {
  const { DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  let options: Record<string, string> | undefined;
  try {
    const out = await ecsClient.send(new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }));
    const def = (out.taskDefinition?.containerDefinitions ?? []).find((c: { name?: string }) => c.name === containerName) as { logConfiguration?: { logDriver?: string; options?: Record<string, string> } } | undefined;
    if (def?.logConfiguration?.logDriver === 'awslogs') options = def.logConfiguration.options;
  } catch {
    return ['(logs unavailable: cannot read the task definition)'];
  }
  const group = options?.['awslogs-group'];
  const prefix = options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return ['(the container does not log to CloudWatch: no awslogs configuration)'];
  const taskId = (task.taskArn ?? '').split('/').pop() ?? '';
  const events = await logs.streamEvents(logsClient, group, `${prefix}/${containerName}/${taskId}`);
  return events.map((e) => e.message);
}
