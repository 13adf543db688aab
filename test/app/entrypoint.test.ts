import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp } from 'node:fs/promises';
import pg from 'pg';
import { maskedEnv, nothingPending, prepare, truthy } from '../../app/entrypoint.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const ENTRYPOINT = join(REPO_ROOT, 'bin', 'entrypoint.sh');

function dbVars(t: TestDatabase): Record<string, string> {
  return { DB_HOST: t.conn.host, DB_PORT: String(t.conn.port), DB_USER: t.conn.user, DB_PASS: t.conn.password ?? '', DB_DATABASE: t.conn.database };
}

describe('entrypoint start-up work', () => {
  let tdb: TestDatabase;
  let failing: string;
  beforeAll(async () => {
    tdb = await createTestDatabase('ws_entry');
    failing = await mkdtemp(join(tmpdir(), 'ws-failing-'));
    await mkdir(join(failing, 'db', 'migrations'), { recursive: true });
    await writeFile(join(failing, 'db', 'migrations', '20260101000000_broken.ts'), "export async function up(db: any) { await db.schema.alterTable('no_such_table').addColumn('x', 'text').execute(); }\n");
  });
  afterAll(async () => {
    await tdb?.drop();
    await rm(failing, { recursive: true, force: true });
  });

  it('reads the seed style switches', () => {
    expect(['true', 'True', '1', 'yes', 'on'].every(truthy)).toBe(true);
    expect(['false', '', '0', undefined].some(truthy)).toBe(false);
  });

  it('prints the environment with secrets masked', () => {
    expect(maskedEnv({ B: '2', DB_PASS: 'hunter2', API_TOKEN: 't', DATABASE_URL: 'postgres://u:pw@h:5432/d', A: '1' })).toEqual([
      'A=1',
      'API_TOKEN=****',
      'B=2',
      'DATABASE_URL=postgres://u:****@h:5432/d',
      'DB_PASS=****',
    ]);
  });

  it('waits for the database and migrates it; a second start finds nothing pending', async () => {
    const logs: string[] = [];
    await prepare({ vars: { ...dbVars(tdb), WAIT_FOR_DB: 'true', MIGRATE_DB: 'true' }, root: REPO_ROOT, log: (l) => logs.push(l) });
    expect(logs).toEqual(['migrations applied: 20261125000000_initialize_db']);
    expect((await tdb.query("select to_regclass('public.dim_users') as t")).rows[0]!.t).toBe('dim_users');
    logs.length = 0;
    await prepare({ vars: { ...dbVars(tdb), MIGRATE_DB: 'True' }, root: REPO_ROOT, log: (l) => logs.push(l) });
    expect(logs).toEqual(['migrations: the database is up to date']);
  });

  it('knows without Kysely whether anything is pending: a new migration file, or no migration table, means yes', async () => {
    const extra = await mkdtemp(join(tmpdir(), 'ws-pending-'));
    await cp(join(REPO_ROOT, 'db', 'migrations'), join(extra, 'db', 'migrations'), { recursive: true });
    const client = new pg.Client({ ...tdb.conn });
    await client.connect();
    try {
      expect(await nothingPending(client, REPO_ROOT)).toBe(true);
      await writeFile(join(extra, 'db', 'migrations', '20990101000000_later.ts'), 'export async function up() {}\n');
      expect(await nothingPending(client, extra)).toBe(false);
      const empty = await createTestDatabase('ws_entry');
      const other = new pg.Client({ ...empty.conn });
      await other.connect();
      expect(await nothingPending(other, REPO_ROOT)).toBe(false);
      await other.end();
      await empty.drop();
    } finally {
      await client.end();
      await rm(extra, { recursive: true, force: true });
    }
  });

  it('gives up waiting after WAIT_FOR_DB_TIMEOUT with the reason', async () => {
    const started = Date.now();
    const error = await prepare({ vars: { DB_HOST: '127.0.0.1', DB_PORT: '1', DB_USER: 'x', DB_PASS: 'x', DB_DATABASE: 'x', WAIT_FOR_DB: 'true', WAIT_FOR_DB_TIMEOUT: '1' }, root: REPO_ROOT, log: () => {} }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^the database 127\.0\.0\.1:1\/x did not answer within 1 s: .*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does nothing without switches', async () => {
    const logs: string[] = [];
    await prepare({ vars: { DB_HOST: '127.0.0.1', DB_PORT: '1' }, root: REPO_ROOT, log: (l) => logs.push(l) });
    expect(logs).toEqual([]);
  });

  describe('bin/entrypoint.sh (needs the build: npm test builds first)', () => {
    it('runs the start-up work, then execs the command', async () => {
      const r = await execa('sh', [ENTRYPOINT, 'node', '-e', 'console.log("command ran with", process.argv.length)'], {
        env: { ...dbVars(tdb), MIGRATE_DB: 'true', PRINT_ENV_ON_LOAD: 'true', WS_ROOT: REPO_ROOT },
        reject: false,
      });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('[entrypoint] env DB_PASS=****');
      expect(r.stdout).not.toContain(`DB_PASS=${tdb.conn.password}`);
      expect(r.stdout).toContain('[entrypoint] migrations: the database is up to date');
      expect(r.stdout.trim().split('\n').at(-1)).toBe('command ran with 1');
    });

    it('stops with exit 1 and one clear line when a migration fails; the command never runs', async () => {
      const fresh = await createTestDatabase('ws_entry');
      const r = await execa('sh', [ENTRYPOINT, 'node', '-e', 'console.log("command ran")'], { env: { ...dbVars(fresh), MIGRATE_DB: 'true', WS_ROOT: failing }, reject: false }).finally(() => fresh.drop());
      expect(r.exitCode).toBe(1);
      expect(r.stdout).not.toContain('command ran');
      expect(r.stderr).toMatch(/^\[entrypoint\] error: migration failed on 127\.0\.0\.1:5432\/ws_entry_\w+: migration 20260101000000_broken\.ts \(up\) failed: .*no_such_table.*; the container stops$/m);
    });
  });
});
