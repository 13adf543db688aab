import { migrateUp } from '../../../db/migrator.js';
import { usingMigrator } from './using-migrator.js';

export async function runMigrate(opts: { env?: string; to?: string }): Promise<void> {
  await usingMigrator(opts, async (migrator, ctx) => {
    const done = await migrateUp(migrator, opts.to);
    if (done.length === 0) ctx.out.result('nothing to migrate: the database is up to date');
    for (const name of done) ctx.out.result(`applied ${name}`);
  });
}
