/**
 * The container's start-up work, run by bin/entrypoint.sh before it execs the command:
 *   PRINT_ENV_ON_LOAD  print the environment, secrets masked
 *   WAIT_FOR_DB        wait until the database answers (WAIT_FOR_DB_TIMEOUT seconds, default 60)
 *   MIGRATE_DB         apply pending migrations with Kysely's Migrator (under its lock)
 * Any failure ends with one clear log line and exit code 1, so the container stops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { pgConfig } from '../db/db-errors.js';
import { migrationNames } from '../db/migration-files.js';
import type { Vars } from '../infra/load-settings.js';
import type { DbConnection } from '../infra/settings.js';
import { appConfig } from './connection.js';

export const truthy = (v: string | undefined): boolean => /^(1|true|yes|on)$/i.test(v?.trim() ?? '');

const SECRET_NAME = /PASS|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH/i;
/** Kysely's default migration table (db/migrator.ts uses the defaults). */
const MIGRATION_TABLE = 'kysely_migration';

/** KEY=value lines, sorted, with secret-looking values and URL passwords masked. */
export function maskedEnv(vars: Vars): string[] {
  return Object.keys(vars)
    .sort()
    .filter((k) => vars[k] !== undefined)
    .map((k) => {
      const v = vars[k]!;
      if (SECRET_NAME.test(k)) return `${k}=****`;
      return `${k}=${v.replace(/(\/\/[^:/@\s]+:)[^@\s]*@/g, '$1****@')}`;
    });
}

function where(conn: DbConnection): string {
  return `${conn.host}:${conn.port}/${conn.database}`;
}

async function connect(conn: DbConnection): Promise<pg.Client> {
  const client = new pg.Client(pgConfig(conn, 3000));
  try {
    await client.connect();
    await client.query('select 1');
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** Connects until the database answers or the timeout passes; returns the connected client. */
export async function waitForDb(conn: DbConnection, opts: { timeoutMs: number; intervalMs?: number; log: (line: string) => void }): Promise<pg.Client> {
  const deadline = Date.now() + opts.timeoutMs;
  let announced = 0;
  for (;;) {
    try {
      const client = await connect(conn);
      if (announced) opts.log(`database ${where(conn)} is up`);
      return client;
    } catch (error) {
      const reason = (error as Error)?.message || String((error as { code?: string })?.code ?? error);
      if (Date.now() >= deadline) throw new Error(`the database ${where(conn)} did not answer within ${Math.round(opts.timeoutMs / 1000)} s: ${reason}`);
      if (Date.now() - announced > 5000) {
        opts.log(`waiting for the database ${where(conn)} (${reason})`);
        announced = Date.now();
      }
      await sleep(opts.intervalMs ?? 500);
    }
  }
}

/**
 * Read-only fast path: true when every migration file is recorded as executed and nothing else is.
 * Then the container starts without loading Kysely; otherwise Kysely's Migrator runs (under its lock).
 */
export async function nothingPending(client: pg.Client, root: string): Promise<boolean> {
  const files = await migrationNames(root);
  let executed: string[];
  try {
    executed = (await client.query<{ name: string }>(`select name from ${MIGRATION_TABLE}`)).rows.map((r) => r.name);
  } catch {
    return false; // no migration table yet
  }
  const done = new Set(executed);
  return files.length === done.size && files.every((f) => done.has(f));
}

export interface PrepareOptions {
  readonly vars: Vars;
  /** The workspace root that holds db/migrations. */
  readonly root: string;
  readonly log: (line: string) => void;
}

export async function prepare({ vars, root, log }: PrepareOptions): Promise<void> {
  if (truthy(vars.PRINT_ENV_ON_LOAD)) for (const line of maskedEnv(vars)) log(`env ${line}`);
  const wait = truthy(vars.WAIT_FOR_DB);
  const migrate = truthy(vars.MIGRATE_DB);
  if (!wait && !migrate) return;
  const timeoutS = Number(vars.WAIT_FOR_DB_TIMEOUT ?? '60');
  if (!(timeoutS > 0)) throw new Error(`invalid WAIT_FOR_DB_TIMEOUT="${vars.WAIT_FOR_DB_TIMEOUT}": expected seconds > 0`);
  const { conn } = await appConfig(vars);
  const client = wait ? await waitForDb(conn, { timeoutMs: timeoutS * 1000, log }) : await connect(conn);
  try {
    if (!migrate) return;
    if (await nothingPending(client, root)) {
      log('migrations: the database is up to date');
      return;
    }
  } finally {
    await client.end();
  }
  const [{ createDb }, { createMigrator, migrateUp }] = await Promise.all([import('../db/session.js'), import('../db/migrator.js')]);
  const db = createDb(conn, { max: 1 });
  try {
    const applied = await migrateUp(createMigrator(db, root));
    log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: the database is up to date');
  } catch (error) {
    throw new Error(`migration failed on ${where(conn)}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  } finally {
    await db.destroy();
  }
}

/** Runs prepare() for the container; returns the exit code. */
export async function main(vars: Vars = process.env): Promise<number> {
  const log = (line: string) => process.stdout.write(`[entrypoint] ${line}\n`);
  try {
    await prepare({ vars, root: vars.WS_ROOT ?? process.cwd(), log });
    return 0;
  } catch (error) {
    process.stderr.write(`[entrypoint] error: ${(error as Error)?.message ?? String(error)}; the container stops\n`);
    return 1;
  }
}
