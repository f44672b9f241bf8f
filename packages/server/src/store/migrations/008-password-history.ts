import type { Kysely } from 'kysely';

// PasswordHistorySize (0–24): a user may not set any of their last n
// passwords. Each row is the argon2id hash (never the password) of a password
// the user held until it was replaced; the current one stays in users. `seq`
// orders a user's rows (newest highest) without trusting the clock, which
// may stand still or step back; at most 24 rows are kept per user.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_history')
    .addColumn('sub', 'text', (c) => c.notNull().references('users.sub').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('password_history_pk', ['sub', 'seq'])
    .execute();
}
