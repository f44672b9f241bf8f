import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { ConfigError } from '../errors/config-error.ts';
import type { Config } from '../config/schema.ts';
import { DataKeyStore } from '../store/data-keys.ts';
import type { DataKeyRow, Tables } from '../store/tables.ts';
import { LEGACY_DATA_KEY_ID, MasterKey } from './master-key.ts';

// Envelope encryption. The master key wraps a few random DATA keys, stored in
// the database (data_keys); secrets are sealed under a data key (MasterKey
// keeps them unwrapped in memory). A process unwraps every data key once at
// start, so rotating the master key under running servers changes nothing
// for them; a process starting later needs the key the rows are now wrapped
// under: `<key file>` after `cognate master-key rotate`, or
// `<key file>.previous` (the key before it) while the rotation finishes.
//
// Data keys are made only at the first start of a database, with fixed ids,
// so every node holds every data key there is: `dk1`, and for a database
// that predates data keys also `v1`, its master key of the time (created_at
// 0, so it is the oldest and stays the MAC key: stored MACs and values sealed
// before still verify and open).

export const FIRST_DATA_KEY_ID = 'dk1';

/** Where the master key lives when it comes from a file: `--master-key-file`, else `<data-dir>/master.key`. */
export function masterKeyPath(config: Pick<Config, 'dataDir' | 'masterKeyFile'>): string {
  return config.masterKeyFile ?? join(config.dataDir, 'master.key');
}

export const previousKeyPath = (keyFile: string): string => `${keyFile}.previous`;

/** The key a rotation replaced, kept next to the key file until every node has the new one; null when there is none. */
export function loadPreviousMasterKey(keyFile: string): MasterKey | null {
  const file = previousKeyPath(keyFile);
  if (!existsSync(file)) return null;
  return MasterKey.fromBytes(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
}

/** The master key (of `keys`) that wraps `row`, or a ConfigError naming both sides. */
export function wrapperOf(row: DataKeyRow, keys: (MasterKey | null)[]): MasterKey {
  const found = keys.find((k) => k !== null && k.id === row.master_key_id);
  if (found) return found;
  const held = keys.filter((k): k is MasterKey => k !== null).map((k) => k.id);
  throw new ConfigError([
    `The master key does not open this database's data keys: data key ${row.id} is wrapped under master key ${row.master_key_id}, and this node holds ${held.join(' and ')}. ` +
      "Start every node with the database's current master key (after `cognate master-key rotate`, the new key file; keep <key file>.previous until every node has it).",
  ]);
}

/**
 * Unwraps the database's data keys into `master` (making the first one on a
 * new database), so `master.seal/open/mac` use them from now on.
 */
export async function attachDataKeys(db: Kysely<Tables>, master: MasterKey, previous: MasterKey | null, now: number): Promise<void> {
  const store = new DataKeyStore(db);
  let rows = await store.all();
  if (rows.length === 0) {
    // A database that already holds sealed values (its operator key is made at first start) was sealed under its master key.
    const upgraded = (await db.selectFrom('access_keys').select('access_key_id').limit(1).executeTakeFirst()) !== undefined;
    if (upgraded)
      await store.insertIfAbsent({ id: LEGACY_DATA_KEY_ID, wrapped: master.wrapSelfAsLegacy(), master_key_id: master.id, created_at: 0, rewrapped_at: null });
    await store.insertIfAbsent({
      id: FIRST_DATA_KEY_ID,
      wrapped: master.wrap(FIRST_DATA_KEY_ID, randomBytes(32)),
      master_key_id: master.id,
      created_at: now,
      rewrapped_at: null,
    });
    rows = await store.all();
  }
  const keys = new Map<string, Buffer>();
  for (const row of rows) keys.set(row.id, wrapperOf(row, [master, previous]).unwrap(row.id, row.wrapped));
  master.useDataKeys(keys, rows[rows.length - 1]!.id, rows[0]!.id);
}

/** Re-wraps every data key under `to`, in one transaction; each is opened with whichever of `from` (or `to`) wraps it. Returns how many changed. */
export async function rewrapDataKeys(db: Kysely<Tables>, from: (MasterKey | null)[], to: MasterKey, now: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const store = new DataKeyStore(trx);
    let changed = 0;
    for (const row of await store.all()) {
      if (row.master_key_id === to.id) continue;
      const bytes = wrapperOf(row, [...from, to]).unwrap(row.id, row.wrapped);
      await store.rewrap(row.id, to.wrap(row.id, bytes), to.id, now);
      changed++;
    }
    return changed;
  });
}

/** The previous master key for a node whose key comes from a file (not COGNATE_MASTER_KEY): `<key file>.previous`, if present. */
export function previousMasterKey(config: Pick<Config, 'dataDir' | 'masterKeyFile'>, fromEnv: string | undefined): MasterKey | null {
  return config.masterKeyFile === null && fromEnv ? null : loadPreviousMasterKey(masterKeyPath(config));
}
