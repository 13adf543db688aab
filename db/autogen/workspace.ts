/**
 * What autogenerate reads from the workspace: the declarations of db/tables/index.ts (loaded from
 * source with jiti, so edits need no build) and the `wsManaged` lists of the migrations written so far.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../cli/errors.js';
import { importTs } from '../../infra/import-ts.js';
import { MIGRATION_FILE, MIGRATIONS_DIR } from '../migrator.js';
import type { EnumDef, TableDef } from '../schema/table.js';
import type { Managed } from './diff.js';

export const TABLES_INDEX = join('db', 'tables', 'index.ts');

export interface Declared {
  readonly tables: readonly TableDef[];
  /** `export const enums = [...]` in db/tables/index.ts (optional). */
  readonly enums: readonly EnumDef[];
}

export async function loadDeclared(root: string): Promise<Declared> {
  const file = join(root, TABLES_INDEX);
  if (!existsSync(file)) throw new UsageError(`no ${TABLES_INDEX} in ${root} (run: ws db init)`);
  const mod = await importTs<{ tables?: unknown; enums?: unknown }>(file, { default: false });
  if (!Array.isArray(mod.tables)) throw new UsageError(`${TABLES_INDEX} must export \`tables\`: an array of defineTable(...) values`);
  if (mod.enums !== undefined && !Array.isArray(mod.enums)) throw new UsageError(`${TABLES_INDEX}: \`enums\` must be an array of defineEnum(...) values`);
  for (const t of mod.tables as unknown[]) {
    const def = t as Partial<TableDef> | undefined;
    if (!def || typeof def.name !== 'string' || typeof def.columns !== 'object') throw new UsageError(`${TABLES_INDEX}: every entry of \`tables\` must be a defineTable({ name, columns }) value`);
  }
  return { tables: mod.tables as TableDef[], enums: (mod.enums as EnumDef[] | undefined) ?? [] };
}

/** The union of the `wsManaged` exports of every migration file. */
export async function loadManaged(root: string): Promise<Managed> {
  const folder = join(root, MIGRATIONS_DIR);
  if (!existsSync(folder)) return { tables: [], enums: [] };
  const tables = new Set<string>();
  const enums = new Set<string>();
  for (const file of (await readdir(folder)).filter((f) => MIGRATION_FILE.test(f)).sort()) {
    const mod = await importTs<{ wsManaged?: Partial<Managed> }>(join(folder, file), { default: false });
    for (const t of mod.wsManaged?.tables ?? []) tables.add(t);
    for (const e of mod.wsManaged?.enums ?? []) enums.add(e);
  }
  return { tables: [...tables].sort(), enums: [...enums].sort() };
}
