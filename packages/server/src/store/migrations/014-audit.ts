import type { Kysely } from 'kysely';

// The audit trail (issue 6): one row per API call, append-only and hash
// chained. `seq` is the record's position (1, 2, 3, … with no gaps), `hash`
// is SHA-256 over a canonical serialisation of the record including
// `prev_hash`, the hash of the record before it (store/audit.ts). Parameters
// are stored with every secret already removed (audit/redact.ts).
//
// `audit_state` is a single row (id 1): the head of the chain (last seq and
// hash, so an append needs no max() scan and a deleted last record is
// noticed) and the anchor left by retention pruning (the seq and hash of the
// last pruned record, so the remaining chain still verifies from there).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_records')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('resource', 'text')
    .addColumn('caller_kind', 'text', (c) => c.notNull())
    .addColumn('caller', 'text')
    .addColumn('client_id', 'text')
    .addColumn('source_ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('params', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_records_time').on('audit_records').columns(['time']).execute();
  await db.schema.createIndex('audit_records_operation').on('audit_records').columns(['operation', 'time']).execute();

  await db.schema
    .createTable('audit_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('head_seq', 'bigint', (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('anchor_seq', 'bigint', (c) => c.notNull())
    .addColumn('anchor_hash', 'text', (c) => c.notNull())
    .addColumn('pruned_at', 'bigint')
    .execute();
}
