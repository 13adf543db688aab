/**
 * Docker commands as data (Kamal style): small pure functions returning the argv of one docker
 * invocation. Only runner.ts executes them. Secret values never enter argv: a secret environment
 * variable is passed as `-e NAME` and its value travels in the docker client's own environment.
 */
import { isAbsolute, join } from 'node:path';
import { isSecret, type SecretLike } from '../resource.js';
import { LABEL } from './labels.js';
import type { ContainerSpec, HealthcheckSpec, ImageSpec, PortSpec } from './resources.js';

export interface DockerInvocation {
  readonly argv: readonly string[];
  /** Variables set in the docker client's environment only (secret values for `-e NAME`). */
  readonly secretEnv?: Readonly<Record<string, SecretLike>>;
}

const docker = (...args: readonly (string | readonly string[])[]): readonly string[] => ['docker', ...args.flat()];

export function labelFlags(labels: Readonly<Record<string, string>>): string[] {
  return Object.keys(labels)
    .sort()
    .flatMap((k) => ['--label', `${k}=${labels[k]}`]);
}

/** One call for many objects of any type; missing names are reported on stderr (exit 1). */
export function inspect(names: readonly string[]): readonly string[] {
  return docker('inspect', names);
}

export function inspectTyped(type: 'container' | 'image' | 'network' | 'volume', names: readonly string[]): readonly string[] {
  return docker(type, 'inspect', names);
}

/** {"State": {...}, "RestartCount": n}: what readiness polling needs, in one small answer. */
export function containerState(name: string): readonly string[] {
  return docker('container', 'inspect', '--format', '{"State":{{json .State}},"RestartCount":{{.RestartCount}}}', name);
}

export function networkCreate(name: string, labels: Readonly<Record<string, string>>): readonly string[] {
  return docker('network', 'create', '--driver', 'bridge', labelFlags(labels), name);
}

export function networkRemove(name: string): readonly string[] {
  return docker('network', 'rm', name);
}

export function volumeCreate(name: string, labels: Readonly<Record<string, string>>): readonly string[] {
  return docker('volume', 'create', labelFlags(labels), name);
}

export function volumeRemove(name: string): readonly string[] {
  return docker('volume', 'rm', name);
}

export function imageBuild(spec: ImageSpec, opts: { labels: Readonly<Record<string, string>>; iidFile: string; pull?: boolean }): readonly string[] {
  const args = Object.keys(spec.buildArgs)
    .sort()
    .flatMap((k) => ['--build-arg', `${k}=${spec.buildArgs[k]}`]);
  // docker resolves --file against its working directory, not the context
  const file = isAbsolute(spec.dockerfile) ? spec.dockerfile : join(spec.context, spec.dockerfile);
  return docker('build', '--file', file, '--tag', spec.tag, '--force-rm', ...(opts.pull ? ['--pull'] : []), args, labelFlags(opts.labels), '--iidfile', opts.iidFile, spec.context);
}

export function imageRemove(ref: string): readonly string[] {
  return docker('image', 'rm', ref);
}

export function imagePull(ref: string): readonly string[] {
  return docker('image', 'pull', ref);
}

/** Removes this resource's dangling (untagged) images left behind by rebuilds, nothing else. */
export function imagePrune(labels: Readonly<Record<string, string>>): readonly string[] {
  const filters = Object.keys(labels)
    .sort()
    .flatMap((k) => ['--filter', `label=${k}=${labels[k]}`]);
  return docker('image', 'prune', '--force', filters);
}

/** Ports are published on the loopback address unless a spec says otherwise. */
export const DEFAULT_HOST_IP = '127.0.0.1';

export function portFlag(p: PortSpec): string {
  return `${p.hostIp ?? DEFAULT_HOST_IP}:${p.host}:${p.container}/${p.protocol ?? 'tcp'}`;
}

export function healthFlags(h: HealthcheckSpec): string[] {
  return [
    '--health-cmd', h.command,
    '--health-interval', `${h.intervalS}s`,
    '--health-timeout', `${h.timeoutS}s`,
    '--health-retries', String(h.retries),
    ...(h.startPeriodS !== undefined ? ['--health-start-period', `${h.startPeriodS}s`] : []),
  ];
}

/** `docker run --detach` for a container spec, with ownership labels and the env bookkeeping labels. */
export function containerRun(name: string, spec: ContainerSpec, owner: Readonly<Record<string, string>>): DockerInvocation {
  const keys = Object.keys(spec.env).sort();
  const secretKeys = keys.filter((k) => isSecret(spec.env[k]));
  const labels = { ...owner, [LABEL.envKeys]: keys.join(','), ...(secretKeys.length ? { [LABEL.secretKeys]: secretKeys.join(',') } : {}) };
  const secretEnv: Record<string, SecretLike> = {};
  const envFlags = keys.flatMap((k) => {
    const v = spec.env[k]!;
    if (isSecret(v)) {
      secretEnv[k] = v;
      return ['-e', k];
    }
    return ['-e', `${k}=${v}`];
  });
  const argv = docker(
    'run', '--detach', '--name', name,
    labelFlags(labels),
    spec.network ? ['--network', spec.network] : [],
    '--restart', spec.restart,
    envFlags,
    spec.ports.flatMap((p) => ['--publish', portFlag(p)]),
    spec.mounts.map((m) => ['--mount', `type=volume,source=${m.volume},target=${m.target}${m.readOnly ? ',readonly' : ''}`]).flat(),
    spec.healthcheck ? healthFlags(spec.healthcheck) : [],
    spec.image,
    spec.command ?? [],
  );
  return secretKeys.length ? { argv, secretEnv } : { argv };
}

export function containerStop(name: string, timeoutS = 10): readonly string[] {
  return docker('container', 'stop', '--time', String(timeoutS), name);
}

export function containerRemove(name: string, opts: { force?: boolean } = {}): readonly string[] {
  return docker('container', 'rm', ...(opts.force ? ['--force'] : []), name);
}

export function containerLogs(name: string, opts: { follow?: boolean; tail?: number; timestamps?: boolean } = {}): readonly string[] {
  return docker('container', 'logs', ...(opts.follow ? ['--follow'] : []), ...(opts.tail !== undefined ? ['--tail', String(opts.tail)] : []), ...(opts.timestamps ? ['--timestamps'] : []), name);
}

export function containerExec(name: string, command: readonly string[], opts: { interactive: boolean; tty?: boolean }): readonly string[] {
  const flags = [...(opts.interactive ? ['--interactive'] : []), ...((opts.tty ?? opts.interactive) ? ['--tty'] : [])];
  return docker('container', 'exec', ...flags, name, ...command);
}

export function ps(): readonly string[] {
  return docker('ps');
}
