/**
 * Issue 3, item 8: the dev workspace through the `ws` binary on the real engine.
 * up -> /health 200 -> dim_users migrated by MIGRATE_DB -> POST/GET users -> an env change and
 * `patch` recreates only the api container -> `up` again is a no-op -> `down` spares foreign
 * containers -> `up` after `down` finds the data kept in the volume.
 * Runs a copy of the workspace (WS_ROOT) with its own name, ports and image tag, so it never
 * touches a developer's ai-db / ai-api. Needs `npm run build` (npm test does it).
 */
import { randomInt } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT, ws } from '../../helpers/cli.js';
import { assertEngine, buildCaFile, cleanupWorkspace, describeDocker, docker, dockerQuiet, freePort } from './engine.js';

// digits only: a random name containing 'db' would make '-n db' ambiguous
const name = `wsc${randomInt(100_000, 1_000_000)}`;
const COPY = ['Dockerfile', '.dockerignore', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'cli', 'db', 'infra', 'workspace', 'app'];
const STEP = 300_000;

interface PlanJson {
  verb: string;
  actions: { kind: string; type: string; name: string; changes: { field: string; from?: string; to?: string }[] }[];
  problems: string[];
  notes: string[];
}

describeDocker('ws up / patch / down on the dev workspace (full cycle)', () => {
  let root: string;
  let env: Record<string, string | undefined>;
  let api: string;
  let dbPort: number;
  const email = `${name}@example.com`;

  const run = (args: string[], extra: Record<string, string> = {}) => ws(args, { env: { ...env, ...extra }, timeout: STEP });
  const json = (stdout: unknown): PlanJson => JSON.parse(String(stdout)) as PlanJson;
  const pending = (p: PlanJson) => p.actions.filter((a) => a.kind !== 'noop').map((a) => `${a.kind} ${a.type} ${a.name}`);
  const id = (container: string) => docker('inspect', '--format', '{{.Id}}', container);

  beforeAll(async () => {
    assertEngine();
    root = await mkdtemp(join(tmpdir(), 'ws-cycle-'));
    for (const entry of COPY) await cp(join(REPO_ROOT, entry), join(root, entry), { recursive: true });
    await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
    await rm(join(root, 'workspace', 'secrets'), { recursive: true, force: true });
    const settingsFile = join(root, 'workspace', 'settings.ts');
    const settings = await readFile(settingsFile, 'utf8');
    expect(settings).toMatch(/name: 'ai',/);
    await writeFile(settingsFile, settings.replace(/name: 'ai',/, `name: '${name}',`));
    dbPort = await freePort();
    const apiPort = await freePort();
    api = `http://127.0.0.1:${apiPort}`;
    const ca = buildCaFile();
    env = {
      WS_ROOT: root,
      WS_DEV_DB_IMAGE: process.env.WS_DEV_DB_IMAGE ?? 'local/postgres:15',
      WS_NODE_IMAGE: process.env.WS_NODE_IMAGE ?? 'local/node:20',
      WS_DEV_DB_PORT: String(dbPort),
      WS_DEV_API_PORT: String(apiPort),
      WS_APP_IMAGE: `${name}-api`,
      WS_IMAGE_TAG: 'test',
      LOG_LEVEL: 'info',
      ...(ca ? { WS_BUILD_CA_FILE: ca } : {}),
    };
  }, STEP);

  afterAll(async () => {
    dockerQuiet('rm', '-f', `${name}-foreign`);
    cleanupWorkspace(name);
    dockerQuiet('image', 'rm', `${name}-api:test`);
    if (root) await rm(root, { recursive: true, force: true });
  }, STEP);

  it('up creates network, volume, image, ai-db and ai-api; the app is healthy', async () => {
    const r = await run(['up', '--env', 'dev', '-y', '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(pending(json(r.stdout))).toEqual([
      `create network ${name}-dev-network`,
      `create volume ${name}-dev-db-data`,
      `create image ${name}-dev-api-image`,
      `create container ${name}-db`,
      `create container ${name}-api`,
    ]);
    const health = await fetch(`${api}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', db: 'ok' });
  }, STEP);

  it('the container migrated the database at start (MIGRATE_DB): dim_users exists', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: dbPort, user: 'ai', password: 'ai-dev-password', database: 'ai' });
    await client.connect();
    try {
      expect((await client.query("select to_regclass('public.dim_users') as t")).rows[0].t).toBe('dim_users');
    } finally {
      await client.end();
    }
  });

  it('creates a user and reads it back over HTTP', async () => {
    const created = await fetch(`${api}/users`, { method: 'POST', body: JSON.stringify({ email }) });
    expect(created.status).toBe(201);
    const got = await fetch(`${api}/users/${encodeURIComponent(email)}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { email: string }).email).toBe(email);
  });

  it('patch after an env change recreates only the api container', async () => {
    const dbBefore = id(`${name}-db`);
    const apiBefore = id(`${name}-api`);
    const r = await run(['patch', '--env', 'dev', '-y', '--json'], { LOG_LEVEL: 'debug' });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const p = json(r.stdout);
    expect(pending(p)).toEqual([`replace container ${name}-api`]);
    expect(p.actions.find((a) => a.kind === 'replace')!.changes).toEqual([{ field: 'env.LOG_LEVEL', from: 'info', to: 'debug' }]);
    expect(id(`${name}-db`)).toBe(dbBefore);
    expect(id(`${name}-api`)).not.toBe(apiBefore);
    expect(docker('exec', `${name}-api`, 'printenv', 'LOG_LEVEL')).toBe('debug');
    expect((await fetch(`${api}/health`)).status).toBe(200);
  }, STEP);

  it('up again is a no-op and says so', async () => {
    const r = await run(['up', '--env', 'dev', '-y', '--json'], { LOG_LEVEL: 'debug' });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const p = json(r.stdout);
    expect(p.actions).toHaveLength(5);
    expect(pending(p)).toEqual([]);
    const text = await run(['up', '--env', 'dev', '-y'], { LOG_LEVEL: 'debug' });
    expect(String(text.stdout)).toMatch(/No changes/);
  }, STEP);

  it('ws exec runs a command in the app container (ws itself is in the image, migrations applied) and returns its exit code', async () => {
    const status = await run(['exec', '--env', 'dev', '--', 'ws', 'db', 'status']);
    expect(status.exitCode, String(status.stderr)).toBe(0);
    expect(String(status.stdout)).toMatch(/applied {2}20261125000000_initialize_db/);
    const code = await run(['exec', '--env', 'dev', '--', 'sh', '-c', 'exit 3']);
    expect(code.exitCode).toBe(3);
  }, STEP);

  it('ws logs shows the app container by default and another with -n', async () => {
    const app = await run(['logs', '--env', 'dev', '--tail', '50']);
    expect(app.exitCode, String(app.stderr)).toBe(0);
    expect(String(app.stdout)).toContain('app listening on port 8000');
    const db = await run(['logs', '--env', 'dev', '-n', 'db', '--tail', '50']);
    expect(db.exitCode).toBe(0);
    expect(`${db.stdout}${db.stderr}`).toMatch(/database system is ready to accept connections/);
  }, STEP);

  it('down deletes what the workspace created, keeps the volume and leaves a foreign container alone', async () => {
    docker('run', '-d', '--name', `${name}-foreign`, 'local/debian:bookworm', 'sleep', 'infinity');
    const r = await run(['down', '--env', 'dev', '-y', '--json'], { LOG_LEVEL: 'debug' });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(pending(json(r.stdout))).toEqual([`delete container ${name}-api`, `delete container ${name}-db`, `delete network ${name}-dev-network`]);
    expect(docker('ps', '-a', '--filter', `label=ws.workspace=${name}`, '--format', '{{.Names}}')).toBe('');
    expect(docker('volume', 'ls', '-q', '--filter', `label=ws.workspace=${name}`)).toBe(`${name}-dev-db-data`);
    expect(docker('inspect', '--format', '{{.State.Running}}', `${name}-foreign`)).toBe('true');
  }, STEP);

  it('a foreign container holding a declared name blocks up (exit 1) and is spared by down', async () => {
    dockerQuiet('rm', '-f', `${name}-foreign`);
    docker('run', '-d', '--name', `${name}-api`, 'local/debian:bookworm', 'sleep', 'infinity');
    try {
      const up = await run(['up', '--env', 'dev', '-y']);
      expect(up.exitCode).toBe(1);
      expect(String(up.stderr)).toContain(`container ${name}-api exists but does not belong to this workspace`);
      const down = await run(['down', '--env', 'dev', '-y']);
      expect(down.exitCode, String(down.stderr)).toBe(0);
      expect(docker('inspect', '--format', '{{.State.Running}}', `${name}-api`)).toBe('true');
    } finally {
      dockerQuiet('rm', '-f', `${name}-api`);
    }
  }, STEP);

  it('up after down works and the volume kept the data', async () => {
    const r = await run(['up', '--env', 'dev', '-y', '--json'], { LOG_LEVEL: 'debug' });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(pending(json(r.stdout))).toEqual([`create network ${name}-dev-network`, `create container ${name}-db`, `create container ${name}-api`]);
    const got = await fetch(`${api}/users/${encodeURIComponent(email)}`);
    expect(got.status).toBe(200);
  }, STEP);
});
