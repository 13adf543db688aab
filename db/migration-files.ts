/**
 * The migration files of db/migrations: where they live, how they are named, how a new one is
 * written. Kysely-free, so the commands that only write files (revision, autogenerate) and the
 * container entrypoint do not load it.
 */
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../cli/errors.js';

export const MIGRATIONS_DIR = join('db', 'migrations');
/** 20261125093000_initialize_db.ts: a sortable timestamp, an underscore, a slug. */
export const MIGRATION_FILE = /^(\d{14})_[a-z0-9_]+\.ts$/;

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
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function stampToDate(s: string): Date {
  return new Date(Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14)));
}

/** A timestamp after every existing migration's, so files always sort in creation order. */
export function nextTimestamp(existing: readonly string[], now: Date): string {
  const stamp = timestamp(now);
  const latest = existing.map((f) => MIGRATION_FILE.exec(f)?.[1]).filter((s): s is string => !!s).sort().at(-1);
  return latest && stamp <= latest ? timestamp(new Date(stampToDate(latest).getTime() + 1000)) : stamp;
}

/** The names (without .ts) of the migration files, sorted. */
export async function migrationNames(root: string): Promise<string[]> {
  const folder = join(root, MIGRATIONS_DIR);
  if (!existsSync(folder)) return [];
  return (await readdir(folder)).filter((f) => MIGRATION_FILE.test(f)).sort().map((f) => f.replace(/\.ts$/, ''));
}

/** Writes a new migration file <timestamp>_<slug>.ts and returns its path. Never overwrites. */
export async function writeMigrationFile(root: string, message: string, body: string, now = new Date()): Promise<string> {
  const folder = join(root, MIGRATIONS_DIR);
  if (!existsSync(folder)) throw new UsageError(`no migrations folder at ${folder} (run: ws db init)`);
  const file = join(folder, `${nextTimestamp(await readdir(folder), now)}_${slugify(message)}.ts`);
  await writeFile(file, body, { flag: 'wx' });
  return file;
}
