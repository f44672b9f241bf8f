import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../crypto/durable-file.ts';
import type { MasterKey } from '../crypto/master-key.ts';
import type { Store } from '../store/store.ts';
import { ALNUM, type Ids } from './ids.ts';

export interface OperatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The first start on an empty database makes the installation's own operator
 * key (no key is built in) and writes it, 0600, in AWS shared-credentials
 * format under the profile `cognate`.
 */
export async function ensureOperatorKey(deps: {
  store: Store;
  master: MasterKey;
  ids: Ids;
  now: number;
  dataDir: string;
}): Promise<OperatorCredentials | null> {
  if ((await deps.store.pools.countAccessKeys()) > 0) return null;
  const accessKeyId = `AKIA${deps.ids.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
  const secretAccessKey = deps.ids.chars(`${ALNUM}+/`, 40);
  // The file first, then the key and its policy in one transaction: a crash at
  // any point leaves either no key (the next start makes a new one and
  // replaces the file) or a key whose credentials are on disk with full access.
  const file = join(deps.dataDir, 'credentials');
  writeFileDurably(file, `[cognate]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`);
  chmodSync(file, 0o600);
  await deps.store.transaction(async (tx) => {
    await tx.pools.insertAccessKey({
      access_key_id: accessKeyId,
      secret_sealed: deps.master.seal('access-key', accessKeyId, secretAccessKey),
      status: 'Active',
      description: 'Created at first start; full access',
      created_at: deps.now,
    });
    await tx.keyPolicies.grantFullAccess(accessKeyId, deps.now);
  });
  return { accessKeyId, secretAccessKey };
}
