import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObservedContainer, ObservedImage } from '../../../infra/docker/compare.js';
import { contextHash } from '../../../infra/docker/context-hash.js';
import { observeResources } from '../../../infra/docker/observe.js';
import { container, image, network, volume, type ImageSpec } from '../../../infra/docker/resources.js';
import type { DockerRunner, RunResult } from '../../../infra/docker/runner.js';
import type { ResourceContext } from '../../../infra/resource.js';

/** A runner that answers `docker inspect` from canned objects, as the engine does (found ones on stdout, exit 1 if any is missing). */
function fakeRunner(objects: Record<string, object>, calls: string[][]): DockerRunner {
  return {
    async run(inv) {
      const argv = 'argv' in inv ? inv.argv : inv;
      calls.push([...argv]);
      const names = argv.slice(2);
      const found = names.filter((n) => objects[n]).map((n) => objects[n]);
      const missing = names.filter((n) => !objects[n]);
      return { exitCode: missing.length ? 1 : 0, stdout: JSON.stringify(found), stderr: missing.map((n) => `Error: No such object: ${n}`).join('\n') } satisfies RunResult;
    },
    attached: async () => 0,
    addSecrets: () => {},
    redact: (t) => t,
  };
}

const labels = (resource: string, env = 'dev', workspace = 'w') => ({ 'ws.workspace': workspace, 'ws.env': env, 'ws.resource': resource });
const containerObject = (name: string, l: Record<string, string>, imageId: string) => ({
  Id: `id-${name}`,
  Name: `/${name}`,
  Image: imageId,
  State: { Status: 'running', Running: true },
  HostConfig: {},
  Config: { Image: 'w-app:dev', Env: [], Labels: l },
});

describe('observing Docker resources', () => {
  let dir: string;
  let ctx: ResourceContext;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-observe-'));
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
    ctx = { settings: { name: 'w', root: dir } as never, env: 'dev', vars: {} };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('asks docker once for every object, and marks as owned only what carries this workspace, env and resource', async () => {
    const net = network(ctx, { name: 'w-dev-network', group: 'g' });
    const vol = volume(ctx, { name: 'w-dev-data', group: 'g' });
    const a = container(ctx, { name: 'w-a', group: 'g', image: 'w-app:dev' });
    const b = container(ctx, { name: 'w-b', group: 'g', image: 'w-app:dev' });
    const c = container(ctx, { name: 'w-c', group: 'g', image: 'w-app:dev' });
    const calls: string[][] = [];
    const runner = fakeRunner(
      {
        'w-dev-network': { Id: 'n', Name: 'w-dev-network', IPAM: {}, Labels: labels('w-dev-network') },
        'w-a': containerObject('w-a', labels('w-a'), 'sha256:1'),
        'w-b': containerObject('w-b', labels('w-b', 'prd'), 'sha256:1'), // another env's
        'w-c': containerObject('w-c', {}, 'sha256:1'), // unlabelled: foreign
        'w-app:dev': { Id: 'sha256:2', RepoTags: ['w-app:dev'], RootFS: {}, Config: { Labels: {} } },
      },
      calls,
    );
    const observed = await observeResources(runner, [net, vol, a, b, c], { workspace: 'w', env: 'dev' });
    expect(calls).toEqual([['docker', 'inspect', 'w-dev-network', 'w-dev-data', 'w-a', 'w-b', 'w-c', 'w-app:dev']]);
    expect([...observed].map(([name, o]) => `${name}:${o.owned}`)).toEqual(['w-dev-network:true', 'w-a:true', 'w-b:false', 'w-c:false']);
    expect((observed.get('w-a')!.state as ObservedContainer).currentImageId).toBe('sha256:2');
  });

  it('marks the containers of a selected, out-of-date image as waiting for a rebuild', async () => {
    const img = image(ctx, { name: 'w-dev-image', group: 'g', tag: 'w-app:dev' });
    const app = container(ctx, { name: 'w-app', group: 'g', image: img });
    const hash = await contextHash(img.spec as ImageSpec);
    const imageObject = (h: string) => ({ Id: 'sha256:9', RepoTags: ['w-app:dev'], RootFS: {}, Config: { Labels: { ...labels('w-dev-image'), 'ws.context-hash': h, 'ws.build-args': '' } } });
    const objects = { 'w-app': containerObject('w-app', labels('w-app'), 'sha256:9'), 'w-app:dev': imageObject(hash) };

    const fresh = await observeResources(fakeRunner(objects, []), [img, app], { workspace: 'w', env: 'dev' });
    expect((fresh.get('w-dev-image')!.state as ObservedImage).contextHash).toBe(hash);
    expect((fresh.get('w-app')!.state as ObservedContainer).imageRebuild).toBeUndefined();

    const stale = await observeResources(fakeRunner({ ...objects, 'w-app:dev': imageObject('old') }, []), [img, app], { workspace: 'w', env: 'dev' });
    expect((stale.get('w-app')!.state as ObservedContainer).imageRebuild).toBe(true);
    // the image resource not selected (ws patch -n w-app): it is not rebuilt, so no rebuild is promised
    const notSelected = await observeResources(fakeRunner({ ...objects, 'w-app:dev': imageObject('old') }, []), [app], { workspace: 'w', env: 'dev' });
    expect((notSelected.get('w-app')!.state as ObservedContainer).imageRebuild).toBeUndefined();
  });

  it('re-asks by type when a name is taken by an object of another type', async () => {
    const vol = volume(ctx, { name: 'w-shared', group: 'g' });
    const calls: string[][] = [];
    const runner: DockerRunner = {
      ...fakeRunner({}, calls),
      async run(inv) {
        const argv = 'argv' in inv ? inv.argv : inv;
        calls.push([...argv]);
        // untyped inspect finds the container of that name first; the typed one finds the volume
        const obj = argv[1] === 'inspect' ? containerObject('w-shared', {}, 'sha256:1') : { Name: 'w-shared', Mountpoint: '/x', Labels: labels('w-shared') };
        return { exitCode: 0, stdout: JSON.stringify([obj]), stderr: '' };
      },
    };
    const observed = await observeResources(runner, [vol], { workspace: 'w', env: 'dev' });
    expect(calls.map((c) => c.join(' '))).toEqual(['docker inspect w-shared', 'docker volume inspect w-shared']);
    expect(observed.get('w-shared')).toMatchObject({ owned: true, state: { kind: 'volume' } });
  });
});
