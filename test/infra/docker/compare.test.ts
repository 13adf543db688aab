import { describe, expect, it } from 'vitest';
import { compareContainer, compareDocker, compareImage, type ObservedContainer, type ObservedImage } from '../../../infra/docker/compare.js';
import { containerState, describeHealthcheck, normalizeRef, parseInspectOutput } from '../../../infra/docker/inspect.js';
import type { ContainerSpec, ImageSpec } from '../../../infra/docker/resources.js';
import { secret, type Resource } from '../../../infra/resource.js';

const HC = { command: 'pg_isready', intervalS: 2, timeoutS: 5, retries: 5, startPeriodS: 120 };
const spec: ContainerSpec = {
  image: 'ai-api:dev',
  imageResource: 'ai-dev-api-image',
  env: { WAIT_FOR_DB: 'true', DB_PASS: secret('s3cret'), DB_HOST: 'ai-db' },
  ports: [{ host: 58000, container: 8000 }],
  mounts: [{ volume: 'data', target: '/data' }],
  network: 'ai-dev-network',
  restart: 'unless-stopped',
  healthcheck: HC,
  command: ['node', 'main.js'],
  readyTimeoutS: 60,
};

/** A `docker container inspect` object as the engine returns it, for the container created from `spec`. */
function inspected(over: { env?: string[]; state?: object; image?: string; ports?: object; labels?: Record<string, string>; mounts?: object[] } = {}) {
  return {
    Id: 'c0ffee',
    Name: '/ai-api',
    Image: over.image ?? 'sha256:aaaaaaaaaaaaaaaa',
    State: { Status: 'running', Running: true, Restarting: false, Health: { Status: 'healthy' }, ...over.state },
    Mounts: over.mounts ?? [
      { Type: 'volume', Name: 'data', Destination: '/data', RW: true },
      { Type: 'volume', Name: 'f'.repeat(64), Destination: '/anon', RW: true },
    ],
    HostConfig: { PortBindings: over.ports ?? { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '58000' }] }, NetworkMode: 'ai-dev-network', RestartPolicy: { Name: 'unless-stopped' } },
    Config: {
      Image: 'ai-api:dev',
      Cmd: ['node', 'main.js'],
      Healthcheck: { Test: ['CMD-SHELL', 'pg_isready'], Interval: 2e9, Timeout: 5e9, StartPeriod: 120e9, Retries: 5 },
      Env: over.env ?? ['DB_HOST=ai-db', 'DB_PASS=s3cret', 'WAIT_FOR_DB=true', 'PATH=/usr/bin', 'NODE_ENV=production'],
      Labels: over.labels ?? { 'ws.workspace': 'ai', 'ws.env': 'dev', 'ws.resource': 'ai-api', 'ws.env-keys': 'DB_HOST,DB_PASS,WAIT_FOR_DB', 'ws.secret-keys': 'DB_PASS' },
    },
  };
}

const observed = (o: ReturnType<typeof inspected>, extra: Partial<ObservedContainer> = {}): ObservedContainer => ({
  kind: 'container',
  container: containerState(o),
  currentImageId: 'sha256:aaaaaaaaaaaaaaaa',
  ...extra,
});

describe('container comparison', () => {
  it('finds nothing to change when the container matches its spec (image env such as PATH ignored)', () => {
    expect(compareContainer(spec, observed(inspected()))).toEqual([]);
  });

  it('reports a changed env value, and redacts secret values on both sides', () => {
    const o = observed(inspected({ env: ['DB_HOST=old-db', 'DB_PASS=other', 'WAIT_FOR_DB=true'] }));
    expect(compareContainer(spec, o)).toEqual([
      { field: 'env.DB_HOST', from: 'old-db', to: 'ai-db' },
      { field: 'env.DB_PASS', from: '****', to: '****' },
    ]);
  });

  it('reports env variables ws set before and the spec no longer has, and new ones', () => {
    const o = observed(inspected({ env: ['DB_HOST=ai-db', 'DB_PASS=s3cret', 'WAIT_FOR_DB=true', 'OLD=1'], labels: { 'ws.env-keys': 'DB_HOST,DB_PASS,OLD,WAIT_FOR_DB' } }));
    expect(compareContainer({ ...spec, env: { ...spec.env, NEW: 'x' } }, o)).toEqual([
      { field: 'env.NEW', to: 'x' },
      { field: 'env.OLD', from: '1' },
    ]);
  });

  it('never shows the value of a variable that was secret before, even when it no longer is', () => {
    const o = observed(inspected());
    const changes = compareContainer({ ...spec, env: { ...spec.env, DB_PASS: 'plain-now' } }, o);
    expect(changes).toEqual([{ field: 'env.DB_PASS', from: '****', to: '****' }]);
    expect(JSON.stringify(changes)).not.toContain('s3cret');
  });

  it('detects a new image id behind the same tag, a different reference, and a pending rebuild', () => {
    expect(compareContainer(spec, observed(inspected(), { currentImageId: 'sha256:bbbbbbbbbbbbbbbbbbbb' }))).toEqual([{ field: 'image', from: 'aaaaaaaaaaaa', to: 'bbbbbbbbbbbb (ai-api:dev)' }]);
    expect(compareContainer({ ...spec, image: 'ai-api:v2' }, observed(inspected()))).toEqual([{ field: 'image', from: 'ai-api:dev', to: 'ai-api:v2' }]);
    expect(compareContainer(spec, observed(inspected(), { imageRebuild: true }))).toEqual([{ field: 'image', from: 'aaaaaaaaaaaa', to: 'ai-api:dev (rebuilt)' }]);
  });

  it('detects ports, mounts, network, restart policy, command and healthcheck drift', () => {
    const changed: ContainerSpec = {
      ...spec,
      ports: [{ host: 58001, container: 8000 }],
      mounts: [{ volume: 'data', target: '/data', readOnly: true }],
      network: 'other',
      restart: 'always',
      command: ['node', 'other.js'],
      healthcheck: { ...HC, retries: 9 },
    };
    expect(compareContainer(changed, observed(inspected())).map((c) => `${c.field}: ${c.from} -> ${c.to}`)).toEqual([
      'command: ["node","main.js"] -> ["node","other.js"]',
      'ports: 127.0.0.1:58000->8000/tcp -> 127.0.0.1:58001->8000/tcp',
      'mounts: data:/data -> data:/data:ro',
      'network: ai-dev-network -> other',
      'restart: unless-stopped -> always',
      'healthcheck: pg_isready every 2s timeout 5s retries 5 start 120s -> pg_isready every 2s timeout 5s retries 9 start 120s',
    ]);
  });

  it('wants a container that is not running recreated', () => {
    const o = observed(inspected({ state: { Status: 'exited', Running: false } }));
    expect(compareContainer(spec, o)).toEqual([{ field: 'state', from: 'exited', to: 'running' }]);
  });

  it('replaces containers and compares nothing for networks and volumes', () => {
    const r = { type: 'container', name: 'ai-api', group: 'app', env: 'dev', infra: 'docker', dependsOn: [], spec } as Resource;
    expect(compareDocker(r, { owned: true, state: observed(inspected({ env: [] })) }).mode).toBe('replace');
    const net = { ...r, type: 'network', spec: {} };
    expect(compareDocker(net, { owned: true, state: { kind: 'network', network: { kind: 'network', id: 'n', name: 'ai-api', labels: {} } } })).toEqual({ changes: [], mode: 'update' });
  });
});

