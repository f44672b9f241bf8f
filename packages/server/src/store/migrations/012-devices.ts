import type { Kysely } from 'kysely';

// Remembered devices (Cognito device tracking). A row is made when a sign-in
// hands out NewDeviceMetadata (status 'pending': the key was issued to this
// user, nothing else is known); ConfirmDevice gives it a name and the
// device's SRP verifier (sealed with the master key: one SHA-256 away from the
// device secret, so it is a password equivalent) and makes it 'remembered'
// or 'not_remembered'. Only confirmed rows are listed. Rows go with their user
// (ON DELETE CASCADE), and ForgetDevice deletes one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('devices')
    .addColumn('device_key', 'text', (c) => c.primaryKey())
    .addColumn('sub', 'text', (c) => c.notNull().references('users.sub').onDelete('cascade'))
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('salt', 'text')
    .addColumn('verifier_sealed', 'text')
    .addColumn('last_ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('last_authenticated_at', 'bigint')
    .execute();
  await db.schema.createIndex('devices_user').on('devices').columns(['sub', 'created_at']).execute();
}
