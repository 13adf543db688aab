/** A Kysely instance as a Queryable (for code that already holds one: kysely-codegen's command, tests, scripts). */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Queryable } from './pg-query.js';

export function fromKysely(db: Kysely<any>): Queryable {
  return { query: async (text, values = []) => ({ rows: [...(await db.executeQuery(CompiledQuery.raw(text, values))).rows] }) };
}
