import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ws } from '../helpers/cli.js';
import { makeTempWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { execa } from 'execa';

describe('ws as a process: help, version, usage errors', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await ws(['--help']);
    expect(r.exitCode).toBe(0);
    for (const cmd of ['up', 'down', 'restart', 'patch', 'db', 'exec', 'logs', 'config']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
  });

  it('--version prints the package version', async () => {
    const r = await ws(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown command or flag is a usage error: exit 2, no stack trace', async () => {
    const unknownCommand = await ws(['deploy']);
    expect(unknownCommand.exitCode).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command 'deploy'/);
    const unknownFlag = await ws(['db', 'status', '--frobnicate']);
    expect(unknownFlag.exitCode).toBe(2);
    expect(unknownFlag.stderr).toMatch(/unknown option '--frobnicate'/);
    expect(unknownFlag.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown env is a usage error naming the envs', async () => {
    const r = await ws(['db', 'status', '--env', 'stg']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown env "stg": this workspace has dev, prd');
  });

  it('an unknown infra or type is a usage error, not a traceback', async () => {
    const infra = await ws(['up', '--infra', 'gcp', '--dry-run']);
    expect(infra.exitCode).toBe(2);
    expect(infra.stderr).toContain('unknown infra "gcp"');
    const type = await ws(['patch', '-t', 'lambda', '--dry-run']);
    expect(type.exitCode).toBe(2);
    expect(type.stderr).toMatch(/unknown type "lambda": expected one of/);
  });
});

describe('ws db against a real Postgres', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb?.drop());
  const env = () => ({ DATABASE_URL: tdb.url });

  it('status --check exits 1 while pending; migrate applies; a second migrate changes nothing; rollback --all removes dim_users', async () => {
    const pending = await ws(['db', 'status', '--check'], { env: env() });
    expect(pending.exitCode).toBe(1);
    expect(pending.stdout).toContain('pending  20261125000000_initialize_db');

    const first = await ws(['db', 'migrate', '--env', 'dev'], { env: env() });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('applied 20261125000000_initialize_db');
    expect(first.stderr).not.toContain('postgres:postgres@');
    const second = await ws(['db', 'migrate', '--env', 'dev'], { env: env() });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('nothing to migrate');

    const json = await ws(['db', 'status', '--check', '--json'], { env: env() });
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ applied: [{ name: '20261125000000_initialize_db' }], pending: [] });

    const user = await execa('node', ['dist/db/tables/test-user.js', 'grace@example.com'], { env: env(), reject: false });
    expect(user.exitCode).toBe(0);
    expect(user.stdout).toMatch(/^User created: \d+$/m);

    const rollback = await ws(['db', 'rollback', '--all'], { env: env() });
    expect(rollback.exitCode).toBe(0);
    expect(rollback.stdout).toContain('rolled back 20261125000000_initialize_db');
    const { rows } = await tdb.query(`select to_regclass('public.dim_users') as t`);
    expect(rows[0]!.t).toBeNull();
  });

  it('rollback --steps must be a positive number', async () => {
    const r = await ws(['db', 'rollback', '--steps', '0'], { env: env() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--steps 0');
  });

  it('config masks every password, in text and JSON', async () => {
    const text = await ws(['config', '-e', 'dev'], { env: { DB_PASS: 'hunter2-secret' } });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('postgres://ai:****@localhost:');
    const json = await ws(['config', '--json'], { env: { DB_PASS: 'hunter2-secret' } });
    expect(json.stdout).not.toContain('hunter2-secret');
    expect(JSON.parse(json.stdout).db.password).toBe('****');
  });
});

describe('database errors are one readable line, exit 1', () => {
  it('a closed port names host:port within 10 s', async () => {
    const started = Date.now();
    const r = await ws(['db', 'status'], { env: { DATABASE_URL: 'postgres://ai:pw@127.0.0.1:1/ai' } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('cannot connect to the database at 127.0.0.1:1: connection refused');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown host names the host', async () => {
    const r = await ws(['db', 'migrate'], { env: { DB_HOST: 'no-such-host.invalid', DB_PORT: '5432' } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('no-such-host.invalid:5432');
  });

  it('a wrong password says authentication failed and never prints the password', async () => {
    const r = await ws(['db', 'status'], { env: { DATABASE_URL: 'postgres://postgres:wrong-pw-123@127.0.0.1:5432/postgres' } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('authentication failed for user "postgres"');
    expect(r.stderr + r.stdout).not.toContain('wrong-pw-123');
  });

  it('--debug shows the stack', async () => {
    const r = await ws(['--debug', 'db', 'status'], { env: { DATABASE_URL: 'postgres://ai:pw@127.0.0.1:1/ai' } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('settings errors from the CLI', () => {
  let tmp: TempWorkspace;
  beforeAll(() => {
    tmp = makeTempWorkspace();
  });
  afterAll(() => tmp.remove());

  it('an invalid field names the field and the file, exit 2', async () => {
    tmp.write('workspace/settings.ts', `import { defineWorkspace } from '../infra/settings.js';
export default defineWorkspace({ name: 'ai', envs: { dev: { infra: 'docker', db: { user: 'ai', database: 'ai', port: 'five' as any } } } });
`);
    const r = await ws(['config'], { env: { WS_ROOT: tmp.root } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('invalid setting envs.dev.db.port in workspace/settings.ts');
  });

  it('a bad override names the variable', async () => {
    const r = await ws(['config'], { env: { WS_DEV_DB_PORT: 'abc' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('WS_DEV_DB_PORT="abc" (environment)');
  });
});
