/**
 * Pure comparison of desired AWS resources with what observe() saw: the fields that differ,
 * rendered for display (secret values never: a changed parameter shows as **** -> ****).
 */
import { createHash } from 'node:crypto';
import type { Comparison, FieldChange, Observed, Resource } from '../resource.js';
import { diff, sortedRecord } from './diff.js';
import type { IpRule } from './ec2.js';
import { ACCOUNT, type AwsSpecs, type SecurityGroupSpec, type ServiceSpec } from './resources.js';
import { compareTaskDefinition, type TaskDefinitionLike } from './taskdef.js';

export interface ClusterState {
  readonly arn: string;
  readonly status: string;
}
export interface LogGroupState {
  readonly arn: string;
  readonly retentionDays?: number;
}
export interface RoleState {
  readonly arn: string;
  readonly trust: unknown;
  /** Inline policies as IAM holds them (with the account id). */
  readonly policies: Readonly<Record<string, unknown>>;
}
export interface ParameterState {
  readonly type: string;
  readonly version: number;
  /** sha256 of the value: the value itself never enters a plan. */
  readonly valueHash: string;
}
export interface SecurityGroupState {
  readonly groupId: string;
  readonly vpcId: string;
  /** The VPC of the configured subnets and its CIDR, when subnets are configured. */
  readonly subnetsVpcId?: string;
  readonly vpcCidr?: string;
  readonly ingress: readonly IpRule[];
}
export interface TaskDefinitionState {
  readonly arn: string;
  readonly revision: number;
  readonly definition: TaskDefinitionLike;
}
export interface ServiceState {
  readonly arn: string;
  readonly status: string;
  /** family:revision the service runs. */
  readonly taskDefinition: string;
  /** family:revision of the latest ACTIVE revision of its family. */
  readonly latestTaskDefinition?: string;
  /** The selected task definition resource will register a new revision in this run. */
  readonly newRevisionPending: boolean;
  readonly desiredCount: number;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly { id: string; name: string }[];
  readonly assignPublicIp: boolean;
  readonly circuitBreaker: { enable: boolean; rollback: boolean };
  readonly enableExecuteCommand: boolean;
}

/** arn:aws:iam::123456789012:role/x -> 123456789012 */
export function accountOf(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

/** Fills in the account id where a policy says ${AccountId}. */
export function withAccount<T>(doc: T, account: string | undefined): T {
  return JSON.parse(JSON.stringify(doc).split(ACCOUNT).join(account ?? '*')) as T;
}

export function hashValue(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The trust policy that lets a service principal (ecs-tasks.amazonaws.com) assume a role. */
export function trustPolicy(service: string) {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] };
}

