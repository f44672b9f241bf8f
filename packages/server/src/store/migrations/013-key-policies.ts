import { sql, type Kysely } from 'kysely';

// Operator access control (issue 6): each access key's policy, one row per
// key. `full_access` marks a key that may call everything (the key made at
// first start); any other key may do only what its `document` (an IAM-style
// JSON policy, checked when attached) allows, and nothing without one. Keys
// that existed before this migration had full access, and keep it. Rows go
// with their key (ON DELETE CASCADE).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('key_policies')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey().references('access_keys.access_key_id').onDelete('cascade'))
    .addColumn('full_access', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('document', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO key_policies (access_key_id, full_access, document, updated_at)
            SELECT access_key_id, 1, NULL, created_at FROM access_keys`.execute(db);
}
