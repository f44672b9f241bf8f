import { sql, type Kysely } from 'kysely';

// App-client secrets, one row each: a confidential client may hold two at
// once so it can rotate (AddUserPoolClientSecret, DeleteUserPoolClientSecret).
// Each is sealed with the master key, bound to its client as before, so the
// sealed values of user_pool_clients.secret_sealed move over unchanged; that
// column is no longer read. Rows go with their client (ON DELETE CASCADE).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('client_secrets')
    .addColumn('secret_id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('user_pool_clients.client_id').onDelete('cascade'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_secrets_client').on('client_secrets').columns(['client_id', 'created_at']).execute();
  await sql`INSERT INTO client_secrets (secret_id, client_id, secret_sealed, created_at)
            SELECT client_id || '--original', client_id, secret_sealed, created_at FROM user_pool_clients WHERE secret_sealed IS NOT NULL`.execute(db);
}
