/**
 * Task definitions, pure: the RegisterTaskDefinition input ws sends, and one normaliser applied to
 * both that input and the latest ACTIVE revision, filling in the defaults ECS adds (protocol tcp,
 * essential true, hostPort = containerPort under awsvpc, empty arrays, health check timings, numbers
 * as strings, ARNs vs names, order of lists), so that only real differences register a revision.
 */
import type { FieldChange } from '../resource.js';
import { diff, sortedRecord } from './diff.js';
import type { TaskDefinitionSpec, Tags } from './resources.js';

/** The subset of ECS's TaskDefinition / RegisterTaskDefinitionInput that ws manages. */
export interface TaskDefinitionLike {
  family?: string;
  cpu?: string | number;
  memory?: string | number;
  networkMode?: string;
  requiresCompatibilities?: string[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  containerDefinitions?: ContainerLike[];
  volumes?: unknown[];
  placementConstraints?: unknown[];
  runtimePlatform?: { cpuArchitecture?: string; operatingSystemFamily?: string };
}
export interface ContainerLike {
  name?: string;
  image?: string;
  essential?: boolean;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  command?: string[];
  entryPoint?: string[];
  workingDirectory?: string;
  user?: string;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string; name?: string; appProtocol?: string }[];
  environment?: { name?: string; value?: string }[];
  secrets?: { name?: string; valueFrom?: string }[];
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
  healthCheck?: { command?: string[]; interval?: number; timeout?: number; retries?: number; startPeriod?: number };
  mountPoints?: unknown[];
  volumesFrom?: unknown[];
  systemControls?: unknown[];
  readonlyRootFilesystem?: boolean;
}

export interface NormalContainer {
  image: string;
  essential: boolean;
  cpu: number;
  memory?: number;
  memoryReservation?: number;
  command?: string[];
  entryPoint?: string[];
  workingDirectory?: string;
  user?: string;
  ports: Record<string, number>;
  environment: Record<string, string>;
  secrets: Record<string, string>;
  log?: { driver: string; options: Record<string, string> };
  healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  readonlyRootFilesystem: boolean;
  volumes: number;
}
export interface NormalTaskDefinition {
  family: string;
  cpu: string;
  memory: string;
  networkMode: string;
  requiresCompatibilities: string;
  executionRole: string;
  taskRole: string;
  platform: string;
  containers: Record<string, NormalContainer>;
  volumes: number;
}

/** The RegisterTaskDefinition input of a spec. Role ARNs are passed in (they carry the account id). */
export function registerInput(spec: TaskDefinitionSpec, opts: { executionRoleArn: string; taskRoleArn: string; region: string; tags?: Tags }) {
  const c = spec.container;
  const input = {
    family: spec.family,
    cpu: String(spec.cpu),
    memory: String(spec.memory),
    networkMode: 'awsvpc' as const,
    requiresCompatibilities: ['FARGATE' as const],
    executionRoleArn: opts.executionRoleArn,
    taskRoleArn: opts.taskRoleArn,
    containerDefinitions: [
      {
        name: c.name,
        image: c.image,
        essential: true,
        portMappings: [{ containerPort: c.port, hostPort: c.port, protocol: 'tcp' as const }],
        environment: Object.entries(c.environment)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, value]) => ({ name, value })),
        secrets: Object.entries(c.secrets)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, valueFrom]) => ({ name, valueFrom })),
        ...(c.command ? { command: [...c.command] } : {}),
        logConfiguration: {
          logDriver: 'awslogs' as const,
          options: { 'awslogs-group': c.logGroup, 'awslogs-region': opts.region, 'awslogs-stream-prefix': c.logStreamPrefix },
        },
        ...(c.healthCheck
          ? {
              healthCheck: {
                command: [...c.healthCheck.command],
                interval: c.healthCheck.interval ?? 30,
                timeout: c.healthCheck.timeout ?? 5,
                retries: c.healthCheck.retries ?? 3,
                startPeriod: c.healthCheck.startPeriod ?? 0,
              },
            }
          : {}),
      },
    ],
    ...(opts.tags ? { tags: Object.entries(opts.tags).map(([key, value]) => ({ key, value })) } : {}),
  };
  return input;
}

