/** The seed's create_user / get_user. */
import type { Kysely } from 'kysely';
import type { DB, User } from './index.js';

export async function createUser(db: Kysely<DB>, email: string): Promise<User> {
  return db.insertInto('dim_users').values({ email }).returningAll().executeTakeFirstOrThrow();
}

export async function getUser(db: Kysely<DB>, email: string): Promise<User | undefined> {
  return db.selectFrom('dim_users').selectAll().where('email', '=', email).executeTakeFirst();
}
