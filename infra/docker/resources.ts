/**
 * Typed constructors for the Docker resources a workspace/<env>.ts declares (network, volume,
 * image, container), and the specs the Docker driver reads. Data only: no I/O except reading an
 * optional CA file named by the workspace, so that loading a workspace stays fast.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Resource, ResourceContext, Secret } from '../resource.js';

export type NetworkSpec = Readonly<Record<string, never>>;
export type VolumeSpec = Readonly<Record<string, never>>;

export interface ImageSpec {
  /** repo:tag the build produces, e.g. 'ai-api:dev'. */
  readonly tag: string;
  /** Absolute path of the build context. */
  readonly context: string;
  /** Dockerfile path relative to the context. */
  readonly dockerfile: string;
  /** Build arguments; part of the image's identity (a change rebuilds). Never secrets. */
  readonly buildArgs: Readonly<Record<string, string>>;
}

export interface PortSpec {
  readonly host: number;
  readonly container: number;
  /** Host address to publish on (default 127.0.0.1: dev services are not exposed to the network). */
  readonly hostIp?: string;
  readonly protocol?: 'tcp' | 'udp';
}

export interface MountSpec {
  /** Name of a named volume. */
  readonly volume: string;
  readonly target: string;
  readonly readOnly?: boolean;
}

export interface HealthcheckSpec {
  /** Shell command run inside the container (CMD-SHELL); exit 0 means healthy. */
  readonly command: string;
  readonly intervalS: number;
  readonly timeoutS: number;
  readonly retries: number;
  readonly startPeriodS?: number;
}

export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export interface ContainerSpec {
  /** Image reference (repo:tag). */
  readonly image: string;
  /** Name of the image resource that builds `image`, when it is built by the workspace. */
  readonly imageResource?: string;
  /** Replaces the image's CMD; undefined keeps it. */
  readonly command?: readonly string[];
  /** Environment; Secret values are passed through the docker client's environment, never argv. */
  readonly env: Readonly<Record<string, string | Secret>>;
  readonly ports: readonly PortSpec[];
  readonly mounts: readonly MountSpec[];
  /** Name of the network to attach to (default: docker's bridge). */
  readonly network?: string;
  readonly restart: RestartPolicy;
  readonly healthcheck?: HealthcheckSpec;
  /** How long `up` waits for the container to become healthy (or running, without a healthcheck). */
  readonly readyTimeoutS: number;
  /** How long a stop waits for the process to exit after SIGTERM before killing it (default 10). */
  readonly stopTimeoutS?: number;
}

export type DockerResource<S> = Resource<S> & { readonly infra: 'docker' };

interface Common {
  readonly name: string;
  readonly group: string;
  readonly dependsOn?: readonly (string | Resource)[];
}

/** `{workspace}-{env}-{thing}`, e.g. ai-dev-network. */
export function scopedName(ctx: ResourceContext, thing: string): string {
  return `${ctx.settings.name}-${ctx.env}-${thing}`;
}

function base(ctx: ResourceContext, type: string, common: Common, implied: readonly (string | Resource | undefined)[]): Omit<Resource, 'spec'> {
  const deps = [...(common.dependsOn ?? []), ...implied].filter((d): d is string | Resource => d !== undefined).map((d) => (typeof d === 'string' ? d : d.name));
  return { type, name: common.name, group: common.group, env: ctx.env, infra: 'docker', dependsOn: [...new Set(deps)] };
}

export function network(ctx: ResourceContext, opts: Common): DockerResource<NetworkSpec> {
  return { ...base(ctx, 'network', opts, []), infra: 'docker', spec: {} };
}

export function volume(ctx: ResourceContext, opts: Common): DockerResource<VolumeSpec> {
  return { ...base(ctx, 'volume', opts, []), infra: 'docker', spec: {} };
}

export interface ImageOptions extends Common {
  readonly tag: string;
  /** Build context relative to the workspace root (default: the root). */
  readonly context?: string;
  readonly dockerfile?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /**
   * A PEM file of extra certificate authorities that npm must trust during the build (machines
   * behind a TLS-intercepting proxy). Passed as build arg EXTRA_CA_CERTS; certificates are public.
   */
  readonly trustCaFile?: string;
}

export function image(ctx: ResourceContext, opts: ImageOptions): DockerResource<ImageSpec> {
  const root = ctx.settings.root;
  const context = opts.context === undefined ? root : isAbsolute(opts.context) ? opts.context : join(root, opts.context);
  const buildArgs: Record<string, string> = { ...opts.buildArgs };
  if (opts.trustCaFile) {
    try {
      buildArgs.EXTRA_CA_CERTS = readFileSync(opts.trustCaFile, 'utf8').trim();
    } catch (error) {
      throw new Error(`image ${opts.name}: cannot read the CA file ${opts.trustCaFile} (WS_BUILD_CA_FILE): ${(error as Error).message}`);
    }
  }
  return {
    ...base(ctx, 'image', opts, []),
    infra: 'docker',
    spec: { tag: opts.tag, context, dockerfile: opts.dockerfile ?? 'Dockerfile', buildArgs },
  };
}

export interface ContainerOptions extends Common {
  /** An image reference, or the image resource that builds it (then it is also a dependency). */
  readonly image: string | DockerResource<ImageSpec>;
  readonly command?: readonly string[];
  readonly env?: Readonly<Record<string, string | Secret>>;
  readonly ports?: readonly PortSpec[];
  readonly mounts?: readonly { readonly volume: string | DockerResource<VolumeSpec>; readonly target: string; readonly readOnly?: boolean }[];
  readonly network?: string | DockerResource<NetworkSpec>;
  readonly restart?: RestartPolicy;
  readonly healthcheck?: HealthcheckSpec;
  readonly readyTimeoutS?: number;
  readonly stopTimeoutS?: number;
}

export function container(ctx: ResourceContext, opts: ContainerOptions): DockerResource<ContainerSpec> {
  const img = typeof opts.image === 'string' ? undefined : opts.image;
  const mounts = (opts.mounts ?? []).map((m) => ({
    volume: typeof m.volume === 'string' ? m.volume : m.volume.name,
    target: m.target,
    ...(m.readOnly ? { readOnly: true } : {}),
  }));
  const implied = [img, typeof opts.network === 'object' ? opts.network : undefined, ...(opts.mounts ?? []).map((m) => (typeof m.volume === 'object' ? m.volume : undefined))];
  const spec: ContainerSpec = {
    image: img ? img.spec.tag : (opts.image as string),
    ...(img ? { imageResource: img.name } : {}),
    ...(opts.command ? { command: opts.command } : {}),
    env: opts.env ?? {},
    ports: opts.ports ?? [],
    mounts,
    ...(opts.network !== undefined ? { network: typeof opts.network === 'string' ? opts.network : opts.network.name } : {}),
    restart: opts.restart ?? 'unless-stopped',
    ...(opts.healthcheck ? { healthcheck: opts.healthcheck } : {}),
    readyTimeoutS: opts.readyTimeoutS ?? 120,
    ...(opts.stopTimeoutS !== undefined ? { stopTimeoutS: opts.stopTimeoutS } : {}),
  };
  return { ...base(ctx, 'container', opts, implied), infra: 'docker', spec };
}

/** Quotes a value for a shell command line (healthcheck commands run with /bin/sh -c). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