describe('image comparison', () => {
  const image: ImageSpec = { tag: 'ai-api:dev', context: '/r', dockerfile: 'Dockerfile', buildArgs: { NODE_IMAGE: 'local/node:20' } };
  const state = (labels: Record<string, string>, hash = 'h'.repeat(64)): ObservedImage => ({ kind: 'image', image: { kind: 'image', id: 'sha256:1', tags: ['ai-api:dev'], labels }, contextHash: hash });

  it('is unchanged when the hash label and build args match', () => {
    expect(compareImage(image, state({ 'ws.context-hash': 'h'.repeat(64), 'ws.build-args': 'NODE_IMAGE=local/node:20' }))).toEqual([]);
  });

  it('names a changed build arg, or changed sources by their hashes', () => {
    expect(compareImage({ ...image, buildArgs: { NODE_IMAGE: 'node:22' } }, state({ 'ws.context-hash': 'x', 'ws.build-args': 'NODE_IMAGE=local/node:20' }))).toEqual([
      { field: 'build-arg NODE_IMAGE', from: 'local/node:20', to: 'node:22' },
    ]);
    expect(compareImage(image, state({ 'ws.context-hash': 'a'.repeat(64), 'ws.build-args': 'NODE_IMAGE=local/node:20' }, 'b'.repeat(64)))).toEqual([
      { field: 'sources', from: `hash ${'a'.repeat(12)}`, to: `hash ${'b'.repeat(12)}` },
    ]);
  });

  it('treats an image that ws did not build as out of date', () => {
    expect(compareImage(image, state({ 'ws.build-args': 'NODE_IMAGE=local/node:20' }))).toEqual([{ field: 'sources', from: '(not built by ws)', to: `hash ${'h'.repeat(12)}` }]);
  });
});

describe('inspect output', () => {
  it('recognises containers, images, networks and volumes in one mixed answer', () => {
    const out = JSON.stringify([
      inspected(),
      { Id: 'sha256:1', RepoTags: ['ai-api:dev'], RootFS: {}, Config: { Labels: { a: 'b' } } },
      { Id: 'n1', Name: 'ai-dev-network', IPAM: {}, Labels: { 'ws.env': 'dev' } },
      { Name: 'ai-dev-db-data', Mountpoint: '/var/lib/docker/volumes/x', Labels: null },
    ]);
    expect(parseInspectOutput(out).map((o) => `${o.kind}:${'name' in o ? o.name : o.id}`)).toEqual(['container:ai-api', 'image:sha256:1', 'network:ai-dev-network', 'volume:ai-dev-db-data']);
    expect(parseInspectOutput('')).toEqual([]);
  });

  it('normalises container state: anonymous volumes out, ports and restart policy rendered', () => {
    const s = containerState(inspected({ ports: { '5432/tcp': [{ HostIp: '', HostPort: '5432' }] } }));
    expect(s.mounts).toEqual(['data:/data']);
    expect(s.ports).toEqual(['0.0.0.0:5432->5432/tcp']);
    expect(s.restart).toBe('unless-stopped');
    expect(s.running).toBe(true);
    expect(describeHealthcheck({ Test: ['NONE'] })).toBe('none');
  });

  it('normalises image references the way docker lists them', () => {
    expect(normalizeRef('postgres')).toBe('postgres:latest');
    expect(normalizeRef('docker.io/library/postgres:17')).toBe('postgres:17');
    expect(normalizeRef('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizeRef('local/node:20')).toBe('local/node:20');
  });
});