const list = (v: unknown): string => (Array.isArray(v) ? [...v].map(String).sort().join(', ') : v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Statements keyed by Sid (or position), lists sorted: IAM may reorder and unwrap one-element arrays. */
export function normalizePolicy(doc: unknown): Record<string, unknown> {
  const statements = ((doc as { Statement?: unknown })?.Statement ?? []) as Record<string, unknown>[];
  const arr = Array.isArray(statements) ? statements : [statements];
  return sortedRecord(
    arr.map((s, i) => [
      typeof s.Sid === 'string' && s.Sid ? s.Sid : `#${i + 1}`,
      {
        Effect: s.Effect,
        Action: list(s.Action),
        ...(s.Resource !== undefined ? { Resource: list(s.Resource) } : {}),
        ...(s.Principal !== undefined ? { Principal: JSON.stringify(s.Principal) } : {}),
        ...(s.Condition !== undefined ? { Condition: JSON.stringify(s.Condition) } : {}),
      },
    ] as const),
  );
}

export function normalizePolicies(policies: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return sortedRecord(Object.entries(policies).map(([k, v]) => [k, normalizePolicy(v)] as const));
}

/** The CIDR a rule stands for: 'vpc' is the CIDR of the subnets' VPC. */
export function ingressRules(spec: SecurityGroupSpec, vpcCidr: string | undefined): IpRule[] {
  return spec.ingress.map((r) => ({ protocol: 'tcp', port: r.port, cidr: r.from === 'vpc' ? (vpcCidr ?? 'vpc') : r.from }));
}

function rulesRecord(rules: readonly IpRule[]): Record<string, string> {
  const grouped = new Map<string, string[]>();
  for (const r of rules) grouped.set(`${r.protocol}/${r.port}`, [...(grouped.get(`${r.protocol}/${r.port}`) ?? []), r.cidr]);
  return sortedRecord([...grouped].map(([k, v]) => [k, v.sort().join(', ')] as const));
}

/** The desired security groups of a service as shown: ids stay ids, names of ws groups stay names. */
function serviceGroups(wanted: readonly string[], seen: readonly { id: string; name: string }[]): { want: string; have: string } {
  const have = seen.map((g) => (wanted.includes(g.id) ? g.id : g.name || g.id)).sort();
  return { want: [...wanted].sort().join(', '), have: have.join(', ') };
}

export function compareService(spec: ServiceSpec, s: ServiceState): FieldChange[] {
  const groups = serviceGroups(spec.securityGroups, s.securityGroups);
  const latest = s.newRevisionPending ? `${spec.taskFamily}:(new revision)` : (s.latestTaskDefinition ?? s.taskDefinition);
  return diff(
    {
      taskDefinition: latest,
      desiredCount: spec.desiredCount,
      subnets: [...spec.subnets].sort().join(', '),
      securityGroups: groups.want,
      assignPublicIp: spec.assignPublicIp,
      circuitBreaker: spec.circuitBreaker,
      enableExecuteCommand: spec.enableExecuteCommand,
    },
    {
      taskDefinition: s.taskDefinition,
      desiredCount: s.desiredCount,
      subnets: [...s.subnets].sort().join(', '),
      securityGroups: groups.have,
      assignPublicIp: s.assignPublicIp,
      circuitBreaker: s.circuitBreaker,
      enableExecuteCommand: s.enableExecuteCommand,
    },
  );
}

export function compareAws(desired: Resource, observed: Observed, region: string): Comparison {
  const update = (changes: FieldChange[]): Comparison => ({ changes, mode: 'update' });
  switch (desired.type) {
    case 'cluster':
      return update([]);
    case 'log-group': {
      const spec = desired.spec as AwsSpecs['log-group'];
      return update(diff({ retentionDays: spec.retentionDays }, { retentionDays: (observed.state as LogGroupState).retentionDays }));
    }
    case 'role': {
      const spec = desired.spec as AwsSpecs['role'];
      const state = observed.state as RoleState;
      return update(
        diff(
          { trust: normalizePolicy(trustPolicy(spec.trustedService)), policies: normalizePolicies(withAccount(spec.policies, accountOf(state.arn))) },
          { trust: normalizePolicy(state.trust), policies: normalizePolicies(state.policies) },
        ),
      );
    }
    case 'parameter': {
      const spec = desired.spec as AwsSpecs['parameter'];
      const state = observed.state as ParameterState;
      const changes: FieldChange[] = [];
      if (state.type !== 'SecureString') changes.push({ field: 'type', from: state.type, to: 'SecureString' });
      if (state.valueHash !== hashValue(spec.value.reveal())) changes.push({ field: 'value', from: '****', to: '**** (changed)' });
      return update(changes);
    }
    case 'security-group': {
      const spec = desired.spec as AwsSpecs['security-group'];
      const state = observed.state as SecurityGroupState;
      if (state.subnetsVpcId && state.subnetsVpcId !== state.vpcId) {
        return { changes: [{ field: 'vpc', from: state.vpcId, to: state.subnetsVpcId }], mode: 'replace' };
      }
      return update(diff({ ingress: rulesRecord(ingressRules(spec, state.vpcCidr)) }, { ingress: rulesRecord(state.ingress) }));
    }
    case 'task-definition':
      return update(compareTaskDefinition(desired.spec as AwsSpecs['task-definition'], region, (observed.state as TaskDefinitionState).definition));
    case 'service':
      return update(compareService(desired.spec as ServiceSpec, observed.state as ServiceState));
    default:
      return update([]);
  }
}
