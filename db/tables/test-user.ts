/**
 * The seed's test-user script: creates a user in the selected env's database and reads it back.
 *   npm run db:test-user -- EMAIL [--env ENV]
 */
import { parseArgs } from 'node:util';
import { describeError, exitCodeOf, UsageError } from '../../cli/errors.js';
import { loadWorkspace, selectEnv } from '../../infra/load-settings.js';
import { resolveDbConnection, varsForEnv } from '../connection.js';
import { withDb } from '../session.js';
import type { DB } from './index.js';
import { createUser, getUser } from './user-queries.js';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { env: { type: 'string', short: 'e' } } });
  const email = positionals[0];
  if (!email) throw new UsageError('usage: npm run db:test-user -- EMAIL [--env ENV]');
  const loaded = await loadWorkspace();
  const env = selectEnv(loaded.settings, values.env ?? loaded.vars.WS_ENV);
  const conn = resolveDbConnection(loaded.settings, env, varsForEnv(loaded, env));
  return withDb<number, DB>(conn, async (db) => {
    console.error(`Creating user: ${email}`);
    await createUser(db, email);
    console.error(`Getting user: ${email}`);
    const user = await getUser(db, email);
    if (!user) {
      console.log(`User not found: ${email}`);
      return 1;
    }
    console.log(`User created: ${user.id_user}`);
    return 0;
  });
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`error: ${describeError(error, process.argv.includes('--debug'))}`);
    process.exitCode = exitCodeOf(error);
  },
);
