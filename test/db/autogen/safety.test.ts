/** What autogenerate refuses because of the data, and the one-query introspection. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsafeChangeError } from '../../../db/autogen/autogenerate.js';
import { introspect } from '../../../db/autogen/introspect.js';
import { fromKysely } from '../../../db/autogen/kysely-query.js';
import type { TableDef } from '../../../db/schema/table.js';
import { createDb } from '../../../db/session.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { differences, revise, tablesSource, up } from './harness.js';
import { makeAutogenWorkspace, type AutogenWorkspace } from './workspace.js';

let tdb: TestDatabase;
let db: Kysely<any>;
let tmp: AutogenWorkspace;
beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDb(tdb.conn);
  tmp = makeAutogenWorkspace();
  await up(db, tmp.root);
});
afterAll(async () => {
  await db?.destroy();
  await tdb?.drop();
  tmp?.remove();
});

const notes = (columns: TableDef['columns']): TableDef => ({ name: 'notes', columns: { id: { type: 'integer', primaryKey: true }, ...columns } });

describe('changes the data cannot take', () => {
  it('a NOT NULL column without default is fine on an empty table, refused once the table has rows', async () => {
    tmp.writeTables(tablesSource([notes({ body: { type: 'text' } })]));
    await revise(db, tmp.root, 'notes');
    await up(db, tmp.root);

    tmp.writeTables(tablesSource([notes({ body: { type: 'text' }, title: { type: 'text', nullable: false } })]));
    expect(await differences(db, tmp.root)).toEqual(['addColumn']); // empty table: allowed
    await tdb.query(`insert into notes (id, body) values (1, null)`);
    const error = await revise(db, tmp.root, 'title').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeChangeError);
    expect((error as Error).message).toContain('add column notes.title: it is NOT NULL without a default, but notes has rows — give it a default');

    tmp.writeTables(tablesSource([notes({ body: { type: 'text' }, title: { type: 'text', nullable: false, default: "'untitled'" } })]));
    await revise(db, tmp.root, 'title with default');
    await up(db, tmp.root);
    const { rows } = await tdb.query(`select title from notes`);
    expect(rows).toEqual([{ title: 'untitled' }]);
  });

  it('setting NOT NULL on a column holding NULLs is refused with the reason; allowed once they are filled', async () => {
    tmp.writeTables(tablesSource([notes({ body: { type: 'text', nullable: false }, title: { type: 'text', nullable: false, default: "'untitled'" } })]));
    const error = await revise(db, tmp.root, 'body required').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeChangeError);
    expect((error as Error).message).toContain('alter column notes.body: set NOT NULL, but some rows hold NULL');
    await tdb.query(`update notes set body = ''`);
    await revise(db, tmp.root, 'body required');
    await up(db, tmp.root);
    expect(await differences(db, tmp.root)).toEqual([]);
  });
});

describe('keys the data would break', () => {
  it('a unique constraint over duplicated values is refused, then written once they are gone', async () => {
    await tdb.query(`insert into notes (id, body) values (2, 'same'), (3, 'same')`);
    tmp.writeTables(tablesSource([notes({ body: { type: 'text', nullable: false, unique: true }, title: { type: 'text', nullable: false, default: "'untitled'" } })]));
    const error = await revise(db, tmp.root, 'unique body').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeChangeError);
    expect((error as Error).message).toContain('add unique notes_body_key on notes (body): some rows share the same values');
    await tdb.query(`update notes set body = 'other' where id = 3`);
    await revise(db, tmp.root, 'unique body');
    await up(db, tmp.root);
  });

  it('a foreign key over rows whose targets do not exist is refused', async () => {
    tmp.writeTables(tablesSource([notes({ body: { type: 'text', nullable: false, unique: true }, title: { type: 'text', nullable: false, default: "'untitled'" }, author: { type: 'bigint' } })]));
    await revise(db, tmp.root, 'author');
    await up(db, tmp.root);
    await tdb.query(`update notes set author = 424242 where id = 2`);
    tmp.writeTables(tablesSource([notes({ body: { type: 'text', nullable: false, unique: true }, title: { type: 'text', nullable: false, default: "'untitled'" }, author: { type: 'bigint', references: { table: 'dim_users', column: 'id_user' } } })]));
    const error = await revise(db, tmp.root, 'author fk').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeChangeError);
    expect((error as Error).message).toContain('add foreign key notes_author_fkey: some notes rows reference dim_users (id_user) values that do not exist');
    await tdb.query(`update notes set author = null`);
    await revise(db, tmp.root, 'author fk');
    await up(db, tmp.root);
    expect(await differences(db, tmp.root)).toEqual([]);
  });
});

describe('introspection', () => {
  it('reads any number of tables in one catalog query', async () => {
    let queries = 0;
    const counted = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: tdb.url, max: 1 }) }),
      log: (event) => {
        if (event.level === 'query') queries++;
      },
    });
    try {
      await introspect(fromKysely(counted), ['dim_users']);
      expect(queries).toBe(1);
      for (let i = 0; i < 25; i++) await tdb.query(`create table many_${i} (id int primary key, v text unique, at timestamptz default now())`);
      queries = 0;
      const snap = await introspect(fromKysely(counted), Array.from({ length: 25 }, (_, i) => `many_${i}`));
      expect(queries).toBe(1);
      expect(Object.keys(snap.tables)).toHaveLength(25);
      expect(snap.tables.many_7?.uniques).toEqual([{ name: 'many_7_v_key', columns: ['v'] }]);
    } finally {
      await counted.destroy();
    }
  });

  it('never reports Kysely’s own tables, even when asked for them', async () => {
    const snap = await introspect(fromKysely(db), ['kysely_migration', 'kysely_migration_lock', 'dim_users']);
    expect(Object.keys(snap.tables)).toEqual(['dim_users']);
    const all = await introspect(fromKysely(db), null);
    expect(Object.keys(all.tables)).not.toContain('kysely_migration');
  });
});
