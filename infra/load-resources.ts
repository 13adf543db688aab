/** Loads the resources of each env from workspace/<env>.ts (defineResources). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsError } from '../cli/errors.js';
import { varsForEnv } from '../db/connection.js';
import { importTs } from './import-ts.js';
import type { LoadedWorkspace } from './load-settings.js';
import type { Resource, ResourceFactory } from './resource.js';
import { resolveType } from './types.js';

export function resourcesFile(root: string, env: string): string {
  return join(root, 'workspace', `${env}.ts`);
}

/** The resources of one env; an env without a workspace/<env>.ts file has none. */
export async function loadResources(loaded: LoadedWorkspace, env: string): Promise<Resource[]> {
  const file = resourcesFile(loaded.settings.root, env);
  if (!existsSync(file)) return [];
  const factory = await importTs<ResourceFactory>(file);
  if (typeof factory !== 'function') throw new SettingsError(`workspace/${env}.ts: the default export must be defineResources((ctx) => [...])`);
  const resources = await factory({ settings: loaded.settings, env, vars: varsForEnv(loaded, env) });
  const infra = loaded.settings.envs[env]!.infra;
  const seen = new Set<string>();
  for (const r of resources) {
    if (!resolveType(r.type) || resolveType(r.type)!.name !== r.type) throw new SettingsError(`workspace/${env}.ts: resource ${r.name} has unknown type "${r.type}"`);
    if (r.infra !== infra) throw new SettingsError(`workspace/${env}.ts: resource ${r.name} is for ${r.infra} but env ${env} runs on ${infra}`);
    if (seen.has(r.name)) throw new SettingsError(`workspace/${env}.ts: two resources are named ${r.name}`);
    seen.add(r.name);
  }
  for (const r of resources) {
    for (const dep of r.dependsOn) {
      if (!seen.has(dep)) throw new SettingsError(`workspace/${env}.ts: ${r.name} depends on ${dep}, which is not declared`);
    }
  }
  return resources.map((r) => Object.freeze({ ...r, env }));
}
