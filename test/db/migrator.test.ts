import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/session.js';
import { createMigrator, migrateDown, migrateUp, migrationStatus } from '../../db/migrator.js';
import { createUser, getUser } from '../../db/tables/user-queries.js';
import type { DB } from '../../db/tables/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { makeTempWorkspace, type TempWorkspace } from '../helpers/workspace.js';
import { REPO_ROOT } from '../helpers/cli.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

async function columns() {
  const { rows } = await tdb.query<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string; identity_generation: string | null }>(
    `select column_name, data_type, is_nullable, column_default, is_identity, identity_generation
       from information_schema.columns where table_schema = 'public' and table_name = 'dim_users' order by ordinal_position`,
  );
  return rows;
}

describe('the first migration creates dim_users as the seed specifies', () => {
  afterEach(async () => {
    const db = createDb(tdb.conn);
    await migrateDown(createMigrator(db, REPO_ROOT), 'all');
    await db.destroy();
  });

  it('columns, types, nullability, defaults, identity primary key', async () => {
    const db = createDb(tdb.conn);
    expect(await migrateUp(createMigrator(db, REPO_ROOT))).toEqual(['20261125000000_initialize_db']);
    await db.destroy();
    expect(await columns()).toEqual([
      { column_name: 'id_user', data_type: 'bigint', is_nullable: 'NO', column_default: null, is_identity: 'YES', identity_generation: 'BY DEFAULT' },
      { column_name: 'email', data_type: 'text', is_nullable: 'NO', column_default: null, is_identity: 'NO', identity_generation: null },
      { column_name: 'is_active', data_type: 'boolean', is_nullable: 'NO', column_default: 'true', is_identity: 'NO', identity_generation: null },
      { column_name: 'created_at', data_type: 'timestamp with time zone', is_nullable: 'NO', column_default: 'now()', is_identity: 'NO', identity_generation: null },
      { column_name: 'updated_at', data_type: 'timestamp with time zone', is_nullable: 'YES', column_default: null, is_identity: 'NO', identity_generation: null },
    ]);
    const { rows } = await tdb.query(`select indexdef from pg_indexes where tablename = 'dim_users'`);
    expect(rows.map((r) => r.indexdef)).toEqual(['CREATE UNIQUE INDEX dim_users_pkey ON public.dim_users USING btree (id_user)']);
  });

  it('createUser/getUser; updated_at is set by the trigger on every update, whatever the client', async () => {
    const db = createDb<DB>(tdb.conn);
    await migrateUp(createMigrator(db, REPO_ROOT));
    const created = await createUser(db, 'ada@example.com');
    expect(created).toMatchObject({ email: 'ada@example.com', is_active: true, updated_at: null });
    expect(Number(created.id_user)).toBeGreaterThan(0);
    expect(created.created_at).toBeInstanceOf(Date);
    expect(await getUser(db, 'nobody@example.com')).toBeUndefined();
    await db.destroy();
    await tdb.query(`update dim_users set is_active = false where email = 'ada@example.com'`); // a plain SQL client
    const { rows } = await tdb.query(`select updated_at, created_at, updated_at >= created_at as after from dim_users`);
    expect(rows[0]!.updated_at).toBeInstanceOf(Date);
    expect(rows[0]!.after).toBe(true);
  });

  it('a second run changes nothing; rollback --all removes the table and the trigger function', async () => {
    const db = createDb(tdb.conn);
    const migrator = createMigrator(db, REPO_ROOT);
    await migrateUp(migrator);
    expect(await migrateUp(migrator)).toEqual([]);
    expect((await migrationStatus(migrator)).pending).toEqual([]);
    expect(await migrateDown(migrator, 'all')).toEqual(['20261125000000_initialize_db']);
    expect(await migrateDown(migrator, 'all')).toEqual([]);
    await db.destroy();
    const { rows } = await tdb.query(`select to_regclass('public.dim_users') as t, (select count(*) from pg_proc where proname = 'ws_set_now_on_update')::int as f`);
    expect(rows[0]!).toEqual({ t: null, f: 0 });
  });
});

describe('runs are atomic and name the failing file', () => {
  let tmp: TempWorkspace;
  beforeAll(() => {
    tmp = makeTempWorkspace();
    tmp.write('db/migrations/20261125000100_add_name.ts', `import type { Kysely } from 'kysely';
export async function up(db: Kysely<any>) { await db.schema.alterTable('dim_users').addColumn('name', 'text').execute(); }
export async function down(db: Kysely<any>) { await db.schema.alterTable('dim_users').dropColumn('name').execute(); }
`);
    tmp.write('db/migrations/20261125000200_broken.ts', `import { sql, type Kysely } from 'kysely';
export async function up(db: Kysely<any>) { await sql\`alter table no_such_table add column x int\`.execute(db); }
export async function down() {}
`);
  });
  afterAll(() => tmp.remove());

  it('a failing third migration leaves none of the three applied', async () => {
    const db = createDb(tdb.conn);
    const migrator = createMigrator(db, tmp.root);
    await expect(migrateUp(migrator)).rejects.toThrow(/migration 20261125000200_broken\.ts \(up\) failed: .*no_such_table.*nothing was applied/);
    const status = await migrationStatus(migrator);
    await db.destroy();
    expect(status.applied).toEqual([]);
    expect(status.pending).toHaveLength(3);
    const { rows } = await tdb.query(`select to_regclass('public.dim_users') as t`);
    expect(rows[0]!.t).toBeNull();
  });

  it('--to migrates up to a named migration, rollback --steps undoes the newest first', async () => {
    const db = createDb(tdb.conn);
    const migrator = createMigrator(db, tmp.root);
    expect(await migrateUp(migrator, '20261125000100')).toEqual(['20261125000000_initialize_db', '20261125000100_add_name']);
    await expect(migrateUp(migrator, 'nope')).rejects.toThrow(/--to nope: no such migration/);
    expect(await migrateDown(migrator, { steps: 1 })).toEqual(['20261125000100_add_name']);
    expect((await migrationStatus(migrator)).applied.map((m) => m.name)).toEqual(['20261125000000_initialize_db']);
    expect(await migrateDown(migrator, { steps: 5 })).toEqual(['20261125000000_initialize_db']);
    await db.destroy();
  });
});
