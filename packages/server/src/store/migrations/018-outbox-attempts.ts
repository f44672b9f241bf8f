import type { Kysely } from 'kysely';

// Mail is committed to the outbox with its operation and handed to SMTP
// afterwards; a process killed in between left it undelivered for good. A
// delivery now first claims its message (attempted_at, a conditional update,
// so of several processes only one sends it), and every process, at start and
// then periodically, sends what is unclaimed or whose claim went stale
// (services/mailer.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('attempted_at', 'bigint').execute();
}
