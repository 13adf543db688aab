/**
 * A stateful, in-memory fake of the ECS, SSM, IAM, CloudWatch Logs and EC2 APIs that ws uses,
 * installed behind the real SDK clients with aws-sdk-client-mock (every `client.send` of these
 * client classes is answered here). It fills in the defaults ECS adds to task definitions, runs
 * service deployments tick by tick (one step per DescribeServices), and runs one-off tasks.
 */
import * as cwl from '@aws-sdk/client-cloudwatch-logs';
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecs from '@aws-sdk/client-ecs';
import * as iam from '@aws-sdk/client-iam';
import * as ssm from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const SUBNET = 'subnet-0aaa1111';
export const VPC = 'vpc-0111';
export const VPC_CIDR = '10.0.0.0/16';

type Input = Record<string, any>;
type Handler = (input: Input) => unknown;

export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const tagsOf = (list: { key?: string; value?: string; Key?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((list ?? []).map((t) => [t.key ?? t.Key ?? '', t.value ?? t.Value ?? '']));
const ecsTags = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));
const keyTags = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

interface Revision {
  def: Input;
  tags: Record<string, string>;
}
interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  createdAt: Date;
}
interface Svc {
  input: Input;
  arn: string;
  cluster: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  tags: Record<string, string>;
  deployments: Deployment[];
  events: { id: string; createdAt: Date; message: string }[];
}
interface FakeTask {
  arn: string;
  cluster: string;
  taskDefinitionArn: string;
  startedBy?: string;
  lastStatus: string;
  desiredStatus: string;
  serviceName?: string;
  containers: { name: string; exitCode?: number; reason?: string; runtimeId: string }[];
  stoppedReason?: string;
  createdAt: Date;
  command?: string[];
  /** DescribeTasks calls left before the task stops. */
  ticks: number;
}

export class FakeAws {
  readonly calls: string[] = [];
  readonly inputs: { call: string; input: Input }[] = [];
  readonly clusters = new Map<string, { arn: string; status: string; tags: Record<string, string> }>();
  readonly families = new Map<string, Revision[]>();
  readonly services = new Map<string, Svc>();
  readonly tasks = new Map<string, FakeTask>();
  readonly parameters = new Map<string, { value: string; type: string; version: number; tags: Record<string, string> }>();
  readonly roles = new Map<string, { arn: string; trust: string; tags: Record<string, string>; policies: Map<string, string>; attached: string[] }>();
  readonly logGroups = new Map<string, { retention?: number; tags: Record<string, string>; streams: Map<string, { timestamp: number; message: string }[]> }>();
  readonly subnets = new Map<string, string>([[SUBNET, VPC]]);
  readonly vpcs = new Map<string, string>([[VPC, VPC_CIDR]]);
  readonly groups = new Map<string, { name: string; vpcId: string; description: string; tags: Record<string, string>; ingress: { protocol: string; port: number; cidr: string }[] }>();

  /** Images whose tasks exit 1 at start (a failing rollout). */
  readonly badImages = new Set<string>();
  /** Exit code of one-off tasks (RunTask); undefined with runTaskStopReason = stopped without one. */
  runTaskExitCode: number | undefined = 0;
  runTaskStopReason = 'Essential container in task exited';
  /** Errors to throw, by call name ('ecs:CreateCluster'), once each. */
  readonly failures = new Map<string, { error: Error; skip: number }[]>();
  /** DeleteSecurityGroup answers DependencyViolation this many times. */
  groupInUse = 0;

  #seq = 0;
  #mocks: { restore(): void }[] = [];

  private next(): string {
    this.#seq += 1;
    return this.#seq.toString(16).padStart(8, '0');
  }

  /** Installs the fake behind the SDK clients; returns a function that removes it. */
  install(): () => void {
    this.#stub('ecs', ecs.ECSClient, ecs as never, this.#ecs());
    this.#stub('ssm', ssm.SSMClient, ssm as never, this.#ssm());
    this.#stub('iam', iam.IAMClient, iam as never, this.#iam());
    this.#stub('logs', cwl.CloudWatchLogsClient, cwl as never, this.#logs());
    this.#stub('ec2', ec2.EC2Client, ec2 as never, this.#ec2());
    return () => this.restore();
  }

