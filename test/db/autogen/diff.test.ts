/** The pure diff, normalisation and emitter, on hand-built snapshots (no database). */
import { describe, expect, it } from 'vitest';
import { desiredSchema } from '../../../db/autogen/declared.js';
import { diffSchemas, tablesInScope } from '../../../db/autogen/diff.js';
import { emitMigration, emitOperation } from '../../../db/autogen/emit.js';
import { fromCatalog } from '../../../db/autogen/introspect.js';
import { canonicalDefault, canonicalType, identifier, type ColumnSnap, type SchemaSnap, type TableSnap } from '../../../db/autogen/model.js';
import { destructiveReason, inverse, isWidening, type Operation } from '../../../db/autogen/operations.js';
import type { TableDef } from '../../../db/schema/table.js';
import { usersTable } from '../../../db/tables/users.js';

const col = (name: string, type: string, extra: Partial<ColumnSnap> = {}): ColumnSnap => ({ name, type, nullable: true, default: null, identity: null, ...extra });
const table = (name: string, columns: ColumnSnap[], extra: Partial<TableSnap> = {}): TableSnap => ({ name, columns, primaryKey: null, uniques: [], indexes: [], foreignKeys: [], triggers: [], ...extra });
const schema = (tables: TableSnap[], extra: Partial<SchemaSnap> = {}): SchemaSnap => ({ tables: Object.fromEntries(tables.map((t) => [t.name, t])), enums: {}, onUpdateFunction: false, ...extra });
const kinds = (ops: readonly Operation[]) => ops.map((o) => o.kind);
const def = (d: TableDef) => d;

/** dim_users as the hand-written migration leaves it, in pg_get_expr's spelling. */
const liveUsers = table(
  'dim_users',
  [
    col('id_user', 'bigint', { nullable: false, identity: 'by default' }),
    col('email', 'text', { nullable: false }),
    col('is_active', 'boolean', { nullable: false, default: 'true' }),
    col('created_at', 'timestamp with time zone', { nullable: false, default: 'now()' }),
    col('updated_at', 'timestamp with time zone'),
  ],
  { primaryKey: { name: 'dim_users_pkey', columns: ['id_user'] }, triggers: [{ name: 'dim_users_updated_at_on_update', column: 'updated_at' }] },
);

describe('normalisation', () => {
  it('spells types as format_type does', () => {
    expect(canonicalType('timestamptz')).toBe('timestamp with time zone');
    expect(canonicalType('VARCHAR( 255 )')).toBe('character varying(255)');
    expect(canonicalType('numeric(10, 2)')).toBe('numeric(10,2)');
    expect(canonicalType('decimal(8)')).toBe('numeric(8,0)');
    expect(canonicalType('int')).toBe('integer');
    expect(canonicalType('int8')).toBe('bigint');
    expect(canonicalType('text[]')).toBe('text[]');
    expect(canonicalType('order_status')).toBe('order_status');
    expect(canonicalType('"Mood"')).toBe('Mood'); // format_type quotes mixed-case user types
    expect(canonicalType('Mood')).toBe('Mood');
    expect(canonicalType('"Mood"[]')).toBe('Mood[]');
  });
  it('compares defaults without the casts Postgres adds', () => {
    expect(canonicalDefault("'draft'::text", 'text')).toBe("'draft'");
    expect(canonicalDefault("'x'::character varying", 'character varying(20)')).toBe("'x'");
    expect(canonicalDefault("'-1'::integer", 'integer')).toBe('-1');
    expect(canonicalDefault("'draft'::order_status", 'order_status')).toBe("'draft'");
    expect(canonicalDefault('TRUE', 'boolean')).toBe('true');
    expect(canonicalDefault("'{}'::jsonb", 'jsonb')).toBe("'{}'");
    expect(canonicalDefault('null', 'text')).toBeNull();
    // a cast to another type is meaningful and kept
    expect(canonicalDefault("'2024-01-01'::date", 'timestamp with time zone')).toBe("'2024-01-01'::date");
  });
  it('keeps generated names within 63 bytes, distinct', () => {
    const a = identifier(`${'t'.repeat(60)}_a_key`);
    const b = identifier(`${'t'.repeat(60)}_b_key`);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });
  it('decodes trigger arguments and constraint kinds from catalog rows', () => {
    const snap = fromCatalog({
      tables: ['t'],
      columns: [{ table: 't', num: 1, name: 'at', type: 'timestamp with time zone', notnull: false, default: null, identity: '' }],
      constraints: [{ table: 't', name: 't_x_fkey', type: 'f', keys: [1], refTable: 'u', refColumns: ['id'], onDelete: 'n' }],
      indexes: [{ table: 't', name: 'expr_idx', unique: false, keys: [0], simple: false }, { table: 't', name: 'at_idx', unique: true, keys: [1], simple: true }],
      triggers: [{ table: 't', name: 't_at_on_update', args: 'at\\000' }],
      enums: null,
      function: true,
    });
    expect(snap.tables.t?.triggers).toEqual([{ name: 't_at_on_update', column: 'at' }]);
    expect(snap.tables.t?.foreignKeys[0]?.onDelete).toBe('set null');
    expect(snap.tables.t?.foreignKeys[0]?.columns).toEqual(['at']);
    expect(snap.tables.t?.indexes).toEqual([{ name: 'at_idx', columns: ['at'], unique: true }]); // expression indexes are left alone
  });
});

