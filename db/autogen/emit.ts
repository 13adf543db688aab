/**
 * Operations -> a readable Kysely migration: schema-builder calls where Kysely has them, short raw SQL
 * where it does not (types with USING, identity, enum values, triggers). `down` runs the inverse of
 * every operation in reverse order, so it restores the schema the migration started from.
 */
import { canonicalDefault, ddlType, isBuiltinType } from './model.js';
import { describe, inverse, isAddOnly, type Operation } from './operations.js';
import type { Managed } from './diff.js';
import { ON_UPDATE_NOW_FUNCTION } from '../schema/table.js';

const KYSELY_SIMPLE = new Set(['varchar', 'char', 'text', 'integer', 'smallint', 'bigint', 'boolean', 'real', 'double precision', 'numeric', 'bytea', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'uuid', 'json', 'jsonb']);
const KYSELY_PATTERNS = [/^varchar\(\d+\)$/, /^char\(\d+\)$/, /^numeric\(\d+, \d+\)$/, /^timestamptz\(\d+\)$/];

/** A TypeScript single-quoted string literal. */
export function tsString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Text safe inside a template literal. */
function tpl(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

const RESERVED = new Set(['all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'both', 'case', 'cast', 'check', 'collate', 'column', 'constraint', 'create', 'current_date', 'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in', 'initially', 'intersect', 'into', 'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not', 'null', 'offset', 'on', 'only', 'or', 'order', 'placing', 'primary', 'references', 'returning', 'select', 'session_user', 'some', 'symmetric', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'variadic', 'when', 'where', 'window', 'with']);

/** An SQL identifier, quoted only when it has to be. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The type argument of addColumn: a Kysely data type string, or sql`...` for the others (enums, arrays). */
function dataType(canonical: string): string {
  const ddl = ddlType(canonical);
  return KYSELY_SIMPLE.has(ddl) || KYSELY_PATTERNS.some((p) => p.test(ddl)) ? tsString(ddl) : `sql\`${tpl(ddlTypeSql(canonical))}\``;
}

function ddlTypeSql(canonical: string): string {
  const ddl = ddlType(canonical);
  if (ddl.endsWith('[]')) return `${ddlTypeSql(ddl.slice(0, -2))}[]`;
  return isBuiltinType(canonical.replace(/\[\]$/, '')) ? ddl : ident(ddl);
}

const list = (xs: readonly string[]) => `[${xs.map(tsString).join(', ')}]`;
const run = (text: string) => `await sql\`${tpl(text)}\`.execute(db);`;

function columnBuilder(c: { nullable: boolean; default: string | null; identity: 'always' | 'by default' | null }, inlinePrimaryKey: boolean): string {
  const parts = [
    inlinePrimaryKey ? 'primaryKey()' : null,
    c.identity === 'always' ? 'generatedAlwaysAsIdentity()' : c.identity === 'by default' ? 'generatedByDefaultAsIdentity()' : null,
    c.nullable ? null : 'notNull()',
    c.default !== null ? `defaultTo(sql\`${tpl(c.default)}\`)` : null,
  ].filter(Boolean);
  return parts.length ? `, (col) => col.${parts.join('.')}` : '';
}

// the same function as the hand-written first migration's (the emitted statement is indented by 2 more)
const FUNCTION_SQL = `
  create or replace function ${ON_UPDATE_NOW_FUNCTION}() returns trigger language plpgsql as $$
  begin
    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
    return NEW;
  end
  $$`;

/** The statements of one operation (TypeScript, one string per statement). */
export function emitOperation(op: Operation): string[] {
  switch (op.kind) {
    case 'createFunction':
      return [`await sql\`${FUNCTION_SQL}\`.execute(db);`];
    case 'dropFunction':
      return [run(`drop function if exists ${ON_UPDATE_NOW_FUNCTION}()`)];
    case 'createEnum':
      return [`await db.schema.createType(${tsString(op.name)}).asEnum(${list(op.values)}).execute();`];
    case 'dropEnum':
      return [`await db.schema.dropType(${tsString(op.name)}).execute();`];
    case 'alterEnum':
      return isAddOnly(op.from, op.to) ? addEnumValues(op.name, op.from, op.to) : recreateEnum(op);
    case 'renameTable':
      return [`await db.schema.alterTable(${tsString(op.from)}).renameTo(${tsString(op.to)}).execute();`];
    case 'renameColumn':
      return [`await db.schema.alterTable(${tsString(op.table)}).renameColumn(${tsString(op.from)}, ${tsString(op.to)}).execute();`];
    case 'createTable': {
      const t = op.table;
      const pk = t.primaryKey;
      const inlinePk = pk !== null && pk.columns.length === 1 && pk.name === `${t.name}_pkey`;
      const lines = [`await db.schema`, `  .createTable(${tsString(t.name)})`];
      for (const c of t.columns) lines.push(`  .addColumn(${tsString(c.name)}, ${dataType(c.type)}${columnBuilder(c, inlinePk && pk.columns[0] === c.name)})`);
      if (pk && !inlinePk) lines.push(`  .addPrimaryKeyConstraint(${tsString(pk.name)}, ${list(pk.columns)})`);
      for (const u of t.uniques) lines.push(`  .addUniqueConstraint(${tsString(u.name)}, ${list(u.columns)})`);
      lines.push('  .execute();');
      return [lines.join('\n')];
    }
    case 'dropTable':
      return [`await db.schema.dropTable(${tsString(op.table.name)}).execute();`];
    case 'addColumn':
      return [`await db.schema.alterTable(${tsString(op.table)}).addColumn(${tsString(op.column.name)}, ${dataType(op.column.type)}${columnBuilder(op.column, false)}).execute();`];
    case 'dropColumn':
      return [`await db.schema.alterTable(${tsString(op.table)}).dropColumn(${tsString(op.column.name)}).execute();`];
    case 'alterColumn':
      return alterColumn(op);
    case 'addPrimaryKey':
      return [`await db.schema.alterTable(${tsString(op.table)}).addPrimaryKeyConstraint(${tsString(op.key.name)}, ${list(op.key.columns)}).execute();`];
    case 'addUnique':
      return [`await db.schema.alterTable(${tsString(op.table)}).addUniqueConstraint(${tsString(op.key.name)}, ${list(op.key.columns)}).execute();`];
    case 'dropPrimaryKey':
    case 'dropUnique':
      return [`await db.schema.alterTable(${tsString(op.table)}).dropConstraint(${tsString(op.key.name)}).execute();`];
    case 'createIndex':
      return [`await db.schema.createIndex(${tsString(op.index.name)})${op.index.unique ? '.unique()' : ''}.on(${tsString(op.table)}).columns(${list(op.index.columns)}).execute();`];
    case 'dropIndex':
      return [`await db.schema.dropIndex(${tsString(op.index.name)}).execute();`];
    case 'addForeignKey': {
      const f = op.fk;
      const action = f.onDelete === 'no action' ? '' : `, (fk) => fk.onDelete(${tsString(f.onDelete)})`;
      return [`await db.schema.alterTable(${tsString(op.table)}).addForeignKeyConstraint(${tsString(f.name)}, ${list(f.columns)}, ${tsString(f.refTable)}, ${list(f.refColumns)}${action}).execute();`];
    }
    case 'dropForeignKey':
      return [`await db.schema.alterTable(${tsString(op.table)}).dropConstraint(${tsString(op.fk.name)}).execute();`];
    case 'createTrigger':
      return [run(`create trigger ${ident(op.trigger.name)} before update on ${ident(op.table)} for each row execute function ${ON_UPDATE_NOW_FUNCTION}(${sqlString(op.trigger.column)})`)];
    case 'dropTrigger':
      return [run(`drop trigger ${ident(op.trigger.name)} on ${ident(op.table)}`)];
  }
}

function addEnumValues(name: string, from: readonly string[], to: readonly string[]): string[] {
  const out: string[] = [];
  to.forEach((v, i) => {
    if (from.includes(v)) return;
    const next = to.slice(i + 1).find((n) => from.includes(n));
    out.push(run(`alter type ${ident(name)} add value ${sqlString(v)}${next !== undefined ? ` before ${sqlString(next)}` : ''}`));
  });
  return out;
}

/** Labels cannot be removed or reordered in place: rename the type away, create it anew, move the columns over. */
function recreateEnum(op: Extract<Operation, { kind: 'alterEnum' }>): string[] {
  const old = `${op.name}__ws_old`;
  const out = [run(`alter type ${ident(op.name)} rename to ${ident(old)}`), `await db.schema.createType(${tsString(op.name)}).asEnum(${list(op.to)}).execute();`];
  for (const u of op.usages) {
    const actions = [
      u.default !== null ? `alter column ${ident(u.column)} drop default` : null,
      `alter column ${ident(u.column)} type ${ident(op.name)} using ${ident(u.column)}::text::${ident(op.name)}`,
      u.default !== null ? `alter column ${ident(u.column)} set default ${u.default.replace(new RegExp(`::${old}$`), '')}` : null,
    ].filter(Boolean);
    out.push(run(`alter table ${ident(u.table)} ${actions.join(', ')}`));
  }
  out.push(run(`drop type ${ident(old)}`));
  return out;
}

function alterColumn(op: Extract<Operation, { kind: 'alterColumn' }>): string[] {
  const { from, to, table } = op;
  const c = to.name;
  const typeChanged = from.type !== to.type;
  const defaultChanged = canonicalDefault(from.default, from.type) !== canonicalDefault(to.default, to.type) || (typeChanged && to.default !== null);
  const identityChanged = from.identity !== to.identity;
  if (!typeChanged && !identityChanged) {
    const actions = [
      from.nullable !== to.nullable ? (to.nullable ? 'dropNotNull()' : 'setNotNull()') : null,
      defaultChanged ? (to.default === null ? 'dropDefault()' : `setDefault(sql\`${tpl(to.default)}\`)`) : null,
    ].filter(Boolean);
    const chain = actions.map((a) => `.alterColumn(${tsString(c)}, (col) => col.${a})`).join('');
    return [`await db.schema.alterTable(${tsString(table)})${chain}.execute();`];
  }
  const col = `alter column ${ident(c)}`;
  const actions = [
    from.identity && to.identity === null ? `${col} drop identity` : null,
    from.identity && to.identity && identityChanged ? `${col} set generated ${to.identity === 'always' ? 'always' : 'by default'}` : null,
    from.default !== null && (defaultChanged || typeChanged) ? `${col} drop default` : null,
    typeChanged ? `${col} type ${ddlTypeSql(to.type)} using ${ident(c)}${isBuiltinType(to.type) ? '' : '::text'}::${ddlTypeSql(to.type)}` : null,
    from.nullable !== to.nullable ? `${col} ${to.nullable ? 'drop' : 'set'} not null` : null,
    to.default !== null && (defaultChanged || typeChanged) ? `${col} set default ${to.default}` : null,
    !from.identity && to.identity ? `${col} add generated ${to.identity === 'always' ? 'always' : 'by default'} as identity` : null,
  ].filter(Boolean);
  return [run(`alter table ${ident(table)} ${actions.join(', ')}`)];
}

export interface EmitOptions {
  readonly message: string;
  /** Written as `wsManaged`: the tables and enums later diffs consider theirs (see diff.ts). */
  readonly managed: Managed;
  /** What the migration loses (allowed with --allow-destructive), repeated in its header for the reviewer. */
  readonly destructive?: readonly string[];
}

/** The whole migration file. */
export function emitMigration(operations: readonly Operation[], options: EmitOptions): string {
  const indent = (s: string) => s.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
  const up = operations.flatMap(emitOperation);
  const down = [...operations].reverse().map(inverse).flatMap(emitOperation);
  const body = [...up, ...down].join('\n');
  const usesSql = /\bsql`/.test(body);
  const summary = operations.map((op) => `//   ${describe(op)}`).join('\n');
  const warning = options.destructive?.length
    ? `\n// DESTRUCTIVE (written with --allow-destructive): running up() loses\n${options.destructive.map((d) => `//   - ${d}`).join('\n')}`
    : '';
  return `import { ${usesSql ? 'sql, ' : ''}type Kysely } from 'kysely';

// ${options.message.replace(/\n/g, ' ')}
// Generated by \`ws db revision --autogenerate\` from db/tables; review it before you migrate.
${summary}${warning}

/** What db/tables declared when this migration was written: later diffs may drop these when they are no longer declared. */
export const wsManaged = { tables: ${list(options.managed.tables)}, enums: ${list(options.managed.enums)} };

export async function up(db: Kysely<any>): Promise<void> {
${up.map(indent).join('\n')}
}

export async function down(db: Kysely<any>): Promise<void> {
${down.map(indent).join('\n')}
}
`;
}
