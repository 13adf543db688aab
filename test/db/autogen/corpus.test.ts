/**
 * The round-trip corpus on a real Postgres: each step edits db/tables, then
 * autogenerate -> migrate -> check is clean -> rollback -> the catalog equals the one before
 * (compared as introspection snapshots, not strings) -> migrate again for the next step.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DestructiveChangeError } from '../../../db/autogen/autogenerate.js';
import type { ColumnDef, EnumDef, TableDef } from '../../../db/schema/table.js';
import { createDb } from '../../../db/session.js';
import { REPO_ROOT } from '../../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { catalog, differences, downOne, revise, tablesSource, up } from './harness.js';
import { makeAutogenWorkspace, type AutogenWorkspace } from './workspace.js';

let tdb: TestDatabase;
let db: Kysely<any>;
let ws: AutogenWorkspace;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDb(tdb.conn);
  ws = makeAutogenWorkspace();
  await up(db, ws.root); // the hand-written first migration: dim_users
  // a table that db/tables does not declare: it must never be touched
  await tdb.query(`create table legacy_audit (id serial primary key, what text not null, user_id bigint references dim_users (id_user))`);
  await tdb.query(`create index legacy_audit_what_idx on legacy_audit (what)`);
});
afterAll(async () => {
  await db?.destroy();
  await tdb?.drop();
  if (!process.env.WS_KEEP_TMP) ws?.remove(); else console.log(ws.root);
});

type Cols = Record<string, ColumnDef>;
const orderStatus = (values: string[]): EnumDef => ({ name: 'order_status', values });

// the evolving declarations; each step derives its own from the previous one's
const base: Cols = {
  id: { type: 'bigint', primaryKey: true, identity: 'by default' },
  user_id: { type: 'bigint', nullable: false, references: { table: 'dim_users', column: 'id_user', onDelete: 'cascade' } },
  total: { type: 'numeric(10,2)', nullable: false, default: '0' },
  note: { type: 'varchar(200)' },
  created_at: { type: 'timestamptz', nullable: false, default: 'now()' },
};

interface Step {
  readonly name: string;
  readonly tables: readonly TableDef[];
  readonly enums?: readonly EnumDef[];
  /** SQL run before autogenerate (data the safety checks look at). */
  readonly setup?: string;
  /** Destructive: refused first (the message must match), then written with allowDestructive. */
  readonly refused?: RegExp;
  /** Operation kinds the migration must contain. */
  readonly kinds: readonly string[];
  /** Assertions on the emitted source. */
  readonly emitted?: (source: string) => void;
}

