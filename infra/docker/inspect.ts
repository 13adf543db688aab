/**
 * What `docker inspect` says, normalised into the small states the driver compares (pure).
 * One `docker inspect a b c` call returns objects of any type; they are recognised by shape.
 */

export interface ContainerState {
  readonly kind: 'container';
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly running: boolean;
  readonly health?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The reference it was created from (Config.Image). */
  readonly imageRef: string;
  /** The image id it runs. */
  readonly imageId: string;
  readonly env: Readonly<Record<string, string>>;
  readonly command: readonly string[];
  /** 'hostIp:hostPort->containerPort/proto', sorted. */
  readonly ports: readonly string[];
  /** 'volume:target[:ro]' for named volumes and 'source:target[:ro]' for binds, sorted. */
  readonly mounts: readonly string[];
  readonly network: string;
  readonly restart: string;
  readonly healthcheck?: string;
}

export interface ImageState {
  readonly kind: 'image';
  readonly id: string;
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface NetworkState {
  readonly kind: 'network';
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface VolumeState {
  readonly kind: 'volume';
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type InspectedObject = ContainerState | ImageState | NetworkState | VolumeState;

type Json = Record<string, any>;

const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

export function parseInspectOutput(stdout: string): InspectedObject[] {
  const text = stdout.trim();
  if (!text.startsWith('[')) return [];
  return (JSON.parse(text) as Json[]).map(toState).filter((s): s is InspectedObject => s !== undefined);
}

export function toState(o: Json): InspectedObject | undefined {
  if (o.State && o.Config && typeof o.Name === 'string') return containerState(o);
  if (Array.isArray(o.RepoTags) && o.RootFS) return { kind: 'image', id: o.Id, tags: o.RepoTags, labels: o.Config?.Labels ?? {} };
  if (o.IPAM && typeof o.Name === 'string') return { kind: 'network', id: o.Id, name: o.Name, labels: o.Labels ?? {} };
  if (typeof o.Mountpoint === 'string' && typeof o.Name === 'string') return { kind: 'volume', name: o.Name, labels: o.Labels ?? {} };
  return undefined;
}

export function containerState(o: Json): ContainerState {
  const config = o.Config ?? {};
  const host = o.HostConfig ?? {};
  const env: Record<string, string> = {};
  for (const entry of (config.Env ?? []) as string[]) {
    const i = entry.indexOf('=');
    if (i > 0) env[entry.slice(0, i)] = entry.slice(i + 1);
    else env[entry] = '';
  }
  const ports: string[] = [];
  for (const [port, bindings] of Object.entries((host.PortBindings ?? {}) as Record<string, { HostIp?: string; HostPort?: string }[] | null>)) {
    for (const b of bindings ?? []) ports.push(`${b.HostIp || '0.0.0.0'}:${b.HostPort}->${port}`);
  }
  const mounts = ((o.Mounts ?? []) as Json[])
    .filter((m) => !(m.Type === 'volume' && ANONYMOUS_VOLUME.test(m.Name ?? '')))
    .map((m) => `${m.Type === 'volume' ? m.Name : m.Source}:${m.Destination}${m.RW === false ? ':ro' : ''}`);
  const hc = config.Healthcheck as Json | undefined;
  const state = o.State as Json;
  return {
    kind: 'container',
    id: o.Id,
    name: String(o.Name).replace(/^\//, ''),
    status: state.Status ?? (state.Running ? 'running' : 'exited'),
    running: state.Running === true && state.Restarting !== true,
    ...(state.Health?.Status ? { health: state.Health.Status } : {}),
    labels: config.Labels ?? {},
    imageRef: config.Image ?? '',
    imageId: o.Image ?? '',
    env,
    command: config.Cmd ?? [],
    ports: ports.sort(),
    mounts: mounts.sort(),
    network: host.NetworkMode ?? 'default',
    restart: host.RestartPolicy?.Name || 'no',
    ...(hc && Array.isArray(hc.Test) && hc.Test.length ? { healthcheck: describeHealthcheck(hc) } : {}),
  };
}

const seconds = (ns: unknown): string => `${Math.round(Number(ns ?? 0) / 1e9)}s`;

/** 'pg_isready ... every 2s timeout 3s retries 30 start 0s' (or 'none'). */
export function describeHealthcheck(hc: Json): string {
  const test = hc.Test as string[];
  if (test[0] === 'NONE') return 'none';
  const command = test[0] === 'CMD-SHELL' ? test.slice(1).join(' ') : test[0] === 'CMD' ? JSON.stringify(test.slice(1)) : test.join(' ');
  return `${command} every ${seconds(hc.Interval)} timeout ${seconds(hc.Timeout)} retries ${hc.Retries ?? 0} start ${seconds(hc.StartPeriod)}`;
}

/** Image references as docker lists them: 'postgres' -> 'postgres:latest'; ids untouched. */
export function normalizeRef(ref: string): string {
  if (ref.startsWith('sha256:')) return ref;
  const withoutDigest = ref.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const hasTag = withoutDigest.slice(lastSlash + 1).includes(':');
  let out = hasTag ? withoutDigest : `${withoutDigest}:latest`;
  out = out.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
  return out;
}

export function imageMatches(img: ImageState, ref: string): boolean {
  const want = normalizeRef(ref);
  return img.id === ref || img.tags.some((t) => normalizeRef(t) === want);
}
