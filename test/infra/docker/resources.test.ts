import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pickContainer } from '../../../infra/docker/exec.js';
import { container, image, network, shellQuote, volume } from '../../../infra/docker/resources.js';
import type { ContainerSpec, ImageSpec } from '../../../infra/docker/resources.js';
import { isSecret } from '../../../infra/resource.js';
import { loadResources } from '../../../infra/load-resources.js';
import { loadWorkspace } from '../../../infra/load-settings.js';
import type { Secret, Resource, ResourceContext } from '../../../infra/resource.js';
import { orderForCreate } from '../../../infra/plan.js';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

async function devResources(env: Record<string, string> = {}): Promise<Resource[]> {
  const loaded = await loadWorkspace({ root: ROOT, env: { WS_DEV_DB_PORT: '55999', WS_DEV_API_PORT: '58999', WS_DEV_DB_IMAGE: 'local/postgres:15', WS_NODE_IMAGE: 'local/node:20', ...env } });
  return loadResources(loaded, 'dev');
}

describe('workspace/dev.ts', () => {
  it('declares the network, the data volume, ai-db, the app image and ai-api, in dependency order', async () => {
    const rs = await devResources();
    expect(rs.map((r) => `${r.type} ${r.name} [${r.group}] <- ${r.dependsOn.join(',')}`)).toEqual([
      'network ai-dev-network [db] <- ',
      'volume ai-dev-db-data [db] <- ',
      'container ai-db [db] <- ai-dev-network,ai-dev-db-data',
      'image ai-dev-api-image [app] <- ',
      'container ai-api [app] <- ai-db,ai-dev-api-image,ai-dev-network',
    ]);
    expect(orderForCreate(rs).map((r) => r.name)).toEqual(['ai-dev-network', 'ai-dev-db-data', 'ai-dev-api-image', 'ai-db', 'ai-api']);
  });

  it('wires ai-db from the settings: image, port, volume, official Postgres variables with the password as a Secret', async () => {
    const db = (await devResources()).find((r) => r.name === 'ai-db')!.spec as ContainerSpec;
    expect(db.image).toBe('local/postgres:15');
    expect(db.ports).toEqual([{ host: 55999, container: 5432 }]);
    expect(db.mounts).toEqual([{ volume: 'ai-dev-db-data', target: '/var/lib/postgresql/data' }]);
    expect(db.env.POSTGRES_USER).toBe('ai');
    expect(db.env.POSTGRES_DB).toBe('ai');
    expect(isSecret(db.env.POSTGRES_PASSWORD)).toBe(true);
    expect(JSON.stringify(db)).not.toMatch(/"POSTGRES_PASSWORD":"ai"/);
    expect(db.healthcheck?.command).toBe('pg_isready -h 127.0.0.1 -U ai -d ai');
  });

  it('wires ai-api to the built image, the db container and the published app port', async () => {
    const rs = await devResources({ WS_IMAGE_TAG: 't1', DB_PASS: 'from-secrets-file', LOG_LEVEL: 'debug' });
    const api = rs.find((r) => r.name === 'ai-api')!.spec as ContainerSpec;
    const img = rs.find((r) => r.type === 'image')!.spec as ImageSpec;
    expect(img.tag).toBe('ai-api:t1');
    expect(img.buildArgs).toEqual({ NODE_IMAGE: 'local/node:20' });
    expect(img.context).toBe(ROOT);
    expect(api.image).toBe('ai-api:t1');
    expect(api.imageResource).toBe('ai-dev-api-image');
    expect(api.ports).toEqual([{ host: 58999, container: 8000 }]);
    const plain = Object.fromEntries(Object.entries(api.env).filter(([, v]) => typeof v === 'string'));
    expect(plain).toEqual({ WS_ENV: 'dev', PORT: '8000', LOG_LEVEL: 'debug', WAIT_FOR_DB: 'true', MIGRATE_DB: 'true', DB_HOST: 'ai-db', DB_PORT: '5432', DB_USER: 'ai', DB_DATABASE: 'ai' });
    expect((api.env.DB_PASS as Secret).reveal()).toBe('from-secrets-file');
    expect(String(api.env.DB_PASS)).toBe('****');
    expect(api.restart).toBe('unless-stopped');
    expect(api.healthcheck?.command).toContain("fetch('http://127.0.0.1:8000/health')");
  });
});

describe('docker resource constructors', () => {
  const ctx = { settings: { name: 'w', root: '/root/w' }, env: 'dev', vars: {} } as unknown as ResourceContext;

  it('derive dependencies from the network, volumes and image they are given', () => {
    const n = network(ctx, { name: 'n', group: 'g' });
    const v = volume(ctx, { name: 'v', group: 'g' });
    const i = image(ctx, { name: 'i', group: 'g', tag: 'x:1', context: 'sub' });
    const c = container(ctx, { name: 'c', group: 'g', image: i, network: n, mounts: [{ volume: v, target: '/d' }], dependsOn: ['other', n] });
    expect(c.dependsOn).toEqual(['other', 'n', 'i', 'v']);
    expect(i.spec).toEqual({ tag: 'x:1', context: '/root/w/sub', dockerfile: 'Dockerfile', buildArgs: {} });
    expect(c.spec).toMatchObject({ image: 'x:1', imageResource: 'i', network: 'n', restart: 'unless-stopped', readyTimeoutS: 120 });
    expect(container(ctx, { name: 'd', group: 'g', image: 'postgres:17' }).dependsOn).toEqual([]);
  });

  it('quotes shell words only when needed', () => {
    expect(shellQuote('ai')).toBe('ai');
    expect(shellQuote("it's me")).toBe(`'it'\\''s me'`);
  });
});

describe('choosing the container for exec and logs', () => {
  const r = (name: string, group: string, type = 'container'): Resource => ({ type, name, group, env: 'dev', infra: 'docker', dependsOn: [], spec: {} });
  const all = [r('ai-db', 'db'), r('ai-api', 'app'), r('ai-dev-api-image', 'app', 'image')];

  it('defaults to the app container and matches -n as a substring, exact names first', () => {
    expect(pickContainer(all, 'dev').name).toBe('ai-api');
    expect(pickContainer(all, 'dev', 'db').name).toBe('ai-db');
    expect(pickContainer([...all, r('ai-api-worker', 'app')], 'dev', 'ai-api').name).toBe('ai-api');
  });

  it('refuses names that match nothing or several containers', () => {
    expect(() => pickContainer(all, 'dev', 'nope')).toThrow('no container of env dev matches --name nope; it has: ai-db, ai-api');
    expect(() => pickContainer(all, 'dev', 'ai')).toThrow('--name ai matches several containers (ai-db, ai-api)');
    expect(() => pickContainer([r('a', 'x'), r('b', 'y')], 'dev')).toThrow('choose one with --name');
  });
});
