import type { Kysely } from 'kysely';

// The per-user auth event history (AdminListUserAuthEvents), kept apart from
// the users row so a busy sign-in path only appends. `seq` orders a user's
// events (newest first, even within one millisecond) and bounds the history:
// only the newest AUTH_EVENTS_PER_USER rows are kept (store/events.ts).
// No secret is stored: the context is the source IP and a device name derived
// from the user agent, the challenge outcomes are Success/Failure words.
//
// Also here, because the same slice of the API owns them: the legacy
// MFAOptions of AdminSetUserSettings/SetUserSettings, and the stored (not
// enforced) risk configuration of SetRiskConfiguration per pool or client.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('pool_id', 'text', (c) => c.notNull())
    .addColumn('sub', 'text', (c) => c.notNull().references('users.sub').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('event_response', 'text', (c) => c.notNull())
    .addColumn('challenge_responses', 'text', (c) => c.notNull())
    .addColumn('ip_address', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('feedback_value', 'text')
    .addColumn('feedback_provider', 'text')
    .addColumn('feedback_at', 'bigint')
    .execute();
  await db.schema.createIndex('auth_events_user').on('auth_events').columns(['sub', 'seq']).execute();

  await db.schema
    .createTable('user_mfa_options')
    .addColumn('sub', 'text', (c) => c.primaryKey().references('users.sub').onDelete('cascade'))
    .addColumn('mfa_options', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('risk_configurations')
    .addColumn('pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    // '' for the pool-wide configuration, else the app client it overrides.
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_configurations_pk', ['pool_id', 'client_id'])
    .execute();
}
