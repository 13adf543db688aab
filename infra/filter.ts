/**
 * Resource filters (pure): --env/--infra/--group/--name/--type and the positional ENV:INFRA:GROUP:NAME:TYPE.
 * Name and group match as substrings, type exactly (case-insensitive, aliases), env and infra exactly.
 */
import { UsageError } from '../cli/errors.js';
import type { Resource } from './resource.js';
import { INFRAS, type ResolvedWorkspace } from './settings.js';
import { resolveType, RESOURCE_TYPES } from './types.js';

export interface Filter {
  env?: string;
  infra?: string;
  group?: string;
  name?: string;
  type?: string;
}

/** Merges the positional ENV:INFRA:GROUP:NAME:TYPE with the flags; a flag and a positional part that disagree are an error. */
export function parseFilter(positional: string | undefined, flags: Filter): Filter {
  const out: Filter = { ...flags };
  if (!positional) return out;
  const parts = positional.split(':');
  if (parts.length > 5) throw new UsageError(`filter "${positional}": expected at most 5 parts ENV:INFRA:GROUP:NAME:TYPE`);
  const keys = ['env', 'infra', 'group', 'name', 'type'] as const;
  parts.forEach((value, i) => {
    const key = keys[i]!;
    if (!value) return;
    if (out[key] !== undefined && out[key] !== value) throw new UsageError(`filter "${positional}" sets ${key}=${value} but --${key} is ${out[key]}`);
    out[key] = value;
  });
  return out;
}

/** Validates env/infra/type values against the workspace; unknown values are usage errors. */
export function validateFilter(filter: Filter, settings: ResolvedWorkspace): Filter {
  if (filter.env !== undefined && !(filter.env in settings.envs)) {
    throw new UsageError(`unknown env "${filter.env}": this workspace has ${Object.keys(settings.envs).join(', ')}`);
  }
  if (filter.infra !== undefined && !INFRAS.includes(filter.infra as never)) {
    throw new UsageError(`unknown infra "${filter.infra}": expected one of ${INFRAS.join(', ')}`);
  }
  if (filter.type !== undefined) {
    const t = resolveType(filter.type);
    if (!t) throw new UsageError(`unknown type "${filter.type}": expected one of ${RESOURCE_TYPES.map((x) => x.name).join(', ')} (aliases: ${RESOURCE_TYPES.flatMap((x) => x.aliases).join(', ')})`);
    return { ...filter, type: t.name };
  }
  return filter;
}

export function matches(resource: Resource, filter: Filter): boolean {
  return (
    (filter.env === undefined || resource.env === filter.env) &&
    (filter.infra === undefined || resource.infra === filter.infra) &&
    (filter.group === undefined || resource.group.includes(filter.group)) &&
    (filter.name === undefined || resource.name.includes(filter.name)) &&
    (filter.type === undefined || resource.type === filter.type)
  );
}

/** Whether the filter narrows resources beyond the env (then the env may be inferred from the matches). */
export function narrowsResources(filter: Filter): boolean {
  return filter.name !== undefined || filter.group !== undefined || filter.type !== undefined || filter.infra !== undefined;
}

/**
 * The env a resource command works on. Given: --env. Otherwise, when name/group/type narrow the
 * selection, the one env that has matching resources (ambiguity is an error); else the default env.
 */
export function inferEnv(filter: Filter, settings: ResolvedWorkspace, resourcesByEnv: ReadonlyMap<string, readonly Resource[]>): string {
  if (filter.env !== undefined) return filter.env;
  if (!narrowsResources(filter)) return settings.defaultEnv;
  const hits = [...resourcesByEnv].filter(([, rs]) => rs.some((r) => matches(r, filter)));
  if (hits.length === 1) return hits[0]![0];
  if (hits.length === 0) return settings.defaultEnv;
  const list = hits.map(([env, rs]) => `${env} (${rs.filter((r) => matches(r, filter)).map((r) => r.name).join(', ')})`).join(' and ');
  throw new UsageError(`the filter matches resources in several envs: ${list}; pass --env`);
}
