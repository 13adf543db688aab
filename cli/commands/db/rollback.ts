import { UsageError } from '../../errors.js';
import { migrateDown } from '../../../db/migrator.js';
import { usingMigrator } from './using-migrator.js';

export async function runRollback(opts: { env?: string; steps?: string; all?: boolean }): Promise<void> {
  const steps = Number(opts.steps ?? '1');
  if (!opts.all && (!Number.isInteger(steps) || steps < 1)) throw new UsageError(`--steps ${opts.steps}: expected a whole number >= 1`);
  await usingMigrator(opts, async (migrator, ctx) => {
    const undone = await migrateDown(migrator, opts.all ? 'all' : { steps });
    if (undone.length === 0) ctx.out.result('nothing to roll back: no migration is applied');
    for (const name of undone) ctx.out.result(`rolled back ${name}`);
  });
}
