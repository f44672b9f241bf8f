import type { Kysely } from 'kysely';

// Two tables for the "rotation" slice.
//
// refresh_tokens: every refresh token of a family (sessions.origin_jti) once
// that family is rotated by GetTokensFromRefreshToken on a client with
// RefreshTokenRotation ENABLED. A token is live until `superseded_at`; its
// successor is kept sealed (AES-GCM under the master key) so a retry inside
// RetryGracePeriodSeconds gets the same successor back instead of forking the
// family. Only hashes identify tokens. A family never rotated has no rows here:
// its one token is sessions.refresh_hash, as before.
//
// unknown_name_failures: the lockout state of sign-in names that match no
// user, for clients with PreventUserExistenceErrors ENABLED, so that an
// unknown name locks ("Password attempts exceeded") exactly as a real account
// does. Keyed by a MAC of pool and name: the names people mistype are not
// kept in the clear.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('origin_jti', 'text', (c) => c.notNull().references('sessions.origin_jti').onDelete('cascade'))
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('superseded_at', 'bigint')
    .addColumn('successor_sealed', 'text')
    .execute();
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').columns(['origin_jti']).execute();

  await db.schema
    .createTable('unknown_name_failures')
    .addColumn('name_key', 'text', (c) => c.primaryKey())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
    .addColumn('last_failed_at', 'bigint', (c) => c.notNull())
    .execute();
}
