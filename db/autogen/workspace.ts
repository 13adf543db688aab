/**
 * What autogenerate reads from the workspace: the declarations of db/tables/index.ts (loaded from
 * source with jiti, so edits need no build) and the `wsManaged` lists of the migrations written so far.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../cli/errors.js';
import { importTs } from '../../infra/import-ts.js';
import { MIGRATION_FILE, MIGRATIONS_DIR } from '../migration-files.js';

export { MIGRATION_FILE, MIGRATIONS_DIR };
import type { EnumDef, TableDef } from '../schema/table.js';
import type { Managed } from './diff.js';
import type { Queryable } from './pg-query.js';

export const TABLES_INDEX = join('db', 'tables', 'index.ts');

export interface Declared {
  readonly tables: readonly TableDef[];
  /** `export const enums = [...]` in db/tables/index.ts (optional). */
  readonly enums: readonly EnumDef[];
}

export async function loadDeclared(root: string): Promise<Declared> {
  const file = join(root, TABLES_INDEX);
  if (!existsSync(file)) throw new UsageError(`no ${TABLES_INDEX} in ${root} (run: ws db init)`);
  const mod = await importTs<TablesModule>(file, { default: false });
  if (!Array.isArray(mod.tables)) throw new UsageError(`${TABLES_INDEX} must export \`tables\`: an array of defineTable(...) values`);
  if (mod.enums !== undefined && !Array.isArray(mod.enums)) throw new UsageError(`${TABLES_INDEX}: \`enums\` must be an array of defineEnum(...) values`);
  for (const t of mod.tables as unknown[]) {
    const def = t as Partial<TableDef> | undefined;
    if (!def || typeof def.name !== 'string' || typeof def.columns !== 'object') throw new UsageError(`${TABLES_INDEX}: every entry of \`tables\` must be a defineTable({ name, columns }) value`);
  }
  return { tables: mod.tables as TableDef[], enums: (mod.enums as EnumDef[] | undefined) ?? [] };
}

type TablesModule = { tables?: unknown; enums?: unknown };

/**
 * The union of the `wsManaged` exports of every migration file. Read from the text (the line the
 * emitter writes, reformatting allowed), not imported: transpiling every migration costs more than
 * the whole diff on a large schema.
 */
export async function loadManaged(root: string): Promise<Managed> {
  const folder = join(root, MIGRATIONS_DIR);
  if (!existsSync(folder)) return { tables: [], enums: [] };
  const tables = new Set<string>();
  const enums = new Set<string>();
  for (const file of (await readdir(folder)).filter((f) => MIGRATION_FILE.test(f)).sort()) {
    const managed = parseManaged(await readFile(join(folder, file), 'utf8'));
    for (const t of managed?.tables ?? []) tables.add(t);
    for (const e of managed?.enums ?? []) enums.add(e);
  }
  return { tables: [...tables].sort(), enums: [...enums].sort() };
}

const MANAGED = /export\s+const\s+wsManaged\s*=\s*\{\s*tables\s*:\s*\[([^\]]*)\]\s*,\s*enums\s*:\s*\[([^\]]*)\]/;
const STRING = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;

export function parseManaged(source: string): Managed | null {
  const m = MANAGED.exec(source);
  if (!m) return null;
  const strings = (list: string) => [...list.matchAll(STRING)].map((x) => (x[1] ?? x[2] ?? '').replace(/\\(.)/g, '$1'));
  return { tables: strings(m[1]!), enums: strings(m[2]!) };
}

/**
 * Migration files not recorded in kysely_migration — without importing them (Kysely's
 * getMigrations transpiles every file; this reads names only).
 */
export async function pendingMigrations(db: Queryable, root: string): Promise<string[]> {
  const folder = join(root, MIGRATIONS_DIR);
  const files = existsSync(folder) ? (await readdir(folder)).filter((f) => MIGRATION_FILE.test(f)).map((f) => f.replace(/\.ts$/, '')) : [];
  const { rows } = await db.query('select name from kysely_migration').catch((error: { code?: string }) => {
    if (error?.code === '42P01') return { rows: [] as { name: string }[] }; // no migration has ever run
    throw error;
  });
  const applied = new Set(rows.map((r) => r.name));
  return files.filter((f) => !applied.has(f)).sort();
}
