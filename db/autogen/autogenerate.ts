/**
 * Read (declarations, managed lists, catalog) -> pure diff -> safety checks -> migration text.
 * `ws db revision --autogenerate` and `ws db check` are thin commands over compareSchema/autogenerate.
 */
import { WsError } from '../../cli/errors.js';
import { desiredSchema } from './declared.js';
import { diffSchemas, tablesInScope, type Managed, type Probe, type SchemaDiff } from './diff.js';
import { emitMigration } from './emit.js';
import { introspect } from './introspect.js';
import { quoteIdent, type Queryable } from './pg-query.js';
import type { SchemaSnap } from './model.js';
import { describe, destructiveReason, type Operation } from './operations.js';
import { loadDeclared, loadManaged, type Declared } from './workspace.js';

/** Destructive operations refused without allowDestructive; `lost` lists what would be lost. */
export class DestructiveChangeError extends WsError {
  constructor(readonly lost: readonly string[]) {
    super(`refusing to write a migration that loses data:\n${lost.map((l) => `  - ${l}`).join('\n')}\nrerun with --allow-destructive once you are sure (and have a backup)`);
    this.name = 'DestructiveChangeError';
  }
}

/** A change the database cannot take as it is (rows without values for a new NOT NULL column...). */
export class UnsafeChangeError extends WsError {
  constructor(readonly problems: readonly string[]) {
    super(`cannot write this migration: it would fail on the data in the database:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'UnsafeChangeError';
  }
}

export interface SchemaComparison {
  readonly declared: Declared;
  readonly managed: Managed;
  readonly desired: SchemaSnap;
  readonly live: SchemaSnap;
  readonly diff: SchemaDiff;
}

export async function compareSchema(db: Queryable, root: string): Promise<SchemaComparison> {
  const declared = await loadDeclared(root);
  const managed = await loadManaged(root);
  const desired = desiredSchema(declared.tables, declared.enums);
  const live = await introspect(db, tablesInScope(desired, managed));
  return { declared, managed, desired, live, diff: diffSchemas(desired, live, managed) };
}

/** Answers every probe in one query; returns the messages of those that hold. */
export async function runProbes(db: Queryable, probes: readonly Probe[]): Promise<string[]> {
  if (probes.length === 0) return [];
  const parts = probes.map((p, i) => `select ${i} as i, exists(${probeQuery(p)}) as hit`);
  const { rows } = await db.query(parts.join(' union all '));
  return (rows as { i: number; hit: boolean }[]).filter((r) => r.hit).sort((a, b) => a.i - b.i).map((r) => probes[r.i]!.message);
}

function probeQuery(p: Probe): string {
  const q = quoteIdent;
  switch (p.kind) {
    case 'hasRows':
      return `select 1 from ${q(p.table)}`;
    case 'hasNulls':
      return `select 1 from ${q(p.table)} where ${q(p.column)} is null`;
    case 'hasDuplicates': {
      const cols = p.columns.map(q);
      return `select 1 from ${q(p.table)} where ${cols.map((c) => `${c} is not null`).join(' and ')} group by ${cols.join(', ')} having count(*) > 1`;
    }
    case 'hasOrphans': {
      const notNull = p.columns.map((c) => `c.${q(c)} is not null`).join(' and ');
      const join = p.columns.map((c, i) => `r.${q(p.refColumns[i]!)} = c.${q(c)}`).join(' and ');
      return `select 1 from ${q(p.table)} c where ${notNull} and not exists (select 1 from ${q(p.refTable)} r where ${join})`;
    }
  }
}

export interface AutogenerateResult {
  readonly operations: readonly Operation[];
  readonly summary: readonly string[];
  /** The migration file's text; null when the schema already matches. */
  readonly source: string | null;
}

export async function autogenerate(db: Queryable, root: string, options: { message: string; allowDestructive?: boolean }): Promise<AutogenerateResult> {
  const cmp = await compareSchema(db, root);
  const ops = cmp.diff.operations;
  if (ops.length === 0) return { operations: ops, summary: [], source: null };
  const lost = ops.map(destructiveReason).filter((r): r is string => r !== null);
  if (lost.length > 0 && !options.allowDestructive) throw new DestructiveChangeError(lost);
  const problems = await runProbes(db, cmp.diff.probes);
  if (problems.length > 0) throw new UnsafeChangeError(problems);
  const managed: Managed = { tables: cmp.declared.tables.map((t) => t.name), enums: cmp.declared.enums.map((e) => e.name) };
  return { operations: ops, summary: ops.map(describe), source: emitMigration(ops, { message: options.message, managed, destructive: lost }) };
}
