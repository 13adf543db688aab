/**
 * ECS verbs over a narrow client ({ send }). SDK command classes are imported lazily; failures are
 * wrapped as "verb object: cause"; typed errors where callers branch (cluster/service not found).
 */
import type {
  CreateServiceCommandInput,
  RegisterTaskDefinitionCommandInput,
  RunTaskCommandInput,
  Service,
  Task,
  TaskDefinition,
  UpdateServiceCommandInput,
  Tag,
} from '@aws-sdk/client-ecs';
import type { Sender } from './clients.js';
import { attempt, deleteIfPresent, ClusterNotFoundError, isAwsError, ServiceNotFoundError, wrapAws } from './errors.js';
import type { Tags } from './resources.js';

const sdk = () => import('@aws-sdk/client-ecs');

export function toEcsTags(tags: Tags): Tag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
export function fromEcsTags(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
}

export interface ClusterInfo {
  readonly arn: string;
  readonly status: string;
  readonly tags: Record<string, string>;
}

export async function describeCluster(ecs: Sender, name: string): Promise<ClusterInfo | undefined> {
  const { DescribeClustersCommand } = await sdk();
  const out = await attempt(`describe cluster ${name}`, () => ecs.send(new DescribeClustersCommand({ clusters: [name], include: ['TAGS'] })));
  const c = (out.clusters ?? []).find((x: { clusterName?: string; status?: string }) => x.clusterName === name && x.status !== 'INACTIVE');
  return c ? { arn: c.clusterArn ?? '', status: c.status ?? '', tags: fromEcsTags(c.tags) } : undefined;
}

export async function createCluster(ecs: Sender, name: string, tags: Tags): Promise<void> {
  const { CreateClusterCommand } = await sdk();
  await attempt(`create cluster ${name}`, () => ecs.send(new CreateClusterCommand({ clusterName: name, tags: toEcsTags(tags) })));
}

export async function deleteCluster(ecs: Sender, name: string): Promise<void> {
  const { DeleteClusterCommand } = await sdk();
  await deleteIfPresent(`delete cluster ${name}`, 'ClusterNotFoundException', () => ecs.send(new DeleteClusterCommand({ cluster: name })));
}

export type TaskDefinitionWithTags = TaskDefinition & { readonly tags: Record<string, string> };

/** The latest ACTIVE revision of a family, or undefined when the family has none. */
export async function latestActiveTaskDefinition(ecs: Sender, family: string): Promise<TaskDefinitionWithTags | undefined> {
  const { DescribeTaskDefinitionCommand } = await sdk();
  try {
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }));
    const td = out.taskDefinition as TaskDefinition | undefined;
    if (!td || td.status === 'INACTIVE' || td.status === 'DELETE_IN_PROGRESS') return undefined;
    return { ...td, tags: fromEcsTags(out.tags) };
  } catch (error) {
    // ECS answers ClientException "Unable to describe task definition." for an unknown family
    if (isAwsError(error, 'ClientException', 'ResourceNotFoundException', 'InvalidParameterException')) return undefined;
    throw wrapAws(`describe task definition ${family}`, error);
  }
}

export async function registerTaskDefinition(ecs: Sender, input: RegisterTaskDefinitionCommandInput): Promise<TaskDefinition> {
  const { RegisterTaskDefinitionCommand } = await sdk();
  const out = await attempt(`register task definition ${input.family}`, () => ecs.send(new RegisterTaskDefinitionCommand(input)));
  return out.taskDefinition as TaskDefinition;
}

export async function listActiveRevisions(ecs: Sender, family: string): Promise<string[]> {
  const { ListTaskDefinitionsCommand } = await sdk();
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await attempt(`list task definitions ${family}`, () =>
      ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', ...(nextToken ? { nextToken } : {}) })),
    );
    for (const arn of (out.taskDefinitionArns ?? []) as string[]) if (arn.includes(`task-definition/${family}:`)) arns.push(arn);
    nextToken = out.nextToken;
  } while (nextToken);
  return arns;
}

export async function deregisterTaskDefinition(ecs: Sender, arn: string): Promise<void> {
  const { DeregisterTaskDefinitionCommand } = await sdk();
  await attempt(`deregister task definition ${arn.split('/').pop()}`, () => ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })));
}

export type ServiceWithTags = Service & { readonly tagMap: Record<string, string> };

/** The service, or undefined when it does not exist (or is INACTIVE); ClusterNotFoundError when the cluster is missing. */
export async function describeService(ecs: Sender, cluster: string, service: string): Promise<ServiceWithTags | undefined> {
  const { DescribeServicesCommand } = await sdk();
  let out;
  try {
    out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] }));
  } catch (error) {
    if (isAwsError(error, 'ClusterNotFoundException')) throw new ClusterNotFoundError(cluster);
    throw wrapAws(`describe service ${service} in cluster ${cluster}`, error);
  }
  const s = ((out.services ?? []) as Service[]).find((x) => x.serviceName === service && x.status !== 'INACTIVE');
  return s ? { ...s, tagMap: fromEcsTags(s.tags) } : undefined;
}

