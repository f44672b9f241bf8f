import type { Kysely } from 'kysely';

// What the OAuth 2.0 endpoints keep between requests.
//
// oauth_codes: authorization codes (RFC 6749 section 4.1), stored by hash,
// single use, bound to the client, the redirect URI and the PKCE challenge
// they were issued for. `consumed_at` marks the exchange; `origin_jti` names
// the token family it created, so a replayed code can revoke it (RFC 6749
// section 4.1.2: "SHOULD revoke ... all tokens previously issued based on
// that authorization code").
//
// hosted_sessions: the managed-login sign-in a browser holds (a cookie whose
// hash is the key): an authorize request within its life issues a code
// without asking for the password again; /logout ends it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oauth_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull().references('users.sub').onDelete('cascade'))
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text')
    .addColumn('code_challenge', 'text')
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .addColumn('origin_jti', 'text')
    .execute();
  await db.schema.createIndex('oauth_codes_expiry').on('oauth_codes').columns(['expires_at']).execute();

  await db.schema
    .createTable('hosted_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull().references('users.sub').onDelete('cascade'))
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hosted_sessions_user').on('hosted_sessions').columns(['sub']).execute();
}
