/**
 * The AWS driver: observe (read live state), compare (pure, compare.ts), apply (one planned action)
 * for the resources of infra/aws/resources.ts. All SDK calls go through the thin wrappers
 * (ecs.ts, ssm.ts, iam.ts, logs.ts, ec2.ts) over lazily created clients (clients.ts).
 */
import { WsError } from '../../cli/errors.js';
import type { ApplyReporter, Driver, DriverContext } from '../driver.js';
import type { Action } from '../plan.js';
import type { Comparison, Observed, Resource } from '../resource.js';
import { ClientPool, clientConfig, type AwsClients } from './clients.js';
import {
  accountOf,
  compareAws,
  hashValue,
  withAccount,
  ingressRules,
  normalizePolicy,
  trustPolicy,
  type ParameterState,
  type RoleState,
  type SecurityGroupState,
  type ServiceState,
} from './compare.js';
import * as ec2 from './ec2.js';
import * as ecs from './ecs.js';
import { isAwsError } from './errors.js';
import * as iam from './iam.js';
import * as logs from './logs.js';
import { DEFAULT_POLL, Poller, type PollSettings } from './poll.js';
import { isOwned, ownershipTags, type AwsResource, type AwsSpecs, type ServiceSpec } from './resources.js';
import { watchRollout } from './rollout.js';
import * as ssm from './ssm.js';
import { compareTaskDefinition, registerInput } from './taskdef.js';

/** What the CLI passes: `--no-wait` -> wait: false, `--timeout <minutes>` -> timeoutMs. Tests pass clients and poll. */
export interface AwsDriverOptions {
  readonly clients?: Partial<AwsClients>;
  readonly poll?: PollSettings;
  /** Wait for service rollouts (default true). */
  readonly wait?: boolean;
  /** How long to wait for a rollout (default 15 min). */
  readonly timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 15 * 60_000;

export async function createAwsDriver(ctx: DriverContext, deps: AwsDriverOptions = {}): Promise<Driver> {
  return new AwsDriver(ctx, deps);
}


export class AwsDriver implements Driver {
  readonly infra = 'aws' as const;
  readonly pool: ClientPool;
  readonly #ctx: DriverContext;
  readonly #poll: PollSettings;
  readonly #wait: boolean;
  readonly #timeoutMs: number;
  readonly #roleArns = new Map<string, string>();
  readonly #groupIds = new Map<string, string>();
  readonly #latest = new Map<string, Promise<ecs.TaskDefinitionWithTags | undefined>>();
  readonly #vpcs = new Map<string, Promise<{ vpcId: string; cidr: string }>>();

  constructor(ctx: DriverContext, deps: AwsDriverOptions = {}) {
    this.#ctx = ctx;
    this.pool = new ClientPool(clientConfig(ctx), deps.clients);
    this.#poll = deps.poll ?? DEFAULT_POLL;
    this.#wait = deps.wait ?? true;
    this.#timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get #region(): string {
    return this.pool.region;
  }

  // ---------------------------------------------------------------- observe