const orders = (columns: Cols, extra: Partial<TableDef> = {}): TableDef => ({ name: 'orders', columns, indexes: [{ columns: ['user_id'] }], ...extra });
const s1 = base;
const s2: Cols = { ...s1, status: { type: 'order_status', nullable: false, default: "'draft'" } };
const s3: Cols = { ...s2, coupon: { type: 'text' } };
const s4: Cols = { ...s3, priority: { type: 'integer', nullable: false, default: '0' } };
const s5: Cols = { ...s4, note: { type: 'varchar(500)' } };
const s6: Cols = { ...s5, priority: { type: 'bigint', nullable: false, default: '0' } };
const s7: Cols = { ...s6, note: { type: 'varchar(500)', nullable: false, default: "''" } };
const s8: Cols = { ...s7, total: { type: 'numeric(10,2)', nullable: true, default: '0' } };
const s9: Cols = { ...s8, total: { type: 'numeric(10,2)', nullable: true, default: '1.50' } };
const s10: Cols = { ...s9, total: { type: 'numeric(12,2)', nullable: true } };
const s11: Cols = { ...s10, coupon: { type: 'text', unique: true } };
const multi = { uniques: [{ columns: ['user_id', 'note'] }] };
const multiIndex = { ...multi, indexes: [{ columns: ['user_id'] }, { columns: ['user_id', 'created_at'] }] };
const uniqueIndex = { ...multi, indexes: [{ columns: ['user_id'] }, { columns: ['user_id', 'created_at'] }, { name: 'orders_status_note_uidx', columns: ['status', 'note'], unique: true }] };
const dropIndex = { ...multi, indexes: [{ columns: ['user_id', 'created_at'] }, { name: 'orders_status_note_uidx', columns: ['status', 'note'], unique: true }] };
const s16: Cols = { ...s11, user_id: { type: 'bigint', nullable: false, references: { table: 'dim_users', column: 'id_user', onDelete: 'restrict' } } };
const s19: Cols = Object.fromEntries(Object.entries(s16).map(([k, v]) => (k === 'note' ? ['remark', { ...v, renamedFrom: 'note' }] : [k, v])));
const s20: Cols = { ...s19, updated_at: { type: 'timestamptz', onUpdateNow: true } };
const renamedIndexes = { uniques: [{ columns: ['user_id', 'remark'] }], indexes: [{ columns: ['user_id', 'created_at'] }, { name: 'orders_status_note_uidx', columns: ['status', 'remark'], unique: true }] };
const purchases = (columns: Cols): TableDef => ({ ...orders(columns, renamedIndexes), name: 'purchases', renamedFrom: 'orders' });
const items = (extra: Cols = {}): TableDef => ({
  name: 'order_items',
  columns: {
    order_id: { type: 'bigint', nullable: false },
    line: { type: 'integer', nullable: false },
    qty: { type: 'integer', nullable: false, default: '1' },
    meta: { type: 'jsonb', nullable: false, default: "'{}'" },
    ref: { type: 'uuid', nullable: false, default: 'gen_random_uuid()' },
    ship_date: { type: 'date' },
    gift: { type: 'boolean', nullable: false, default: 'false' },
    ...extra,
  },
  primaryKey: ['order_id', 'line'],
  foreignKeys: [{ columns: ['order_id'], references: { table: 'purchases', columns: ['id'] }, onDelete: 'cascade' }],
});
const lines = (target: string): TableDef => ({
  name: 'line_items',
  columns: {
    id: { type: 'integer', primaryKey: true, identity: 'always' },
    purchase_id: { type: 'bigint', nullable: false, references: { table: target, column: 'id', onDelete: 'cascade' } },
    sku: { type: 'varchar(32)', nullable: false },
  },
  uniques: [{ columns: ['purchase_id', 'sku'] }],
});
const s28: Cols = { ...s20, id: { type: 'bigint', primaryKey: true, identity: 'always' } };
const s29: Cols = { ...s28, priority: { type: 'integer', nullable: false, default: '0' } };
const s30: Cols = Object.fromEntries(Object.entries(s29).filter(([k]) => k !== 'coupon'));
const s31: Cols = { ...s30, channel: { type: 'text' } };
const s32: Cols = { ...s30, channel: { type: 'channel_kind' } };

