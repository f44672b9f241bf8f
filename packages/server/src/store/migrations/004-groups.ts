import type { Kysely } from 'kysely';

// User-pool groups and memberships. A group is named within its pool, so the
// pair (pool_id, name) is its key. Memberships go with whichever side
// disappears first: the group (DeleteGroup), the user (AdminDeleteUser,
// DeleteUser) or the pool (through both), all by ON DELETE CASCADE, so no
// operation has to remember to clean them up and none can leave orphans.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('role_arn', 'text')
    .addColumn('precedence', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['pool_id', 'name'])
    .execute();

  await db.schema
    .createTable('user_groups')
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull().references('users.sub').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_groups_pk', ['pool_id', 'group_name', 'sub'])
    .addForeignKeyConstraint('user_groups_group', ['pool_id', 'group_name'], 'groups', ['pool_id', 'name'], (fk) => fk.onDelete('cascade'))
    .execute();
  // A user's groups, read on every token issue.
  await db.schema.createIndex('user_groups_user').on('user_groups').columns(['sub']).execute();
}
