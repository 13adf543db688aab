/** New migration files (alembic `revision`) and the migrations folder (alembic `init`). */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { MIGRATION_FILE, MIGRATIONS_DIR } from './migrator.js';

export function slugify(message: string): string {
  const slug = message
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
    .replace(/_+$/, '');
  if (!slug) throw new UsageError(`-m "${message}": the message needs at least one letter or digit`);
  return slug;
}

export function timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
}

/** A timestamp after every existing migration's, so files always sort in creation order. */
export function nextTimestamp(existing: readonly string[], now: Date): string {
  let stamp = timestamp(now);
  const latest = existing.map((f) => MIGRATION_FILE.exec(f)?.[1]).filter((s): s is string => !!s).sort().at(-1);
  if (latest && stamp <= latest) stamp = timestamp(new Date(stampToDate(latest).getTime() + 1000));
  return stamp;
}

function stampToDate(s: string): Date {
  return new Date(Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14)));
}

export const EMPTY_MIGRATION = (message: string) => `import { sql, type Kysely } from 'kysely';

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

/** Writes a new migration file and returns its path. Never overwrites. */
export async function writeRevision(root: string, message: string, body: string = EMPTY_MIGRATION(message), now = new Date()): Promise<string> {
  const folder = join(root, MIGRATIONS_DIR);
  if (!existsSync(folder)) throw new UsageError(`no migrations folder at ${folder} (run: ws db init)`);
  const file = join(folder, `${nextTimestamp(await readdir(folder), now)}_${slugify(message)}.ts`);
  await writeFile(file, body, { flag: 'wx' });
  return file;
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
