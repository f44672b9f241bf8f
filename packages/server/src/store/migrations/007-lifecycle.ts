import type { Kysely } from 'kysely';

// Cognate's own user lifecycle (docs/user-lifecycle.md). The status itself
// lives in users.status (ARCHIVED, COMPROMISED); these tables keep what the
// status alone cannot: when and from which status a user was archived (to
// restore it, and to purge it once the pool's retention has passed), when and
// by whom a user was marked compromised, and each pool's retention period.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_lifecycle')
    .addColumn('sub', 'text', (c) => c.primaryKey().references('users.sub').onDelete('cascade'))
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .addColumn('status_before_archive', 'text')
    .addColumn('compromised_at', 'bigint')
    .addColumn('compromised_by', 'text')
    .execute();
  // The purge job looks archived users up by age.
  await db.schema.createIndex('user_lifecycle_archived').on('user_lifecycle').columns(['archived_at']).execute();

  await db.schema
    .createTable('pool_lifecycle')
    .addColumn('pool_id', 'text', (c) => c.primaryKey().references('user_pools.id').onDelete('cascade'))
    .addColumn('archive_retention_days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