const steps: Step[] = [
  {
    name: 'create a table with identity key, FK on delete cascade, numeric/varchar/default columns and an index',
    tables: [orders(s1)],
    kinds: ['createTable', 'createIndex', 'addForeignKey'],
    emitted: (src) => {
      expect(src).toContain(".addColumn('id', 'bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity().notNull())");
      expect(src).toContain(".addColumn('total', 'numeric(10, 2)', (col) => col.notNull().defaultTo(sql`0`))");
      expect(src).toContain("await db.schema.alterTable('orders').addForeignKeyConstraint('orders_user_id_fkey', ['user_id'], 'dim_users', ['id_user'], (fk) => fk.onDelete('cascade')).execute();");
      expect(src).toContain("await db.schema.createIndex('orders_user_id_idx').on('orders').columns(['user_id']).execute();");
      expect(src).toMatch(/down[\s\S]*dropConstraint\('orders_user_id_fkey'\)[\s\S]*dropIndex\('orders_user_id_idx'\)[\s\S]*dropTable\('orders'\)/);
    },
  },
  {
    name: 'create an enum and add a NOT NULL enum column with a default',
    tables: [orders(s2)],
    enums: [orderStatus(['draft', 'paid'])],
    kinds: ['createEnum', 'addColumn'],
    emitted: (src) => {
      expect(src).toContain("await db.schema.createType('order_status').asEnum(['draft', 'paid']).execute();");
      expect(src).toContain(".addColumn('status', sql`order_status`, (col) => col.notNull().defaultTo(sql`'draft'`))");
    },
  },
  { name: 'add a nullable column', tables: [orders(s3)], enums: [orderStatus(['draft', 'paid'])], kinds: ['addColumn'] },
  {
    name: 'add a NOT NULL column with a default to a table with rows',
    tables: [orders(s4)],
    enums: [orderStatus(['draft', 'paid'])],
    setup: `insert into dim_users (email) values ('ada@example.com'); insert into orders (user_id, note) select id_user, 'first' from dim_users`,
    kinds: ['addColumn'],
  },
  { name: 'widen varchar(200) to varchar(500)', tables: [orders(s5)], enums: [orderStatus(['draft', 'paid'])], kinds: ['alterColumn'] },
  {
    name: 'widen integer to bigint (type change keeps the default)',
    tables: [orders(s6)],
    enums: [orderStatus(['draft', 'paid'])],
    kinds: ['alterColumn'],
    emitted: (src) => expect(src).toContain('await sql`alter table orders alter column priority drop default, alter column priority type bigint using priority::bigint, alter column priority set default 0`.execute(db);'),
  },
  { name: 'set NOT NULL with a default on a column whose rows are filled', tables: [orders(s7)], enums: [orderStatus(['draft', 'paid'])], kinds: ['alterColumn'] },
  {
    name: 'drop NOT NULL',
    tables: [orders(s8)],
    enums: [orderStatus(['draft', 'paid'])],
    kinds: ['alterColumn'],
    emitted: (src) => expect(src).toContain("await db.schema.alterTable('orders').alterColumn('total', (col) => col.dropNotNull()).execute();"),
  },
  { name: 'change a default', tables: [orders(s9)], enums: [orderStatus(['draft', 'paid'])], kinds: ['alterColumn'] },
  { name: 'drop the default of a nullable column and widen numeric(10,2) to numeric(12,2)', tables: [orders(s10)], enums: [orderStatus(['draft', 'paid'])], kinds: ['alterColumn'] },
  { name: 'add a single-column unique constraint', tables: [orders(s11)], enums: [orderStatus(['draft', 'paid'])], kinds: ['addUnique'] },
  { name: 'add a multi-column unique constraint', tables: [orders(s11, multi)], enums: [orderStatus(['draft', 'paid'])], kinds: ['addUnique'] },
  { name: 'add a multi-column index', tables: [orders(s11, multiIndex)], enums: [orderStatus(['draft', 'paid'])], kinds: ['createIndex'] },
  {
    name: 'add a named unique index',
    tables: [orders(s11, uniqueIndex)],
    enums: [orderStatus(['draft', 'paid'])],
    kinds: ['createIndex'],
    emitted: (src) => expect(src).toContain("await db.schema.createIndex('orders_status_note_uidx').unique().on('orders').columns(['status', 'note']).execute();"),
  },
  { name: 'drop an index', tables: [orders(s11, dropIndex)], enums: [orderStatus(['draft', 'paid'])], kinds: ['dropIndex'] },
  { name: 'change a foreign key on-delete action', tables: [orders(s16, dropIndex)], enums: [orderStatus(['draft', 'paid'])], kinds: ['dropForeignKey', 'addForeignKey'] },
  {
    name: 'append an enum value',
    tables: [orders(s16, dropIndex)],
    enums: [orderStatus(['draft', 'paid', 'shipped'])],
    kinds: ['alterEnum'],
    emitted: (src) => {
      expect(src).toContain("await sql`alter type order_status add value 'shipped'`.execute(db);");
      expect(src).toMatch(/down[\s\S]*alter type order_status rename to order_status__ws_old[\s\S]*createType\('order_status'\)\.asEnum\(\['draft', 'paid'\]\)/);
    },
  },
  {
    name: 'insert an enum value in the middle',
    tables: [orders(s16, dropIndex)],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    kinds: ['alterEnum'],
    emitted: (src) => expect(src).toContain("await sql`alter type order_status add value 'pending' before 'paid'`.execute(db);"),
  },
  {
    name: 'declared column rename (indexes and constraints follow)',
    tables: [orders(s19, { ...dropIndex, uniques: [{ columns: ['user_id', 'remark'] }], indexes: [{ columns: ['user_id', 'created_at'] }, { name: 'orders_status_note_uidx', columns: ['status', 'remark'], unique: true }] })],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    kinds: ['renameColumn'],
    emitted: (src) => {
      expect(src).toContain("await db.schema.alterTable('orders').renameColumn('note', 'remark').execute();");
      expect(src).not.toContain('dropColumn');
    },
  },
  {
    name: 'add an onUpdateNow column (trigger on the shared function)',
    tables: [orders(s20, renamedIndexes)],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    kinds: ['addColumn', 'createTrigger'],
    emitted: (src) => expect(src).toContain("await sql`create trigger orders_updated_at_on_update before update on orders for each row execute function ws_set_now_on_update('updated_at')`.execute(db);"),
  },
  {
    name: 'declared table rename (keys, FKs, trigger kept)',
    tables: [purchases(s20)],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    kinds: ['renameTable'],
    emitted: (src) => expect(src).toContain("await db.schema.alterTable('orders').renameTo('purchases').execute();"),
  },
  {
    name: 'create a table with a composite primary key, a FK to the renamed table, jsonb/uuid/date/boolean defaults',
    tables: [purchases(s20), items()],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    kinds: ['createTable', 'addForeignKey'],
    emitted: (src) => expect(src).toContain(".addPrimaryKeyConstraint('order_items_pkey', ['order_id', 'line'])"),
  },
  {
    name: 'add a column while a foreign table references dim_users (it is left alone)',
    tables: [purchases(s20), items({ note: { type: 'text' } })],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    kinds: ['addColumn'],
    emitted: (src) => expect(src).not.toContain('legacy_audit'),
  },
  {
    name: 'change identity by default -> always',
    tables: [purchases(s28), items({ note: { type: 'text' } })],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    kinds: ['alterColumn'],
  },
  {
    name: 'narrow bigint to integer (destructive: refused, then allowed)',
    tables: [purchases(s29), items({ note: { type: 'text' } })],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    refused: /purchases\.priority: type bigint -> integer narrows/,
    kinds: ['alterColumn'],
  },
  {
    name: 'drop a column (destructive: refused, then allowed; down re-adds it)',
    tables: [purchases(s30), items({ note: { type: 'text' } })],
    enums: [orderStatus(['draft', 'pending', 'paid', 'shipped'])],
    refused: /drop column purchases\.coupon \(text\): its values are lost/,
    kinds: ['dropColumn', 'dropUnique'],
    emitted: (src) => expect(src).toContain('// DESTRUCTIVE (written with --allow-destructive): running up() loses\n//   - drop column purchases.coupon (text): its values are lost'),
  },
  {
    name: 'remove an enum value (destructive: the type is recreated)',
    tables: [purchases(s30), items({ note: { type: 'text' } })],
    enums: [orderStatus(['draft', 'paid', 'shipped'])],
    refused: /enum order_status: removes 'pending'/,
    kinds: ['alterEnum'],
  },
  {
    name: 'drop a managed table no longer declared (destructive; down restores keys and FKs)',
    tables: [purchases(s30)],
    enums: [orderStatus(['draft', 'paid', 'shipped'])],
    refused: /drop table order_items: every row and its 8 columns/,
    kinds: ['dropForeignKey', 'dropTable'],
  },
  {
    name: 'create a second enum and a table using it',
    tables: [purchases(s30), { name: 'tags', columns: { id: { type: 'uuid', primaryKey: true, default: 'gen_random_uuid()' }, level: { type: 'priority_level', nullable: false, default: "'low'" }, label: { type: 'varchar(40)', nullable: false, unique: true } } }],
    enums: [orderStatus(['draft', 'paid', 'shipped']), { name: 'priority_level', values: ['low', 'high'] }],
    kinds: ['createEnum', 'createTable'],
  },
  {
    name: 'drop a table and the managed enum it used',
    tables: [purchases(s30)],
    enums: [orderStatus(['draft', 'paid', 'shipped'])],
    refused: /drop table tags/,
    kinds: ['dropTable', 'dropEnum'],
  },
  { name: 'add a text column', tables: [purchases(s31)], enums: [orderStatus(['draft', 'paid', 'shipped'])], kinds: ['addColumn'] },
  {
    name: 'change a text column to a new enum (narrowing: refused, then allowed)',
    tables: [purchases(s32)],
    enums: [orderStatus(['draft', 'paid', 'shipped']), { name: 'channel_kind', values: ['web', 'shop'] }],
    setup: `update purchases set channel = 'web'`,
    refused: /purchases\.channel: type text -> channel_kind narrows/,
    kinds: ['createEnum', 'alterColumn'],
    emitted: (src) => expect(src).toContain('await sql`alter table purchases alter column channel type channel_kind using channel::text::channel_kind`.execute(db);'),
  },
  {
    name: 'create a table with an always-identity key, a FK to purchases and a multi-column unique',
    tables: [purchases(s32), lines('purchases')],
    enums: [orderStatus(['draft', 'paid', 'shipped']), { name: 'channel_kind', values: ['web', 'shop'] }],
    kinds: ['createTable', 'addForeignKey'],
  },
  {
    name: 'rename a table that another declared table references (the FK follows, nothing else changes)',
    tables: [{ ...purchases(s32), name: 'sales', renamedFrom: 'purchases' }, lines('sales')],
    enums: [orderStatus(['draft', 'paid', 'shipped']), { name: 'channel_kind', values: ['web', 'shop'] }],
    setup: `insert into line_items (purchase_id, sku) select id, 'sku-1' from purchases`,
    kinds: ['renameTable'],
    emitted: (src) => {
      expect(src).toContain("await db.schema.alterTable('purchases').renameTo('sales').execute();");
      expect(src).not.toMatch(/ForeignKey|dropConstraint/);
    },
  },
  {
    name: 'stop maintaining a column on update (trigger dropped, the shared function stays)',
    tables: [{ ...purchases(s32), name: 'sales', columns: { ...s32, updated_at: { type: 'timestamptz' } } }, lines('sales')],
    enums: [orderStatus(['draft', 'paid', 'shipped']), { name: 'channel_kind', values: ['web', 'shop'] }],
    kinds: ['dropTrigger'],
    emitted: (src) => {
      expect(src).toContain('await sql`drop trigger sales_updated_at_on_update on sales`.execute(db);');
      expect(src).not.toContain('drop function');
    },
  },
  {
    name: 'a column-level index',
    tables: [{ ...purchases(s32), name: 'sales', columns: { ...s32, updated_at: { type: 'timestamptz' } } }, { ...lines('sales'), columns: { ...lines('sales').columns, sku: { type: 'varchar(32)', nullable: false, index: true } } }],
    enums: [orderStatus(['draft', 'paid', 'shipped']), { name: 'channel_kind', values: ['web', 'shop'] }],
    kinds: ['createIndex'],
    emitted: (src) => expect(src).toContain("await db.schema.createIndex('line_items_sku_idx').on('line_items').columns(['sku']).execute();"),
  },
];

