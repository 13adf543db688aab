/** New migration files (alembic `revision`) and the migrations folder (alembic `init`). */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MIGRATIONS_DIR, writeMigrationFile } from './migration-files.js';

export { nextTimestamp, slugify } from './migration-files.js';

const EMPTY_MIGRATION = (message: string) => `import { sql, type Kysely } from 'kysely';

// ${message.replace(/\n/g, ' ')}
export async function up(db: Kysely<any>): Promise<void> {
  // e.g. await db.schema.alterTable('dim_users').addColumn('name', 'text').execute();
  void sql;
  void db;
}

export async function down(db: Kysely<any>): Promise<void> {
  // undo what up() did
  void db;
}
`;

/** Writes a new (empty, or given) migration file and returns its path. Never overwrites. */
export function writeRevision(root: string, message: string, body: string = EMPTY_MIGRATION(message), now = new Date()): Promise<string> {
  return writeMigrationFile(root, message, body, now);
}

/** Creates what the migrator needs when missing; returns what it created (empty when all was there). */
export async function initMigrations(root: string): Promise<string[]> {
  const created: string[] = [];
  const folder = join(root, MIGRATIONS_DIR);
  if (!existsSync(folder)) {
    await mkdir(folder, { recursive: true });
    created.push(folder);
  }
  const tablesIndex = join(root, 'db', 'tables', 'index.ts');
  if (!existsSync(tablesIndex)) {
    await mkdir(join(root, 'db', 'tables'), { recursive: true });
    await writeFile(tablesIndex, `/** Every table of the workspace, registered here. */\nexport const tables = [] as const;\n\nexport interface DB {}\n`, { flag: 'wx' });
    created.push(tablesIndex);
  }
  return created;
}
