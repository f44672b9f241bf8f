import type { Kysely } from 'kysely';

// One row: a MAC of a constant under the master key the database was first
// started with (services/master-key-check.ts). Several nodes on different
// data directories share one database; a node started with another master
// key could open none of the sealed values and would seal new ones nobody
// else can read, so it is refused at start instead. The MAC reveals nothing
// of the key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('master_key_check')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('check_value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
