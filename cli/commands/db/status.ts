import { migrationStatus } from '../../../db/migrator.js';
import { usingMigrator } from './using-migrator.js';

export async function runStatus(opts: { env?: string; check?: boolean; json?: boolean }): Promise<void> {
  await usingMigrator(opts, async (migrator, ctx) => {
    const status = await migrationStatus(migrator);
    if (opts.json) ctx.out.json(status);
    else {
      for (const m of status.applied) ctx.out.result(`applied  ${m.name}  ${m.executedAt.toISOString()}`);
      for (const name of status.pending) ctx.out.result(`pending  ${name}`);
      ctx.out.result(`${status.applied.length} applied, ${status.pending.length} pending`);
    }
    if (opts.check && status.pending.length > 0) {
      ctx.out.info(`${status.pending.length} migration(s) pending: run ws db migrate${ctx.env === ctx.settings.defaultEnv ? '' : ` --env ${ctx.env}`}`);
      process.exitCode = 1;
    }
  });
}