describe('declared tables', () => {
  it('dim_users declared equals dim_users as migrated by hand: no operations', () => {
    const desired = desiredSchema([usersTable]);
    expect(diffSchemas(desired, schema([liveUsers], { onUpdateFunction: true })).operations).toEqual([]);
  });
  it('rejects definitions that cannot be right, naming table and field', () => {
    expect(() => desiredSchema([def({ name: 'kysely_migration', columns: { a: { type: 'text' } } })])).toThrow(/Kysely's migration table/);
    expect(() => desiredSchema([def({ name: 't', columns: { a: { type: 'text' } }, indexes: [{ columns: ['b'] }] })])).toThrow(/table t: an index names column b/);
    expect(() => desiredSchema([def({ name: 't', columns: { a: { type: 'text', onUpdateNow: true } } })])).toThrow(/onUpdateNow column a must be a timestamp/);
    expect(() => desiredSchema([usersTable, usersTable])).toThrow(/declared twice/);
  });
  it('scope: declared, renamed-from and managed tables only', () => {
    const desired = desiredSchema([def({ name: 'b', renamedFrom: 'a', columns: { x: { type: 'text' } } })]);
    expect(tablesInScope(desired, { tables: ['old'], enums: [] })).toEqual(['a', 'b', 'old']);
  });
});

describe('diff', () => {
  const idCol = { type: 'integer', primaryKey: true } as const;
  const t1 = def({ name: 't', columns: { id: idCol, name: { type: 'text' } } });
  const liveT1 = table('t', [col('id', 'integer', { nullable: false }), col('name', 'text')], { primaryKey: { name: 't_pkey', columns: ['id'] } });

  it('creates a new table, its indexes, FKs and triggers, and the shared function once', () => {
    const desired = desiredSchema([
      def({ name: 'p', columns: { id: { type: 'integer', primaryKey: true } } }),
      def({ name: 'c', columns: { p_id: { type: 'integer', index: true, references: { table: 'p', column: 'id', onDelete: 'cascade' } }, at: { type: 'timestamptz', onUpdateNow: true } } }),
    ]);
    expect(kinds(diffSchemas(desired, schema([])).operations)).toEqual(['createFunction', 'createTable', 'createTable', 'createIndex', 'addForeignKey', 'createTrigger']);
  });

  it('leaves undeclared, unmanaged tables alone and drops managed ones no longer declared', () => {
    const live = schema([liveT1, table('foreign_table', [col('a', 'text')])]);
    expect(diffSchemas(desiredSchema([]), live).operations).toEqual([]);
    const ops = diffSchemas(desiredSchema([]), live, { tables: ['t'], enums: [] }).operations;
    expect(kinds(ops)).toEqual(['dropTable']);
    expect(destructiveReason(ops[0]!)).toMatch(/drop table t: every row and its 2 columns \(id, name\)/);
  });

  it('declared column rename: one renameColumn, no drop/add', () => {
    const desired = desiredSchema([def({ ...t1, columns: { id: idCol, title: { type: 'text', renamedFrom: 'name' } } })]);
    expect(diffSchemas(desired, schema([liveT1])).operations).toEqual([{ kind: 'renameColumn', table: 't', from: 'name', to: 'title' }]);
  });

  it('an undeclared rename is a drop and an add (never guessed), and the drop is destructive', () => {
    const desired = desiredSchema([def({ ...t1, columns: { id: idCol, title: { type: 'text' } } })]);
    const ops = diffSchemas(desired, schema([liveT1])).operations;
    expect(kinds(ops)).toEqual(['addColumn', 'dropColumn']);
    expect(ops.map(destructiveReason).filter(Boolean)).toEqual(['drop column t.name (text): its values are lost']);
  });

  it('renaming an onUpdateNow column re-creates its trigger (Postgres does not rewrite trigger arguments)', () => {
    const live = schema([table('t', [col('id', 'integer', { nullable: false }), col('changed', 'timestamp with time zone')], { triggers: [{ name: 't_changed_on_update', column: 'changed' }] })], { onUpdateFunction: true });
    const desired = desiredSchema([def({ name: 't', columns: { id: { type: 'integer', nullable: false }, updated_at: { type: 'timestamptz', onUpdateNow: true, renamedFrom: 'changed' } } })]);
    expect(diffSchemas(desired, live).operations).toEqual([
      { kind: 'renameColumn', table: 't', from: 'changed', to: 'updated_at' },
      { kind: 'dropTrigger', table: 't', trigger: { name: 't_changed_on_update', column: 'changed' } },
      { kind: 'createTrigger', table: 't', trigger: { name: 't_updated_at_on_update', column: 'updated_at' } },
    ]);
  });

  it('mixed-case enum names are quoted in raw SQL', () => {
    expect(emitOperation({ kind: 'addColumn', table: 't', column: col('m', 'Mood') })).toEqual(["await db.schema.alterTable('t').addColumn('m', sql`\"Mood\"`).execute();"]);
  });

  it('a type change to an enum goes through text', () => {
    const [stmt] = emitOperation({ kind: 'alterColumn', table: 't', from: col('s', 'text'), to: col('s', 'mood') });
    expect(stmt).toBe('await sql`alter table t alter column s type mood using s::text::mood`.execute(db);');
    const [back] = emitOperation({ kind: 'alterColumn', table: 't', from: col('s', 'mood'), to: col('s', 'text') });
    expect(back).toBe('await sql`alter table t alter column s type text using s::text`.execute(db);');
  });

  it('declared table rename keeps keys (matched by columns, not by name)', () => {
    const desired = desiredSchema([def({ ...t1, name: 'u', renamedFrom: 't' })]);
    expect(diffSchemas(desired, schema([liveT1])).operations).toEqual([{ kind: 'renameTable', from: 't', to: 'u' }]);
  });

  it('asks the database about rows before adding a NOT NULL column without default', () => {
    const desired = desiredSchema([def({ ...t1, columns: { ...t1.columns, age: { type: 'integer', nullable: false } } })]);
    const { probes } = diffSchemas(desired, schema([liveT1]));
    expect(probes).toEqual([expect.objectContaining({ kind: 'hasRows', table: 't' })]);
    expect(probes[0]!.message).toMatch(/NOT NULL without a default, but t has rows/);
    const withDefault = desiredSchema([def({ ...t1, columns: { ...t1.columns, age: { type: 'integer', nullable: false, default: '0' } } })]);
    expect(diffSchemas(withDefault, schema([liveT1])).probes).toEqual([]);
  });

  it('enum: appended labels are add-only; removed labels are destructive; managed enums are dropped', () => {
    const live = schema([], { enums: { s: ['a', 'b'] } });
    const add = diffSchemas(desiredSchema([], [{ name: 's', values: ['a', 'x', 'b'] }]), live).operations;
    expect(add).toEqual([{ kind: 'alterEnum', name: 's', from: ['a', 'b'], to: ['a', 'x', 'b'], usages: [] }]);
    expect(destructiveReason(add[0]!)).toBeNull();
    const remove = diffSchemas(desiredSchema([], [{ name: 's', values: ['a'] }]), live).operations;
    expect(destructiveReason(remove[0]!)).toMatch(/removes 'b'/);
    expect(diffSchemas(desiredSchema([]), live).operations).toEqual([]); // not managed: left alone
    expect(kinds(diffSchemas(desiredSchema([]), live, { tables: [], enums: ['s'] }).operations)).toEqual(['dropEnum']);
  });

  it('classifies type changes: widening passes, narrowing is destructive', () => {
    expect(isWidening('integer', 'bigint')).toBe(true);
    expect(isWidening('bigint', 'integer')).toBe(false);
    expect(isWidening('character varying(10)', 'character varying(20)')).toBe(true);
    expect(isWidening('character varying(20)', 'character varying(10)')).toBe(false);
    expect(isWidening('character varying(20)', 'text')).toBe(true);
    expect(isWidening('numeric(10,2)', 'numeric(12,2)')).toBe(true);
    expect(isWidening('numeric(10,2)', 'numeric(10,3)')).toBe(false);
    expect(isWidening('integer', 'numeric(12,0)')).toBe(true);
    expect(isWidening('text', 'integer')).toBe(false);
  });

  it('dropping the default of a NOT NULL column is destructive; of a nullable one it is not', () => {
    const op = (nullable: boolean): Operation => ({ kind: 'alterColumn', table: 't', from: col('c', 'integer', { nullable, default: '0' }), to: col('c', 'integer', { nullable }) });
    expect(destructiveReason(op(false))).toMatch(/inserts that rely on it will fail/);
    expect(destructiveReason(op(true))).toBeNull();
  });

  it('every operation inverts to itself twice', () => {
    const desired = desiredSchema([def({ name: 'x', columns: { id: { type: 'uuid', primaryKey: true, default: 'gen_random_uuid()' }, at: { type: 'timestamptz', onUpdateNow: true } }, indexes: [{ columns: ['at'] }] })], [{ name: 'e', values: ['a'] }]);
    for (const op of diffSchemas(desired, schema([])).operations) expect(inverse(inverse(op))).toEqual(op);
  });
});

describe('emitter', () => {
  it('writes up and down; down undoes up in reverse order', () => {
    const ops = diffSchemas(desiredSchema([usersTable]), schema([])).operations;
    const src = emitMigration(ops, { message: 'Initialize DB', managed: { tables: ['dim_users'], enums: [] } });
    expect(src).toContain("export const wsManaged = { tables: ['dim_users'], enums: [] };");
    const up = src.slice(src.indexOf('export async function up'), src.indexOf('export async function down'));
    const down = src.slice(src.indexOf('export async function down'));
    expect(up.indexOf('create or replace function')).toBeLessThan(up.indexOf(".createTable('dim_users')"));
    expect(up.indexOf(".createTable('dim_users')")).toBeLessThan(up.indexOf('create trigger'));
    expect(down.indexOf('drop trigger dim_users_updated_at_on_update on dim_users')).toBeLessThan(down.indexOf("dropTable('dim_users')"));
    expect(down.indexOf("dropTable('dim_users')")).toBeLessThan(down.indexOf('drop function if exists ws_set_now_on_update()'));
  });
  it('quotes identifiers SQL reserves and escapes quotes in strings and templates', () => {
    expect(emitOperation({ kind: 'dropTrigger', table: 'user', trigger: { name: 'user_at_on_update', column: 'at' } })).toEqual(['await sql`drop trigger user_at_on_update on "user"`.execute(db);']);
    expect(emitOperation({ kind: 'createEnum', name: 'mood', values: ["it's", 'ok'] })).toEqual(["await db.schema.createType('mood').asEnum(['it\\'s', 'ok']).execute();"]);
    expect(emitOperation({ kind: 'addColumn', table: 't', column: col('c', 'text', { default: "'a`b'" }) })).toEqual(["await db.schema.alterTable('t').addColumn('c', 'text', (col) => col.defaultTo(sql`'a\\`b'`)).execute();"]);
  });
});
