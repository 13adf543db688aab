/** `ws db ...`: the migrator and the schema tools. */
import { Command, Option } from 'commander';
import { envOption } from '../../options.js';

export function dbCommand(): Command {
  const db = new Command('db').description('database: migrations, revisions, schema checks');
  db.addCommand(
    envOption(new Command('migrate'))
      .description('apply pending migrations (alembic upgrade head)')
      .option('--to <name>', 'migrate up or down to this migration (name or timestamp)')
      .addHelpText('after', '\nExamples:\n  ws db migrate --env dev\n  ws db migrate --to 20261125000000')
      .action(async (opts) => (await import('./migrate.js')).runMigrate(opts)),
  );
  db.addCommand(
    envOption(new Command('rollback'))
      .description('undo the last migration, the last N, or all')
      .addOption(new Option('--steps <n>', 'how many migrations to undo').default('1').conflicts('all'))
      .option('--all', 'undo every applied migration')
      .addHelpText('after', '\nExamples:\n  ws db rollback\n  ws db rollback --steps 2\n  ws db rollback --all')
      .action(async (opts) => (await import('./rollback.js')).runRollback(opts)),
  );
  db.addCommand(
    envOption(new Command('status'))
      .description('list applied and pending migrations')
      .option('--check', 'exit 1 when migrations are pending')
      .option('--json', 'print as JSON')
      .addHelpText('after', '\nExample:\n  ws db status --check')
      .action(async (opts) => (await import('./status.js')).runStatus(opts)),
  );
  db.addCommand(
    new Command('revision')
      .description('create a new migration file in db/migrations')
      .requiredOption('-m, --message <message>', 'what the migration does; names the file')
      .addHelpText('after', '\nExample:\n  ws db revision -m "add name to users"')
      .action(async (opts) => (await import('./revision.js')).runRevision(opts)),
  );
  db.addCommand(
    new Command('init')
      .description('create db/migrations and db/tables/index.ts when missing (idempotent)')
      .action(async () => (await import('./init.js')).runInit()),
  );
  return db;
}
