/** db/tables reduced to a schema snapshot (pure), with the checks that name the table and field at fault. */
import { UsageError } from '../../cli/errors.js';
import { isNullable, type EnumDef, type TableDef } from '../schema/table.js';
import { canonicalType, names, RESERVED_TABLES, type ColumnSnap, type ForeignKeySnap, type IndexSnap, type KeySnap, type SchemaSnap, type TableSnap } from './model.js';

export function desiredSchema(tables: readonly TableDef[], enums: readonly EnumDef[] = []): SchemaSnap {
  const out: Record<string, TableSnap> = {};
  const enumOut: Record<string, readonly string[]> = {};
  for (const e of enums) {
    if (enumOut[e.name]) throw new UsageError(`db/tables: enum ${e.name} is declared twice`);
    if (e.values.length === 0) throw new UsageError(`db/tables: enum ${e.name} has no values`);
    if (new Set(e.values).size !== e.values.length) throw new UsageError(`db/tables: enum ${e.name} lists a value twice`);
    enumOut[e.name] = [...e.values];
  }
  for (const def of tables) {
    if (out[def.name]) throw new UsageError(`db/tables: table ${def.name} is declared twice`);
    if (RESERVED_TABLES.includes(def.name)) throw new UsageError(`db/tables: ${def.name} is Kysely's migration table; pick another name`);
    out[def.name] = tableSnap(def);
  }
  const renamed = new Set<string>();
  for (const t of Object.values(out)) {
    if (t.renamedFrom) {
      if (out[t.renamedFrom]) throw new UsageError(`db/tables: table ${t.name} is renamedFrom ${t.renamedFrom}, which is still declared`);
      if (renamed.has(t.renamedFrom)) throw new UsageError(`db/tables: two tables are renamedFrom ${t.renamedFrom}`);
      renamed.add(t.renamedFrom);
    }
    for (const fk of t.foreignKeys) {
      const target = out[fk.refTable];
      if (!target) continue; // a table outside db/tables: the database says whether it exists
      for (const c of fk.refColumns) {
        if (!target.columns.some((col) => col.name === c)) throw new UsageError(`db/tables: ${t.name}.${fk.columns.join(',')} references ${fk.refTable}.${c}, which ${fk.refTable} does not declare`);
      }
    }
  }
  return { tables: out, enums: enumOut, onUpdateFunction: Object.values(out).some((t) => t.triggers.length > 0) };
}

function tableSnap(def: TableDef): TableSnap {
  const where = `db/tables: table ${def.name}`;
  const entries = Object.entries(def.columns);
  if (entries.length === 0) throw new UsageError(`${where} has no columns`);
  const columnNames = new Set(entries.map(([n]) => n));
  const known = (what: string, cols: readonly string[]) => {
    if (cols.length === 0) throw new UsageError(`${where}: ${what} lists no columns`);
    for (const c of cols) if (!columnNames.has(c)) throw new UsageError(`${where}: ${what} names column ${c}, which the table does not declare`);
    return [...cols];
  };

  const columns: ColumnSnap[] = entries.map(([name, c]) => {
    if (!c.type?.trim()) throw new UsageError(`${where}: column ${name} has no type`);
    if (c.identity && c.default !== undefined) throw new UsageError(`${where}: column ${name} has both identity and a default`);
    if (c.primaryKey && c.nullable === true) throw new UsageError(`${where}: primary-key column ${name} cannot be nullable`);
    return {
      name,
      type: canonicalType(c.type),
      nullable: def.primaryKey?.includes(name) ? false : isNullable(c),
      default: c.default ?? null,
      identity: c.identity ?? null,
      ...(c.renamedFrom ? { renamedFrom: c.renamedFrom } : {}),
    };
  });

  const pkCols = def.primaryKey ? known('primaryKey', def.primaryKey) : entries.filter(([, c]) => c.primaryKey).map(([n]) => n);
  if (def.primaryKey && entries.some(([, c]) => c.primaryKey)) throw new UsageError(`${where}: declare the primary key either on the columns or as primaryKey, not both`);
  const primaryKey: KeySnap | null = pkCols.length ? { name: names.primaryKey(def.name), columns: pkCols } : null;

  const uniques: KeySnap[] = [
    ...entries.filter(([, c]) => c.unique).map(([n]) => ({ name: names.unique(def.name, [n]), columns: [n] })),
    ...(def.uniques ?? []).map((u) => ({ name: u.name ?? names.unique(def.name, u.columns), columns: known('a unique constraint', u.columns) })),
  ];
  const indexes: IndexSnap[] = [
    ...entries.filter(([, c]) => c.index).map(([n]) => ({ name: names.index(def.name, [n]), columns: [n], unique: false })),
    ...(def.indexes ?? []).map((i) => ({
      name: i.name ?? names.index(def.name, i.columns),
      columns: known('an index', i.columns),
      unique: i.unique ?? false,
      ...(i.name ? { explicitName: true } : {}),
    })),
  ];
  const foreignKeys: ForeignKeySnap[] = [
    ...entries
      .filter(([, c]) => c.references)
      .map(([n, c]) => ({ name: names.foreignKey(def.name, [n]), columns: [n], refTable: c.references!.table, refColumns: [c.references!.column], onDelete: c.references!.onDelete ?? 'no action' })),
    ...(def.foreignKeys ?? []).map((f) => {
      if (f.columns.length !== f.references.columns.length) throw new UsageError(`${where}: foreign key ${f.columns.join(',')} has ${f.columns.length} columns but references ${f.references.columns.length}`);
      return { name: f.name ?? names.foreignKey(def.name, f.columns), columns: known('a foreign key', f.columns), refTable: f.references.table, refColumns: [...f.references.columns], onDelete: f.onDelete ?? 'no action' };
    }),
  ];
  const triggers = entries.filter(([, c]) => c.onUpdateNow).map(([n]) => ({ name: names.trigger(def.name, n), column: n }));
  for (const [n, c] of entries) {
    if (c.onUpdateNow && !/^timestamp|^date$/.test(canonicalType(c.type))) throw new UsageError(`${where}: onUpdateNow column ${n} must be a timestamp or date`);
  }

  const allNames = [primaryKey?.name, ...uniques.map((u) => u.name), ...indexes.map((i) => i.name), ...foreignKeys.map((f) => f.name)].filter(Boolean);
  const dup = allNames.find((n, i) => allNames.indexOf(n) !== i);
  if (dup) throw new UsageError(`${where}: two constraints or indexes are named ${dup}`);

  return { name: def.name, columns, primaryKey, uniques, indexes, foreignKeys, triggers, ...(def.renamedFrom ? { renamedFrom: def.renamedFrom } : {}) };
}
