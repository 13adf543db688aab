/**
 * Typed constructors of the AWS resources a workspace/<env>.ts declares. Pure and SDK-free: loading
 * workspace/prd.ts never loads the AWS SDK. Each resource's name is its AWS name, `{ws}-{env}-{thing}`.
 */
import type { Resource, ResourceContext, Secret } from '../resource.js';

export const TAG_WORKSPACE = 'ws:workspace';
export const TAG_ENV = 'ws:env';
export const TAG_RESOURCE = 'ws:resource';
/** Stands for the account id in policies until the driver learns it (from the role's ARN). */
export const ACCOUNT = '${AccountId}';

export type Tags = Readonly<Record<string, string>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface ClusterSpec {
  readonly clusterName: string;
}
export interface LogGroupSpec {
  readonly logGroupName: string;
  readonly retentionDays: number;
}
export interface RoleSpec {
  readonly roleName: string;
  readonly description: string;
  /** The service principal that assumes the role (ecs-tasks.amazonaws.com). */
  readonly trustedService: string;
  /** Inline policies by name; `${AccountId}` is filled in by the driver. */
  readonly policies: Readonly<Record<string, PolicyDocument>>;
}
export interface ParameterSpec {
  readonly parameterName: string;
  readonly value: Secret;
  readonly description: string;
}
export interface IngressRule {
  readonly port: number;
  /** 'vpc': the CIDR block of the subnets' VPC; or an explicit CIDR. */
  readonly from: 'vpc' | string;
}
export interface SecurityGroupSpec {
  readonly groupName: string;
  readonly description: string;
  /** The group lands in the VPC of these subnets (never the default VPC). */
  readonly subnets: readonly string[];
  readonly ingress: readonly IngressRule[];
}
export interface HealthCheckSpec {
  readonly command: readonly string[];
  readonly interval?: number;
  readonly timeout?: number;
  readonly retries?: number;
  readonly startPeriod?: number;
}
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly environment: Readonly<Record<string, string>>;
  /** Variable name -> SSM parameter name (`/ai/prd/DB_PASS`): injected by ECS, never plaintext. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
  readonly logGroup: string;
  readonly logStreamPrefix: string;
  readonly healthCheck?: HealthCheckSpec;
}
export interface TaskDefinitionSpec {
  readonly family: string;
  readonly cpu: number;
  readonly memory: number;
  readonly executionRole: string;
  readonly taskRole: string;
  readonly container: ContainerSpec;
}
export interface ServiceSpec {
  readonly serviceName: string;
  readonly cluster: string;
  /** Family of the task definition: the service runs its latest ACTIVE revision. */
  readonly taskFamily: string;
  readonly containerName: string;
  readonly desiredCount: number;
  readonly subnets: readonly string[];
  /** Security group ids (sg-...) or names of security-group resources of this workspace. */
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: boolean;
  readonly circuitBreaker: { readonly enable: boolean; readonly rollback: boolean };
  readonly enableExecuteCommand: boolean;
}

export interface AwsSpecs {
  cluster: ClusterSpec;
  'log-group': LogGroupSpec;
  role: RoleSpec;
  parameter: ParameterSpec;
  'security-group': SecurityGroupSpec;
  'task-definition': TaskDefinitionSpec;
  service: ServiceSpec;
}
export type AwsType = keyof AwsSpecs;
export type AwsResource<T extends AwsType = AwsType> = Resource<AwsSpecs[T]> & { readonly type: T };

interface Common {
  readonly group?: string;
  readonly dependsOn?: readonly string[];
}

function make<T extends AwsType>(ctx: ResourceContext, type: T, name: string, spec: AwsSpecs[T], common: Common): AwsResource<T> {
  return { type, name, group: common.group ?? 'app', env: ctx.env, infra: 'aws', dependsOn: [...(common.dependsOn ?? [])], spec };
}

/** `{ws}-{env}-{thing}` */
export function awsName(ctx: ResourceContext, thing?: string): string {
  return [ctx.settings.name, ctx.env, thing].filter(Boolean).join('-');
}

export function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export const ecsCluster = (ctx: ResourceContext, spec: ClusterSpec, common: Common = {}) => make(ctx, 'cluster', spec.clusterName, spec, common);
export const logGroup = (ctx: ResourceContext, spec: LogGroupSpec, common: Common = {}) => make(ctx, 'log-group', spec.logGroupName, spec, common);
export const iamRole = (ctx: ResourceContext, spec: RoleSpec, common: Common = {}) => make(ctx, 'role', spec.roleName, spec, common);
export const securityGroup = (ctx: ResourceContext, spec: SecurityGroupSpec, common: Common = {}) => make(ctx, 'security-group', spec.groupName, spec, common);
export const taskDefinition = (ctx: ResourceContext, spec: TaskDefinitionSpec, common: Common = {}) => make(ctx, 'task-definition', spec.family, spec, common);
export const ecsService = (ctx: ResourceContext, spec: ServiceSpec, common: Common = {}) => make(ctx, 'service', spec.serviceName, spec, common);

/** A SecureString parameter; its resource name is `{ws}-{env}-param-{key}` (lower case, dashes). */
export function ssmParameter(ctx: ResourceContext, spec: ParameterSpec, common: Common = {}): AwsResource<'parameter'> {
  const key = spec.parameterName.split('/').pop() ?? spec.parameterName;
  return make(ctx, 'parameter', awsName(ctx, `param-${key.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`), spec, common);
}

/** `/{ws}/{env}/` : the prefix of this workspace's parameters. */
export function parameterPrefix(ctx: ResourceContext): string {
  return `/${ctx.settings.name}/${ctx.env}/`;
}

/** What the task execution role needs: pull the image, write the log group, read this env's parameters. */
export function executionRolePolicy(ctx: ResourceContext, opts: { image: string; logGroup: string }): PolicyDocument {
  const region = ctx.settings.aws.region;
  const p = partition(region);
  const statements: PolicyStatement[] = [];
  const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(opts.image);
  if (ecr) {
    statements.push({ Sid: 'EcrAuth', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' });
    statements.push({
      Sid: 'PullImage',
      Effect: 'Allow',
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Resource: `arn:${p}:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[3]}`,
    });
  }
  statements.push({ Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:${p}:logs:${region}:${ACCOUNT}:log-group:${opts.logGroup}:*` });
  statements.push({ Sid: 'ReadParameters', Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: `arn:${p}:ssm:${region}:${ACCOUNT}:parameter${parameterPrefix(ctx)}*` });
  return { Version: '2012-10-17', Statement: statements };
}

/** What the running task needs: the ECS exec (SSM messages) channels, nothing else. */
export function taskRolePolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EcsExec',
        Effect: 'Allow',
        Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        Resource: '*',
      },
    ],
  };
}

/** The tags ws puts on everything it creates. */
export function ownershipTags(r: { name: string }, ctx: { settings: { name: string }; env: string }): Tags {
  return { [TAG_WORKSPACE]: ctx.settings.name, [TAG_ENV]: ctx.env, [TAG_RESOURCE]: r.name };
}

export function isOwned(tags: Tags | undefined, ctx: { settings: { name: string }; env: string }): boolean {
  return tags?.[TAG_WORKSPACE] === ctx.settings.name && tags?.[TAG_ENV] === ctx.env;
}
