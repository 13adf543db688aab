/** Connection settings and readable connection errors, shared by Kysely sessions and bare pg clients (Kysely-free). */
import { WsError } from '../cli/errors.js';
import type { DbConnection } from '../infra/settings.js';

export const CONNECT_TIMEOUT_MS = 5000;

/** pg's client/pool options for a connection (the password goes to pg only, never to a message). */
export function pgConfig(conn: DbConnection, connectTimeoutMs: number = CONNECT_TIMEOUT_MS) {
  return { host: conn.host, port: conn.port, user: conn.user, password: conn.password, database: conn.database, connectionTimeoutMillis: connectTimeoutMs };
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
