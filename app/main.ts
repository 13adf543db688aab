/**
 * Starts the app: `node dist/app/main.js` (the image's default command).
 * PORT and DB_* / DATABASE_URL from the environment (see connection.ts); LOG_LEVEL=debug logs requests.
 */
import { describeConnection } from '../db/connection.js';
import { createDb } from '../db/session.js';
import type { DB } from '../db/tables/index.js';
import { appConfig } from './connection.js';
import { createApp } from './server.js';

async function main(): Promise<void> {
  const { conn, port } = await appConfig(process.env);
  const db = createDb<DB>(conn, { max: 10 });
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const server = createApp(db, { log, logRequests: process.env.LOG_LEVEL === 'debug' });
  server.listen(port, '0.0.0.0', () => log(`app listening on port ${port} (database ${describeConnection(conn)})`));
  const stop = (signal: string) => {
    log(`${signal}: shutting down`);
    setTimeout(() => process.exit(0), 5000).unref();
    server.close(() => void db.destroy().finally(() => process.exit(0)));
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`app: cannot start: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