  restore(): void {
    for (const m of this.#mocks) m.restore();
    this.#mocks = [];
  }

  /** The call fails once with this error, after `skip` successful calls. */
  failNext(call: string, error: Error, skip = 0): void {
    this.failures.set(call, [...(this.failures.get(call) ?? []), { error, skip }]);
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length;
  }

  inputsOf(call: string): Input[] {
    return this.inputs.filter((i) => i.call === call).map((i) => i.input);
  }

  latest(family: string): Revision | undefined {
    return (this.families.get(family) ?? []).filter((r) => r.def.status === 'ACTIVE').at(-1);
  }

  #stub(service: string, client: new (...args: never[]) => unknown, module: Record<string, unknown>, handlers: Record<string, Handler>): void {
    const mock = mockClient(client as never);
    this.#mocks.push(mock);
    mock.onAnyCommand().callsFake(() => {
      throw new Error(`fake ${service}: command not implemented`);
    });
    for (const [name, handler] of Object.entries(handlers)) {
      const command = module[`${name}Command`];
      if (typeof command !== 'function') throw new Error(`no ${name}Command in the ${service} SDK`);
      const call = `${service}:${name}`;
      (mock as any).on(command).callsFake(async (input: Input) => {
        this.calls.push(call);
        this.inputs.push({ call, input: structuredClone(input) });
        const queued = this.failures.get(call)?.[0];
        if (queued && queued.skip-- <= 0) throw this.failures.get(call)!.shift()!.error;
        return structuredClone(handler(input) ?? {});
      });
    }
  }

  // ---------------------------------------------------------------- ECS

