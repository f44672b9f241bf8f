import type { Kysely } from 'kysely';
import type { AccessKeyRow, Tables } from './tables.ts';
import { firstRow, prepared } from './prepared.ts';

// Read by every signed call (prepared.ts): the key and its policy in one statement.
const keyWithGrantOf = prepared((db, accessKeyId: string) =>
  db
    .selectFrom('access_keys as k')
    .leftJoin('key_policies as p', 'p.access_key_id', 'k.access_key_id')
    .select(['k.access_key_id', 'k.secret_sealed', 'k.status', 'k.description', 'k.created_at', 'p.full_access', 'p.document'])
    .where('k.access_key_id', '=', accessKeyId),
);

/** An access key as operators see it: never its secret. */
export interface KeyListing {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  description: string;
  createdAt: number;
  fullAccess: boolean;
  /** The attached policy document (JSON text), or null. */
  policy: string | null;
}

/** What the policy check needs about a key, read with the key itself (keyWithGrant). */
export interface KeyGrant {
  fullAccess: boolean;
  policy: string | null;
}

// Access keys' policies (013) and the key management `cognate keys` does.
export class KeyPolicyStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /** An access key with its grant, for the signature check and then the policy check of one call. */
  async keyWithGrant(accessKeyId: string): Promise<{ key: AccessKeyRow; grant: KeyGrant } | null> {
    const row = await firstRow(this.db, keyWithGrantOf(this.db, accessKeyId));
    if (!row) return null;
    const { full_access, document, ...key } = row;
    return { key, grant: { fullAccess: Number(full_access ?? 0) === 1, policy: document ?? null } };
  }

  async list(): Promise<KeyListing[]> {
    const rows = await this.db
      .selectFrom('access_keys')
      .leftJoin('key_policies', 'key_policies.access_key_id', 'access_keys.access_key_id')
      .select([
        'access_keys.access_key_id',
        'access_keys.status',
        'access_keys.description',
        'access_keys.created_at',
        'key_policies.full_access',
        'key_policies.document',
      ])
      .orderBy('access_keys.created_at')
      .orderBy('access_keys.access_key_id')
      .execute();
    return rows.map((r) => ({
      accessKeyId: r.access_key_id,
      status: r.status,
      description: r.description,
      createdAt: Number(r.created_at),
      fullAccess: Number(r.full_access ?? 0) === 1,
      policy: r.document ?? null,
    }));
  }

  async find(accessKeyId: string): Promise<KeyListing | null> {
    return (await this.list()).find((k) => k.accessKeyId === accessKeyId) ?? null;
  }

  async grantFullAccess(accessKeyId: string, now: number): Promise<void> {
    await this.db
      .insertInto('key_policies')
      .values({ access_key_id: accessKeyId, full_access: 1, document: null, updated_at: now })
      .onConflict((oc) => oc.column('access_key_id').doUpdateSet({ full_access: 1, updated_at: now }))
      .execute();
  }

  /** Attaches (or replaces) the key's policy document; `null` detaches it. */
  async setPolicy(accessKeyId: string, document: string | null, now: number): Promise<void> {
    await this.db
      .insertInto('key_policies')
      .values({ access_key_id: accessKeyId, full_access: 0, document, updated_at: now })
      .onConflict((oc) => oc.column('access_key_id').doUpdateSet({ document, updated_at: now }))
      .execute();
  }

  async setStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    await this.db.updateTable('access_keys').set({ status }).where('access_key_id', '=', accessKeyId).execute();
  }

  async delete(accessKeyId: string): Promise<void> {
    await this.db.deleteFrom('key_policies').where('access_key_id', '=', accessKeyId).execute();
    await this.db.deleteFrom('access_keys').where('access_key_id', '=', accessKeyId).execute();
  }
}
