/**
 * The one thing autogenerate needs from a connection: run a query with parameters. pg's Client and
 * Pool fit as they are. Schema commands use a bare pg client rather than a Kysely instance: loading
 * Kysely costs more (100+ ms) than reading and diffing a 200-table catalog.
 */
import pg from 'pg';
import type { DbConnection } from '../../infra/settings.js';
import { explainDbError, pgConfig } from '../db-errors.js';


export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** Connects one pg client, runs fn, always closes it; connection errors read as `ws db migrate`'s do. */
export async function withPgClient<T>(conn: DbConnection, fn: (q: Queryable) => Promise<T>): Promise<T> {
  const client = new pg.Client(pgConfig(conn));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw explainDbError(error, conn);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** SQL identifier, always quoted (for statements built at run time). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
