import { migrateUp } from '../../../db/migrator.js';
import { varsForEnv } from '../../../db/connection.js';
import { loadContext } from '../../context.js';
import { createProgress } from '../../progress.js';
import { selectForCommand } from '../resources.impl.js';
import { withMigrator } from './using-migrator.js';

export async function runMigrate(opts: { env?: string; to?: string; direct?: boolean }): Promise<void> {
  const ctx = await loadContext(opts);
  if (ctx.settings.envs[ctx.env]!.infra === 'aws' && !opts.direct) {
    // the seed's `aws ecs execute-command ... alembic upgrade head`: a one-off task of the service
    const { all } = await selectForCommand(ctx, { env: ctx.env });
    const { runMigrationTask } = await import('../../../infra/aws/migrate-task.js');
    const reporter = await createProgress();
    try {
      process.exitCode = await runMigrationTask({ settings: ctx.settings, env: ctx.env, vars: varsForEnv(ctx, ctx.env) }, all, { ...(opts.to ? { to: opts.to } : {}), reporter });
    } finally {
      reporter.stop();
    }
    return;
  }
  await withMigrator(ctx, async (migrator) => {
    const done = await migrateUp(migrator, opts.to);
    if (done.length === 0) ctx.out.result('nothing to migrate: the database is up to date');
    for (const name of done) ctx.out.result(`applied ${name}`);
  });
}
