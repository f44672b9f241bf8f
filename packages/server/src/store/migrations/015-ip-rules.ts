import type { Kysely } from 'kysely';

// Protection (docs/security.md). `ip_rules`: the IP allow and deny lists of a
// user pool or of one app client (SetIpRules), one row per target, CIDR lists
// as JSON arrays; removed with their pool. `rate_counters`: fixed-window
// request counters of the rate limits, shared by every node on the database;
// kept apart from the per-user `counters` so the purge of old windows (by
// `window_start`) never touches those.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ip_rules')
    .addColumn('target_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('allow_cidrs', 'text', (c) => c.notNull())
    .addColumn('deny_cidrs', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ip_rules_pool').on('ip_rules').columns(['pool_id']).execute();

  await db.schema
    .createTable('rate_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_counters_window').on('rate_counters').columns(['window_start']).execute();
}
