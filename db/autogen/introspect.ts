/**
 * Reads the live schema of the `public` schema in ONE catalog query (one round trip, whatever the
 * number of tables): columns, keys, unique constraints, foreign keys, plain indexes, onUpdateNow
 * triggers, enums and whether ws_set_now_on_update exists.
 */
import type { Queryable } from './pg-query.js';
import type { ReferentialAction } from '../schema/table.js';
import { ON_UPDATE_NOW_FUNCTION } from '../schema/table.js';
import { canonicalType, RESERVED_TABLES, type ColumnSnap, type ForeignKeySnap, type IndexSnap, type KeySnap, type SchemaSnap, type TableSnap, type TriggerSnap } from './model.js';

interface RawColumn { table: string; num: number; name: string; type: string; notnull: boolean; default: string | null; identity: string }
interface RawConstraint { table: string; name: string; type: 'p' | 'u' | 'f'; keys: number[]; refTable: string | null; refColumns: string[] | null; onDelete: string }
interface RawIndex { table: string; name: string; unique: boolean; keys: number[]; simple: boolean }
interface RawTrigger { table: string; name: string; args: string }
interface RawCatalog {
  tables: string[] | null;
  columns: RawColumn[] | null;
  constraints: RawConstraint[] | null;
  indexes: RawIndex[] | null;
  triggers: RawTrigger[] | null;
  enums: { name: string; values: string[] }[] | null;
  function: boolean;
}

const ON_DELETE: Readonly<Record<string, ReferentialAction>> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/**
 * The live schema. `tables`: the table names to read (null: every table of `public` but Kysely's own).
 * Enums are always all of `public`'s.
 */
export async function introspect(db: Queryable, tables: readonly string[] | null): Promise<SchemaSnap> {
  const { rows } = await db.query(CATALOG_QUERY, [tables === null, tables ?? [], RESERVED_TABLES, ON_UPDATE_NOW_FUNCTION]);
  return fromCatalog((rows[0] as { catalog: RawCatalog }).catalog);
}

const CATALOG_QUERY = `
    with rels as (
      select c.oid, c.relname
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p')
         and ($1::boolean or c.relname = any($2::text[]))
         and c.relname <> all($3::text[])
    )
    select json_build_object(
      'tables', (select json_agg(r.relname) from rels r),
      'columns', (
        select json_agg(json_build_object(
                 'table', r.relname, 'num', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                 'notnull', a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid), 'identity', a.attidentity)
               order by r.relname, a.attnum)
          from rels r
          join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
          left join pg_attrdef d on d.adrelid = r.oid and d.adnum = a.attnum),
      'constraints', (
        select json_agg(json_build_object(
                 'table', r.relname, 'name', con.conname, 'type', con.contype, 'keys', con.conkey,
                 'refTable', fr.relname,
                 'refColumns', case when con.contype = 'f' then
                                 (select json_agg(a.attname order by k.ord) from unnest(con.confkey) with ordinality k(num, ord)
                                    join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num) end,
                 'onDelete', con.confdeltype))
          from rels r
          join pg_constraint con on con.conrelid = r.oid and con.contype in ('p', 'u', 'f')
          left join pg_class fr on fr.oid = con.confrelid),
      'indexes', (
        select json_agg(json_build_object(
                 'table', r.relname, 'name', ic.relname, 'unique', i.indisunique, 'keys', i.indkey::int2[],
                 'simple', i.indexprs is null and i.indpred is null and 0 <> all(i.indkey::int2[])))
          from rels r
          join pg_index i on i.indrelid = r.oid
          join pg_class ic on ic.oid = i.indexrelid
         where not exists (select 1 from pg_constraint con
                            where con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x'))),
      'triggers', (
        select json_agg(json_build_object('table', r.relname, 'name', t.tgname, 'args', encode(t.tgargs, 'escape')))
          from rels r
          join pg_trigger t on t.tgrelid = r.oid and not t.tgisinternal
          join pg_proc p on p.oid = t.tgfoid
         where p.proname = $4),
      'enums', (
        select json_agg(json_build_object(
                 'name', t.typname,
                 'values', (select json_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid)))
          from pg_type t join pg_namespace n on n.oid = t.typnamespace
         where n.nspname = 'public' and t.typtype = 'e'),
      'function', exists(select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                          where n.nspname = 'public' and p.proname = $4)
    ) as catalog`;

/** Raw catalog rows -> snapshot (pure; exported for tests). */
export function fromCatalog(raw: RawCatalog): SchemaSnap {
  const tables: Record<string, { columns: ColumnSnap[]; primaryKey: KeySnap | null; uniques: KeySnap[]; indexes: IndexSnap[]; foreignKeys: ForeignKeySnap[]; triggers: TriggerSnap[] }> = {};
  for (const name of raw.tables ?? []) tables[name] = { columns: [], primaryKey: null, uniques: [], indexes: [], foreignKeys: [], triggers: [] };
  // attribute numbers -> names, per table (keys and indexes come as attnums: cheaper than resolving them in SQL)
  const attnames = new Map<string, string>();
  const named = (table: string, keys: readonly number[]) => keys.map((k) => attnames.get(`${table}.${k}`) ?? `#${k}`);
  for (const c of raw.columns ?? []) {
    attnames.set(`${c.table}.${c.num}`, c.name);
    tables[c.table]?.columns.push({
      name: c.name,
      type: canonicalType(c.type),
      nullable: !c.notnull,
      default: c.default,
      identity: c.identity === 'a' ? 'always' : c.identity === 'd' ? 'by default' : null,
    });
  }
  for (const k of raw.constraints ?? []) {
    const t = tables[k.table];
    if (!t) continue;
    const columns = named(k.table, k.keys);
    if (k.type === 'p') t.primaryKey = { name: k.name, columns };
    else if (k.type === 'u') t.uniques.push({ name: k.name, columns });
    else t.foreignKeys.push({ name: k.name, columns, refTable: k.refTable ?? '', refColumns: k.refColumns ?? [], onDelete: ON_DELETE[k.onDelete] ?? 'no action' });
  }
  // expression and partial indexes are not part of the format: they are left alone
  for (const i of raw.indexes ?? []) if (i.simple) tables[i.table]?.indexes.push({ name: i.name, columns: named(i.table, i.keys), unique: i.unique });
  for (const g of raw.triggers ?? []) {
    const column = g.args.split('\\000')[0] ?? '';
    tables[g.table]?.triggers.push({ name: g.name, column });
  }
  const out: Record<string, TableSnap> = {};
  for (const [name, t] of Object.entries(tables)) out[name] = { name, ...t };
  const enums: Record<string, readonly string[]> = {};
  for (const e of raw.enums ?? []) enums[e.name] = e.values ?? [];
  return { tables: out, enums, onUpdateFunction: raw.function };
}
