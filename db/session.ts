/** The Kysely session: one pool per command, readable errors for the ways a connection fails. */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { CONNECT_TIMEOUT_MS, explainDbError, pgConfig } from './db-errors.js';
import type { DbConnection } from '../infra/settings.js';

export function createDb<DB = unknown>(conn: DbConnection, options: { max?: number } = {}): Kysely<DB> {
  const pool = new pg.Pool({ ...pgConfig(conn), max: options.max ?? 4 });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the pool, checks the connection, runs fn, always destroys the pool. */
export async function withDb<T, DB = unknown>(conn: DbConnection, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  const db = createDb<DB>(conn);
  try {
    await checkConnection(db, conn);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

export async function checkConnection(db: Kysely<any>, conn: DbConnection): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    throw explainDbError(error, conn);
  }
}

export { CONNECT_TIMEOUT_MS, explainDbError };