describe('autogenerate corpus: generate, migrate, check clean, roll back to the same catalog', () => {
  it('the starting point (hand-written first migration) is clean', async () => {
    expect(await differences(db, ws.root)).toEqual([]);
  });

  for (const [i, step] of steps.entries()) {
    it(`${i + 1}. ${step.name}`, async () => {
      if (step.setup) await tdb.query(step.setup);
      ws.writeTables(tablesSource(step.tables, step.enums));
      const legacyBefore = (await catalog(db)).tables.legacy_audit;
      const before = await catalog(db);

      if (step.refused) {
        const error = await revise(db, ws.root, `step ${i + 1}`).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DestructiveChangeError);
        expect((error as Error).message).toMatch(step.refused);
        expect(await catalog(db)).toEqual(before);
      }
      const { source, file } = await revise(db, ws.root, `step ${i + 1}`, Boolean(step.refused));
      expect(readFileSync(file, 'utf8')).toBe(source);
      const kinds = await differences(db, ws.root); // what ws db check reports before the migration runs
      for (const k of step.kinds) expect(kinds).toContain(k);
      step.emitted?.(source);

      expect(await up(db, ws.root)).toHaveLength(1);
      expect(await differences(db, ws.root)).toEqual([]); // ws db check is clean
      const after = await catalog(db);
      expect(after).not.toEqual(before);

      expect(await downOne(db, ws.root)).toHaveLength(1);
      expect(await catalog(db)).toEqual(before); // down restores the previous schema

      expect(await up(db, ws.root)).toHaveLength(1);
      expect(await catalog(db)).toEqual(after);
      expect(await differences(db, ws.root)).toEqual([]);
      expect((await catalog(db)).tables.legacy_audit).toEqual(legacyBefore);
    });
  }

  it('every emitted migration type-checks under strict TypeScript (as db/migrations is compiled)', async () => {
    writeFileSync(
      join(ws.root, 'tsconfig.migrations.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noUncheckedIndexedAccess: true, skipLibCheck: true, noEmit: true, types: [] }, include: ['db/migrations/*.ts'] }),
    );
    const tsc = await execa(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.migrations.json'], { cwd: ws.root, reject: false });
    expect(tsc.exitCode, String(tsc.stdout)).toBe(0);
  }, 60_000);

  it('the foreign table and Kysely’s tables were never touched', async () => {
    const snap = await catalog(db);
    expect(snap.tables.legacy_audit?.columns.map((c) => c.name)).toEqual(['id', 'user_id', 'what']);
    expect(snap.tables.legacy_audit?.indexes.map((x) => x.name)).toEqual(['legacy_audit_what_idx']);
    const { rows } = await tdb.query(`select count(*)::int as n from kysely_migration`);
    expect(rows[0]?.n).toBe(1 + steps.length);
  });
});
