/**
 * Kysely's own Migrator over the TypeScript files of db/migrations (loaded with jiti, so they
 * need no build step). The Migrator brings the lock table and one transaction per run on Postgres.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Migrator, NO_MIGRATIONS, type Kysely, type Migration, type MigrationInfo, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { UsageError, WsError } from '../cli/errors.js';
import { importTs } from '../infra/import-ts.js';
import { MIGRATION_FILE, MIGRATIONS_DIR } from './migration-files.js';


export class TsFileMigrationProvider implements MigrationProvider {
  constructor(readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    if (!existsSync(this.folder)) throw new UsageError(`no migrations folder at ${this.folder} (run: ws db init)`);
    const files = (await readdir(this.folder)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const mod = await importTs<Partial<Migration>>(join(this.folder, file), { default: false });
      if (typeof mod.up !== 'function') throw new WsError(`migration ${file} exports no up() function`);
      migrations[file.replace(/\.ts$/, '')] = { up: mod.up, ...(mod.down ? { down: mod.down } : {}) };
    }
    return migrations;
  }
}

export function createMigrator(db: Kysely<any>, root: string): Migrator {
  return new Migrator({ db, provider: new TsFileMigrationProvider(join(root, MIGRATIONS_DIR)) });
}

export interface MigrationStatus {
  readonly applied: readonly { name: string; executedAt: Date }[];
  readonly pending: readonly string[];
}

export async function migrationStatus(migrator: Migrator): Promise<MigrationStatus> {
  const all: readonly MigrationInfo[] = await migrator.getMigrations();
  return {
    applied: all.filter((m) => m.executedAt).map((m) => ({ name: m.name, executedAt: m.executedAt! })),
    pending: all.filter((m) => !m.executedAt).map((m) => m.name),
  };
}

export async function migrateUp(migrator: Migrator, to?: string): Promise<string[]> {
  if (to !== undefined) {
    const names = (await migrator.getMigrations()).map((m) => m.name);
    const target = names.find((n) => n === to || n.startsWith(`${to}_`) || n.endsWith(`_${to}`));
    if (!target) throw new UsageError(`--to ${to}: no such migration (have: ${names.join(', ') || 'none'})`);
    return applied(await migrator.migrateTo(target), 'Up');
  }
  return applied(await migrator.migrateToLatest(), 'Up');
}

/** Undo the last `steps` migrations, or all of them. Returns the names undone, newest first. */
export async function migrateDown(migrator: Migrator, how: { steps: number } | 'all'): Promise<string[]> {
  const { applied: done } = await migrationStatus(migrator);
  if (done.length === 0) return [];
  const steps = how === 'all' ? done.length : Math.min(how.steps, done.length);
  const target = steps >= done.length ? NO_MIGRATIONS : done[done.length - 1 - steps]!.name;
  return applied(await migrator.migrateTo(target), 'Down');
}

/** Names the migrations a run executed; a failed run throws naming the failing file. */
function applied(result: MigrationResultSet, direction: 'Up' | 'Down'): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    const what = failed ? `migration ${failed.migrationName}.ts (${direction.toLowerCase()})` : 'migration run';
    throw new WsError(`${what} failed: ${cause}; the run was rolled back, nothing was applied`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success' && r.direction === direction).map((r) => r.migrationName);
}
