import type { Kysely } from 'kysely';

// SRP sign-in: each user's salt and sealed verifier. Null for users whose
// password predates this migration until their next password sign-in, and for
// users without a password. One column per statement: SQLite's ALTER TABLE
// adds one at a time.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('srp_salt', 'text').execute();
  await db.schema.alterTable('users').addColumn('srp_verifier_sealed', 'text').execute();
}
