/**
 * Every resource type ws knows, with its aliases and its place in creation order.
 * Static and dependency-free: filters validate --type without loading any driver.
 */
import type { InfraName } from './settings.js';

export interface ResourceType {
  readonly name: string;
  readonly infra: InfraName;
  readonly aliases: readonly string[];
  /** Creation order (lower first); deletion runs in reverse. */
  readonly order: number;
  /** Kept by `down` unless the filter names the type (-t volume): data and build caches survive. */
  readonly keepOnDown?: boolean;
  /** What `restart` replaces (containers are recreated, services redeployed). */
  readonly restartable?: boolean;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { name: 'network', infra: 'docker', aliases: ['net'], order: 10 },
  { name: 'volume', infra: 'docker', aliases: ['vol'], order: 20, keepOnDown: true },
  { name: 'image', infra: 'docker', aliases: ['img'], order: 30, keepOnDown: true },
  { name: 'container', infra: 'docker', aliases: ['ctr'], order: 40, restartable: true },
  { name: 'cluster', infra: 'aws', aliases: ['ecs-cluster'], order: 10 },
  { name: 'log-group', infra: 'aws', aliases: ['lg', 'logs', 'loggroup'], order: 20 },
  { name: 'role', infra: 'aws', aliases: ['iam-role', 'iam'], order: 30 },
  { name: 'parameter', infra: 'aws', aliases: ['param', 'ssm', 'secret'], order: 40 },
  { name: 'security-group', infra: 'aws', aliases: ['sg', 'securitygroup'], order: 50 },
  { name: 'task-definition', infra: 'aws', aliases: ['td', 'taskdefinition', 'task-def'], order: 60 },
  { name: 'service', infra: 'aws', aliases: ['svc', 'ecs-service'], order: 70, restartable: true },
];

/** The canonical type name for a name or alias (case-insensitive), or undefined. */
export function resolveType(input: string): ResourceType | undefined {
  const key = input.toLowerCase();
  return RESOURCE_TYPES.find((t) => t.name === key || t.aliases.includes(key));
}

export function typeOrder(name: string): number {
  return RESOURCE_TYPES.find((t) => t.name === name)?.order ?? 1000;
}

export function typeInfo(name: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.name === name);
}
