/**
 * The database connection and port of the app and the container entrypoint. Inside a container
 * the DB_* variables (or DATABASE_URL) are complete, so the workspace settings are only loaded
 * when they are not: start-up stays fast (no settings import) and the precedence stays the one of
 * db/connection.ts.
 */
import type { Vars } from '../infra/load-settings.js';
import type { DbConnection } from '../infra/settings.js';

export interface AppConfig {
  readonly conn: DbConnection;
  readonly port: number;
}

/** The connection from DB_HOST/DB_PORT/DB_USER/DB_PASS/DB_DATABASE alone, when they are all there. */
export function connectionFromDbVars(vars: Vars): DbConnection | undefined {
  const { DB_HOST: host, DB_USER: user, DB_DATABASE: database } = vars;
  if (!host || !user || !database) return undefined;
  const port = Number(vars.DB_PORT ?? '5432');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid DB_PORT="${vars.DB_PORT}": expected a port number 1-65535`);
  return { host, port, user, password: vars.DB_PASS, database, source: 'DB_* variables' };
}

export async function appConfig(vars: Vars = process.env): Promise<AppConfig> {
  const envPort = vars.PORT ? Number(vars.PORT) : undefined;
  if (envPort !== undefined && (!Number.isInteger(envPort) || envPort < 1 || envPort > 65535)) throw new Error(`invalid PORT="${vars.PORT}": expected a port number 1-65535`);
  if (vars.DATABASE_URL) {
    const { parseDatabaseUrl } = await import('../db/connection.js');
    return { conn: parseDatabaseUrl(vars.DATABASE_URL), port: envPort ?? 8000 };
  }
  const direct = connectionFromDbVars(vars);
  if (direct) return { conn: direct, port: envPort ?? 8000 };
  // on a developer's machine: the settings of WS_ENV (default env), with DB_* overrides
  const [{ loadWorkspace, selectEnv }, { resolveDbConnection, varsForEnv }] = await Promise.all([import('../infra/load-settings.js'), import('../db/connection.js')]);
  const loaded = await loadWorkspace({ env: vars });
  const env = selectEnv(loaded.settings, vars.WS_ENV);
  return { conn: resolveDbConnection(loaded.settings, env, varsForEnv(loaded, env)), port: envPort ?? loaded.settings.appPort };
}
