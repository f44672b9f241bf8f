import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
export async function ensureOperatorKey(deps: { store: Store; master: MasterKey; ids: Ids; now: number; dataDir: string }): Promise<OperatorCredentials | null> {
  if ((await deps.store.pools.countAccessKeys()) > 0) return null;
  const accessKeyId = `AKIA${deps.ids.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
  const secretAccessKey = deps.ids.chars(`${ALNUM}+/`, 40);
  await deps.store.pools.insertAccessKey({
    access_key_id: accessKeyId,
    secret_sealed: deps.master.seal('access-key', accessKeyId, secretAccessKey),
    status: 'Active',
    description: 'Created at first start; full access',
    created_at: deps.now,
  });
  const file = join(deps.dataDir, 'credentials');
  writeFileSync(file, `[cognate]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { accessKeyId, secretAccessKey };
}
