/**
 * The operations a diff produces. Each has an exact inverse (so `down` is the reversed list of
 * inverses), a phase that orders `up`, a one-line description and, when it can lose data, the reason.
 */
import type { ColumnSnap, ForeignKeySnap, IndexSnap, KeySnap, TableSnap, TriggerSnap } from './model.js';

/** A column that uses an enum, with its default, when the enum has to be recreated. */
export interface EnumUsage {
  readonly table: string;
  readonly column: string;
  readonly default: string | null;
}

export type Operation =
  | { readonly kind: 'createFunction' }
  | { readonly kind: 'dropFunction' }
  | { readonly kind: 'createEnum'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'dropEnum'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'alterEnum'; readonly name: string; readonly from: readonly string[]; readonly to: readonly string[]; readonly usages: readonly EnumUsage[] }
  | { readonly kind: 'renameTable'; readonly from: string; readonly to: string }
  | { readonly kind: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
  /** Columns, primary key and unique constraints; indexes, foreign keys and triggers are separate operations. */
  | { readonly kind: 'createTable'; readonly table: TableSnap }
  | { readonly kind: 'dropTable'; readonly table: TableSnap }
  | { readonly kind: 'addColumn'; readonly table: string; readonly column: ColumnSnap }
  | { readonly kind: 'dropColumn'; readonly table: string; readonly column: ColumnSnap }
  | { readonly kind: 'alterColumn'; readonly table: string; readonly from: ColumnSnap; readonly to: ColumnSnap }
  | { readonly kind: 'addPrimaryKey'; readonly table: string; readonly key: KeySnap }
  | { readonly kind: 'dropPrimaryKey'; readonly table: string; readonly key: KeySnap }
  | { readonly kind: 'addUnique'; readonly table: string; readonly key: KeySnap }
  | { readonly kind: 'dropUnique'; readonly table: string; readonly key: KeySnap }
  | { readonly kind: 'createIndex'; readonly table: string; readonly index: IndexSnap }
  | { readonly kind: 'dropIndex'; readonly table: string; readonly index: IndexSnap }
  | { readonly kind: 'addForeignKey'; readonly table: string; readonly fk: ForeignKeySnap }
  | { readonly kind: 'dropForeignKey'; readonly table: string; readonly fk: ForeignKeySnap }
  | { readonly kind: 'createTrigger'; readonly table: string; readonly trigger: TriggerSnap }
  | { readonly kind: 'dropTrigger'; readonly table: string; readonly trigger: TriggerSnap };

export function inverse(op: Operation): Operation {
  switch (op.kind) {
    case 'createFunction': return { kind: 'dropFunction' };
    case 'dropFunction': return { kind: 'createFunction' };
    case 'createEnum': return { ...op, kind: 'dropEnum' };
    case 'dropEnum': return { ...op, kind: 'createEnum' };
    case 'alterEnum': return { ...op, from: op.to, to: op.from };
    case 'renameTable': return { kind: 'renameTable', from: op.to, to: op.from };
    case 'renameColumn': return { kind: 'renameColumn', table: op.table, from: op.to, to: op.from };
    case 'createTable': return { ...op, kind: 'dropTable' };
    case 'dropTable': return { ...op, kind: 'createTable' };
    case 'addColumn': return { ...op, kind: 'dropColumn' };
    case 'dropColumn': return { ...op, kind: 'addColumn' };
    case 'alterColumn': return { ...op, from: op.to, to: op.from };
    case 'addPrimaryKey': return { ...op, kind: 'dropPrimaryKey' };
    case 'dropPrimaryKey': return { ...op, kind: 'addPrimaryKey' };
    case 'addUnique': return { ...op, kind: 'dropUnique' };
    case 'dropUnique': return { ...op, kind: 'addUnique' };
    case 'createIndex': return { ...op, kind: 'dropIndex' };
    case 'dropIndex': return { ...op, kind: 'createIndex' };
    case 'addForeignKey': return { ...op, kind: 'dropForeignKey' };
    case 'dropForeignKey': return { ...op, kind: 'addForeignKey' };
    case 'createTrigger': return { ...op, kind: 'dropTrigger' };
    case 'dropTrigger': return { ...op, kind: 'createTrigger' };
  }
}

/** Whether an enum change only appends/inserts labels (ALTER TYPE ... ADD VALUE) rather than recreating the type. */
export function isAddOnly(from: readonly string[], to: readonly string[]): boolean {
  let i = 0;
  for (const v of to) if (v === from[i]) i++;
  return i === from.length;
}

/**
 * The order of `up`: creates of enums and renames first, then what must go before the columns change
 * (foreign keys, triggers, indexes and keys dropped), tables and columns, then keys, indexes, foreign
 * keys and triggers created. `down` runs the inverses in reverse order, which is valid for the same reason.
 */
export function phase(op: Operation): number {
  switch (op.kind) {
    case 'createFunction': case 'createEnum': return 0;
    case 'alterEnum': return isAddOnly(op.from, op.to) ? 0 : 11;
    case 'renameTable': return 1;
    case 'renameColumn': return 2;
    case 'dropForeignKey': return 3;
    case 'dropTrigger': return 4;
    case 'dropIndex': case 'dropUnique': case 'dropPrimaryKey': return 5;
    case 'createTable': return 6;
    case 'addColumn': return 7;
    case 'alterColumn': return 8;
    case 'dropColumn': return 9;
    case 'dropTable': return 10;
    case 'dropEnum': case 'dropFunction': return 11;
    case 'addPrimaryKey': case 'addUnique': case 'createIndex': return 12;
    case 'addForeignKey': return 13;
    case 'createTrigger': return 14;
  }
}

export function sortOperations(ops: readonly Operation[]): Operation[] {
  return ops.map((op, i) => ({ op, i })).sort((a, b) => phase(a.op) - phase(b.op) || a.i - b.i).map((x) => x.op);
}

/** One line per operation, for the summary and for `ws db check`. */
export function describe(op: Operation): string {
  const cols = (xs: readonly string[]) => xs.join(', ');
  switch (op.kind) {
    case 'createFunction': return 'create function ws_set_now_on_update() (for onUpdateNow columns)';
    case 'dropFunction': return 'drop function ws_set_now_on_update()';
    case 'createEnum': return `create enum ${op.name} (${op.values.join(', ')})`;
    case 'dropEnum': return `drop enum ${op.name}`;
    case 'alterEnum': return `alter enum ${op.name}: (${op.from.join(', ')}) -> (${op.to.join(', ')})`;
    case 'renameTable': return `rename table ${op.from} to ${op.to}`;
    case 'renameColumn': return `rename column ${op.table}.${op.from} to ${op.to}`;
    case 'createTable': return `create table ${op.table.name} (${op.table.columns.map((c) => c.name).join(', ')})`;
    case 'dropTable': return `drop table ${op.table.name}`;
    case 'addColumn': return `add column ${op.table}.${op.column.name} ${columnSummary(op.column)}`;
    case 'dropColumn': return `drop column ${op.table}.${op.column.name}`;
    case 'alterColumn': return `alter column ${op.table}.${op.to.name}: ${columnChanges(op.from, op.to).join('; ')}`;
    case 'addPrimaryKey': return `add primary key ${op.key.name} on ${op.table} (${cols(op.key.columns)})`;
    case 'dropPrimaryKey': return `drop primary key ${op.key.name} on ${op.table}`;
    case 'addUnique': return `add unique ${op.key.name} on ${op.table} (${cols(op.key.columns)})`;
    case 'dropUnique': return `drop unique ${op.key.name} on ${op.table}`;
    case 'createIndex': return `create ${op.index.unique ? 'unique ' : ''}index ${op.index.name} on ${op.table} (${cols(op.index.columns)})`;
    case 'dropIndex': return `drop index ${op.index.name} on ${op.table}`;
    case 'addForeignKey': return `add foreign key ${op.fk.name}: ${op.table} (${cols(op.fk.columns)}) -> ${op.fk.refTable} (${cols(op.fk.refColumns)}) on delete ${op.fk.onDelete}`;
    case 'dropForeignKey': return `drop foreign key ${op.fk.name} on ${op.table}`;
    case 'createTrigger': return `create trigger ${op.trigger.name}: ${op.table}.${op.trigger.column} = now() on update`;
    case 'dropTrigger': return `drop trigger ${op.trigger.name} on ${op.table}`;
  }
}

function columnSummary(c: ColumnSnap): string {
  return [c.type, c.nullable ? null : 'not null', c.default !== null ? `default ${c.default}` : null, c.identity ? `generated ${c.identity} as identity` : null].filter(Boolean).join(' ');
}

export function columnChanges(from: ColumnSnap, to: ColumnSnap): string[] {
  const out: string[] = [];
  if (from.type !== to.type) out.push(`type ${from.type} -> ${to.type}`);
  if (from.nullable !== to.nullable) out.push(to.nullable ? 'drop not null' : 'set not null');
  if ((from.default ?? null) !== (to.default ?? null)) out.push(to.default === null ? `drop default (was ${from.default})` : `default ${from.default ?? 'none'} -> ${to.default}`);
  if (from.identity !== to.identity) out.push(to.identity ? `identity ${to.identity}` : 'drop identity');
  return out;
}

const INT_DIGITS: Readonly<Record<string, number>> = { smallint: 5, integer: 10, bigint: 19 };
const INT_RANK: Readonly<Record<string, number>> = { smallint: 1, integer: 2, bigint: 3 };

/** Whether every value of `from` converts to `to` without loss (so the change is not destructive). */
export function isWidening(from: string, to: string): boolean {
  if (from === to) return true;
  if (from.endsWith('[]') || to.endsWith('[]')) return false;
  if (to === 'text' && from !== 'jsonb' && from !== 'json' && from !== 'bytea') return true;
  const fr = INT_RANK[from];
  const tr = INT_RANK[to];
  if (fr && tr) return tr >= fr;
  const varLen = (t: string): number | null | undefined => {
    if (t === 'character varying' || t === 'text') return null; // unbounded
    const m = /^character(?: varying)?\((\d+)\)$/.exec(t);
    return m ? Number(m[1]) : undefined;
  };
  const fl = varLen(from);
  const tl = varLen(to);
  if (fl !== undefined && tl !== undefined) return tl === null || (fl !== null && tl >= fl && !to.startsWith('character('));
  const num = (t: string): { p: number; s: number } | null | undefined => {
    if (t === 'numeric') return null;
    const m = /^numeric\((\d+),(\d+)\)$/.exec(t);
    return m ? { p: Number(m[1]), s: Number(m[2]) } : undefined;
  };
  const tn = num(to);
  if (tn !== undefined) {
    if (tn === null) return fr !== undefined || num(from) !== undefined;
    if (fr !== undefined) return tn.p - tn.s >= INT_DIGITS[from]!;
    const fn = num(from);
    if (fn) return tn.s >= fn.s && tn.p - tn.s >= fn.p - fn.s;
    return false;
  }
  const pairs = new Set(['real>double precision', 'json>jsonb', 'jsonb>json', 'date>timestamp with time zone', 'date>timestamp without time zone',
    'timestamp without time zone>timestamp with time zone', 'timestamp with time zone>timestamp without time zone']);
  return pairs.has(`${from}>${to}`);
}

/** Why an operation loses data or breaks writers that rely on the old schema; null when it does not. */
export function destructiveReason(op: Operation): string | null {
  switch (op.kind) {
    case 'dropTable': return `drop table ${op.table.name}: every row and its ${op.table.columns.length} columns (${op.table.columns.map((c) => c.name).join(', ')}) are lost`;
    case 'dropColumn': return `drop column ${op.table}.${op.column.name} (${op.column.type}): its values are lost`;
    case 'alterEnum': {
      const removed = op.from.filter((v) => !op.to.includes(v));
      return removed.length ? `enum ${op.name}: removes ${removed.map((v) => `'${v}'`).join(', ')}; rows holding them make the migration fail` : null;
    }
    case 'alterColumn': {
      const reasons: string[] = [];
      if (!isWidening(op.from.type, op.to.type)) reasons.push(`type ${op.from.type} -> ${op.to.type} narrows: values may be cut or fail to convert`);
      if (op.from.default !== null && op.to.default === null && !op.to.nullable && !op.to.identity) reasons.push(`drops the default (${op.from.default}) of a NOT NULL column: inserts that rely on it will fail`);
      if (op.from.identity && !op.to.identity && !op.to.nullable && op.to.default === null) reasons.push('drops the identity of a NOT NULL column: inserts that rely on it will fail');
      return reasons.length ? `alter column ${op.table}.${op.to.name}: ${reasons.join('; ')}` : null;
    }
    default: return null;
  }
}
