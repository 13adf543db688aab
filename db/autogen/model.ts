/**
 * The schema snapshot both sides of the diff are reduced to: what db/tables declares (desired) and
 * what the catalog holds (live). Types and defaults are canonical (Postgres' format_type spelling,
 * redundant casts removed) so that equal schemas give equal snapshots.
 */
import { createHash } from 'node:crypto';
import type { ReferentialAction } from '../schema/table.js';

export interface ColumnSnap {
  readonly name: string;
  /** Canonical type: format_type's spelling ('timestamp with time zone', 'character varying(255)'). */
  readonly type: string;
  readonly nullable: boolean;
  /** The default expression as written (declared) or as pg_get_expr prints it (live); null when none. */
  readonly default: string | null;
  readonly identity: 'always' | 'by default' | null;
  /** Desired side only: the declared previous name. */
  readonly renamedFrom?: string;
}

export interface KeySnap {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface IndexSnap extends KeySnap {
  readonly unique: boolean;
  /** Desired side only: the name was given explicitly, so a differently named live index does not match. */
  readonly explicitName?: boolean;
}

export interface ForeignKeySnap extends KeySnap {
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
}

/** An onUpdateNow trigger: `name` runs ws_set_now_on_update(column). */
export interface TriggerSnap {
  readonly name: string;
  readonly column: string;
}

export interface TableSnap {
  readonly name: string;
  /** In declaration (desired) or attnum (live) order. */
  readonly columns: readonly ColumnSnap[];
  readonly primaryKey: KeySnap | null;
  readonly uniques: readonly KeySnap[];
  readonly indexes: readonly IndexSnap[];
  readonly foreignKeys: readonly ForeignKeySnap[];
  readonly triggers: readonly TriggerSnap[];
  /** Desired side only: the declared previous name. */
  readonly renamedFrom?: string;
}

export interface SchemaSnap {
  readonly tables: Readonly<Record<string, TableSnap>>;
  /** Enum name -> labels in sort order. */
  readonly enums: Readonly<Record<string, readonly string[]>>;
  /** Whether the function ws_set_now_on_update exists. */
  readonly onUpdateFunction: boolean;
}

/** Kysely's own tables: never declared, never touched. */
export const RESERVED_TABLES: readonly string[] = ['kysely_migration', 'kysely_migration_lock'];

const MAX_IDENT = 63;

/** Postgres truncates identifiers at 63 bytes; keep long generated names unique with a short hash. */
export function identifier(name: string): string {
  if (Buffer.byteLength(name) <= MAX_IDENT) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENT - 9)}_${hash}`;
}

export const names = {
  primaryKey: (table: string) => identifier(`${table}_pkey`),
  unique: (table: string, columns: readonly string[]) => identifier(`${table}_${columns.join('_')}_key`),
  foreignKey: (table: string, columns: readonly string[]) => identifier(`${table}_${columns.join('_')}_fkey`),
  index: (table: string, columns: readonly string[]) => identifier(`${table}_${columns.join('_')}_idx`),
  trigger: (table: string, column: string) => identifier(`${table}_${column}_on_update`),
};

const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int8: 'bigint',
  bigint: 'bigint',
  int2: 'smallint',
  smallint: 'smallint',
  bool: 'boolean',
  boolean: 'boolean',
  text: 'text',
  varchar: 'character varying',
  'character varying': 'character varying',
  char: 'character(1)',
  character: 'character(1)',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  decimal: 'numeric',
  numeric: 'numeric',
  real: 'real',
  float4: 'real',
  'double precision': 'double precision',
  float8: 'double precision',
  float: 'double precision',
};

/** Canonical spelling of a type, as format_type() prints it. Unknown names (enums, extensions) pass through. */
export function canonicalType(type: string): string {
  const raw = type.trim();
  if (raw.endsWith('[]')) return `${canonicalType(raw.slice(0, -2))}[]`;
  const quoted = /^"(.*)"$/.exec(raw);
  if (quoted) return quoted[1]!.replace(/""/g, '"'); // a user-defined type, case kept
  let t = raw.toLowerCase().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')');
  const simple = SIMPLE_TYPES[t];
  if (simple) return simple;
  let m = /^(varchar|character varying)\((\d+)\)$/.exec(t);
  if (m) return `character varying(${m[2]})`;
  m = /^(char|character)\((\d+)\)$/.exec(t);
  if (m) return `character(${m[2]})`;
  m = /^(numeric|decimal)\((\d+)(?:,(\d+))?\)$/.exec(t);
  if (m) return `numeric(${m[2]},${m[3] ?? '0'})`;
  m = /^(timestamptz|timestamp with time zone|timestamp)\((\d+)\)( with time zone| without time zone)?$/.exec(t);
  if (m) return `timestamp(${m[2]}) ${m[1] === 'timestamptz' || m[3] === ' with time zone' ? 'with' : 'without'} time zone`;
  // anything else is an enum or another user-defined type: its name, case kept (as format_type prints it unquoted or quoted)
  return isBuiltinType(t) ? t : raw;
}

const BUILTIN_BASES = new Set([...Object.values(SIMPLE_TYPES), 'character', 'date', 'jsonb', 'json', 'uuid', 'bytea', 'inet', 'cidr', 'interval', 'money', 'xml', 'tsvector', 'oid']);

/** Whether a canonical type is one of Postgres' own (not an enum or other user-defined type). */
export function isBuiltinType(canonical: string): boolean {
  const base = canonical.replace(/\[\]$/, '').replace(/\(.*\)/, '').replace(/^timestamp with/, 'timestamp with').trim();
  return BUILTIN_BASES.has(base) || /^(timestamp|time)( with| without) time zone$/.test(base);
}

/** The short spelling a migration uses ('timestamptz', 'varchar(255)', 'numeric(10, 2)'). */
export function ddlType(canonical: string): string {
  const short: Record<string, string> = {
    'timestamp with time zone': 'timestamptz',
    'timestamp without time zone': 'timestamp',
    'time with time zone': 'timetz',
    'time without time zone': 'time',
    'character varying': 'varchar',
  };
  if (short[canonical]) return short[canonical]!;
  let m = /^character varying\((\d+)\)$/.exec(canonical);
  if (m) return `varchar(${m[1]})`;
  m = /^character\((\d+)\)$/.exec(canonical);
  if (m) return `char(${m[1]})`;
  m = /^numeric\((\d+),(\d+)\)$/.exec(canonical);
  if (m) return `numeric(${m[1]}, ${m[2]})`;
  m = /^timestamp\((\d+)\) with time zone$/.exec(canonical);
  if (m) return `timestamptz(${m[1]})`;
  return canonical;
}

/**
 * Canonical form of a default expression, to compare a declared default with pg_get_expr's output:
 * `'draft'::text` on a text column is `'draft'`, `'-1'::integer` is `-1`, TRUE is true.
 */
export function canonicalDefault(expr: string | null | undefined, columnType: string): string | null {
  if (expr === undefined || expr === null) return null;
  let e = expr.trim();
  if (/^null$/i.test(e)) return null;
  for (;;) {
    const m = /^(.*)::([a-z_][a-z0-9_ ]*(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?|"[^"]+")$/is.exec(e);
    if (!m) break;
    const cast = canonicalType(m[2]!);
    const base = columnType.replace(/\(.*\)$/, '');
    if (cast === columnType || cast === base || cast === 'text' || cast === 'character varying') e = m[1]!.trim();
    else break;
  }
  const quotedNumber = /^'(-?\d+(?:\.\d+)?)'$/.exec(e);
  if (quotedNumber) e = quotedNumber[1]!;
  if (/^(true|false)$/i.test(e)) e = e.toLowerCase();
  if (/^current_timestamp$/i.test(e)) e = 'CURRENT_TIMESTAMP';
  if (/^now\(\)$/i.test(e)) e = 'now()';
  return e;
}

/** The same column as far as the database is concerned (renamedFrom aside). */
export function sameColumn(a: ColumnSnap, b: ColumnSnap): boolean {
  return (
    a.type === b.type &&
    a.nullable === b.nullable &&
    a.identity === b.identity &&
    canonicalDefault(a.default, a.type) === canonicalDefault(b.default, b.type)
  );
}

export const keyOf = {
  unique: (u: KeySnap) => u.columns.join(','),
  index: (i: IndexSnap) => `${i.unique ? 'unique ' : ''}${i.columns.join(',')}`,
  foreignKey: (f: ForeignKeySnap) => `${f.columns.join(',')}->${f.refTable}(${f.refColumns.join(',')}) on delete ${f.onDelete}`,
  trigger: (t: TriggerSnap) => `${t.name}:${t.column}`,
};

/**
 * A snapshot in a canonical, order-independent form (columns, constraints and indexes sorted by name,
 * defaults canonical): two catalogs are the same schema when their normalised snapshots are deep-equal.
 */
export function normalizeSnapshot(s: SchemaSnap): SchemaSnap {
  const byName = <T extends { name: string }>(xs: readonly T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
  const tables: Record<string, TableSnap> = {};
  for (const name of Object.keys(s.tables).sort()) {
    const t = s.tables[name]!;
    tables[name] = {
      name,
      columns: byName(t.columns).map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, default: canonicalDefault(c.default, c.type), identity: c.identity })),
      primaryKey: t.primaryKey ? { name: t.primaryKey.name, columns: [...t.primaryKey.columns] } : null,
      uniques: byName(t.uniques).map((u) => ({ name: u.name, columns: [...u.columns] })),
      indexes: byName(t.indexes).map((i) => ({ name: i.name, columns: [...i.columns], unique: i.unique })),
      foreignKeys: byName(t.foreignKeys).map((f) => ({ name: f.name, columns: [...f.columns], refTable: f.refTable, refColumns: [...f.refColumns], onDelete: f.onDelete })),
      triggers: byName(t.triggers).map((g) => ({ name: g.name, column: g.column })),
    };
  }
  const enums: Record<string, readonly string[]> = {};
  for (const name of Object.keys(s.enums).sort()) enums[name] = [...s.enums[name]!];
  return { tables, enums, onUpdateFunction: s.onUpdateFunction };
}
