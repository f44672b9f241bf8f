import type { Kysely } from 'kysely';

// The configuration side of OAuth 2.0 and managed login: user-pool domains,
// resource servers (custom scopes), classic hosted-UI customization, managed
// login branding styles and terms documents. Every row names its pool with a
// foreign key (ON DELETE CASCADE), and rows of one app client carry a
// `client_id` column, which PoolStore.deleteClient sweeps; so DeleteUserPool
// and DeleteUserPoolClient leave nothing behind. Types are the ones every
// earlier migration uses on both databases: text, integer (0/1 for booleans),
// bigint epoch milliseconds; JSON documents and image bytes (base64) as text.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A domain name is global (Cognito: "Domain already associated with another
  // user pool."), so it is the key, stored lower-case. A pool has at most one
  // prefix domain and one custom domain: the unique (pool_id, custom) index
  // holds that even against two concurrent creates.
  await db.schema
    .createTable('user_pool_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('custom', 'integer', (c) => c.notNull())
    .addColumn('managed_login_version', 'integer', (c) => c.notNull())
    .addColumn('certificate_arn', 'text')
    .addColumn('security_policy', 'text')
    .addColumn('cloudfront_distribution', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_pool_domains_pool_kind').on('user_pool_domains').columns(['pool_id', 'custom']).unique().execute();

  await db.schema
    .createTable('resource_servers')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_servers_pk', ['pool_id', 'identifier'])
    .execute();

  // client_id is an app client's ID or 'ALL' (the pool's default).
  await db.schema
    .createTable('ui_customizations')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('css', 'text')
    .addColumn('image_file', 'text')
    .addColumn('image_type', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ui_customizations_pk', ['pool_id', 'client_id'])
    .execute();

  // One branding style per app client (ManagedLoginBrandingExistsException).
  await db.schema
    .createTable('managed_login_brandings')
    .addColumn('branding_id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('use_cognito_provided_values', 'integer', (c) => c.notNull())
    .addColumn('settings', 'text')
    .addColumn('assets', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('managed_login_brandings_client').on('managed_login_brandings').columns(['pool_id', 'client_id']).unique().execute();

  // "Terms document names must be unique to the app client" (TermsExistsException).
  await db.schema
    .createTable('terms_documents')
    .addColumn('terms_id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('terms_name', 'text', (c) => c.notNull())
    .addColumn('terms_source', 'text', (c) => c.notNull())
    .addColumn('enforcement', 'text', (c) => c.notNull())
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('terms_documents_client_name').on('terms_documents').columns(['client_id', 'terms_name']).unique().execute();
  await db.schema.createIndex('terms_documents_pool').on('terms_documents').columns(['pool_id', 'created_at']).execute();
}
