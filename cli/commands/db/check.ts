/** `ws db check`: exit 0 when the migrated database matches db/tables, 1 with the differences (the CI guard). */
import type { Kysely } from 'kysely';
import { withPgClient, type Queryable } from '../../../db/autogen/pg-query.js';
import { describeConnection, resolveDbConnection, varsForEnv } from '../../../db/connection.js';
import { loadContext, type Context } from '../../context.js';

/**
 * usingMigrator's pattern over a bare pg client (see db/autogen/pg-query.ts). Migration names are read
 * without importing the files (pendingMigrations).
 */
export async function usingSchemaDb<T>(opts: { env?: string }, fn: (db: Queryable, ctx: Context) => Promise<T>): Promise<T> {
  const ctx = await loadContext(opts);
  const conn = resolveDbConnection(ctx.settings, ctx.env, varsForEnv(ctx, ctx.env));
  ctx.out.info(`database ${describeConnection(conn)} (env ${ctx.env})`);
  return withPgClient(conn, (db) => fn(db, ctx));
}

/** The same with a Kysely instance, for kysely-codegen. */
export async function usingKysely<T>(opts: { env?: string }, fn: (db: Kysely<any>, ctx: Context) => Promise<T>): Promise<T> {
  const { withDb } = await import('../../../db/session.js');
  const ctx = await loadContext(opts);
  const conn = resolveDbConnection(ctx.settings, ctx.env, varsForEnv(ctx, ctx.env));
  ctx.out.info(`database ${describeConnection(conn)} (env ${ctx.env})`);
  return withDb(conn, (db) => fn(db, ctx));
}

export async function runCheck(opts: { env?: string; json?: boolean }): Promise<void> {
  const { compareSchema } = await import('../../../db/autogen/autogenerate.js');
  const { describe, destructiveReason } = await import('../../../db/autogen/operations.js');
  const { pendingMigrations } = await import('../../../db/autogen/workspace.js');
  await usingSchemaDb(opts, async (db, ctx) => {
    const pending = await pendingMigrations(db, ctx.settings.root);
    const { diff } = await compareSchema(db, ctx.settings.root);
    const differences = diff.operations.map((op) => ({ kind: op.kind, description: describe(op), destructive: destructiveReason(op) !== null }));
    const clean = pending.length === 0 && differences.length === 0;
    if (opts.json) ctx.out.json({ clean, pending, differences });
    else {
      for (const name of pending) ctx.out.result(`pending migration ${name}`);
      if (differences.length) ctx.out.result(`the database differs from db/tables (${differences.length} change${differences.length === 1 ? '' : 's'} needed):`);
      for (const d of differences) ctx.out.result(`  ${d.description}${d.destructive ? '  (destructive)' : ''}`);
      if (clean) ctx.out.result('the database matches db/tables');
    }
    if (!clean) {
      const envFlag = ctx.env === ctx.settings.defaultEnv ? '' : ` --env ${ctx.env}`;
      ctx.out.info(pending.length ? `run: ws db migrate${envFlag}` : `run: ws db revision --autogenerate -m "..."${envFlag}, then ws db migrate${envFlag}`);
      process.exitCode = 1;
    }
  });
}
