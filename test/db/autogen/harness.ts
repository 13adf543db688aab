/** Shared steps of the autogenerate tests: render db/tables, autogenerate, migrate, snapshot the catalog. */
import type { Kysely } from 'kysely';
import { autogenerate, compareSchema } from '../../../db/autogen/autogenerate.js';
import { introspect } from '../../../db/autogen/introspect.js';
import { fromKysely } from '../../../db/autogen/kysely-query.js';
import { normalizeSnapshot, type SchemaSnap } from '../../../db/autogen/model.js';
import { createMigrator, migrateDown, migrateUp } from '../../../db/migrator.js';
import { writeRevision } from '../../../db/revision.js';
import type { EnumDef, TableDef } from '../../../db/schema/table.js';

/** db/tables/index.ts declaring dim_users (from users.ts, as in the repo) plus the given tables and enums. */
export function tablesSource(tables: readonly TableDef[], enums: readonly EnumDef[] = []): string {
  return `import { usersTable } from './users.js';

export const enums = ${JSON.stringify(enums, null, 2)};

export const tables = [usersTable, ...${JSON.stringify(tables, null, 2)}];
`;
}

/** The whole public schema (every table but Kysely's), canonical and order-independent. */
export async function catalog(db: Kysely<any>): Promise<SchemaSnap> {
  return normalizeSnapshot(await introspect(fromKysely(db), null));
}

let clock = Date.UTC(2027, 0, 1);

/** Autogenerates and writes a migration; returns its source and the path. */
export async function revise(db: Kysely<any>, root: string, message: string, allowDestructive = false): Promise<{ source: string; file: string; summary: readonly string[] }> {
  const result = await autogenerate(fromKysely(db), root, { message, allowDestructive });
  if (result.source === null) throw new Error(`${message}: autogenerate found no changes`);
  clock += 60_000;
  const file = await writeRevision(root, message, result.source, new Date(clock));
  return { source: result.source, file, summary: result.summary };
}

export async function up(db: Kysely<any>, root: string): Promise<string[]> {
  return migrateUp(createMigrator(db, root));
}

export async function downOne(db: Kysely<any>, root: string): Promise<string[]> {
  return migrateDown(createMigrator(db, root), { steps: 1 });
}

/** The operations `ws db check` would report (empty: clean). */
export async function differences(db: Kysely<any>, root: string): Promise<readonly string[]> {
  const { diff } = await compareSchema(fromKysely(db), root);
  return diff.operations.map((op) => op.kind);
}
