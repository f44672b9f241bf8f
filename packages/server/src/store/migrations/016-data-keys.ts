import type { Kysely } from 'kysely';

// Envelope encryption (crypto/data-keys.ts): the keys that seal every secret
// at rest, each stored wrapped by the master key with the id of the master
// key that wraps it, so a master-key rotation re-wraps these rows and
// nothing else.
//
// Also the retirement of signing keys (services/signing-key-rotation.ts): a
// rotated-out key stops signing at `retired_at` and stays in the pool's JWKS
// until `published_until`, when every token it signed has expired.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('rewrapped_at', 'bigint')
    .execute();
  await db.schema.alterTable('signing_keys').addColumn('retired_at', 'bigint').execute();
  await db.schema.alterTable('signing_keys').addColumn('published_until', 'bigint').execute();
}
