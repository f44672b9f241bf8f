import type { Kysely } from 'kysely';
import { ConfigError } from '../errors/config-error.ts';
import { safeEqual, type MasterKey } from '../crypto/master-key.ts';
import type { Tables } from '../store/tables.ts';

// Nodes that share one database must share the master key: every sealed value
// in it (signing keys, secrets, verifiers) opens only under that key. The
// first start records a check value, a MAC of a constant under the key; every
// later start (any node, any data directory) compares its own key's value and
// refuses to start on a mismatch, before it serves a request or seals
// anything the other nodes could not open.

const ROW = 'master';
const checkValue = (master: MasterKey): string => master.mac('master-key-check', 'cognate master key check v1');

export const MASTER_KEY_MISMATCH =
  'The master key does not match this database: it was first started with another master key. ' +
  'Start every node with the same key (--master-key-file / COGNATE_MASTER_KEY_FILE, COGNATE_MASTER_KEY, or <data-dir>/master.key).';

/** Records the check value on the first start of a database, then throws a ConfigError (exit status 2) if `master` is not the recorded key. */
export async function verifyMasterKeyCheck(db: Kysely<Tables>, master: MasterKey, now: number): Promise<void> {
  const mine = checkValue(master);
  // Nodes starting together on an empty database: the first insert wins, the others compare with it.
  await db
    .insertInto('master_key_check')
    .values({ id: ROW, check_value: mine, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('master_key_check').select('check_value').where('id', '=', ROW).executeTakeFirstOrThrow();
  if (!safeEqual(row.check_value, mine)) throw new ConfigError([MASTER_KEY_MISMATCH]);
}

/** Replaces the check value, for a master-key rotation once every data key is re-wrapped under `master`. */
export async function recordMasterKeyCheck(db: Kysely<Tables>, master: MasterKey, now: number): Promise<void> {
  await db
    .insertInto('master_key_check')
    .values({ id: ROW, check_value: checkValue(master), created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ check_value: checkValue(master), updated_at: now }))
    .execute();
}
