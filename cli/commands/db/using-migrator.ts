/** parse -> acquire (workspace, connection, migrator) in try/finally -> domain call (kysely-ctl's using-kysely). */
import type { Migrator } from 'kysely';
import { describeConnection, resolveDbConnection, varsForEnv } from '../../../db/connection.js';
import { createMigrator } from '../../../db/migrator.js';
import { withDb } from '../../../db/session.js';
import type { DbConnection } from '../../../infra/settings.js';
import { loadContext, type Context } from '../../context.js';

export type MigratorFn<T> = (migrator: Migrator, ctx: Context, conn: DbConnection) => Promise<T>;

export async function usingMigrator<T>(opts: { env?: string }, fn: MigratorFn<T>): Promise<T> {
  return withMigrator(await loadContext(opts), fn);
}

export async function withMigrator<T>(ctx: Context, fn: MigratorFn<T>): Promise<T> {
  const conn = resolveDbConnection(ctx.settings, ctx.env, varsForEnv(ctx, ctx.env));
  ctx.out.info(`database ${describeConnection(conn)} (env ${ctx.env})`);
  return withDb(conn, (db) => fn(createMigrator(db, ctx.settings.root), ctx, conn));
}