/** arn:aws:iam::123456789012:role/path/name -> name; names stay names. */
export function roleName(arnOrName: string | undefined): string {
  if (!arnOrName) return '';
  const m = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(arnOrName);
  return m ? m[1]! : arnOrName;
}

/** arn:aws:ssm:region:account:parameter/ai/prd/X -> /ai/prd/X; names stay names. */
export function parameterName(arnOrName: string): string {
  const m = /^arn:[^:]+:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(arnOrName);
  return m ? m[1]! : arnOrName;
}

export function normalizeTaskDefinition(td: TaskDefinitionLike): NormalTaskDefinition {
  const networkMode = td.networkMode ?? 'bridge';
  const containers = sortedRecord(
    (td.containerDefinitions ?? []).map((c) => [c.name ?? '', normalizeContainer(c, networkMode)] as const),
  );
  return {
    family: td.family ?? '',
    cpu: td.cpu === undefined ? '' : String(td.cpu),
    memory: td.memory === undefined ? '' : String(td.memory),
    networkMode,
    requiresCompatibilities: [...(td.requiresCompatibilities ?? [])].sort().join(','),
    executionRole: roleName(td.executionRoleArn),
    taskRole: roleName(td.taskRoleArn),
    platform: `${td.runtimePlatform?.operatingSystemFamily ?? 'LINUX'}/${td.runtimePlatform?.cpuArchitecture ?? 'X86_64'}`,
    containers,
    volumes: td.volumes?.length ?? 0,
  };
}

function normalizeContainer(c: ContainerLike, networkMode: string): NormalContainer {
  const ports = sortedRecord(
    (c.portMappings ?? []).map((p) => {
      const containerPort = p.containerPort ?? 0;
      const hostPort = p.hostPort ?? (networkMode === 'awsvpc' || networkMode === 'host' ? containerPort : 0);
      return [`${containerPort}/${(p.protocol ?? 'tcp').toLowerCase()}`, hostPort] as const;
    }),
  );
  const hc = c.healthCheck;
  return {
    image: c.image ?? '',
    essential: c.essential ?? true,
    cpu: c.cpu ?? 0,
    ...(c.memory !== undefined ? { memory: c.memory } : {}),
    ...(c.memoryReservation !== undefined ? { memoryReservation: c.memoryReservation } : {}),
    ...(c.command?.length ? { command: [...c.command] } : {}),
    ...(c.entryPoint?.length ? { entryPoint: [...c.entryPoint] } : {}),
    ...(c.workingDirectory ? { workingDirectory: c.workingDirectory } : {}),
    ...(c.user ? { user: c.user } : {}),
    ports,
    environment: sortedRecord((c.environment ?? []).map((e) => [e.name ?? '', e.value ?? ''] as const)),
    secrets: sortedRecord((c.secrets ?? []).map((s) => [s.name ?? '', parameterName(s.valueFrom ?? '')] as const)),
    ...(c.logConfiguration?.logDriver
      ? { log: { driver: c.logConfiguration.logDriver, options: sortedRecord(Object.entries(c.logConfiguration.options ?? {})) } }
      : {}),
    ...(hc?.command?.length
      ? { healthCheck: { command: [...hc.command], interval: hc.interval ?? 30, timeout: hc.timeout ?? 5, retries: hc.retries ?? 3, startPeriod: hc.startPeriod ?? 0 } }
      : {}),
    readonlyRootFilesystem: c.readonlyRootFilesystem ?? false,
    volumes: (c.mountPoints?.length ?? 0) + (c.volumesFrom?.length ?? 0),
  };
}

/** The desired definition in normal form (role names stand for their ARNs). */
export function desiredTaskDefinition(spec: TaskDefinitionSpec, region: string): NormalTaskDefinition {
  return normalizeTaskDefinition(registerInput(spec, { executionRoleArn: spec.executionRole, taskRoleArn: spec.taskRole, region }));
}

/** The fields that differ between the desired definition and the latest ACTIVE revision. */
export function compareTaskDefinition(spec: TaskDefinitionSpec, region: string, latest: TaskDefinitionLike): FieldChange[] {
  return diff(desiredTaskDefinition(spec, region), normalizeTaskDefinition(latest));
}

