import { describe, expect, it } from 'vitest';
import * as cmd from '../../../infra/docker/commands.js';
import type { ContainerSpec, ImageSpec } from '../../../infra/docker/resources.js';
import { secret } from '../../../infra/resource.js';

const owner = { 'ws.workspace': 'ai', 'ws.env': 'dev', 'ws.resource': 'ai-api' };
const spec: ContainerSpec = {
  image: 'ai-api:dev',
  imageResource: 'ai-dev-api-image',
  env: { WAIT_FOR_DB: 'true', DB_PASS: secret('hunter2-long'), DB_HOST: 'ai-db' },
  ports: [{ host: 8000, container: 8000 }],
  mounts: [{ volume: 'ai-dev-db-data', target: '/data', readOnly: true }],
  network: 'ai-dev-network',
  restart: 'unless-stopped',
  healthcheck: { command: 'pg_isready', intervalS: 2, timeoutS: 5, retries: 3, startPeriodS: 60 },
  readyTimeoutS: 60,
};

describe('docker argv builders', () => {
  it('runs a container with labels, env, ports, mounts, network, restart policy and healthcheck', () => {
    const inv = cmd.containerRun('ai-api', spec, owner);
    expect(inv.argv.join(' ')).toBe(
      'docker run --detach --name ai-api ' +
        '--label ws.env=dev --label ws.env-keys=DB_HOST,DB_PASS,WAIT_FOR_DB --label ws.resource=ai-api --label ws.secret-keys=DB_PASS --label ws.workspace=ai ' +
        '--network ai-dev-network --restart unless-stopped ' +
        '-e DB_HOST=ai-db -e DB_PASS -e WAIT_FOR_DB=true ' +
        '--publish 127.0.0.1:8000:8000/tcp ' +
        '--mount type=volume,source=ai-dev-db-data,target=/data,readonly ' +
        '--health-cmd pg_isready --health-interval 2s --health-timeout 5s --health-retries 3 --health-start-period 60s ' +
        'ai-api:dev',
    );
  });

  it('keeps secret values out of argv and hands them to the docker client environment', () => {
    const inv = cmd.containerRun('ai-api', spec, owner);
    expect(inv.argv.join(' ')).not.toContain('hunter2');
    expect(inv.secretEnv?.DB_PASS?.reveal()).toBe('hunter2-long');
    expect(Object.keys(inv.secretEnv ?? {})).toEqual(['DB_PASS']);
  });

  it('recognises a Secret from another copy of infra/resource.ts (a workspace loaded by jiti) by its brand', () => {
    const foreign = { [Symbol.for('ws.secret')]: true, reveal: () => 'other-copy-value', toString: () => '****' };
    const inv = cmd.containerRun('ai-api', { ...spec, env: { DB_PASS: foreign as never } }, owner);
    expect(inv.argv).toContain('DB_PASS');
    expect(inv.argv.join(' ')).not.toContain('other-copy-value');
    expect(inv.argv.join(' ')).not.toContain('DB_PASS=');
    expect(inv.secretEnv?.DB_PASS?.reveal()).toBe('other-copy-value');
  });

  it('omits what a spec leaves out and appends the command after the image', () => {
    const bare: ContainerSpec = { image: 'local/debian:bookworm', env: {}, ports: [{ host: 5353, container: 53, hostIp: '0.0.0.0', protocol: 'udp' }], mounts: [], restart: 'no', command: ['sleep', 'infinity'], readyTimeoutS: 5 };
    const inv = cmd.containerRun('x', bare, owner);
    expect(inv.argv.join(' ')).toBe('docker run --detach --name x --label ws.env=dev --label ws.env-keys= --label ws.resource=ai-api --label ws.workspace=ai --restart no --publish 0.0.0.0:5353:53/udp local/debian:bookworm sleep infinity');
    expect(inv.secretEnv).toBeUndefined();
  });

  it('builds an image with sorted build args, labels, --pull and an iid file', () => {
    const image: ImageSpec = { tag: 'ai-api:dev', context: '/repo', dockerfile: 'Dockerfile', buildArgs: { NODE_IMAGE: 'node:20', A: '1' } };
    expect(cmd.imageBuild(image, { labels: { 'ws.workspace': 'ai' }, iidFile: '/tmp/iid', pull: true }).join(' ')).toBe(
      'docker build --file /repo/Dockerfile --tag ai-api:dev --force-rm --pull --build-arg A=1 --build-arg NODE_IMAGE=node:20 --label ws.workspace=ai --iidfile /tmp/iid /repo',
    );
    expect(cmd.imageBuild(image, { labels: {}, iidFile: '/i' }).join(' ')).not.toContain('--pull');
  });

  it('creates and removes networks and volumes with labels', () => {
    expect(cmd.networkCreate('ai-dev-network', { 'ws.env': 'dev', 'ws.workspace': 'ai' }).join(' ')).toBe('docker network create --driver bridge --label ws.env=dev --label ws.workspace=ai ai-dev-network');
    expect(cmd.volumeCreate('ai-dev-db-data', { 'ws.workspace': 'ai' }).join(' ')).toBe('docker volume create --label ws.workspace=ai ai-dev-db-data');
    expect(cmd.networkRemove('n').join(' ')).toBe('docker network rm n');
    expect(cmd.volumeRemove('v').join(' ')).toBe('docker volume rm v');
  });

  it('inspects many objects in one call, or by type', () => {
    expect(cmd.inspect(['ai-db', 'ai-api', 'ai-api:dev']).join(' ')).toBe('docker inspect ai-db ai-api ai-api:dev');
    expect(cmd.inspectTyped('volume', ['v']).join(' ')).toBe('docker volume inspect v');
    expect(cmd.containerState('ai-db').join(' ')).toBe('docker container inspect --format {"State":{{json .State}},"RestartCount":{{.RestartCount}}} ai-db');
  });

  it('stops, removes, prunes, pulls', () => {
    expect(cmd.containerStop('ai-api').join(' ')).toBe('docker container stop --time 10 ai-api');
    expect(cmd.containerRemove('ai-api', { force: true }).join(' ')).toBe('docker container rm --force ai-api');
    expect(cmd.imagePrune({ 'ws.workspace': 'ai', 'ws.env': 'dev' }).join(' ')).toBe('docker image prune --force --filter label=ws.env=dev --filter label=ws.workspace=ai');
    expect(cmd.imagePull('postgres:17').join(' ')).toBe('docker image pull postgres:17');
  });

  it('execs with a terminal only when interactive, and follows logs', () => {
    expect(cmd.containerExec('ai-api', ['ws', 'db', 'migrate'], { interactive: true }).join(' ')).toBe('docker container exec --interactive --tty ai-api ws db migrate');
    expect(cmd.containerExec('ai-api', ['ls'], { interactive: false }).join(' ')).toBe('docker container exec ai-api ls');
    expect(cmd.containerExec('ai-db', ['psql'], { interactive: true, tty: false }).join(' ')).toBe('docker container exec --interactive ai-db psql');
    expect(cmd.containerLogs('ai-api', { follow: true, tail: 50 }).join(' ')).toBe('docker container logs --follow --tail 50 ai-api');
    expect(cmd.containerLogs('ai-api').join(' ')).toBe('docker container logs ai-api');
  });
});