  #ecs(): Record<string, Handler> {
    return {
      DescribeClusters: (i) => ({
        clusters: (i.clusters as string[]).flatMap((n) => {
          const c = this.clusters.get(n);
          return c ? [{ clusterName: n, clusterArn: c.arn, status: c.status, ...(i.include?.includes('TAGS') ? { tags: ecsTags(c.tags) } : {}) }] : [];
        }),
        failures: (i.clusters as string[]).filter((n) => !this.clusters.has(n)).map((n) => ({ arn: n, reason: 'MISSING' })),
      }),
      CreateCluster: (i) => {
        const arn = `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/${i.clusterName}`;
        this.clusters.set(i.clusterName, { arn, status: 'ACTIVE', tags: tagsOf(i.tags) });
        return { cluster: { clusterName: i.clusterName, clusterArn: arn, status: 'ACTIVE' } };
      },
      DeleteCluster: (i) => {
        const c = this.clusters.get(i.cluster);
        if (!c) throw awsError('ClusterNotFoundException', 'Cluster not found.');
        if ([...this.services.values()].some((s) => s.cluster === i.cluster && s.status !== 'INACTIVE')) throw awsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
        this.clusters.delete(i.cluster);
        return { cluster: { clusterArn: c.arn, status: 'INACTIVE' } };
      },
      RegisterTaskDefinition: (i) => {
        const revisions = this.families.get(i.family) ?? [];
        const revision = (revisions.at(-1)?.def.revision ?? 0) + 1;
        const networkMode = i.networkMode ?? 'bridge';
        // what ECS fills in
        const def = {
          ...i,
          tags: undefined,
          taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task-definition/${i.family}:${revision}`,
          revision,
          status: 'ACTIVE',
          networkMode,
          volumes: i.volumes ?? [],
          placementConstraints: i.placementConstraints ?? [],
          compatibilities: ['EC2', 'FARGATE'],
          requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.task-iam-role' }],
          registeredAt: new Date(),
          containerDefinitions: (i.containerDefinitions as Input[]).map((c) => ({
            cpu: 0,
            essential: true,
            mountPoints: [],
            volumesFrom: [],
            systemControls: [],
            environment: [],
            ...c,
            portMappings: (c.portMappings ?? []).map((p: Input) => ({ protocol: 'tcp', hostPort: networkMode === 'awsvpc' ? p.containerPort : 0, ...p })),
            secrets: c.secrets?.length ? c.secrets : undefined,
          })),
        };
        delete (def as Input).tags;
        revisions.push({ def, tags: tagsOf(i.tags) });
        this.families.set(i.family, revisions);
        return { taskDefinition: def, tags: i.tags ?? [] };
      },
      DescribeTaskDefinition: (i) => {
        const rev = this.#findRevision(i.taskDefinition);
        if (!rev) throw awsError('ClientException', 'Unable to describe task definition.');
        return { taskDefinition: rev.def, ...(i.include?.includes('TAGS') ? { tags: ecsTags(rev.tags) } : {}) };
      },
      ListTaskDefinitions: (i) => ({
        taskDefinitionArns: [...this.families.entries()]
          .filter(([f]) => !i.familyPrefix || f.startsWith(i.familyPrefix))
          .flatMap(([, revs]) => revs.filter((r) => !i.status || r.def.status === i.status).map((r) => r.def.taskDefinitionArn)),
      }),
      DeregisterTaskDefinition: (i) => {
        const rev = this.#findRevision(i.taskDefinition, true);
        if (!rev) throw awsError('ClientException', 'The specified task definition does not exist.');
        rev.def.status = 'INACTIVE';
        return { taskDefinition: rev.def };
      },
      DescribeServices: (i) => {
        if (!this.clusters.has(i.cluster)) throw awsError('ClusterNotFoundException', 'Cluster not found.');
        const found = (i.services as string[]).map((n) => this.services.get(`${i.cluster}/${n}`)).filter((s): s is Svc => Boolean(s));
        for (const s of found) this.#tick(s);
        return {
          services: found.map((s) => this.#serviceView(s, Boolean(i.include?.includes('TAGS')))),
          failures: (i.services as string[]).filter((n) => !this.services.has(`${i.cluster}/${n}`)).map((n) => ({ arn: n, reason: 'MISSING' })),
        };
      },
      CreateService: (i) => {
        if (!this.clusters.has(i.cluster)) throw awsError('ClusterNotFoundException', 'Cluster not found.');
        const key = `${i.cluster}/${i.serviceName}`;
        const existing = this.services.get(key);
        if (existing && existing.status !== 'INACTIVE') throw awsError('InvalidParameterException', 'Creation of service was not idempotent.');
        const td = this.#findRevision(i.taskDefinition);
        if (!td) throw awsError('ClientException', 'TaskDefinition not found.');
        for (const subnet of i.networkConfiguration?.awsvpcConfiguration?.subnets ?? []) {
          if (!this.subnets.has(subnet)) throw awsError('InvalidParameterException', `Error retrieving subnet information for [${subnet}]: The subnet ID '${subnet}' does not exist`);
        }
        const s: Svc = {
          input: i,
          arn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${i.cluster}/${i.serviceName}`,
          cluster: i.cluster,
          status: 'ACTIVE',
          taskDefinition: td.def.taskDefinitionArn,
          desiredCount: i.desiredCount ?? 1,
          tags: tagsOf(i.tags),
          deployments: [],
          events: [],
        };
        this.#deploy(s);
        this.services.set(key, s);
        return { service: this.#serviceView(s, false) };
      },
      UpdateService: (i) => {
        if (!this.clusters.has(i.cluster)) throw awsError('ClusterNotFoundException', 'Cluster not found.');
        const s = this.services.get(`${i.cluster}/${i.service}`);
        if (!s || s.status === 'INACTIVE') throw awsError('ServiceNotFoundException', 'Service not found.');
        const before = JSON.stringify({ td: s.taskDefinition, net: s.input.networkConfiguration });
        if (i.taskDefinition) {
          const td = this.#findRevision(i.taskDefinition);
          if (!td) throw awsError('ClientException', 'TaskDefinition not found.');
          s.taskDefinition = td.def.taskDefinitionArn;
        }
        if (i.desiredCount !== undefined) s.desiredCount = i.desiredCount;
        s.input = { ...s.input, ...Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined)) };
        const changed = before !== JSON.stringify({ td: s.taskDefinition, net: s.input.networkConfiguration });
        if (changed || i.forceNewDeployment) this.#deploy(s);
        else for (const d of s.deployments) if (d.status === 'PRIMARY') d.desiredCount = s.desiredCount;
        return { service: this.#serviceView(s, false) };
      },
      DeleteService: (i) => {
        const s = this.services.get(`${i.cluster}/${i.service}`);
        if (!s || s.status === 'INACTIVE') throw awsError('ServiceNotFoundException', 'Service not found.');
        if (s.desiredCount > 0 && !i.force) throw awsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
        s.status = 'DRAINING';
        return { service: this.#serviceView(s, false) };
      },
      ListTasks: (i) => ({
        taskArns: [...this.tasks.values()]
          .filter((t) => t.cluster === i.cluster && (!i.serviceName || t.serviceName === i.serviceName) && (!i.desiredStatus || t.desiredStatus === i.desiredStatus) && (!i.startedBy || t.startedBy === i.startedBy))
          .map((t) => t.arn),
      }),
      DescribeTasks: (i) => ({
        tasks: (i.tasks as string[]).flatMap((arn) => {
          const t = this.tasks.get(arn);
          if (!t) return [];
          this.#advanceTask(t);
          return [this.#taskView(t)];
        }),
      }),
      RunTask: (i) => {
        if (!this.clusters.has(i.cluster)) throw awsError('ClusterNotFoundException', 'Cluster not found.');
        const td = this.#findRevision(i.taskDefinition);
        if (!td) throw awsError('ClientException', 'TaskDefinition not found.');
        const override = (i.overrides?.containerOverrides ?? [])[0];
        const t: FakeTask = {
          arn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task/${i.cluster}/${this.next()}${this.next()}`,
          cluster: i.cluster,
          taskDefinitionArn: td.def.taskDefinitionArn,
          startedBy: i.startedBy,
          lastStatus: 'PROVISIONING',
          desiredStatus: 'RUNNING',
          containers: (td.def.containerDefinitions as Input[]).map((c) => ({ name: c.name, runtimeId: this.next() })),
          createdAt: new Date(),
          command: override?.command,
          ticks: 2,
        };
        this.tasks.set(t.arn, t);
        return { tasks: [this.#taskView(t)], failures: [] };
      },
      ExecuteCommand: (i) => ({
        clusterArn: i.cluster,
        taskArn: i.task,
        containerName: i.container,
        interactive: true,
        session: { sessionId: 'ecs-execute-command-0abc', streamUrl: 'wss://ssmmessages.example/v1/data-channel/x', tokenValue: 'token' },
      }),
    };
  }

  #findRevision(ref: string, anyStatus = false): Revision | undefined {
    const m = /(?:task-definition\/)?([^:/]+)(?::(\d+))?$/.exec(ref);
    if (!m) return undefined;
    const revs = this.families.get(m[1]!) ?? [];
    if (m[2]) return revs.find((r) => r.def.revision === Number(m[2]) && (anyStatus || r.def.status !== 'DELETE_IN_PROGRESS'));
    return revs.filter((r) => r.def.status === 'ACTIVE').at(-1);
  }

  #deploy(s: Svc): void {
    for (const d of s.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
    s.deployments.unshift({
      id: `ecs-svc/${this.next()}`,
      status: 'PRIMARY',
      taskDefinition: s.taskDefinition,
      desiredCount: s.desiredCount,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 0,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: 'ECS deployment in progress.',
      createdAt: new Date(),
    });
  }

  #event(s: Svc, message: string): void {
    s.events.unshift({ id: this.next(), createdAt: new Date(), message: `(service ${s.input.serviceName}) ${message}` });
  }

  /** One step of the service's deployment. */
  #tick(s: Svc): void {
    if (s.status === 'DRAINING') {
      s.status = 'INACTIVE';
      for (const t of this.tasks.values()) if (t.serviceName === s.input.serviceName) (t.desiredStatus = 'STOPPED'), (t.lastStatus = 'STOPPED');
      return;
    }
    const d = s.deployments.find((x) => x.status === 'PRIMARY');
    if (!d || d.rolloutState !== 'IN_PROGRESS') return;
    const rev = this.#findRevision(d.taskDefinition)!;
    const image = (rev.def.containerDefinitions as Input[])[0]?.image as string;
    if (this.badImages.has(image)) {
      // a task starts and its essential container exits 1
      const t = this.#serviceTask(s, d, 'STOPPED');
      t.containers = t.containers.map((c) => ({ ...c, exitCode: 1, reason: undefined }));
      t.stoppedReason = 'Essential container in task exited';
      d.failedTasks += 1;
      this.#event(s, `has started 1 tasks: (task ${t.arn.split('/').pop()}).`);
      if (d.failedTasks >= 3) {
        d.rolloutState = 'FAILED';
        d.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
        this.#event(s, `deployment ${d.id} deployment failed: tasks failed to start.`);
        const previous = s.deployments.find((x) => x.status === 'ACTIVE');
        if (previous) {
          d.status = 'ACTIVE';
          previous.status = 'PRIMARY';
          s.taskDefinition = previous.taskDefinition;
          this.#event(s, `rolling back to deployment ${previous.id}.`);
        }
      }
      return;
    }
    if (d.pendingCount === 0 && d.runningCount < d.desiredCount) {
      d.pendingCount = d.desiredCount - d.runningCount;
      this.#event(s, `has started ${d.pendingCount} tasks.`);
      return;
    }
    d.runningCount = d.desiredCount;
    d.pendingCount = 0;
    for (let n = this.#running(s, d); n < d.desiredCount; n++) this.#serviceTask(s, d, 'RUNNING');
    for (const old of s.deployments.filter((x) => x !== d)) {
      for (const t of this.tasks.values()) if (t.startedBy === old.id && t.desiredStatus === 'RUNNING') (t.desiredStatus = 'STOPPED'), (t.lastStatus = 'STOPPED'), (t.stoppedReason = 'Scaling activity initiated by (deployment ' + d.id + ')');
    }
    s.deployments = [d];
    d.rolloutState = 'COMPLETED';
    d.rolloutStateReason = 'ECS deployment completed.';
    this.#event(s, 'has reached a steady state.');
  }

  #running(s: Svc, d: Deployment): number {
    return [...this.tasks.values()].filter((t) => t.startedBy === d.id && t.lastStatus === 'RUNNING').length;
  }

  #serviceTask(s: Svc, d: Deployment, status: 'RUNNING' | 'STOPPED'): FakeTask {
    const rev = this.#findRevision(d.taskDefinition)!;
    const t: FakeTask = {
      arn: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:task/${s.cluster}/${this.next()}${this.next()}`,
      cluster: s.cluster,
      taskDefinitionArn: d.taskDefinition,
      startedBy: d.id,
      serviceName: s.input.serviceName,
      lastStatus: status,
      desiredStatus: status,
      containers: (rev.def.containerDefinitions as Input[]).map((c) => ({ name: c.name, runtimeId: this.next() })),
      createdAt: new Date(),
      ticks: 0,
    };
    this.tasks.set(t.arn, t);
    return t;
  }

  #advanceTask(t: FakeTask): void {
    if (t.lastStatus === 'STOPPED' || t.serviceName) return;
    if (t.ticks > 0) {
      t.ticks -= 1;
      t.lastStatus = t.ticks === 1 ? 'PENDING' : 'RUNNING';
      return;
    }
    t.lastStatus = 'STOPPED';
    t.desiredStatus = 'STOPPED';
    t.stoppedReason = this.runTaskStopReason;
    if (this.runTaskExitCode !== undefined) t.containers = t.containers.map((c) => ({ ...c, exitCode: this.runTaskExitCode }));
    else t.containers = t.containers.map((c) => ({ ...c, reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' }));
    // its awslogs stream
    const rev = this.#findRevision(t.taskDefinitionArn, true);
    const c = (rev?.def.containerDefinitions as Input[] | undefined)?.[0];
    const opts = c?.logConfiguration?.options as Record<string, string> | undefined;
    const group = opts && this.logGroups.get(opts['awslogs-group']!);
    if (group && opts && this.runTaskExitCode !== undefined) {
      const id = t.arn.split('/').pop()!;
      group.streams.set(`${opts['awslogs-stream-prefix']}/${c!.name}/${id}`, [
        { timestamp: Date.now(), message: `$ ${(t.command ?? []).join(' ')}` },
        { timestamp: Date.now(), message: this.runTaskExitCode === 0 ? 'applied 20261125000000_initialize_db' : 'migration failed: relation "dim_users" already exists' },
      ]);
    }
  }

  #taskView(t: FakeTask): Input {
    return {
      taskArn: t.arn,
      clusterArn: t.cluster,
      taskDefinitionArn: t.taskDefinitionArn,
      startedBy: t.startedBy,
      lastStatus: t.lastStatus,
      desiredStatus: t.desiredStatus,
      containers: t.containers,
      stoppedReason: t.lastStatus === 'STOPPED' ? t.stoppedReason : undefined,
      createdAt: t.createdAt,
      group: t.serviceName ? `service:${t.serviceName}` : 'family',
    };
  }

  #serviceView(s: Svc, withTags: boolean): Input {
    return {
      serviceName: s.input.serviceName,
      serviceArn: s.arn,
      clusterArn: this.clusters.get(s.cluster)?.arn,
      status: s.status,
      taskDefinition: s.taskDefinition,
      desiredCount: s.desiredCount,
      runningCount: s.deployments.reduce((n, d) => n + d.runningCount, 0),
      pendingCount: s.deployments.reduce((n, d) => n + d.pendingCount, 0),
      launchType: s.input.launchType,
      networkConfiguration: s.input.networkConfiguration,
      deploymentConfiguration: s.input.deploymentConfiguration,
      enableExecuteCommand: s.input.enableExecuteCommand ?? false,
      deployments: s.deployments.map((d) => ({ ...d })),
      events: s.events.slice(0, 100),
      ...(withTags ? { tags: ecsTags(s.tags) } : {}),
    };
  }

  // ---------------------------------------------------------------- SSM

  #ssm(): Record<string, Handler> {
    return {
      GetParameters: (i) => ({
        Parameters: (i.Names as string[]).flatMap((n) => {
          const p = this.parameters.get(n);
          return p ? [{ Name: n, Type: p.type, Value: i.WithDecryption || p.type !== 'SecureString' ? p.value : 'AQICAH...encrypted', Version: p.version }] : [];
        }),
        InvalidParameters: (i.Names as string[]).filter((n) => !this.parameters.has(n)),
      }),
      ListTagsForResource: (i) => {
        const p = this.parameters.get(i.ResourceId);
        if (!p) throw awsError('InvalidResourceId', 'The resource ID is not valid.');
        return { TagList: keyTags(p.tags) };
      },
      PutParameter: (i) => {
        const p = this.parameters.get(i.Name);
        if (p && !i.Overwrite) throw awsError('ParameterAlreadyExists', 'The parameter already exists.');
        if (p && i.Tags) throw awsError('ValidationException', 'Invalid request: tags and overwrite can\'t be used together.');
        this.parameters.set(i.Name, { value: i.Value, type: i.Type ?? 'String', version: (p?.version ?? 0) + 1, tags: p?.tags ?? tagsOf(i.Tags) });
        return { Version: (p?.version ?? 0) + 1 };
      },
      AddTagsToResource: (i) => {
        const p = this.parameters.get(i.ResourceId);
        if (!p) throw awsError('InvalidResourceId', 'The resource ID is not valid.');
        Object.assign(p.tags, tagsOf(i.Tags));
        return {};
      },
      DeleteParameter: (i) => {
        if (!this.parameters.delete(i.Name)) throw awsError('ParameterNotFound', 'Parameter not found.');
        return {};
      },
    };
  }

  // ---------------------------------------------------------------- IAM

  #role(name: string) {
    const r = this.roles.get(name);
    if (!r) throw awsError('NoSuchEntity', `The role with name ${name} cannot be found.`);
    return r;
  }

  #iam(): Record<string, Handler> {
    return {
      GetRole: (i) => {
        const r = this.#role(i.RoleName);
        return { Role: { RoleName: i.RoleName, Arn: r.arn, AssumeRolePolicyDocument: encodeURIComponent(r.trust), Tags: keyTags(r.tags) } };
      },
      CreateRole: (i) => {
        if (this.roles.has(i.RoleName)) throw awsError('EntityAlreadyExists', `Role with name ${i.RoleName} already exists.`);
        const arn = `arn:aws:iam::${ACCOUNT_ID}:role/${i.RoleName}`;
        this.roles.set(i.RoleName, { arn, trust: i.AssumeRolePolicyDocument, tags: tagsOf(i.Tags), policies: new Map(), attached: [] });
        return { Role: { RoleName: i.RoleName, Arn: arn } };
      },
      UpdateAssumeRolePolicy: (i) => {
        this.#role(i.RoleName).trust = i.PolicyDocument;
        return {};
      },
      ListRolePolicies: (i) => ({ PolicyNames: [...this.#role(i.RoleName).policies.keys()], IsTruncated: false }),
      GetRolePolicy: (i) => {
        const doc = this.#role(i.RoleName).policies.get(i.PolicyName);
        if (!doc) throw awsError('NoSuchEntity', 'The role policy cannot be found.');
        return { RoleName: i.RoleName, PolicyName: i.PolicyName, PolicyDocument: encodeURIComponent(doc) };
      },
      PutRolePolicy: (i) => {
        this.#role(i.RoleName).policies.set(i.PolicyName, i.PolicyDocument);
        return {};
      },
      DeleteRolePolicy: (i) => {
        if (!this.#role(i.RoleName).policies.delete(i.PolicyName)) throw awsError('NoSuchEntity', 'The role policy cannot be found.');
        return {};
      },
      ListAttachedRolePolicies: (i) => ({ AttachedPolicies: this.#role(i.RoleName).attached.map((PolicyArn) => ({ PolicyArn })) }),
      DetachRolePolicy: (i) => {
        const r = this.#role(i.RoleName);
        r.attached = r.attached.filter((a) => a !== i.PolicyArn);
        return {};
      },
      DeleteRole: (i) => {
        const r = this.#role(i.RoleName);
        if (r.policies.size || r.attached.length) throw awsError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
        this.roles.delete(i.RoleName);
        return {};
      },
    };
  }

  // ---------------------------------------------------------------- Logs

  #group(name: string) {
    const g = this.logGroups.get(name);
    if (!g) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return g;
  }

  #logs(): Record<string, Handler> {
    return {
      DescribeLogGroups: (i) => ({
        logGroups: [...this.logGroups.entries()]
          .filter(([n]) => !i.logGroupNamePrefix || n.startsWith(i.logGroupNamePrefix))
          .map(([n, g]) => ({ logGroupName: n, arn: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${n}:*`, ...(g.retention ? { retentionInDays: g.retention } : {}) })),
      }),
      ListTagsLogGroup: (i) => ({ tags: { ...this.#group(i.logGroupName).tags } }),
      CreateLogGroup: (i) => {
        if (this.logGroups.has(i.logGroupName)) throw awsError('ResourceAlreadyExistsException', 'The specified log group already exists');
        this.logGroups.set(i.logGroupName, { tags: { ...(i.tags ?? {}) }, streams: new Map() });
        return {};
      },
      PutRetentionPolicy: (i) => {
        this.#group(i.logGroupName).retention = i.retentionInDays;
        return {};
      },
      DeleteLogGroup: (i) => {
        this.#group(i.logGroupName);
        this.logGroups.delete(i.logGroupName);
        return {};
      },
      GetLogEvents: (i) => {
        const events = this.#group(i.logGroupName).streams.get(i.logStreamName);
        if (!events) throw awsError('ResourceNotFoundException', 'The specified log stream does not exist.');
        const list = i.startFromHead === false && i.limit ? events.slice(-i.limit) : events;
        if (i.nextToken === 'f/end') return { events: [], nextForwardToken: 'f/end' };
        return { events: list.map((e) => ({ ...e, ingestionTime: e.timestamp })), nextForwardToken: 'f/end', nextBackwardToken: 'b/start' };
      },
      DescribeLogStreams: (i) => ({
        logStreams: [...this.#group(i.logGroupName).streams.entries()]
          .filter(([n]) => !i.logStreamNamePrefix || n.startsWith(i.logStreamNamePrefix))
          .map(([n, ev]) => ({ logStreamName: n, lastEventTimestamp: ev.at(-1)?.timestamp ?? 0 })),
      }),
      FilterLogEvents: (i) => ({
        events: [...this.#group(i.logGroupName).streams.entries()]
          .filter(([n]) => !i.logStreamNamePrefix || n.startsWith(i.logStreamNamePrefix))
          .flatMap(([n, ev]) => ev.map((e, k) => ({ ...e, logStreamName: n, eventId: `${n}#${k}` })))
          .filter((e) => !i.startTime || e.timestamp >= i.startTime)
          .sort((a, b) => a.timestamp - b.timestamp),
      }),
    };
  }

  // ---------------------------------------------------------------- EC2

  #groupView(id: string) {
    const g = this.groups.get(id)!;
    return {
      GroupId: id,
      GroupName: g.name,
      VpcId: g.vpcId,
      Description: g.description,
      Tags: keyTags(g.tags),
      IpPermissions: g.ingress.map((r) => ({ IpProtocol: r.protocol, FromPort: r.port, ToPort: r.port, IpRanges: [{ CidrIp: r.cidr }] })),
    };
  }

  #ec2(): Record<string, Handler> {
    const perms = (list: Input[]) =>
      list.flatMap((p) => (p.IpRanges as Input[]).map((r) => ({ protocol: p.IpProtocol as string, port: p.FromPort as number, cidr: r.CidrIp as string })));
    return {
      DescribeSubnets: (i) => {
        const missing = (i.SubnetIds as string[]).filter((s) => !this.subnets.has(s));
        if (missing.length) throw awsError('InvalidSubnetID.NotFound', `The subnet ID '${missing.join(',')}' does not exist`);
        return { Subnets: (i.SubnetIds as string[]).map((s) => ({ SubnetId: s, VpcId: this.subnets.get(s) })) };
      },
      DescribeVpcs: (i) => ({ Vpcs: (i.VpcIds as string[]).map((v) => ({ VpcId: v, CidrBlock: this.vpcs.get(v) })) }),
      DescribeSecurityGroups: (i) => {
        let ids = [...this.groups.keys()];
        if (i.GroupIds) {
          const missing = (i.GroupIds as string[]).filter((g) => !this.groups.has(g));
          if (missing.length) throw awsError('InvalidGroup.NotFound', `The security group '${missing[0]}' does not exist`);
          ids = i.GroupIds;
        }
        for (const f of (i.Filters ?? []) as { Name: string; Values: string[] }[]) {
          ids = ids.filter((id) => {
            const g = this.groups.get(id)!;
            return f.Name === 'group-name' ? f.Values.includes(g.name) : f.Name === 'vpc-id' ? f.Values.includes(g.vpcId) : true;
          });
        }
        return { SecurityGroups: ids.map((id) => this.#groupView(id)) };
      },
      CreateSecurityGroup: (i) => {
        if ([...this.groups.values()].some((g) => g.name === i.GroupName && g.vpcId === i.VpcId)) throw awsError('InvalidGroup.Duplicate', `The security group '${i.GroupName}' already exists for VPC '${i.VpcId}'`);
        const id = `sg-0${this.next()}`;
        this.groups.set(id, { name: i.GroupName, vpcId: i.VpcId, description: i.Description, tags: tagsOf(i.TagSpecifications?.[0]?.Tags), ingress: [] });
        return { GroupId: id };
      },
      AuthorizeSecurityGroupIngress: (i) => {
        const g = this.groups.get(i.GroupId);
        if (!g) throw awsError('InvalidGroup.NotFound', 'The security group does not exist');
        g.ingress.push(...perms(i.IpPermissions));
        return { Return: true };
      },
      RevokeSecurityGroupIngress: (i) => {
        const g = this.groups.get(i.GroupId);
        if (!g) throw awsError('InvalidGroup.NotFound', 'The security group does not exist');
        const gone = new Set(perms(i.IpPermissions).map((r) => JSON.stringify(r)));
        g.ingress = g.ingress.filter((r) => !gone.has(JSON.stringify(r)));
        return { Return: true };
      },
      DeleteSecurityGroup: (i) => {
        if (!this.groups.has(i.GroupId)) throw awsError('InvalidGroup.NotFound', 'The security group does not exist');
        if (this.groupInUse > 0) {
          this.groupInUse -= 1;
          throw awsError('DependencyViolation', `resource ${i.GroupId} has a dependent object`);
        }
        this.groups.delete(i.GroupId);
        return {};
      },
    };
  }
}
