import type { Kysely } from 'kysely';

// Failed sign-ins since the last success, never forgotten with time: the
// lockout count resets after 15 quiet minutes (as Cognito's does), so the
// hard stop (100 consecutive failures require a password reset) needs its own.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