/** Like describeService, but a missing service is a ServiceNotFoundError. */
export async function requireService(ecs: Sender, cluster: string, service: string): Promise<ServiceWithTags> {
  const s = await describeService(ecs, cluster, service);
  if (!s || s.status === 'DRAINING') throw new ServiceNotFoundError(service, cluster);
  return s;
}

export async function createService(ecs: Sender, input: CreateServiceCommandInput): Promise<Service> {
  const { CreateServiceCommand } = await sdk();
  const out = await attempt(`create service ${input.serviceName} in cluster ${input.cluster}`, () => ecs.send(new CreateServiceCommand(input)));
  return out.service as Service;
}

export async function updateService(ecs: Sender, input: UpdateServiceCommandInput): Promise<Service> {
  const { UpdateServiceCommand } = await sdk();
  try {
    const out = await ecs.send(new UpdateServiceCommand(input));
    return out.service as Service;
  } catch (error) {
    if (isAwsError(error, 'ClusterNotFoundException')) throw new ClusterNotFoundError(input.cluster ?? '');
    if (isAwsError(error, 'ServiceNotFoundException', 'ServiceNotActiveException')) throw new ServiceNotFoundError(input.service ?? '', input.cluster ?? '');
    throw wrapAws(`update service ${input.service} in cluster ${input.cluster}`, error);
  }
}

export async function deleteService(ecs: Sender, cluster: string, service: string): Promise<void> {
  const { DeleteServiceCommand } = await sdk();
  try {
    await ecs.send(new DeleteServiceCommand({ cluster, service, force: true }));
  } catch (error) {
    if (isAwsError(error, 'ServiceNotFoundException', 'ClusterNotFoundException', 'ServiceNotActiveException')) return;
    throw wrapAws(`delete service ${service} in cluster ${cluster}`, error);
  }
}

/** Waits with the SDK's waiter until the service is INACTIVE (it returns at once when it already is). */
export async function waitServiceInactive(ecs: Sender, cluster: string, service: string, maxWaitSeconds: number): Promise<void> {
  const { waitUntilServicesInactive } = await sdk();
  await attempt(`wait for service ${service} in cluster ${cluster} to be deleted`, () =>
    waitUntilServicesInactive({ client: ecs as never, maxWaitTime: maxWaitSeconds, minDelay: 2, maxDelay: 15 }, { cluster, services: [service] }),
  );
}

export async function listTasks(ecs: Sender, cluster: string, filter: { serviceName?: string; desiredStatus: 'RUNNING' | 'STOPPED'; startedBy?: string }): Promise<string[]> {
  const { ListTasksCommand } = await sdk();
  const out = await attempt(`list tasks in cluster ${cluster}`, () => ecs.send(new ListTasksCommand({ cluster, ...filter })));
  return (out.taskArns ?? []) as string[];
}

export async function describeTasks(ecs: Sender, cluster: string, arns: readonly string[]): Promise<Task[]> {
  if (arns.length === 0) return [];
  const { DescribeTasksCommand } = await sdk();
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const out = await attempt(`describe tasks in cluster ${cluster}`, () => ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) })));
    tasks.push(...((out.tasks ?? []) as Task[]));
  }
  return tasks;
}

export async function runTask(ecs: Sender, input: RunTaskCommandInput): Promise<Task> {
  const { RunTaskCommand } = await sdk();
  const what = `run task of ${input.taskDefinition} in cluster ${input.cluster}`;
  const out = await attempt(what, () => ecs.send(new RunTaskCommand(input)));
  const failures = (out.failures ?? []) as { arn?: string; reason?: string; detail?: string }[];
  const task = (out.tasks ?? [])[0] as Task | undefined;
  if (!task) throw wrapAws(what, new Error(failures.map((f) => [f.reason, f.detail].filter(Boolean).join(': ')).join('; ') || 'ECS started no task'));
  return task;
}

export async function executeCommand(ecs: Sender, input: { cluster: string; task: string; container: string; command: string }) {
  const { ExecuteCommandCommand } = await sdk();
  return attempt(`execute command in task ${input.task.split('/').pop()} of cluster ${input.cluster}`, () =>
    ecs.send(new ExecuteCommandCommand({ ...input, interactive: true })),
  ) as Promise<{ session?: { sessionId?: string; streamUrl?: string; tokenValue?: string }; taskArn?: string }>;
}

/** One line per stopped task: why it stopped, with the container's exit code and reason. */
export function stoppedTaskReason(task: Task): string {
  const id = (task.taskArn ?? '').split('/').pop() ?? '';
  const containers = (task.containers ?? [])
    .filter((c) => c.exitCode !== undefined || c.reason)
    .map((c) => `${c.name}${c.exitCode !== undefined ? ` exited ${c.exitCode}` : ''}${c.reason ? ` (${c.reason})` : ''}`);
  return `task ${id}: ${task.stoppedReason ?? 'stopped'}${containers.length ? `; ${containers.join(', ')}` : ''}`;
}
