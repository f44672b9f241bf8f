import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.ts';
import { ConfigError } from '../errors/config-error.ts';
import { attachDataKeys, previousMasterKey } from '../crypto/data-keys.ts';
import { MasterKey } from '../crypto/master-key.ts';
import { chooseMasterKey } from '../crypto/master-key-file.ts';
import { systemClock } from '../services/clock.ts';
import { verifyMasterKeyCheck } from '../services/master-key-check.ts';
import { openDatabase, sqliteFile } from '../store/open.ts';
import { Store } from '../store/store.ts';
import { AUDIT_KEYED_MIGRATION, AuditStore } from '../store/audit.ts';

/**
 * The server's way to an existing database and its secrets (app.ts), for CLI
 * commands: the same master key, checked against the database, and its data
 * keys unwrapped, so values sealed here open on every node and back.
 */
export async function openExistingStore(config: Config): Promise<{ store: Store; master: MasterKey }> {
  if (config.databaseUrl === null && !existsSync(sqliteFile(config.dataDir))) {
    throw new ConfigError([`No Cognate database in ${config.dataDir} (start Cognate first, or pass --data-dir)`]);
  }
  const fromEnv = process.env['COGNATE_MASTER_KEY'];
  const { key: master } = MasterKey.loadOrCreate(config.dataDir, chooseMasterKey(config, fromEnv));
  const { db, applied } = await openDatabase(config);
  try {
    await verifyMasterKeyCheck(db, master, systemClock.now());
    await attachDataKeys(db, master, previousMasterKey(config, fromEnv), systemClock.now());
    // As app.ts: the audit chain keyed by this open (migration 023) has its state MACed now.
    if (applied.includes(AUDIT_KEYED_MIGRATION)) await new AuditStore(db, master).sealUpgrade();
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { store: new Store(db, master), master };
}
