import { sql, type Kysely } from 'kysely';

// The audit chain becomes a MAC chain (store/audit.ts): records from
// `keyed_from_seq` on carry an HMAC-SHA256 under a key derived from the
// master key's keyring, which never enters the database; the records written
// before keep their plain SHA-256 and still verify as such. `state_mac` is
// the MAC of the chain state (keyed boundary, anchor, head), so neither the
// boundary nor the head can be moved by someone who can only write the
// database. A database being upgraded has its boundary just after its head.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_state').addColumn('keyed_from_seq', 'bigint').execute();
  await db.schema.alterTable('audit_state').addColumn('state_mac', 'text').execute();
  await sql`UPDATE audit_state SET keyed_from_seq = head_seq + 1`.execute(db);
}
