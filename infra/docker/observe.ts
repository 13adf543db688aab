/**
 * Reads the live state of Docker resources: one `docker inspect` call for every network, volume,
 * image and container of the selection (plus the images the containers run), while the build
 * inputs of the images are hashed in parallel.
 */
import type { Observed, Resource } from '../resource.js';
import * as cmd from './commands.js';
import { compareImage, type DockerObserved, type ObservedImage } from './compare.js';
import { contextHash } from './context-hash.js';
import { imageMatches, parseInspectOutput, type ContainerState, type InspectedObject, type ImageState, type NetworkState, type VolumeState } from './inspect.js';
import { isOwned } from './labels.js';
import type { ContainerSpec, ImageSpec } from './resources.js';
import { DockerCommandError, type DockerRunner } from './runner.js';

/** Inspect calls fail fast when the engine does not answer (DESIGN: one clear message within 10 s). */
export const INSPECT_TIMEOUT_MS = 8000;

/** The docker name or reference each resource is looked up by. */
export function lookupName(r: Resource): string {
  return r.type === 'image' ? (r.spec as ImageSpec).tag : r.name;
}

function findObject(objects: readonly InspectedObject[], r: Resource): InspectedObject | undefined {
  switch (r.type) {
    case 'container':
      return objects.find((o): o is ContainerState => o.kind === 'container' && o.name === r.name);
    case 'network':
      return objects.find((o): o is NetworkState => o.kind === 'network' && o.name === r.name);
    case 'volume':
      return objects.find((o): o is VolumeState => o.kind === 'volume' && o.name === r.name);
    case 'image':
      return findImage(objects, (r.spec as ImageSpec).tag);
  }
  return undefined;
}

function findImage(objects: readonly InspectedObject[], ref: string): ImageState | undefined {
  return objects.find((o): o is ImageState => o.kind === 'image' && imageMatches(o, ref));
}

/** Runs `docker inspect` for names; missing names are simply absent from the result. */
export async function inspectMany(runner: DockerRunner, names: readonly string[], type?: 'container' | 'image' | 'network' | 'volume'): Promise<InspectedObject[]> {
  if (names.length === 0) return [];
  const r = await runner.run(type ? cmd.inspectTyped(type, names) : cmd.inspect(names), { allowFailure: true, timeoutMs: INSPECT_TIMEOUT_MS });
  if (r.exitCode !== 0) {
    const unexpected = r.stderr.split('\n').filter((l) => l.trim() && !/no such (object|container|image|network|volume)/i.test(l));
    if (unexpected.length > 0) throw new DockerCommandError(`docker inspect failed: ${unexpected.join('\n')}`, r.exitCode, r.stderr);
  }
  return parseInspectOutput(r.stdout);
}

export async function observeResources(runner: DockerRunner, resources: readonly Resource[], owner: { workspace: string; env: string }): Promise<Map<string, Observed>> {
  const images = resources.filter((r) => r.type === 'image');
  const containerImageRefs = resources.filter((r) => r.type === 'container').map((r) => (r.spec as ContainerSpec).image);
  const names = [...new Set([...resources.map(lookupName), ...containerImageRefs])];
  const [objects, hashes] = await Promise.all([inspectMany(runner, names), Promise.all(images.map((r) => contextHash(r.spec as ImageSpec)))]);

  // A name shadowed by an object of another type (a container named like the volume): ask again by type.
  const shadowed = resources.filter((r) => !findObject(objects, r) && objects.some((o) => 'name' in o && o.name === lookupName(r)));
  for (const type of ['container', 'network', 'volume'] as const) {
    const again = shadowed.filter((r) => r.type === type).map(lookupName);
    objects.push(...(await inspectMany(runner, again, type)));
  }

  const out = new Map<string, Observed>();
  const stale = new Set<string>();
  images.forEach((r, i) => {
    const img = findObject(objects, r) as ImageState | undefined;
    const hash = hashes[i]!;
    if (!img) {
      stale.add(r.name);
      return;
    }
    const state: ObservedImage = { kind: 'image', image: img, contextHash: hash };
    if (compareImage(r.spec as ImageSpec, state).length > 0) stale.add(r.name);
    out.set(r.name, { owned: isOwned(img.labels, { ...owner, resource: r.name }), state });
  });

  for (const r of resources) {
    if (r.type === 'image') continue;
    const found = findObject(objects, r);
    if (!found) continue;
    let state: DockerObserved;
    if (found.kind === 'container') {
      const spec = r.spec as ContainerSpec;
      const current = findImage(objects, spec.image);
      state = {
        kind: 'container',
        container: found,
        ...(current ? { currentImageId: current.id } : {}),
        ...(spec.imageResource && stale.has(spec.imageResource) ? { imageRebuild: true } : {}),
      };
    } else if (found.kind === 'network') state = { kind: 'network', network: found };
    else if (found.kind === 'volume') state = { kind: 'volume', volume: found };
    else continue;
    out.set(r.name, { owned: isOwned(found.labels, { ...owner, resource: r.name }), state });
  }
  return out;
}
