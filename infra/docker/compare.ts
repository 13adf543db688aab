/**
 * Desired vs observed for Docker resources (pure). Containers cannot change in place: any drift
 * (image, env, ports, command, mounts, network, restart policy, healthcheck, not running) means
 * replace. Secret values are compared but never rendered.
 */
import type { Comparison, FieldChange, Observed, Resource } from '../resource.js';
import { isSecret } from '../resource.js';
import { DEFAULT_HOST_IP } from './commands.js';
import { buildArgsLabel, parseBuildArgsLabel } from './context-hash.js';
import { normalizeRef, type ContainerState, type ImageState, type NetworkState, type VolumeState } from './inspect.js';
import { LABEL, splitList } from './labels.js';
import type { ContainerSpec, HealthcheckSpec, ImageSpec, MountSpec, PortSpec } from './resources.js';

/** What observe() records for each type (Observed.state). */
export interface ObservedContainer {
  readonly kind: 'container';
  readonly container: ContainerState;
  /** The id the desired image reference points to now (undefined when not present locally). */
  readonly currentImageId?: string;
  /** The selected image resource that builds this container's image is out of date and will be rebuilt. */
  readonly imageRebuild?: boolean;
}
export interface ObservedImage {
  readonly kind: 'image';
  readonly image: ImageState;
  /** Content hash of the local build inputs now (computed by observe: it reads files). */
  readonly contextHash: string;
}
export interface ObservedNetwork {
  readonly kind: 'network';
  readonly network: NetworkState;
}
export interface ObservedVolume {
  readonly kind: 'volume';
  readonly volume: VolumeState;
}
export type DockerObserved = ObservedContainer | ObservedImage | ObservedNetwork | ObservedVolume;

const NONE: Comparison = { changes: [], mode: 'update' };
const REDACTED = '****';

export function compareDocker(desired: Resource, observed: Observed): Comparison {
  const state = observed.state as DockerObserved;
  if (desired.type === 'container' && state.kind === 'container') return { changes: compareContainer(desired.spec as ContainerSpec, state), mode: 'replace' };
  if (desired.type === 'image' && state.kind === 'image') return { changes: compareImage(desired.spec as ImageSpec, state), mode: 'replace' };
  return NONE;
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function compareImage(spec: ImageSpec, o: ObservedImage): FieldChange[] {
  const labels = o.image.labels;
  const changes: FieldChange[] = [];
  const had = parseBuildArgsLabel(labels[LABEL.buildArgs]);
  const want = parseBuildArgsLabel(buildArgsLabel(spec.buildArgs));
  for (const k of [...new Set([...Object.keys(had), ...Object.keys(want)])].sort()) {
    if (had[k] !== want[k]) changes.push(change(`build-arg ${k}`, had[k], want[k]));
  }
  const hash = labels[LABEL.contextHash];
  if (changes.length === 0 && hash !== o.contextHash) {
    changes.push(change('sources', hash ? `hash ${hash.slice(0, 12)}` : '(not built by ws)', `hash ${o.contextHash.slice(0, 12)}`));
  }
  return changes;
}

export function compareContainer(spec: ContainerSpec, o: ObservedContainer): FieldChange[] {
  const c = o.container;
  const changes: FieldChange[] = [];
  if (!c.running) changes.push(change('state', c.status, 'running'));

  if (normalizeRef(spec.image) !== normalizeRef(c.imageRef)) changes.push(change('image', c.imageRef, spec.image));
  else if (o.imageRebuild) changes.push(change('image', shortId(c.imageId), `${spec.image} (rebuilt)`));
  else if (o.currentImageId && o.currentImageId !== c.imageId) changes.push(change('image', shortId(c.imageId), `${shortId(o.currentImageId)} (${spec.image})`));

  changes.push(...compareEnv(spec.env, c));

  if (spec.command && JSON.stringify(spec.command) !== JSON.stringify(c.command)) changes.push(change('command', JSON.stringify(c.command), JSON.stringify(spec.command)));
  listChange(changes, 'ports', c.ports, desiredPorts(spec.ports));
  listChange(changes, 'mounts', c.mounts, desiredMounts(spec.mounts));
  if (spec.network && spec.network !== c.network) changes.push(change('network', c.network, spec.network));
  if (spec.restart !== c.restart) changes.push(change('restart', c.restart, spec.restart));
  if (spec.healthcheck) {
    const want = describeDesiredHealthcheck(spec.healthcheck);
    if (want !== c.healthcheck) changes.push(change('healthcheck', c.healthcheck ?? 'none', want));
  }
  return changes;
}

function compareEnv(desired: ContainerSpec['env'], c: ContainerState): FieldChange[] {
  const managed = splitList(c.labels[LABEL.envKeys]);
  const secretKeys = new Set([...splitList(c.labels[LABEL.secretKeys]), ...Object.keys(desired).filter((k) => isSecret(desired[k]))]);
  const keys = [...new Set([...managed, ...Object.keys(desired)])].sort();
  const out: FieldChange[] = [];
  for (const k of keys) {
    const d = desired[k];
    const want = d === undefined ? undefined : isSecret(d) ? d.reveal() : d;
    const have = c.env[k];
    if (want === have) continue;
    const show = (v: string | undefined) => (v === undefined ? undefined : secretKeys.has(k) ? REDACTED : v);
    out.push(change(`env.${k}`, show(have), show(want)));
  }
  return out;
}

export function desiredPorts(ports: readonly PortSpec[]): string[] {
  return ports.map((p) => `${p.hostIp ?? DEFAULT_HOST_IP}:${p.host}->${p.container}/${p.protocol ?? 'tcp'}`).sort();
}

export function desiredMounts(mounts: readonly MountSpec[]): string[] {
  return mounts.map((m) => `${m.volume}:${m.target}${m.readOnly ? ':ro' : ''}`).sort();
}

export function describeDesiredHealthcheck(h: HealthcheckSpec): string {
  return `${h.command} every ${h.intervalS}s timeout ${h.timeoutS}s retries ${h.retries} start ${h.startPeriodS ?? 0}s`;
}

function listChange(out: FieldChange[], field: string, have: readonly string[], want: readonly string[]): void {
  if (JSON.stringify(have) !== JSON.stringify(want)) out.push(change(field, have.join(', ') || '(none)', want.join(', ') || '(none)'));
}

function change(field: string, from: string | undefined, to: string | undefined): FieldChange {
  return { field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
