import { sql, type Kysely } from 'kysely';

// Creates dim_users (db/tables/users.ts) and the trigger that keeps updated_at current.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function ws_set_now_on_update() returns trigger language plpgsql as $$
    begin
      NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
      return NEW;
    end
    $$`.execute(db);
  await db.schema
    .createTable('dim_users')
    .addColumn('id_user', 'bigint', (col) => col.primaryKey().generatedByDefaultAsIdentity().notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('is_active', 'boolean', (col) => col.notNull().defaultTo(sql`true`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz')
    .execute();
  await sql`
    create trigger dim_users_updated_at_on_update before update on dim_users
    for each row execute function ws_set_now_on_update('updated_at')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dim_users').execute();
  await sql`drop function if exists ws_set_now_on_update()`.execute(db);
}
