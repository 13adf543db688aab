/**
 * `ws db revision --autogenerate`, `ws db check` and `ws db codegen` run as processes against a temp
 * copy of the workspace (WS_ROOT) and a fresh database (DATABASE_URL): the repo's db/migrations is never written.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, migrateUp } from '../../../db/migrator.js';
import { createDb } from '../../../db/session.js';
import { REPO_ROOT, ws } from '../../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { catalog, tablesSource } from './harness.js';
import { makeAutogenWorkspace, type AutogenWorkspace } from './workspace.js';

const out = (r: { stdout?: unknown; stderr?: unknown }) => ({ stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') });
const migrations = (root: string) => readdirSync(join(root, 'db', 'migrations')).sort();

describe('ws db revision --autogenerate -m "Initialize DB" on an empty database', () => {
  let empty: TestDatabase;
  let byHand: TestDatabase;
  let tmp: AutogenWorkspace;
  beforeAll(async () => {
    [empty, byHand] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    tmp = makeAutogenWorkspace({ migrations: false });
  });
  afterAll(async () => {
    await Promise.all([empty?.drop(), byHand?.drop()]);
    tmp?.remove();
  });
  const run = (args: string[]) => ws(args, { env: { WS_ROOT: tmp.root, DATABASE_URL: empty.url } });

  it('writes a migration that creates dim_users exactly as the hand-written one does', async () => {
    const r = await run(['db', 'revision', '--autogenerate', '-m', 'Initialize DB']);
    expect(r.exitCode, out(r).stderr).toBe(0);
    expect(out(r).stdout).toContain('create table dim_users (id_user, email, is_active, created_at, updated_at)');
    expect(out(r).stdout).toContain('create trigger dim_users_updated_at_on_update');
    const files = migrations(tmp.root);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{14}_initialize_db\.ts$/);
    expect(out(r).stdout).toContain(files[0]);
    const source = readFileSync(join(tmp.root, 'db', 'migrations', files[0]!), 'utf8');
    expect(source).toContain(".addColumn('id_user', 'bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity().notNull())");

    const migrate = await run(['db', 'migrate']);
    expect(migrate.exitCode, out(migrate).stderr).toBe(0);

    const hand = createDb(byHand.conn);
    const auto = createDb(empty.conn);
    try {
      expect(await migrateUp(createMigrator(hand, REPO_ROOT))).toEqual(['20261125000000_initialize_db']);
      const [a, b] = [await catalog(auto), await catalog(hand)];
      expect(Object.keys(a.tables)).toEqual(['dim_users']);
      expect(a).toEqual(b);
    } finally {
      await Promise.all([hand.destroy(), auto.destroy()]);
    }
  });

  it('then: check is clean and a second autogenerate says "no changes" and writes nothing', async () => {
    const check = await run(['db', 'check']);
    expect(check.exitCode, out(check).stderr).toBe(0);
    expect(out(check).stdout).toContain('the database matches db/tables');
    const before = migrations(tmp.root);
    const again = await run(['db', 'revision', '--autogenerate', '-m', 'nothing']);
    expect(again.exitCode).toBe(0);
    expect(out(again).stdout).toContain('no changes');
    expect(migrations(tmp.root)).toEqual(before);
  });

  it('check exits 1 with the differences (text and --json) when db/tables changes', async () => {
    tmp.writeTables(tablesSource([{ name: 'notes', columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text', nullable: false } } }]));
    const check = await run(['db', 'check']);
    expect(check.exitCode).toBe(1);
    expect(out(check).stdout).toContain('create table notes (id, body)');
    const json = await run(['db', 'check', '--json']);
    expect(json.exitCode).toBe(1);
    const parsed = JSON.parse(out(json).stdout) as { clean: boolean; pending: string[]; differences: { kind: string; destructive: boolean }[] };
    expect(parsed).toMatchObject({ clean: false, pending: [], differences: [{ kind: 'createTable', destructive: false }] });
  });

  it('refuses destructive changes with the list of what would be lost, writes with --allow-destructive', async () => {
    const users = `{ name: 'dim_users', columns: { id_user: { type: 'bigint', primaryKey: true, identity: 'by default' }, email: { type: 'varchar(100)', nullable: false }, created_at: { type: 'timestamptz', nullable: false, default: 'now()' }, updated_at: { type: 'timestamptz', onUpdateNow: true } } }`;
    writeFileSync(join(tmp.root, 'db', 'tables', 'index.ts'), `export const tables = [${users}];\n`);
    const before = migrations(tmp.root);
    const check = await run(['db', 'check']);
    expect(check.exitCode).toBe(1);
    expect(out(check).stdout).toContain('  drop column dim_users.is_active  (destructive)');
    const refused = await run(['db', 'revision', '--autogenerate', '-m', 'slim users']);
    expect(refused.exitCode).toBe(1);
    expect(out(refused).stderr).toContain('drop column dim_users.is_active (boolean): its values are lost');
    expect(out(refused).stderr).toContain('dim_users.email: type text -> character varying(100) narrows');
    expect(out(refused).stderr).toContain('--allow-destructive');
    expect(migrations(tmp.root)).toEqual(before);
    const allowed = await run(['db', 'revision', '--autogenerate', '-m', 'slim users', '--allow-destructive']);
    expect(allowed.exitCode, out(allowed).stderr).toBe(0);
    expect(migrations(tmp.root)).toHaveLength(before.length + 1);
  });

  it('refuses to autogenerate while migrations are pending', async () => {
    const r = await run(['db', 'revision', '--autogenerate', '-m', 'more']);
    expect(r.exitCode).toBe(1);
    expect(out(r).stderr).toMatch(/not up to date \(1 pending: \d{14}_slim_users\): run ws db migrate first/);
  });
});

describe('usage and connection errors', () => {
  it('--allow-destructive without --autogenerate is a usage error (exit 2)', async () => {
    const r = await ws(['db', 'revision', '-m', 'x', '--allow-destructive'], { env: { WS_ROOT: REPO_ROOT } });
    expect(r.exitCode).toBe(2);
    expect(out(r).stderr).toContain('--allow-destructive only applies with --autogenerate');
  });
  it('an unreachable database: one line naming host:port, exit 1, no stack, no password', async () => {
    const r = await ws(['db', 'check'], { env: { DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:1/nowhere' } });
    expect(r.exitCode).toBe(1);
    expect(out(r).stderr).toContain('cannot connect to the database at 127.0.0.1:1: connection refused');
    expect(out(r).stderr).not.toContain('s3cret');
    expect(out(r).stderr).not.toMatch(/\n\s+at /);
  });
});

describe('ws db codegen', () => {
  let tdb: TestDatabase;
  let tmp: AutogenWorkspace;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    tmp = makeAutogenWorkspace();
  });
  afterAll(async () => {
    await tdb?.drop();
    tmp?.remove();
  });
  const run = (args: string[]) => ws(args, { env: { WS_ROOT: tmp.root, DATABASE_URL: tdb.url } });

  it("the repo's db/types.ts is current for the migrated database; --verify fails once the schema moves, codegen fixes it", async () => {
    expect((await run(['db', 'migrate'])).exitCode).toBe(0);
    const verify = await run(['db', 'codegen', '--verify']);
    expect(verify.exitCode, out(verify).stdout + out(verify).stderr).toBe(0);
    expect(out(verify).stdout).toContain('db/types.ts is current');

    tmp.writeTables(tablesSource([{ name: 'notes', columns: { id: { type: 'integer', primaryKey: true }, body: { type: 'text', nullable: false } } }]));
    expect((await run(['db', 'revision', '--autogenerate', '-m', 'notes'])).exitCode).toBe(0);
    expect((await run(['db', 'migrate'])).exitCode).toBe(0);
    const stale = await run(['db', 'codegen', '--verify']);
    expect(stale.exitCode).toBe(1);
    expect(out(stale).stdout).toContain('db/types.ts is out of date');

    const write = await run(['db', 'codegen']);
    expect(write.exitCode, out(write).stderr).toBe(0);
    const types = readFileSync(join(tmp.root, 'db', 'types.ts'), 'utf8');
    expect(types).toContain('export interface Notes {\n  body: string;\n  id: number;\n}');
    expect(types).toContain('  notes: Notes;');
    expect(types).not.toContain('kysely_migration');
    expect(types).toContain('updated_at: ColumnType<Date | null, never, never>;');
    expect((await run(['db', 'codegen', '--verify'])).exitCode).toBe(0);
    expect(existsSync(join(REPO_ROOT, 'db', 'migrations', migrations(tmp.root).at(-1)!))).toBe(false);
  });
});
