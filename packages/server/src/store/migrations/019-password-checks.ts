import { sql, type Kysely } from 'kysely';

// Cognate's password rules beyond Cognito's (context words, the common-password
// list) became opt-in per pool (CognateService.SetPasswordChecks): a pool
// without them accepts exactly what Cognito accepts. One row per pool, the
// two switches as 0/1 integers (one type on SQLite and PostgreSQL); removed
// with the pool. Pools that exist when this runs had both rules enforced, so
// they keep them: an upgrade must not quietly weaken a running deployment. An
// operator turns them off with SetPasswordChecks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pool_password_checks')
    .addColumn('pool_id', 'text', (c) => c.primaryKey().references('user_pools.id').onDelete('cascade'))
    .addColumn('reject_context_words', 'integer', (c) => c.notNull())
    .addColumn('reject_common_passwords', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into pool_password_checks (pool_id, reject_context_words, reject_common_passwords, updated_at) select id, 1, 1, ${sql.lit(Date.now())} from user_pools`.execute(
    db,
  );
}
