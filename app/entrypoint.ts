/**
 * The container's start-up work, run by bin/entrypoint.sh before it execs the command:
 *   PRINT_ENV_ON_LOAD  print the environment, secrets masked
 *   WAIT_FOR_DB        wait until the database answers (WAIT_FOR_DB_TIMEOUT seconds, default 60)
 *   MIGRATE_DB         apply pending migrations with Kysely's Migrator (under its lock)
 * Any failure ends with one clear log line and exit code 1, so the container stops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Vars } from '../infra/load-settings.js';
import type { DbConnection } from '../infra/settings.js';
import { appConfig } from './connection.js';

export const truthy = (v: string | undefined): boolean => /^(1|true|yes|on)$/i.test(v?.trim() ?? '');

const SECRET_NAME = /PASS|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH/i;

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

/** Polls `select 1` until the database answers or the timeout passes. */
export async function waitForDb(db: Kysely<any>, conn: DbConnection, opts: { timeoutMs: number; intervalMs?: number; log: (line: string) => void }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let announced = 0;
  for (;;) {
    try {
      await sql`select 1`.execute(db);
      if (announced) opts.log(`database ${where(conn)} is up`);
      return;
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
  const [{ conn }, { createDb }] = await Promise.all([appConfig(vars), import('../db/session.js')]);
  const db = createDb(conn, { max: 1 });
  try {
    if (wait) await waitForDb(db, conn, { timeoutMs: timeoutS * 1000, log });
    if (migrate) {
      const { createMigrator, migrateUp } = await import('../db/migrator.js');
      let applied: string[];
      try {
        applied = await migrateUp(createMigrator(db, root));
      } catch (error) {
        throw new Error(`migration failed on ${where(conn)}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      }
      log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: the database is up to date');
    }
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
