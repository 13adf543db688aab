/** Every table of the workspace, registered here (alembic's Base.metadata): autogenerate and `ws db check` consider only these. */
import { usersTable, type UsersTable } from './users.js';

export const tables = [usersTable] as const;

/** The Kysely database interface of the workspace. */
export interface DB {
  dim_users: UsersTable;
}

export { usersTable };
export type { User, NewUser, UserUpdate, UsersTable } from './users.js';