  async observe(resources: readonly Resource[]): Promise<Map<string, Observed>> {
    const out = new Map<string, Observed>();
    const aws = resources as readonly AwsResource[];
    const params = aws.filter((r): r is AwsResource<'parameter'> => r.type === 'parameter');
    const others = aws.filter((r) => r.type !== 'parameter' && r.type !== 'service');
    const services = aws.filter((r): r is AwsResource<'service'> => r.type === 'service');
    const [paramStates] = await Promise.all([this.#observeParameters(params), ...others.map(async (r) => this.#record(out, r, await this.#observeOne(r)))]);
    for (const [name, o] of paramStates) out.set(name, o);
    await Promise.all(services.map(async (r) => this.#record(out, r, await this.#observeService(r, aws))));
    return out;
  }

  #record(out: Map<string, Observed>, r: Resource, o: Observed | undefined): void {
    if (o) out.set(r.name, o);
  }

  #owned(tags: Record<string, string> | undefined): boolean {
    return isOwned(tags, this.#ctx);
  }

  async #observeOne(r: AwsResource): Promise<Observed | undefined> {
    switch (r.type) {
      case 'cluster': {
        const c = await ecs.describeCluster(await this.pool.ecs(), (r.spec as AwsSpecs['cluster']).clusterName);
        return c && { owned: this.#owned(c.tags), state: { arn: c.arn, status: c.status } };
      }
      case 'log-group': {
        const name = (r.spec as AwsSpecs['log-group']).logGroupName;
        const client = await this.pool.logs();
        const g = await logs.describeLogGroup(client, name);
        if (!g) return undefined;
        return { owned: this.#owned(await logs.logGroupTags(client, name)), state: g };
      }
      case 'role': {
        const name = (r.spec as AwsSpecs['role']).roleName;
        const client = await this.pool.iam();
        const role = await iam.getRole(client, name);
        if (!role) return undefined;
        this.#roleArns.set(name, role.arn);
        const policies = await iam.inlinePolicies(client, name);
        const state: RoleState = { arn: role.arn, trust: role.trust, policies };
        return { owned: this.#owned(role.tags), state };
      }
      case 'security-group': {
        const spec = r.spec as AwsSpecs['security-group'];
        const vpc = spec.subnets.length ? await this.#vpc(spec.subnets) : undefined;
        const client = await this.pool.ec2();
        const g = vpc ? await ec2.findSecurityGroup(client, spec.groupName, vpc.vpcId) : await this.#findOwnedGroup(spec.groupName);
        if (!g) return undefined;
        this.#groupIds.set(spec.groupName, g.groupId);
        const state: SecurityGroupState = { groupId: g.groupId, vpcId: g.vpcId, ...(vpc ? { subnetsVpcId: vpc.vpcId, vpcCidr: vpc.cidr } : {}), ingress: g.ingress };
        return { owned: this.#owned(g.tags), state };
      }
      case 'task-definition': {
        const td = await this.#latestTd((r.spec as AwsSpecs['task-definition']).family);
        if (!td) return undefined;
        return { owned: this.#owned(td.tags), state: { arn: td.taskDefinitionArn ?? '', revision: td.revision ?? 0, definition: td } };
      }
      default:
        return undefined;
    }
  }

  /** Without subnets (e.g. on down), the group is found by name among this workspace's tagged groups. */
  async #findOwnedGroup(name: string): Promise<ec2.SecurityGroupInfo | undefined> {
    const groups = await ec2.securityGroupsByName(await this.pool.ec2(), name);
    return groups.find((g) => this.#owned(g.tags)) ?? groups[0];
  }

  async #observeParameters(params: readonly AwsResource<'parameter'>[]): Promise<Map<string, Observed>> {
    const out = new Map<string, Observed>();
    if (params.length === 0) return out;
    const client = await this.pool.ssm();
    const found = await ssm.getParameters(client, params.map((p) => p.spec.parameterName));
    await Promise.all(
      params.map(async (p) => {
        const info = found.get(p.spec.parameterName);
        if (!info) return;
        const state: ParameterState = { type: info.type, version: info.version, valueHash: hashValue(info.value) };
        out.set(p.name, { owned: this.#owned(await ssm.parameterTags(client, p.spec.parameterName)), state });
      }),
    );
    return out;
  }

  async #observeService(r: AwsResource<'service'>, selected: readonly AwsResource[]): Promise<Observed | undefined> {
    const spec = r.spec;
    const client = await this.pool.ecs();
    let s: ecs.ServiceWithTags | undefined;
    try {
      s = await ecs.describeService(client, spec.cluster, spec.serviceName);
    } catch (error) {
      if (error instanceof Error && error.name === 'ClusterNotFoundError') return undefined;
      throw error;
    }
    if (!s || s.status === 'DRAINING') return undefined;
    const latest = await this.#latestTd(spec.taskFamily);
    const tdResource = selected.find((x): x is AwsResource<'task-definition'> => x.type === 'task-definition' && (x.spec as AwsSpecs['task-definition']).family === spec.taskFamily);
    const newRevisionPending = tdResource !== undefined && (!latest || compareTaskDefinition(tdResource.spec, this.#region, latest).length > 0);
    const net = s.networkConfiguration?.awsvpcConfiguration;
    const groupIds = net?.securityGroups ?? [];
    const named = groupIds.some((id) => ![...this.#groupIds.values()].includes(id)) ? await ec2.securityGroupsById(await this.pool.ec2(), groupIds) : [];
    const nameOf = (id: string): string => [...this.#groupIds].find(([, v]) => v === id)?.[0] ?? named.find((g) => g.groupId === id)?.groupName ?? '';
    const breaker = s.deploymentConfiguration?.deploymentCircuitBreaker;
    const short = (arn: string | undefined) => (arn ?? '').split('/').pop() ?? '';
    const state: ServiceState = {
      arn: s.serviceArn ?? '',
      status: s.status ?? '',
      taskDefinition: short(s.taskDefinition),
      ...(latest ? { latestTaskDefinition: short(latest.taskDefinitionArn) } : {}),
      newRevisionPending,
      desiredCount: s.desiredCount ?? 0,
      subnets: net?.subnets ?? [],
      securityGroups: groupIds.map((id) => ({ id, name: nameOf(id) })),
      assignPublicIp: net?.assignPublicIp === 'ENABLED',
      circuitBreaker: { enable: breaker?.enable ?? false, rollback: breaker?.rollback ?? false },
      enableExecuteCommand: s.enableExecuteCommand ?? false,
    };
    return { owned: this.#owned(s.tagMap), state };
  }

  #latestTd(family: string): Promise<ecs.TaskDefinitionWithTags | undefined> {
    let p = this.#latest.get(family);
    if (!p) {
      p = this.pool.ecs().then((c) => ecs.latestActiveTaskDefinition(c, family));
      this.#latest.set(family, p);
      p.catch(() => this.#latest.delete(family));
    }
    return p;
  }

  #vpc(subnets: readonly string[]): Promise<{ vpcId: string; cidr: string }> {
    const key = [...subnets].sort().join(',');
    let p = this.#vpcs.get(key);
    if (!p) {
      p = this.pool.ec2().then((c) => ec2.vpcOfSubnets(c, subnets, this.#region));
      this.#vpcs.set(key, p);
      p.catch(() => this.#vpcs.delete(key));
    }
    return p;
  }

  // ---------------------------------------------------------------- compare

  compare(desired: Resource, observed: Observed): Comparison {
    return compareAws(desired, observed, this.#region);
  }

  // ---------------------------------------------------------------- apply

  async apply(action: Action, reporter: ApplyReporter): Promise<void> {
    const r = action.resource as AwsResource;
    const tags = ownershipTags(r, this.#ctx);
    if (action.kind === 'noop') return;
    switch (r.type) {
      case 'cluster':
        return this.#applyCluster(action, r as AwsResource<'cluster'>, tags, reporter);
      case 'log-group':
        return this.#applyLogGroup(action, r as AwsResource<'log-group'>, tags, reporter);
      case 'role':
        return this.#applyRole(action, r as AwsResource<'role'>, tags, reporter);
      case 'parameter':
        return this.#applyParameter(action, r as AwsResource<'parameter'>, tags, reporter);
      case 'security-group':
        return this.#applyGroup(action, r as AwsResource<'security-group'>, tags, reporter);
      case 'task-definition':
        return this.#applyTaskDefinition(action, r as AwsResource<'task-definition'>, tags, reporter);
      case 'service':
        return this.#applyService(action, r as AwsResource<'service'>, tags, reporter);
      default:
        throw new WsError(`${action.kind} ${(r as Resource).type} ${(r as Resource).name}: the aws driver does not know this type`);
    }
  }

  async #applyCluster(action: Action, r: AwsResource<'cluster'>, tags: Record<string, string>, reporter: ApplyReporter): Promise<void> {
    const client = await this.pool.ecs();
    if (action.kind === 'delete') {
      await ecs.deleteCluster(client, r.spec.clusterName);
      reporter.progress(`deleted cluster ${r.name}`);
    } else if (action.kind === 'create') {
      await ecs.createCluster(client, r.spec.clusterName, tags);
      reporter.progress(`created cluster ${r.name}`);
    }
  }

  async #applyLogGroup(action: Action, r: AwsResource<'log-group'>, tags: Record<string, string>, reporter: ApplyReporter): Promise<void> {
    const client = await this.pool.logs();
    const { logGroupName, retentionDays } = r.spec;
    if (action.kind === 'delete') {
      await logs.deleteLogGroup(client, logGroupName);
      reporter.progress(`deleted log group ${logGroupName}`);
    } else if (action.kind === 'create') {
      await logs.createLogGroup(client, logGroupName, tags, retentionDays);
      reporter.progress(`created log group ${logGroupName} (retention ${retentionDays} days)`);
    } else {
      await logs.putRetention(client, logGroupName, retentionDays);
      reporter.progress(`set retention of log group ${logGroupName} to ${retentionDays} days`);
    }
  }

  async #applyRole(action: Action, r: AwsResource<'role'>, tags: Record<string, string>, reporter: ApplyReporter): Promise<void> {
    const client = await this.pool.iam();
    const { roleName, policies, trustedService, description } = r.spec;
    if (action.kind === 'delete') {
      await iam.deleteRole(client, roleName);
      this.#roleArns.delete(roleName);
      reporter.progress(`deleted role ${roleName}`);
      return;
    }
    let arn: string;
    let existing: readonly string[] = [];
    if (action.kind === 'create') {
      arn = await iam.createRole(client, { name: roleName, trust: trustPolicy(trustedService), description, tags });
      await iam.waitRoleExists(client, roleName, 120);
    } else {
      const state = action.observed?.state as RoleState;
      arn = state.arn;
      existing = Object.keys(state.policies);
      if (JSON.stringify(normalizePolicy(state.trust)) !== JSON.stringify(normalizePolicy(trustPolicy(trustedService)))) {
        await iam.updateTrust(client, roleName, trustPolicy(trustedService));
      }
    }
    this.#roleArns.set(roleName, arn);
    for (const [name, doc] of Object.entries(policies)) await iam.putRolePolicy(client, roleName, name, withAccount(doc, accountOf(arn)));
    for (const name of existing.filter((n) => !(n in policies))) await iam.deleteRolePolicy(client, roleName, name);
    reporter.progress(`${action.kind === 'create' ? 'created' : 'updated'} role ${roleName} (${Object.keys(policies).join(', ')})`);
  }

  async #applyParameter(action: Action, r: AwsResource<'parameter'>, tags: Record<string, string>, reporter: ApplyReporter): Promise<void> {
    const client = await this.pool.ssm();
    const { parameterName, value, description } = r.spec;
    if (action.kind === 'delete') {
      await ssm.deleteParameter(client, parameterName);
      reporter.progress(`deleted parameter ${parameterName}`);
      return;
    }
    const overwrite = action.kind !== 'create';
    await ssm.putParameter(client, { name: parameterName, value: value.reveal(), description, overwrite, tags });
    reporter.progress(`${overwrite ? 'updated' : 'created'} parameter ${parameterName} (SecureString)`);
  }

  async #applyGroup(action: Action, r: AwsResource<'security-group'>, tags: Record<string, string>, reporter: ApplyReporter): Promise<void> {
    const client = await this.pool.ec2();
    const spec = r.spec;
    const state = action.observed?.state as SecurityGroupState | undefined;
    if (action.kind === 'delete' || action.kind === 'replace') {
      if (state) await this.#deleteGroup(state.groupId, r.name, reporter);
      this.#groupIds.delete(spec.groupName);
      if (action.kind === 'delete') return;
    }
    if (spec.subnets.length === 0) throw noSubnets(`${action.kind} security group ${r.name}`);
    const vpc = await this.#vpc(spec.subnets);
    const rules = ingressRules(spec, vpc.cidr);
    if (action.kind === 'create' || action.kind === 'replace') {
      const id = await ec2.createSecurityGroup(client, { name: spec.groupName, description: spec.description, vpcId: vpc.vpcId, tags });
      this.#groupIds.set(spec.groupName, id);
      await ec2.authorizeIngress(client, id, rules);
      reporter.progress(`created security group ${spec.groupName} (${id}) in ${vpc.vpcId}`);
      return;
    }
    const key = (x: ec2.IpRule) => `${x.protocol}/${x.port}/${x.cidr}`;
    const have = new Set(state!.ingress.map(key));
    const want = new Set(rules.map(key));
    await ec2.authorizeIngress(client, state!.groupId, rules.filter((x) => !have.has(key(x))));
    await ec2.revokeIngress(client, state!.groupId, state!.ingress.filter((x) => !want.has(key(x))));
    reporter.progress(`updated ingress of security group ${spec.groupName} (${state!.groupId})`);
  }

  /** ENIs of stopped tasks hold the group for a while: DependencyViolation is retried until the timeout. */
  async #deleteGroup(id: string, name: string, reporter: ApplyReporter): Promise<void> {
    const client = await this.pool.ec2();
    const poller = new Poller(this.#poll, this.#timeoutMs);
    for (;;) {
      try {
        await ec2.deleteSecurityGroup(client, id);
        reporter.progress(`deleted security group ${name} (${id})`);
        return;
      } catch (error) {
        if (!isAwsError(error, 'DependencyViolation') || poller.expired()) {
          throw new WsError(`delete security group ${name} (${id}): ${(error as Error).message}${isAwsError(error, 'DependencyViolation') ? ' — network interfaces still use it; run ws down again in a few minutes' : ''}`, { cause: error });
        }
        reporter.progress(`security group ${name}: still in use by network interfaces, retrying`);
        await poller.wait();
      }
    }
  }

  async #roleArn(name: string): Promise<string> {
    const known = this.#roleArns.get(name);
    if (known) return known;
    const role = await iam.getRole(await this.pool.iam(), name);
    if (!role) throw new WsError(`role ${name} does not exist: run ws up -e ${this.#ctx.env} -i aws first`);
    this.#roleArns.set(name, role.arn);
    return role.arn;
  }

  async #applyTaskDefinition(action: Action, r: AwsResource<'task-definition'>, tags: Record<string, string>, reporter: ApplyReporter): Promise<void> {
    const client = await this.pool.ecs();
    const { family } = r.spec;
    if (action.kind === 'delete') {
      const arns = await ecs.listActiveRevisions(client, family);
      for (const arn of arns) await ecs.deregisterTaskDefinition(client, arn);
      this.#latest.delete(family);
      reporter.progress(`deregistered ${arns.length} revision(s) of task definition ${family}`);
      return;
    }
    if (!r.spec.container.image) throw new WsError(`register task definition ${family}: no image: set aws.image in workspace/settings.ts or WS_PRD_IMAGE`);
    const [executionRoleArn, taskRoleArn] = await Promise.all([this.#roleArn(r.spec.executionRole), this.#roleArn(r.spec.taskRole)]);
    const td = await ecs.registerTaskDefinition(client, registerInput(r.spec, { executionRoleArn, taskRoleArn, region: this.#region, tags }));
    this.#latest.set(family, Promise.resolve({ ...td, tags }));
    reporter.progress(`registered task definition ${family}:${td.revision}`);
  }

  async #groupId(ref: string, spec: ServiceSpec): Promise<string> {
    if (/^sg-[0-9a-f]+$/.test(ref)) return ref;
    const known = this.#groupIds.get(ref);
    if (known) return known;
    if (spec.subnets.length === 0) throw noSubnets(`find security group ${ref}`);
    const vpc = await this.#vpc(spec.subnets);
    const g = await ec2.findSecurityGroup(await this.pool.ec2(), ref, vpc.vpcId);
    if (!g) throw new WsError(`security group ${ref} does not exist in ${vpc.vpcId}: run ws up -e ${this.#ctx.env} -i aws first`);
    this.#groupIds.set(ref, g.groupId);
    return g.groupId;
  }

  async #applyService(action: Action, r: AwsResource<'service'>, tags: Record<string, string>, reporter: ApplyReporter): Promise<void> {
    const client = await this.pool.ecs();
    const spec = r.spec;
    const where = `service ${spec.serviceName} in cluster ${spec.cluster}`;
    if (action.kind === 'delete') {
      await ecs.deleteService(client, spec.cluster, spec.serviceName);
      reporter.progress(`deleting ${where}: waiting for it to drain`);
      await ecs.waitServiceInactive(client, spec.cluster, spec.serviceName, Math.max(30, Math.round(this.#timeoutMs / 1000)));
      reporter.progress(`deleted ${where}`);
      return;
    }
    if (spec.subnets.length === 0) throw noSubnets(`${action.kind} ${where}`);
    const securityGroups = await Promise.all(spec.securityGroups.map((g) => this.#groupId(g, spec)));
    const networkConfiguration = {
      awsvpcConfiguration: { subnets: [...spec.subnets], securityGroups, assignPublicIp: spec.assignPublicIp ? ('ENABLED' as const) : ('DISABLED' as const) },
    };
    const deploymentConfiguration = { deploymentCircuitBreaker: { ...spec.circuitBreaker }, minimumHealthyPercent: 100, maximumPercent: 200 };
    const since = Date.now() - 1000;
    // the latest ACTIVE revision, named explicitly (what `ws patch -n td` just registered, if it did)
    const taskDefinition = (await this.#latestTd(spec.taskFamily))?.taskDefinitionArn ?? spec.taskFamily;
    let service;
    if (action.kind === 'create') {
      service = await ecs.createService(client, {
        cluster: spec.cluster,
        serviceName: spec.serviceName,
        taskDefinition,
        desiredCount: spec.desiredCount,
        launchType: 'FARGATE',
        networkConfiguration,
        deploymentConfiguration,
        enableExecuteCommand: spec.enableExecuteCommand,
        propagateTags: 'SERVICE',
        tags: ecs.toEcsTags(tags),
      });
      reporter.progress(`created ${where} on ${(service.taskDefinition ?? '').split('/').pop()}`);
    } else {
      service = await ecs.updateService(client, {
        cluster: spec.cluster,
        service: spec.serviceName,
        taskDefinition,
        desiredCount: spec.desiredCount,
        networkConfiguration,
        deploymentConfiguration,
        enableExecuteCommand: spec.enableExecuteCommand,
        forceNewDeployment: action.kind === 'replace',
      });
      reporter.progress(`${action.kind === 'replace' ? 'redeploying' : 'updated'} ${where} on ${(service.taskDefinition ?? '').split('/').pop()}`);
    }
    if (!this.#wait) {
      reporter.progress(`not waiting for the rollout of ${spec.serviceName} (--no-wait)`);
      return;
    }
    const primary = (service.deployments ?? []).find((d) => d.status === 'PRIMARY');
    if (!primary?.id) return;
    await watchRollout(client, { cluster: spec.cluster, service: spec.serviceName, deploymentId: primary.id, since }, { poll: this.#poll, timeoutMs: this.#timeoutMs, reporter });
    reporter.progress(`${where} is stable on ${(service.taskDefinition ?? '').split('/').pop()}`);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function noSubnets(what: string): WsError {
  return new WsError(`${what}: no subnets configured: set aws.subnets in workspace/settings.ts or WS_AWS_SUBNETS (comma-separated)`);
}
