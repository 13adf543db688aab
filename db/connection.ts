/**
 * Resolves the database connection of one env (pure).
 * Precedence: DATABASE_URL, when set, is the whole connection; otherwise DB_HOST, DB_PORT, DB_USER,
 * DB_PASS and DB_DATABASE (the seed's names) override single parts of the env's settings.
 * Variables come from workspace/secrets/<env>.env < .env < the process environment.
 */
import { join } from 'node:path';
import { SettingsError } from '../cli/errors.js';
import { readEnvFile, type LoadedWorkspace, type Vars } from '../infra/load-settings.js';
import type { DbConnection, ResolvedWorkspace } from '../infra/settings.js';

export function resolveDbConnection(settings: ResolvedWorkspace, env: string, vars: Vars): DbConnection {
  const envSettings = settings.envs[env];
  if (!envSettings) throw new SettingsError(`unknown env "${env}"`);
  const url = vars.DATABASE_URL;
  if (url) return parseDatabaseUrl(url);
  const db = envSettings.db;
  const docker = envSettings.infra === 'docker';
  const port = vars.DB_PORT ?? db.port ?? (docker ? settings.docker.dbPort : 5432);
  const portNumber = Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    throw new SettingsError(`invalid DB_PORT="${vars.DB_PORT}" (environment): expected a port number 1-65535`);
  }
  const overridden = ['DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASS', 'DB_DATABASE'].filter((k) => vars[k] !== undefined);
  return {
    host: vars.DB_HOST ?? db.host ?? (docker ? 'localhost' : ''),
    port: portNumber,
    user: vars.DB_USER ?? db.user,
    password: vars.DB_PASS ?? db.password,
    database: vars.DB_DATABASE ?? db.database,
    source: overridden.length ? `settings of env ${env} with ${overridden.join(', ')}` : `settings of env ${env}`,
  };
}

/** The vars that apply to an env: its secrets file under .env and the process environment. */
export function varsForEnv(loaded: LoadedWorkspace, env: string): Vars {
  const secrets = readEnvFile(join(loaded.settings.root, 'workspace', 'secrets', `${env}.env`));
  return { ...secrets, ...loaded.vars };
}

export function parseDatabaseUrl(url: string): DbConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SettingsError('invalid DATABASE_URL (environment): expected postgres://user:password@host:port/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new SettingsError(`invalid DATABASE_URL (environment): the scheme must be postgres:// (got ${parsed.protocol}//)`);
  }
  return {
    host: decodeURIComponent(parsed.hostname),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username),
    source: 'DATABASE_URL',
  };
}

/** postgres://user:****@host:port/database — never the password. */
export function describeConnection(conn: DbConnection): string {
  const auth = conn.password === undefined ? conn.user : `${conn.user}:****`;
  return `postgres://${auth}@${conn.host}:${conn.port}/${conn.database}`;
}
