/**
 * The typed DB interface, generated with kysely-codegen from the migrated database into db/types.ts.
 * Only the tables db/tables declares are written (Kysely's migration tables and foreign tables are
 * not); onUpdateNow columns are typed read-only, since the trigger owns them.
 */
import type { Kysely } from 'kysely';
import type { TableDef } from '../schema/table.js';
import { isNullable } from '../schema/table.js';

export const TYPES_FILE = 'db/types.ts';

export async function generateTypes(db: Kysely<any>, tables: readonly TableDef[]): Promise<string> {
  const codegen = await import('kysely-codegen');
  const declared = new Set(tables.map((t) => t.name));
  const columns: Record<string, string> = {};
  for (const t of tables) {
    for (const [name, c] of Object.entries(t.columns)) {
      if (c.onUpdateNow) columns[`${t.name}.${name}`] = `ColumnType<Date${isNullable(c) ? ' | null' : ''}, never, never>`;
    }
  }
  return codegen.generate({
    db: db as never, // kysely-codegen is typed against kysely's CJS build; the instance is the same at run time
    dialect: new codegen.PostgresDialect(),
    outFile: null,
    overrides: { columns },
    postprocess: async ({ metadata }) =>
      new codegen.DatabaseMetadata({ enums: metadata.enums, tables: metadata.tables.filter((t) => (t.schema ?? 'public') === 'public' && declared.has(t.name)) }),
  });
}
