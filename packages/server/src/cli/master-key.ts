import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../errors/config-error.ts';
import { loadConfig } from '../config/load.ts';
import { attachDataKeys, loadPreviousMasterKey, masterKeyPath, previousKeyPath, rewrapDataKeys, wrapperOf } from '../crypto/data-keys.ts';
import { AUDIT_KEYED_MIGRATION, AuditStore } from '../store/audit.ts';
import { MasterKey } from '../crypto/master-key.ts';
import { chooseMasterKey } from '../crypto/master-key-file.ts';
import { writeFileDurably } from '../crypto/durable-file.ts';
import { systemClock } from '../services/clock.ts';
import { recordMasterKeyCheck } from '../services/master-key-check.ts';
import { openDatabase, sqliteFile } from '../store/open.ts';
import { DataKeyStore } from '../store/data-keys.ts';

const USAGE = `Usage: cognate master-key rotate [--data-dir DIR | --master-key-file FILE] [--database-url URL]

Makes a new master key and re-wraps every data key under it, with servers running:
they hold the data keys unwrapped and keep working. The key file is replaced (the
old key moves to <key file>.previous); copy the new key file to every node, restart
them at leisure, then delete <key file>.previous.
`;

// Owner-only, fsynced, moved into place atomically: a crash leaves the old file or the new one, never a torn key.
const writeKey = (file: string, bytes: Buffer): void => writeFileDurably(file, `${bytes.toString('base64')}\n`);

/**
 * `cognate master-key rotate`. Crash-safe in this order: the old key is
 * copied to `.previous`, the new one replaces the key file (an atomic
 * rename), then the data keys are re-wrapped
 * in one transaction and the database's master-key check value follows. A
 * node can start at every point in between (it tries the key file and
 * `.previous`), and running `rotate` again after an interruption finishes the
 * rotation instead of starting another.
 */
export async function masterKey(positionals: string[], flags: Record<string, string>): Promise<number> {
  if (positionals[0] !== 'rotate') {
    process.stdout.write(USAGE);
    return positionals.length === 0 || flags['help'] ? 0 : 1;
  }
  const config = loadConfig(flags);
  if (config.masterKeyFile === null && process.env['COGNATE_MASTER_KEY']) {
    throw new ConfigError([
      'master-key rotate: the master key comes from COGNATE_MASTER_KEY; rotation replaces a key FILE (put the key in one and use --master-key-file)',
    ]);
  }
  const keyFile = masterKeyPath(config);
  if (!existsSync(keyFile)) throw new ConfigError([`master-key rotate: no master key at ${keyFile}`]);
  if (config.databaseUrl === null && !existsSync(sqliteFile(config.dataDir)))
    throw new ConfigError([`No Cognate database in ${config.dataDir} (start Cognate first, or pass --data-dir)`]);
  const current = MasterKey.fromBytes(Buffer.from(chooseMasterKey(config, undefined) ?? readFileSync(keyFile, 'utf8').trim(), 'base64'));
  const previous = loadPreviousMasterKey(keyFile);
  const { db, applied } = await openDatabase(config);
  try {
    const rows = await new DataKeyStore(db).all();
    if (rows.length === 0) throw new ConfigError(['master-key rotate: this database has no data keys yet (start Cognate on it once first)']);
    for (const row of rows) wrapperOf(row, [current, previous]); // every data key must open with the keys at hand
    const now = systemClock.now();
    if (applied.includes(AUDIT_KEYED_MIGRATION)) {
      // As app.ts: the audit chain this open keyed (migration 023) has its state MACed now, under the keyring.
      const keyring = MasterKey.fromBytes(Buffer.from(chooseMasterKey(config, undefined) ?? readFileSync(keyFile, 'utf8').trim(), 'base64'));
      await attachDataKeys(db, keyring, previous, now);
      await new AuditStore(db, keyring).sealUpgrade();
    }
    if (rows.some((r) => r.master_key_id !== current.id)) {
      // An interrupted rotation: the key file already holds the new key. Finish it.
      const n = await rewrapDataKeys(db, [previous], current, now);
      await recordMasterKeyCheck(db, current, now);
      process.stdout.write(`Finished an interrupted rotation: ${n} data key(s) re-wrapped under master key ${current.id} (${keyFile}).\n`);
      return 0;
    }
    const fresh = randomBytes(32);
    const next = MasterKey.fromBytes(fresh);
    writeKey(previousKeyPath(keyFile), Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64'));
    writeKey(keyFile, fresh);
    const n = await rewrapDataKeys(db, [current], next, now);
    await recordMasterKeyCheck(db, next, now);
    process.stdout.write(
      [
        `Master key rotated: ${n} data key(s) re-wrapped under the new master key ${next.id} (was ${current.id}).`,
        `  New key: ${keyFile}    Old key: ${previousKeyPath(keyFile)}`,
        '  Running servers keep working. Copy the new key file to every node and restart them at leisure;',
        `  a node starts with either key file present. Then delete ${previousKeyPath(keyFile)}: the old key opens nothing now.`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await db.destroy();
  }
}
