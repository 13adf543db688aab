/** `ws db ...`: the migrator and the schema tools. */
import { Command, Option } from 'commander';
import { envOption } from '../../options.js';

export function dbCommand(): Command {
  const db = new Command('db').description('database: migrations, revisions, schema checks');
  db.addCommand(
    envOption(new Command('migrate'))
      .description('apply pending migrations (alembic upgrade head)')
      .option('--to <name>', 'migrate up or down to this migration (name or timestamp)')
      .option('--direct', 'connect to the database from this process even when the env runs on aws (used inside containers)')
      .addHelpText('after', '\nExamples:\n  ws db migrate --env dev\n  ws db migrate --env prd        # a one-off ECS task of the service\n  ws db migrate --to 20261125000000')
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
    envOption(new Command('revision'))
      .description('create a new migration file in db/migrations')
      .requiredOption('-m, --message <message>', 'what the migration does; names the file')
      .option('--autogenerate', 'write the migration from the difference between db/tables and the migrated database')
      .option('--allow-destructive', 'with --autogenerate: allow dropping tables/columns and narrowing types')
      .addHelpText('after', '\nExamples:\n  ws db revision -m "add name to users"\n  ws db revision --autogenerate -m "Initialize DB"')
      .action(async (opts) => (await import('./revision.js')).runRevision(opts)),
  );
  db.addCommand(
    envOption(new Command('check'))
      .description('exit 1 when the migrated database differs from db/tables (for CI)')
      .option('--json', 'print as JSON')
      .addHelpText('after', '\nExample:\n  ws db check --env dev')
      .action(async (opts) => (await import('./check.js')).runCheck(opts)),
  );
  db.addCommand(
    envOption(new Command('codegen'))
      .description('write the typed DB interface (kysely-codegen) into db/types.ts')
      .option('--verify', 'exit 1 when db/types.ts is not current')
      .addHelpText('after', '\nExamples:\n  ws db codegen\n  ws db codegen --verify')
      .action(async (opts) => (await import('./codegen.js')).runCodegen(opts)),
  );
  db.addCommand(
    new Command('init')
      .description('create db/migrations and db/tables/index.ts when missing (idempotent)')
      .action(async () => (await import('./init.js')).runInit()),
  );
  return db;
}
