/** The Kysely session: one pool per command, readable errors for the ways a connection fails. */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { WsError } from '../cli/errors.js';
import type { DbConnection } from '../infra/settings.js';

export const CONNECT_TIMEOUT_MS = 5000;

export function createDb<DB = unknown>(conn: DbConnection, options: { max?: number } = {}): Kysely<DB> {
  const pool = new pg.Pool({
    host: conn.host,
    port: conn.port,
    user: conn.user,
    password: conn.password,
    database: conn.database,
    max: options.max ?? 4,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
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

/** Maps driver errors to one readable line naming host:port, never the password. */
export function explainDbError(error: unknown, conn: DbConnection): WsError {
  const e = error as { code?: string; message?: string };
  const where = `${conn.host}:${conn.port}`;
  const msg = e?.message ?? String(error);
  const hint = `(connection from ${conn.source}; set DATABASE_URL or DB_HOST/DB_PORT to change it)`;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return new WsError(`cannot connect to the database at ${where}: connection refused — is Postgres running there? ${hint}`, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new WsError(`cannot connect to the database at ${where}: host "${conn.host}" not found ${hint}`, { cause: error });
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new WsError(`cannot connect to the database at ${where}: ${e.code} ${hint}`, { cause: error });
    case '28P01':
    case '28000':
      return new WsError(`authentication failed for user "${conn.user}" on the database at ${where} (check DB_USER/DB_PASS)`, { cause: error });
    case '3D000':
      return new WsError(`database "${conn.database}" does not exist on ${where}`, { cause: error });
  }
  if (/timeout/i.test(msg)) {
    return new WsError(`cannot connect to the database at ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s ${hint}`, { cause: error });
  }
  return new WsError(`database error at ${where}: ${msg}`, { cause: error });
}
