import { UsageError, WsError } from '../../errors.js';
import { displayPath } from '../../output.js';
import { findWorkspaceRoot } from '../../../infra/load-settings.js';

export interface RevisionOpts {
  message: string;
  autogenerate?: boolean;
  allowDestructive?: boolean;
  env?: string;
}

export async function runRevision(opts: RevisionOpts): Promise<void> {
  if (opts.autogenerate) return runAutogenerate(opts);
  if (opts.allowDestructive) throw new UsageError('--allow-destructive only applies with --autogenerate');
  const { writeRevision } = await import('../../../db/revision.js');
  const root = findWorkspaceRoot();
  const file = await writeRevision(root, opts.message);
  process.stdout.write(`created ${displayPath(file)}\n`);
}

/** alembic revision --autogenerate: diff db/tables against the migrated database, write the migration. */
async function runAutogenerate(opts: RevisionOpts): Promise<void> {
  const { usingSchemaDb } = await import('./check.js');
  const { autogenerate } = await import('../../../db/autogen/autogenerate.js');
  const { writeMigrationFile: writeMigration } = await import('../../../db/migration-files.js');
  const { pendingMigrations } = await import('../../../db/autogen/workspace.js');
  await usingSchemaDb(opts, async (db, ctx) => {
    const pending = await pendingMigrations(db, ctx.settings.root);
    if (pending.length > 0) {
      throw new WsError(`the database is not up to date (${pending.length} pending: ${pending.join(', ')}): run ws db migrate${ctx.env === ctx.settings.defaultEnv ? '' : ` --env ${ctx.env}`} first, then autogenerate`);
    }
    const result = await autogenerate(db, ctx.settings.root, { message: opts.message, allowDestructive: opts.allowDestructive ?? false });
    if (result.source === null) {
      ctx.out.result('no changes: the database matches db/tables; no migration written');
      return;
    }
    const file = await writeMigration(ctx.settings.root, opts.message, result.source);
    for (const line of result.summary) ctx.out.result(`  ${line}`);
    ctx.out.result(`created ${displayPath(file)} (${result.operations.length} operation${result.operations.length === 1 ? '' : 's'}); review it, then run ws db migrate`);
  });
}
