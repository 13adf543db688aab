/** The Docker driver against the real engine: observe -> pure plan -> apply, ownership, drift, errors. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDockerDriver } from '../../../infra/docker/driver.js';
import { dockerExec, dockerLogs } from '../../../infra/docker/exec.js';
import { container, image, network, volume } from '../../../infra/docker/resources.js';
import { createRunner, DockerUnavailableError } from '../../../infra/docker/runner.js';
import type { Driver, DriverContext } from '../../../infra/driver.js';
import { observeAndPlan } from '../../../infra/engine.js';
import { pendingActions, type Plan, type Verb } from '../../../infra/plan.js';
import { secret, type Resource, type ResourceContext } from '../../../infra/resource.js';
import { assertEngine, cleanupWorkspace, describeDocker, docker, dockerQuiet, freePort } from './engine.js';

const BASE = 'local/debian:bookworm';
const ws = `wsd${randomBytes(3).toString('hex')}`;
const foreignName = `${ws}-foreign`;

describeDocker('Docker driver on a real engine', () => {
  let dir: string;
  let ctx: DriverContext & ResourceContext;
  const logged: string[] = [];
  let driver: Driver;
  const progress = { progress: (m: string) => logged.push(`progress: ${m}`) };

  beforeAll(async () => {
    assertEngine();
    dir = await mkdtemp(join(tmpdir(), 'ws-driver-'));
    ctx = { settings: { name: ws, root: dir } as never, env: 'dev', vars: {} };
    driver = createDockerDriver(ctx, { runner: createRunner({ log: (l) => logged.push(l) }), pollMs: 100 });
  });
  afterAll(async () => {
    cleanupWorkspace(ws);
    dockerQuiet('rm', '-f', foreignName);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const resources = (env: Record<string, string> = { A: '1' }): Resource[] => {
    const net = network(ctx, { name: `${ws}-dev-network`, group: 'base' });
    const data = volume(ctx, { name: `${ws}-dev-data`, group: 'base' });
    const app = container(ctx, {
      name: `${ws}-app`,
      group: 'app',
      image: BASE,
      command: ['sleep', 'infinity'],
      env: { ...env, TOKEN: secret('topsecret-value-42') },
      network: net,
      mounts: [{ volume: data, target: '/data' }],
      restart: 'no',
      healthcheck: { command: 'test -d /data', intervalS: 1, timeoutS: 2, retries: 3 },
      readyTimeoutS: 30,
      stopTimeoutS: 1,
    });
    return [net, data, app];
  };

  async function run(verb: Verb, desired: Resource[], opts: { force?: boolean; apply?: boolean } = {}): Promise<Plan> {
    const p = await observeAndPlan(driver, { verb, selected: desired, all: desired, force: Boolean(opts.force) });
    if (opts.apply !== false && p.problems.length === 0) for (const a of pendingActions(p)) await driver.apply(a, progress);
    return p;
  }
  const summary = (p: Plan) => p.actions.map((a) => `${a.kind} ${a.resource.type} ${a.resource.name.replace(ws, 'W')}`);

  it('creates network, volume and a healthy container with ownership labels; a second up is a no-op', async () => {
    const first = await run('up', resources());
    expect(summary(first)).toEqual(['create network W-dev-network', 'create volume W-dev-data', 'create container W-app']);
    expect(docker('inspect', '--format', '{{.State.Health.Status}} {{index .Config.Labels "ws.workspace"}} {{index .Config.Labels "ws.env"}} {{index .Config.Labels "ws.resource"}}', `${ws}-app`)).toBe(`healthy ${ws} dev ${ws}-app`);
    expect(docker('volume', 'inspect', '--format', '{{index .Labels "ws.resource"}}', `${ws}-dev-data`)).toBe(`${ws}-dev-data`);
    const again = await run('up', resources());
    expect(again.actions.every((a) => a.kind === 'noop')).toBe(true);
  });

  it('passes the secret to the container without ever putting it in argv or logs', () => {
    expect(docker('exec', `${ws}-app`, 'printenv', 'TOKEN')).toBe('topsecret-value-42');
    const runLine = logged.find((l) => l.startsWith('$ docker run'));
    expect(runLine).toContain('-e TOKEN ');
    expect(logged.join('\n')).not.toContain('topsecret-value-42');
  });

  it('replaces only the drifted container when an env value changes, keeping the volume data', async () => {
    docker('exec', `${ws}-app`, 'sh', '-c', 'echo kept > /data/marker');
    const before = docker('inspect', '--format', '{{.Id}}', `${ws}-app`);
    const p = await run('patch', resources({ A: '2' }));
    expect(summary(p)).toEqual(['noop network W-dev-network', 'noop volume W-dev-data', 'replace container W-app']);
    expect(p.actions[2]!.changes).toEqual([{ field: 'env.A', from: '1', to: '2' }]);
    expect(docker('inspect', '--format', '{{.Id}}', `${ws}-app`)).not.toBe(before);
    expect(docker('exec', `${ws}-app`, 'cat', '/data/marker')).toBe('kept');
  });

  it('recreates a container that was stopped behind its back', async () => {
    docker('stop', '-t', '0', `${ws}-app`);
    const p = await run('up', resources({ A: '2' }));
    expect(p.actions[2]!.changes).toEqual([{ field: 'state', from: 'exited', to: 'running' }]);
    expect(docker('inspect', '--format', '{{.State.Running}}', `${ws}-app`)).toBe('true');
  });

  it('runs commands in the container and shows its logs, returning the exit codes', async () => {
    expect(await dockerExec(ctx, resources(), { name: 'app', command: ['sh', '-c', 'exit 7'], interactive: false })).toBe(7);
    expect(await dockerLogs(ctx, resources(), { follow: false, tail: 5 })).toBe(0);
  });

  it('reports a foreign container with a declared name, never touches it, and refuses exec into it', async () => {
    docker('run', '-d', '--name', foreignName, BASE, 'sleep', 'infinity');
    const foreign = container(ctx, { name: foreignName, group: 'app', image: BASE, command: ['sleep', 'infinity'] });
    const up = await run('up', [foreign], { apply: false });
    expect(up.problems).toEqual([`container ${foreignName} exists but does not belong to this workspace (no ws labels/tags): remove or rename it, ws will not touch it`]);
    const down = await run('down', [foreign]);
    expect(down.notes).toEqual([`container ${foreignName} exists but does not belong to this workspace: left alone`]);
    await expect(dockerExec(ctx, [foreign], { command: ['true'], interactive: false })).rejects.toThrow(/does not belong to this workspace/);
    expect(docker('inspect', '--format', '{{.State.Running}}', foreignName)).toBe('true');
  });

  it('names the host port that is already in use', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const c = container(ctx, { name: `${ws}-ported`, group: 'app', image: BASE, command: ['sleep', 'infinity'], ports: [{ host: port, container: 80 }] });
      await expect(run('up', [c])).rejects.toThrow(`create container ${ws}-ported: host port ${port} (127.0.0.1) is already in use: stop what uses it`);
      expect(dockerQuietExists(`${ws}-ported`)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('fails early with the last log lines when a container exits', async () => {
    const c = container(ctx, { name: `${ws}-crash`, group: 'app', image: BASE, command: ['sh', '-c', 'echo about to crash; exit 3'], restart: 'unless-stopped' });
    await expect(run('up', [c])).rejects.toThrow(/^create container \S+-crash: the container exited with code 3( \(restarted \d+ time\(s\)\))?; its last log lines:\n( {2}\| about to crash\n)+\(the container is stopped and kept: ws logs/);
    // a restart policy would keep it crash-looping: it is stopped, kept for ws logs, and the next up replaces it
    expect(docker('inspect', '--format', '{{.State.Running}}', `${ws}-crash`)).toBe('false');
    expect(summary(await run('up', [c], { apply: false }))).toEqual(['replace container W-crash']);
  });

  it('deletes only owned resources on down, keeps the volume, leaves the foreign container running', async () => {
    const p = await run('down', resources({ A: '2' }));
    expect(summary(p)).toEqual(['delete container W-app', 'noop volume W-dev-data', 'delete network W-dev-network']);
    expect(dockerQuietExists(`${ws}-app`)).toBe(false);
    expect(docker('volume', 'ls', '-q', '--filter', `name=${ws}-dev-data`)).toBe(`${ws}-dev-data`);
    expect(docker('inspect', '--format', '{{.State.Running}}', foreignName)).toBe('true');
  });

  it('builds an image, skips the build when nothing changed, rebuilds when a context file changes', async () => {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE}\nCOPY a.txt /a.txt\n`);
    await writeFile(join(dir, 'a.txt'), 'one\n');
    const img = image(ctx, { name: `${ws}-dev-image`, group: 'app', tag: `${ws}-img:test` });
    expect(summary(await run('up', [img]))).toEqual(['create image W-dev-image']);
    const id1 = docker('image', 'inspect', '--format', '{{.Id}}', `${ws}-img:test`);
    expect(summary(await run('up', [img]))).toEqual(['noop image W-dev-image']);
    await writeFile(join(dir, 'a.txt'), 'two\n');
    const p = await run('up', [img]);
    expect(summary(p)).toEqual(['replace image W-dev-image']);
    expect(p.actions[0]!.changes[0]!.field).toBe('sources');
    expect(docker('image', 'inspect', '--format', '{{.Id}}', `${ws}-img:test`)).not.toBe(id1);
  });


  it('plans the replacement of containers whose image will be rebuilt; a forced rebuild of unchanged inputs keeps the id', async () => {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BASE}\nCOPY a.txt /a.txt\nCMD ["sleep", "infinity"]\n`);
    await writeFile(join(dir, 'a.txt'), 'v1\n');
    const img = image(ctx, { name: `${ws}-dev-runimage`, group: 'app', tag: `${ws}-run:test` });
    const c = container(ctx, { name: `${ws}-runner`, group: 'app', image: img, restart: 'no', stopTimeoutS: 1, readyTimeoutS: 30 });
    expect(summary(await run('up', [img, c]))).toEqual(['create image W-dev-runimage', 'create container W-runner']);
    const id1 = docker('inspect', '--format', '{{.Image}}', `${ws}-runner`);

    await writeFile(join(dir, 'a.txt'), 'v2\n');
    const p = await run('up', [img, c]);
    expect(summary(p)).toEqual(['replace image W-dev-runimage', 'replace container W-runner']);
    expect(p.actions[1]!.changes).toEqual([{ field: 'image', from: id1.replace('sha256:', '').slice(0, 12), to: `${ws}-run:test (rebuilt)` }]);
    const id2 = docker('inspect', '--format', '{{.Image}}', `${ws}-runner`);
    expect(id2).not.toBe(id1);
    expect(docker('exec', `${ws}-runner`, 'cat', '/a.txt')).toBe('v2');

    const forced = await run('up', [img], { force: true });
    expect(summary(forced)).toEqual(['replace image W-dev-runimage']);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', `${ws}-run:test`)).toBe(id2);
    expect(summary(await run('up', [img, c]))).toEqual(['noop image W-dev-runimage', 'noop container W-runner']);
  });

  it('reports a failed build with its last lines', async () => {
    await writeFile(join(dir, 'Dockerfile.bad'), `FROM ${BASE}\nRUN echo about-to-fail && exit 3\n`);
    const img = image(ctx, { name: `${ws}-dev-bad`, group: 'app', tag: `${ws}-bad:test`, dockerfile: 'Dockerfile.bad' });
    const error = (await run('up', [img]).then(
      () => undefined,
      (e: unknown) => e as Error,
    ));
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/^create image \S+-dev-bad: docker build failed \(exit \d+\); the build's last lines:\n/);
    expect(error!.message).not.toContain('legacy builder');
    expect(error!.message).toContain('  | about-to-fail');
  });
  it('leaves no intermediate containers behind after a failed build', () => {
    expect(docker('ps', '-a', '--filter', `ancestor=${BASE}`, '--filter', 'status=exited', '--no-trunc', '--format', '{{.Command}}')).not.toContain('about-to-fail');
  });

  it('says the engine is not reachable, quickly, instead of a stack of errors', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    const started = Date.now();
    try {
      const error = await createDockerDriver(ctx).observe(resources()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DockerUnavailableError);
      expect((error as Error).message).toMatch(/^the Docker engine is not running or not reachable: Cannot connect to the Docker daemon at unix:\/\/\/nonexistent\/docker.sock/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});

function dockerQuietExists(name: string): boolean {
  try {
    docker('container', 'inspect', name);
    return true;
  } catch {
    return false;
  }
}
