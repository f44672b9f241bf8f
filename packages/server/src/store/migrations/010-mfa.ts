import type { Kysely } from 'kysely';

// Per-user MFA: which second factors the user has enabled and prefers
// (SetUserMFAPreference), and their TOTP authenticator. The TOTP secret is
// sealed with the master key bound to the user (never stored in clear); a
// secret being set up (AssociateSoftwareToken, not yet verified) is kept apart
// from the verified one, which it replaces only once a code from it is
// verified. `totp_last_step` is the last accepted 30-second step: a code is
// accepted only for a later step, so a replay inside its window fails.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_mfa')
    .addColumn('sub', 'text', (c) => c.primaryKey().references('users.sub').onDelete('cascade'))
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('totp_secret_sealed', 'text')
    .addColumn('totp_pending_sealed', 'text')
    .addColumn('totp_friendly_name', 'text')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('sms_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('email_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('preferred', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
