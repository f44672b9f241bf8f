import type { MasterKey } from '../crypto/master-key.ts';
import { parsePolicy } from '../domain/iam-policy.ts';
import type { KeyListing } from '../store/key-policies.ts';
import type { Store } from '../store/store.ts';
import { ALNUM, type Ids } from './ids.ts';

// Operator key management (`cognate keys …`): the rules, apart from the CLI's
// printing so tests can call them too. Secrets are sealed with the master key
// (as the first-start key is) and shown once, at creation.

export class KeyManagementError extends Error {
  override readonly name = 'KeyManagementError';
}

export interface CreatedKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Same shapes as AWS's: AKIA + 16 base32 characters, and a 40-character secret. */
export async function createAccessKey(
  deps: { store: Store; master: MasterKey; ids: Ids; now: number },
  opts: { description?: string; policy?: string | null },
): Promise<CreatedKey> {
  // The policy is checked first, so a malformed one leaves no key behind.
  const policy = opts.policy == null ? null : JSON.stringify(parsePolicy(opts.policy));
  const accessKeyId = `AKIA${deps.ids.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
  const secretAccessKey = deps.ids.chars(`${ALNUM}+/`, 40);
  await deps.store.transaction(async (tx) => {
    await tx.pools.insertAccessKey({
      access_key_id: accessKeyId,
      secret_sealed: deps.master.seal('access-key', accessKeyId, secretAccessKey),
      status: 'Active',
      description: opts.description ?? '',
      created_at: deps.now,
    });
    await tx.keyPolicies.setPolicy(accessKeyId, policy, deps.now);
  });
  return { accessKeyId, secretAccessKey };
}

async function requireKey(store: Store, accessKeyId: string): Promise<KeyListing> {
  const key = await store.keyPolicies.find(accessKeyId);
  if (!key) throw new KeyManagementError(`No access key ${accessKeyId}`);
  return key;
}

// No lock-out: an active key that can do something (full access, as the
// first-start key has, or a policy) may be disabled, deleted or stripped of
// its policy only while another such key remains active.
async function assertNotLastAdmin(store: Store, key: KeyListing, verb: string): Promise<void> {
  if (key.status !== 'Active' || (!key.fullAccess && key.policy === null)) return;
  const others = (await store.keyPolicies.list()).filter(
    (k) => k.accessKeyId !== key.accessKeyId && k.status === 'Active' && (k.fullAccess || k.policy !== null),
  );
  if (others.length === 0) {
    throw new KeyManagementError(
      `Refusing to ${verb} ${key.accessKeyId}: it is the only active key with full access or a policy (create one first, so operators are not locked out)`,
    );
  }
}

export async function setKeyStatus(store: Store, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
  const key = await requireKey(store, accessKeyId);
  if (status === 'Inactive') await assertNotLastAdmin(store, key, 'disable');
  await store.keyPolicies.setStatus(accessKeyId, status);
}

export async function deleteAccessKey(store: Store, accessKeyId: string): Promise<void> {
  const key = await requireKey(store, accessKeyId);
  await assertNotLastAdmin(store, key, 'delete');
  await store.transaction((tx) => tx.keyPolicies.delete(accessKeyId));
}

/** Checks the document (MalformedPolicyDocument) and attaches it, replacing any before. */
export async function attachPolicy(store: Store, accessKeyId: string, document: string, now: number): Promise<void> {
  const policy = JSON.stringify(parsePolicy(document));
  await requireKey(store, accessKeyId);
  await store.keyPolicies.setPolicy(accessKeyId, policy, now);
}

export async function detachPolicy(store: Store, accessKeyId: string, now: number): Promise<void> {
  const key = await requireKey(store, accessKeyId);
  if (key.policy === null) throw new KeyManagementError(`Access key ${accessKeyId} has no policy attached`);
  if (!key.fullAccess) await assertNotLastAdmin(store, key, 'detach the policy of');
  await store.keyPolicies.setPolicy(accessKeyId, null, now);
}
